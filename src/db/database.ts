import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { attachEmbeddedSession } from './bulk.ts';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded.ts';
import type { FolderLock, LockHolder } from './folder-lock.ts';
import { PrismaClient } from './generated/prisma/client.ts';
import {
  type ChannelHandlers,
  HEARTBEAT_SQL,
  type Listener,
  listenOnDedicatedConnection,
  notifyThroughPool,
} from './listener.ts';
import { watchPools } from './metrics.ts';
import { keepTimeoutPerTransaction, type PoolMode, setTimeoutOnConnect, statementName } from './pool-mode.ts';
import { openReplicas, type ReadReplicas, readVersioned, replicaStatementName } from './replicas.ts';

export type { PrismaClient };

/** Called with the text and parameters of every SQL statement sent (tests count and EXPLAIN them). */
export type StatementListener = (sql: string, values?: readonly unknown[]) => void;

export interface Database {
  kind: 'embedded' | 'postgres';
  /** The embedded database's lock on its folder (held while open). */
  folderLock?: FolderLock;
  /** The embedded database started from the prepared image (its folder was new). */
  fromImage?: boolean;
  prisma: PrismaClient;
  /** The one pool every part of the hub uses: Prisma, migrations and bulk loads. */
  pool: pg.Pool;
  /** LISTEN on a channel; notifications reach the handlers from every writer of the database. */
  listen(channel: string, handlers: ChannelHandlers): Listener;
  /** How the pool's connections reach PostgreSQL (DB_POOL_MODE); the embedded database is one session. */
  poolMode: PoolMode;
  /** The name to prepare a statement under (`pg`'s QueryConfig.name), or undefined where names break (see pool-mode.ts). */
  statementName(sql: string): string | undefined;
  /** Read replicas (DATABASE_READ_URL) that cube and codelist reads prefer. */
  replicas?: ReadReplicas;
  /** The database is a hot standby: it takes no migrations, writes or LISTEN (a read-only hub). */
  readOnly: boolean;
  /**
   * A read statement whose every row carries the data version it was read at (`dataVersion`), on a
   * replica when one has replayed `heard`, else on the primary. Each row starts as a copy of
   * `start` (properties every row carries besides its columns, e.g. its cube).
   */
  readRows<Row extends { dataVersion: string }>(
    query: { text: string; values: unknown[] },
    heard: string,
    start?: Record<string, unknown>,
  ): Promise<Row[]>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A PostgreSQL URL; without one the embedded database under `dataDir` is started. */
  url?: string;
  /** Where LISTEN connects: a direct connection to the primary, not through a transaction pooler (default `url`). */
  listenUrl?: string;
  /** `transaction` when `url` goes through a pooler in transaction mode (default `session`). */
  poolMode?: PoolMode;
  dataDir: string;
  poolMax: number;
  /** Who opens the embedded folder, as the lock file tells others (default hub). */
  role?: LockHolder['role'];
  /** Longest a statement may run on PostgreSQL (ms; 0 or unset: no limit). PGlite has no timer to enforce it. */
  statementTimeoutMs?: number;
  onStatement?: StatementListener;
  /** A new embedded folder starts from a copy of this image folder (see EMBEDDED_IMAGE) when it holds a cluster. */
  embeddedImage?: string;
  /** The embedded database, already starting (main.ts starts it before loading this module). */
  embedded?: Promise<EmbeddedPostgres>;
  /** Read replicas: hot standbys of `url`'s primary (DATABASE_READ_URL). */
  readUrls?: readonly string[];
  /** A replica further behind (ms of replay) is skipped until it catches up (DB_REPLICA_MAX_LAG_MS). */
  replicaMaxLagMs?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const embedded = options.url
    ? undefined
    : await (options.embedded ?? startEmbeddedPostgres(options.dataDir, options.role ?? 'hub', options.embeddedImage));
  const connectionString = options.url ?? embedded?.connectionString;
  if (!connectionString) throw new Error('no database: neither DATABASE_URL nor the embedded database');
  // The embedded database is one session: its notifications arrive on the pool's own connection.
  const channels = new Map<string, ChannelHandlers>();
  const poolMode = embedded ? 'session' : (options.poolMode ?? 'session');
  const statementTimeoutMs = embedded ? 0 : (options.statementTimeoutMs ?? 0);
  const pool = new pg.Pool({
    connectionString,
    max: embedded ? 1 : options.poolMax,
    // A runaway query fails with 57014: the timeout is set per session, or per transaction behind a
    // transaction pooler (never as a startup parameter, which PgBouncer refuses).
    onConnect: embedded
      ? async (client) => {
          client.on('notification', (message) => channels.get(message.channel)?.onNotification(message.payload ?? ''));
          for (const channel of channels.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
        }
      : poolMode === 'session'
        ? setTimeoutOnConnect(statementTimeoutMs)
        : undefined,
  });
  if (poolMode === 'transaction') pool.on('connect', (client) => keepTimeoutPerTransaction(client, statementTimeoutMs));
  pool.on('error', (error) => console.error('database connection error:', error.message));
  if (embedded) pool.on('connect', (client) => attachEmbeddedSession(client, embedded.session));
  if (options.onStatement) recordStatements(pool, options.onStatement);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const unwatch = watchPools([{ name: embedded ? 'embedded' : 'primary', pool }]);
  const replicas = options.readUrls?.length
    ? openReplicas({
        urls: options.readUrls,
        poolMax: options.poolMax,
        statementTimeoutMs,
        maxLagMs: options.replicaMaxLagMs ?? 5000,
      })
    : undefined;
  const readOnly = embedded
    ? false
    : (await pool.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby')).rows[0]?.standby === true;
  const name = (sql: string) => statementName(sql, { embedded: Boolean(embedded), poolMode });
  return {
    kind: embedded ? 'embedded' : 'postgres',
    folderLock: embedded?.lock,
    fromImage: embedded?.fromImage,
    prisma,
    pool,
    poolMode,
    statementName: name,
    replicas,
    readOnly,
    async readRows<Row extends { dataVersion: string }>(
      query: { text: string; values: unknown[] },
      heard: string,
      start: Record<string, unknown> = {},
    ) {
      const run = async (on: pg.Pool, named: string | undefined) => {
        const { rows, fields } = await on.query<unknown[]>({
          name: named,
          text: query.text,
          values: query.values,
          rowMode: 'array',
        });
        const value = rowObjects<Row>(rows, fields, start);
        return { value, version: value[0]?.dataVersion ?? '0' };
      };
      const read = await readVersioned(
        replicas,
        heard,
        () => run(pool, name(query.text)),
        (replica) => run(replica.pool, replicaStatementName(query.text)),
      );
      return read.value;
    },
    listen(channel, handlers) {
      if (!embedded) {
        return listenOnDedicatedConnection(
          options.listenUrl ?? connectionString,
          channel,
          handlers,
          notifyThroughPool(pool),
        );
      }
      channels.set(channel, handlers);
      const ready = (async () => {
        await pool.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
        await handlers.onListening();
      })();
      // A database closed before LISTEN went through rejects `ready`: whoever awaits it hears of
      // it (main.ts does); a hub closed early in a test must not leave an unhandled rejection.
      ready.catch(() => {});
      return { ready, hearing: () => true, close: async () => void channels.delete(channel) };
    },
    async close() {
      unwatch();
      await replicas?.close();
      await prisma.$disconnect();
      await pool.end();
      await embedded?.stop();
    },
  };
}

/** Builds a row object from an array of values, with the properties of `start` first. */
type RowBuilder = (values: readonly unknown[], start: Record<string, unknown>) => Record<string, unknown>;

const rowBuilders = new Map<string, RowBuilder>();

/**
 * A row builder for one list of start properties and column names: an object literal, compiled
 * once, so every row of every result of that shape shares one hidden class. pg's own row objects
 * get a shape made anew for each result, and a property added to them afterwards (a cell's cube)
 * cost more than parsing the rows; copying columns by name onto an object is no better.
 */
function rowBuilder(startKeys: readonly string[], names: readonly string[]): RowBuilder {
  const key = JSON.stringify([startKeys, names]);
  let build = rowBuilders.get(key);
  if (!build) {
    const properties = [
      ...startKeys.map((name) => `${JSON.stringify(name)}: start[${JSON.stringify(name)}]`),
      ...names.map((name, i) => `${JSON.stringify(name)}: values[${i}]`),
    ];
    build = new Function('values', 'start', `return { ${properties.join(', ')} };`) as RowBuilder;
    if (rowBuilders.size >= 1000) rowBuilders.clear();
    rowBuilders.set(key, build);
  }
  return build;
}

/** Rows read as arrays (pg's `rowMode: 'array'`), as objects that start with `start`'s properties. */
function rowObjects<Row>(rows: unknown[][], fields: readonly pg.FieldDef[], start: Record<string, unknown>): Row[] {
  const build = rowBuilder(
    Object.keys(start),
    fields.map((field) => field.name),
  );
  return rows.map((values) => build(values, start) as Row);
}

function recordStatements(pool: pg.Pool, listener: StatementListener): void {
  pool.on('connect', (client) => {
    const target = client as unknown as { query: (...args: unknown[]) => unknown };
    const send = target.query.bind(client);
    target.query = (...args: unknown[]) => {
      const [statement, values] = args;
      if (statement === HEARTBEAT_SQL) return send(...args);
      if (typeof statement === 'string') listener(statement, Array.isArray(values) ? values : undefined);
      else {
        const config = statement as { text?: string; values?: unknown[] };
        listener(String(config.text), config.values ?? (Array.isArray(values) ? values : undefined));
      }
      return send(...args);
    };
  });
}
