-- Rankings (`orderBy: VALUE_DESC, first: N`): wastewater values of a substance in the order a
-- ranking reads them, missing values last, so a ranking reads about N rows and stops instead of
-- every cell of the substance (at 50 times the rows it was 4.5 times slower). schema.prisma says
-- `value(sort: Desc)`; NULLS LAST is written here (Prisma's schema cannot say it).

-- CreateIndex
CREATE INDEX "wastewater_observation_substance_code_statistic_value_idx" ON "wastewater_observation"("substance_code", "statistic", "value" DESC NULLS LAST);
