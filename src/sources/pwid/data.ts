import type { CubeDefinition } from '../../cube/definition.ts';
import type { SourceModule } from '../../importing/source-module.ts';
import { estimatesCube } from './cubes.ts';
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

/** The cubes its tables serve: a preview compares an upload with them cell by cell. */
export const cubes: readonly CubeDefinition[] = [estimatesCube];
