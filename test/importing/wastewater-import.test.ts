import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundledData } from '../../src/publishing/bundled.ts';
import { loadBundledReleases } from '../../src/publishing/releases.ts';
import { readWastewater, readWastewaterSource, WASTEWATER_DATA_DIR } from '../../src/sources/wastewater/importer.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

const DATA_FILE = join('euda-2025', 'ww2025-all-data.csv');
const copies: string[] = [];

function copyWith(edit: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'rusdata-ww-'));
  cpSync(WASTEWATER_DATA_DIR, dir, { recursive: true });
  copies.push(dir);
  edit(dir);
  return dir;
}

function replaceInFile(path: string, from: string, to: string): void {
  const text = readFileSync(path, 'utf8');
  expect(text.includes(from), `${from} in ${path}`).toBe(true);
  writeFileSync(path, text.replace(from, to));
}

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => {
  await hub.close();
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

const count = async () =>
  (await hub.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM wastewater_observation')).rows[0]!.n;

describe('the EUDA importer rejects bad files, naming file, line and column', () => {
  it('a wrong header', () => {
    const dir = copyWith((d) => replaceInFile(join(d, DATA_FILE), '"Daily mean"', '"Mean"'));
    expect(() => readWastewater(dir)).toThrow(
      /ww2025-all-data\.csv, line 1: the header must be "Year,Metabolite,Site ID,/,
    );
  });

  it('a non-numeric value', () => {
    const dir = copyWith((d) => replaceInFile(join(d, DATA_FILE), '"Graz",8.82,', '"Graz",n/a,'));
    expect(() => readWastewater(dir)).toThrow(
      /ww2025-all-data\.csv, line 2, column "Wednesday": must be a non-negative number or empty \(found "n\/a"\)/,
    );
  });

  it('an unknown site', () => {
    const dir = copyWith((d) => replaceInFile(join(d, DATA_FILE), '"AT001","AT","Graz"', '"AT999","AT","Graz"'));
    expect(() => readWastewater(dir)).toThrow(/ww2025-all-data\.csv, line 2, column "Site ID": unknown site "AT999"/);
  });

  it('an unknown metabolite', () => {
    const dir = copyWith((d) => replaceInFile(join(d, DATA_FILE), '2024,"MDMA","AT001"', '2024,"caffeine","AT001"'));
    expect(() => readWastewater(dir)).toThrow(
      /ww2025-all-data\.csv, line 2, column "Metabolite": unknown metabolite "caffeine"; known: cocaine/,
    );
  });

  it('and stores nothing of a release that fails', async () => {
    const before = await count();
    const dir = copyWith((d) => {
      writeFileSync(
        join(d, 'releases.csv'),
        `${readFileSync(join(d, 'releases.csv'), 'utf8')}wastewater-euda-2026,EUDA 2026,FINAL,2026-03-01,DAY,EUDA,,,euda-2025\n`,
      );
    });
    const { bundles, reference } = readWastewater(dir);
    const newRelease = bundles.filter((b) => b.release.id === 'wastewater-euda-2026');
    // A row that breaks a constraint at the end of the release: the whole release rolls back.
    newRelease[0]!.observations[0]!.rows.push(newRelease[0]!.observations[0]!.rows[0]!);
    await expect(loadBundledReleases(hub.db.pool, readWastewaterSource(dir), newRelease, reference)).rejects.toThrow(
      /duplicate key/,
    );
    expect(await count()).toBe(before);
    const { rows } = await hub.db.pool.query("SELECT id FROM release WHERE id = 'wastewater-euda-2026'");
    expect(rows).toEqual([]);
  });
});

describe('re-importing', () => {
  it('the same files changes nothing', async () => {
    const before = await count();
    await loadBundledData(hub.db);
    expect(await count()).toBe(before);
  });

  it('a newer EUDA release with a changed value becomes a new release; asOf still answers the old one', async () => {
    const dir = copyWith((d) => {
      writeFileSync(
        join(d, 'releases.csv'),
        `${readFileSync(join(d, 'releases.csv'), 'utf8')
          .trim()
          .split('\n')
          .filter((l) => !l.startsWith('wastewater-euda-2025'))
          .join('\n')}\nwastewater-euda-2026,EUDA 2026,FINAL,2026-03-01,DAY,EUDA,,,euda-2025\n`,
      );
      replaceInFile(join(d, DATA_FILE), '10.27,19.47,15.53', '10.27,19.47,15.99');
    });
    const { bundles, reference } = readWastewater(dir);
    const announced = hub.hub.events.subscribe('release:changed').next();
    const result = await loadBundledReleases(hub.db.pool, readWastewaterSource(dir), bundles, reference);
    expect(result.stored).toEqual(['wastewater-euda-2026']);
    // The release table's trigger announces the load like any publish; the hub's caches follow it.
    expect((await announced).value).toMatchObject({ kind: 'PUBLISHED', releaseId: 'wastewater-euda-2026' });

    const query = (asOf: string) =>
      hub.query<{ wastewater: { value: number; release: { id: string } }[] }>(
        `{ wastewater(site: ["AT001"], substance: ["MDMA"], from: 2024, to: 2024${asOf}) { value release { id } } }`,
      );
    expect((await query('')).data!.wastewater).toEqual([{ value: 15.99, release: { id: 'wastewater-euda-2026' } }]);
    expect((await query(', asOf: "2025-12-31"')).data!.wastewater).toEqual([
      { value: 15.53, release: { id: 'wastewater-euda-2025' } },
    ]);
    // `first: N` reads cells in key order and stops: each cell still answers from its latest release.
    expect((await query(', first: 1')).data!.wastewater).toEqual([
      { value: 15.99, release: { id: 'wastewater-euda-2026' } },
    ]);
    expect((await query(', asOf: "2025-12-31", first: 1')).data!.wastewater).toEqual([
      { value: 15.53, release: { id: 'wastewater-euda-2025' } },
    ]);
  });
});
