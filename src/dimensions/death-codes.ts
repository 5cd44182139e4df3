import { builder } from '../graphql/builder.ts';
import { label, langArgs } from '../graphql/common.ts';
import { inCodelist } from '../graphql/loaders.ts';

// Codelists of the Cause of Death Registry's drug-induced deaths (EUDA "Selection B").

export const deathCausesByCode = inCodelist((ctx) => ctx.codelists.deathCauses(ctx.reads));
export const deathIntentsByCode = inCodelist((ctx) => ctx.codelists.deathIntents(ctx.reads));
export const standardPopulationsByCode = inCodelist((ctx) => ctx.codelists.standardPopulations(ctx.reads));

export const DeathCauseType = builder.prismaNode('DeathCause', {
  id: { field: 'code' },
  nullable: true,
  description: 'The substance type ("stofftype") a drug-induced death is grouped by; ALL is the total.',
  fields: (t) => ({
    code: t.exposeID('code', {
      description: 'HEROIN, METHADONE, OTHER_OPIOIDS, SYNTHETIC_OPIOIDS, STIMULANTS, DEPENDENCE, OTHER or ALL.',
    }),
    name: t.string({
      description: 'Label as the report prints it.',
      args: langArgs,
      resolve: (entry, { lang }) => label(entry, lang),
    }),
    substance: t.relation('substance', {
      nullable: true,
      description: 'The substance of the taxonomy it corresponds to.',
    }),
  }),
});

export const DeathIntentType = builder.prismaNode('DeathIntent', {
  id: { field: 'code' },
  nullable: true,
  description:
    'The main group of a drug-induced death: accidental or intentional poisoning, or mental and behavioural disorders; ALL is the total.',
  fields: (t) => ({
    code: t.exposeID('code', { description: 'ACCIDENTAL, INTENTIONAL, MENTAL_BEHAVIOURAL or ALL.' }),
    name: t.string({
      description: 'Label of the group.',
      args: langArgs,
      resolve: (entry, { lang }) => label(entry, lang),
    }),
  }),
});

export const StandardPopulationType = builder.prismaNode('StandardPopulation', {
  id: { field: 'code' },
  nullable: true,
  description:
    'The population an age-standardised rate is standardised to. Rates with different standards are not comparable.',
  fields: (t) => ({
    code: t.exposeID('code', {
      description: "NOR_MEAN_2024 (Norway's mean population 2024) or ESP2013 (European Standard Population 2013).",
    }),
    name: t.string({
      description: 'Name of the standard population.',
      args: langArgs,
      resolve: (entry, { lang }) => label(entry, lang),
    }),
  }),
});
