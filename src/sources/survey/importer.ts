import { join } from 'node:path';
import { bundleByRelease, DATA_DIR, readReleasesFile, readSourceFile } from '../../importing/source-files.ts';
import type { ReleaseBundle } from '../../importing/source-module.ts';
import { DISTRIBUTION_COLUMNS, PREVALENCE_COLUMNS, readCodes } from './cells.ts';
import { readChartRows, TREND_POINT_COLUMNS } from './chart-rows.ts';
import { TABLES } from './tables.ts';
import {
  readPrintedDistributions,
  readPrintedPrevalence,
  readTrendTests,
  readWaves,
  TREND_TEST_COLUMNS,
  WAVE_COLUMNS,
} from './transcribed-rows.ts';

export const SURVEY_DATA_DIR = join(DATA_DIR, 'survey');

/**
 * Reads every survey file under `dir`: the report's chart data (charts.csv names each file, its
 * release and where its dimensions come from; chart-rows.ts), the figures printed in the text and
 * earlier publications, the survey waves and the trend tests (transcribed-rows.ts). Every cell
 * is validated; errors name file, line and column. Every row names a release of releases.csv.
 */
export function readSurveyReleases(dir = SURVEY_DATA_DIR): ReleaseBundle[] {
  const codes = readCodes();
  const releases = readReleasesFile(join(dir, 'releases.csv'));
  const charts = readChartRows(dir, releases, codes);
  return bundleByRelease(releases, [
    {
      table: TABLES.prevalence,
      columns: PREVALENCE_COLUMNS,
      rows: [...charts.prevalence, ...readPrintedPrevalence(dir, releases, codes)],
    },
    { table: TABLES.trendPoints, columns: TREND_POINT_COLUMNS, rows: charts.trends },
    { table: TABLES.trendTests, columns: TREND_TEST_COLUMNS, rows: readTrendTests(dir, releases, codes) },
    {
      table: TABLES.distributions,
      columns: DISTRIBUTION_COLUMNS,
      rows: [...charts.distributions, ...readPrintedDistributions(dir, releases, codes)],
    },
    { table: TABLES.waves, columns: WAVE_COLUMNS, rows: readWaves(dir, releases) },
  ]);
}

export const readSurveySource = (dir = SURVEY_DATA_DIR) => readSourceFile(dir);
