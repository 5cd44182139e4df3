-- CreateEnum
CREATE TYPE "ReleaseStatus" AS ENUM ('PRELIMINARY', 'FINAL');

-- CreateEnum
CREATE TYPE "DatePrecision" AS ENUM ('DAY', 'MONTH', 'YEAR', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "RegionKind" AS ENUM ('COUNTRY', 'COUNTY');

-- CreateEnum
CREATE TYPE "Sex" AS ENUM ('ALL', 'MALE', 'FEMALE');

-- CreateEnum
CREATE TYPE "ValueStatus" AS ENUM ('NORMAL', 'PROVISIONAL', 'SUPPRESSED', 'BELOW_LOQ', 'MISSING');

-- CreateEnum
CREATE TYPE "Qualifier" AS ENUM ('EXACT', 'ABOUT', 'NEARLY', 'JUST_OVER', 'LESS_THAN');

-- CreateEnum
CREATE TYPE "DeathMeasure" AS ENUM ('DEATHS', 'PERCENT_OF_DEATHS', 'MEAN_AGE', 'CHANGE_FROM_PREVIOUS_YEAR', 'NOT_AUTOPSIED', 'PERCENT_NOT_AUTOPSIED', 'MEAN_DEATHS_PER_YEAR');

-- CreateTable
CREATE TABLE "source" (
    "id" TEXT NOT NULL,
    "name_nb" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "publisher" TEXT NOT NULL,
    "url" TEXT,
    "notes_nb" TEXT[],
    "notes_en" TEXT[],

    CONSTRAINT "source_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "release" (
    "id" TEXT NOT NULL,
    "source_id" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "status" "ReleaseStatus" NOT NULL,
    "published_at" DATE NOT NULL,
    "published_at_precision" "DatePrecision" NOT NULL,
    "publisher" TEXT NOT NULL,
    "url" TEXT,
    "note" TEXT,
    "checksum" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "withdrawn_at" TIMESTAMPTZ(6),
    "withdrawn_reason" TEXT,

    CONSTRAINT "release_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "region" (
    "code" TEXT NOT NULL,
    "name_nb" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "kind" "RegionKind" NOT NULL,
    "valid_from" INTEGER,
    "valid_to" INTEGER,

    CONSTRAINT "region_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "age_group" (
    "code" TEXT NOT NULL,
    "name_nb" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "age_from" INTEGER,
    "age_to" INTEGER,

    CONSTRAINT "age_group_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "substance" (
    "code" TEXT NOT NULL,
    "parent_code" TEXT,
    "name_nb" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,

    CONSTRAINT "substance_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "death_cause" (
    "code" TEXT NOT NULL,
    "name_nb" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "substance_code" TEXT,

    CONSTRAINT "death_cause_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "death_intent" (
    "code" TEXT NOT NULL,
    "name_nb" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,

    CONSTRAINT "death_intent_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "standard_population" (
    "code" TEXT NOT NULL,
    "name_nb" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,

    CONSTRAINT "standard_population_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "death_observation" (
    "id" BIGSERIAL NOT NULL,
    "release_id" TEXT NOT NULL,
    "measure" "DeathMeasure" NOT NULL,
    "year_from" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "region_code" TEXT NOT NULL,
    "sex" "Sex" NOT NULL,
    "age_group_code" TEXT NOT NULL,
    "cause_code" TEXT NOT NULL,
    "intent_code" TEXT NOT NULL,
    "value" DOUBLE PRECISION,
    "status" "ValueStatus" NOT NULL,
    "qualifier" "Qualifier" NOT NULL,
    "reference" TEXT,
    "note" TEXT,

    CONSTRAINT "death_observation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "death_rate_observation" (
    "id" BIGSERIAL NOT NULL,
    "release_id" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "region_code" TEXT NOT NULL,
    "sex" "Sex" NOT NULL,
    "standard_code" TEXT NOT NULL,
    "value" DOUBLE PRECISION,
    "status" "ValueStatus" NOT NULL,
    "qualifier" "Qualifier" NOT NULL,
    "reference" TEXT,
    "note" TEXT,

    CONSTRAINT "death_rate_observation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "release_source_id_published_at_idx" ON "release"("source_id", "published_at");

-- CreateIndex
CREATE UNIQUE INDEX "death_observation_release_id_measure_year_from_year_region__key" ON "death_observation"("release_id", "measure", "year_from", "year", "region_code", "sex", "age_group_code", "cause_code", "intent_code");

-- CreateIndex
CREATE INDEX "death_observation_measure_region_code_sex_age_group_code_ca_idx" ON "death_observation"("measure", "region_code", "sex", "age_group_code", "cause_code", "intent_code", "year_from", "year");

-- CreateIndex
CREATE UNIQUE INDEX "death_rate_observation_release_id_year_region_code_sex_stan_key" ON "death_rate_observation"("release_id", "year", "region_code", "sex", "standard_code");

-- CreateIndex
CREATE INDEX "death_rate_observation_region_code_sex_standard_code_year_idx" ON "death_rate_observation"("region_code", "sex", "standard_code", "year");

-- AddForeignKey
ALTER TABLE "release" ADD CONSTRAINT "release_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "substance" ADD CONSTRAINT "substance_parent_code_fkey" FOREIGN KEY ("parent_code") REFERENCES "substance"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "death_cause" ADD CONSTRAINT "death_cause_substance_code_fkey" FOREIGN KEY ("substance_code") REFERENCES "substance"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "death_observation" ADD CONSTRAINT "death_observation_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "release"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "death_observation" ADD CONSTRAINT "death_observation_region_code_fkey" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "death_observation" ADD CONSTRAINT "death_observation_age_group_code_fkey" FOREIGN KEY ("age_group_code") REFERENCES "age_group"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "death_observation" ADD CONSTRAINT "death_observation_cause_code_fkey" FOREIGN KEY ("cause_code") REFERENCES "death_cause"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "death_observation" ADD CONSTRAINT "death_observation_intent_code_fkey" FOREIGN KEY ("intent_code") REFERENCES "death_intent"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "death_rate_observation" ADD CONSTRAINT "death_rate_observation_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "release"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "death_rate_observation" ADD CONSTRAINT "death_rate_observation_region_code_fkey" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "death_rate_observation" ADD CONSTRAINT "death_rate_observation_standard_code_fkey" FOREIGN KEY ("standard_code") REFERENCES "standard_population"("code") ON DELETE RESTRICT ON UPDATE CASCADE;
