import { join } from 'node:path';
import { z } from 'zod';
import type { SqlValue } from '../../db/bulk.ts';
import * as enums from '../../db/generated/prisma/enums.ts';
import { cell, readCsvFile } from '../../importing/csv.ts';
import { codeOf, releaseOf } from '../../importing/source-files.ts';
import type { ReleaseRecord } from '../../importing/source-module.ts';
import { type Codes, DISTRIBUTIONS, distributionValues, prevalenceValues, type Row } from './cells.ts';

// The survey files transcribed by hand from the report's text and from earlier publications
// (README-text.md says how): each row names its release.

export const TREND_TEST_COLUMNS = [
  'substance_code',
  'recalls',
  'year_from',
  'year_to',
  'direction',
  'p_value',
  'p_qualifier',
  'adjusted_for',
  'reference',
  'note',
];
export const WAVE_COLUMNS = [
  'year',
  'drawn_sample',
  'sample_age_from',
  'sample_age_to',
  'removals',
  'gross_sample',
  'respondents',
  'response_rate',
  'web_share',
  'phone_share',
  'non_contact_share',
  'fieldwork_start',
  'fieldwork_end',
  'notes_nb',
  'notes_en',
  'reference',
] as const;

/** Prevalence figures printed in the report text (report-text.csv) and in earlier publications (published-points.csv). */
export function readPrintedPrevalence(dir: string, releases: Map<string, ReleaseRecord>, codes: Codes): Row[] {
  const printedPrevalence = z.object({
    release: releaseOf(releases),
    year: cell.year,
    substance: codeOf(codes.substance, 'substance'),
    recall: cell.member(enums.Recall),
    sex: cell.member(enums.Sex),
    age_group: codeOf(codes.ageGroup, 'age group'),
    value: cell.number.refine((v) => v >= 0 && v <= 100, 'a percentage must be between 0 and 100'),
    qualifier: cell.member(enums.Qualifier),
    reference: cell.text,
    note: cell.optionalText,
  });
  return ['report-text.csv', 'published-points.csv'].flatMap((file) =>
    readCsvFile(join(dir, file), printedPrevalence).map(({ release, age_group, ...row }) => ({
      release,
      values: prevalenceValues({
        ...row,
        ageGroup: age_group,
        ciLow: null,
        ciHigh: null,
        respondents: null,
        users: null,
        status: 'NORMAL',
      }),
    })),
  );
}

/** Distribution figures printed in the report text (report-distributions.csv). */
export function readPrintedDistributions(dir: string, releases: Map<string, ReleaseRecord>, codes: Codes): Row[] {
  const printedDistribution = z.object({
    release: releaseOf(releases),
    year: cell.year,
    distribution: cell.oneOf(DISTRIBUTIONS),
    measure: cell.member(enums.DistributionMeasure),
    sex: cell.member(enums.Sex),
    age_group: codeOf(codes.ageGroup, 'age group'),
    category: cell.text,
    value: cell.number,
    qualifier: cell.member(enums.Qualifier),
    reference: cell.text,
    note: cell.optionalText,
  });
  return readCsvFile(join(dir, 'report-distributions.csv'), printedDistribution).map(
    ({ release, age_group, ...row }) => ({
      release,
      values: distributionValues({ ...row, ageGroup: age_group, count: null, status: 'NORMAL' }),
    }),
  );
}

/** The report's trend tests (trend-tests.csv). */
export function readTrendTests(dir: string, releases: Map<string, ReleaseRecord>, codes: Codes): Row[] {
  const trendTest = z.object({
    release: releaseOf(releases),
    substance: codeOf(codes.substance, 'substance'),
    // One printed test may cover several recall periods ("|" between them): it stays one test.
    recalls: z
      .string()
      .transform((value) => value.split('|').map((recall) => recall.trim()))
      .pipe(z.array(cell.member(enums.Recall)).min(1)),
    year_from: cell.year,
    year_to: cell.year,
    direction: cell.oneOf(['INCREASE', 'DECREASE', 'NO_CHANGE']),
    p_value: cell.number,
    p_qualifier: cell.member(enums.Qualifier),
    adjusted_for: cell.text,
    reference: cell.text,
    note: cell.optionalText,
  });
  return readCsvFile(join(dir, 'trend-tests.csv'), trendTest).map((t) => ({
    release: t.release,
    values: [
      t.substance,
      t.recalls,
      t.year_from,
      t.year_to,
      t.direction,
      t.p_value,
      t.p_qualifier,
      t.adjusted_for,
      t.reference,
      t.note,
    ],
  }));
}

/** The method facts and comparability notes of each survey year (waves.csv); "|" separates notes. */
export function readWaves(dir: string, releases: Map<string, ReleaseRecord>): Row[] {
  const notes = z
    .string()
    .transform((value) => (value.trim() === '' ? [] : value.split('|').map((note) => note.trim())));
  const optionalDate = z.union([cell.date, z.literal('')]).transform((v) => v || null);
  const wave = z.object({
    release: releaseOf(releases),
    year: cell.year,
    drawn_sample: cell.optionalNumber,
    sample_age_from: cell.optionalNumber,
    sample_age_to: cell.optionalNumber,
    removals: cell.optionalNumber,
    gross_sample: cell.optionalNumber,
    respondents: cell.optionalNumber,
    response_rate: cell.optionalNumber,
    web_share: cell.optionalNumber,
    phone_share: cell.optionalNumber,
    non_contact_share: cell.optionalNumber,
    fieldwork_start: optionalDate,
    fieldwork_end: optionalDate,
    notes_nb: notes,
    notes_en: notes,
    reference: cell.text,
  });
  return readCsvFile(join(dir, 'waves.csv'), wave).map((w) => ({
    release: w.release,
    values: WAVE_COLUMNS.map((column): SqlValue => w[column]),
  }));
}
