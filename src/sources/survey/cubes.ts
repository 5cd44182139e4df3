import { type CubeDefinition, PROVENANCE_VALUES, SEX_DIMENSION } from '../../cube/definition.ts';
import * as enums from '../../db/generated/prisma/enums.ts';
import { CODELIST_TABLES } from '../../dimensions/codelists.ts';
import { TABLES } from './tables.ts';

// The report's analyses are of ages 16-64: the reference age group, kept when broken down.
const ageGroup = {
  name: 'AGE_GROUP',
  argument: 'ageGroup',
  column: 'age_group_code',
  field: 'ageGroupCode',
  total: '16-64',
  totalIsReference: true,
  codelist: { table: CODELIST_TABLES.ageGroup, column: 'code', label: 'name_en' },
} as const;

/** Prevalence: weighted percentages by substance (always broken down), recall, sex and age group. */
export const prevalenceCube: CubeDefinition = {
  field: 'prevalence',
  table: TABLES.prevalence,
  series: [],
  year: { column: 'year', field: 'year' },
  dimensions: [
    {
      name: 'SUBSTANCE',
      argument: 'substance',
      column: 'substance_code',
      field: 'substanceCode',
      codelist: { table: CODELIST_TABLES.substance, column: 'code', label: 'name_en' },
    },
    {
      name: 'RECALL',
      argument: 'recall',
      column: 'recall',
      field: 'recall',
      total: 'LIFETIME',
      totalIsReference: true,
      codelist: { values: Object.values(enums.Recall) },
    },
    SEX_DIMENSION,
    ageGroup,
  ],
  values: [
    ...PROVENANCE_VALUES,
    { column: 'ci_low', field: 'ciLow' },
    { column: 'ci_high', field: 'ciHigh' },
    { column: 'respondents', field: 'respondents' },
    { column: 'users', field: 'users' },
  ],
};

/** Distributions among users: a share per category, or a statistic of the whole (category ALL). */
export const distributionCube: CubeDefinition = {
  field: 'distribution',
  table: TABLES.distributions,
  series: [
    { column: 'distribution', field: 'distribution' },
    { column: 'measure', field: 'measure' },
  ],
  year: { column: 'year', field: 'year' },
  dimensions: [
    SEX_DIMENSION,
    ageGroup,
    {
      name: 'CATEGORY',
      argument: 'category',
      column: 'category',
      field: 'category',
      total: 'ALL',
      codelist: { table: TABLES.distributions, column: 'category' },
    },
  ],
  values: [...PROVENANCE_VALUES, { column: 'count', field: 'count' }, { column: 'position', field: 'position' }],
  order: [{ column: 'position', field: 'position' }],
};
