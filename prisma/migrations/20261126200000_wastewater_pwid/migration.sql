-- CreateEnum
CREATE TYPE "WastewaterStatistic" AS ENUM ('DAILY_MEAN', 'WEEKDAY_MEAN', 'WEEKEND_MEAN', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY');

-- CreateTable
CREATE TABLE "wastewater_site" (
    "code" TEXT NOT NULL,
    "euda_site_id" TEXT NOT NULL,
    "country_code" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "city_as_published" TEXT NOT NULL,
    "city_note" TEXT,
    "location" TEXT,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "population" INTEGER,
    "population_as_published" TEXT,
    "institution" TEXT,
    "website" TEXT,
    "region_code" TEXT,
    "note" TEXT,

    CONSTRAINT "wastewater_site_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "wastewater_metabolite" (
    "code" TEXT NOT NULL,
    "measured_as" TEXT NOT NULL,
    "substance_code" TEXT NOT NULL,

    CONSTRAINT "wastewater_metabolite_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "wastewater_observation" (
    "id" BIGSERIAL NOT NULL,
    "release_id" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "site_code" TEXT NOT NULL,
    "country_code" TEXT NOT NULL,
    "metabolite_code" TEXT NOT NULL,
    "substance_code" TEXT NOT NULL,
    "statistic" "WastewaterStatistic" NOT NULL,
    "value" DOUBLE PRECISION,
    "status" "ValueStatus" NOT NULL,
    "qualifier" "Qualifier" NOT NULL,
    "reference" TEXT NOT NULL,
    "note" TEXT,

    CONSTRAINT "wastewater_observation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "wastewater_change" (
    "id" BIGSERIAL NOT NULL,
    "release_id" TEXT NOT NULL,
    "site_code" TEXT NOT NULL,
    "metabolite_code" TEXT NOT NULL,
    "year_current" INTEGER NOT NULL,
    "year_previous" INTEGER,
    "value_current" DOUBLE PRECISION,
    "value_previous" DOUBLE PRECISION,
    "change_percent" DOUBLE PRECISION,
    "change_class" TEXT NOT NULL,

    CONSTRAINT "wastewater_change_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "wastewater_aggregate" (
    "id" BIGSERIAL NOT NULL,
    "release_id" TEXT NOT NULL,
    "metabolite_code" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "wastewater_aggregate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "injecting_drug_use_estimate" (
    "id" BIGSERIAL NOT NULL,
    "release_id" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "estimate" DOUBLE PRECISION,
    "low" DOUBLE PRECISION,
    "high" DOUBLE PRECISION,
    "rate_per_1000" DOUBLE PRECISION,
    "method" TEXT NOT NULL,
    "status" "ValueStatus" NOT NULL,
    "qualifier" "Qualifier" NOT NULL,
    "reference" TEXT NOT NULL,
    "note" TEXT,

    CONSTRAINT "injecting_drug_use_estimate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "wastewater_observation_release_id_site_code_metabolite_code__key" ON "wastewater_observation"("release_id", "site_code", "metabolite_code", "year", "statistic");

-- CreateIndex
CREATE INDEX "wastewater_observation_site_code_metabolite_code_statistic__idx" ON "wastewater_observation"("site_code", "metabolite_code", "statistic", "year");

-- CreateIndex
CREATE INDEX "wastewater_observation_substance_code_statistic_year_idx" ON "wastewater_observation"("substance_code", "statistic", "year");

-- CreateIndex
CREATE UNIQUE INDEX "wastewater_change_release_id_site_code_metabolite_code_year__key" ON "wastewater_change"("release_id", "site_code", "metabolite_code", "year_current");

-- CreateIndex
CREATE UNIQUE INDEX "wastewater_aggregate_release_id_metabolite_code_year_key" ON "wastewater_aggregate"("release_id", "metabolite_code", "year");

-- CreateIndex
CREATE UNIQUE INDEX "injecting_drug_use_estimate_release_id_year_key" ON "injecting_drug_use_estimate"("release_id", "year");

-- CreateIndex
CREATE INDEX "injecting_drug_use_estimate_year_idx" ON "injecting_drug_use_estimate"("year");

-- AddForeignKey
ALTER TABLE "wastewater_site" ADD CONSTRAINT "wastewater_site_region_code_fkey" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "wastewater_metabolite" ADD CONSTRAINT "wastewater_metabolite_substance_code_fkey" FOREIGN KEY ("substance_code") REFERENCES "substance"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "wastewater_observation" ADD CONSTRAINT "wastewater_observation_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "release"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "wastewater_observation" ADD CONSTRAINT "wastewater_observation_site_code_fkey" FOREIGN KEY ("site_code") REFERENCES "wastewater_site"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "wastewater_observation" ADD CONSTRAINT "wastewater_observation_metabolite_code_fkey" FOREIGN KEY ("metabolite_code") REFERENCES "wastewater_metabolite"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "wastewater_change" ADD CONSTRAINT "wastewater_change_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "release"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "wastewater_change" ADD CONSTRAINT "wastewater_change_site_code_fkey" FOREIGN KEY ("site_code") REFERENCES "wastewater_site"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "wastewater_change" ADD CONSTRAINT "wastewater_change_metabolite_code_fkey" FOREIGN KEY ("metabolite_code") REFERENCES "wastewater_metabolite"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "wastewater_aggregate" ADD CONSTRAINT "wastewater_aggregate_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "release"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "wastewater_aggregate" ADD CONSTRAINT "wastewater_aggregate_metabolite_code_fkey" FOREIGN KEY ("metabolite_code") REFERENCES "wastewater_metabolite"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "injecting_drug_use_estimate" ADD CONSTRAINT "injecting_drug_use_estimate_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "release"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
