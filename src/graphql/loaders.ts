import type { Context } from './context.ts';

/**
 * Options for `t.loadable` fields that return a codelist entry by its code: the field's loader
 * asks once per request with every code wanted (`code IN (...)`, or the codelist in memory), and
 * Pothos' `sort` picks the rows of those codes in their order. A code without a row resolves to null, which a non-null
 * field reports as an error.
 */
export function byCode<Row extends { code: string }>(
  findMany: (codes: string[], ctx: Context) => Promise<readonly Row[]>,
) {
  return {
    load: (codes: string[], ctx: Context) => findMany(codes, ctx),
    sort: (row: Row) => row.code,
  };
}
