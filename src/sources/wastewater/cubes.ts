import { type CubeDefinition, PROVENANCE_VALUES } from '../../cube/definition.ts';
import * as enums from '../../db/generated/prisma/enums.ts';
import { CODELIST_TABLES } from '../../dimensions/codelists.ts';
import { TABLES } from './tables.ts';

/**
 * Wastewater loads by site, country, substance, sampling campaign and statistic; only the
 * statistic has a default (DAILY_MEAN). The campaign, like the site, has no total.
 */
export const wastewaterCube: CubeDefinition = {
  field: 'wastewater',
  table: TABLES.loads,
  series: [],
  year: { column: 'year', field: 'year' },
  dimensions: [
    {
      name: 'SITE',
      argument: 'site',
      column: 'site_code',
      field: 'siteCode',
      codelist: { table: TABLES.sites, column: 'code', label: 'city' },
    },
    {
      name: 'COUNTRY',
      argument: 'country',
      column: 'country_code',
      field: 'countryCode',
      codelist: { table: TABLES.sites, column: 'country_code' },
    },
    {
      name: 'SUBSTANCE',
      argument: 'substance',
      column: 'substance_code',
      field: 'substanceCode',
      codelist: { table: CODELIST_TABLES.substance, column: 'code', label: 'name_en' },
    },
    {
      name: 'CAMPAIGN',
      argument: 'campaign',
      column: 'campaign',
      field: 'campaign',
      codelist: { values: Object.values(enums.WastewaterCampaign) },
    },
    {
      name: 'STATISTIC',
      argument: 'statistic',
      column: 'statistic',
      field: 'statistic',
      total: 'DAILY_MEAN',
      totalIsReference: true,
      codelist: { values: Object.values(enums.WastewaterStatistic) },
    },
  ],
  values: [{ column: 'metabolite_code', field: 'metaboliteCode' }, ...PROVENANCE_VALUES],
};
