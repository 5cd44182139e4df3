import type { SourceModule } from '../../importing/source-module.ts';
import { PWID_UPLOAD_LAYOUT, parsePwidUpload, readPwidReleases, readPwidSource } from './importer.ts';
import { TABLES } from './tables.ts';

/** Estimated number of people who inject drugs (SIRUS/FHI, mortality multiplier method). */
export const source: SourceModule = {
  tables: Object.values(TABLES),
  readSource: () => readPwidSource(),
  readBundledReleases: () => readPwidReleases(),
  uploadLayout: PWID_UPLOAD_LAYOUT,
  parseUpload: parsePwidUpload,
};
