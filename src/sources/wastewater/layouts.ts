import { parse } from 'csv-parse/sync';
import type { SqlValue } from '../../db/bulk.ts';
import type * as enums from '../../db/generated/prisma/enums.ts';
import { InputFileError } from '../../importing/csv.ts';

// The layouts of the wastewater files: EUDA's multi-city study files (data, site table, changes,
// aggregated trends) and the per-day file of an earlier release. A file's layout is told by its
// first column, so a new release's files need no code, only a row in releases.csv.

export type Layout = 'data' | 'sites' | 'changes' | 'trends' | 'perDay';

/** The layout a file's header announces (by its first column), or undefined. */
export function layoutOf(header: readonly string[]): Layout | undefined {
  const byFirstColumn: Record<string, Layout> = {
    Year: 'data',
    SiteID: 'sites',
    country: 'changes',
    metabolite: 'trends',
    year: 'perDay',
  };
  return byFirstColumn[header[0] ?? ''];
}

/** A file's rows as text cells, its header first. */
export function csvRows(text: string, file: string): string[][] {
  try {
    return parse(text, { bom: true, skip_empty_lines: true });
  } catch (error) {
    throw new InputFileError(
      file,
      (error as { lines?: number }).lines,
      undefined,
      `not valid CSV (${(error as Error).message})`,
    );
  }
}

export interface FileRecord {
  line: number;
  record: Record<string, string>;
}

/** The records of a file whose header must be exactly `expected`. */
export function records(rows: readonly string[][], file: string, expected: readonly string[]): FileRecord[] {
  const [header, ...data] = rows;
  if (!header || header.join(',') !== expected.join(',')) {
    throw new InputFileError(
      file,
      1,
      undefined,
      `the header must be "${expected.join(',')}", found "${(header ?? []).join(',')}"`,
    );
  }
  return data.map((cells, index) => ({
    line: index + 2,
    record: Object.fromEntries(expected.map((column, i) => [column, cells[i] ?? ''])),
  }));
}

/** A load as published: blank is no sample (MISSING), 0 is below the limit of quantification. */
export function load(
  file: string,
  line: number,
  column: string,
  raw: string,
): { value: number | null; status: 'NORMAL' | 'MISSING' | 'BELOW_LOQ' } {
  const text = raw.trim();
  if (text === '') return { value: null, status: 'MISSING' };
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    throw new InputFileError(file, line, column, `must be a non-negative number or empty (found "${raw}")`);
  }
  return { value, status: value === 0 ? 'BELOW_LOQ' : 'NORMAL' };
}

export const year = (file: string, line: number, column: string, text: string) => {
  if (!/^\d{4}$/.test(text.trim()))
    throw new InputFileError(file, line, column, `must be a four-digit year (found "${text}")`);
  return Number(text);
};

/** "Oslo (2)" -> city "Oslo", note "(2)": EUDA's footnote markers are kept apart from the name. */
export function splitFootnote(city: string): { city: string; note: string | null } {
  const match = /^(.*?)\s*(\([^)]*\))\s*$/.exec(city.trim());
  return match?.[1] !== undefined && match[2] !== undefined
    ? { city: match[1], note: match[2] }
    : { city: city.trim(), note: null };
}

export const orNull = (value: string | undefined) =>
  value === undefined || value.trim() === '' || value.trim() === 'N/A' ? null : value.trim();

/** A cell a header check has made sure of (records() fills every expected column). */
export const field = (record: Record<string, string>, column: string) => record[column] ?? '';

// EUDA's column names and the statistic each holds (days in EUDA's order, Wednesday first).
export const EUDA_VALUE_COLUMNS: [string, enums.WastewaterStatistic][] = [
  ['Wednesday', 'WEDNESDAY'],
  ['Thursday', 'THURSDAY'],
  ['Friday', 'FRIDAY'],
  ['Saturday', 'SATURDAY'],
  ['Sunday', 'SUNDAY'],
  ['Monday', 'MONDAY'],
  ['Tuesday', 'TUESDAY'],
  ['Weekday mean', 'WEEKDAY_MEAN'],
  ['Weekend mean', 'WEEKEND_MEAN'],
  ['Daily mean', 'DAILY_MEAN'],
];

export const EUDA_DATA_HEADER = [
  'Year',
  'Metabolite',
  'Site ID',
  'Country',
  'City',
  ...EUDA_VALUE_COLUMNS.map(([column]) => column),
];

export const SITE_TABLE_HEADER = [
  'SiteID',
  'Country',
  'City',
  'Location',
  'Latitude',
  'Longitude',
  'Population',
  'Institution',
  'Website',
];

export const CHANGES_HEADER = [
  'country',
  'city',
  'metabolite',
  'value_current',
  'value_previous',
  'year_current',
  'year_previous',
  'change_percent',
  'change_percent2',
  'SiteID',
  'location',
  'latitude',
  'longitude',
  'population',
  'institution',
  'website',
];

/** The days of a per-day file, in EUDA's order. */
export const PER_DAY_VALUE_COLUMNS = EUDA_VALUE_COLUMNS.slice(0, 7);

export const PER_DAY_HEADER = [
  'year',
  'metabolite',
  'city',
  'site_id',
  'location',
  ...PER_DAY_VALUE_COLUMNS.map(([day]) => day),
  'n_days',
  'mean_of_days_COMPUTED',
];

/** A row to store, with the release it belongs to. */
export interface ReleaseRow {
  release: string;
  values: SqlValue[];
}
