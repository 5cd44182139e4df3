import { join } from 'node:path';
import { z } from 'zod';
import { readCodelistCodes } from '../../dimensions/codelists.ts';
import { cell, readCsvFile } from '../../importing/csv.ts';
import { bundleByRelease, codeOf, DATA_DIR, readReleasesFile, readSourceFile, releaseOf } from '../../importing/source-files.ts';
import type { ReleaseBundle } from '../source-module.ts';

export const MORTALITY_DATA_DIR = join(DATA_DIR, 'mortality');

export const DEATH_MEASURES = [
  'DEATHS',
  'PERCENT_OF_DEATHS',
  'MEAN_AGE',
  'CHANGE_FROM_PREVIOUS_YEAR',
  'NOT_AUTOPSIED',
  'PERCENT_NOT_AUTOPSIED',
  'MEAN_DEATHS_PER_YEAR',
] as const;

const QUALIFIERS = ['EXACT', 'ABOUT', 'NEARLY', 'JUST_OVER', 'LESS_THAN'] as const;
const SEXES = ['ALL', 'MALE', 'FEMALE'] as const;

/**
 * Reads the mortality files (releases.csv, deaths.csv, rates.csv under `dir`), validates every
 * cell (codes, numbers, release ids; errors name file, line and column) and groups them by release.
 */
export function readMortalityReleases(dir = MORTALITY_DATA_DIR): ReleaseBundle[] {
  const codes = readCodelistCodes();
  const releases = readReleasesFile(join(dir, 'releases.csv'));
  const release = releaseOf(releases);
  const region = codeOf(codes.get('region'), 'region code');
  const provenance = {
    value: cell.number,
    qualifier: cell.oneOf(QUALIFIERS),
    reference: cell.text,
    note: cell.optionalText,
  };

  const deaths = readCsvFile(
    join(dir, 'deaths.csv'),
    z.object({
      release,
      measure: cell.oneOf(DEATH_MEASURES),
      year: cell.year,
      year_from: cell.optionalYear,
      region,
      sex: cell.oneOf(SEXES),
      age_group: codeOf(codes.get('age_group'), 'age group'),
      cause: codeOf(codes.get('death_cause'), 'cause'),
      intent: codeOf(codes.get('death_intent'), 'intent'),
      ...provenance,
    }),
  );
  const rates = readCsvFile(
    join(dir, 'rates.csv'),
    z.object({
      release,
      year: cell.year,
      region,
      sex: cell.oneOf(SEXES),
      standard: codeOf(codes.get('standard_population'), 'standard population'),
      ...provenance,
    }),
  );

  return bundleByRelease(releases, [
    {
      table: 'death_observation',
      columns: ['measure', 'year_from', 'year', 'region_code', 'sex', 'age_group_code', 'cause_code', 'intent_code', 'value', 'status', 'qualifier', 'reference', 'note'],
      rows: deaths.map((d) => ({
        release: d.release,
        values: [d.measure, d.year_from ?? d.year, d.year, d.region, d.sex, d.age_group, d.cause, d.intent, d.value, 'NORMAL', d.qualifier, d.reference, d.note],
      })),
    },
    {
      table: 'death_rate_observation',
      columns: ['year', 'region_code', 'sex', 'standard_code', 'value', 'status', 'qualifier', 'reference', 'note'],
      rows: rates.map((r) => ({
        release: r.release,
        values: [r.year, r.region, r.sex, r.standard, r.value, 'NORMAL', r.qualifier, r.reference, r.note],
      })),
    },
  ]);
}

export const readMortalitySource = (dir = MORTALITY_DATA_DIR) => readSourceFile(dir);
