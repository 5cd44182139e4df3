import type { Database } from '../db/database.ts';
import { type CubeDefinition, type CubeRow, cellColumns } from './definition.ts';
import type { CubeMetadata } from './metadata.ts';
import { seriesKey } from './metadata.ts';
import { type ReadView, visibleSql } from './read-view.ts';
import { utcDate } from './release-catalogue.ts';

/** One row of a cube named by its release and its cell: the cell columns' values as text, in `cellColumns` order. */
export interface CellKey {
  releaseId: string;
  cell: readonly (string | null)[];
}

const identifier = (name: string) => `"${name}"`;

/** The key of a row that a cube query returned. */
export function cellKeyOf(row: CubeRow): CellKey {
  const values = row as unknown as Record<string, unknown>;
  return {
    releaseId: row.releaseId,
    cell: cellColumns(row.cube).map(({ field }) => (values[field] == null ? null : String(values[field]))),
  };
}

/**
 * Whether a key can name a row of the cube: as many values as cell columns, whole years, and
 * codes and series the cube knows. A key that cannot is never sent to the database (an unknown
 * enum value or a year that is no number would fail the statement for every key sent with it).
 */
export function isPossibleKey(cube: CubeDefinition, metadata: CubeMetadata, key: CellKey): boolean {
  const columns = cellColumns(cube);
  if (key.cell.length !== columns.length) return false;
  const cellValue = new Map(columns.map((column, index) => [column, key.cell[index] ?? null]));
  const series = Object.fromEntries(cube.series.map((column) => [column.column, cellValue.get(column) ?? '']));
  if (cube.series.some((column) => cellValue.get(column) === null) || !metadata.series.has(seriesKey(cube, series))) {
    return false;
  }
  const years = [cube.year, ...(cube.yearFrom ? [cube.yearFrom] : [])].map((column) => cellValue.get(column));
  if (!years.every((year) => year != null && /^-?\d{1,9}$/.test(year))) return false;
  return cube.dimensions.every((dimension) => {
    const code = cellValue.get(dimension);
    return code != null && (metadata.codes.get(dimension.argument)?.has(code) ?? false);
  });
}

/**
 * The rows of these (release, cell) keys, in their order, null where a release has no such cell:
 * one statement for all of them. Where a release prints a cell twice, the first stored answers,
 * as in `selectCells`. Withdrawn releases count too: an id names what a release published; a
 * release under embargo only where the view sees it (its id is no way around the embargo).
 */
export async function selectCellsByKey<Row extends CubeRow>(
  db: Pick<Database, 'readRows'>,
  cube: CubeDefinition,
  keys: readonly CellKey[],
  view: ReadView,
): Promise<(Row | null)[]> {
  if (!keys.length) return [];
  const columns = cellColumns(cube);
  const values: unknown[] = [];
  const add = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const matches = keys.map(
    (key) =>
      `(o.release_id = ${add(key.releaseId)} AND ${columns
        .map(({ column }, index) => {
          const value = key.cell[index];
          return value == null ? `o.${identifier(column)} IS NULL` : `o.${identifier(column)} = ${add(value)}`;
        })
        .join(' AND ')})`,
  );
  const selected = [...columns, ...cube.values].map(
    ({ column, field }) => `o.${identifier(column)} AS ${identifier(field)}`,
  );
  const cellOrder = columns.map(({ column }) => `o.${identifier(column)}`);
  const visible = visibleSql('r', view, add);
  // The data version in the same snapshot; one row (of nulls) when no key names a row.
  const rows = await db.readRows<Omit<Row, 'cube' | 'publishedAt'> & { publishedAt: string; dataVersion: string }>(
    {
      text: `SELECT v.version::text AS "dataVersion", found.* FROM data_version v LEFT JOIN LATERAL (
        SELECT DISTINCT ON (o.release_id, ${cellOrder.join(', ')}) ${selected.join(', ')},
             o.release_id AS "releaseId", r.source_id AS "sourceId", to_char(r.published_at, 'YYYY-MM-DD') AS "publishedAt"
        FROM ${identifier(cube.table)} o JOIN "release" r ON r.id = o.release_id
        WHERE (${matches.join(' OR ')}) AND ${visible}
        ORDER BY o.release_id, ${cellOrder.join(', ')}, o.id
      ) found ON true`,
      values,
    },
    view.heard,
  );
  if (rows[0]) view.saw(rows[0].dataVersion);
  const found = new Map<string, Row>();
  for (const { publishedAt, dataVersion: _version, ...rest } of rows) {
    if (rest.releaseId == null) continue;
    const row = { ...rest, publishedAt: utcDate(publishedAt), cube } as unknown as Row;
    found.set(JSON.stringify(cellKeyOf(row)), row);
  }
  return keys.map((key) => found.get(JSON.stringify({ releaseId: key.releaseId, cell: key.cell })) ?? null);
}
