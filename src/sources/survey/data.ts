import type { SourceModule } from '../../importing/source-module.ts';
import { parseSurveyUpload, readSurveyReleases, readSurveySource, SURVEY_UPLOAD_LAYOUT } from './importer.ts';

/** Rus- og tobakksundersøkelsen (SSB): prevalence with uncertainty, distributions among users, trend tests, method. */
export const source: SourceModule = {
  readSource: () => readSurveySource(),
  readBundledReleases: () => readSurveyReleases(),
  uploadLayout: SURVEY_UPLOAD_LAYOUT,
  parseUpload: parseSurveyUpload,
};
