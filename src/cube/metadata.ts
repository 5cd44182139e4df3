import type pg from 'pg';
import type { Database } from '../db/database.ts';
import { readVersioned } from '../db/replicas.ts';
import { readInSnapshot } from '../db/snapshot.ts';
import type { CubeDefinition } from './definition.ts';
import { type ReadView, visibleSql } from './read-view.ts';

/** Which breakdowns and years a series of a cube has published (in any visible release). */
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
  /** The data version it was read at. */
  version: string;
}

export const seriesKey = (cube: CubeDefinition, values: Record<string, string>) =>
  cube.series.map(({ column }) => values[column] ?? '').join('|');

export const breakdownKey = (names: Iterable<string>) => [...names].sort().join('+');

const identifier = (name: string) => `"${name}"`;

/**
 * Per-process cache of what each cube has published in the releases a view sees (a release under
 * embargo is no part of the public coverage). It changes only when the data version does, which
 * calls `invalidate`; caching it keeps validation from costing SQL on every request. Each use
 * reports the version it was read at, so an answer validated with it is labelled accordingly.
 */
export class CubeMetadataCache {
  private readonly cache = new Map<string, Promise<CubeMetadata>>();

  constructor(private readonly db: Pick<Database, 'pool' | 'replicas'>) {}

  async get(cube: CubeDefinition, view: ReadView): Promise<CubeMetadata> {
    // Public views share one entry per cube; pre-release views one per set of sources.
    const key = `${cube.table}|${view.preRelease === '*' ? '*' : view.preRelease.join(',')}`;
    let metadata = this.cache.get(key);
    if (!metadata) {
      metadata = this.load(cube, view);
      this.cache.set(key, metadata);
      metadata.catch(() => this.cache.delete(key));
    }
    const loaded = await metadata;
    view.saw(loaded.version);
    return loaded;
  }

  invalidate(): void {
    this.cache.clear();
  }

  private async load(cube: CubeDefinition, view: ReadView): Promise<CubeMetadata> {
    const values: unknown[] = [];
    const add = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    const seriesColumns = cube.series.map(({ column }) => `c.${identifier(column)}::text`);
    const flags = cube.dimensions.map((dimension) =>
      dimension.total === undefined ? 'false' : `c.${identifier(dimension.column)}::text <> ${add(dimension.total)}`,
    );
    const year = `c.${identifier(cube.year.column)}`;
    // Built once: the work below may run twice (on a replica behind, then on the primary).
    const visible = visibleSql('r', view, add);
    const work = async (client: pg.PoolClient) => {
      const { rows } = await client.query<{ series: string[]; flags: boolean[]; first: number; last: number }>(
        `SELECT ARRAY[${seriesColumns.length ? seriesColumns.join(', ') : "''"}]::text[] AS series,
                ARRAY[${flags.length ? flags.join(', ') : 'false'}]::boolean[] AS flags,
                min(${year})::int AS first, max(${year})::int AS last
         FROM ${identifier(cube.table)} c JOIN "release" r ON r.id = c.release_id
         WHERE ${visible}
         GROUP BY 1, 2`,
        values,
      );
      const codes = new Map<string, ReadonlySet<string>>();
      for (const dimension of cube.dimensions) {
        const list = dimension.codelist;
        if ('values' in list) {
          codes.set(dimension.argument, new Set(list.values));
          continue;
        }
        const found = await client.query<{ code: string }>(
          `SELECT DISTINCT ${identifier(list.column)} AS code FROM ${identifier(list.table)} ORDER BY 1`,
        );
        codes.set(dimension.argument, new Set(found.rows.map((row) => row.code)));
      }
      return { rows, codes };
    };
    // From a replica that has replayed what the hub heard, else from the primary.
    const { value, version } = await readVersioned(
      this.db.replicas,
      view.heard,
      () => readInSnapshot(this.db.pool, work),
      (replica) => readInSnapshot(replica.pool, work),
    );
    const series = new Map<string, SeriesMetadata>();
    for (const row of value.rows) {
      const key = cube.series.length ? row.series.join('|') : '';
      const entry = series.get(key) ?? { breakdowns: new Set<string>(), firstYear: row.first, lastYear: row.last };
      entry.breakdowns.add(breakdownKey(cube.dimensions.filter((_, i) => row.flags[i]).map((d) => d.name)));
      entry.firstYear = Math.min(entry.firstYear, row.first);
      entry.lastYear = Math.max(entry.lastYear, row.last);
      series.set(key, entry);
    }
    return { series, codes: value.codes, version };
  }
}
