import { builder } from '../graphql/builder.ts';
import { label, langArgs } from '../graphql/common.ts';
import { inCodelist } from '../graphql/loaders.ts';

export const ageGroupsByCode = inCodelist((ctx) => ctx.codelists.ageGroups(ctx.reads));

export const AgeGroupType = builder.prismaNode('AgeGroup', {
  id: { field: 'code' },
  nullable: true,
  description: 'An age group as a range of years ("16-64", "0-29", "70+"), or ALL.',
  fields: (t) => ({
    code: t.exposeID('code', { description: 'The range as "from-to" or "from+", or ALL.' }),
    name: t.string({
      description: 'Label of the age group.',
      args: langArgs,
      resolve: (entry, { lang }) => label(entry, lang),
    }),
    from: t.exposeInt('ageFrom', { nullable: true, description: 'Lowest age included (null for ALL).' }),
    to: t.exposeInt('ageTo', { nullable: true, description: 'Highest age included (null when open-ended).' }),
  }),
});
