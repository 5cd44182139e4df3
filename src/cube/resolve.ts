import type { Context } from '../server/context.ts';
import { defineLoader } from '../server/context.ts';
import type { CubeDefinition, CubeQuery, CubeRow } from './definition.ts';
import { selectCells, validateCubeQuery } from './query.ts';

/** Answers a root query field: validate against what was published, then select the cells. */
export async function queryCube<Row extends CubeRow>(
  ctx: Context,
  cube: CubeDefinition,
  query: CubeQuery,
): Promise<Row[]> {
  validateCubeQuery(cube, await ctx.cubes.get(cube), query);
  return selectCells<Row>(ctx.prisma, cube, query);
}

interface ParentKey {
  /** The parent's codes in the dimension (a region's code; the death causes of a substance). */
  codes: readonly string[];
  query: CubeQuery;
}

/**
 * A per-request loader for a cube field on a parent type (`Region.drugDeaths`,
 * `Substance.drugDeaths`): every parent asking with the same arguments is answered by one SQL
 * statement filtered on all their codes, so N parents cost what one does.
 */
export function defineParentCubeLoader<Row extends CubeRow>(cube: CubeDefinition, argument: string) {
  const dimension = cube.dimensions.find((d) => d.argument === argument);
  if (!dimension) throw new Error(`${cube.table} has no dimension argument ${argument}`);
  const field = dimension.field as keyof Row;
  return defineLoader<ParentKey, Row[], string>(
    async (keys, ctx) => {
      const metadata = await ctx.cubes.get(cube);
      const results = new Map<ParentKey, Row[] | Error>();
      const groups = new Map<string, ParentKey[]>();
      for (const key of keys) {
        const group = JSON.stringify(key.query);
        groups.set(group, [...(groups.get(group) ?? []), key]);
      }
      for (const group of groups.values()) {
        const valid = group.filter((key) => {
          if (key.codes.length === 0) {
            results.set(key, []);
            return false;
          }
          try {
            validateCubeQuery(cube, metadata, withCodes(key.query, argument, key.codes));
            return true;
          } catch (error) {
            results.set(key, error as Error);
            return false;
          }
        });
        if (!valid.length) continue;
        const codes = [...new Set(valid.flatMap((key) => key.codes))];
        const rows = await selectCells<Row>(ctx.prisma, cube, withCodes(valid[0]!.query, argument, codes));
        for (const key of valid) {
          const wanted = new Set(key.codes);
          results.set(
            key,
            rows.filter((row) => wanted.has(String(row[field]))),
          );
        }
      }
      return keys.map((key) => results.get(key) ?? []);
    },
    { cacheKeyFn: (key) => JSON.stringify([key.codes, key.query]) },
  );
}

function withCodes(query: CubeQuery, argument: string, codes: readonly string[]): CubeQuery {
  return { ...query, filters: { ...query.filters, [argument]: codes } };
}
