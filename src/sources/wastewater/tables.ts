/** The tables of this source, each named once (the @@map of its model in prisma/schema.prisma). */
export const TABLES = {
  loads: 'wastewater_observation',
  changes: 'wastewater_change',
  aggregates: 'wastewater_aggregate',
  metabolites: 'wastewater_metabolite',
  sites: 'wastewater_site',
} as const;
