import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EmbeddedSession } from './embedded.ts';

/** PostgreSQL accepts at most 65 535 parameters per statement. */
const MAX_PARAMETERS = 65_535;

export type SqlValue = string | number | boolean | Date | null | string[];

/**
 * Inserts rows with multi-row INSERT statements, as many rows per statement as the parameter
 * limit allows. `conflict` is appended verbatim (for example `ON CONFLICT (code) DO UPDATE ...`).
 */
export async function insertRows(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  rows: readonly SqlValue[][],
  conflict = '',
  onProgress?: (written: number) => void,
): Promise<void> {
  const rowsPerStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  const columnList = columns.map((column) => `"${column}"`).join(', ');
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const chunk = rows.slice(start, start + rowsPerStatement);
    const placeholders = chunk.map(
      (_, rowIndex) =>
        `(${columns.map((__, columnIndex) => `$${rowIndex * columns.length + columnIndex + 1}`).join(', ')})`,
    );
    await client.query(
      `INSERT INTO "${table}" (${columnList}) VALUES ${placeholders.join(', ')} ${conflict}`,
      chunk.flat(),
    );
    onProgress?.(start + chunk.length);
  }
}

/**
 * Connections to the embedded database, with the PGlite session behind them. PGlite is one
 * session, so a COPY sent to it directly runs inside the transaction the connection has open;
 * it reads its rows from a blob (`/dev/blob`) because PGlite has no COPY FROM STDIN.
 */
const embeddedSessions = new WeakMap<pg.ClientBase, EmbeddedSession>();

export function attachEmbeddedSession(client: pg.ClientBase, session: EmbeddedSession): void {
  embeddedSessions.set(client, session);
}

/** Rows per COPY: progress is reported after each. */
const COPY_BATCH_ROWS = 20_000;

/** One value as a CSV field for COPY: NULL is an unquoted empty field, anything else is quoted. */
function csvField(value: SqlValue): string {
  if (value === null) return '';
  let text: string;
  if (Array.isArray(value)) text = `{${value.map((item) => `"${item.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
  else if (value instanceof Date) text = value.toISOString();
  else text = String(value);
  return `"${text.replaceAll('"', '""')}"`;
}

function* csvLines(rows: readonly SqlValue[][]): Generator<string> {
  for (const row of rows) yield `${row.map(csvField).join(',')}\n`;
}

/**
 * Loads rows with COPY, the bulk path of PostgreSQL (pg-copy-streams) and of PGlite (a blob):
 * many times faster than INSERT for large releases. Same effect as `insertRows` without `conflict`.
 */
export async function copyRows(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  rows: readonly SqlValue[][],
  onProgress?: (written: number) => void,
): Promise<void> {
  const columnList = columns.map((column) => `"${column}"`).join(', ');
  const session = embeddedSessions.get(client);
  for (let start = 0; start < rows.length; start += COPY_BATCH_ROWS) {
    const chunk = rows.slice(start, start + COPY_BATCH_ROWS);
    if (session) {
      await session.copyFromBlob(
        `COPY "${table}" (${columnList}) FROM '/dev/blob' (FORMAT csv)`,
        [...csvLines(chunk)].join(''),
      );
    } else {
      await pipeline(
        Readable.from(csvLines(chunk)),
        client.query(copyFrom(`COPY "${table}" (${columnList}) FROM STDIN (FORMAT csv)`)),
      );
    }
    onProgress?.(start + chunk.length);
  }
}

/** Inserts rows, updating every other column of a row whose `key` exists already. */
export async function upsertRows(
  client: pg.ClientBase,
  table: string,
  key: string,
  columns: readonly string[],
  rows: readonly SqlValue[][],
): Promise<void> {
  const update = columns.filter((column) => column !== key).map((column) => `"${column}" = EXCLUDED."${column}"`);
  await insertRows(client, table, columns, rows, `ON CONFLICT ("${key}") DO UPDATE SET ${update.join(', ')}`);
}

/** Runs `work` in one transaction on one connection of the pool: all of it is stored, or none. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
