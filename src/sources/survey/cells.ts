import type { SqlValue } from '../../db/bulk.ts';
import * as enums from '../../db/generated/prisma/enums.ts';
import { CODELIST_TABLES, readCodelistCodes } from '../../dimensions/codelists.ts';
import { InputFileError } from '../../importing/csv.ts';
import type { ReleaseRecord } from '../../importing/source-module.ts';

// What every reader of survey files shares: the columns the prevalence and distribution tables
// are loaded with, the codes a cell may use, and the check of a prevalence cell.

export const RECALLS: readonly string[] = Object.values(enums.Recall);
export const SEXES: readonly string[] = Object.values(enums.Sex);
export const DISTRIBUTIONS = ['CANNABIS_USE_FREQUENCY_12M', 'CANNABIS_USE_DAYS_4W', 'CANNABIS_DEBUT_AGE'] as const;

/** A row of one of the survey's tables, with the release it belongs to. */
export type Row = { release: string; values: SqlValue[] };

/** The codes of the shared codelists a survey cell may use. */
export interface Codes {
  substance: readonly string[];
  ageGroup: readonly string[];
}

export function readCodes(): Codes {
  const codelists = readCodelistCodes();
  return {
    substance: codelists.get(CODELIST_TABLES.substance) ?? [],
    ageGroup: codelists.get(CODELIST_TABLES.ageGroup) ?? [],
  };
}

/** Orders the categories of a distribution by the first number in them ("1-5" < "6-10" < ">50"). */
export const categoryPosition = (category: string) => Number(/\d+/.exec(category)?.[0] ?? 0);

/** The status of a value its release printed: provisional while the release is preliminary. */
export const statusOf = (release: ReleaseRecord) => (release.status === 'PRELIMINARY' ? 'PROVISIONAL' : 'NORMAL');

/** One prevalence cell, its numbers parsed. */
export interface PrevalenceCell {
  substance: string;
  recall: string;
  sex: string;
  ageGroup: string;
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  respondents: number | null;
  users: number | null;
}

/** One row of the prevalence table, by meaning. */
export interface PrevalenceRow extends PrevalenceCell {
  year: number;
  status: string;
  qualifier: string;
  reference: string;
  note: string | null;
}

/** The prevalence table's columns, each with the field of a PrevalenceRow that fills it. */
const PREVALENCE_FIELDS = {
  year: 'year',
  substance_code: 'substance',
  recall: 'recall',
  sex: 'sex',
  age_group_code: 'ageGroup',
  value: 'value',
  ci_low: 'ciLow',
  ci_high: 'ciHigh',
  respondents: 'respondents',
  users: 'users',
  status: 'status',
  qualifier: 'qualifier',
  reference: 'reference',
  note: 'note',
} as const satisfies Record<string, keyof PrevalenceRow>;

export const PREVALENCE_COLUMNS = Object.keys(PREVALENCE_FIELDS);
/** A prevalence row's values in the order of PREVALENCE_COLUMNS. */
export const prevalenceValues = (row: PrevalenceRow): SqlValue[] =>
  Object.values(PREVALENCE_FIELDS).map((field) => row[field]);

/** One row of the distribution table, by meaning (its position follows from its category). */
export interface DistributionRow {
  distribution: string;
  measure: string;
  year: number;
  sex: string;
  ageGroup: string;
  category: string;
  value: number;
  count: number | null;
  status: string;
  qualifier: string;
  reference: string;
  note: string | null;
}

/** The distribution table's columns, each with the field of a DistributionRow that fills it. */
const DISTRIBUTION_FIELDS = {
  distribution: 'distribution',
  measure: 'measure',
  year: 'year',
  sex: 'sex',
  age_group_code: 'ageGroup',
  category: 'category',
  position: 'position',
  value: 'value',
  count: 'count',
  status: 'status',
  qualifier: 'qualifier',
  reference: 'reference',
  note: 'note',
} as const satisfies Record<string, keyof DistributionRow | 'position'>;

export const DISTRIBUTION_COLUMNS = Object.keys(DISTRIBUTION_FIELDS);
/** A distribution row's values in the order of DISTRIBUTION_COLUMNS. */
export function distributionValues(row: DistributionRow): SqlValue[] {
  const withPosition = { ...row, position: categoryPosition(row.category) };
  return Object.values(DISTRIBUTION_FIELDS).map((field) => withPosition[field]);
}

/** Checks one prevalence cell: a percentage, inside its confidence interval, with sane counts and known codes. */
export function checkPrevalence(
  file: string,
  line: number,
  codes: Codes,
  cell: PrevalenceCell,
  columns: Record<keyof PrevalenceCell, string>,
): void {
  const fail = (column: string, problem: string) => {
    throw new InputFileError(file, line, column, problem);
  };
  if (!codes.substance.includes(cell.substance))
    fail(columns.substance, `unknown substance "${cell.substance}"; valid codes: ${codes.substance.join(', ')}`);
  if (!RECALLS.includes(cell.recall))
    fail(columns.recall, `unknown recall "${cell.recall}"; valid: ${RECALLS.join(', ')}`);
  if (!SEXES.includes(cell.sex)) fail(columns.sex, `unknown sex "${cell.sex}"; valid: ${SEXES.join(', ')}`);
  if (!codes.ageGroup.includes(cell.ageGroup))
    fail(columns.ageGroup, `unknown age group "${cell.ageGroup}"; valid codes: ${codes.ageGroup.join(', ')}`);
  if (cell.value !== null && (cell.value < 0 || cell.value > 100))
    fail(columns.value, `a percentage must be between 0 and 100 (found ${cell.value})`);
  if (cell.value !== null && cell.ciLow !== null && cell.ciLow > cell.value)
    fail(columns.ciLow, `the lower confidence limit ${cell.ciLow} is above the value ${cell.value}`);
  if (cell.value !== null && cell.ciHigh !== null && cell.ciHigh < cell.value)
    fail(columns.ciHigh, `the upper confidence limit ${cell.ciHigh} is below the value ${cell.value}`);
  for (const [count, column] of [
    [cell.respondents, columns.respondents],
    [cell.users, columns.users],
  ] as const) {
    if (count !== null && count < 0) fail(column, `a count must not be negative (found ${count})`);
  }
  if (cell.users !== null && cell.respondents !== null && cell.users > cell.respondents)
    fail(columns.users, `more users (${cell.users}) than respondents (${cell.respondents})`);
}
