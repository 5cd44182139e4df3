import { Prisma } from '../db/generated/prisma/client.ts';
import { defineLoader } from '../server/context.ts';
import { type CubeRow, cellColumns } from './definition.ts';

/** A value the same cell had in another release. */
export interface Revision {
  value: number | null;
  status: string;
  qualifier: string;
  reference: string | null;
  releaseId: string;
  publishedAt: Date;
}

const identifier = (name: string) => Prisma.raw(`"${name}"`);
const cellValues = (row: CubeRow) =>
  cellColumns(row.cube).map(({ field }) => String((row as unknown as Record<string, unknown>)[field]));

/**
 * The earlier values of each requested cell: the same cell in releases published before the one
 * that answers, newest first (withdrawn releases included; their release says so). One statement
 * per cube per request, whatever the number of cells.
 */
export const revisionsOf = defineLoader<CubeRow, Revision[], string>(
  async (rows, ctx) => {
    const byCube = new Map<string, CubeRow[]>();
    for (const row of rows) byCube.set(row.cube.table, [...(byCube.get(row.cube.table) ?? []), row]);
    const found = new Map<string, Revision[]>();
    for (const group of byCube.values()) {
      const cube = group[0]!.cube;
      const columns = cellColumns(cube);
      const key = Prisma.sql`(${Prisma.join(columns.map(({ column }) => Prisma.sql`o.${identifier(column)}::text`))})`;
      const tuples = group.map((row) => Prisma.sql`(${Prisma.join(cellValues(row))})`);
      const revisions = await ctx.prisma.$queryRaw<(Revision & { cell: string[] })[]>`
        SELECT ARRAY[${Prisma.join(columns.map(({ column }) => Prisma.sql`o.${identifier(column)}::text`))}] AS cell,
               o.value, o.status::text AS status, o.qualifier::text AS qualifier, o.reference,
               o.release_id AS "releaseId", r.published_at AS "publishedAt"
        FROM ${identifier(cube.table)} o JOIN "release" r ON r.id = o.release_id
        WHERE ${key} IN (${Prisma.join(tuples)})
        ORDER BY r.published_at DESC, r.created_at DESC`;
      for (const revision of revisions) {
        const cell = `${cube.table}|${revision.cell.join('|')}`;
        found.set(cell, [...(found.get(cell) ?? []), revision]);
      }
    }
    return rows.map((row) =>
      (found.get(`${row.cube.table}|${cellValues(row).join('|')}`) ?? []).filter(
        (revision) => revision.releaseId !== row.releaseId && revision.publishedAt <= row.publishedAt,
      ),
    );
  },
  { cacheKeyFn: (row) => `${row.cube.table}|${row.releaseId}|${cellValues(row).join('|')}` },
);
