import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { cellColumns } from '../../src/cube/definition.ts';
import { cubeOfTable, sourceModules } from '../../src/sources/registry.ts';
import { TEST_DATE, useTestHub } from '../helpers/hub.ts';

// The database marks each cell's current row (`is_current`: the row of the latest standing
// release, the first stored within it) in the transaction that writes. These tests hold the marks
// to the rule as SQL states it over the release table, after every kind of write, and check that
// a request reads the marks only when every standing release is visible to it.

let now = TEST_DATE;
const hub = useTestHub({ clock: () => now });

interface CubeTable {
  table: string;
  key: string[];
}

async function cubeTables(): Promise<CubeTable[]> {
  const { rows } = await hub.db.pool.query<{ table: string; key: string[] }>(
    'SELECT table_name AS "table", columns AS key FROM cube_cell_key ORDER BY table_name',
  );
  return rows;
}

/** Rows of `table` whose mark differs from the rule (DISTINCT ON the cell key over standing releases). */
async function wrongMarks({ table, key }: CubeTable): Promise<number> {
  const cell = key.map((column) => pg.escapeIdentifier(column)).join(', ');
  const { rows } = await hub.db.pool.query<{ wrong: number }>(
    `WITH latest AS (
       SELECT DISTINCT ON (${cell}) o.id FROM ${pg.escapeIdentifier(table)} o JOIN "release" r ON r.id = o.release_id
       WHERE r.withdrawn_at IS NULL
       ORDER BY ${cell}, r.published_at DESC, r.created_at DESC, r.id DESC, o.id)
     SELECT count(*)::int AS wrong FROM ${pg.escapeIdentifier(table)} o
     WHERE o.is_current <> (o.id IN (SELECT id FROM latest))`,
  );
  return rows[0]!.wrong;
}

const currentValue = async (release: string) => {
  const { rows } = await hub.db.pool.query<{ value: number; is_current: boolean }>(
    `SELECT value, is_current FROM death_observation WHERE release_id = $1 AND region_code = '0' AND year = 2023
       AND measure = 'DEATHS' AND sex = 'ALL' AND age_group_code = 'ALL' AND cause_code = 'ALL' AND intent_code = 'ALL'`,
    [release],
  );
  return rows[0];
};

/**
 * Stores, on `client`, a mortality release of one cell (Norway's deaths in 2023) with `value`,
 * dated `publishedAt` and public from 08:00 Oslo time that day.
 */
async function storeDeaths(client: pg.ClientBase, id: string, value: number, publishedAt: string) {
  await client.query(
    `INSERT INTO "release" (id, source_id, label, status, published_at, published_at_precision, publisher, public_from)
     VALUES ($1, 'mortality', $1, 'FINAL', $2, 'DAY', 'test', ($2::date + time '08:00') AT TIME ZONE 'Europe/Oslo')`,
    [id, publishedAt],
  );
  await client.query(
    `INSERT INTO death_observation (release_id, measure, year_from, year, region_code, sex, age_group_code, cause_code,
       intent_code, value, status, qualifier)
     VALUES ($1, 'DEATHS', 2023, 2023, '0', 'ALL', 'ALL', 'ALL', 'ALL', $2, 'NORMAL', 'EXACT')`,
    [id, value],
  );
}

/** storeDeaths in a transaction of its own; the hub hears of the release before it returns. */
async function publishDeaths(id: string, value: number, publishedAt: string) {
  const client = await hub.db.pool.connect();
  try {
    await client.query('BEGIN');
    await storeDeaths(client, id, value, publishedAt);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
  await hub.hub.events.refresh();
}

describe('the current row of each cell', () => {
  it("is kept for every cube table by the table's cell key, which is its cube's", async () => {
    const tables = await cubeTables();
    const cubes = sourceModules.flatMap((source) => source.tables).filter((table) => cubeOfTable(table));
    expect(tables.map(({ table }) => table)).toEqual([...cubes].sort());
    for (const { table, key } of tables) {
      const cube = cubeOfTable(table)!;
      expect([...key].sort(), table).toEqual(
        cellColumns(cube)
          .map(({ column }) => column)
          .sort(),
      );
    }
  });

  it('is marked as the rule picks it in every cube table of the bundled data', async () => {
    for (const table of await cubeTables()) expect(await wrongMarks(table), table.table).toBe(0);
  });

  it('stays with the later release when a release dated earlier prints the cell', async () => {
    await publishDeaths('test-current-later', 901, '2026-11-01');
    await publishDeaths('test-current-earlier', 902, '2026-10-01');
    expect(await currentValue('test-current-later')).toEqual({ value: 901, is_current: true });
    expect(await currentValue('test-current-earlier')).toEqual({ value: 902, is_current: false });
    for (const table of await cubeTables()) expect(await wrongMarks(table), table.table).toBe(0);
  });

  it('moves to the previous release when the release is withdrawn, and back when that is undone', async () => {
    await hub.db.pool.query(`UPDATE "release" SET withdrawn_at = now() WHERE id = 'test-current-later'`);
    expect(await currentValue('test-current-later')).toEqual({ value: 901, is_current: false });
    expect(await currentValue('test-current-earlier')).toEqual({ value: 902, is_current: true });
    for (const table of await cubeTables()) expect(await wrongMarks(table), table.table).toBe(0);
    await hub.db.pool.query(`UPDATE "release" SET withdrawn_at = NULL WHERE id = 'test-current-later'`);
    expect(await currentValue('test-current-later')).toEqual({ value: 901, is_current: true });
    for (const table of await cubeTables()) expect(await wrongMarks(table), table.table).toBe(0);
  });

  it('moves to the previous row when the current one is deleted', async () => {
    await hub.db.pool.query(`DELETE FROM death_observation WHERE release_id = 'test-current-later'`);
    expect(await currentValue('test-current-earlier')).toEqual({ value: 902, is_current: true });
    for (const table of await cubeTables()) expect(await wrongMarks(table), table.table).toBe(0);
  });

  // The embedded database is one connection: its transactions never overlap.
  it.skipIf(!process.env.DATABASE_URL)(
    'is one row when two transactions store a release of the same cell at the same time',
    async () => {
      const first = await hub.db.pool.connect();
      const second = await hub.db.pool.connect();
      try {
        await first.query('BEGIN');
        await second.query('BEGIN');
        await storeDeaths(first, 'test-current-first', 903, '2026-11-20');
        // The second writer's marking waits for the first to commit, then ranks its rows too.
        const storing = storeDeaths(second, 'test-current-second', 904, '2026-11-10');
        await new Promise((resolve) => setTimeout(resolve, 200));
        await first.query('COMMIT');
        await storing;
        await second.query('COMMIT');
      } finally {
        first.release();
        second.release();
      }
      expect(await currentValue('test-current-first')).toEqual({ value: 903, is_current: true });
      expect(await currentValue('test-current-second')).toEqual({ value: 904, is_current: false });
      for (const table of await cubeTables()) expect(await wrongMarks(table), table.table).toBe(0);
    },
  );
});

describe('a cube statement', () => {
  const DEATHS = '{ drugDeaths(from: 2023, to: 2023) { year value } }';
  const statementOf = async (query: string) => {
    hub.statements.length = 0;
    const { data } = await hub.query<{ drugDeaths: { year: number; value: number }[] }>(query);
    const statement = hub.statements.find((sql) => sql.includes('FROM "death_observation" o'));
    return { statement: statement ?? '', value: data?.drugDeaths[0]?.value };
  };

  it('reads the marked rows while every standing release is public', async () => {
    await publishDeaths('test-current-newest', 906, '2026-11-25');
    const { statement, value } = await statementOf(DEATHS);
    expect(statement).toContain('o.is_current');
    expect(statement).not.toContain('array_position');
    expect(value).toBe(906);
  });

  it('ranks the visible releases while a release is under embargo, and the marks again once it is public', async () => {
    await publishDeaths('test-current-embargoed', 905, '2026-12-03');
    expect(await currentValue('test-current-embargoed')).toEqual({ value: 905, is_current: true });
    const before = await statementOf(DEATHS);
    expect(before.statement).toContain('array_position');
    expect(before.value).toBe(906);
    now = new Date('2026-12-03T07:00:00Z');
    const after = await statementOf(DEATHS);
    expect(after.statement).toContain('o.is_current');
    expect(after.value).toBe(905);
  });

  it('ranks the releases published by the date asked for with asOf', async () => {
    const { statement, value } = await statementOf(
      '{ drugDeaths(from: 2023, to: 2023, asOf: "2026-11-26") { year value } }',
    );
    expect(statement).toContain('array_position');
    expect(value).toBe(906);
  });
});
