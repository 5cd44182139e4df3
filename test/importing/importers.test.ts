import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MORTALITY_DATA_DIR, readMortalityReleases } from '../../src/sources/mortality/importer.ts';
import { readSurveyReleases, SURVEY_DATA_DIR } from '../../src/sources/survey/importer.ts';

// The importers validate every cell of a file before anything is stored, and name the file,
// line and column of the first problem.

const copies: string[] = [];
afterEach(() => {
  while (copies.length) rmSync(copies.pop()!, { recursive: true, force: true });
});

function copyOf(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'rusdata-import-'));
  cpSync(dir, copy, { recursive: true });
  copies.push(copy);
  return copy;
}

/** Replaces the first occurrence of `from` on line `line` (1-based) of a file. */
function editLine(path: string, line: number, from: string | RegExp, to: string): void {
  const lines = readFileSync(path, 'utf8').split('\n');
  const edited = lines[line - 1]!.replace(from, to);
  expect(edited, 'the edit must change the line').not.toBe(lines[line - 1]);
  lines[line - 1] = edited;
  writeFileSync(path, lines.join('\n'));
}

describe('mortality importer', () => {
  it('reads every bundled release', () => {
    const bundles = readMortalityReleases();
    expect(bundles.length).toBeGreaterThan(10);
    expect(bundles.every((bundle) => bundle.observations.some((table) => table.rows.length > 0))).toBe(true);
  });

  it('rejects an unknown region code, naming file, line and column and the valid codes', () => {
    const dir = copyOf(MORTALITY_DATA_DIR);
    editLine(join(dir, 'deaths.csv'), 2, /^([^,]*,[^,]*,[^,]*,[^,]*),0,/, '$1,99,');
    expect(() => readMortalityReleases(dir)).toThrow(
      /deaths\.csv, line 2, column "region": unknown region code; valid codes: 0, 31/,
    );
  });

  it('rejects a value that is not a number', () => {
    const dir = copyOf(MORTALITY_DATA_DIR);
    editLine(join(dir, 'deaths.csv'), 2, ',342,', ',342 personer,');
    expect(() => readMortalityReleases(dir)).toThrow(/deaths\.csv, line 2, column "value": must be a number/);
  });

  it('rejects a file with a wrong header', () => {
    const dir = copyOf(MORTALITY_DATA_DIR);
    editLine(join(dir, 'rates.csv'), 1, 'standard', 'standard_population');
    expect(() => readMortalityReleases(dir)).toThrow(/rates\.csv, line 1: the header must be/);
  });
});

describe('survey importer', () => {
  it('reads the chart data, the text and the earlier publications', () => {
    const bundles = readSurveyReleases();
    const charts = bundles.find((bundle) => bundle.release.id === 'survey-report-2026-charts')!;
    const rows = Object.fromEntries(charts.observations.map((table) => [table.table, table.rows.length]));
    expect(rows).toMatchObject({ survey_prevalence: 959, survey_trend_point: 39, survey_distribution: 50 });
  });

  it('rejects a confidence interval that does not contain the value', () => {
    const dir = copyOf(SURVEY_DATA_DIR);
    editLine(
      join(dir, 'charts', 'r2026_04_fig04_utvikling-i-cannabis-2013-2025.csv'),
      2,
      ',23.3,21.2,25.3,',
      ',23.3,24.1,25.3,',
    );
    expect(() => readSurveyReleases(dir)).toThrow(
      /r2026_04_fig04_utvikling-i-cannabis-2013-2025\.csv, line 2, column "ci_low": the lower confidence limit 24\.1 is above the value 23\.3/,
    );
  });

  it('rejects a percentage above 100', () => {
    const dir = copyOf(SURVEY_DATA_DIR);
    editLine(join(dir, 'charts', 'r2026_01_fig01_illegal-drugs-2025.csv'), 2, ',26.6,24.9,28.4,', ',126.6,24.9,128.4,');
    expect(() => readSurveyReleases(dir)).toThrow(
      /r2026_01_fig01_illegal-drugs-2025\.csv, line 2, column "value": a percentage must be between 0 and 100/,
    );
  });

  it('rejects a label it cannot map to a code', () => {
    const dir = copyOf(SURVEY_DATA_DIR);
    editLine(
      join(dir, 'charts', 'r2026_04_fig04_utvikling-i-cannabis-2013-2025.csv'),
      2,
      'Noen gang,Alle',
      'Noen ganger,Alle',
    );
    expect(() => readSurveyReleases(dir)).toThrow(/line 2, column "raw_grp": "Noen ganger" is not in labels\.csv/);
  });

  it('reads a new release of chart data from a row in releases.csv and rows in charts.csv alone', () => {
    const dir = copyOf(SURVEY_DATA_DIR);
    const release = 'survey-report-2027-charts';
    const releases = readFileSync(join(dir, 'releases.csv'), 'utf8');
    writeFileSync(
      join(dir, 'releases.csv'),
      `${releases.trimEnd()}\n${release},Test release,FINAL,2027-02-01,DAY,Helsedirektoratet,,\n`,
    );
    const manifest = readFileSync(join(dir, 'charts.csv'), 'utf8').trimEnd().split('\n');
    const fig4 = manifest.find((line) => line.includes('r2026_04_fig04'))!;
    writeFileSync(join(dir, 'charts.csv'), `${[...manifest, fig4.replace(/^[^,]*/, release)].join('\n')}\n`);
    const bundle = readSurveyReleases(dir).find((b) => b.release.id === release)!;
    const prevalence = bundle.observations.find((table) => table.table === 'survey_prevalence')!;
    expect(prevalence.rows.length).toBeGreaterThan(0);
    // A FINAL release's chart values are NORMAL, a PRELIMINARY one's PROVISIONAL.
    const status = prevalence.columns.indexOf('status');
    expect(new Set(prevalence.rows.map((row) => row[status]))).toEqual(new Set(['NORMAL']));
  });

  it('rejects a chart whose release is not in releases.csv', () => {
    const dir = copyOf(SURVEY_DATA_DIR);
    editLine(join(dir, 'charts.csv'), 2, 'survey-report-2026-charts', 'survey-report-2099-charts');
    expect(() => readSurveyReleases(dir)).toThrow(
      /charts\.csv, line 2, column "release": not a release id listed in releases\.csv/,
    );
  });

  it('rejects a negative count', () => {
    const dir = copyOf(SURVEY_DATA_DIR);
    editLine(join(dir, 'charts', 'r2026_04_fig04_utvikling-i-cannabis-2013-2025.csv'), 2, ',1784,411,', ',1784,-411,');
    expect(() => readSurveyReleases(dir)).toThrow(/line 2, column "raw_n_level": a count must not be negative/);
  });
});
