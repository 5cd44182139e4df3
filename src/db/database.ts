import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { attachEmbeddedSession } from './bulk.ts';
import { startEmbeddedPostgres } from './embedded.ts';
import type { FolderLock, LockHolder } from './folder-lock.ts';
import { PrismaClient } from './generated/prisma/client.ts';
import { type ChannelHandlers, type Listener, listenOnDedicatedConnection } from './listener.ts';

export type { PrismaClient };

/** Called with the text and parameters of every SQL statement sent (tests count and EXPLAIN them). */
export type StatementListener = (sql: string, values?: readonly unknown[]) => void;

export interface Database {
  kind: 'embedded' | 'postgres';
  /** The embedded database's lock on its folder (held while open). */
  folderLock?: FolderLock;
  /** The embedded database started from the prepared image (its folder was new). */
  fromImage?: boolean;
  /** The embedded database's files as a tarball (what EMBEDDED_IMAGE holds); PostgreSQL has none. */
  dumpEmbedded?(): Promise<Blob>;
  prisma: PrismaClient;
  /** The one pool every part of the hub uses: Prisma, migrations and bulk loads. */
  pool: pg.Pool;
  /** LISTEN on a channel; notifications reach the handlers from every writer of the database. */
  listen(channel: string, handlers: ChannelHandlers): Listener;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A PostgreSQL URL; without one the embedded database under `dataDir` is started. */
  url?: string;
  dataDir: string;
  poolMax: number;
  /** Who opens the embedded folder, as the lock file tells others (default hub). */
  role?: LockHolder['role'];
  /** Longest a statement may run on PostgreSQL (ms; 0 or unset: no limit). PGlite has no timer to enforce it. */
  statementTimeoutMs?: number;
  onStatement?: StatementListener;
  /** A new embedded folder starts from this image (see EMBEDDED_IMAGE) when the file exists. */
  embeddedImage?: string;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const embedded = options.url
    ? undefined
    : await startEmbeddedPostgres(options.dataDir, options.role ?? 'hub', options.embeddedImage);
  const connectionString = options.url ?? embedded?.connectionString;
  if (!connectionString) throw new Error('no database: neither DATABASE_URL nor the embedded database');
  // The embedded database is one session: its notifications arrive on the pool's own connection.
  const channels = new Map<string, ChannelHandlers>();
  const pool = new pg.Pool({
    connectionString,
    max: embedded ? 1 : options.poolMax,
    // Sent when each connection starts (no extra statement); a runaway query fails with 57014.
    statement_timeout: options.statementTimeoutMs || undefined,
    onConnect: embedded
      ? async (client) => {
          client.on('notification', (message) => channels.get(message.channel)?.onNotification(message.payload ?? ''));
          for (const channel of channels.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
        }
      : undefined,
  });
  pool.on('error', (error) => console.error('database connection error:', error.message));
  if (embedded) pool.on('connect', (client) => attachEmbeddedSession(client, embedded.session));
  if (options.onStatement) recordStatements(pool, options.onStatement);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    kind: embedded ? 'embedded' : 'postgres',
    folderLock: embedded?.lock,
    fromImage: embedded?.fromImage,
    dumpEmbedded: embedded && (() => embedded.session.dumpDataDir('none')),
    prisma,
    pool,
    listen(channel, handlers) {
      if (!embedded) return listenOnDedicatedConnection(connectionString, channel, handlers);
      channels.set(channel, handlers);
      const ready = (async () => {
        await pool.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
        await handlers.onListening();
      })();
      // A database closed before LISTEN went through rejects `ready`: whoever awaits it hears of
      // it (main.ts does); a hub closed early in a test must not leave an unhandled rejection.
      ready.catch(() => {});
      return { ready, close: async () => void channels.delete(channel) };
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
      await embedded?.stop();
    },
  };
}

function recordStatements(pool: pg.Pool, listener: StatementListener): void {
  pool.on('connect', (client) => {
    const target = client as unknown as { query: (...args: unknown[]) => unknown };
    const send = target.query.bind(client);
    target.query = (...args: unknown[]) => {
      const [statement, values] = args;
      if (typeof statement === 'string') listener(statement, Array.isArray(values) ? values : undefined);
      else {
        const config = statement as { text?: string; values?: unknown[] };
        listener(String(config.text), config.values ?? (Array.isArray(values) ? values : undefined));
      }
      return send(...args);
    };
  });
}
