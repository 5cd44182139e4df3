import { randomBytes } from 'node:crypto';
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
  // A fresh name each run: a fixed one would clash with a real source of that name.
  const id = `new${randomBytes(4).toString('hex')}`;
  const table = `${id}_observation`;
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
    mkdirSync(join(tree.sources, id), { recursive: true });
    for (const file of ['data.ts', 'graphql.ts', 'tables.ts']) writeFileSync(join(tree.sources, id, file), '');
    cpSync(REPOSITORY.migrations, tree.migrations, { recursive: true });
    cpSync(REPOSITORY.schema, tree.schema);
    mkdirSync(tree.data, { recursive: true });
    return tree;
  }

  it('is told it has no data folder, no model and no migration', async () => {
    const tree = treeWithNewSource();
    const problems = await missingPieces(id, [table], tree);
    expect(problems).toEqual([
      `${id}: no bundled source description (${join(tree.data, id, 'source.json')})`,
      `${id}: no bundled releases.csv (${join(tree.data, id, 'releases.csv')})`,
      `${id}: no README naming where the bundled data comes from (${join(tree.data, id, 'README.md')})`,
      `${id}: no model in prisma/schema.prisma maps to table "${table}" (@@map)`,
      `${id}: no migration under prisma/migrations creates table "${table}"`,
    ]);
  });

  it('passes once the data, the model and the migration are there', async () => {
    const tree = treeWithNewSource();
    mkdirSync(join(tree.data, id));
    for (const file of ['source.json', 'releases.csv', 'README.md']) writeFileSync(join(tree.data, id, file), '');
    writeFileSync(
      tree.schema,
      `${readFileSync(REPOSITORY.schema, 'utf8')}
model New${id.slice(3)}Observation {
  id BigInt @id @default(autoincrement())
  @@map("${table}")
}
`,
    );
    mkdirSync(join(tree.migrations, `29990101000000_${id}`));
    writeFileSync(
      join(tree.migrations, `29990101000000_${id}`, 'migration.sql'),
      `CREATE TABLE "${table}" (id bigserial PRIMARY KEY);\n`,
    );
    expect(await missingPieces(id, [table], tree)).toEqual([]);
  });
});
