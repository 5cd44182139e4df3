import { z } from 'zod';
import { InputFileError } from './csv.ts';

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
    const issue = parsed.error.issues[0]!;
    throw new InputFileError(file, undefined, issue.path.join('.') || undefined, `not a JSON-stat 2.0 dataset: ${issue.message}`);
  }
  const { id, size, dimension, value, status } = parsed.data;
  if (id.length !== size.length) throw new InputFileError(file, undefined, 'size', `"id" names ${id.length} dimensions but "size" has ${size.length}`);
  const codes = id.map((name, d) => {
    const dim = dimension[name];
    if (!dim) throw new InputFileError(file, undefined, `dimension.${name}`, `dimension "${name}" is listed in "id" but not described`);
    const index = dim.category.index;
    const ordered = Array.isArray(index) ? index : Object.entries(index).sort((a, b) => a[1] - b[1]).map(([code]) => code);
    if (ordered.length !== size[d]) throw new InputFileError(file, undefined, `dimension.${name}`, `has ${ordered.length} categories but "size" says ${size[d]}`);
    return ordered;
  });
  const total = size.reduce((product, n) => product * n, 1);
  const valueAt = (i: number) => (Array.isArray(value) ? (value[i] ?? null) : (value[String(i)] ?? null));
  if (Array.isArray(value) && value.length !== total) throw new InputFileError(file, undefined, 'value', `has ${value.length} values; the dimensions make ${total} cells`);
  const statusAt = (i: number) => (status === undefined ? null : typeof status === 'string' ? status : Array.isArray(status) ? (status[i] ?? null) : (status[String(i)] ?? null));
  const cells: JsonStatCell[] = [];
  for (let i = 0; i < total; i++) {
    let rest = i;
    const categories: Record<string, string> = {};
    for (let d = id.length - 1; d >= 0; d--) {
      categories[id[d]!] = codes[d]![rest % size[d]!]!;
      rest = Math.floor(rest / size[d]!);
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
