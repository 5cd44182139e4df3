import type { PrismaClient } from '../db/database.ts';
import { Prisma } from '../db/generated/prisma/client.ts';
import { type CubeDefinition, type CubeRow, cellColumns } from './definition.ts';

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

/** What identifies a row: its cube, release and cell. */
export const revisionKey = (row: CubeRow) => `${row.cube.table}|${row.releaseId}|${cellValues(row).join('|')}`;

/**
 * The earlier values of each row's cell: the same cell in releases published before the one
 * that answers, newest first (withdrawn releases included; their release says so). One statement
 * per cube, whatever the number of rows.
 */
export async function findRevisions(prisma: PrismaClient, rows: readonly CubeRow[]): Promise<Revision[][]> {
  const byCube = new Map<CubeDefinition, CubeRow[]>();
  for (const row of rows) byCube.set(row.cube, [...(byCube.get(row.cube) ?? []), row]);
  const found = new Map<string, Revision[]>();
  for (const [cube, group] of byCube) {
    const columns = cellColumns(cube);
    const cell = Prisma.join(columns.map(({ column }) => Prisma.sql`o.${identifier(column)}::text`));
    const tuples = group.map((row) => Prisma.sql`(${Prisma.join(cellValues(row))})`);
    // The column the cube serves as `value` (people who inject drugs store it as `estimate`).
    const value = cube.values.find(({ field }) => field === 'value')?.column ?? 'value';
    const revisions = await prisma.$queryRaw<(Revision & { cell: string[] })[]>`
      SELECT ARRAY[${cell}] AS cell,
             o.${identifier(value)} AS value, o.status::text AS status, o.qualifier::text AS qualifier, o.reference,
             o.release_id AS "releaseId", r.published_at AS "publishedAt"
      FROM ${identifier(cube.table)} o JOIN "release" r ON r.id = o.release_id
      WHERE (${cell}) IN (${Prisma.join(tuples)})
      ORDER BY r.published_at DESC, r.created_at DESC`;
    for (const revision of revisions) {
      const key = `${cube.table}|${revision.cell.join('|')}`;
      found.set(key, [...(found.get(key) ?? []), revision]);
    }
  }
  return rows.map((row) =>
    (found.get(`${row.cube.table}|${cellValues(row).join('|')}`) ?? []).filter(
      (revision) => revision.releaseId !== row.releaseId && revision.publishedAt <= row.publishedAt,
    ),
  );
}
