import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { cell, InputFileError, readCsvFile } from '../../importing/csv.ts';
import { releaseOf } from '../../importing/source-files.ts';
import type { ReleaseRecord } from '../../importing/source-module.ts';

// Reads the chart-data layout of the report's web page: one CSV per chart, a row per chart
// point, with `raw_*` columns that differ by chart. charts.csv says, per file, the release it
// belongs to and where each dimension comes from: a fixed code, or `column:<name>` mapped
// through labels.csv.

const manifestRow = (releases: Map<string, ReleaseRecord>) =>
  z.object({
    release: releaseOf(releases),
    file: cell.text,
    kind: cell.oneOf(['PREVALENCE', 'TREND', 'DEBUT_AGE', 'USE_FREQUENCY']),
    figure: cell.text,
    year: cell.text,
    substance: cell.text,
    recall: cell.text,
    sex: cell.text,
    age_group: cell.text,
  });

export type ChartManifestEntry = z.infer<ReturnType<typeof manifestRow>>;

/** Reads charts.csv; each chart's release must be listed in releases.csv. */
export function readChartManifest(dir: string, releases: Map<string, ReleaseRecord>): ChartManifestEntry[] {
  return readCsvFile(join(dir, 'charts.csv'), manifestRow(releases));
}

export function readLabels(dir: string): Map<string, string> {
  const rows = readCsvFile(join(dir, 'labels.csv'), z.object({ label: cell.text, code: cell.text }));
  return new Map(rows.map((row) => [row.label, row.code]));
}

/** One chart point with its dimensions resolved to codes and its numbers parsed. */
export interface ChartPoint {
  line: number;
  record: Record<string, string>;
  dimensions: { year: number; substance: string; recall: string; sex: string; ageGroup: string };
}

/** A number cell of a chart file: empty is null; anything else must parse, or the error names file, line and column. */
export function chartNumber(
  point: ChartPoint,
  file: string,
  column: string,
  options: { integer?: boolean; required?: boolean } = {},
): number | null {
  const raw = point.record[column];
  if (raw === undefined) throw new InputFileError(file, 1, column, 'the column is missing');
  if (raw.trim() === '') {
    if (options.required) throw new InputFileError(file, point.line, column, 'a number is required here');
    return null;
  }
  const value = Number(raw);
  if (!Number.isFinite(value) || (options.integer && !Number.isInteger(value))) {
    throw new InputFileError(
      file,
      point.line,
      column,
      `must be ${options.integer ? 'a whole number' : 'a number'} (found "${raw}")`,
    );
  }
  return value;
}

/** Reads one chart file and resolves every row's dimensions through the manifest and the labels. */
export function readChart(dir: string, entry: ChartManifestEntry, labels: Map<string, string>): ChartPoint[] {
  const path = join(dir, 'charts', entry.file);
  let records: Record<string, string>[];
  try {
    records = parse(readFileSync(path, 'utf8'), { columns: true, bom: true, skip_empty_lines: true });
  } catch (error) {
    throw new InputFileError(entry.file, undefined, undefined, `not valid CSV (${(error as Error).message})`);
  }
  const resolve = (record: Record<string, string>, line: number, spec: string, what: string): string => {
    if (!spec.startsWith('column:')) return spec;
    const column = spec.slice('column:'.length);
    const label = record[column];
    if (label === undefined)
      throw new InputFileError(entry.file, 1, column, `the column named in charts.csv for ${what} is missing`);
    if (what === 'year' || what === 'age group') return label;
    const code = labels.get(label);
    if (!code)
      throw new InputFileError(
        entry.file,
        line,
        column,
        `"${label}" is not in labels.csv; known labels: ${[...labels.keys()].join(', ')}`,
      );
    return code;
  };
  return records.map((record, index) => {
    const line = index + 2;
    const year = Number(resolve(record, line, entry.year, 'year'));
    if (!Number.isInteger(year))
      throw new InputFileError(entry.file, line, entry.year, 'the year must be a whole number');
    return {
      line,
      record,
      dimensions: {
        year,
        substance: resolve(record, line, entry.substance, 'substance'),
        recall: resolve(record, line, entry.recall, 'recall'),
        sex: resolve(record, line, entry.sex, 'sex'),
        ageGroup: resolve(record, line, entry.age_group, 'age group'),
      },
    };
  });
}
