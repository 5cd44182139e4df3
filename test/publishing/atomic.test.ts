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

it('leaves the database exactly as before when writing fails at observation 90 000 of 100 000', async () => {
  const before = await state();
  // Line 9 001 repeats line 2 (same site, metabolite and year): its 10 observations, numbers
  // 90 001-90 010, break the release's unique key only when they are written.
  const lines = largeEudaFile(10_000).split('\n');
  lines[9001] = lines[1]!;
  const publish = publishRelease(hub.db, sourceModules, {
    sourceId: 'wastewater',
    fileName: 'broken.csv',
    content: lines.join('\n'),
    release: { label: 'broken', status: 'FINAL', published_at: '2026-11-03', publisher: 'test' },
    actor: 'test',
  });
  await expect(publish).rejects.toThrow(/broken\.csv gives the same cell twice .*nothing was stored/);
  expect(await state()).toEqual(before);
});
