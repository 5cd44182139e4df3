import type { CubeQuery, CubeRow } from '../../cube/definition.ts';
import type * as enums from '../../db/generated/prisma/enums.ts';
import { StandardPopulationType, standardPopulationsByCode } from '../../dimensions/death-codes.ts';
import { RegionType, regionsByCode } from '../../dimensions/region.ts';
import { builder } from '../../graphql/builder.ts';
import { AS_OF_DESCRIPTION, AttributeOrigin, Sex } from '../../graphql/common.ts';
import { lookup } from '../../graphql/loaders.ts';
import { Observation, type ObservationShape, observationNode, unitField } from '../../graphql/observation.ts';
import { cubeFieldWithRegions } from './cube-field.ts';
import { ratesCube } from './cubes.ts';

interface RateRow extends CubeRow, ObservationShape {
  regionCode: string;
  sex: enums.Sex;
  standardCode: string;
  standardOrigin: 'PRINTED' | 'INFERRED';
}

export const DeathRateDimension = builder.enumType('DeathRateDimension', {
  description: 'Dimensions of death rates that `by:` can break down.',
  values: {
    REGION: { description: 'By county (the total is Norway, "0").' },
    SEX: { description: 'By sex (the total is ALL).' },
    STANDARD: {
      description: 'By standard population (the default is the one the registry uses now, NOR_MEAN_2024).',
    },
  } as const,
});

export const DrugDeathRateObservation = builder.node(builder.objectRef<RateRow>('DrugDeathRateObservation'), {
  ...observationNode(ratesCube),
  description:
    'An age-standardised rate of drug-induced deaths per 100 000 inhabitants: only rates their source ' +
    'calls age-standardised (others are drugDeaths with measure RATE_PER_100K). A rate always names its ' +
    'standard population, and standardPopulationOrigin says whether the source printed it or the hub ' +
    'inferred it; rates with different standards are not comparable.',
  interfaces: [Observation],
  isTypeOf: (row) => typeof row === 'object' && row !== null && 'standardCode' in row,
  fields: (t) => ({
    unit: unitField(t, 'PER_100K'),
    region: t.field({
      type: RegionType,
      description: 'Region (Norway "0" is the total).',
      resolve: lookup(regionsByCode, (row) => row.regionCode),
    }),
    sex: t.field({ type: Sex, description: 'Sex (ALL is the total).', resolve: (row) => row.sex }),
    standardPopulation: t.field({
      type: StandardPopulationType,
      description: 'The population the rate is standardised to.',
      resolve: lookup(standardPopulationsByCode, (row) => row.standardCode),
    }),
    standardPopulationOrigin: t.field({
      type: AttributeOrigin,
      description:
        'PRINTED when the source names the standard population; INFERRED when it does not and the hub ' +
        "filed the rate under the standard the registry used at the time (Eurostat's ESP2013 before 2025, " +
        'report kap. 8).',
      resolve: (row) => row.standardOrigin,
    }),
  }),
});

const ratesArgs = builder.args((t) => ({
  region: t.idList({ description: 'County numbers or "0" for Norway. Default: Norway.' }),
  sex: t.field({ type: [Sex], description: 'Sexes. Default: ALL.' }),
  standard: t.idList({ description: 'Standard populations (NOR_MEAN_2024, ESP2013). Default: NOR_MEAN_2024.' }),
  from: t.int({ description: 'First year (inclusive).' }),
  to: t.int({ description: 'Last year (inclusive).' }),
  by: t.field({ type: [DeathRateDimension], description: 'Dimensions to break down.' }),
  asOf: t.field({ type: 'Date', description: AS_OF_DESCRIPTION }),
}));

interface RatesArgs {
  region?: readonly (string | number)[] | null;
  sex?: readonly string[] | null;
  standard?: readonly (string | number)[] | null;
  from?: number | null;
  to?: number | null;
  by?: readonly string[] | null;
  asOf?: Date | null;
}

function toCubeQuery(args: RatesArgs): CubeQuery {
  return {
    series: {},
    filters: { region: args.region?.map(String), sex: args.sex, standard: args.standard?.map(String) },
    by: args.by,
    from: args.from,
    to: args.to,
    asOf: args.asOf,
  };
}

cubeFieldWithRegions({
  name: 'drugDeathRates',
  type: DrugDeathRateObservation,
  description:
    'Age-standardised rates of drug-induced deaths per 100 000, by default for Norway with the standard ' +
    'the registry uses now (NOR_MEAN_2024). Only rates their source calls age-standardised; a rate ' +
    'printed without that word is drugDeaths(measure: RATE_PER_100K).',
  regionDescription: 'Age-standardised death rates in this region (same arguments as Query.drugDeathRates).',
  args: ratesArgs,
  cube: ratesCube,
  toCubeQuery,
  present: (rows: RateRow[]) => rows,
});
