import { z } from 'zod';
import * as enums from '../../db/generated/prisma/enums.ts';
import { cell, firstIssue, InputFileError, parseCsv } from '../../importing/csv.ts';
import {
  type JsonStatMapping,
  jsonStatRows,
  rejectUnknownCodes,
  SHARED_DIMENSIONS,
  SSB_SEX_CODES,
} from '../../importing/json-stat.ts';
import type { ReleaseBundle, ReleaseRecord } from '../../importing/source-module.ts';
import { checkPrevalence, PREVALENCE_COLUMNS, prevalenceValues, RECALLS, readCodes, SEXES, statusOf } from './cells.ts';
import { TABLES } from './tables.ts';

// A new release of prevalence figures uploaded through the publish API: CSV, or JSON-stat 2.0
// (SSB's StatBank format), checked like the bundled charts.

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
export const SURVEY_UPLOAD_LAYOUT =
  `CSV with the header ${UPLOAD_COLUMNS.join(',')} (weighted percentages; CI and unweighted counts may ` +
  `be empty), or a JSON-stat 2.0 dataset with dimensions year/Tid and substance/Rusmiddel (optionally recall/Tidsrom, ` +
  `sex/Kjonn, age/Alder, and ContentsCode with value, ci_low, ci_high, respondents, users)`;

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
    ...SHARED_DIMENSIONS.year,
    substance: 'substance',
    rusmiddel: 'substance',
    stoff: 'substance',
    recall: 'recall',
    tidsrom: 'recall',
    periode: 'recall',
    ...SHARED_DIMENSIONS.sexAndAge,
    ...SHARED_DIMENSIONS.contents('contents'),
  },
  required: ['year', 'substance'],
  defaults: { recall: 'LIFETIME', sex: 'ALL', age_group: '16-64', qualifier: 'EXACT', note: '' },
  codes: { sex: SSB_SEX_CODES },
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
  const codes = readCodes();
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
          const status = row.value === null ? 'MISSING' : statusOf(release);
          const { year, qualifier, reference } = row;
          return prevalenceValues({ ...prevalence, year, status, qualifier, reference, note: row.note });
        }),
      },
    ],
  };
}
