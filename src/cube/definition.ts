import * as enums from '../db/generated/prisma/enums.ts';
import { type ReadView, visibleReleases } from './read-view.ts';

/**
 * A source's cube: one table of published cells, one row per (cell, release). docs/DESIGN.md's one
 * query rule is implemented once, in query.ts, over these definitions.
 */
export interface CubeDimension {
  /** The member of the `by:` enum that breaks this dimension down, e.g. `REGION`. */
  name: string;
  /** The query argument that filters it with codes, e.g. `region`. */
  argument: string;
  /** The table column holding the code, and the row property it is returned as. */
  column: string;
  field: string;
  /** The total or reference member it defaults to; none means it is always broken down. */
  total?: string;
  /**
   * The default is a reference member (e.g. a standard population), not a sum of the others:
   * a breakdown keeps it. A total (ALL, Norway) is left out of a breakdown.
   */
  totalIsReference?: boolean;
  /**
   * The codelist: a table and its key column, or fixed values (enums). `label` names the column
   * of the table that names a code in English (cells in words); without it the code names itself.
   */
  codelist: { table: string; column: string; label?: string } | { values: readonly string[] };
}

export interface CubeDefinition {
  /** The root query field, named in error messages. */
  field: string;
  table: string;
  /** Columns that split the cube into separate series (e.g. the measure); always fixed. */
  series: readonly { column: string; field: string }[];
  dimensions: readonly CubeDimension[];
  /** Columns of the period a cell covers: [column, row property]. */
  year: { column: string; field: string };
  yearFrom?: { column: string; field: string };
  /**
   * Value columns selected besides the dimensions: [column, row property]. One `whenAsked` is read
   * only when its field is asked for (long texts most answers leave out).
   */
  values: readonly { column: string; field: string; whenAsked?: boolean }[];
  /** Value columns that order the cells of a year before the dimensions (e.g. a category's position). */
  order?: readonly { column: string; field: string }[];
}

/** What a query asks of a cube, after GraphQL has checked the types. */
export interface CubeQuery {
  /** Fixed values for the series columns, by column, e.g. { measure: 'DEATHS' }. */
  series: Record<string, string>;
  /** Codes per dimension argument; null or undefined when the argument was not given. */
  filters: Record<string, readonly string[] | null | undefined>;
  by?: readonly string[] | null;
  from?: number | null;
  to?: number | null;
  asOf?: Date | null;
  /** Cells by value (largest or smallest first) instead of by year and dimensions. */
  order?: 'VALUE_DESC' | 'VALUE_ASC' | null;
  /** At most this many cells, after ordering. */
  limit?: number | null;
  /** The fields asked for of each cell; `whenAsked` values not among them are not read (default: all). */
  fields?: ReadonlySet<string>;
}

/** Every row a cube query returns carries its release and publication date. */
export interface CubeRow {
  releaseId: string;
  sourceId: string;
  publishedAt: Date;
  year: number;
  /** The cube the row came from (to find the same cell in other releases). */
  cube: CubeDefinition;
}

/** Every column that identifies a cell (within a release): series, period and dimensions. */
export const cellColumns = (cube: CubeDefinition) => [
  ...cube.series,
  ...(cube.yearFrom ? [cube.yearFrom] : []),
  cube.year,
  ...cube.dimensions,
];

/** Sex as every source publishes it; ALL is the total. */
export const SEX_DIMENSION: CubeDimension = {
  name: 'SEX',
  argument: 'sex',
  column: 'sex',
  field: 'sex',
  total: 'ALL',
  codelist: { values: Object.values(enums.Sex) },
};

/** The provenance columns every observation table has. */
export const PROVENANCE_VALUES = [
  { column: 'value', field: 'value' },
  { column: 'status', field: 'status' },
  { column: 'qualifier', field: 'qualifier' },
  { column: 'reference', field: 'reference', whenAsked: true },
  { column: 'note', field: 'note', whenAsked: true },
] as const;

/** A Prisma filter on releases: visible in the view, published by `asOf` and not withdrawn by then (default: now). */
export function releasePublishedBy(asOf: Date | null | undefined, view: ReadView) {
  const live = asOf
    ? { publishedAt: { lte: asOf }, OR: [{ withdrawnAt: null }, { withdrawnAt: { gt: asOf } }] }
    : { withdrawnAt: null };
  return { AND: [visibleReleases(view), live] };
}
