import type { CubeQuery, CubeRow } from '../../cube/definition.ts';
import * as enums from '../../db/generated/prisma/enums.ts';
import { AgeGroupType, ageGroupsByCode } from '../../dimensions/age-group.ts';
import {
  DeathCauseType,
  DeathIntentType,
  deathCausesByCode,
  deathIntentsByCode,
} from '../../dimensions/death-codes.ts';
import { RegionType, regionsByCode } from '../../dimensions/region.ts';
import { SubstanceType } from '../../dimensions/substance.ts';
import { builder } from '../../graphql/builder.ts';
import { AS_OF_DESCRIPTION, describedEnum, labelled, Sex } from '../../graphql/common.ts';
import { loadByParent } from '../../graphql/cube-fields.ts';
import { byParent, lookup } from '../../graphql/loaders.ts';
import {
  Observation,
  type ObservationShape,
  observationNode,
  type UnitValue,
  unitField,
} from '../../graphql/observation.ts';
import { cubeFieldWithRegions } from './cube-field.ts';
import { deathsCube } from './cubes.ts';

interface DeathRow extends CubeRow, ObservationShape {
  measure: enums.DeathMeasure;
  yearFrom: number;
  regionCode: string;
  sex: enums.Sex;
  ageGroupCode: string;
  causeCode: string;
  intentCode: string;
}

const UNIT_OF_MEASURE: Record<enums.DeathMeasure, UnitValue> = {
  DEATHS: 'COUNT',
  PERCENT_OF_DEATHS: 'PERCENT',
  MEAN_AGE: 'YEARS',
  CHANGE_FROM_PREVIOUS_YEAR: 'COUNT',
  NOT_AUTOPSIED: 'COUNT',
  PERCENT_NOT_AUTOPSIED: 'PERCENT',
  MEAN_DEATHS_PER_YEAR: 'COUNT',
  RATE_PER_100K: 'PER_100K',
};

export const DeathMeasure = describedEnum(
  enums.DeathMeasure,
  'DeathMeasure',
  'What a drug-induced deaths figure measures.',
  {
    DEATHS: { description: 'Number of deaths (the default).', ...labelled('Antall dødsfall', 'Number of deaths') },
    PERCENT_OF_DEATHS: {
      description: 'Share of all deaths of the year in the same region, in percent, as printed.',
      ...labelled('Andel av dødsfallene (prosent)', 'Share of deaths (percent)'),
    },
    MEAN_AGE: { description: 'Mean age at death, in years.', ...labelled('Gjennomsnittsalder', 'Mean age') },
    CHANGE_FROM_PREVIOUS_YEAR: {
      description: 'Change in the number of deaths from the previous year, as printed.',
      ...labelled('Endring fra året før', 'Change from the previous year'),
    },
    NOT_AUTOPSIED: {
      description: 'Number of deaths not autopsied.',
      ...labelled('Antall ikke obduserte', 'Number not autopsied'),
    },
    PERCENT_NOT_AUTOPSIED: {
      description: 'Share of deaths not autopsied, in percent.',
      ...labelled('Andel ikke obduserte (prosent)', 'Share not autopsied (percent)'),
    },
    MEAN_DEATHS_PER_YEAR: {
      description: 'Mean number of deaths per year over the period yearFrom-year.',
      ...labelled('Gjennomsnittlig antall dødsfall per år', 'Mean deaths per year'),
    },
    RATE_PER_100K: {
      description:
        'A death rate per 100 000 inhabitants that its source does not call age-standardised and prints ' +
        'without a standard population (e.g. 2001: 8.6). It may be crude or standardised to an unnamed ' +
        'population, so it is not among drugDeathRates and not comparable with them.',
      ...labelled('Dødsfall per 100 000 (uten oppgitt standard)', 'Deaths per 100 000 (no standard stated)'),
    },
  },
);

export const DeathDimension = builder.enumType('DeathDimension', {
  description: 'Dimensions of drug-induced deaths that `by:` can break down (each defaults to its total).',
  values: {
    REGION: { description: 'By county (the total is Norway, "0").' },
    SEX: { description: 'By sex (the total is ALL).' },
    AGE_GROUP: { description: 'By age group (the total is ALL).' },
    CAUSE: { description: 'By substance type, "stofftype" (the total is ALL).' },
    INTENT: { description: 'By intent group (the total is ALL).' },
  } as const,
});

export const DrugDeathObservation = builder.node(builder.objectRef<DeathRow>('DrugDeathObservation'), {
  ...observationNode(deathsCube),
  description:
    'One published figure of drug-induced deaths (Cause of Death Registry, FHI; EUDA Selection B), with every dimension of the cube.',
  interfaces: [Observation],
  isTypeOf: (row) => typeof row === 'object' && row !== null && 'causeCode' in row,
  fields: (t) => ({
    measure: t.field({ type: DeathMeasure, description: 'What the value measures.', resolve: (row) => row.measure }),
    unit: unitField(t, (row) => UNIT_OF_MEASURE[row.measure]),
    yearFrom: t.exposeInt('yearFrom', {
      description: 'First year of the period the figure covers (equals year for one year).',
    }),
    region: t.field({
      type: RegionType,
      description: 'Region (Norway "0" is the total).',
      resolve: lookup(regionsByCode, (row) => row.regionCode),
    }),
    sex: t.field({ type: Sex, description: 'Sex (ALL is the total).', resolve: (row) => row.sex }),
    ageGroup: t.field({
      type: AgeGroupType,
      description: 'Age group (ALL is the total).',
      resolve: lookup(ageGroupsByCode, (row) => row.ageGroupCode),
    }),
    cause: t.field({
      type: DeathCauseType,
      description: 'Substance type, "stofftype" (ALL is the total).',
      resolve: lookup(deathCausesByCode, (row) => row.causeCode),
    }),
    intent: t.field({
      type: DeathIntentType,
      description: 'Intent group (ALL is the total).',
      resolve: lookup(deathIntentsByCode, (row) => row.intentCode),
    }),
  }),
});

const deathsArgs = builder.args((t) => ({
  region: t.idList({ description: 'County numbers ("03", "46") or "0" for Norway. Default: Norway.' }),
  sex: t.field({ type: [Sex], description: 'Sexes. Default: ALL.' }),
  ageGroup: t.idList({ description: 'Age groups ("0-29", "50-59", "70+"). Default: ALL.' }),
  cause: t.idList({ description: 'Substance types (HEROIN, METHADONE, OTHER_OPIOIDS, ...). Default: ALL.' }),
  intent: t.idList({ description: 'Intent groups (ACCIDENTAL, INTENTIONAL, MENTAL_BEHAVIOURAL). Default: ALL.' }),
  from: t.int({ description: 'First year (inclusive).' }),
  to: t.int({ description: 'Last year (inclusive).' }),
  by: t.field({
    type: [DeathDimension],
    description: 'Dimensions to break down (each otherwise defaults to its total).',
  }),
  measure: t.field({ type: DeathMeasure, defaultValue: 'DEATHS', description: 'What to measure (default DEATHS).' }),
  asOf: t.field({ type: 'Date', description: AS_OF_DESCRIPTION }),
}));

type DeathsArgs = {
  region?: readonly (string | number)[] | null;
  sex?: readonly string[] | null;
  ageGroup?: readonly (string | number)[] | null;
  cause?: readonly (string | number)[] | null;
  intent?: readonly (string | number)[] | null;
  from?: number | null;
  to?: number | null;
  by?: readonly string[] | null;
  measure?: string | null;
  asOf?: Date | null;
};

const codes = (values: readonly (string | number)[] | null | undefined) => values?.map(String);

function toCubeQuery(args: DeathsArgs): CubeQuery {
  return {
    series: { measure: args.measure ?? 'DEATHS' },
    filters: {
      region: codes(args.region),
      sex: codes(args.sex),
      ageGroup: codes(args.ageGroup),
      cause: codes(args.cause),
      intent: codes(args.intent),
    },
    by: args.by,
    from: args.from,
    to: args.to,
    asOf: args.asOf,
  };
}

cubeFieldWithRegions({
  name: 'drugDeaths',
  type: DrugDeathObservation,
  description:
    'Drug-induced deaths. Each dimension defaults to its total and is broken down when listed in `by:` ' +
    'or filtered with codes; the year is always broken down. E.g. `drugDeaths(from: 2024, to: 2024, ' +
    'by: [REGION])` is the 15 counties in 2024.',
  regionDescription: 'Drug-induced deaths in this region (same arguments as Query.drugDeaths).',
  args: deathsArgs,
  cube: deathsCube,
  toCubeQuery,
  present: (rows: DeathRow[]) => rows,
});

const deathsByCause = loadByParent(deathsCube, 'cause', toCubeQuery, (rows: DeathRow[]) => rows);

builder.prismaObjectField(SubstanceType, 'drugDeaths', (t) =>
  t.field({
    type: [DrugDeathObservation],
    description:
      'Drug-induced deaths registered with this substance type ("stofftype"); empty for substances the registry does not group deaths by (e.g. CANNABIS).',
    args: (({ cause: _cause, ...rest }) => rest)(deathsArgs),
    resolve: byParent(
      async (substances: readonly string[], ctx, args: DeathsArgs, info) => {
        const causes = await ctx.codelists.deathCausesBySubstance(ctx.reads);
        return deathsByCause(
          substances.map((substance) => causes.get(substance) ?? []),
          ctx,
          args,
          info,
        );
      },
      (substance) => substance.code,
    ),
  }),
);
