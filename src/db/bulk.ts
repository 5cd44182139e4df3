import type pg from 'pg';

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
