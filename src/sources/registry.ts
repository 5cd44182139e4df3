import { readdirSync } from 'node:fs';
import type { RegisteredSource, SourceModule } from './source-module.ts';

/**
 * Every folder under src/sources/ is a source: importing its index.ts registers its GraphQL
 * types, and its `source` export says how to load its data. Adding a source adds a folder.
 */
export async function loadSourceModules(): Promise<RegisteredSource[]> {
  const folders = readdirSync(import.meta.dirname, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  // One after another: the order types are registered in is the order schema.graphql prints.
  const modules: RegisteredSource[] = [];
  for (const folder of folders) {
    const { source } = (await import(`./${folder}/index.ts`)) as { source: SourceModule };
    modules.push({ ...source, id: folder });
  }
  return modules;
}
