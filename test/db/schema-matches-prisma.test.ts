import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDMMF } from '@prisma/get-dmmf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { applyMigrations } from '../../src/db/migrate.ts';
import { openTestDatabase } from '../helpers/hub.ts';

// The migrations are hand-written SQL; this proves they build exactly what schema.prisma says.

const dmmf = getDMMF({ datamodel: readFileSync(join(import.meta.dirname, '../../prisma/schema.prisma'), 'utf8') });
if ('error' in dmmf) throw new Error(String(dmmf.error));
const { models, enums, indexes } = dmmf.datamodel;

const tableOf = (model: (typeof models)[number]) => model.dbName ?? model.name;
const columnOf = (model: (typeof models)[number], fieldName: string) => {
  const field = model.fields.find((f) => f.name === fieldName)!;
  return field.dbName ?? field.name;
};

function expectedType(field: (typeof models)[number]['fields'][number]): string {
  if (field.kind === 'enum') return field.isList ? `_${field.type}` : field.type;
  const native = field.nativeType?.[0];
  const byNative: Record<string, string> = { Date: 'date', Timestamptz: 'timestamptz', Uuid: 'uuid' };
  const byType: Record<string, string> = {
    String: 'text',
    Int: 'int4',
    Float: 'float8',
    BigInt: 'int8',
    DateTime: 'timestamp',
    Boolean: 'bool',
    Json: 'jsonb',
  };
  const base = (native && byNative[native]) ?? byType[field.type] ?? field.type;
  return field.isList ? `_${base}` : base;
}

let db: Database;
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ db, drop } = await openTestDatabase());
  await applyMigrations(db.pool);
});
afterAll(() => drop());

describe('the migrated database matches prisma/schema.prisma', () => {
  it('has exactly the tables of the models (plus _prisma_migrations)', async () => {
    const { rows } = await db.pool.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual([...models.map(tableOf), '_prisma_migrations'].sort());
  });

  it('has the enums with their values in order', async () => {
    const { rows } = await db.pool.query<{ name: string; values: string[] }>(
      `SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    const actual = Object.fromEntries(rows.map((r) => [r.name, r.values]));
    expect(actual).toEqual(Object.fromEntries(enums.map((e) => [e.name, e.values.map((v) => v.dbName ?? v.name)])));
  });

  for (const model of models) {
    it(`${tableOf(model)}: columns, types and nullability`, async () => {
      const { rows } = await db.pool.query<{ column_name: string; udt_name: string; is_nullable: string }>(
        "SELECT column_name, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1",
        [tableOf(model)],
      );
      const actual = Object.fromEntries(
        rows.map((r) => [r.column_name, `${r.udt_name}${r.is_nullable === 'YES' ? '?' : ''}`]),
      );
      const expected = Object.fromEntries(
        model.fields
          .filter((f) => f.kind !== 'object')
          // Prisma creates scalar lists as nullable arrays, like `prisma migrate` does.
          .map((f) => [f.dbName ?? f.name, `${expectedType(f)}${f.isRequired && !f.isList ? '' : '?'}`]),
      );
      expect(actual).toEqual(expected);
    });

    it(`${tableOf(model)}: primary key, unique and plain indexes, foreign keys`, async () => {
      const { rows } = await db.pool.query<{ kind: string; columns: string[] }>(
        `SELECT CASE WHEN ix.indisprimary THEN 'id' WHEN ix.indisunique THEN 'unique' ELSE 'normal' END AS kind,
                array_agg(a.attname ORDER BY k.ord)::text[] AS columns
         FROM pg_index ix
         JOIN pg_class t ON t.oid = ix.indrelid
         CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
         WHERE t.relname = $1 GROUP BY ix.indexrelid, ix.indisprimary, ix.indisunique`,
        [tableOf(model)],
      );
      const actual = rows.map((r) => `${r.kind}(${r.columns.join(',')})`).sort();
      const expected = indexes
        .filter((index) => index.model === model.name)
        .map((index) => `${index.type}(${index.fields.map((f) => columnOf(model, f.name)).join(',')})`)
        .sort();
      expect(actual).toEqual(expected);

      const { rows: keys } = await db.pool.query<{ columns: string[]; target: string }>(
        `SELECT array_agg(a.attname ORDER BY k.ord)::text[] AS columns, ft.relname AS target
         FROM pg_constraint c
         JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class ft ON ft.oid = c.confrelid
         CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
         WHERE c.contype = 'f' AND t.relname = $1 GROUP BY c.oid, ft.relname`,
        [tableOf(model)],
      );
      const expectedKeys = model.fields
        .filter((f) => f.kind === 'object' && f.relationFromFields?.length)
        .map((f) => {
          const target = models.find((m) => m.name === f.type)!;
          return `(${f.relationFromFields!.map((name) => columnOf(model, name)).join(',')}) -> ${tableOf(target)}`;
        })
        .sort();
      expect(keys.map((k) => `(${k.columns.join(',')}) -> ${k.target}`).sort()).toEqual(expectedKeys);
    });
  }
});
