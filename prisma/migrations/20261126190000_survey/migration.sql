-- CreateEnum
CREATE TYPE "Recall" AS ENUM ('LIFETIME', 'LAST_12_MONTHS', 'LAST_4_WEEKS');

-- CreateEnum
CREATE TYPE "DistributionMeasure" AS ENUM ('SHARE', 'MEAN', 'MINIMUM', 'MAXIMUM', 'MODE');

-- CreateTable
CREATE TABLE "survey_prevalence" (
    "id" BIGSERIAL NOT NULL,
    "release_id" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "substance_code" TEXT NOT NULL,
    "recall" "Recall" NOT NULL,
    "sex" "Sex" NOT NULL,
    "age_group_code" TEXT NOT NULL,
    "value" DOUBLE PRECISION,
    "ci_low" DOUBLE PRECISION,
    "ci_high" DOUBLE PRECISION,
    "respondents" INTEGER,
    "users" INTEGER,
    "status" "ValueStatus" NOT NULL,
    "qualifier" "Qualifier" NOT NULL,
    "reference" TEXT NOT NULL,
    "note" TEXT,

    CONSTRAINT "survey_prevalence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "survey_trend_point" (
    "id" BIGSERIAL NOT NULL,
    "release_id" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "substance_code" TEXT NOT NULL,
    "recall" "Recall" NOT NULL,
    "adjusted" DOUBLE PRECISION NOT NULL,
    "adjusted_ci_low" DOUBLE PRECISION NOT NULL,
    "adjusted_ci_high" DOUBLE PRECISION NOT NULL,
    "observed" DOUBLE PRECISION NOT NULL,
    "observed_se" DOUBLE PRECISION,
    "observed_ci_low" DOUBLE PRECISION NOT NULL,
    "observed_ci_high" DOUBLE PRECISION NOT NULL,
    "reference" TEXT NOT NULL,

    CONSTRAINT "survey_trend_point_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "survey_trend_test" (
    "id" BIGSERIAL NOT NULL,
    "release_id" TEXT NOT NULL,
    "substance_code" TEXT NOT NULL,
    "recall" "Recall" NOT NULL,
    "year_from" INTEGER NOT NULL,
    "year_to" INTEGER NOT NULL,
    "direction" TEXT NOT NULL,
    "p_value" DOUBLE PRECISION NOT NULL,
    "p_qualifier" "Qualifier" NOT NULL,
    "adjusted_for" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "note" TEXT,

    CONSTRAINT "survey_trend_test_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "survey_distribution" (
    "id" BIGSERIAL NOT NULL,
    "release_id" TEXT NOT NULL,
    "distribution" TEXT NOT NULL,
    "measure" "DistributionMeasure" NOT NULL,
    "year" INTEGER NOT NULL,
    "sex" "Sex" NOT NULL,
    "age_group_code" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "value" DOUBLE PRECISION,
    "count" INTEGER,
    "status" "ValueStatus" NOT NULL,
    "qualifier" "Qualifier" NOT NULL,
    "reference" TEXT NOT NULL,
    "note" TEXT,

    CONSTRAINT "survey_distribution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "survey_wave" (
    "id" BIGSERIAL NOT NULL,
    "release_id" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "drawn_sample" INTEGER,
    "sample_age_from" INTEGER,
    "sample_age_to" INTEGER,
    "removals" INTEGER,
    "gross_sample" INTEGER,
    "respondents" INTEGER,
    "response_rate" DOUBLE PRECISION,
    "web_share" DOUBLE PRECISION,
    "phone_share" DOUBLE PRECISION,
    "non_contact_share" DOUBLE PRECISION,
    "fieldwork_start" DATE,
    "fieldwork_end" DATE,
    "notes_nb" TEXT[],
    "notes_en" TEXT[],
    "reference" TEXT NOT NULL,

    CONSTRAINT "survey_wave_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "survey_prevalence_release_id_year_substance_code_recall_sex_key" ON "survey_prevalence"("release_id", "year", "substance_code", "recall", "sex", "age_group_code", "reference");

-- CreateIndex
CREATE INDEX "survey_prevalence_substance_code_recall_sex_age_group_code__idx" ON "survey_prevalence"("substance_code", "recall", "sex", "age_group_code", "year");

-- CreateIndex
CREATE UNIQUE INDEX "survey_trend_point_release_id_substance_code_recall_year_key" ON "survey_trend_point"("release_id", "substance_code", "recall", "year");

-- CreateIndex
CREATE UNIQUE INDEX "survey_trend_test_release_id_substance_code_recall_key" ON "survey_trend_test"("release_id", "substance_code", "recall");

-- CreateIndex
CREATE UNIQUE INDEX "survey_distribution_release_id_distribution_measure_year_se_key" ON "survey_distribution"("release_id", "distribution", "measure", "year", "sex", "age_group_code", "category", "reference");

-- CreateIndex
CREATE INDEX "survey_distribution_distribution_measure_sex_age_group_code_idx" ON "survey_distribution"("distribution", "measure", "sex", "age_group_code", "category", "year");

-- CreateIndex
CREATE UNIQUE INDEX "survey_wave_release_id_year_key" ON "survey_wave"("release_id", "year");

-- AddForeignKey
ALTER TABLE "survey_prevalence" ADD CONSTRAINT "survey_prevalence_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "release"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_prevalence" ADD CONSTRAINT "survey_prevalence_substance_code_fkey" FOREIGN KEY ("substance_code") REFERENCES "substance"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_prevalence" ADD CONSTRAINT "survey_prevalence_age_group_code_fkey" FOREIGN KEY ("age_group_code") REFERENCES "age_group"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_trend_point" ADD CONSTRAINT "survey_trend_point_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "release"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_trend_point" ADD CONSTRAINT "survey_trend_point_substance_code_fkey" FOREIGN KEY ("substance_code") REFERENCES "substance"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_trend_test" ADD CONSTRAINT "survey_trend_test_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "release"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_trend_test" ADD CONSTRAINT "survey_trend_test_substance_code_fkey" FOREIGN KEY ("substance_code") REFERENCES "substance"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_distribution" ADD CONSTRAINT "survey_distribution_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "release"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_distribution" ADD CONSTRAINT "survey_distribution_age_group_code_fkey" FOREIGN KEY ("age_group_code") REFERENCES "age_group"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_wave" ADD CONSTRAINT "survey_wave_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "release"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
