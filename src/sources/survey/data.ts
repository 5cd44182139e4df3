import type { CubeDefinition } from '../../cube/definition.ts';
import type { SourceModule } from '../../importing/source-module.ts';
import { distributionCube, prevalenceCube } from './cubes.ts';
import { readSurveyReleases, readSurveySource } from './importer.ts';
import { TABLES } from './tables.ts';
import { parseSurveyUpload, SURVEY_UPLOAD_LAYOUT } from './upload.ts';

/** Rus- og tobakksundersøkelsen (SSB): prevalence with uncertainty, distributions among users, trend tests, method. */
export const source: SourceModule = {
  tables: Object.values(TABLES),
  readSource: () => readSurveySource(),
  readBundledReleases: () => readSurveyReleases(),
  uploadLayout: SURVEY_UPLOAD_LAYOUT,
  parseUpload: parseSurveyUpload,
};

/** The cubes its tables serve: a preview compares an upload with them cell by cell. */
export const cubes: readonly CubeDefinition[] = [prevalenceCube, distributionCube];
