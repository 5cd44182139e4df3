/**
 * Counts the imports between the top-level parts of src/ (its folders, and the entry points at
 * its root) and prints them as a matrix: row = importing part, column = imported part.
 * `npx tsx scripts/layer-imports.ts [dir]` (default: this repository's src/).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** One relative import in src/: the file that imports, the file it names, and the line. */
export interface SourceImport {
  from: string;
  to: string;
  line: number;
  text: string;
}

const IMPORT = /(?:import|export)\s[^'";]*?from\s*'(\.[^']+)'|import\s*'(\.[^']+)'|import\(\s*[`'](\.[^`']+)[`']/g;

/** Every file under `dir` that TypeScript compiles, generated code excluded. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .filter((file) => !file.startsWith('db/generated/'))
    .sort();
}

/**
 * Every relative import (static, side-effect or dynamic, type-only included) of the files under
 * `dir`. A dynamic import of a template (`./${id}/data.ts`) imports every file it can name.
 */
export function importsIn(dir: string): SourceImport[] {
  const files = sourceFiles(dir);
  const found: SourceImport[] = [];
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const target = relative(dir, resolve(dir, dirname(file), match[1] ?? match[2] ?? match[3] ?? ''));
      const line = text.slice(0, match.index).split('\n').length;
      const parts = target.split(/\$\{[^}]*\}/).map(escapeRegExp);
      const pattern = new RegExp(`^${parts.join('[^/]+')}$`);
      const targets = target.includes('${') ? files.filter((candidate) => pattern.test(candidate)) : [target];
      for (const to of targets) found.push({ from: file, to, line, text: match[0].replace(/\s+/g, ' ') });
    }
  }
  return found;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The files `start` imports, directly or through others (itself included). */
export function reachableFrom(start: string, imports: readonly SourceImport[]): Set<string> {
  const reached = new Set([start]);
  for (const file of reached) for (const { from, to } of imports) if (from === file) reached.add(to);
  return reached;
}

/**
 * The layers of src/, lowest first: a file may import from its own part and from the parts of
 * lower layers, never from a higher layer or another part of its own layer. docs/developing.md
 * ("Layout") explains each.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['config', 'db'],
  ['cube', 'importing'],
  ['graphql'],
  ['dimensions'],
  ['sources'],
  ['publishing'],
  ['schema'],
  ['server'],
  ['entry'],
];

/** The part of src/ a file belongs to: its top folder, or `entry` for main.ts and cli.ts. */
export function partOf(file: string): string {
  const [top, ...rest] = file.split('/');
  if (rest.length) return top ?? file;
  return top === 'main.ts' || top === 'cli.ts' ? 'entry' : (top?.replace(/\.ts$/, '') ?? file);
}

/** Imports between different parts, counted: `counts.get(from)?.get(to)`. */
export function importCounts(imports: readonly SourceImport[]): Map<string, Map<string, number>> {
  const counts = new Map<string, Map<string, number>>();
  for (const { from, to } of imports) {
    const [a, b] = [partOf(from), partOf(to)];
    if (a === b) continue;
    const row = counts.get(a) ?? new Map<string, number>();
    row.set(b, (row.get(b) ?? 0) + 1);
    counts.set(a, row);
  }
  return counts;
}

/** The counts as a text table, parts in the given order (others appended). */
export function formatMatrix(counts: Map<string, Map<string, number>>, order: readonly string[]): string {
  const parts = [...order];
  for (const [a, row] of counts) for (const b of [a, ...row.keys()]) if (!parts.includes(b)) parts.push(b);
  const width = Math.max(...parts.map((part) => part.length)) + 1;
  const header = `${'from \\ to'.padEnd(width)}${parts.map((part) => part.slice(0, 5).padStart(6)).join('')}`;
  const rows = parts.map(
    (a) =>
      `${a.padEnd(width)}${parts.map((b) => String(counts.get(a)?.get(b) ?? (a === b ? '-' : '.')).padStart(6)).join('')}`,
  );
  return [header, ...rows].join('\n');
}

if (process.argv[1] === import.meta.filename) {
  const dir = resolve(process.argv[2] ?? join(import.meta.dirname, '..', 'src'));
  console.log(formatMatrix(importCounts(importsIn(dir)), LAYERS.flat()));
}
