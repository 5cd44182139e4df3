import { readdirSync } from 'node:fs';
import type { CubeDefinition } from '../cube/definition.ts';
import type { RegisteredSource, SourceModule } from '../importing/source-module.ts';

/** The folder holding one folder per source (its code; its data is under prisma/data/<id>). */
export const SOURCES_DIR = import.meta.dirname;

/** The ids of the sources: the folders under src/sources/, in name order. Adding a source adds a folder. */
export function sourceIds(): string[] {
  return readdirSync(SOURCES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/**
 * The data module of every source (`<id>/data.ts`: reading its files and uploads, and its cubes).
 * Loading data and the CLI use these; they never import a source's GraphQL module or build the schema.
 */
async function loadSourceModules(): Promise<{ modules: RegisteredSource[]; cubes: CubeDefinition[] }> {
  const modules: RegisteredSource[] = [];
  const cubes: CubeDefinition[] = [];
  for (const id of sourceIds()) {
    const data = (await import(`./${id}/data.ts`)) as { source: SourceModule; cubes: readonly CubeDefinition[] };
    modules.push({ ...data.source, id });
    cubes.push(...data.cubes);
  }
  return { modules, cubes };
}

const loaded = await loadSourceModules();

/** Every source's data module, in folder order. */
export const sourceModules: readonly RegisteredSource[] = loaded.modules;

/** The cube a table serves (every observation table an upload writes is one). */
export const cubeOfTable = (table: string): CubeDefinition | undefined =>
  loaded.cubes.find((cube) => cube.table === table);
