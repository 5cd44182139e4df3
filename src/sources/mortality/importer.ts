import { join } from 'node:path';
import { z } from 'zod';
import * as enums from '../../db/generated/prisma/enums.ts';
import { CODELIST_TABLES, readCodelistCodes } from '../../dimensions/codelists.ts';
import { cell, parseCsv, readCsvFile } from '../../importing/csv.ts';
import {
  type JsonStatMapping,
  jsonStatRows,
  rejectUnknownCodes,
  SHARED_DIMENSIONS,
  SSB_SEX_CODES,
} from '../../importing/json-stat.ts';
import {
  bundleByRelease,
  codeOf,
  DATA_DIR,
  readReleasesFile,
  readSourceFile,
  releaseOf,
} from '../../importing/source-files.ts';
import type { ReleaseBundle, ReleaseRecord } from '../../importing/source-module.ts';
import { TABLES } from './tables.ts';

export const MORTALITY_DATA_DIR = join(DATA_DIR, 'mortality');

type Codes = Map<string, string[]>;

const provenance = {
  value: cell.number,
  qualifier: cell.member(enums.Qualifier),
  reference: cell.text,
  note: cell.optionalText,
};

/** The columns of one cell of deaths.csv (and of an uploaded deaths file), without the release. */
const deathColumns = (codes: Codes) => ({
  measure: cell.member(enums.DeathMeasure),
  year: cell.year,
  year_from: cell.optionalYear,
  region: codeOf(codes.get(CODELIST_TABLES.region), 'region code'),
  sex: cell.member(enums.Sex),
  age_group: codeOf(codes.get(CODELIST_TABLES.ageGroup), 'age group'),
  cause: codeOf(codes.get(CODELIST_TABLES.deathCause), 'cause'),
  intent: codeOf(codes.get(CODELIST_TABLES.deathIntent), 'intent'),
  ...provenance,
});

type DeathCell = z.infer<z.ZodObject<ReturnType<typeof deathColumns>>>;

const DEATH_TABLE = TABLES.deaths;
const DEATH_TABLE_COLUMNS = [
  'measure',
  'year_from',
  'year',
  'region_code',
  'sex',
  'age_group_code',
  'cause_code',
  'intent_code',
  'value',
  'status',
  'qualifier',
  'reference',
  'note',
];
const deathValues = (d: DeathCell, value: number | null = d.value, status = 'NORMAL') => [
  d.measure,
  d.year_from ?? d.year,
  d.year,
  d.region,
  d.sex,
  d.age_group,
  d.cause,
  d.intent,
  value,
  status,
  d.qualifier,
  d.reference,
  d.note,
];

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
      region: codeOf(codes.get(CODELIST_TABLES.region), 'region code'),
      sex: cell.member(enums.Sex),
      standard: codeOf(codes.get(CODELIST_TABLES.standardPopulation), 'standard population'),
      standard_origin: cell.member(enums.AttributeOrigin),
      ...provenance,
    }),
  );

  return bundleByRelease(releases, [
    {
      table: DEATH_TABLE,
      columns: DEATH_TABLE_COLUMNS,
      rows: deaths.map((d) => ({ release: d.release, values: deathValues(d) })),
    },
    {
      table: TABLES.rates,
      columns: [
        'year',
        'region_code',
        'sex',
        'standard_code',
        'standard_origin',
        'value',
        'status',
        'qualifier',
        'reference',
        'note',
      ],
      rows: rates.map((r) => ({
        release: r.release,
        values: [
          r.year,
          r.region,
          r.sex,
          r.standard,
          r.standard_origin,
          r.value,
          'NORMAL',
          r.qualifier,
          r.reference,
          r.note,
        ],
      })),
    },
  ]);
}

export const MORTALITY_UPLOAD_LAYOUT =
  `CSV with the header ${Object.keys(deathColumns(new Map())).join(',')} (the layout of prisma/data/mortality/deaths.csv ` +
  `without its release column), or a JSON-stat 2.0 dataset with dimensions year/Tid and region/fylke (and ` +
  `optionally sex/Kjonn, age/alder, cause, intent, measure)`;

/** Reads an uploaded deaths file (CSV, or JSON-stat 2.0 when it is JSON) as the observations of a new release. */
export function parseMortalityUpload(text: string, fileName: string, release: ReleaseRecord): ReleaseBundle {
  if (text.trimStart().startsWith('{')) return parseMortalityJsonStat(text, fileName, release);
  const cells = parseCsv(text, fileName, z.object(deathColumns(readCodelistCodes())));
  return {
    release,
    observations: [{ table: DEATH_TABLE, columns: DEATH_TABLE_COLUMNS, rows: cells.map((c) => deathValues(c)) }],
  };
}

// JSON-stat dimension names (SSB's and FHI's, and ours); SSB codes sex 0 (both), 1 (men), 2 (women).
const JSON_STAT: JsonStatMapping = {
  dimensions: {
    ...SHARED_DIMENSIONS.year,
    region: 'region',
    fylke: 'region',
    geo: 'region',
    ...SHARED_DIMENSIONS.sexAndAge,
    cause: 'cause',
    stofftype: 'cause',
    intent: 'intent',
    intensjon: 'intent',
    measure: 'measure',
    ...SHARED_DIMENSIONS.contents('measure'),
  },
  required: ['year', 'region'],
  defaults: {
    measure: 'DEATHS',
    year_from: '',
    sex: 'ALL',
    age_group: 'ALL',
    cause: 'ALL',
    intent: 'ALL',
    qualifier: 'EXACT',
    note: '',
  },
  codes: { sex: SSB_SEX_CODES },
};

/**
 * Reads a JSON-stat 2.0 dataset of drug-induced deaths: its dimensions map to ours by name
 * (year/Tid, region/fylke, sex/Kjonn, ...; absent ones are totals), and every category code
 * must be one of ours. All unknown codes are listed in one error.
 */
export function parseMortalityJsonStat(text: string, fileName: string, release: ReleaseRecord): ReleaseBundle {
  const schema = z.object(deathColumns(readCodelistCodes()));
  const unknown = new Map<string, Set<string>>();
  const rows = jsonStatRows(text, fileName, JSON_STAT).flatMap((row) => {
    const value = row.values.value ?? null;
    const record = { ...row.columns, value: String(value ?? 0), reference: `${fileName} (JSON-stat)` };
    const parsed = schema.safeParse(record);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const column = String(issue.path[0]);
        unknown.set(column, (unknown.get(column) ?? new Set()).add((record as Record<string, string>)[column] ?? ''));
      }
      return [];
    }
    return [deathValues(parsed.data, value, row.status)];
  });
  rejectUnknownCodes(fileName, unknown);
  return { release, observations: [{ table: DEATH_TABLE, columns: DEATH_TABLE_COLUMNS, rows }] };
}

export const readMortalitySource = (dir = MORTALITY_DATA_DIR) => readSourceFile(dir);
