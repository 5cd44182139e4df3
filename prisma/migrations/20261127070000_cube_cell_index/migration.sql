-- Wastewater cells by substance: the index continues with the rest of the cell key (year, site,
-- country), so a query for one substance reads its cells in the order DISTINCT ON needs and can
-- stop at LIMIT, and finding a cell's revisions is one index lookup. It replaces the shorter one.

-- DropIndex
DROP INDEX "wastewater_observation_substance_code_statistic_year_idx";

-- CreateIndex
CREATE INDEX "wastewater_observation_substance_code_statistic_year_site__idx" ON "wastewater_observation"("substance_code", "statistic", "year", "site_code", "country_code");
