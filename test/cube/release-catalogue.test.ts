import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CubeQuery, CubeRow } from '../../src/cube/definition.ts';
import { selectCells } from '../../src/cube/query.ts';
import { type ReadView, visibleSql } from '../../src/cube/read-view.ts';
import { ReleaseCatalogue } from '../../src/cube/release-catalogue.ts';
import type { Database } from '../../src/db/database.ts';
import { applyMigrations } from '../../src/db/migrate.ts';
import { loadBundledData } from '../../src/publishing/bundled.ts';
import { createReleaseEvents, type ReleaseEvents } from '../../src/publishing/events.ts';
import { readContext } from '../../src/server/read-context.ts';
import { deathsCube } from '../../src/sources/mortality/cubes.ts';
import { openTestDatabase, TEST_DATE } from '../helpers/hub.ts';

// Cube statements take the releases a request may see from the hub's catalogue, latest first, as
// one array parameter. These tests hold it to the rule as SQL states it over the release table
// (visibleSql, published by asOf, not withdrawn by then, latest by published_at, created_at, id),
// on the bundled data with a release withdrawn and another one under embargo.

const EMBARGOED = 'test-mortality-embargoed';
const WITHDRAWN_AT = '2026-06-15T10:00:00Z';
let db: Database;
let drop: () => Promise<void>;
let events: ReleaseEvents;
let catalogue: ReleaseCatalogue;
let withdrawn: string;

/**
 * Stores a mortality release public from `publicFrom` (dated that day) that prints every death
 * cell of release `of`, each value raised by `raise`.
 */
async function storeRevision(id: string, publicFrom: string, of: string, raise: number): Promise<void> {
  await db.pool.query(
    `INSERT INTO "release" (id, source_id, label, status, published_at, published_at_precision, publisher, public_from)
     VALUES ($1, 'mortality', $1, 'FINAL', $2::timestamptz::date, 'DAY', 'test', $2)`,
    [id, publicFrom],
  );
  await db.pool.query(
    `INSERT INTO death_observation (release_id, measure, year_from, year, region_code, sex, age_group_code, cause_code,
       intent_code, value, status, qualifier, reference, note)
     SELECT $1, measure, year_from, year, region_code, sex, age_group_code, cause_code, intent_code, value + $3,
       status, qualifier, reference, note
     FROM death_observation WHERE release_id = $2`,
    [id, of, raise],
  );
}

beforeAll(async () => {
  ({ db, drop } = await openTestDatabase());
  await applyMigrations(db.pool);
  await loadBundledData(db);
  const { rows } = await db.pool.query<{ id: string }>(
    `SELECT id FROM "release" WHERE source_id = 'mortality' ORDER BY published_at DESC, created_at DESC, id DESC LIMIT 1`,
  );
  withdrawn = rows[0]!.id;
  await db.pool.query(`UPDATE "release" SET withdrawn_at = $1 WHERE id = $2`, [WITHDRAWN_AT, withdrawn]);
  // A release under embargo until 10 December that revises every cell the withdrawn one printed.
  await storeRevision(EMBARGOED, '2026-12-10T07:00:00Z', withdrawn, 1000);
  events = createReleaseEvents(db, () => TEST_DATE);
  await events.ready;
  catalogue = events.snapshot().releases;
}, 120_000);

afterAll(async () => {
  await events?.close();
  await drop?.();
});

const views: [string, Pick<ReadView, 'at' | 'preRelease'>][] = [
  ['the public now', { at: TEST_DATE, preRelease: [] }],
  ['the public after the embargo', { at: new Date('2026-12-10T07:00:00Z'), preRelease: [] }],
  ['a key of the embargoed source', { at: TEST_DATE, preRelease: ['mortality'] }],
  ['a key of another source', { at: TEST_DATE, preRelease: ['survey'] }],
  ['an admin key', { at: TEST_DATE, preRelease: '*' }],
];
const days = [undefined, '2026-06-14', '2026-06-15', '2026-12-10', '2020-01-01'];

/**
 * The rule as SQL on the release aliased `r`: visible in the view, published by `day` and not
 * withdrawn by then (default: not withdrawn). Its parameters are numbered from $1.
 */
function releaseRule(view: Pick<ReadView, 'at' | 'preRelease'>, day: string | undefined) {
  const values: unknown[] = [];
  const add = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const visible = visibleSql('r', { ...view } as ReadView, add);
  const live = day
    ? `r.published_at <= ${add(day)}::date AND (r.withdrawn_at IS NULL OR r.withdrawn_at::date > ${add(day)}::date)`
    : 'r.withdrawn_at IS NULL';
  return { sql: `${visible} AND ${live}`, values };
}

/** `asOf` for a day. */
const asOfDay = (day: string | undefined) => (day ? new Date(`${day}T00:00:00Z`) : undefined);

/** The releases the rule selects, latest first, by SQL over the release table. */
async function visibleBySql(view: Pick<ReadView, 'at' | 'preRelease'>, day: string | undefined): Promise<string[]> {
  const rule = releaseRule(view, day);
  const { rows } = await db.pool.query<{ id: string }>(
    `SELECT r.id FROM "release" r WHERE ${rule.sql} ORDER BY r.published_at DESC, r.created_at DESC, r.id DESC`,
    rule.values,
  );
  return rows.map((row) => row.id);
}

/** The catalogue's answer, read back by PostgreSQL as the statement reads it. */
async function visibleByCatalogue(
  view: Pick<ReadView, 'at' | 'preRelease'>,
  day: string | undefined,
): Promise<string[]> {
  const literal = catalogue.visibleIds(view, asOfDay(day));
  const { rows } = await db.pool.query<{ id: string }>('SELECT unnest($1::text[]) AS id', [literal]);
  return rows.map((row) => row.id);
}

describe('the release catalogue', () => {
  for (const [name, view] of views) {
    it(`lists the releases the SQL rule selects, in its order, for ${name} (latest and asOf)`, async () => {
      for (const day of days) {
        const expected = await visibleBySql(view, day);
        expect(await visibleByCatalogue(view, day), `asOf ${day ?? '(none)'}`).toEqual(expected);
      }
    });
  }

  it('keeps the withdrawn release out of the latest answer and in an answer as of a day before', async () => {
    expect(await visibleByCatalogue(views[0]![1], undefined)).not.toContain(withdrawn);
    expect(await visibleByCatalogue(views[0]![1], '2026-06-14')).toContain(withdrawn);
    expect(await visibleByCatalogue(views[0]![1], '2026-06-15')).not.toContain(withdrawn);
  });

  it('shows the release under embargo to a key of its source only, until its instant', async () => {
    expect(await visibleByCatalogue(views[0]![1], undefined)).not.toContain(EMBARGOED);
    expect((await visibleByCatalogue(views[2]![1], undefined))[0]).toBe(EMBARGOED);
    expect((await visibleByCatalogue(views[1]![1], undefined))[0]).toBe(EMBARGOED);
  });
});

/** Each county's deaths (totals of sex, age, cause and intent), as selectCells is asked. */
const COUNTY_DEATHS: CubeQuery = { series: { measure: 'DEATHS' }, filters: {}, by: ['REGION'] };

type DeathRow = CubeRow & { yearFrom: number; regionCode: string; value: number | null };
const cellsOf = (
  rows: { year: number; yearFrom: number; regionCode: string; value: number | null; releaseId: string }[],
) => rows.map(({ year, yearFrom, regionCode, value, releaseId }) => ({ year, yearFrom, regionCode, value, releaseId }));

const viewOf = (view: Pick<ReadView, 'at' | 'preRelease'>, releases: ReleaseCatalogue, heard: string): ReadView => ({
  ...view,
  heard,
  saw: () => {},
  releases,
});

describe('a cube statement with the catalogue', () => {
  for (const [name, view] of views) {
    it(`answers each county's deaths as DISTINCT ON over the release table does, for ${name}`, async () => {
      for (const day of days) {
        const rule = releaseRule(view, day);
        const { rows: expected } = await db.pool.query(
          `SELECT DISTINCT ON (o.year, o.year_from, o.region_code) o.year, o.year_from AS "yearFrom",
                  o.region_code AS "regionCode", o.value, o.release_id AS "releaseId"
           FROM death_observation o JOIN "release" r ON r.id = o.release_id
           WHERE o.measure = 'DEATHS' AND o.sex = 'ALL' AND o.age_group_code = 'ALL' AND o.cause_code = 'ALL'
             AND o.intent_code = 'ALL' AND o.region_code <> '0' AND ${rule.sql}
           ORDER BY o.year, o.year_from, o.region_code, r.published_at DESC, r.created_at DESC, r.id DESC, o.id`,
          rule.values,
        );
        const rows = await selectCells<DeathRow>(
          db,
          deathsCube,
          { ...COUNTY_DEATHS, asOf: asOfDay(day) },
          viewOf(view, catalogue, events.snapshot().heard),
        );
        expect(cellsOf(rows), `asOf ${day ?? '(none)'}`).toEqual(expected);
      }
    });
  }

  it('reads again with the releases caught up when the data is newer than its catalogue', async () => {
    const query = COUNTY_DEATHS;
    const current = await selectCells<DeathRow>(
      db,
      deathsCube,
      query,
      viewOf(views[0]![1], catalogue, events.snapshot().heard),
    );
    expect(current.length).toBeGreaterThan(0);
    // A hub that has heard of no release yet: its catalogue is empty, its version older.
    const stale = viewOf(views[0]![1], new ReleaseCatalogue([]), '0');
    expect(await selectCells<DeathRow>(db, deathsCube, query, stale)).toEqual([]);
    let caughtUp = 0;
    const answer = await selectCells<DeathRow>(db, deathsCube, query, {
      ...stale,
      catchUp: async () => {
        caughtUp++;
        return catalogue;
      },
    });
    expect(caughtUp).toBe(1);
    expect(cellsOf(answer)).toEqual(cellsOf(current));
  });

  it("audits a key's read of a release under embargo stored after the request's view was made", async () => {
    const context = readContext({
      pending: undefined,
      events,
      readOnly: false,
      hasToken: true,
      apiKey: async () => ({
        id: 'key-mortality',
        name: 'mortality',
        secretHash: '',
        scopes: ['mortality'],
        createdAt: TEST_DATE,
        revokedAt: null,
      }),
    });
    const view = await context.readView();
    const late = 'test-mortality-embargoed-late';
    await storeRevision(late, '2026-12-11T07:00:00Z', EMBARGOED, 2000);
    const rows = await selectCells<DeathRow>(db, deathsCube, COUNTY_DEATHS, view);
    expect(rows.some((row) => row.releaseId === late)).toBe(true);
    expect(context.preReleaseReads.get(late)).toBe('mortality');
  });
});
