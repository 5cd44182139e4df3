import type { PrismaClient } from '../db/database.ts';
import { Prisma } from '../db/generated/prisma/client.ts';
import { type CubeDefinition, type CubeDimension, type CubeQuery, type CubeRow, cellColumns } from './definition.ts';
import { CubeQueryError, listForMessage } from './errors.ts';
import { breakdownKey, type CubeMetadata, seriesKey } from './metadata.ts';

const identifier = (name: string) => Prisma.raw(`"${name}"`);

/** The dimensions a query breaks down: listed in `by:`, filtered with codes, or without a total. */
function brokenDown(cube: CubeDefinition, query: CubeQuery): CubeDimension[] {
  const by = new Set(query.by ?? []);
  return cube.dimensions.filter((dimension) => {
    if (dimension.total === undefined) return false;
    const codes = query.filters[dimension.argument];
    if (codes?.length) return codes.some((code) => code !== dimension.total);
    return by.has(dimension.name);
  });
}

/**
 * Checks a query against what the cube has published and throws a CubeQueryError naming the
 * argument and the valid values: unknown codes, inverted or uncovered year ranges, and
 * breakdowns the source never published.
 */
export function validateCubeQuery(cube: CubeDefinition, metadata: CubeMetadata, query: CubeQuery): void {
  for (const dimension of cube.dimensions) {
    const codes = query.filters[dimension.argument];
    if (!codes) continue;
    const valid = metadata.codes.get(dimension.argument) ?? [];
    const unknown = codes.filter((code) => !valid.includes(code));
    if (unknown.length) {
      throw new CubeQueryError(
        'UNKNOWN_CODE',
        `${cube.field}: unknown ${dimension.argument} code ${listForMessage(unknown)}. Valid codes: ${valid.join(', ')}.`,
        { argument: dimension.argument, unknown, valid },
      );
    }
  }
  const { from, to } = query;
  if (from != null && to != null && from > to) {
    throw new CubeQueryError('INVALID_RANGE', `${cube.field}: from (${from}) must not be after to (${to}).`, {
      argument: 'from',
    });
  }
  const series = metadata.series.get(seriesKey(cube, query.series));
  const seriesLabel = cube.series.map(({ column }) => query.series[column]).join(', ');
  if (!series) {
    const published = [...metadata.series.keys()].map((key) => key.replaceAll('|', ', '));
    throw new CubeQueryError(
      'BREAKDOWN_NOT_PUBLISHED',
      `${cube.field}: nothing has been published for ${seriesLabel}. Published: ${published.join('; ')}.`,
    );
  }
  if ((from != null && from > series.lastYear) || (to != null && to < series.firstYear)) {
    throw new CubeQueryError(
      'OUT_OF_COVERAGE',
      `${cube.field}${seriesLabel ? ` (${seriesLabel})` : ''} covers ${series.firstYear}–${series.lastYear}; ` +
        `from: ${from ?? '-'} to: ${to ?? '-'} lies wholly outside it.`,
      {
        argument: from != null && from > series.lastYear ? 'from' : 'to',
        firstYear: series.firstYear,
        lastYear: series.lastYear,
      },
    );
  }
  const requested = breakdownKey(brokenDown(cube, query).map((dimension) => dimension.name));
  if (!series.breakdowns.has(requested)) {
    const published = [...series.breakdowns].sort().map((key) => key || '(no breakdown: totals)');
    throw new CubeQueryError(
      'BREAKDOWN_NOT_PUBLISHED',
      `${cube.field}${seriesLabel ? ` (${seriesLabel})` : ''}: no figures were published broken down by ` +
        `${requested.replaceAll('+', ' and ')}. Published breakdowns: ${published.map((p) => p.replaceAll('+', ' × ')).join(', ')}.`,
      { argument: 'by', published },
    );
  }
}

/**
 * The cells a query asks for, each from the latest release published by `asOf` (default: now)
 * and not withdrawn by then. "Latest" and `asOf` are one code path: DISTINCT ON the cell key.
 * Where one release prints a cell in several tables, the first one stored answers.
 */
export async function selectCells<Row extends CubeRow>(
  prisma: PrismaClient,
  cube: CubeDefinition,
  query: CubeQuery,
): Promise<Row[]> {
  const by = new Set(query.by ?? []);
  const conditions: Prisma.Sql[] = [];
  for (const { column } of cube.series) {
    conditions.push(Prisma.sql`o.${identifier(column)}::text = ${query.series[column]}`);
  }
  for (const dimension of cube.dimensions) {
    const column = Prisma.sql`o.${identifier(dimension.column)}::text`;
    const codes = query.filters[dimension.argument];
    if (codes?.length) conditions.push(Prisma.sql`${column} = ANY(${[...codes]}::text[])`);
    else if (dimension.total === undefined) continue;
    else if (by.has(dimension.name)) {
      if (!dimension.totalIsReference) conditions.push(Prisma.sql`${column} <> ${dimension.total}`);
    } else conditions.push(Prisma.sql`${column} = ${dimension.total}`);
  }
  const year = Prisma.sql`o.${identifier(cube.year.column)}`;
  if (query.from != null) conditions.push(Prisma.sql`${year} >= ${query.from}`);
  if (query.to != null) conditions.push(Prisma.sql`${year} <= ${query.to}`);
  if (query.asOf) {
    conditions.push(Prisma.sql`r.published_at <= ${query.asOf}::date`);
    conditions.push(Prisma.sql`(r.withdrawn_at IS NULL OR r.withdrawn_at::date > ${query.asOf}::date)`);
  } else {
    conditions.push(Prisma.sql`r.withdrawn_at IS NULL`);
  }

  const cellKey = cellColumns(cube).map(({ column }) => Prisma.sql`o.${identifier(column)}`);
  const selected = [
    ...cube.series,
    ...(cube.yearFrom ? [cube.yearFrom] : []),
    cube.year,
    ...cube.dimensions,
    ...cube.values,
  ].map(({ column, field }) => Prisma.sql`o.${identifier(column)} AS ${identifier(field)}`);
  const outerOrder = [
    cube.year,
    ...(cube.yearFrom ? [cube.yearFrom] : []),
    ...cube.series,
    ...(cube.order ?? []),
    ...cube.dimensions,
  ].map(({ field }) => Prisma.sql`cell.${identifier(field)}`);

  const rows = await prisma.$queryRaw<Omit<Row, 'cube'>[]>`
    SELECT * FROM (
      SELECT DISTINCT ON (${Prisma.join(cellKey)})
        ${Prisma.join(selected)}, o.release_id AS "releaseId", r.source_id AS "sourceId",
        r.published_at AS "publishedAt"
      FROM ${identifier(cube.table)} o JOIN "release" r ON r.id = o.release_id
      WHERE ${Prisma.join(conditions, ' AND ')}
      ORDER BY ${Prisma.join(cellKey)}, r.published_at DESC, r.created_at DESC, r.id DESC, o.id
    ) cell
    ORDER BY ${Prisma.join(outerOrder)}`;
  return rows.map((row) => ({ ...row, cube }) as Row);
}
