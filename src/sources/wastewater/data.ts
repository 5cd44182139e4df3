import type { CubeDefinition } from '../../cube/definition.ts';
import type { SourceModule } from '../../importing/source-module.ts';
import { wastewaterCube } from './cubes.ts';
import { parseWastewaterUpload, readWastewater, readWastewaterSource, WASTEWATER_UPLOAD_LAYOUT } from './importer.ts';
import { TABLES } from './tables.ts';

// The files are read once for both the sites and the releases.
let files: ReturnType<typeof readWastewater> | undefined;
const read = () => (files ??= readWastewater());

/** Drugs in wastewater: the EUDA/SCORE multi-city study, every site, and earlier Oslo (VEAS) values. */
export const source: SourceModule = {
  tables: Object.values(TABLES),
  readSource: () => readWastewaterSource(),
  readBundledReleases: () => read().bundles,
  readReferenceData: () => read().reference,
  uploadLayout: WASTEWATER_UPLOAD_LAYOUT,
  parseUpload: (text, fileName, release) => parseWastewaterUpload(text, fileName, release),
};

/** The cubes its tables serve: a preview compares an upload with them cell by cell. */
export const cubes: readonly CubeDefinition[] = [wastewaterCube];
