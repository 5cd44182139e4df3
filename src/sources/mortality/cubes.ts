import { type CubeDefinition, PROVENANCE_VALUES, SEX_DIMENSION } from '../../cube/definition.ts';
import { CODELIST_TABLES } from '../../dimensions/codelists.ts';
import { TABLES } from './tables.ts';

const region = {
  name: 'REGION',
  argument: 'region',
  column: 'region_code',
  field: 'regionCode',
  total: '0',
  codelist: { table: CODELIST_TABLES.region, column: 'code', label: 'name_en' },
} as const;

/** Drug-induced deaths: counts, shares, mean ages and autopsy figures by region, sex, age, cause and intent. */
export const deathsCube: CubeDefinition = {
  field: 'drugDeaths',
  table: TABLES.deaths,
  series: [{ column: 'measure', field: 'measure' }],
  year: { column: 'year', field: 'year' },
  yearFrom: { column: 'year_from', field: 'yearFrom' },
  dimensions: [
    region,
    SEX_DIMENSION,
    {
      name: 'AGE_GROUP',
      argument: 'ageGroup',
      column: 'age_group_code',
      field: 'ageGroupCode',
      total: 'ALL',
      codelist: { table: CODELIST_TABLES.ageGroup, column: 'code', label: 'name_en' },
    },
    {
      name: 'CAUSE',
      argument: 'cause',
      column: 'cause_code',
      field: 'causeCode',
      total: 'ALL',
      codelist: { table: CODELIST_TABLES.deathCause, column: 'code', label: 'name_en' },
    },
    {
      name: 'INTENT',
      argument: 'intent',
      column: 'intent_code',
      field: 'intentCode',
      total: 'ALL',
      codelist: { table: CODELIST_TABLES.deathIntent, column: 'code', label: 'name_en' },
    },
  ],
  values: PROVENANCE_VALUES,
};

/**
 * Age-standardised death rates per 100 000. The standard population is a dimension whose
 * reference member is the one the registry uses now (Norway's mean population 2024).
 */
export const ratesCube: CubeDefinition = {
  field: 'drugDeathRates',
  table: TABLES.rates,
  series: [],
  year: { column: 'year', field: 'year' },
  dimensions: [
    region,
    SEX_DIMENSION,
    {
      name: 'STANDARD',
      argument: 'standard',
      column: 'standard_code',
      field: 'standardCode',
      total: 'NOR_MEAN_2024',
      totalIsReference: true,
      codelist: { table: CODELIST_TABLES.standardPopulation, column: 'code', label: 'name_en' },
    },
  ],
  values: [...PROVENANCE_VALUES, { column: 'standard_origin', field: 'standardOrigin' }],
};
