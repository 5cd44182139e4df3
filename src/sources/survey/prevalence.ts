import type { CubeQuery, CubeRow } from '../../cube/definition.ts';
import * as enums from '../../db/generated/prisma/enums.ts';
import { AgeGroupType, ageGroupsByCode } from '../../dimensions/age-group.ts';
import { SubstanceType, substancesByCode } from '../../dimensions/substance.ts';
import { builder } from '../../graphql/builder.ts';
import { AS_OF_DESCRIPTION, describedEnum, labelled, Sex } from '../../graphql/common.ts';
import { loadByParent, parentCodesKey, queryCube } from '../../graphql/cube-fields.ts';
import { byParent, lookup } from '../../graphql/loaders.ts';
import { Observation, type ObservationShape, observationNode, unitField } from '../../graphql/observation.ts';
import { prevalenceCube } from './cubes.ts';
import { SurveyWaveType, wavesByYear } from './waves.ts';

interface PrevalenceRow extends CubeRow, ObservationShape {
  substanceCode: string;
  recall: enums.Recall;
  sex: enums.Sex;
  ageGroupCode: string;
  ciLow: number | null;
  ciHigh: number | null;
  respondents: number | null;
  users: number | null;
}

export const Recall = describedEnum(enums.Recall, 'Recall', 'The period a survey question asks about.', {
  LIFETIME: { description: 'Ever used ("noen gang"); the default.', ...labelled('Noen gang', 'Ever') },
  LAST_12_MONTHS: {
    description: 'Used in the last 12 months.',
    ...labelled('Siste 12 måneder', 'Last 12 months'),
  },
  LAST_4_WEEKS: { description: 'Used in the last 4 weeks.', ...labelled('Siste 4 uker', 'Last 4 weeks') },
});

export const PrevalenceDimension = builder.enumType('PrevalenceDimension', {
  description: 'Dimensions of survey prevalence that `by:` can break down.',
  values: {
    SUBSTANCE: { description: 'By substance (always broken down).' },
    RECALL: { description: 'By recall period (the default is LIFETIME).' },
    SEX: { description: 'By sex (the total is ALL).' },
    AGE_GROUP: { description: 'By age group (the default is 16-64, the ages the report analyses).' },
  } as const,
});

export const PrevalenceObservation = builder.node(builder.objectRef<PrevalenceRow>('PrevalenceObservation'), {
  ...observationNode(prevalenceCube),
  description:
    'The share of respondents who used a substance (Rus- og tobakksundersøkelsen, SSB): a weighted percentage ' +
    'with its 95 % confidence interval and unweighted counts.',
  interfaces: [Observation],
  isTypeOf: (row) => typeof row === 'object' && row !== null && 'recall' in row && 'substanceCode' in row,
  fields: (t) => ({
    unit: unitField(t, 'PERCENT'),
    substance: t.field({
      type: SubstanceType,
      description: 'The substance asked about.',
      resolve: lookup(substancesByCode, (row) => row.substanceCode),
    }),
    recall: t.field({ type: Recall, description: 'The period asked about.', resolve: (row) => row.recall }),
    sex: t.field({ type: Sex, description: 'Sex (ALL is the total).', resolve: (row) => row.sex }),
    ageGroup: t.field({
      type: AgeGroupType,
      description: 'Age group of the respondents.',
      resolve: lookup(ageGroupsByCode, (row) => row.ageGroupCode),
    }),
    ciLow: t.exposeFloat('ciLow', {
      nullable: true,
      description: 'Lower limit of the 95 % confidence interval, where published.',
    }),
    ciHigh: t.exposeFloat('ciHigh', {
      nullable: true,
      description: 'Upper limit of the 95 % confidence interval, where published.',
    }),
    respondents: t.exposeInt('respondents', {
      nullable: true,
      description: 'Unweighted number of respondents in the group, where published.',
    }),
    users: t.exposeInt('users', {
      nullable: true,
      description: 'Unweighted number of respondents who reported use, where published.',
    }),
    wave: t.field({
      type: SurveyWaveType,
      nullable: true,
      description: 'Method facts and comparability notes of this survey year, where the sources give them.',
      resolve: lookup(wavesByYear, (row) => row.year),
    }),
  }),
});

const prevalenceArgs = builder.args((t) => ({
  substance: t.idList({
    description: 'Substances (CANNABIS, COCAINE, MDMA, AMPHETAMINES, STIMULANTS, ...). Default: all.',
  }),
  recall: t.field({ type: [Recall], description: 'Recall periods. Default: LIFETIME.' }),
  sex: t.field({ type: [Sex], description: 'Sexes. Default: ALL.' }),
  ageGroup: t.idList({ description: 'Age groups ("16-64", "16-30", "16-20", "21-25", "26-30", ...). Default: 16-64.' }),
  from: t.int({ description: 'First survey year (inclusive).' }),
  to: t.int({ description: 'Last survey year (inclusive).' }),
  by: t.field({ type: [PrevalenceDimension], description: 'Dimensions to break down.' }),
  asOf: t.field({ type: 'Date', description: AS_OF_DESCRIPTION }),
}));

interface PrevalenceArgs {
  substance?: readonly (string | number)[] | null;
  recall?: readonly string[] | null;
  sex?: readonly string[] | null;
  ageGroup?: readonly (string | number)[] | null;
  from?: number | null;
  to?: number | null;
  by?: readonly string[] | null;
  asOf?: Date | null;
}

function toCubeQuery(args: PrevalenceArgs): CubeQuery {
  return {
    series: {},
    filters: {
      substance: args.substance?.map(String),
      recall: args.recall,
      sex: args.sex,
      ageGroup: args.ageGroup?.map(String),
    },
    by: args.by,
    from: args.from,
    to: args.to,
    asOf: args.asOf,
  };
}

builder.queryFields((t) => ({
  prevalence: t.field({
    type: [PrevalenceObservation],
    description:
      'Use of illegal drugs in the population (Rus- og tobakksundersøkelsen). Substance and year are ' +
      'always broken down; recall defaults to LIFETIME, sex to ALL and age group to 16-64, each broken ' +
      'down when listed in `by:` or filtered. Where two releases give a cell, the latest answers (`asOf` ' +
      'for earlier ones).',
    args: prevalenceArgs,
    resolve: async (_root, args, ctx, info) => queryCube<PrevalenceRow>(ctx, prevalenceCube, toCubeQuery(args), info),
  }),
}));

builder.objectField(SubstanceType, 'prevalence', (t) =>
  t.field({
    type: [PrevalenceObservation],
    description: 'Survey prevalence of this substance (same arguments as Query.prevalence).',
    args: (({ substance: _substance, ...rest }) => rest)(prevalenceArgs),
    resolve: byParent(
      loadByParent(prevalenceCube, 'substance', toCubeQuery, (rows: PrevalenceRow[]) => rows),
      (substance) => [substance.code],
      parentCodesKey,
    ),
  }),
);
