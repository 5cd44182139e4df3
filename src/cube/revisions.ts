import type { Database } from '../db/database.ts';
import { type CubeDefinition, type CubeRow, cellColumns } from './definition.ts';
import { type ReadView, visibleSql } from './read-view.ts';
import { utcDate } from './release-catalogue.ts';

/** A value the same cell had in another release. */
export interface Revision {
  value: number | null;
  status: string;
  qualifier: string;
  reference: string | null;
  releaseId: string;
  publishedAt: Date;
  /** The cube's table and the cell, as in its observation's id (cells-by-key.ts). */
  table: string;
  cell: (string | null)[];
}

const identifier = (name: string) => `"${name}"`;
const cellValues = (row: CubeRow) =>
  cellColumns(row.cube).map(({ field }) => String((row as unknown as Record<string, unknown>)[field]));

/** What identifies a row: its cube, release and cell. */
export const revisionKey = (row: CubeRow) => `${row.cube.table}|${row.releaseId}|${cellValues(row).join('|')}`;

/**
 * The earlier values of each row's cell: the same cell in releases published before the one
 * that answers, newest first, one per release (withdrawn releases included; their release says so;
 * releases under embargo only where the view sees them). One statement per cube, whatever the number of rows. The cells are matched column by column with untyped
 * parameters, so the cube's index on its cell columns finds them (no scan of the table).
 */
export async function findRevisions(
  db: Pick<Database, 'readRows'>,
  rows: readonly CubeRow[],
  view: ReadView,
): Promise<Revision[][]> {
  const byCube = new Map<CubeDefinition, CubeRow[]>();
  for (const row of rows) byCube.set(row.cube, [...(byCube.get(row.cube) ?? []), row]);
  const found = new Map<string, Revision[]>();
  for (const [cube, group] of byCube) {
    const columns = cellColumns(cube).map(({ column }) => `o.${identifier(column)}`);
    const values: unknown[] = [];
    const cells = new Map(group.map((row) => [cellValues(row).join('|'), row as unknown as Record<string, unknown>]));
    const tuples = [...cells.values()].map(
      (row) =>
        `(${cellColumns(cube)
          .map(({ field }, index) => {
            if (row[field] == null) return `${columns[index]} IS NULL`;
            values.push(row[field]);
            return `${columns[index]} = $${values.length}`;
          })
          .join(' AND ')})`,
    );
    // The column the cube serves as `value` (people who inject drugs store it as `estimate`).
    const value = cube.values.find(({ field }) => field === 'value')?.column ?? 'value';
    const visible = visibleSql('r', view, (parameter) => `$${values.push(parameter)}`);
    // The data version in the same snapshot; one row (of nulls) when there are no revisions.
    const revisions = await db.readRows<
      Omit<Revision, 'publishedAt' | 'table' | 'cell'> & {
        cell: string[] | null;
        publishedAt: string;
        dataVersion: string;
        published: Date;
        created: Date;
        rid: string;
        oid: string;
      }
    >(
      {
        text: `SELECT v.version::text AS "dataVersion", found.* FROM data_version v LEFT JOIN LATERAL (
        SELECT ARRAY[${columns.map((column) => `${column}::text`).join(', ')}] AS cell,
               o.${identifier(value)} AS value, o.status::text AS status, o.qualifier::text AS qualifier, o.reference,
               o.release_id AS "releaseId", to_char(r.published_at, 'YYYY-MM-DD') AS "publishedAt",
               r.published_at AS published, r.created_at AS created, r.id AS rid, o.id AS oid
        FROM ${identifier(cube.table)} o JOIN "release" r ON r.id = o.release_id
        WHERE (${tuples.join(' OR ')}) AND ${visible}
      ) found ON true
      ORDER BY found.published DESC, found.created DESC, found.rid, found.oid`,
        values,
      },
      view.heard,
    );
    if (revisions[0]) view.saw(revisions[0].dataVersion);
    view.served?.(revisions.flatMap((revision) => (revision.cell ? [revision.releaseId] : [])));
    for (const {
      cell,
      publishedAt,
      dataVersion: _version,
      published: _published,
      created: _created,
      rid: _release,
      oid: _row,
      ...revision
    } of revisions) {
      if (!cell) continue;
      const key = `${cube.table}|${cell.join('|')}`;
      const entry = { ...revision, publishedAt: utcDate(publishedAt), table: cube.table, cell };
      const earlier = found.get(key) ?? [];
      // A release that prints the cell in several tables has one value for it, as in selectCells:
      // the first stored (its id names that release and cell).
      if (!earlier.some((other) => other.releaseId === entry.releaseId)) found.set(key, [...earlier, entry]);
    }
  }
  return rows.map((row) =>
    (found.get(`${row.cube.table}|${cellValues(row).join('|')}`) ?? []).filter(
      (revision) => revision.releaseId !== row.releaseId && revision.publishedAt <= row.publishedAt,
    ),
  );
}
