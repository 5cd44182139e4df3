import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRows, inTransaction } from '../../src/db/bulk.ts';
import type { Database } from '../../src/db/database.ts';
import { openTestDatabase } from '../helpers/hub.ts';

// Releases are stored with COPY (pg-copy-streams on PostgreSQL, a blob on PGlite): the values
// must arrive exactly as INSERT would store them, and a failure must roll back with the rest.

let db: Database;
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ db, drop } = await openTestDatabase());
  await db.pool.query('CREATE TABLE copied (id int PRIMARY KEY, label text, amount float8, day date, tags text[])');
});
afterAll(() => drop());

describe('copyRows', () => {
  it('stores nulls, empty strings, quotes, commas, newlines and arrays as given', async () => {
    const rows = [
      [1, 'plain', 1.5, '2024-06-01', ['a', 'b']],
      [2, '', null, null, []],
      [3, 'quote " comma , newline \n end', -0.25, '2025-01-31', ['with "quote"', 'back\\slash', 'comma,']],
      [4, null, 1e-7, '2020-02-29', null],
    ];
    await inTransaction(db.pool, (client) =>
      copyRows(client, 'copied', ['id', 'label', 'amount', 'day', 'tags'], rows),
    );
    const { rows: stored } = await db.pool.query(
      "SELECT id, label, amount, to_char(day, 'YYYY-MM-DD') AS day, tags FROM copied ORDER BY id",
    );
    expect(stored.map((row) => [row.id, row.label, row.amount, row.day, row.tags])).toEqual(rows);
  });

  it('is part of the transaction: a failure later in it stores none of the rows', async () => {
    await expect(
      inTransaction(db.pool, async (client) => {
        await copyRows(client, 'copied', ['id', 'label'], [[10, 'kept only if committed']]);
        await client.query('SELECT 1/0');
      }),
    ).rejects.toThrow(/division by zero/);
    const { rows } = await db.pool.query('SELECT id FROM copied WHERE id = 10');
    expect(rows).toEqual([]);
  });

  it("reports a duplicate key with PostgreSQL's code and stores nothing of the batch", async () => {
    await expect(
      inTransaction(db.pool, (client) =>
        copyRows(
          client,
          'copied',
          ['id', 'label'],
          [
            [20, 'new'],
            [1, 'duplicate'],
          ],
        ),
      ),
    ).rejects.toMatchObject({ message: expect.stringMatching(/duplicate key/), code: '23505' });
    const { rows } = await db.pool.query('SELECT id FROM copied WHERE id = 20');
    expect(rows).toEqual([]);
  });
});
