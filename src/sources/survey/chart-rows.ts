import { InputFileError } from '../../importing/csv.ts';
import type { ReleaseRecord } from '../../importing/source-module.ts';
import { type Codes, checkPrevalence, distributionValues, prevalenceValues, type Row, statusOf } from './cells.ts';
import {
  type ChartManifestEntry,
  type ChartPoint,
  chartNumber,
  readChart,
  readChartManifest,
  readLabels,
} from './charts.ts';

// The rows of the survey's tables that the report's chart files hold (charts.ts reads the
// files): prevalence with its uncertainty, the modelled trend, and distributions among users.
// Each chart's release is the one charts.csv names for it.

export const TREND_POINT_COLUMNS = [
  'year',
  'substance_code',
  'recall',
  'adjusted',
  'adjusted_ci_low',
  'adjusted_ci_high',
  'observed',
  'observed_se',
  'observed_ci_low',
  'observed_ci_high',
  'reference',
];

/** The reference of a chart point: the figure and the chart's title. */
const referenceOf = (entry: ChartManifestEntry, point: ChartPoint) =>
  `${entry.figure} (${point.record.chart_title ?? entry.file})`;

function prevalenceFromChart(entry: ChartManifestEntry, points: ChartPoint[], codes: Codes, status: string): Row[] {
  return points.map((point) => {
    const usersColumn = 'raw_n_level' in point.record ? 'raw_n_level' : 'raw_n_outcome_1';
    const cellValues = {
      ...point.dimensions,
      value: chartNumber(point, entry.file, 'value', { required: true }),
      ciLow: chartNumber(point, entry.file, 'ci_low'),
      ciHigh: chartNumber(point, entry.file, 'ci_high'),
      respondents: chartNumber(point, entry.file, 'raw_n_total', { integer: true }),
      users: chartNumber(point, entry.file, usersColumn, { integer: true }),
    };
    checkPrevalence(entry.file, point.line, codes, cellValues, {
      value: 'value',
      ciLow: 'ci_low',
      ciHigh: 'ci_high',
      respondents: 'raw_n_total',
      users: usersColumn,
      substance: entry.substance,
      recall: entry.recall,
      sex: entry.sex,
      ageGroup: entry.age_group,
    });
    return {
      release: entry.release,
      values: prevalenceValues({
        ...cellValues,
        status,
        qualifier: 'EXACT',
        reference: referenceOf(entry, point),
        note: null,
      }),
    };
  });
}

const TREND_FIELDS = [
  'raw_predicted_prevalence',
  'raw_lower_ci',
  'raw_upper_ci',
  'raw_observed_prevalence',
  'raw_obs_se',
  'raw_obs_lower_ci',
  'raw_obs_upper_ci',
] as const;

/** Figures 5-7 spread a year over several series rows; each raw field is printed once per year. */
function trendFromChart(entry: ChartManifestEntry, points: ChartPoint[]): Row[] {
  const years = new Map<number, Map<string, number>>();
  for (const point of points) {
    const fields = years.get(point.dimensions.year) ?? new Map<string, number>();
    for (const field of TREND_FIELDS) {
      const value = chartNumber(point, entry.file, field);
      if (value === null) continue;
      const earlier = fields.get(field);
      if (earlier !== undefined && earlier !== value) {
        throw new InputFileError(
          entry.file,
          point.line,
          field,
          `${point.dimensions.year} has two different values (${earlier} and ${value})`,
        );
      }
      fields.set(field, value);
    }
    years.set(point.dimensions.year, fields);
  }
  const [first] = points;
  if (!first) return [];
  const { substance, recall } = first.dimensions;
  return [...years].map(([year, fields]) => {
    const get = (field: (typeof TREND_FIELDS)[number], optional = false) => {
      const value = fields.get(field);
      if (value === undefined && !optional)
        throw new InputFileError(entry.file, undefined, field, `no value for ${year}`);
      return value ?? null;
    };
    return {
      release: entry.release,
      values: [
        year,
        substance,
        recall,
        get('raw_predicted_prevalence'),
        get('raw_lower_ci'),
        get('raw_upper_ci'),
        get('raw_observed_prevalence'),
        get('raw_obs_se', true),
        get('raw_obs_lower_ci'),
        get('raw_obs_upper_ci'),
        entry.figure,
      ],
    };
  });
}

function distributionFromChart(
  entry: ChartManifestEntry,
  points: ChartPoint[],
  labels: Map<string, string>,
  status: string,
): Row[] {
  const distribution = entry.kind === 'DEBUT_AGE' ? 'CANNABIS_DEBUT_AGE' : 'CANNABIS_USE_FREQUENCY_12M';
  const countColumn = entry.kind === 'DEBUT_AGE' ? 'raw_N' : 'raw_n';
  return points.map((point) => {
    const label = point.record.x_label ?? '';
    const category = entry.kind === 'DEBUT_AGE' ? label : labels.get(label);
    if (!category) throw new InputFileError(entry.file, point.line, 'x_label', `"${label}" is not in labels.csv`);
    const value = chartNumber(point, entry.file, 'value', { required: true }) ?? 0;
    if (value < 0 || value > 100)
      throw new InputFileError(
        entry.file,
        point.line,
        'value',
        `a percentage must be between 0 and 100 (found ${value})`,
      );
    const count = chartNumber(point, entry.file, countColumn, { integer: true });
    if (count !== null && count < 0)
      throw new InputFileError(entry.file, point.line, countColumn, 'a count must not be negative');
    const { year, sex, ageGroup } = point.dimensions;
    return {
      release: entry.release,
      values: distributionValues({
        distribution,
        measure: 'SHARE',
        year,
        sex,
        ageGroup,
        category,
        value,
        count,
        status,
        qualifier: 'EXACT',
        reference: referenceOf(entry, point),
        note: null,
      }),
    };
  });
}

/**
 * Reads every chart file charts.csv lists (in its order: where two charts print one cell, queries
 * answer from the first) into rows of the prevalence, trend point and distribution tables. A
 * value is PROVISIONAL while its chart's release is PRELIMINARY.
 */
export function readChartRows(
  dir: string,
  releases: Map<string, ReleaseRecord>,
  codes: Codes,
): { prevalence: Row[]; trends: Row[]; distributions: Row[] } {
  const labels = readLabels(dir);
  const rows = { prevalence: [] as Row[], trends: [] as Row[], distributions: [] as Row[] };
  for (const entry of readChartManifest(dir, releases)) {
    const points = readChart(dir, entry, labels);
    const release = releases.get(entry.release);
    if (!release) throw new Error(`charts.csv: release "${entry.release}" was checked but is missing`);
    const status = statusOf(release);
    if (entry.kind === 'PREVALENCE') rows.prevalence.push(...prevalenceFromChart(entry, points, codes, status));
    else if (entry.kind === 'TREND') rows.trends.push(...trendFromChart(entry, points));
    else rows.distributions.push(...distributionFromChart(entry, points, labels, status));
  }
  return rows;
}
