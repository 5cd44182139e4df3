import type { InputFieldMap, InputShapeFromFields, ObjectRef, SchemaTypes } from '@pothos/core';
import type { CubeDefinition, CubeQuery, CubeRow } from '../../cube/definition.ts';
import { RegionType } from '../../dimensions/region.ts';
import { builder } from '../../graphql/builder.ts';
import { loadByParent, parentCodesKey, queryCube } from '../../graphql/cube-fields.ts';
import { byParent } from '../../graphql/loaders.ts';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : SchemaTypes;

/**
 * A mortality cube served twice: as `Query.<name>` and as `Region.<name>`, the region's cells
 * with the same arguments less `region` (one SQL statement for every region at one path).
 */
export function cubeFieldWithRegions<Row extends CubeRow, Out, Args extends InputFieldMap>(options: {
  name: string;
  type: ObjectRef<Types, Out>;
  description: string;
  regionDescription: string;
  args: Args;
  cube: CubeDefinition;
  toCubeQuery: (args: InputShapeFromFields<Args>) => CubeQuery;
  present: (rows: Row[]) => Out[];
}): void {
  const { name, type, args, cube, toCubeQuery, present } = options;
  builder.queryFields((t) => ({
    [name]: t.field({
      type: [type],
      description: options.description,
      args,
      resolve: async (_root, values, ctx, info) => present(await queryCube<Row>(ctx, cube, toCubeQuery(values), info)),
    }),
  }));
  const { region: _region, ...regionArgs } = args;
  // The region's field has no `region` argument: its cube query is the root field's without one.
  const regionQuery = toCubeQuery as unknown as (values: InputShapeFromFields<Omit<Args, 'region'>>) => CubeQuery;
  builder.objectField(RegionType, name, (t) =>
    t.field({
      type: [type],
      description: options.regionDescription,
      args: regionArgs,
      resolve: byParent(loadByParent(cube, 'region', regionQuery, present), (region) => [region.code], parentCodesKey),
    }),
  );
}
