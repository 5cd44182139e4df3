import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import * as enums from '../db/generated/prisma/enums.ts';
import { cell, firstIssue, InputFileError, readCsvFile } from './csv.ts';
import type { ReleaseBundle, ReleaseRecord, SourceRecord } from './source-module.ts';

export const DATA_DIR = join(import.meta.dirname, '../../prisma/data');

const sourceFile = z.object({
  id: cell.text,
  name_nb: cell.text,
  name_en: cell.text,
  publisher: cell.text,
  url: z.string().url().nullable(),
  licence: z.string().nullable(),
  licence_url: z.string().url().nullable(),
  attribution: cell.text,
  notes_nb: z.array(z.string()),
  notes_en: z.array(z.string()),
});

/** Reads prisma/data/<id>/source.json: the source's names, publisher, licence, attribution and notes. */
export function readSourceFile(dir: string): SourceRecord {
  const path = join(dir, 'source.json');
  const parsed = sourceFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = firstIssue(parsed.error);
    throw new InputFileError(path, undefined, issue.path.join('.'), issue.message);
  }
  return parsed.data;
}

const releaseRow = z.object({
  id: cell.text,
  label: cell.text,
  status: cell.member(enums.ReleaseStatus),
  published_at: cell.date,
  published_precision: cell.member(enums.DatePrecision),
  publisher: cell.text,
  url: cell.optionalText,
  note: cell.optionalText,
});

/** Reads a releases.csv: one row per publication the source's observation files refer to. */
export function readReleasesFile(path: string): Map<string, ReleaseRecord> {
  return new Map([...readReleasesWithFiles(path)].map(([id, { release }]) => [id, release]));
}

const releaseRowWithFiles = releaseRow.extend({ files: cell.optionalText });

/**
 * Reads a releases.csv whose last column, `files`, names the files each release was published in
 * (paths under the source's folder, separated by ";"; a folder stands for every CSV file in it),
 * so that bundling a new release is adding its files and a row. Without that column, no files.
 */
export function readReleasesWithFiles(path: string): Map<string, { release: ReleaseRecord; files: string[] }> {
  const header = readFileSync(path, 'utf8').split(/\r?\n/, 1)[0] ?? '';
  const rows: z.infer<typeof releaseRowWithFiles>[] = header.replace(/^\uFEFF/, '').endsWith(',files')
    ? readCsvFile(path, releaseRowWithFiles)
    : readCsvFile(path, releaseRow).map((row) => ({ ...row, files: null }));
  const releases = new Map<string, { release: ReleaseRecord; files: string[] }>();
  rows.forEach(({ files, published_precision, ...rest }, index) => {
    if (releases.has(rest.id)) throw new InputFileError(path, index + 2, 'id', `release "${rest.id}" is listed twice`);
    const release = { ...rest, published_at_precision: published_precision };
    releases.set(rest.id, { release, files: filesOf(dirname(path), files) });
  });
  return releases;
}

function filesOf(dir: string, files: string | null): string[] {
  return (files ?? '')
    .split(';')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .flatMap((entry) =>
      statSync(join(dir, entry), { throwIfNoEntry: false })?.isDirectory()
        ? readdirSync(join(dir, entry))
            .filter((name) => name.endsWith('.csv'))
            .sort()
            .map((name) => join(entry, name))
        : [entry],
    );
}

/** Groups observation rows by their release, in the order of releases.csv. */
export function bundleByRelease(
  releases: Map<string, ReleaseRecord>,
  tables: {
    table: string;
    columns: readonly string[];
    rows: { release: string; values: ReleaseBundle['observations'][number]['rows'][number] }[];
  }[],
): ReleaseBundle[] {
  return [...releases.values()].map((release) => ({
    release,
    observations: tables.map(({ table, columns, rows }) => ({
      table,
      columns,
      rows: rows.filter((row) => row.release === release.id).map((row) => row.values),
    })),
  }));
}

/** A zod validator for a code column: one of the codelist's codes, listed in the error. */
export function codeOf(codes: readonly string[] | undefined, what: string) {
  const valid = codes ?? [];
  return z
    .string()
    .trim()
    .refine((code) => valid.includes(code), {
      error: `unknown ${what}; valid codes: ${valid.join(', ')}`,
    });
}

/** A validator for a release column: one of the ids in releases.csv. */
export function releaseOf(releases: Map<string, ReleaseRecord>) {
  return z
    .string()
    .trim()
    .refine((id) => releases.has(id), { error: 'not a release id listed in releases.csv' });
}
