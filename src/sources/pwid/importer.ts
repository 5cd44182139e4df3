import { join } from 'node:path';
import { z } from 'zod';
import { cell, readCsvFile } from '../../importing/csv.ts';
import { bundleByRelease, DATA_DIR, readReleasesFile, readSourceFile, releaseOf } from '../../importing/source-files.ts';
import type { ReleaseBundle } from '../source-module.ts';

export const PWID_DATA_DIR = join(DATA_DIR, 'pwid');
const METHOD = 'mortality multiplier';

/** Reads estimates.csv: an estimate and/or a range per year, each with the publication that printed it. */
export function readPwidReleases(dir = PWID_DATA_DIR): ReleaseBundle[] {
  const releases = readReleasesFile(join(dir, 'releases.csv'));
  const rows = readCsvFile(
    join(dir, 'estimates.csv'),
    z
      .object({
        release: releaseOf(releases),
        year: cell.year,
        estimate: cell.optionalNumber,
        low: cell.optionalNumber,
        high: cell.optionalNumber,
        rate_per_1000: cell.optionalNumber,
        qualifier: cell.oneOf(['EXACT', 'ABOUT', 'NEARLY', 'JUST_OVER', 'LESS_THAN']),
        reference: cell.text,
        note: cell.optionalText,
      })
      .refine((row) => row.estimate !== null || (row.low !== null && row.high !== null), { path: ['estimate'], error: 'a row needs an estimate or a range (low and high)' })
      .refine((row) => row.low === null || row.high === null || row.low <= row.high, { path: ['low'], error: 'low must not exceed high' })
      .refine((row) => row.estimate === null || row.low === null || row.high === null || (row.low <= row.estimate && row.estimate <= row.high), {
        path: ['estimate'],
        error: 'the estimate must lie within its range',
      }),
  );
  return bundleByRelease(releases, [
    {
      table: 'injecting_drug_use_estimate',
      columns: ['year', 'estimate', 'low', 'high', 'rate_per_1000', 'method', 'status', 'qualifier', 'reference', 'note'],
      rows: rows.map((r) => ({
        release: r.release,
        // A year published only as a range has no point estimate: its value is MISSING, low and high are given.
        values: [r.year, r.estimate, r.low, r.high, r.rate_per_1000, METHOD, r.estimate === null ? 'MISSING' : 'NORMAL', r.qualifier, r.reference, r.note],
      })),
    },
  ]);
}

export const readPwidSource = (dir = PWID_DATA_DIR) => readSourceFile(dir);
