import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { onlyRounds } from '../../src/sources/wastewater/city-charts.ts';
import { readWastewater, WASTEWATER_DATA_DIR } from '../../src/sources/wastewater/importer.ts';

// Reading the report's city charts (chapter 6): the rules that need no database.

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

function copyWith(edit: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'rusdata-charts-'));
  cpSync(WASTEWATER_DATA_DIR, dir, { recursive: true });
  copies.push(dir);
  edit(dir);
  return dir;
}

describe('the city charts', () => {
  it('refuse a 0 that the page does not describe as below the limit of quantification', () => {
    const dir = copyWith((d) => {
      const path = join(d, 'city-chart-statements.csv');
      const lines = readFileSync(path, 'utf8').split('\n');
      writeFileSync(path, lines.filter((line) => !line.startsWith('13,Trondheim,H25,')).join('\n'));
    });
    expect(() => readWastewater(dir)).toThrow(
      /ww_fig13_metamfetamin_weekly-mean_by-city\.csv, line 13, column "value": a 0 that the page does not describe as below the limit of quantification/,
    );
  });

  it('count a whole number less than one unit from the earlier value as rounding, and nothing more', () => {
    const euda = (value: number | null) => ({ value, publishedAt: '2025-01-01' });
    expect([onlyRounds(672, euda(672.16)), onlyRounds(515, euda(515.61)), onlyRounds(0, euda(0))]).toEqual([
      true,
      true,
      true,
    ]);
    expect([onlyRounds(514, euda(515.61)), onlyRounds(1, euda(5.74)), onlyRounds(157, euda(null))]).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('store 16 of the 123 spring 2024 cells: the others only round EUDA values', () => {
    const { bundles } = readWastewater();
    const charts = bundles.find((bundle) => bundle.release.id === 'wastewater-report-2026-city-charts');
    const table = charts?.observations.find((o) => o.table === 'wastewater_observation');
    const column = (name: string) => table?.columns.indexOf(name) ?? -1;
    const spring2024 = table?.rows.filter(
      (row) => row[column('year')] === 2024 && row[column('campaign')] === 'SPRING',
    );
    expect(spring2024).toHaveLength(16);
    expect(table?.rows).toHaveLength(492 - 123 + 16); // 21 charts, 492 cells
  });
});
