import type pg from 'pg';

/**
 * Runs `work` in one read-only snapshot (REPEATABLE READ) on one connection and returns what it
 * read with the data version of that same snapshot, so whatever is cached from it is labelled
 * with the data it holds. Fine on a hot standby too.
 */
export async function readInSnapshot<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<{ value: T; version: string }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query<{ version: string }>('SELECT version::text FROM data_version');
    const value = await work(client);
    await client.query('COMMIT');
    return { value, version: rows[0]?.version ?? '0' };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
