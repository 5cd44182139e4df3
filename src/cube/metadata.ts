import type { PrismaClient } from '../db/database.ts';
import { Prisma } from '../db/generated/prisma/client.ts';
import type { CubeDefinition } from './definition.ts';

/** Which breakdowns and years a series of a cube has published (in any release). */
export interface SeriesMetadata {
  /** Each published breakdown as the sorted names of its broken-down dimensions, joined by "+". */
  breakdowns: Set<string>;
  firstYear: number;
  lastYear: number;
}

export interface CubeMetadata {
  /** Keyed by the series values joined by "|" (empty string for cubes without series). */
  series: Map<string, SeriesMetadata>;
  /** Valid codes per dimension argument, in code order (a set: checking a code costs a lookup). */
  codes: Map<string, ReadonlySet<string>>;
}

export const seriesKey = (cube: CubeDefinition, values: Record<string, string>) =>
  cube.series.map(({ column }) => values[column] ?? '').join('|');

export const breakdownKey = (names: Iterable<string>) => [...names].sort().join('+');

/**
 * Per-process cache of what each cube has published. It changes only when a release is loaded,
 * which calls `invalidate`; caching it keeps validation from costing SQL on every request.
 */
export class CubeMetadataCache {
  private readonly cache = new Map<string, Promise<CubeMetadata>>();

  constructor(private readonly prisma: PrismaClient) {}

  get(cube: CubeDefinition): Promise<CubeMetadata> {
    let metadata = this.cache.get(cube.table);
    if (!metadata) {
      metadata = this.load(cube);
      this.cache.set(cube.table, metadata);
      metadata.catch(() => this.cache.delete(cube.table));
    }
    return metadata;
  }

  invalidate(): void {
    this.cache.clear();
  }

  private async load(cube: CubeDefinition): Promise<CubeMetadata> {
    const seriesColumns = cube.series.map(({ column }) => Prisma.raw(`"${column}"::text`));
    const flags = cube.dimensions.map((dimension) =>
      dimension.total === undefined
        ? Prisma.sql`false`
        : Prisma.sql`${Prisma.raw(`"${dimension.column}"::text`)} <> ${dimension.total}`,
    );
    const rows = await this.prisma.$queryRaw<{ series: string[]; flags: boolean[]; first: number; last: number }[]>`
      SELECT ARRAY[${seriesColumns.length ? Prisma.join(seriesColumns) : Prisma.sql`''`}]::text[] AS series,
             ARRAY[${flags.length ? Prisma.join(flags) : Prisma.sql`false`}]::boolean[] AS flags,
             min(${Prisma.raw(`"${cube.year.column}"`)})::int AS first, max(${Prisma.raw(`"${cube.year.column}"`)})::int AS last
      FROM ${Prisma.raw(`"${cube.table}"`)}
      GROUP BY 1, 2`;
    const series = new Map<string, SeriesMetadata>();
    for (const row of rows) {
      const key = cube.series.length ? row.series.join('|') : '';
      const entry = series.get(key) ?? { breakdowns: new Set<string>(), firstYear: row.first, lastYear: row.last };
      entry.breakdowns.add(breakdownKey(cube.dimensions.filter((_, i) => row.flags[i]).map((d) => d.name)));
      entry.firstYear = Math.min(entry.firstYear, row.first);
      entry.lastYear = Math.max(entry.lastYear, row.last);
      series.set(key, entry);
    }
    const codes = new Map<string, ReadonlySet<string>>();
    for (const dimension of cube.dimensions) {
      const list = dimension.codelist;
      if ('values' in list) {
        codes.set(dimension.argument, new Set(list.values));
      } else {
        const found = await this.prisma.$queryRaw<{ code: string }[]>`
          SELECT DISTINCT ${Prisma.raw(`"${list.column}"`)} AS code FROM ${Prisma.raw(`"${list.table}"`)} ORDER BY 1`;
        codes.set(dimension.argument, new Set(found.map((row) => row.code)));
      }
    }
    return { series, codes };
  }
}
