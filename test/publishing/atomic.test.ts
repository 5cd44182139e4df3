import { expect, it } from 'vitest';
import { publishRelease } from '../../src/publishing/publish.ts';
import { sourceModules } from '../../src/sources/registry.ts';
import { largeEudaFile } from '../helpers/fixtures.ts';
import { useTestHub } from '../helpers/hub.ts';

const hub = useTestHub();

const state = async () =>
  (
    await hub.db.pool.query<{ observations: number; releases: number }>(
      'SELECT (SELECT count(*)::int FROM wastewater_observation) AS observations, (SELECT count(*)::int FROM release) AS releases',
    )
  ).rows[0]!;

const publishBig = (label: string, content: string, onProgress?: (written: number) => void) =>
  publishRelease(hub.db, sourceModules, {
    sourceId: 'wastewater',
    fileName: `${label}.csv`,
    content,
    release: { label, status: 'FINAL', published_at: '2026-11-03', publisher: 'test' },
    actor: 'test',
    onProgress,
  });

// Its time limit guards against a hang only: 100 000 rows on the embedded database take tens of seconds on a busy machine.
it('leaves the database exactly as before when writing fails at observation 90 001 of 100 000', async () => {
  const before = await state();
  // The file is sound; the database refuses the row of line 9 002 (year 2800), observation 90 001,
  // after four batches of 20 000 rows were written in the same transaction.
  await hub.db.pool.query(
    'CREATE FUNCTION test_refuse_row() RETURNS trigger LANGUAGE plpgsql AS ' +
      "$$ BEGIN RAISE EXCEPTION 'test: the database refuses year %', NEW.year; END $$",
  );
  await hub.db.pool.query(
    'CREATE TRIGGER test_refuse_year BEFORE INSERT ON wastewater_observation ' +
      'FOR EACH ROW WHEN (NEW.year = 2800) EXECUTE FUNCTION test_refuse_row()',
  );
  try {
    const written: number[] = [];
    const publish = publishBig('refused', largeEudaFile(10_000), (done) => written.push(done));
    await expect(publish).rejects.toThrow(/the database refuses year 2800/);
    expect(written.at(-1)).toBe(80_000);
  } finally {
    await hub.db.pool.query('DROP TRIGGER test_refuse_year ON wastewater_observation');
    await hub.db.pool.query('DROP FUNCTION test_refuse_row()');
  }
  expect(await state()).toEqual(before);
}, 240_000);

it('refuses a file that gives a cell twice before it writes anything', async () => {
  const before = await state();
  // Line 9 002 repeats line 2 (same site, metabolite and year): its 10 observations repeat 1-10.
  const lines = largeEudaFile(10_000).split('\n');
  lines[9001] = lines[1]!;
  await expect(publishBig('duplicated', lines.join('\n'))).rejects.toThrow(
    /duplicated\.csv gives the same cell twice \(.*: observations 1 and 90001\); nothing was stored/,
  );
  expect(await state()).toEqual(before);
});
