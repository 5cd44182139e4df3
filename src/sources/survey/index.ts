import type { SourceModule } from '../source-module.ts';
import { parseSurveyUpload, readSurveyReleases, readSurveySource, SURVEY_UPLOAD_LAYOUT } from './importer.ts';
import './waves.ts';
import './prevalence.ts';
import './trends.ts';
import './distributions.ts';

/** Rus- og tobakksundersøkelsen (SSB): prevalence with uncertainty, distributions among users, trend tests, method. */
export const source: SourceModule = {
  readSource: () => readSurveySource(),
  readBundledReleases: () => readSurveyReleases(),
  uploadLayout: SURVEY_UPLOAD_LAYOUT,
  parseUpload: parseSurveyUpload,
};
