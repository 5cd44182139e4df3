import { builder } from '../graphql/builder.ts';
import { label, langArgs } from '../graphql/common.ts';
import { inCodelist } from '../graphql/loaders.ts';

export const substancesByCode = inCodelist((ctx) => ctx.codelists.substances(ctx.reads));

export const SubstanceType = builder.prismaNode('Substance', {
  id: { field: 'code' },
  nullable: true,
  description:
    'One substance taxonomy across sources: the survey asks about it, deaths are grouped by it, wastewater ' +
    'measures it. Sources add their own fields (prevalence, drugDeaths, wastewater).',
  fields: (t) => ({
    code: t.exposeID('code', { description: 'Stable code, e.g. CANNABIS, COCAINE, AMPHETAMINES.' }),
    name: t.string({
      description: 'Name of the substance.',
      args: langArgs,
      resolve: (entry, { lang }) => label(entry, lang),
    }),
    parent: t.relation('parent', {
      nullable: true,
      description: 'The group it belongs to (e.g. AMPHETAMINES for METHAMPHETAMINE).',
    }),
    children: t.relation('children', {
      description: 'The substances grouped under it.',
      query: { orderBy: { code: 'asc' } },
    }),
  }),
});

builder.queryFields((t) => ({
  substances: t.prismaField({
    type: ['Substance'],
    description: 'Every substance in the taxonomy.',
    resolve: (query, _root, _args, ctx) => ctx.prisma.substance.findMany({ ...query, orderBy: { code: 'asc' } }),
  }),
  substance: t.prismaField({
    type: 'Substance',
    nullable: true,
    description: 'One substance by code; null when no substance has that code.',
    args: { code: t.arg.id({ required: true, description: 'Substance code, e.g. CANNABIS.' }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.substance.findUnique({ ...query, where: { code: String(args.code) } }),
  }),
}));
