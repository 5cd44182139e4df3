import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';

/** A problem in an input file, located by file, line and column so a publisher can fix it. */
export class InputFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly column: string | undefined,
    problem: string,
  ) {
    super(`${file}${line ? `, line ${line}` : ''}${column ? `, column "${column}"` : ''}: ${problem}`);
    this.name = 'InputFileError';
  }
}

/**
 * Parses CSV text with a header row and validates every row with `rowSchema`, whose keys must be
 * exactly the expected columns. Fails on the first bad row, naming file, line and column.
 */
export function parseCsv<Shape extends z.ZodRawShape>(
  text: string,
  file: string,
  rowSchema: z.ZodObject<Shape>,
): z.infer<z.ZodObject<Shape>>[] {
  const expected = Object.keys(rowSchema.shape);
  let records: string[][];
  try {
    // csv-parse handles quoted fields with commas and quotes, which the sources' files contain.
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false });
  } catch (error) {
    const csvError = error as { lines?: number; message: string };
    throw new InputFileError(file, csvError.lines, undefined, `not valid CSV (${csvError.message})`);
  }
  const [header, ...rows] = records;
  if (!header || header.join(',') !== expected.join(',')) {
    throw new InputFileError(
      file,
      1,
      undefined,
      `the header must be "${expected.join(',')}", found "${(header ?? []).join(',')}"`,
    );
  }
  return rows.map((cells, index) => {
    const line = index + 2;
    const record = Object.fromEntries(expected.map((column, i) => [column, cells[i] ?? '']));
    const parsed = rowSchema.safeParse(record);
    if (!parsed.success) {
      const issue = firstIssue(parsed.error);
      const column = String(issue.path[0]);
      throw new InputFileError(file, line, column, `${issue.message} (found "${record[column] ?? ''}")`);
    }
    return parsed.data;
  });
}

/** The first problem zod found (a failed parse has at least one). */
export function firstIssue(error: z.ZodError): { path: readonly PropertyKey[]; message: string } {
  return error.issues[0] ?? { path: [], message: 'invalid' };
}

export function readCsvFile<Shape extends z.ZodRawShape>(path: string, rowSchema: z.ZodObject<Shape>) {
  return parseCsv(readFileSync(path, 'utf8'), basename(path), rowSchema);
}

/** Column validators shared by the importers. An empty cell means "not given". */
export const cell = {
  text: z.string().trim().min(1, 'must not be empty'),
  optionalText: z
    .string()
    .trim()
    .transform((value) => (value === '' ? null : value)),
  year: z
    .string()
    .trim()
    .regex(/^\d{4}$/, 'must be a four-digit year')
    .transform(Number),
  optionalYear: z
    .string()
    .trim()
    .regex(/^(\d{4})?$/, 'must be a four-digit year or empty')
    .transform((value) => (value === '' ? null : Number(value))),
  number: z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, 'must be a number with "." as decimal point')
    .transform(Number),
  optionalNumber: z
    .string()
    .trim()
    .regex(/^(-?\d+(\.\d+)?)?$/, 'must be a number with "." as decimal point, or empty')
    .transform((value) => (value === '' ? null : Number(value))),
  date: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
    .refine((value) => isCalendarDate(value), 'must be a real calendar date'),
  oneOf<const Values extends readonly [string, ...string[]]>(values: Values) {
    return z.enum(values, { error: `must be one of ${values.join(', ')}` });
  },
  /** One of the values of an enum of prisma/schema.prisma (its generated object), e.g. `cell.member(Qualifier)`. */
  member<const Enum extends Readonly<Record<string, string>>>(values: Enum) {
    return z.enum(values, { error: `must be one of ${Object.values(values).join(', ')}` });
  },
};

export function isCalendarDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
