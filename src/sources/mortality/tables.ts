/** The tables of this source, each named once (the @@map of its model in prisma/schema.prisma). */
export const TABLES = {
  deaths: 'death_observation',
  rates: 'death_rate_observation',
} as const;
