import { join } from 'node:path';
import { z } from 'zod';
import * as enums from '../../db/generated/prisma/enums.ts';
import { cell, InputFileError, readCsvFile } from '../../importing/csv.ts';
import { releaseOf } from '../../importing/source-files.ts';
import type { ReleaseRecord } from '../../importing/source-module.ts';

// The report's chapter 6 charts (Bergen, Oslo, Trondheim; a spring and an autumn week), read as
// copied from the page: city-charts.csv names the files and their release, city-chart-labels.csv
// maps the page's labels to codes, city-chart-statements.csv holds what the page's text says
// about single cells (below the limit of quantification; dumping spikes).

export type Campaign = enums.WastewaterCampaign;

/** One cell of a chart, mapped to the cube's codes. */
export interface ChartCell {
  release: string;
  year: number;
  site: string;
  metabolite: string;
  campaign: Campaign;
  statistic: string;
  value: number | null;
  status: 'PROVISIONAL' | 'BELOW_LOQ' | 'MISSING';
  reference: string;
  note: string | null;
}

/** A value stored in an earlier release for the same cell. */
export interface EarlierValue {
  value: number | null;
  publishedAt: string;
}

export const cellKey = (c: Pick<ChartCell, 'year' | 'site' | 'metabolite' | 'campaign' | 'statistic'>) =>
  [c.year, c.site, c.metabolite, c.campaign, c.statistic].join('|');

const chartRow = z.object({
  figure: cell.number,
  substance: cell.text,
  biomarker: cell.text,
  city: cell.text,
  season: cell.text,
  year: cell.year,
  period: cell.text,
  period_code: cell.text,
  weekday: cell.optionalText,
  day_index: cell.optionalNumber,
  measure: cell.text,
  unit: z.literal('mg/1000 innbyggere/dag'),
  value: cell.optionalNumber,
  value_note: cell.optionalText,
});

const statementKey = (figure: number, city: string, period: string, weekday: string | null) =>
  [figure, city, period, weekday ?? ''].join('|');

/**
 * A chart value that only rounds an earlier release's value is not a revision: the page prints
 * whole numbers, rounded or cut off (Bergen cocaine 515 for EUDA's 515.61), so a value less than
 * one unit from the earlier one adds nothing to it.
 */
export function onlyRounds(chart: number | null, earlier: EarlierValue | undefined): boolean {
  if (earlier === undefined) return false;
  if (chart === null || earlier.value === null) return chart === earlier.value;
  return Math.abs(chart - earlier.value) < 1;
}

/**
 * Reads the chart files as the cells of their release. A 0 is BELOW_LOQ only where the page says
 * so (a 0 it does not explain is refused); a null point is MISSING; other values are PROVISIONAL
 * (the page calls its results provisional). A cell whose value only rounds the value an earlier
 * release published for it is left out, so the precise earlier value keeps answering.
 */
export function readCityCharts(
  dir: string,
  releases: Map<string, ReleaseRecord>,
  earlier: Map<string, EarlierValue>,
): { cells: ChartCell[]; unchanged: number } {
  const labels = new Map<string, string>();
  for (const row of readCsvFile(
    join(dir, 'city-chart-labels.csv'),
    z.object({ kind: cell.oneOf(['city', 'substance', 'season', 'weekday']), label: z.string(), code: cell.text }),
  )) {
    labels.set(`${row.kind}|${row.label.trim()}`, row.code);
  }
  const statements = new Map(
    readCsvFile(
      join(dir, 'city-chart-statements.csv'),
      z.object({
        figure: cell.number,
        city: cell.text,
        period_code: cell.text,
        weekday: cell.optionalText,
        status: z.enum(['BELOW_LOQ', '']),
        note: cell.text,
      }),
    ).map((s) => [statementKey(s.figure, s.city, s.period_code, s.weekday), s]),
  );
  const used = new Set<string>();
  const cells: ChartCell[] = [];
  let unchanged = 0;
  const manifest = readCsvFile(
    join(dir, 'city-charts.csv'),
    z.object({ release: releaseOf(releases), file: cell.text, figure: cell.number }),
  );
  for (const chart of manifest) {
    const path = join(dir, chart.file);
    readCsvFile(path, chartRow).forEach((row, index) => {
      const line = index + 2;
      const code = (kind: string, label: string | null, column: string) => {
        const found = labels.get(`${kind}|${label ?? ''}`);
        if (!found)
          throw new InputFileError(chart.file, line, column, `"${label}" is not in city-chart-labels.csv (${kind})`);
        return found;
      };
      if (row.figure !== chart.figure)
        throw new InputFileError(chart.file, line, 'figure', `expected figure ${chart.figure} (city-charts.csv)`);
      const key = statementKey(row.figure, row.city, row.period_code, row.weekday);
      const statement = statements.get(key);
      if (statement) used.add(key);
      if (row.value === 0 && statement?.status !== 'BELOW_LOQ')
        throw new InputFileError(
          chart.file,
          line,
          'value',
          'a 0 that the page does not describe as below the limit of quantification (add it to city-chart-statements.csv)',
        );
      const mapped: ChartCell = {
        release: chart.release,
        year: row.year,
        site: code('city', row.city, 'city'),
        metabolite: code('substance', row.substance, 'substance'),
        campaign: z.enum(enums.WastewaterCampaign).parse(code('season', row.season, 'season')),
        statistic: code('weekday', row.weekday, 'weekday'),
        value: row.value,
        status: row.value === null ? 'MISSING' : statement?.status === 'BELOW_LOQ' ? 'BELOW_LOQ' : 'PROVISIONAL',
        reference: `Tall om illegale rusmidler, kap. 6 (preliminary page), Figur ${row.figure}`,
        note: [row.value_note, statement?.note].filter(Boolean).join('; ') || null,
      };
      const before = earlier.get(cellKey(mapped));
      const release = releases.get(chart.release);
      if (release && before && before.publishedAt < release.published_at && onlyRounds(mapped.value, before)) {
        unchanged++;
        return;
      }
      cells.push(mapped);
    });
  }
  const unused = [...statements.keys()].filter((key) => !used.has(key));
  if (unused.length)
    throw new InputFileError(
      'city-chart-statements.csv',
      undefined,
      'figure',
      `no chart cell for ${unused.join(', ')}`,
    );
  return { cells, unchanged };
}
