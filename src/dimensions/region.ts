import * as enums from '../db/generated/prisma/enums.ts';
import { builder } from '../graphql/builder.ts';
import { label, langArgs } from '../graphql/common.ts';
import { inCodelist } from '../graphql/loaders.ts';

export const regionsByCode = inCodelist((ctx) => ctx.codelists.regions(ctx.reads));

export const RegionKind = builder.enumType(enums.RegionKind, {
  name: 'RegionKind',
  description: 'Level of a region.',
  values: {
    COUNTRY: { description: 'Norway as a whole (code "0").' },
    COUNTY: { description: 'A county (fylke), by its SSB county number.' },
  } as const,
});

export const RegionType = builder.prismaNode('Region', {
  id: { field: 'code' },
  nullable: true,
  description:
    'Norway (code "0") or a county by its SSB county number. County numbers changed with the reforms of ' +
    '2018, 2020 and 2024; validFrom and validTo say when a code was in use.',
  fields: (t) => ({
    code: t.exposeID('code', { description: 'SSB county number ("03" Oslo, "46" Vestland), or "0" for Norway.' }),
    name: t.string({
      description: 'Name of the region.',
      args: langArgs,
      resolve: (entry, { lang }) => label(entry, lang),
    }),
    kind: t.expose('kind', { type: RegionKind, description: 'COUNTRY or COUNTY.' }),
    validFrom: t.exposeInt('validFrom', {
      nullable: true,
      description: 'First year the code was in use (null: before our data).',
    }),
    validTo: t.exposeInt('validTo', {
      nullable: true,
      description: 'Last year the code was in use (null: still in use).',
    }),
  }),
});

builder.queryFields((t) => ({
  regions: t.field({
    type: [RegionType],
    description:
      'Norway and its counties in the structure of a year: by default the current one (the 15 counties of 2024).',
    args: {
      validIn: t.arg.int({
        description: 'A year: the counties in use that year (e.g. 2020 gives the 11 of 2020-2023).',
      }),
    },
    // From the codelists in memory. A plain field, not a prismaField: the Prisma query a
    // prismaField builds from the selection on every request would go unused; a relation selected
    // below (wastewaterSites) is loaded by Pothos' Prisma plugin in one batched statement either way.
    resolve: async (_root, args, ctx) => {
      const year = args.validIn ?? ctx.now().getUTCFullYear();
      const { rows } = await ctx.codelists.regions(ctx.reads);
      return rows
        .filter((r) => (r.validFrom === null || r.validFrom <= year) && (r.validTo === null || r.validTo >= year))
        .map((region) => ({ ...region }));
    },
  }),
  region: t.field({
    type: RegionType,
    nullable: true,
    description: 'One region by its code ("0" for Norway, "03" for Oslo); null when no region has that code.',
    args: { code: t.arg.id({ required: true, description: 'SSB county number or "0".' }) },
    resolve: async (_root, args, ctx) => {
      const region = (await ctx.codelists.regions(ctx.reads)).byCode.get(String(args.code));
      return region ? { ...region } : null;
    },
  }),
}));
