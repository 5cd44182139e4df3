import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundledReleases } from '../../src/publishing/releases.ts';
import { readWastewater, readWastewaterSource, WASTEWATER_DATA_DIR } from '../../src/sources/wastewater/importer.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

// Bundling a new release of a source is adding its files and a row in its releases.csv: no code
// changes. Here a generated "2026 release" of EUDA's files: the 2025 files renamed ww2026-*, with
// one generated row for a data year the bundled release does not have.

const GENERATED_ROW = '2025,"MDMA","AT001","AT","Graz",1.01,1.02,1.03,1.04,1.05,1.06,1.07,1.11,1.22,1.33';
let dir: string;
let hub: TestHub;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rusdata-ww2026-'));
  cpSync(WASTEWATER_DATA_DIR, dir, { recursive: true });
  mkdirSync(join(dir, 'euda-2026'));
  for (const file of readdirSync(join(dir, 'euda-2025'))) {
    const text = readFileSync(join(dir, 'euda-2025', file), 'utf8');
    const generated = file === 'ww2025-all-data.csv' ? `${text.trimEnd()}\n${GENERATED_ROW}\n` : text;
    writeFileSync(join(dir, 'euda-2026', file.replace('ww2025-', 'ww2026-')), generated);
  }
  const releases = readFileSync(join(dir, 'releases.csv'), 'utf8').trimEnd();
  const row =
    'wastewater-euda-2026,"Wastewater analysis and drugs, 2026 release",FINAL,2026-03-01,DAY,EUDA,,,euda-2026';
  writeFileSync(join(dir, 'releases.csv'), `${releases}\n${row}\n`);
  hub = await startTestHub();
});
afterAll(async () => {
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a new release of the wastewater source, bundled as files and a releases.csv row', () => {
  it('is read from its own files and stored as a new release', async () => {
    const { bundles, reference } = readWastewater(dir);
    const stored = await loadBundledReleases(hub.db.pool, readWastewaterSource(dir), bundles, reference);
    expect(stored.stored).toEqual(['wastewater-euda-2026']);
  });

  it('answers queries for the year only it has, with its file as the reference', async () => {
    const response = await hub.query<{ wastewater: unknown[] }>(
      '{ wastewater(site: ["AT001"], substance: ["MDMA"], from: 2025, to: 2025) { year value reference release { id } } }',
    );
    expect(response.data?.wastewater).toEqual([
      {
        year: 2025,
        value: 1.33,
        reference: 'EUDA, Wastewater analysis and drugs, ww2026-all-data.csv',
        release: { id: 'wastewater-euda-2026' },
      },
    ]);
  });

  it('answers the bundled release for a date before it was published', async () => {
    const response = await hub.query<{ wastewater: unknown[] }>(
      '{ wastewater(site: ["AT001"], substance: ["MDMA"], from: 2024, to: 2024, asOf: "2025-12-31") { value release { id } } }',
    );
    expect(response.data?.wastewater).toEqual([{ value: 15.53, release: { id: 'wastewater-euda-2025' } }]);
  });
});
