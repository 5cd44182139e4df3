import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputFileError } from '../../importing/csv.ts';
import { bundleByRelease, DATA_DIR, readReleasesWithFiles, readSourceFile } from '../../importing/source-files.ts';
import type { ReferenceRows, ReleaseBundle, ReleaseRecord } from '../../importing/source-module.ts';
import { type Campaign, cellKey, type EarlierValue, readCityCharts } from './city-charts.ts';
import {
  CHANGES_HEADER,
  csvRows,
  EUDA_DATA_HEADER,
  EUDA_VALUE_COLUMNS,
  field,
  type Layout,
  layoutOf,
  load,
  orNull,
  PER_DAY_HEADER,
  PER_DAY_VALUE_COLUMNS,
  type ReleaseRow,
  records,
  SITE_TABLE_HEADER,
  year,
} from './layouts.ts';
import { type Lookups, readLookups, SITE_COLUMNS } from './lookups.ts';
import { TABLES } from './tables.ts';

export const WASTEWATER_DATA_DIR = join(DATA_DIR, 'wastewater');

/** One file of a release, as releases.csv names it, with the layout its header announces. */
interface ReleaseFile {
  release: string;
  file: string;
  rows: string[][];
  layout: Layout;
}

/** Every file each release of releases.csv names (its `files` column), read and classified. */
function readReleaseFiles(dir: string): { releases: Map<string, ReleaseRecord>; files: ReleaseFile[] } {
  const listed = readReleasesWithFiles(join(dir, 'releases.csv'));
  const files = [...listed].flatMap(([id, { files }]) => {
    return files.map((path): ReleaseFile => {
      if (!existsSync(join(dir, path)))
        throw new InputFileError('releases.csv', undefined, 'files', `release "${id}" names ${path}, which is missing`);
      const file = basename(path);
      const rows = csvRows(readFileSync(join(dir, path), 'utf8'), file);
      const layout = layoutOf(rows[0] ?? []);
      if (!layout)
        throw new InputFileError(
          file,
          1,
          undefined,
          'unknown layout: the first column must be Year, SiteID, country, metabolite or year',
        );
      return { release: id, file, rows, layout };
    });
  });
  return { releases: new Map([...listed].map(([id, { release }]) => [id, release])), files };
}

const siteTablesOf = (files: readonly ReleaseFile[]) =>
  files
    .filter((file) => file.layout === 'sites')
    .map(({ file, rows }) => ({ file, records: records(rows, file, SITE_TABLE_HEADER) }));

/** The observations of a file in the layout of EUDA's ww*-all-data.csv: ten per row (days and published means). */
function eudaObservations(rows: string[][], file: string, release: string, lookups: Lookups): ReleaseRow[] {
  const observations: ReleaseRow[] = [];
  const reference = `EUDA, Wastewater analysis and drugs, ${file}`;
  for (const { line, record } of records(rows, file, EUDA_DATA_HEADER)) {
    const site = lookups.siteOf(file, line, 'Site ID', field(record, 'Site ID'));
    const country = field(record, 'Country');
    if (lookups.sites.countries.get(site) !== country) {
      const inTable = lookups.sites.countries.get(site);
      throw new InputFileError(
        file,
        line,
        'Country',
        `site ${site} is in ${inTable} in the site table, not ${country}`,
      );
    }
    const metabolite = lookups.metaboliteOf(file, line, 'Metabolite', field(record, 'Metabolite'));
    const y = year(file, line, 'Year', field(record, 'Year'));
    for (const [column, statistic] of EUDA_VALUE_COLUMNS) {
      const { value, status } = load(file, line, column, field(record, column));
      const cellValues = [y, site, country, metabolite.code, metabolite.substance, 'SPRING', statistic, value, status];
      observations.push({ release, values: [...cellValues, 'EXACT', reference, null] });
    }
  }
  return observations;
}

/**
 * The per-day values of a file of an earlier release (year, metabolite, city, site_id, location,
 * the days): its site is found in sites-extra.csv by EUDA id and location. The file's mean column
 * was computed by a third party, not published, and is not loaded.
 */
function perDayObservations({ rows, file, release }: ReleaseFile, lookups: Lookups): ReleaseRow[] {
  return records(rows, file, PER_DAY_HEADER).flatMap(({ line, record }) => {
    const site = lookups.earlierSiteOf(file, line, field(record, 'site_id'), field(record, 'location'));
    const metabolite = lookups.metaboliteOf(file, line, 'metabolite', field(record, 'metabolite'));
    const y = year(file, line, 'year', field(record, 'year'));
    const country = lookups.sites.countries.get(site) ?? '';
    const copied = weekendCopy(record);
    return PER_DAY_VALUE_COLUMNS.map(([day, statistic]) => {
      const { value, status } = load(file, line, day, field(record, day));
      const doubtful = copied !== null && WEEKEND_DAYS.includes(day);
      const cellValues = [y, site, country, metabolite.code, metabolite.substance, 'SPRING', statistic, value];
      const note = doubtful
        ? `Friday, Saturday and Sunday all read ${copied}: probably one composite weekend sample copied ` +
          `to three days by the third-party conversion, not a measurement of each day`
        : null;
      return {
        release,
        values: [...cellValues, doubtful ? 'DOUBTFUL' : status, 'EXACT', `EMCDDA (earlier release), ${file}`, note],
      };
    });
  });
}

const WEEKEND_DAYS = ['Friday', 'Saturday', 'Sunday'];

/**
 * The per-day file's weekend value when Friday, Saturday and Sunday carry one identical load (a
 * composite sample copied to three days, as in 2017); null otherwise. Zeros (below the limit of
 * quantification) and blanks are not copies.
 */
function weekendCopy(record: Record<string, string>): string | null {
  const [first, ...rest] = WEEKEND_DAYS.map((day) => (record[day] ?? '').trim());
  if (!first || Number(first) === 0) return null;
  return rest.every((value) => value === first) ? first : null;
}

/**
 * The report's city charts as observation rows. Each cell is compared with the newest value the
 * other bundled releases have for it, so a chart value that only rounds EUDA's is not stored.
 */
function cityChartObservations(
  dir: string,
  releases: Map<string, ReleaseRecord>,
  stored: readonly ReleaseRow[],
  lookups: Lookups,
): ReleaseRow[] {
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
    const country = lookups.sites.countries.get(c.site) ?? null;
    const cellValues = [c.year, c.site, country, metabolite.code, metabolite.substance, c.campaign, c.statistic];
    return { release: c.release, values: [...cellValues, c.value, c.status, 'EXACT', c.reference, c.note] };
  });
}

/** EUDA's published changes of each site's daily mean ("Inf" from a previous 0 is kept as infinity). */
function changeRows({ rows, file, release }: ReleaseFile, lookups: Lookups): ReleaseRow[] {
  return records(rows, file, CHANGES_HEADER).map(({ line, record }) => {
    const optionalNumber = (column: string) => {
      const text = orNull(record[column]);
      if (text === null) return null;
      const value = text === 'Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text);
      if (Number.isNaN(value))
        throw new InputFileError(file, line, column, `must be a number, Inf or empty (found "${text}")`);
      return value;
    };
    const site = lookups.siteOf(file, line, 'SiteID', field(record, 'SiteID'));
    const metabolite = lookups.metaboliteOf(file, line, 'metabolite', field(record, 'metabolite'));
    const previousYear = orNull(record.year_previous);
    return {
      release,
      values: [
        site,
        metabolite.code,
        year(file, line, 'year_current', field(record, 'year_current')),
        previousYear === null ? null : year(file, line, 'year_previous', previousYear),
        optionalNumber('value_current'),
        optionalNumber('value_previous'),
        optionalNumber('change_percent'),
        field(record, 'change_percent2').trim(),
      ],
    };
  });
}

/** EUDA's aggregated trend: one row per metabolite, one column per year. */
function aggregateRows({ rows, file, release }: ReleaseFile, lookups: Lookups): ReleaseRow[] {
  const [header = [], ...data] = rows;
  return data.flatMap((cells, index) => {
    const metabolite = lookups.metaboliteOf(file, index + 2, 'metabolite', cells[0] ?? '');
    return header.slice(1).map((yearText, i) => {
      const { value } = load(file, index + 2, yearText, cells[i + 1] ?? '');
      if (value === null) throw new InputFileError(file, index + 2, yearText, 'a value is required');
      return { release, values: [metabolite.code, year(file, 1, yearText, yearText), value] };
    });
  });
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
const CHANGE_COLUMNS = [
  'site_code',
  'metabolite_code',
  'year_current',
  'year_previous',
  'value_current',
  'value_previous',
  'change_percent',
  'change_class',
];

export const WASTEWATER_UPLOAD_LAYOUT =
  `CSV in the layout of EUDA's ww2025-all-data.csv: ${EUDA_DATA_HEADER.join(',')} (sites and metabolites ` +
  `as in the bundled site table)`;

/** Reads an uploaded file in EUDA's data layout as the observations of a new release. */
export function parseWastewaterUpload(
  text: string,
  fileName: string,
  release: ReleaseRecord,
  dir = WASTEWATER_DATA_DIR,
): ReleaseBundle {
  const lookups = readLookups(dir, siteTablesOf(readReleaseFiles(dir).files));
  const rows = eudaObservations(csvRows(text, fileName), fileName, release.id, lookups);
  return {
    release,
    observations: [{ table: TABLES.loads, columns: OBSERVATION_COLUMNS, rows: rows.map((row) => row.values) }],
  };
}

/**
 * Reads every release of releases.csv from the files its row names, exactly as published: EUDA's
 * data, site table, changes and aggregated trends, and per-day files of earlier releases. Every
 * value is checked (numbers, known sites and metabolites; errors name file, line and column);
 * means are stored as published, never recomputed.
 */
export function readWastewater(dir = WASTEWATER_DATA_DIR): { bundles: ReleaseBundle[]; reference: ReferenceRows[] } {
  const { releases, files } = readReleaseFiles(dir);
  const lookups = readLookups(dir, siteTablesOf(files));
  const ofLayout = (layout: Layout, read: (file: ReleaseFile) => ReleaseRow[]) =>
    files.filter((file) => file.layout === layout).flatMap(read);
  const observations = [
    ...ofLayout('data', ({ rows, file, release }) => eudaObservations(rows, file, release, lookups)),
    ...ofLayout('perDay', (file) => perDayObservations(file, lookups)),
  ];
  observations.push(...cityChartObservations(dir, releases, observations, lookups));
  return {
    reference: [
      {
        table: TABLES.metabolites,
        key: 'code',
        columns: ['code', 'measured_as', 'substance_code'],
        rows: lookups.metabolites.map((m) => [m.code, m.measuredAs, m.substance]),
      },
      { table: TABLES.sites, key: 'code', columns: SITE_COLUMNS, rows: lookups.sites.rows },
    ],
    bundles: bundleByRelease(releases, [
      { table: TABLES.loads, columns: OBSERVATION_COLUMNS, rows: observations },
      { table: TABLES.changes, columns: CHANGE_COLUMNS, rows: ofLayout('changes', (f) => changeRows(f, lookups)) },
      {
        table: TABLES.aggregates,
        columns: ['metabolite_code', 'year', 'value'],
        rows: ofLayout('trends', (f) => aggregateRows(f, lookups)),
      },
    ]),
  };
}

export const readWastewaterSource = (dir = WASTEWATER_DATA_DIR) => readSourceFile(dir);
