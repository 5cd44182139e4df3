import { join } from 'node:path';
import { z } from 'zod';
import { readCodelistCodes } from '../../dimensions/codelists.ts';
import { cell, parseCsv, readCsvFile } from '../../importing/csv.ts';
import { bundleByRelease, codeOf, DATA_DIR, readReleasesFile, readSourceFile, releaseOf } from '../../importing/source-files.ts';
import type { ReleaseBundle, ReleaseRecord } from '../source-module.ts';

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

type Codes = Map<string, string[]>;

const provenance = {
  value: cell.number,
  qualifier: cell.oneOf(QUALIFIERS),
  reference: cell.text,
  note: cell.optionalText,
};

/** The columns of one cell of deaths.csv (and of an uploaded deaths file), without the release. */
const deathColumns = (codes: Codes) => ({
  measure: cell.oneOf(DEATH_MEASURES),
  year: cell.year,
  year_from: cell.optionalYear,
  region: codeOf(codes.get('region'), 'region code'),
  sex: cell.oneOf(SEXES),
  age_group: codeOf(codes.get('age_group'), 'age group'),
  cause: codeOf(codes.get('death_cause'), 'cause'),
  intent: codeOf(codes.get('death_intent'), 'intent'),
  ...provenance,
});

type DeathCell = z.infer<z.ZodObject<ReturnType<typeof deathColumns>>>;

const DEATH_TABLE = 'death_observation';
const DEATH_TABLE_COLUMNS = ['measure', 'year_from', 'year', 'region_code', 'sex', 'age_group_code', 'cause_code', 'intent_code', 'value', 'status', 'qualifier', 'reference', 'note'];
const deathValues = (d: DeathCell) => [d.measure, d.year_from ?? d.year, d.year, d.region, d.sex, d.age_group, d.cause, d.intent, d.value, 'NORMAL', d.qualifier, d.reference, d.note];

/**
 * Reads the mortality files (releases.csv, deaths.csv, rates.csv under `dir`), validates every
 * cell (codes, numbers, release ids; errors name file, line and column) and groups them by release.
 */
export function readMortalityReleases(dir = MORTALITY_DATA_DIR): ReleaseBundle[] {
  const codes = readCodelistCodes();
  const releases = readReleasesFile(join(dir, 'releases.csv'));
  const release = releaseOf(releases);

  const deaths = readCsvFile(join(dir, 'deaths.csv'), z.object({ release, ...deathColumns(codes) }));
  const rates = readCsvFile(
    join(dir, 'rates.csv'),
    z.object({
      release,
      year: cell.year,
      region: codeOf(codes.get('region'), 'region code'),
      sex: cell.oneOf(SEXES),
      standard: codeOf(codes.get('standard_population'), 'standard population'),
      ...provenance,
    }),
  );

  return bundleByRelease(releases, [
    { table: DEATH_TABLE, columns: DEATH_TABLE_COLUMNS, rows: deaths.map((d) => ({ release: d.release, values: deathValues(d) })) },
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

export const MORTALITY_UPLOAD_LAYOUT = `CSV with the header ${Object.keys(deathColumns(new Map())).join(',')} (the layout of prisma/data/mortality/deaths.csv without its release column)`;

/** Reads an uploaded deaths file as the observations of a new release. */
export function parseMortalityUpload(text: string, fileName: string, release: ReleaseRecord): ReleaseBundle {
  const cells = parseCsv(text, fileName, z.object(deathColumns(readCodelistCodes())));
  return { release, observations: [{ table: DEATH_TABLE, columns: DEATH_TABLE_COLUMNS, rows: cells.map(deathValues) }] };
}

export const readMortalitySource = (dir = MORTALITY_DATA_DIR) => readSourceFile(dir);
