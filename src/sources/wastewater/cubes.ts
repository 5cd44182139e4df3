import { type CubeDefinition, PROVENANCE_VALUES } from '../../cube/definition.ts';
import { STATISTICS } from './importer.ts';

/** Wastewater loads by site, country, substance and statistic; only the statistic has a default (DAILY_MEAN). */
export const wastewaterCube: CubeDefinition = {
  field: 'wastewater',
  table: 'wastewater_observation',
  series: [],
  year: { column: 'year', field: 'year' },
  dimensions: [
    {
      name: 'SITE',
      argument: 'site',
      column: 'site_code',
      field: 'siteCode',
      codelist: { table: 'wastewater_site', column: 'code' },
    },
    {
      name: 'COUNTRY',
      argument: 'country',
      column: 'country_code',
      field: 'countryCode',
      codelist: { table: 'wastewater_site', column: 'country_code' },
    },
    {
      name: 'SUBSTANCE',
      argument: 'substance',
      column: 'substance_code',
      field: 'substanceCode',
      codelist: { table: 'substance', column: 'code' },
    },
    {
      name: 'STATISTIC',
      argument: 'statistic',
      column: 'statistic',
      field: 'statistic',
      total: 'DAILY_MEAN',
      totalIsReference: true,
      codelist: { values: STATISTICS },
    },
  ],
  values: [{ column: 'metabolite_code', field: 'metaboliteCode' }, ...PROVENANCE_VALUES],
};
