import { basename, join } from 'node:path';
import { z } from 'zod';
import * as enums from '../../db/generated/prisma/enums.ts';
import { cell, InputFileError, parseCsv, readCsvFile } from '../../importing/csv.ts';
import {
  bundleByRelease,
  DATA_DIR,
  readReleasesFile,
  readSourceFile,
  releaseOf,
} from '../../importing/source-files.ts';
import type { ReleaseBundle, ReleaseRecord } from '../../importing/source-module.ts';
import { TABLES } from './tables.ts';

export const PWID_DATA_DIR = join(DATA_DIR, 'pwid');

const ESTIMATE_COLUMNS = {
  year: cell.year,
  estimate: cell.optionalNumber,
  low: cell.optionalNumber,
  high: cell.optionalNumber,
  rate_per_1000: cell.optionalNumber,
  method: cell.text,
  qualifier: cell.member(enums.Qualifier),
  reference: cell.text,
  note: cell.optionalText,
};
type Estimate = z.infer<z.ZodObject<typeof ESTIMATE_COLUMNS>>;

/** An estimate needs a value or a range, and lies within its range. */
function checkEstimates<Row extends Estimate>(rows: Row[], file: string): Row[] {
  rows.forEach((row, index) => {
    const fail = (column: string, problem: string) => {
      throw new InputFileError(file, index + 2, column, problem);
    };
    if (row.estimate === null && (row.low === null || row.high === null))
      fail('estimate', 'a row needs an estimate or a range (low and high)');
    if (row.low !== null && row.high !== null && row.low > row.high) fail('low', 'low must not exceed high');
    if (
      row.estimate !== null &&
      row.low !== null &&
      row.high !== null &&
      (row.estimate < row.low || row.estimate > row.high)
    ) {
      fail('estimate', 'the estimate must lie within its range');
    }
  });
  return rows;
}

const TABLE = TABLES.estimates;
const COLUMNS = [
  'series',
  'year',
  'estimate',
  'low',
  'high',
  'rate_per_1000',
  'method',
  'status',
  'qualifier',
  'reference',
  'note',
];
// A year published only as a range has no point estimate: its value is MISSING, low and high are given.
const estimateValues = (r: Estimate, series: enums.InjectingDrugUseSeries = 'ANNUAL_ESTIMATE') => [
  series,
  r.year,
  r.estimate,
  r.low,
  r.high,
  r.rate_per_1000,
  r.method,
  r.estimate === null ? 'MISSING' : 'NORMAL',
  r.qualifier,
  r.reference,
  r.note,
];

/** Reads estimates.csv: an estimate and/or a range per year, each with the publication that printed it. */
export function readPwidReleases(dir = PWID_DATA_DIR): ReleaseBundle[] {
  const releases = readReleasesFile(join(dir, 'releases.csv'));
  const path = join(dir, 'estimates.csv');
  const rows = checkEstimates(
    readCsvFile(path, z.object({ release: releaseOf(releases), ...ESTIMATE_COLUMNS })),
    basename(path),
  );
  return bundleByRelease(releases, [
    {
      table: TABLE,
      columns: COLUMNS,
      rows: [
        ...rows.map((r) => ({ release: r.release, values: estimateValues(r) })),
        ...readChartSeries(dir, releases),
      ],
    },
  ]);
}

/**
 * The report's chart (chapter 7): charts.csv maps each series of a chart file to ours. Values
 * are the chart's (rounded by the page; the unrounded column of an earlier page version is not
 * read), PROVISIONAL as the page says; the chart has no ranges.
 */
function readChartSeries(dir: string, releases: Map<string, ReleaseRecord>) {
  const manifest = readCsvFile(
    join(dir, 'charts.csv'),
    z.object({
      release: releaseOf(releases),
      file: cell.text,
      series_code: cell.text,
      series: cell.member(enums.InjectingDrugUseSeries),
      reference: cell.text,
    }),
  );
  return manifest.flatMap((entry) =>
    readCsvFile(
      join(dir, entry.file),
      z.object({
        year: cell.year,
        series: cell.text,
        series_code: cell.text,
        measure: cell.text,
        unit: z.literal('persons'),
        value: cell.number,
        value_unrounded_prev_commit: z.string(),
        low: cell.optionalNumber,
        high: cell.optionalNumber,
      }),
    )
      .filter((row) => row.series_code === entry.series_code)
      .map((row) => ({
        release: entry.release,
        values: [
          entry.series,
          row.year,
          row.value,
          row.low,
          row.high,
          null,
          'mortality multiplier',
          'PROVISIONAL',
          'EXACT',
          entry.reference,
          null,
        ],
      })),
  );
}

export const PWID_UPLOAD_LAYOUT = `CSV with the header ${Object.keys(ESTIMATE_COLUMNS).join(',')} (annual estimates: an estimate, a range, or both)`;

/** Reads an uploaded estimates file as the observations of a new release. */
export function parsePwidUpload(text: string, fileName: string, release: ReleaseRecord): ReleaseBundle {
  const rows = checkEstimates(parseCsv(text, fileName, z.object(ESTIMATE_COLUMNS)), fileName);
  return {
    release,
    observations: [{ table: TABLE, columns: COLUMNS, rows: rows.map((row) => estimateValues(row)) }],
  };
}

export const readPwidSource = (dir = PWID_DATA_DIR) => readSourceFile(dir);
