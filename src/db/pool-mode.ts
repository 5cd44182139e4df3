import { createHash } from 'node:crypto';
import pg from 'pg';
import pgUtils from 'pg/lib/utils.js';

/**
 * How the connections of DATABASE_URL reach PostgreSQL. `session`: each is a session of its own
 * (PostgreSQL itself, or PgBouncer with pool_mode = session). `transaction`: a pooler (PgBouncer
 * with pool_mode = transaction) hands every transaction to any server session, so nothing may
 * rely on session state: no startup parameters, no named prepared statements, no session SET,
 * no session advisory lock, no LISTEN. A client cannot ask PgBouncer its pool mode (SHOW goes to
 * the server; PgBouncer's own console needs an admin user), so it is configured: DB_POOL_MODE.
 */
export const POOL_MODES = ['session', 'transaction'] as const;
export type PoolMode = (typeof POOL_MODES)[number];

const statementNames = new Map<string, string>();

/**
 * The name under which `pg` prepares a statement once per connection and then only binds and
 * executes it (PostgreSQL plans it once: planning cost more than executing the common cube
 * queries), or undefined where a name would break: PGlite is one session behind every connection
 * (a name prepared by one would clash in another), and a pooler in transaction mode hands each
 * statement to a server session that has never seen the name, or already has it.
 */
export function statementName(sql: string, where: { embedded: boolean; poolMode: PoolMode }): string | undefined {
  if (where.embedded || where.poolMode === 'transaction') return undefined;
  let name = statementNames.get(sql);
  if (!name) {
    name = `cells_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
    statementNames.set(sql, name);
  }
  return name;
}

/**
 * The statement timeout of every connection in session mode: one SET when the connection opens.
 * Not a startup parameter, which PgBouncer refuses ("unsupported startup parameter").
 */
export function setTimeoutOnConnect(statementTimeoutMs: number) {
  return async (client: pg.ClientBase) => {
    if (statementTimeoutMs > 0) await client.query(`SET statement_timeout = ${Math.trunc(statementTimeoutMs)}`);
  };
}

type QueryConfig = pg.QueryConfig & { rowMode?: string; types?: unknown; callback?: Callback };
type Callback = (error: Error | null, result?: unknown) => void;

const BEGINS = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;
const ENDS = /^\s*(COMMIT|END|ABORT|ROLLBACK)\b(?!\s+TO\b)/i;
/** Statements that read or write rows: they get the timeout. Utility commands (VACUUM cannot run in a transaction) pass as sent. */
const QUERIES = /^\s*(\(\s*)*(SELECT|WITH|INSERT|UPDATE|DELETE|VALUES|TABLE|MERGE)\b/i;

/**
 * Makes one connection of a pool safe behind a pooler in transaction mode, where session state is
 * lost between transactions, yet keeps the statement timeout:
 * - BEGIN is sent with `SET LOCAL statement_timeout` in the same message, so every transaction the
 *   hub opens (its own, and Prisma's) has it;
 * - a query outside a transaction is sent as one simple-protocol message
 *   `SET LOCAL statement_timeout = N; <query with its parameters inlined>`, which PostgreSQL runs
 *   as one implicit transaction (SET LOCAL applies to it; checked through PgBouncer by
 *   test/db/pgbouncer.test.ts); the parameters become literals as `pg` itself would send them;
 * - statement names are dropped.
 * Streams (COPY) and utility commands pass unchanged.
 */
export function keepTimeoutPerTransaction(client: pg.ClientBase, statementTimeoutMs: number): void {
  const target = client as unknown as { query: (...args: unknown[]) => unknown };
  const send = target.query.bind(client) as (...args: unknown[]) => unknown;
  const timeout = Math.trunc(statementTimeoutMs);
  let inTransaction = false;
  target.query = (...args: unknown[]) => {
    const [first, second, third] = args;
    if (typeof first !== 'string' && (typeof first !== 'object' || first === null || 'submit' in first)) {
      return send(...args);
    }
    const config: QueryConfig = typeof first === 'string' ? { text: first } : { ...(first as QueryConfig) };
    const callback = [second, third, config.callback].find((value) => typeof value === 'function') as
      | Callback
      | undefined;
    const values = Array.isArray(second) ? second : config.values;
    delete config.name;
    delete config.callback;
    const text = config.text;
    if (BEGINS.test(text)) {
      inTransaction = true;
      if (timeout > 0)
        return sendSimple(
          send,
          { ...config, text: `${text}; SET LOCAL statement_timeout = ${timeout}` },
          'first',
          callback,
        );
    } else if (ENDS.test(text)) {
      inTransaction = false;
    } else if (!inTransaction && timeout > 0 && QUERIES.test(text)) {
      const inlined = values?.length ? inlineParameters(text, values) : text;
      return sendSimple(
        send,
        { ...config, text: `SET LOCAL statement_timeout = ${timeout}; ${inlined}` },
        'rest',
        callback,
      );
    }
    return send({ ...config, values }, ...(callback ? [callback] : []));
  };
}

/** Sends a text of several statements without parameters, answering with the result of the first, or of those after it. */
function sendSimple(
  send: (...args: unknown[]) => unknown,
  config: QueryConfig,
  answer: 'first' | 'rest',
  callback: Callback | undefined,
): unknown {
  const pick = (results: unknown) => {
    if (!Array.isArray(results)) return results;
    if (answer === 'first') return results[0];
    const rest = results.slice(1);
    return rest.length === 1 ? rest[0] : rest;
  };
  const query = { ...config, values: undefined };
  if (callback)
    return send(query, (error: Error | null, results: unknown) => callback(error, error ? results : pick(results)));
  return (send(query) as Promise<unknown>).then(pick);
}

/**
 * Placeholders ($1, $2, ...) outside string literals, quoted identifiers, comments and
 * dollar-quoted strings; the other alternatives are matched only to be skipped.
 */
const TOKENS =
  /[eE]'(?:[^'\\]|\\.|'')*'|'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\/|\$([A-Za-z_]\w*)?\$[\s\S]*?\$\1\$|(?<![\w$])\$(\d+)/g;

/** The text with each placeholder replaced by its value as a literal, converted as `pg` converts parameters. */
export function inlineParameters(text: string, values: readonly unknown[]): string {
  return text.replace(TOKENS, (token, _tag, index: string | undefined) => {
    if (index === undefined) return token;
    const position = Number(index) - 1;
    if (position >= values.length) throw new Error(`no value for parameter $${index}`);
    const prepared = pgUtils.prepareValue(values[position]);
    if (prepared === null) return 'NULL';
    return pg.escapeLiteral(Buffer.isBuffer(prepared) ? `\\x${prepared.toString('hex')}` : prepared);
  });
}
