/** The tables of this source, each named once (the @@map of its model in prisma/schema.prisma). */
export const TABLES = {
  prevalence: 'survey_prevalence',
  trendPoints: 'survey_trend_point',
  trendTests: 'survey_trend_test',
  distributions: 'survey_distribution',
  waves: 'survey_wave',
} as const;
