import type { CubeDefinition } from '../../cube/definition.ts';
import type { SourceModule } from '../../importing/source-module.ts';
import { deathsCube, ratesCube } from './cubes.ts';
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

/** The cubes its tables serve: a preview compares an upload with them cell by cell. */
export const cubes: readonly CubeDefinition[] = [deathsCube, ratesCube];
