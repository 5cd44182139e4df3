import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sourceIds, sourceModules } from '../../src/sources/registry.ts';
import { missingPieces, REPOSITORY, type SourceTree } from '../helpers/source-checks.ts';

// Adding a source is a folder under src/sources/ plus the pieces docs/adding-a-source.md lists;
// these tests name the piece that is missing.

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

describe('every source folder', () => {
  it.each(sourceIds())('%s has its modules, data, models and migrations', async (id) => {
    const module = sourceModules.find((m) => m.id === id);
    expect(await missingPieces(id, module?.tables ?? [])).toEqual([]);
  });

  it.each(sourceIds())('%s: source.json has the folder name as id', (id) => {
    expect(sourceModules.find((m) => m.id === id)?.readSource().id).toBe(id);
  });
});

describe('a new source folder that lacks its pieces', () => {
  // A copy of the repository's prisma/ and a new folder under a copy of src/sources/.
  function treeWithNewSource(): SourceTree {
    const dir = mkdtempSync(join(tmpdir(), 'rusdata-source-'));
    copies.push(dir);
    const tree: SourceTree = {
      sources: join(dir, 'src', 'sources'),
      data: join(dir, 'prisma', 'data'),
      schema: join(dir, 'prisma', 'schema.prisma'),
      migrations: join(dir, 'prisma', 'migrations'),
    };
    mkdirSync(join(tree.sources, 'seizures'), { recursive: true });
    for (const file of ['data.ts', 'graphql.ts', 'tables.ts']) writeFileSync(join(tree.sources, 'seizures', file), '');
    cpSync(REPOSITORY.migrations, tree.migrations, { recursive: true });
    cpSync(REPOSITORY.schema, tree.schema);
    mkdirSync(tree.data, { recursive: true });
    return tree;
  }

  it('is told it has no data folder, no model and no migration', async () => {
    const tree = treeWithNewSource();
    const problems = await missingPieces('seizures', ['seizure_observation'], tree);
    expect(problems).toEqual([
      `seizures: no bundled source description (${join(tree.data, 'seizures', 'source.json')})`,
      `seizures: no bundled releases.csv (${join(tree.data, 'seizures', 'releases.csv')})`,
      `seizures: no README naming where the bundled data comes from (${join(tree.data, 'seizures', 'README.md')})`,
      'seizures: no model in prisma/schema.prisma maps to table "seizure_observation" (@@map)',
      'seizures: no migration under prisma/migrations creates table "seizure_observation"',
    ]);
  });

  it('passes once the data, the model and the migration are there', async () => {
    const tree = treeWithNewSource();
    mkdirSync(join(tree.data, 'seizures'));
    for (const file of ['source.json', 'releases.csv', 'README.md'])
      writeFileSync(join(tree.data, 'seizures', file), '');
    writeFileSync(
      tree.schema,
      `${readFileSync(REPOSITORY.schema, 'utf8')}
model SeizureObservation {
  id BigInt @id @default(autoincrement())
  @@map("seizure_observation")
}
`,
    );
    mkdirSync(join(tree.migrations, '29990101000000_seizures'));
    writeFileSync(
      join(tree.migrations, '29990101000000_seizures', 'migration.sql'),
      'CREATE TABLE "seizure_observation" (id bigserial PRIMARY KEY);\n',
    );
    expect(await missingPieces('seizures', ['seizure_observation'], tree)).toEqual([]);
  });
});
