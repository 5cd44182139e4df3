import type { SourceModule } from '../../importing/source-module.ts';
import {
  MORTALITY_UPLOAD_LAYOUT,
  parseMortalityUpload,
  readMortalityReleases,
  readMortalitySource,
} from './importer.ts';
import { TABLES } from './tables.ts';

/** Drug-induced deaths from the Cause of Death Registry (FHI), as published and revised. */
export const source: SourceModule = {
  tables: Object.values(TABLES),
  readSource: () => readMortalitySource(),
  readBundledReleases: () => readMortalityReleases(),
  uploadLayout: MORTALITY_UPLOAD_LAYOUT,
  parseUpload: parseMortalityUpload,
};
