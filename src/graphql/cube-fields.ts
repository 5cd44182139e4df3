import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';
import type { CubeDefinition, CubeQuery, CubeRow } from '../cube/definition.ts';
import { selectCells, validateCubeQuery } from '../cube/query.ts';
import type { Context } from './context.ts';
import { asUserError } from './errors.ts';

/** The names of the fields selected on a field's result, through fragments too. */
export function selectedFields(info: GraphQLResolveInfo): Set<string> {
  const names = new Set<string>();
  const visit = (selectionSet: SelectionSetNode | undefined) => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else visit(info.fragments[selection.name.value]?.selectionSet);
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet);
  return names;
}

/**
 * Answers a root query field: validate against what was published, then select the cells (with
 * the long value texts only when `info` shows them asked for).
 */
export async function queryCube<Row extends CubeRow>(
  ctx: Context,
  cube: CubeDefinition,
  query: CubeQuery,
  info: GraphQLResolveInfo,
): Promise<Row[]> {
  const view = await ctx.readView();
  try {
    validateCubeQuery(cube, await ctx.cubes.get(cube, view), query);
  } catch (error) {
    throw asUserError(error);
  }
  return selectCells<Row>(ctx.db, cube, { ...query, fields: selectedFields(info) }, view);
}

/** Parents are keyed by their codes in a dimension: a region's code, the death causes of a substance. */
export type ParentCodes = readonly string[];

/** Loader options of a field keyed by ParentCodes. */
export const parentCodesKey = { cacheKeyFn: (codes: ParentCodes) => codes.join('|') };

/**
 * The `load` of a cube field on a parent type (`Region.drugDeaths`, `Substance.drugDeaths`), for
 * `byParent`: the parents at one path share their arguments, so one SQL statement filtered on all
 * their codes answers them all, and N parents cost what one does. A parent whose codes the cube
 * does not know gets its own error; the others are answered.
 */
export function loadByParent<Row extends CubeRow, Args, Out>(
  cube: CubeDefinition,
  argument: string,
  toQuery: (args: Args) => CubeQuery,
  present: (rows: Row[], args: Args) => Out[],
) {
  const dimension = cube.dimensions.find((d) => d.argument === argument);
  if (!dimension) throw new Error(`${cube.table} has no dimension argument ${argument}`);
  const field = dimension.field as keyof Row;
  return async (
    parents: readonly ParentCodes[],
    ctx: Context,
    args: Args,
    info: GraphQLResolveInfo,
  ): Promise<(Out[] | Error)[]> => {
    const query = { ...toQuery(args), fields: selectedFields(info) };
    const view = await ctx.readView();
    const metadata = await ctx.cubes.get(cube, view);
    const check = (codes: readonly string[]): Error | undefined => {
      try {
        validateCubeQuery(cube, metadata, withCodes(query, argument, codes));
        return undefined;
      } catch (error) {
        return asUserError(error) as Error;
      }
    };
    // Parents whose codes are all the total (Norway) ask for another breakdown than the others;
    // within each group a check of all their codes at once passes exactly when each would.
    // Plain loops: flat() and flatMap() cost more than the rest of this loader on every request.
    const refused: (Error | undefined)[] = new Array(parents.length).fill(undefined);
    for (const breaksDown of [false, true]) {
      const group: number[] = [];
      const codesOfGroup = new Set<string>();
      parents.forEach((codes, index) => {
        if (!codes.length || codes.some((code) => code !== dimension.total) !== breaksDown) return;
        group.push(index);
        for (const code of codes) codesOfGroup.add(code);
      });
      if (!group.length || !check([...codesOfGroup])) continue;
      for (const index of group) refused[index] = check(parents[index] ?? []);
    }
    const wantedCodes = new Set<string>();
    parents.forEach((codes, index) => {
      if (!refused[index]) for (const code of codes) wantedCodes.add(code);
    });
    const wanted = [...wantedCodes];
    const rows = wanted.length ? await selectCells<Row>(ctx.db, cube, withCodes(query, argument, wanted), view) : [];
    const rowsOfCode = new Map<string, Row[]>();
    for (const row of rows) {
      const code = String(row[field]);
      const group = rowsOfCode.get(code);
      if (group) group.push(row);
      else rowsOfCode.set(code, [row]);
    }
    return parents.map((codes, index) => {
      const error = refused[index];
      if (error) return error;
      // In the statement's order, also for a parent of several codes.
      const ofParent =
        codes.length === 1
          ? (rowsOfCode.get(codes[0] ?? '') ?? [])
          : rows.filter((row) => codes.includes(String(row[field])));
      return present(ofParent, args);
    });
  };
}

function withCodes(query: CubeQuery, argument: string, codes: readonly string[]): CubeQuery {
  return { ...query, filters: { ...query.filters, [argument]: codes } };
}
