import type { CubeRow } from '../../cube/definition.ts';
import * as enums from '../../db/generated/prisma/enums.ts';
import { AgeGroupType, ageGroupsByCode } from '../../dimensions/age-group.ts';
import { builder } from '../../graphql/builder.ts';
import { AS_OF_DESCRIPTION, describedEnum, labelled, Sex } from '../../graphql/common.ts';
import { queryCube } from '../../graphql/cube-fields.ts';
import { lookup } from '../../graphql/loaders.ts';
import {
  Observation,
  type ObservationShape,
  observationNode,
  type UnitValue,
  unitField,
} from '../../graphql/observation.ts';
import type { DISTRIBUTIONS } from './cells.ts';
import { distributionCube } from './cubes.ts';

interface DistributionRow extends CubeRow, ObservationShape {
  distribution: (typeof DISTRIBUTIONS)[number];
  measure: enums.DistributionMeasure;
  sex: enums.Sex;
  ageGroupCode: string;
  category: string;
  position: number;
  count: number | null;
}

export const UseDistribution = builder.enumType('UseDistribution', {
  description: 'Distributions among users that the survey publishes.',
  values: {
    CANNABIS_USE_FREQUENCY_12M: {
      description: 'Times cannabis was used in the last 12 months, among last-12-months users (1-5, 6-10, 11-50, >50).',
      ...labelled('Antall ganger brukt cannabis siste 12 måneder', 'Times cannabis was used in the last 12 months'),
    },
    CANNABIS_USE_DAYS_4W: {
      description: 'Days cannabis was used in the last 4 weeks, among last-4-weeks users.',
      ...labelled('Antall dager brukt cannabis siste 4 uker', 'Days cannabis was used in the last 4 weeks'),
    },
    CANNABIS_DEBUT_AGE: {
      description: 'Age at first use of cannabis, among those who reported a debut age.',
      ...labelled('Debutalder for cannabis', 'Age at first use of cannabis'),
    },
  } as const,
});

export const DistributionMeasure = describedEnum(
  enums.DistributionMeasure,
  'DistributionMeasure',
  'What a distribution figure is.',
  {
    SHARE: {
      description: 'Percent of users in the category (the default).',
      ...labelled('Andel av brukerne (prosent)', 'Share of users (percent)'),
    },
    MEAN: { description: 'The mean of the distribution (category ALL).', ...labelled('Gjennomsnitt', 'Mean') },
    MINIMUM: { description: 'The lowest value reported (category ALL).', ...labelled('Laveste', 'Minimum') },
    MAXIMUM: { description: 'The highest value reported (category ALL).', ...labelled('Høyeste', 'Maximum') },
    MODE: { description: 'The most common value (category ALL).', ...labelled('Typetall', 'Mode') },
  },
);

export const DistributionDimension = builder.enumType('DistributionDimension', {
  description: 'Dimensions of a distribution that `by:` can break down.',
  values: {
    CATEGORY: { description: 'By category (frequency band, days, age); SHARE figures are always per category.' },
    SEX: { description: 'By sex (the total is ALL).' },
    AGE_GROUP: { description: 'By age group (the default is 16-64).' },
  } as const,
});

// Statistics (mean, minimum, ...) are published only for the debut age, in years.
const unitOf = (row: DistributionRow): UnitValue => (row.measure === 'SHARE' ? 'PERCENT' : 'YEARS');

export const UseDistributionObservation = builder.node(
  builder.objectRef<DistributionRow>('UseDistributionObservation'),
  {
    ...observationNode(distributionCube),
    description:
      'One published figure of a distribution among users (survey): a share per category, or a statistic such as the mean debut age.',
    interfaces: [Observation],
    isTypeOf: (row) => typeof row === 'object' && row !== null && 'distribution' in row,
    fields: (t) => ({
      distribution: t.field({
        type: UseDistribution,
        description: 'Which distribution.',
        resolve: (row) => row.distribution,
      }),
      measure: t.field({
        type: DistributionMeasure,
        description: 'A share per category, or a statistic.',
        resolve: (row) => row.measure,
      }),
      category: t.exposeString('category', {
        description: 'The category as published ("1-5", "20+", an age), or ALL for statistics.',
      }),
      count: t.exposeInt('count', {
        nullable: true,
        description: 'Unweighted number of respondents in the category, where published.',
      }),
      unit: unitField(t, unitOf),
      sex: t.field({ type: Sex, description: 'Sex (ALL is the total).', resolve: (row) => row.sex }),
      ageGroup: t.field({
        type: AgeGroupType,
        description: 'Age group of the users.',
        resolve: lookup(ageGroupsByCode, (row) => row.ageGroupCode),
      }),
    }),
  },
);

builder.queryFields((t) => ({
  useDistribution: t.field({
    type: [UseDistributionObservation],
    description:
      'Distributions among users: frequency of cannabis use, days of use, debut age. SHARE figures come ' +
      'per category; MEAN, MINIMUM, MAXIMUM and MODE are statistics of the whole. Sex defaults to ALL ' +
      'and age group to 16-64.',
    args: {
      distribution: t.arg({ type: UseDistribution, required: true, description: 'Which distribution.' }),
      measure: t.arg({
        type: DistributionMeasure,
        defaultValue: 'SHARE',
        description: 'SHARE (default) or a statistic.',
      }),
      sex: t.arg({ type: [Sex], description: 'Sexes. Default: ALL.' }),
      ageGroup: t.arg.idList({ description: 'Age groups. Default: 16-64.' }),
      from: t.arg.int({ description: 'First survey year (inclusive).' }),
      to: t.arg.int({ description: 'Last survey year (inclusive).' }),
      by: t.arg({
        type: [DistributionDimension],
        description: 'Dimensions to break down (SHARE always adds CATEGORY).',
      }),
      asOf: t.arg({ type: 'Date', description: AS_OF_DESCRIPTION }),
    },
    resolve: async (_root, args, ctx, info) => {
      const measure = args.measure ?? 'SHARE';
      const by = new Set(args.by ?? []);
      if (measure === 'SHARE') by.add('CATEGORY');
      const query = {
        series: { distribution: args.distribution, measure },
        filters: { sex: args.sex, ageGroup: args.ageGroup?.map(String) },
        by: [...by],
        from: args.from,
        to: args.to,
        asOf: args.asOf,
      };
      return queryCube<DistributionRow>(ctx, distributionCube, query, info);
    },
  }),
}));
