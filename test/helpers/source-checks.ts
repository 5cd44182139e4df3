import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDMMF } from '@prisma/get-dmmf';

/** Where the pieces of a source live: the repository's folders, or a copy of them in a test. */
export interface SourceTree {
  /** src/sources */
  sources: string;
  /** prisma/data */
  data: string;
  /** prisma/schema.prisma */
  schema: string;
  /** prisma/migrations */
  migrations: string;
}

const root = join(import.meta.dirname, '..', '..');
export const REPOSITORY: SourceTree = {
  sources: join(root, 'src', 'sources'),
  data: join(root, 'prisma', 'data'),
  schema: join(root, 'prisma', 'schema.prisma'),
  migrations: join(root, 'prisma', 'migrations'),
};

/** The tables the models of schema.prisma map to. */
export async function modelTables(schemaPath: string): Promise<Map<string, string>> {
  const dmmf = await getDMMF({ datamodel: readFileSync(schemaPath, 'utf8') });
  if ('error' in dmmf) throw new Error(String(dmmf.error));
  return new Map(dmmf.datamodel.models.map((model) => [model.dbName ?? model.name, model.name]));
}

/** The tables the migrations create. */
export function migratedTables(migrations: string): Set<string> {
  const tables = new Set<string>();
  for (const folder of readdirSync(migrations, { withFileTypes: true })) {
    const file = join(migrations, folder.name, 'migration.sql');
    if (!folder.isDirectory() || !existsSync(file)) continue;
    for (const match of readFileSync(file, 'utf8').matchAll(/CREATE TABLE (?:IF NOT EXISTS )?"?(\w+)"?/gi))
      tables.add(match[1] ?? '');
  }
  return tables;
}

/**
 * What a source folder lacks, each problem naming the file to add (docs/adding-a-source.md):
 * its data and GraphQL modules, its tables' names, its bundled data, and for each table a model in
 * schema.prisma and a migration that creates it.
 */
export async function missingPieces(id: string, tables: readonly string[], tree = REPOSITORY): Promise<string[]> {
  const problems: string[] = [];
  const need = (path: string, what: string) => {
    if (!existsSync(path)) problems.push(`${id}: no ${what} (${path})`);
  };
  need(join(tree.sources, id, 'data.ts'), 'data module exporting `source`');
  need(join(tree.sources, id, 'graphql.ts'), 'GraphQL module');
  need(join(tree.sources, id, 'tables.ts'), 'table names');
  need(join(tree.data, id, 'source.json'), 'bundled source description');
  need(join(tree.data, id, 'releases.csv'), 'bundled releases.csv');
  need(join(tree.data, id, 'README.md'), 'README naming where the bundled data comes from');
  if (!tables.length) problems.push(`${id}: declares no tables`);
  const models = await modelTables(tree.schema);
  const migrated = migratedTables(tree.migrations);
  for (const table of tables) {
    if (!models.has(table)) problems.push(`${id}: no model in prisma/schema.prisma maps to table "${table}" (@@map)`);
    if (!migrated.has(table)) problems.push(`${id}: no migration under prisma/migrations creates table "${table}"`);
  }
  return problems;
}
