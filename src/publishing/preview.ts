import type pg from 'pg';
import { type CubeDefinition, cellColumns } from '../cube/definition.ts';
import type { Database } from '../db/database.ts';
import type { Qualifier, ValueStatus } from '../db/generated/prisma/enums.ts';
import type { ObservationRows, RegisteredSource } from '../importing/source-module.ts';
import { cubeOfTable } from '../sources/registry.ts';
import { audit } from './audit.ts';
import { type UploadRequest, validateUpload } from './upload.ts';

/** A cell a release would add, or revise (a new value, status or qualifier), beside the cell as it is. */
export interface CellChange {
  kind: 'ADDED' | 'REVISED';
  description: string;
  year: number;
  /** The first year of a period the cell covers, where the cube has periods. */
  yearFrom: number | null;
  /** The cell's series and dimension codes, by the query argument (or field) they go to. */
  codes: { name: string; code: string }[];
  value: number | null;
  status: ValueStatus;
  qualifier: Qualifier;
  previous: number | null;
  previousStatus: ValueStatus | null;
  previousQualifier: Qualifier | null;
  previousReleaseId: string | null;
}

export interface ReleasePreview {
  sourceId: string;
  /** The cells are compared with the releases published by this date (YYYY-MM-DD). */
  publishedAt: string;
  added: number;
  revised: number;
  unchanged: number;
  /** Every added or revised cell, in the cube's cell order (year first), table by table. */
  changes: CellChange[];
}

export interface PreviewRequest extends UploadRequest {
  /** Who asks: an API key id, or "cli:<user>". */
  actor: string;
}

/**
 * What publishing a file would change, without writing it: the file is validated exactly as
 * publishRelease validates it, then each cell is compared with the same cell as the cube answers it
 * on the release's date (the latest release published by then and not withdrawn). The preview is
 * audited, found or refused: it shows a key the values of releases that may not be public yet.
 */
export async function previewRelease(
  db: Database,
  modules: readonly RegisteredSource[],
  request: PreviewRequest,
): Promise<ReleasePreview> {
  const { sourceId, actor, fileName } = request;
  try {
    const preview = await compareUpload(db, modules, request);
    await audit(db.prisma, {
      actor,
      action: 'PREVIEW',
      sourceId,
      result: 'OK',
      detail:
        `${fileName}: ${preview.added} added, ${preview.revised} revised, ${preview.unchanged} unchanged ` +
        `(as of ${preview.publishedAt})`,
    });
    return preview;
  } catch (error) {
    await audit(db.prisma, {
      actor,
      action: 'PREVIEW',
      sourceId,
      result: 'REJECTED',
      detail: `${fileName}: ${(error as Error).message}`,
    });
    throw error;
  }
}

async function compareUpload(
  db: Database,
  modules: readonly RegisteredSource[],
  request: PreviewRequest,
): Promise<ReleasePreview> {
  const { bundle } = await validateUpload(db.pool, modules, request, 'previewRelease');
  const publishedAt = request.release.published_at;
  const preview: ReleasePreview = {
    sourceId: request.sourceId,
    publishedAt,
    added: 0,
    revised: 0,
    unchanged: 0,
    changes: [],
  };
  for (const observations of bundle.observations) {
    const cube = cubeOfTable(observations.table);
    if (!cube) throw new Error(`no cube serves the table ${observations.table}: its cells cannot be compared`);
    for (const cell of await compareCells(db.pool, cube, observations, publishedAt)) {
      const kind = cellChange(cell);
      if (!kind) {
        preview.unchanged++;
        continue;
      }
      if (kind === 'ADDED') preview.added++;
      else preview.revised++;
      const names = [...cube.series.map(({ field }) => field), ...cube.dimensions.map(({ argument }) => argument)];
      const codes = [...cube.series, ...cube.dimensions].map(({ column }) => cell.codes[column] ?? '');
      preview.changes.push({
        kind,
        description: describeCell(cube, cell),
        year: cell.year,
        yearFrom: cube.yearFrom ? Number(cell.codes[cube.yearFrom.column]) : null,
        codes: names.map((name, i) => ({ name, code: codes[i] ?? '' })),
        value: cell.value,
        status: cell.status,
        qualifier: cell.qualifier,
        previous: cell.previous,
        previousStatus: cell.previousStatus,
        previousQualifier: cell.previousQualifier,
        previousReleaseId: cell.previousReleaseId,
      });
    }
  }
  return preview;
}

/** A cell of the file beside the cell as stored (previous* null when no release has it). */
interface ComparedCell {
  /** The cell's codes as text, by column. */
  codes: Record<string, string>;
  /** The English label of each dimension's member that has one, by column. */
  labels: Record<string, string | null>;
  year: number;
  value: number | null;
  status: ValueStatus;
  qualifier: Qualifier;
  previous: number | null;
  previousStatus: ValueStatus | null;
  previousQualifier: Qualifier | null;
  previousReleaseId: string | null;
}

function cellChange(cell: ComparedCell): CellChange['kind'] | undefined {
  if (cell.previousReleaseId === null) return 'ADDED';
  const same =
    cell.value === cell.previous && cell.status === cell.previousStatus && cell.qualifier === cell.previousQualifier;
  return same ? undefined : 'REVISED';
}

const identifier = (name: string) => `"${name}"`;

/**
 * Each cell of the file beside the same cell as the cube answers it on `publishedAt`, in the cube's
 * cell order: one statement for the whole table. The file's cells arrive as one JSON parameter
 * read as rows of the table's own type, so they compare with its columns in their own types (the
 * cube's index on its cell columns finds each cell). Per cell, the stored row picked is the one
 * cube queries pick: the latest release published by then and not withdrawn (published_at,
 * created_at, id, descending). A cell given twice under one cube cell (e.g. in two references)
 * counts once, as the first given, which is the one queries would answer from.
 */
async function compareCells(
  pool: pg.Pool,
  cube: CubeDefinition,
  { columns, rows }: ObservationRows,
  publishedAt: string,
): Promise<ComparedCell[]> {
  const key = cellColumns(cube).map(({ column }) => column);
  const value = cube.values.find(({ field }) => field === 'value')?.column ?? 'value';
  const sent = [...key, value, 'status', 'qualifier', ...(cube.order ?? []).map(({ column }) => column)];
  const positions = sent.map((column) => columns.indexOf(column));
  const cells = rows.map((row) =>
    Object.fromEntries(sent.map((column, i) => [column, row[positions[i] ?? -1] ?? null])),
  );
  const labelled = cube.dimensions.flatMap((dimension, i) =>
    'table' in dimension.codelist && dimension.codelist.label
      ? [{ column: dimension.column, codelist: dimension.codelist, label: dimension.codelist.label, alias: `l${i}` }]
      : [],
  );
  const order = [
    cube.year,
    ...(cube.yearFrom ? [cube.yearFrom] : []),
    ...cube.series,
    ...(cube.order ?? []),
    ...cube.dimensions,
  ];
  const text = `
    WITH file AS (
      SELECT DISTINCT ON (${key.map((column) => `f.${identifier(column)}`).join(', ')}) f.*
      FROM json_populate_recordset(NULL::${identifier(cube.table)}, $1::json) WITH ORDINALITY AS f
      ORDER BY ${key.map((column) => `f.${identifier(column)}`).join(', ')}, f.ordinality
    )
    SELECT json_build_object(${key.map((column) => `'${column}', f.${identifier(column)}::text`).join(', ')}) AS codes,
      json_build_object(${labelled.map(({ column, alias, label }) => `'${column}', ${alias}.${identifier(label)}`).join(', ')}) AS labels,
      f.${identifier(cube.year.column)}::int AS year, f.${identifier(value)} AS value,
      f.status::text AS status, f.qualifier::text AS qualifier,
      p.value AS previous, p.status AS "previousStatus", p.qualifier AS "previousQualifier",
      p.release_id AS "previousReleaseId"
    FROM file f
    LEFT JOIN LATERAL (
      SELECT o.${identifier(value)} AS value, o.status::text AS status, o.qualifier::text AS qualifier, o.release_id
      FROM ${identifier(cube.table)} o JOIN "release" r ON r.id = o.release_id
      WHERE ${key.map((column) => `o.${identifier(column)} = f.${identifier(column)}`).join(' AND ')}
        AND r.withdrawn_at IS NULL AND r.published_at <= $2::date
      ORDER BY r.published_at DESC, r.created_at DESC, r.id DESC, o.id
      LIMIT 1
    ) p ON true
    ${labelled
      .map(
        ({ codelist, alias, column }) =>
          `LEFT JOIN ${identifier(codelist.table)} ${alias} ON ${alias}.${identifier(codelist.column)} = f.${identifier(column)}`,
      )
      .join('\n    ')}
    ORDER BY ${order.map(({ column }) => `f.${identifier(column)}`).join(', ')}`;
  const { rows: compared } = await pool.query<ComparedCell>(text, [JSON.stringify(cells), publishedAt]);
  return compared;
}

/** A code of an enumeration in words: LAST_12_MONTHS is "Last 12 months". */
const inWords = (code: string) => {
  const words = code.toLowerCase().replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/**
 * The cell in words, e.g. "Deaths, Norway, 2023": its series (e.g. the measure), then each
 * dimension's member in the cube's order, then the year or period. A member is named by its
 * codelist's English name, a member of an enumeration by its code in words; members coded ALL (a
 * total of everything) are left out, as they add nothing.
 */
function describeCell(cube: CubeDefinition, cell: ComparedCell): string {
  const series = cube.series.map(({ column }) => inWords(cell.codes[column] ?? ''));
  const members = cube.dimensions.flatMap(({ column, codelist }) => {
    const code = cell.codes[column] ?? '';
    if (code === 'ALL') return [];
    return [cell.labels[column] ?? ('values' in codelist ? inWords(code) : code)];
  });
  const from = cube.yearFrom ? Number(cell.codes[cube.yearFrom.column]) : cell.year;
  return [...series, ...members, from === cell.year ? String(cell.year) : `${from}–${cell.year}`].join(', ');
}

/** The preview as text for a terminal: the counts, then one row per change. */
export function previewTable(preview: ReleasePreview): string {
  const amount = (value: number | null, status: string | null, qualifier: string | null) =>
    [value ?? '-', status && status !== 'NORMAL' ? status : '', qualifier && qualifier !== 'EXACT' ? qualifier : '']
      .filter((part) => part !== '')
      .join(' ');
  const rows = preview.changes.map((change) => [
    change.description,
    change.previousReleaseId === null ? '' : amount(change.previous, change.previousStatus, change.previousQualifier),
    amount(change.value, change.status, change.qualifier),
    change.previousReleaseId ?? '',
  ]);
  const header = ['cell', 'previous', 'value', 'previous release'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => String(row[i]).length)));
  // Text left, numbers right; the last column is not padded (no trailing spaces).
  const line = (cells: string[]) =>
    cells
      .map((cell, i) =>
        i === cells.length - 1
          ? cell
          : i === 1 || i === 2
            ? cell.padStart(widths[i] ?? 0)
            : cell.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [
    `dry run (nothing published): compared with the ${preview.sourceId} releases published by ${preview.publishedAt}`,
    `added      ${preview.added}`,
    `revised    ${preview.revised}`,
    `unchanged  ${preview.unchanged}`,
    ...(rows.length ? ['', line(header), ...rows.map((row) => line(row.map(String)))] : []),
  ].join('\n');
}
