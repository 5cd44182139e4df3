import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { SqlValue } from '../../db/bulk.ts';
import type * as enums from '../../db/generated/prisma/enums.ts';
import { CODELIST_TABLES, readCodelistCodes } from '../../dimensions/codelists.ts';
import { cell, InputFileError, readCsvFile } from '../../importing/csv.ts';
import { bundleByRelease, codeOf, DATA_DIR, readReleasesFile, readSourceFile } from '../../importing/source-files.ts';
import type { ReferenceRows, ReleaseBundle, ReleaseRecord } from '../../importing/source-module.ts';
import { type Campaign, cellKey, type EarlierValue, readCityCharts } from './city-charts.ts';
import { TABLES } from './tables.ts';

export const WASTEWATER_DATA_DIR = join(DATA_DIR, 'wastewater');
export const EUDA_RELEASE = 'wastewater-euda-2025';
export const VEAS_RELEASE = 'wastewater-emcdda-veas-2011-2021';

const EUDA_FILES = {
  data: 'ww2025-all-data.csv',
  sites: 'ww2025-site-info-table.csv',
  changes: 'ww2025-changes-all-substances.csv',
  trends: 'ww2025-aggregated-trends.csv',
};

// EUDA's column names and the statistic each holds (days in EUDA's order, Wednesday first).
const EUDA_VALUE_COLUMNS: [string, enums.WastewaterStatistic][] = [
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

/** Reads a CSV file with a header row into records, after checking the header is exactly `expected`. */
const readRecords = (path: string, expected: readonly string[]) =>
  parseRecords(readFileSync(path, 'utf8'), basename(path), expected);

function parseRecords(
  text: string,
  file: string,
  expected: readonly string[],
): { line: number; record: Record<string, string> }[] {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true });
  } catch (error) {
    throw new InputFileError(
      file,
      (error as { lines?: number }).lines,
      undefined,
      `not valid CSV (${(error as Error).message})`,
    );
  }
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
function load(
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

/**
 * The report's city charts as observation rows. Each cell is compared with the newest value the
 * other bundled releases have for it, so a chart value that only rounds EUDA's is not stored.
 */
function cityChartObservations(
  dir: string,
  releases: Map<string, ReleaseRecord>,
  stored: { release: string; values: SqlValue[] }[],
  lookups: ReturnType<typeof readLookups>,
): { release: string; values: SqlValue[] }[] {
  const column = (name: string) => OBSERVATION_COLUMNS.indexOf(name);
  const earlier = new Map<string, EarlierValue>();
  for (const { release, values } of stored) {
    const key = cellKey({
      year: values[column('year')] as number,
      site: values[column('site_code')] as string,
      metabolite: values[column('metabolite_code')] as string,
      campaign: values[column('campaign')] as Campaign,
      statistic: values[column('statistic')] as string,
    });
    const publishedAt = releases.get(release)?.published_at ?? '';
    const known = earlier.get(key);
    if (!known || known.publishedAt < publishedAt)
      earlier.set(key, { value: values[column('value')] as number | null, publishedAt });
  }
  const { cells } = readCityCharts(dir, releases, earlier);
  return cells.map((c) => {
    const metabolite = lookups.metaboliteOf('city-chart-labels.csv', 1, 'code', c.metabolite);
    return {
      release: c.release,
      values: [
        c.year,
        c.site,
        lookups.sites.countries.get(c.site) ?? null,
        metabolite.code,
        metabolite.substance,
        c.campaign,
        c.statistic,
        c.value,
        c.status,
        'EXACT',
        c.reference,
        c.note,
      ],
    };
  });
}

const WEEKEND_DAYS = ['Friday', 'Saturday', 'Sunday'];

/**
 * The VEAS file's weekend value when Friday, Saturday and Sunday carry one identical load (a
 * composite sample copied to three days, as in 2017); null otherwise. Zeros (below the limit of
 * quantification) and blanks are not copies.
 */
function weekendCopy(record: Record<string, string>): string | null {
  const [first, ...rest] = WEEKEND_DAYS.map((day) => (record[day] ?? '').trim());
  if (!first || Number(first) === 0) return null;
  return rest.every((value) => value === first) ? first : null;
}

/** "Oslo (2)" -> city "Oslo", note "(2)": EUDA's footnote markers are kept apart from the name. */
export function splitFootnote(city: string): { city: string; note: string | null } {
  const match = /^(.*?)\s*(\([^)]*\))\s*$/.exec(city.trim());
  return match ? { city: match[1]!, note: match[2]! } : { city: city.trim(), note: null };
}

const orNull = (value: string | undefined) =>
  value === undefined || value.trim() === '' || value.trim() === 'N/A' ? null : value.trim();

interface Metabolite {
  code: string;
  measuredAs: string;
  substance: string;
  aliases: string[];
}

function readMetabolites(dir: string): Metabolite[] {
  const substances = readCodelistCodes().get(CODELIST_TABLES.substance);
  return readCsvFile(
    join(dir, 'metabolites.csv'),
    z.object({
      code: cell.text,
      measured_as: cell.text,
      substance: codeOf(substances, 'substance'),
      aliases: z.string(),
    }),
  ).map((row) => ({
    code: row.code,
    measuredAs: row.measured_as,
    substance: row.substance,
    aliases: row.aliases.split('|').filter(Boolean),
  }));
}

const SITE_COLUMNS = [
  'code',
  'euda_site_id',
  'country_code',
  'city',
  'city_as_published',
  'city_note',
  'location',
  'latitude',
  'longitude',
  'population',
  'population_as_published',
  'institution',
  'website',
  'region_code',
  'note',
];

/** The sites: EUDA's site table, plus sites of earlier releases whose ids EUDA has reused. */
function readSites(dir: string): { rows: SqlValue[][]; countries: Map<string, string> } {
  const regions = new Map(
    readCsvFile(
      join(dir, 'site-regions.csv'),
      z.object({ site: cell.text, region: codeOf(readCodelistCodes().get(CODELIST_TABLES.region), 'region code') }),
    ).map((row) => [row.site, row.region]),
  );
  const file = join(dir, 'euda-2025', EUDA_FILES.sites);
  const countries = new Map<string, string>();
  const rows: SqlValue[][] = readRecords(file, [
    'SiteID',
    'Country',
    'City',
    'Location',
    'Latitude',
    'Longitude',
    'Population',
    'Institution',
    'Website',
  ]).map(({ line, record }) => {
    const number = (column: string) => {
      const text = orNull(record[column]);
      if (text === null) return null;
      const value = Number(text);
      if (!Number.isFinite(value))
        throw new InputFileError(basename(file), line, column, `must be a number (found "${text}")`);
      return value;
    };
    const { city, note } = splitFootnote(record.City!);
    const population = number('Population');
    countries.set(record.SiteID!, record.Country!);
    return [
      record.SiteID!,
      record.SiteID!,
      record.Country!,
      city,
      record.City!,
      note,
      orNull(record.Location),
      number('Latitude'),
      number('Longitude'),
      population === null ? null : Math.round(population),
      orNull(record.Population),
      orNull(record.Institution),
      orNull(record.Website),
      regions.get(record.SiteID!) ?? null,
      null,
    ];
  });
  for (const extra of readCsvFile(
    join(dir, 'sites-extra.csv'),
    z.object({
      code: cell.text,
      euda_site_id: cell.text,
      country: cell.text,
      city: cell.text,
      location: cell.text,
      region: cell.text,
      note: cell.text,
    }),
  )) {
    countries.set(extra.code, extra.country);
    rows.push([
      extra.code,
      extra.euda_site_id,
      extra.country,
      extra.city,
      extra.city,
      null,
      extra.location,
      null,
      null,
      null,
      null,
      null,
      null,
      regions.get(extra.code) ?? extra.region,
      extra.note,
    ]);
  }
  return { rows, countries };
}

const year = (file: string, line: number, column: string, text: string) => {
  if (!/^\d{4}$/.test(text.trim()))
    throw new InputFileError(file, line, column, `must be a four-digit year (found "${text}")`);
  return Number(text);
};

/** Metabolites and sites, to check and map the codes of a data file. */
function readLookups(dir: string) {
  const metabolites = readMetabolites(dir);
  const metaboliteByName = new Map(
    metabolites.flatMap((m) => [[m.code, m] as const, ...m.aliases.map((alias) => [alias, m] as const)]),
  );
  const sites = readSites(dir);
  return {
    metabolites,
    sites,
    metaboliteOf(file: string, line: number, column: string, name: string) {
      const metabolite = metaboliteByName.get(name.trim());
      if (!metabolite)
        throw new InputFileError(
          file,
          line,
          column,
          `unknown metabolite "${name}"; known: ${[...metaboliteByName.keys()].join(', ')}`,
        );
      return metabolite;
    },
    siteOf(file: string, line: number, column: string, id: string) {
      if (!sites.countries.has(id))
        throw new InputFileError(
          file,
          line,
          column,
          `unknown site "${id}": not in ${EUDA_FILES.sites} or sites-extra.csv`,
        );
      return id;
    },
  };
}

const EUDA_DATA_HEADER = [
  'Year',
  'Metabolite',
  'Site ID',
  'Country',
  'City',
  ...EUDA_VALUE_COLUMNS.map(([column]) => column),
];

/** The observations of a file in the layout of EUDA's ww*-all-data.csv: ten per row (days and published means). */
function eudaObservations(text: string, file: string, release: string, lookups: ReturnType<typeof readLookups>) {
  const observations: { release: string; values: SqlValue[] }[] = [];
  const reference = `EUDA, Wastewater analysis and drugs, ${file}`;
  for (const { line, record } of parseRecords(text, file, EUDA_DATA_HEADER)) {
    const site = lookups.siteOf(file, line, 'Site ID', record['Site ID']!);
    if (lookups.sites.countries.get(site) !== record.Country) {
      throw new InputFileError(
        file,
        line,
        'Country',
        `site ${site} is in ${lookups.sites.countries.get(site)} in the site table, not ${record.Country}`,
      );
    }
    const metabolite = lookups.metaboliteOf(file, line, 'Metabolite', record.Metabolite!);
    const y = year(file, line, 'Year', record.Year!);
    for (const [column, statistic] of EUDA_VALUE_COLUMNS) {
      const { value, status } = load(file, line, column, record[column]!);
      observations.push({
        release,
        values: [
          y,
          site,
          record.Country!,
          metabolite.code,
          metabolite.substance,
          'SPRING',
          statistic,
          value,
          status,
          'EXACT',
          reference,
          null,
        ],
      });
    }
  }
  return observations;
}

export const WASTEWATER_UPLOAD_LAYOUT = `CSV in the layout of EUDA's ww2025-all-data.csv: ${EUDA_DATA_HEADER.join(',')} (sites and metabolites as in the bundled site table)`;

/** Reads an uploaded file in EUDA's data layout as the observations of a new release. */
export function parseWastewaterUpload(
  text: string,
  fileName: string,
  release: ReleaseRecord,
  dir = WASTEWATER_DATA_DIR,
): ReleaseBundle {
  const rows = eudaObservations(text, fileName, release.id, readLookups(dir));
  return {
    release,
    observations: [{ table: TABLES.loads, columns: OBSERVATION_COLUMNS, rows: rows.map((row) => row.values) }],
  };
}

const OBSERVATION_COLUMNS = [
  'year',
  'site_code',
  'country_code',
  'metabolite_code',
  'substance_code',
  'campaign',
  'statistic',
  'value',
  'status',
  'qualifier',
  'reference',
  'note',
];

/**
 * Reads the EUDA release files exactly as EUDA publishes them (as release `eudaRelease`) and the
 * earlier Oslo (VEAS) file.
 * Every value is checked (numbers, known sites and metabolites; errors name file, line and
 * column); means are stored as published, never recomputed.
 */
export function readWastewater(
  dir = WASTEWATER_DATA_DIR,
  { eudaRelease = EUDA_RELEASE }: { eudaRelease?: string } = {},
): { bundles: ReleaseBundle[]; reference: ReferenceRows[] } {
  const releases = readReleasesFile(join(dir, 'releases.csv'));
  for (const id of [eudaRelease, VEAS_RELEASE]) {
    if (!releases.has(id)) throw new InputFileError('releases.csv', undefined, 'id', `release "${id}" is missing`);
  }
  const lookups = readLookups(dir);
  const { metabolites, sites, metaboliteOf, siteOf } = lookups;

  const observations = eudaObservations(
    readFileSync(join(dir, 'euda-2025', EUDA_FILES.data), 'utf8'),
    EUDA_FILES.data,
    eudaRelease,
    lookups,
  );

  const veasFile = 'oslo-veas-2011-2021-per-day.csv';
  const veasDays = EUDA_VALUE_COLUMNS.slice(0, 7);
  for (const { line, record } of readRecords(join(dir, veasFile), [
    'year',
    'metabolite',
    'city',
    'site_id',
    'location',
    ...veasDays.map(([day]) => day),
    'n_days',
    'mean_of_days_COMPUTED',
  ])) {
    if (record.site_id !== 'NO001' || record.location !== 'VEAS') {
      throw new InputFileError(
        veasFile,
        line,
        'site_id',
        `expected the VEAS plant (NO001, VEAS), found ${record.site_id}, ${record.location}`,
      );
    }
    const metabolite = metaboliteOf(veasFile, line, 'metabolite', record.metabolite!);
    const y = year(veasFile, line, 'year', record.year!);
    const copied = weekendCopy(record);
    // Per-day values only: the file's mean column was computed by a third party, not published.
    for (const [day, statistic] of veasDays) {
      const { value, status } = load(veasFile, line, day, record[day]!);
      const doubtful = copied !== null && WEEKEND_DAYS.includes(day);
      observations.push({
        release: VEAS_RELEASE,
        values: [
          y,
          'NO-OSLO-VEAS',
          'NO',
          metabolite.code,
          metabolite.substance,
          'SPRING',
          statistic,
          value,
          doubtful ? 'DOUBTFUL' : status,
          'EXACT',
          `EMCDDA (earlier release), ${veasFile}`,
          doubtful
            ? `Friday, Saturday and Sunday all read ${copied}: probably one composite weekend sample copied to three days by the third-party conversion, not a measurement of each day`
            : null,
        ],
      });
    }
  }

  observations.push(...cityChartObservations(dir, releases, observations, lookups));

  const changesFile = EUDA_FILES.changes;
  const changes = readRecords(join(dir, 'euda-2025', changesFile), [
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
  ]).map(({ line, record }) => {
    const optionalNumber = (column: string) => {
      const text = orNull(record[column]);
      if (text === null) return null;
      // EUDA prints "Inf" for a change from a previous value of 0.
      const value = text === 'Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text);
      if (Number.isNaN(value))
        throw new InputFileError(changesFile, line, column, `must be a number, Inf or empty (found "${text}")`);
      return value;
    };
    const site = siteOf(changesFile, line, 'SiteID', record.SiteID!);
    const metabolite = metaboliteOf(changesFile, line, 'metabolite', record.metabolite!);
    const previousYear = orNull(record.year_previous);
    return {
      release: eudaRelease,
      values: [
        site,
        metabolite.code,
        year(changesFile, line, 'year_current', record.year_current!),
        previousYear === null ? null : year(changesFile, line, 'year_previous', previousYear),
        optionalNumber('value_current'),
        optionalNumber('value_previous'),
        optionalNumber('change_percent'),
        record.change_percent2!.trim(),
      ],
    };
  });

  const trendsFile = EUDA_FILES.trends;
  const trendRecords = parse(readFileSync(join(dir, 'euda-2025', trendsFile), 'utf8'), { bom: true }) as string[][];
  const [trendHeader, ...trendRows] = trendRecords;
  if (trendHeader?.[0] !== 'metabolite')
    throw new InputFileError(
      trendsFile,
      1,
      undefined,
      'the first column must be "metabolite", then one column per year',
    );
  const aggregates = trendRows.flatMap((cells, index) => {
    const metabolite = metaboliteOf(trendsFile, index + 2, 'metabolite', cells[0]!);
    return trendHeader.slice(1).map((yearText, i) => {
      const { value } = load(trendsFile, index + 2, yearText, cells[i + 1] ?? '');
      if (value === null) throw new InputFileError(trendsFile, index + 2, yearText, 'a value is required');
      return {
        release: eudaRelease,
        values: [metabolite.code, year(trendsFile, 1, yearText, yearText), value] as SqlValue[],
      };
    });
  });

  return {
    reference: [
      {
        table: TABLES.metabolites,
        key: 'code',
        columns: ['code', 'measured_as', 'substance_code'],
        rows: metabolites.map((m) => [m.code, m.measuredAs, m.substance]),
      },
      { table: TABLES.sites, key: 'code', columns: SITE_COLUMNS, rows: sites.rows },
    ],
    bundles: bundleByRelease(releases, [
      { table: TABLES.loads, columns: OBSERVATION_COLUMNS, rows: observations },
      {
        table: TABLES.changes,
        columns: [
          'site_code',
          'metabolite_code',
          'year_current',
          'year_previous',
          'value_current',
          'value_previous',
          'change_percent',
          'change_class',
        ],
        rows: changes,
      },
      { table: TABLES.aggregates, columns: ['metabolite_code', 'year', 'value'], rows: aggregates },
    ]),
  };
}

export const readWastewaterSource = (dir = WASTEWATER_DATA_DIR) => readSourceFile(dir);
