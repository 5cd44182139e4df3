import { z } from 'zod';
import { firstIssue, InputFileError } from './csv.ts';

// JSON-stat 2.0 (https://json-stat.org/full/), the format of SSB's and FHI's statistics APIs:
// a dataset of dimensions with coded categories and a flat value array in row-major order.

const category = z.object({
  index: z.union([z.array(z.string()), z.record(z.string(), z.number().int().nonnegative())]),
  label: z.record(z.string(), z.string()).optional(),
});

const dataset = z.object({
  version: z.literal('2.0', { error: 'only JSON-stat version "2.0" is read' }),
  class: z.literal('dataset', { error: 'the top-level class must be "dataset"' }),
  id: z.array(z.string()).min(1),
  size: z.array(z.number().int().nonnegative()),
  dimension: z.record(z.string(), z.object({ category })),
  value: z.union([z.array(z.number().nullable()), z.record(z.string(), z.number().nullable())]),
  status: z.union([z.string(), z.array(z.string().nullable()), z.record(z.string(), z.string())]).optional(),
});

/** One cell of a JSON-stat dataset: the category code of each dimension, its value and status symbol. */
export interface JsonStatCell {
  index: number;
  categories: Record<string, string>;
  value: number | null;
  status: string | null;
}

/** Decodes a JSON-stat 2.0 dataset into its cells; problems name the file and the part of the dataset. */
export function readJsonStat(text: string, file: string): { dimensions: string[]; cells: JsonStatCell[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputFileError(file, undefined, undefined, `not valid JSON (${(error as Error).message})`);
  }
  const parsed = dataset.safeParse(json);
  if (!parsed.success) {
    const issue = firstIssue(parsed.error);
    throw new InputFileError(
      file,
      undefined,
      issue.path.join('.') || undefined,
      `not a JSON-stat 2.0 dataset: ${issue.message}`,
    );
  }
  const { id, size, dimension, value, status } = parsed.data;
  if (id.length !== size.length)
    throw new InputFileError(
      file,
      undefined,
      'size',
      `"id" names ${id.length} dimensions but "size" has ${size.length}`,
    );
  const codes = id.map((name, d) => {
    const dim = dimension[name];
    if (!dim)
      throw new InputFileError(
        file,
        undefined,
        `dimension.${name}`,
        `dimension "${name}" is listed in "id" but not described`,
      );
    const index = dim.category.index;
    const ordered = Array.isArray(index)
      ? index
      : Object.entries(index)
          .sort((a, b) => a[1] - b[1])
          .map(([code]) => code);
    if (ordered.length !== size[d])
      throw new InputFileError(
        file,
        undefined,
        `dimension.${name}`,
        `has ${ordered.length} categories but "size" says ${size[d]}`,
      );
    return ordered;
  });
  const total = size.reduce((product, n) => product * n, 1);
  const valueAt = (i: number) => (Array.isArray(value) ? (value[i] ?? null) : (value[String(i)] ?? null));
  if (Array.isArray(value) && value.length !== total)
    throw new InputFileError(
      file,
      undefined,
      'value',
      `has ${value.length} values; the dimensions make ${total} cells`,
    );
  const statusAt = (i: number) =>
    status === undefined
      ? null
      : typeof status === 'string'
        ? status
        : Array.isArray(status)
          ? (status[i] ?? null)
          : (status[String(i)] ?? null);
  const cells: JsonStatCell[] = [];
  for (let i = 0; i < total; i++) {
    let rest = i;
    const categories: Record<string, string> = {};
    for (let d = id.length - 1; d >= 0; d--) {
      const dimensionSize = size[d] ?? 1;
      categories[id[d] ?? ''] = codes[d]?.[rest % dimensionSize] ?? '';
      rest = Math.floor(rest / dimensionSize);
    }
    cells.push({ index: i, categories, value: valueAt(i), status: statusAt(i) });
  }
  return { dimensions: id, cells };
}

/** SSB's status symbols: ":" confidential, ".." not available, "." not applicable. */
export function statusOf(cell: JsonStatCell): 'NORMAL' | 'SUPPRESSED' | 'MISSING' {
  if (cell.status === ':') return 'SUPPRESSED';
  if (cell.value === null || cell.status === '..' || cell.status === '.') return 'MISSING';
  return 'NORMAL';
}

export interface JsonStatMapping {
  /** Dimension names as APIs spell them (lower case), and the column each fills. */
  dimensions: Record<string, string>;
  /** Columns the dataset must have a dimension for. */
  required: readonly string[];
  /** Columns of dimensions the dataset may leave out: their totals. */
  defaults: Record<string, string>;
  /** Per column, API codes that mean one of ours (e.g. SSB's sex "1" is MALE). */
  codes?: Record<string, Record<string, string>>;
  /**
   * A column whose categories name value fields rather than cells (e.g. ContentsCode with
   * percent, CI limits, counts): the cells that differ only in it become one row.
   */
  pivot?: { column: string; fields: Record<string, string> };
}

/**
 * The names SSB's and FHI's JSON-stat datasets (and ours) give the dimensions several sources
 * share, lower-cased, each with the column it fills; a source's mapping spreads those it has.
 */
export const SHARED_DIMENSIONS = {
  year: { year: 'year', tid: 'year', aar: 'year', år: 'year' },
  sexAndAge: { sex: 'sex', kjonn: 'sex', kjønn: 'sex', age: 'age_group', alder: 'age_group', age_group: 'age_group' },
  /** SSB's ContentsCode, the dimension whose categories are measures: `column` says which column it fills. */
  contents: (column: string) => ({ contentscode: column, statistikkvariabel: column }),
};

/** SSB's codes of sex: 0 both, 1 men, 2 women. */
export const SSB_SEX_CODES = { '0': 'ALL', '1': 'MALE', '2': 'FEMALE' };

/** One row of a JSON-stat dataset in a source's columns: codes as strings, values as numbers. */
export interface JsonStatRow {
  columns: Record<string, string>;
  values: Record<string, number | null>;
  status: 'NORMAL' | 'SUPPRESSED' | 'MISSING';
}

/** Maps a JSON-stat dataset onto a source's columns, rejecting unknown or missing dimensions. */
export function jsonStatRows(text: string, file: string, mapping: JsonStatMapping): JsonStatRow[] {
  const { dimensions, cells } = readJsonStat(text, file);
  const columnOf = new Map<string, string>();
  for (const name of dimensions) {
    const column = mapping.dimensions[name.toLowerCase()];
    if (!column)
      throw new InputFileError(
        file,
        undefined,
        `dimension.${name}`,
        `unknown dimension "${name}"; known: ${Object.keys(mapping.dimensions).join(', ')}`,
      );
    columnOf.set(name, column);
  }
  const present = new Set(columnOf.values());
  const missing = mapping.required.filter((column) => !present.has(column));
  if (missing.length)
    throw new InputFileError(
      file,
      undefined,
      'id',
      `missing dimension ${missing.join(' and ')}; the dataset has ${dimensions.join(', ')}`,
    );
  const pivot = mapping.pivot && present.has(mapping.pivot.column) ? mapping.pivot : undefined;

  const rows = new Map<string, JsonStatRow>();
  for (const cell of cells) {
    const columns: Record<string, string> = { ...mapping.defaults };
    let field = 'value';
    for (const [name, code] of Object.entries(cell.categories)) {
      const column = columnOf.get(name) ?? name;
      if (pivot && column === pivot.column) {
        const target = pivot.fields[code.toLowerCase()];
        if (!target)
          throw new InputFileError(
            file,
            undefined,
            `dimension.${name}`,
            `unknown category "${code}"; known: ${Object.keys(pivot.fields).join(', ')}`,
          );
        field = target;
      } else {
        columns[column] = mapping.codes?.[column]?.[code] ?? code;
      }
    }
    const key = JSON.stringify(columns);
    const row = rows.get(key) ?? { columns, values: {}, status: 'NORMAL' as const };
    row.values[field] = cell.value;
    if (field === 'value') row.status = statusOf(cell);
    rows.set(key, row);
  }
  return [...rows.values()];
}

/** Collects unknown codes per column over all rows, and throws one error listing them all. */
export function rejectUnknownCodes(file: string, unknown: Map<string, Set<string>>): void {
  if (!unknown.size) return;
  const problems = [...unknown]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([column, codes]) => `${column}: ${[...codes].map((c) => `"${c}"`).join(', ')}`);
  throw new InputFileError(
    file,
    undefined,
    undefined,
    `codes that are not ours (${problems.join('; ')}); see the codelists under prisma/data/dimensions`,
  );
}
