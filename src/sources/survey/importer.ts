import { join } from 'node:path';
import { z } from 'zod';
import type { SqlValue } from '../../db/bulk.ts';
import * as enums from '../../db/generated/prisma/enums.ts';
import { CODELIST_TABLES, readCodelistCodes } from '../../dimensions/codelists.ts';
import { cell, firstIssue, InputFileError, parseCsv, readCsvFile } from '../../importing/csv.ts';
import { type JsonStatMapping, jsonStatRows, rejectUnknownCodes } from '../../importing/json-stat.ts';
import {
  bundleByRelease,
  codeOf,
  DATA_DIR,
  readReleasesFile,
  readSourceFile,
  releaseOf,
} from '../../importing/source-files.ts';
import type { ReleaseBundle, ReleaseRecord } from '../../importing/source-module.ts';
import {
  type ChartManifestEntry,
  type ChartPoint,
  chartNumber,
  readChart,
  readChartManifest,
  readLabels,
} from './charts.ts';
import { TABLES } from './tables.ts';

export const SURVEY_DATA_DIR = join(DATA_DIR, 'survey');

/** The chart data of the report's web page are one release; its id is in releases.csv. */
export const CHARTS_RELEASE = 'survey-report-2026-charts';

const RECALLS: readonly string[] = Object.values(enums.Recall);
const SEXES: readonly string[] = Object.values(enums.Sex);
export const DISTRIBUTIONS = ['CANNABIS_USE_FREQUENCY_12M', 'CANNABIS_USE_DAYS_4W', 'CANNABIS_DEBUT_AGE'] as const;

type Row = { release: string; values: SqlValue[] };

interface Codes {
  substance: readonly string[];
  ageGroup: readonly string[];
}

const PREVALENCE_COLUMNS = [
  'year',
  'substance_code',
  'recall',
  'sex',
  'age_group_code',
  'value',
  'ci_low',
  'ci_high',
  'respondents',
  'users',
  'status',
  'qualifier',
  'reference',
  'note',
];
const DISTRIBUTION_COLUMNS = [
  'distribution',
  'measure',
  'year',
  'sex',
  'age_group_code',
  'category',
  'position',
  'value',
  'count',
  'status',
  'qualifier',
  'reference',
  'note',
];

/** Checks one prevalence cell: a percentage, inside its confidence interval, with sane counts and known codes. */
function checkPrevalence(
  file: string,
  line: number,
  codes: Codes,
  cell: {
    substance: string;
    recall: string;
    sex: string;
    ageGroup: string;
    value: number | null;
    ciLow: number | null;
    ciHigh: number | null;
    respondents: number | null;
    users: number | null;
  },
  columns: {
    value: string;
    ciLow: string;
    ciHigh: string;
    respondents: string;
    users: string;
    substance: string;
    recall: string;
    sex: string;
    ageGroup: string;
  },
): void {
  const fail = (column: string, problem: string) => {
    throw new InputFileError(file, line, column, problem);
  };
  if (!codes.substance.includes(cell.substance))
    fail(columns.substance, `unknown substance "${cell.substance}"; valid codes: ${codes.substance.join(', ')}`);
  if (!RECALLS.includes(cell.recall))
    fail(columns.recall, `unknown recall "${cell.recall}"; valid: ${RECALLS.join(', ')}`);
  if (!SEXES.includes(cell.sex)) fail(columns.sex, `unknown sex "${cell.sex}"; valid: ${SEXES.join(', ')}`);
  if (!codes.ageGroup.includes(cell.ageGroup))
    fail(columns.ageGroup, `unknown age group "${cell.ageGroup}"; valid codes: ${codes.ageGroup.join(', ')}`);
  if (cell.value !== null && (cell.value < 0 || cell.value > 100))
    fail(columns.value, `a percentage must be between 0 and 100 (found ${cell.value})`);
  if (cell.value !== null && cell.ciLow !== null && cell.ciLow > cell.value)
    fail(columns.ciLow, `the lower confidence limit ${cell.ciLow} is above the value ${cell.value}`);
  if (cell.value !== null && cell.ciHigh !== null && cell.ciHigh < cell.value)
    fail(columns.ciHigh, `the upper confidence limit ${cell.ciHigh} is below the value ${cell.value}`);
  for (const [count, column] of [
    [cell.respondents, columns.respondents],
    [cell.users, columns.users],
  ] as const) {
    if (count !== null && count < 0) fail(column, `a count must not be negative (found ${count})`);
  }
  if (cell.users !== null && cell.respondents !== null && cell.users > cell.respondents)
    fail(columns.users, `more users (${cell.users}) than respondents (${cell.respondents})`);
}

function prevalenceFromChart(entry: ChartManifestEntry, points: ChartPoint[], codes: Codes): Row[] {
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
    const d = point.dimensions;
    return {
      release: CHARTS_RELEASE,
      values: [
        d.year,
        d.substance,
        d.recall,
        d.sex,
        d.ageGroup,
        cellValues.value,
        cellValues.ciLow,
        cellValues.ciHigh,
        cellValues.respondents,
        cellValues.users,
        'PROVISIONAL',
        'EXACT',
        `${entry.figure} (${point.record.chart_title ?? entry.file})`,
        null,
      ],
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
      release: CHARTS_RELEASE,
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

/** Orders the categories of a distribution by the first number in them ("1-5" < "6-10" < ">50"). */
const categoryPosition = (category: string) => Number(/\d+/.exec(category)?.[0] ?? 0);

function distributionFromChart(entry: ChartManifestEntry, points: ChartPoint[], labels: Map<string, string>): Row[] {
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
    const d = point.dimensions;
    return {
      release: CHARTS_RELEASE,
      values: [
        distribution,
        'SHARE',
        d.year,
        d.sex,
        d.ageGroup,
        category,
        categoryPosition(category),
        value,
        count,
        'PROVISIONAL',
        'EXACT',
        `${entry.figure} (${point.record.chart_title ?? entry.file})`,
        null,
      ],
    };
  });
}

/**
 * Reads every survey file under `dir`: the report's chart data (charts.csv names each file and
 * where its dimensions come from), the figures printed in the text, earlier publications, the
 * survey waves and the trend tests. Every cell is validated; errors name file, line and column.
 */
export function readSurveyReleases(dir = SURVEY_DATA_DIR): ReleaseBundle[] {
  const codelists = readCodelistCodes();
  const codes: Codes = {
    substance: codelists.get(CODELIST_TABLES.substance) ?? [],
    ageGroup: codelists.get(CODELIST_TABLES.ageGroup) ?? [],
  };
  const releases: Map<string, ReleaseRecord> = readReleasesFile(join(dir, 'releases.csv'));
  if (!releases.has(CHARTS_RELEASE))
    throw new InputFileError('releases.csv', undefined, 'id', `the chart data release "${CHARTS_RELEASE}" is missing`);
  const labels = readLabels(dir);

  const prevalence: Row[] = [];
  const trends: Row[] = [];
  const distributions: Row[] = [];
  for (const entry of readChartManifest(dir)) {
    const points = readChart(dir, entry, labels);
    if (entry.kind === 'PREVALENCE') prevalence.push(...prevalenceFromChart(entry, points, codes));
    else if (entry.kind === 'TREND') trends.push(...trendFromChart(entry, points));
    else distributions.push(...distributionFromChart(entry, points, labels));
  }

  const release = releaseOf(releases);
  const textPrevalenceRow = z.object({
    release,
    year: cell.year,
    substance: codeOf(codes.substance, 'substance'),
    recall: cell.member(enums.Recall),
    sex: cell.member(enums.Sex),
    age_group: codeOf(codes.ageGroup, 'age group'),
    value: cell.number.refine((v) => v >= 0 && v <= 100, 'a percentage must be between 0 and 100'),
    qualifier: cell.member(enums.Qualifier),
    reference: cell.text,
    note: cell.optionalText,
  });
  for (const file of ['report-text.csv', 'published-points.csv']) {
    for (const row of readCsvFile(join(dir, file), textPrevalenceRow)) {
      prevalence.push({
        release: row.release,
        values: [
          row.year,
          row.substance,
          row.recall,
          row.sex,
          row.age_group,
          row.value,
          null,
          null,
          null,
          null,
          'NORMAL',
          row.qualifier,
          row.reference,
          row.note,
        ],
      });
    }
  }

  for (const row of readCsvFile(
    join(dir, 'report-distributions.csv'),
    z.object({
      release,
      year: cell.year,
      distribution: cell.oneOf(DISTRIBUTIONS),
      measure: cell.member(enums.DistributionMeasure),
      sex: cell.member(enums.Sex),
      age_group: codeOf(codes.ageGroup, 'age group'),
      category: cell.text,
      value: cell.number,
      qualifier: cell.member(enums.Qualifier),
      reference: cell.text,
      note: cell.optionalText,
    }),
  )) {
    distributions.push({
      release: row.release,
      values: [
        row.distribution,
        row.measure,
        row.year,
        row.sex,
        row.age_group,
        row.category,
        categoryPosition(row.category),
        row.value,
        null,
        'NORMAL',
        row.qualifier,
        row.reference,
        row.note,
      ],
    });
  }

  const tests = readCsvFile(
    join(dir, 'trend-tests.csv'),
    z.object({
      release,
      substance: codeOf(codes.substance, 'substance'),
      // One printed test may cover several recall periods ("|" between them): it stays one test.
      recalls: z
        .string()
        .transform((value) => value.split('|').map((recall) => recall.trim()))
        .pipe(z.array(cell.member(enums.Recall)).min(1)),
      year_from: cell.year,
      year_to: cell.year,
      direction: cell.oneOf(['INCREASE', 'DECREASE', 'NO_CHANGE']),
      p_value: cell.number,
      p_qualifier: cell.member(enums.Qualifier),
      adjusted_for: cell.text,
      reference: cell.text,
      note: cell.optionalText,
    }),
  ).map((t) => ({
    release: t.release,
    values: [
      t.substance,
      t.recalls,
      t.year_from,
      t.year_to,
      t.direction,
      t.p_value,
      t.p_qualifier,
      t.adjusted_for,
      t.reference,
      t.note,
    ],
  }));

  const notes = z
    .string()
    .transform((value) => (value.trim() === '' ? [] : value.split('|').map((note) => note.trim())));
  const waves = readCsvFile(
    join(dir, 'waves.csv'),
    z.object({
      release,
      year: cell.year,
      drawn_sample: cell.optionalNumber,
      sample_age_from: cell.optionalNumber,
      sample_age_to: cell.optionalNumber,
      removals: cell.optionalNumber,
      gross_sample: cell.optionalNumber,
      respondents: cell.optionalNumber,
      response_rate: cell.optionalNumber,
      web_share: cell.optionalNumber,
      phone_share: cell.optionalNumber,
      non_contact_share: cell.optionalNumber,
      fieldwork_start: z.union([cell.date, z.literal('')]).transform((v) => v || null),
      fieldwork_end: z.union([cell.date, z.literal('')]).transform((v) => v || null),
      notes_nb: notes,
      notes_en: notes,
      reference: cell.text,
    }),
  ).map(({ release: id, ...w }) => ({ release: id, values: Object.values(w) as SqlValue[] }));

  return bundleByRelease(releases, [
    { table: TABLES.prevalence, columns: PREVALENCE_COLUMNS, rows: prevalence },
    {
      table: TABLES.trendPoints,
      columns: [
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
      ],
      rows: trends,
    },
    {
      table: TABLES.trendTests,
      columns: [
        'substance_code',
        'recalls',
        'year_from',
        'year_to',
        'direction',
        'p_value',
        'p_qualifier',
        'adjusted_for',
        'reference',
        'note',
      ],
      rows: tests,
    },
    { table: TABLES.distributions, columns: DISTRIBUTION_COLUMNS, rows: distributions },
    {
      table: TABLES.waves,
      columns: [
        'year',
        'drawn_sample',
        'sample_age_from',
        'sample_age_to',
        'removals',
        'gross_sample',
        'respondents',
        'response_rate',
        'web_share',
        'phone_share',
        'non_contact_share',
        'fieldwork_start',
        'fieldwork_end',
        'notes_nb',
        'notes_en',
        'reference',
      ],
      rows: waves,
    },
  ]);
}

const UPLOAD_COLUMNS = [
  'year',
  'substance',
  'recall',
  'sex',
  'age_group',
  'value',
  'ci_low',
  'ci_high',
  'respondents',
  'users',
  'qualifier',
  'reference',
  'note',
];
export const SURVEY_UPLOAD_LAYOUT = `CSV with the header ${UPLOAD_COLUMNS.join(',')} (weighted percentages; CI and unweighted counts may be empty), or a JSON-stat 2.0 dataset with dimensions year/Tid and substance/Rusmiddel (optionally recall/Tidsrom, sex/Kjonn, age/Alder, and ContentsCode with value, ci_low, ci_high, respondents, users)`;

const count = z
  .string()
  .trim()
  .regex(/^(\d+)?$/, 'must be a whole number or empty')
  .transform((v) => (v === '' ? null : Number(v)));
const uploadRow = z.object({
  year: cell.year,
  substance: cell.text,
  recall: cell.text,
  sex: cell.text,
  age_group: cell.text,
  value: cell.optionalNumber,
  ci_low: cell.optionalNumber,
  ci_high: cell.optionalNumber,
  respondents: count,
  users: count,
  qualifier: cell.member(enums.Qualifier),
  reference: cell.text,
  note: cell.optionalText,
});

const SURVEY_JSON_STAT: JsonStatMapping = {
  dimensions: {
    year: 'year',
    tid: 'year',
    aar: 'year',
    år: 'year',
    substance: 'substance',
    rusmiddel: 'substance',
    stoff: 'substance',
    recall: 'recall',
    tidsrom: 'recall',
    periode: 'recall',
    sex: 'sex',
    kjonn: 'sex',
    kjønn: 'sex',
    age: 'age_group',
    alder: 'age_group',
    age_group: 'age_group',
    contentscode: 'contents',
    statistikkvariabel: 'contents',
  },
  required: ['year', 'substance'],
  defaults: { recall: 'LIFETIME', sex: 'ALL', age_group: '16-64', qualifier: 'EXACT', note: '' },
  codes: { sex: { '0': 'ALL', '1': 'MALE', '2': 'FEMALE' } },
  pivot: {
    column: 'contents',
    fields: {
      value: 'value',
      prosent: 'value',
      ci_low: 'ci_low',
      ci_high: 'ci_high',
      respondents: 'respondents',
      users: 'users',
    },
  },
};

/** Reads an uploaded prevalence file (CSV, or JSON-stat 2.0 when it is JSON), checked like the charts. */
export function parseSurveyUpload(text: string, fileName: string, release: ReleaseRecord): ReleaseBundle {
  const codelists = readCodelistCodes();
  const codes: Codes = {
    substance: codelists.get(CODELIST_TABLES.substance) ?? [],
    ageGroup: codelists.get(CODELIST_TABLES.ageGroup) ?? [],
  };
  let rows: z.infer<typeof uploadRow>[];
  if (text.trimStart().startsWith('{')) {
    const asText = (v: number | null | undefined) => (v == null ? '' : String(v));
    rows = jsonStatRows(text, fileName, SURVEY_JSON_STAT).map((row, index) => {
      const parsed = uploadRow.safeParse({
        ...row.columns,
        value: asText(row.values.value),
        ci_low: asText(row.values.ci_low),
        ci_high: asText(row.values.ci_high),
        respondents: asText(row.values.respondents),
        users: asText(row.values.users),
        reference: `${fileName} (JSON-stat)`,
      });
      if (!parsed.success)
        throw new InputFileError(
          fileName,
          undefined,
          String(firstIssue(parsed.error).path[0]),
          `cell ${index + 1}: ${firstIssue(parsed.error).message}`,
        );
      return parsed.data;
    });
  } else {
    rows = parseCsv(text, fileName, uploadRow);
  }
  const unknown = new Map<string, Set<string>>();
  const note = (column: string, code: string) => unknown.set(column, (unknown.get(column) ?? new Set()).add(code));
  for (const row of rows) {
    if (!codes.substance.includes(row.substance)) note('substance', row.substance);
    if (!RECALLS.includes(row.recall)) note('recall', row.recall);
    if (!SEXES.includes(row.sex)) note('sex', row.sex);
    if (!codes.ageGroup.includes(row.age_group)) note('age_group', row.age_group);
  }
  if (text.trimStart().startsWith('{')) rejectUnknownCodes(fileName, unknown);
  return {
    release,
    observations: [
      {
        table: TABLES.prevalence,
        columns: PREVALENCE_COLUMNS,
        rows: rows.map((row, index) => {
          const prevalence = {
            substance: row.substance,
            recall: row.recall,
            sex: row.sex,
            ageGroup: row.age_group,
            value: row.value,
            ciLow: row.ci_low,
            ciHigh: row.ci_high,
            respondents: row.respondents,
            users: row.users,
          };
          checkPrevalence(fileName, index + 2, codes, prevalence, {
            value: 'value',
            ciLow: 'ci_low',
            ciHigh: 'ci_high',
            respondents: 'respondents',
            users: 'users',
            substance: 'substance',
            recall: 'recall',
            sex: 'sex',
            ageGroup: 'age_group',
          });
          const status = row.value === null ? 'MISSING' : release.status === 'PRELIMINARY' ? 'PROVISIONAL' : 'NORMAL';
          return [
            row.year,
            row.substance,
            row.recall,
            row.sex,
            row.age_group,
            row.value,
            row.ci_low,
            row.ci_high,
            row.respondents,
            row.users,
            status,
            row.qualifier,
            row.reference,
            row.note,
          ];
        }),
      },
    ],
  };
}

export const readSurveySource = (dir = SURVEY_DATA_DIR) => readSourceFile(dir);
