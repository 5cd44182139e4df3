import { join } from 'node:path';
import type pg from 'pg';
import { z } from 'zod';
import { type SqlValue, upsertRows } from '../db/bulk.ts';
import * as enums from '../db/generated/prisma/enums.ts';
import { cell, readCsvFile } from '../importing/csv.ts';

/** The tables of the shared codelists, each named once (the @@map of its model in prisma/schema.prisma). */
export const CODELIST_TABLES = {
  region: 'region',
  ageGroup: 'age_group',
  substance: 'substance',
  deathCause: 'death_cause',
  deathIntent: 'death_intent',
  standardPopulation: 'standard_population',
} as const;

export const DIMENSIONS_DATA_DIR = join(import.meta.dirname, '../../prisma/data/dimensions');
/** This module's file: what reads the codelists (a change to it means reading them again). */
export const CODELISTS_MODULE = import.meta.filename;

interface Codelist<Shape extends z.ZodRawShape> {
  file: string;
  table: string;
  row: z.ZodObject<Shape>;
  /** Database columns in the order `toColumns` returns values; the first is the key. */
  columns: string[];
  toColumns(row: z.infer<z.ZodObject<Shape>>): SqlValue[];
}

function codelist<Shape extends z.ZodRawShape>(definition: Codelist<Shape>) {
  return definition;
}

const labels = { name_nb: cell.text, name_en: cell.text };

// Order matters: a codelist comes after the ones it refers to.
const CODELISTS = [
  codelist({
    file: 'regions.csv',
    table: CODELIST_TABLES.region,
    row: z.object({
      code: cell.text,
      ...labels,
      kind: cell.member(enums.RegionKind),
      valid_from: cell.optionalYear,
      valid_to: cell.optionalYear,
    }),
    columns: ['code', 'name_nb', 'name_en', 'kind', 'valid_from', 'valid_to'],
    toColumns: (r) => [r.code, r.name_nb, r.name_en, r.kind, r.valid_from, r.valid_to],
  }),
  codelist({
    file: 'age-groups.csv',
    table: CODELIST_TABLES.ageGroup,
    row: z.object({ code: cell.text, ...labels, age_from: cell.optionalNumber, age_to: cell.optionalNumber }),
    columns: ['code', 'name_nb', 'name_en', 'age_from', 'age_to'],
    toColumns: (r) => [r.code, r.name_nb, r.name_en, r.age_from, r.age_to],
  }),
  codelist({
    file: 'substances.csv',
    table: CODELIST_TABLES.substance,
    row: z.object({ code: cell.text, parent: cell.optionalText, ...labels }),
    columns: ['code', 'parent_code', 'name_nb', 'name_en'],
    toColumns: (r) => [r.code, r.parent, r.name_nb, r.name_en],
  }),
  codelist({
    file: 'death-causes.csv',
    table: CODELIST_TABLES.deathCause,
    row: z.object({ code: cell.text, ...labels, substance: cell.optionalText }),
    columns: ['code', 'name_nb', 'name_en', 'substance_code'],
    toColumns: (r) => [r.code, r.name_nb, r.name_en, r.substance],
  }),
  codelist({
    file: 'death-intents.csv',
    table: CODELIST_TABLES.deathIntent,
    row: z.object({ code: cell.text, ...labels }),
    columns: ['code', 'name_nb', 'name_en'],
    toColumns: (r) => [r.code, r.name_nb, r.name_en],
  }),
  codelist({
    file: 'standard-populations.csv',
    table: CODELIST_TABLES.standardPopulation,
    row: z.object({ code: cell.text, ...labels }),
    columns: ['code', 'name_nb', 'name_en'],
    toColumns: (r) => [r.code, r.name_nb, r.name_en],
  }),
];

/**
 * Upserts the shared codelists from prisma/data/dimensions: codes are added or relabelled, never
 * removed (observations refer to them). Returns the number of codes per table.
 */
export async function loadCodelists(client: pg.ClientBase, dir = DIMENSIONS_DATA_DIR): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const list of CODELISTS) {
    const rows = readCsvFile(join(dir, list.file), list.row as z.ZodObject<z.ZodRawShape>);
    await upsertRows(
      client,
      list.table,
      list.columns[0] ?? 'code',
      list.columns,
      rows.map((row) => (list.toColumns as (r: unknown) => SqlValue[])(row)),
    );
    counts[list.table] = rows.length;
  }
  return counts;
}

/** The labels of one codelist's codes in both languages, as bundled (the database holds the same). */
export function readCodelistLabels(table: string, dir = DIMENSIONS_DATA_DIR): Map<string, { nb: string; en: string }> {
  const list = CODELISTS.find((entry) => entry.table === table);
  if (!list) throw new Error(`no codelist for table ${table}`);
  const rows = readCsvFile(join(dir, list.file), list.row as z.ZodObject<typeof labels & { code: typeof cell.text }>);
  return new Map(rows.map((row) => [row.code, { nb: row.name_nb, en: row.name_en }]));
}

/** The codes of every codelist, by table, as bundled (importers validate codes against them). */
export function readCodelistCodes(dir = DIMENSIONS_DATA_DIR): Map<string, string[]> {
  return new Map(
    CODELISTS.map((list) => [
      list.table,
      readCsvFile(join(dir, list.file), list.row as z.ZodObject<z.ZodRawShape>).map((row) => String(row.code)),
    ]),
  );
}
