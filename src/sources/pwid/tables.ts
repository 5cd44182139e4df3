/** The tables of this source, each named once (the @@map of its model in prisma/schema.prisma). */
export const TABLES = {
  estimates: 'injecting_drug_use_estimate',
} as const;
