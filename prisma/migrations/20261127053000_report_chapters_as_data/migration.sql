-- Issue 11: the report's chapters 6 and 7 as data, and nothing served as more certain than its source.

-- New members are appended; existing values keep their meaning.
ALTER TYPE "ValueStatus" ADD VALUE 'DOUBTFUL';
ALTER TYPE "Qualifier" ADD VALUE 'ABOUT_OR_LESS';
ALTER TYPE "DeathMeasure" ADD VALUE 'RATE_PER_100K';

-- CreateEnum
CREATE TYPE "WastewaterCampaign" AS ENUM ('SPRING', 'AUTUMN');

-- CreateEnum
CREATE TYPE "InjectingDrugUseSeries" AS ENUM ('ANNUAL_ESTIMATE', 'THREE_YEAR_MOVING_AVERAGE');

-- CreateEnum
CREATE TYPE "AttributeOrigin" AS ENUM ('PRINTED', 'INFERRED');

-- The bundled releases (published_by IS NULL) gain columns and corrected readings; they are
-- removed here and stored again from prisma/data on the next start. Releases published through
-- the API or the CLI are kept.
DELETE FROM "death_observation" WHERE "release_id" IN (SELECT "id" FROM "release" WHERE "published_by" IS NULL);
DELETE FROM "death_rate_observation" WHERE "release_id" IN (SELECT "id" FROM "release" WHERE "published_by" IS NULL);
DELETE FROM "survey_prevalence" WHERE "release_id" IN (SELECT "id" FROM "release" WHERE "published_by" IS NULL);
DELETE FROM "survey_trend_point" WHERE "release_id" IN (SELECT "id" FROM "release" WHERE "published_by" IS NULL);
DELETE FROM "survey_trend_test" WHERE "release_id" IN (SELECT "id" FROM "release" WHERE "published_by" IS NULL);
DELETE FROM "survey_distribution" WHERE "release_id" IN (SELECT "id" FROM "release" WHERE "published_by" IS NULL);
DELETE FROM "survey_wave" WHERE "release_id" IN (SELECT "id" FROM "release" WHERE "published_by" IS NULL);
DELETE FROM "wastewater_observation" WHERE "release_id" IN (SELECT "id" FROM "release" WHERE "published_by" IS NULL);
DELETE FROM "wastewater_change" WHERE "release_id" IN (SELECT "id" FROM "release" WHERE "published_by" IS NULL);
DELETE FROM "wastewater_aggregate" WHERE "release_id" IN (SELECT "id" FROM "release" WHERE "published_by" IS NULL);
DELETE FROM "injecting_drug_use_estimate" WHERE "release_id" IN (SELECT "id" FROM "release" WHERE "published_by" IS NULL);
DELETE FROM "release" WHERE "published_by" IS NULL;

-- Wastewater: the sampling campaign is a dimension; EUDA's week (March-April) is SPRING.
ALTER TABLE "wastewater_observation" ADD COLUMN "campaign" "WastewaterCampaign" NOT NULL DEFAULT 'SPRING';
ALTER TABLE "wastewater_observation" ALTER COLUMN "campaign" DROP DEFAULT;
DROP INDEX "wastewater_observation_release_id_site_code_metabolite_code__key";
CREATE UNIQUE INDEX "wastewater_observation_release_id_site_code_metabolite_code__key" ON "wastewater_observation"("release_id", "site_code", "metabolite_code", "year", "campaign", "statistic");

-- People who inject drugs: the annual estimate and the 3-year moving average are separate series.
ALTER TABLE "injecting_drug_use_estimate" ADD COLUMN "series" "InjectingDrugUseSeries" NOT NULL DEFAULT 'ANNUAL_ESTIMATE';
ALTER TABLE "injecting_drug_use_estimate" ALTER COLUMN "series" DROP DEFAULT;
DROP INDEX "injecting_drug_use_estimate_release_id_year_key";
CREATE UNIQUE INDEX "injecting_drug_use_estimate_release_id_series_year_key" ON "injecting_drug_use_estimate"("release_id", "series", "year");

-- Age-standardised rates say whether their standard population was printed or inferred.
ALTER TABLE "death_rate_observation" ADD COLUMN "standard_origin" "AttributeOrigin" NOT NULL DEFAULT 'INFERRED';
ALTER TABLE "death_rate_observation" ALTER COLUMN "standard_origin" DROP DEFAULT;

-- A printed trend test is one test, whatever number of recall periods its paragraph describes.
ALTER TABLE "survey_trend_test" ADD COLUMN "recalls" "Recall"[];
UPDATE "survey_trend_test" SET "recalls" = ARRAY["recall"];
DROP INDEX "survey_trend_test_release_id_substance_code_recall_key";
ALTER TABLE "survey_trend_test" DROP COLUMN "recall";
CREATE UNIQUE INDEX "survey_trend_test_release_id_substance_code_year_from_year_to_key" ON "survey_trend_test"("release_id", "substance_code", "year_from", "year_to");
