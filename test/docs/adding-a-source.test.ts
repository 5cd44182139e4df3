import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { parseGuide, renamed } from '../helpers/guide.ts';

// docs/adding-a-source.md, followed to the letter: its example source under a fresh random name,
// written into a copy of the repository, its steps run there, the hub started there and asked the
// guide's question. When the guide drifts from the code, this fails. The real working tree is
// never written to (other tests run beside this one).

const ROOT = join(import.meta.dirname, '../..');
const GUIDE = parseGuide(readFileSync(join(ROOT, 'docs/adding-a-source.md'), 'utf8'));

// "seizures" -> e.g. "qkzmwhas": the same length as the example's word, in every case it is written.
const word = `q${[...randomBytes(6)].map((byte) => String.fromCharCode(97 + (byte % 26))).join('')}`;
const rename = (text: string) => renamed(text, word);
const id = rename('seizures');

// Everything but what is installed or built: node_modules is linked entry by entry, but for the
// caches tools write there (vitest, jiti), which the copy makes its own; the embedded database
// image is linked.
const LEFT_OUT = new Set(['node_modules', '.git', 'dist', '.data', 'coverage', 'test-results']);
const TOOL_CACHES = new Set(['.vite', '.cache']);
const copy = mkdtempSync(join(tmpdir(), 'rusdata-guide-'));
const dataDir = mkdtempSync(join(tmpdir(), 'rusdata-guide-data-'));
let hub: ChildProcess | undefined;
let dropDatabase: (() => Promise<void>) | undefined;

afterAll(async () => {
  if (hub?.pid) process.kill(-hub.pid, 'SIGTERM');
  await dropDatabase?.();
  rmSync(copy, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs a shell block in the copy with `bash -e`, as the guide's reader would; resolves with its output. */
function runInCopy(script: string): Promise<{ code: number; output: string }> {
  // The steps run their own tools (one of them vitest): nothing of this test run leaks into them.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'TEST' && key !== 'NODE_ENV'),
  );
  const child = spawn('bash', ['-e', '-c', script], { cwd: copy, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code: code ?? -1, output })));
}

/** A fresh PostgreSQL database on DATABASE_URL's server for the copy's hub, or none (embedded). */
async function databaseForHub(): Promise<Record<string, string>> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return {};
  const name = `rusdata_guide_${word}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  await admin(`CREATE DATABASE ${name}`);
  dropDatabase = () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { DATABASE_URL: url.toString() };
}

/** Starts the copy's hub (`npm run dev` runs src/main.ts with tsx); resolves with its GraphQL URL. */
async function startHub(): Promise<string> {
  // The embedded database, or a fresh PostgreSQL database when the tests run on one.
  const { DATABASE_URL: _server, ...inherited } = process.env;
  const env = {
    ...inherited,
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: join(dataDir, 'data'),
    LOG_LEVEL: 'info',
    ...(await databaseForHub()),
  };
  const child = spawn(join(copy, 'node_modules/.bin/tsx'), ['src/main.ts'], {
    cwd: copy,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  hub = child;
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 240_000; // it loads every bundled source on a loaded 2-core machine
  for (;;) {
    const ready = /ready in \d+ ms: (http:\/\/\S+\/graphql)/.exec(output);
    if (ready?.[1]) return ready[1];
    if (child.exitCode !== null) throw new Error(`the hub exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`the hub was not ready within 240 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The guide's data file as rows by column name. */
function dataRows(): Record<string, string>[] {
  const file = GUIDE.files.find((block) => rename(block.path).endsWith(`/${id}.csv`));
  const [header = '', ...lines] = rename(file?.text ?? '').split('\n');
  const columns = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, index) => [columns[index], value])));
}

describe(`docs/adding-a-source.md, followed with the id "${id}" in a copy of the repository`, () => {
  it('captions every file of the example source, the migration and the data, and its steps', () => {
    const paths = GUIDE.files.map((block) => rename(block.path));
    for (const file of ['tables.ts', 'importer.ts', 'cubes.ts', 'data.ts', 'graphql.ts'])
      expect(paths).toContain(`src/sources/${id}/${file}`);
    for (const file of ['source.json', 'releases.csv', 'README.md'])
      expect(paths).toContain(`prisma/data/${id}/${file}`);
    expect(paths).toContain(`test/api/${id}.test.ts`);
    expect(paths.some((path) => path.startsWith('prisma/migrations/') && path.endsWith(`_${id}/migration.sql`))).toBe(
      true,
    );
    expect(GUIDE.steps.join('\n')).toMatch(/npm run generate[\s\S]*npm run schema:print[\s\S]*npm run typecheck/);
  });

  it('its files are written into the copy', () => {
    for (const entry of readdirSync(ROOT)) {
      if (!LEFT_OUT.has(entry)) cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
    }
    mkdirSync(join(copy, 'node_modules'));
    for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
      if (!TOOL_CACHES.has(entry)) symlinkSync(join(ROOT, 'node_modules', entry), join(copy, 'node_modules', entry));
    }
    const image = join(ROOT, 'dist/embedded-image');
    if (existsSync(image)) {
      mkdirSync(join(copy, 'dist'));
      symlinkSync(image, join(copy, 'dist/embedded-image'));
    }

    for (const block of GUIDE.files) {
      const path = join(copy, rename(block.path));
      expect(existsSync(path), `${block.path} is a new file`).toBe(false);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, `${rename(block.text)}\n`);
    }
    for (const block of GUIDE.appends) {
      const path = join(copy, block.path);
      writeFileSync(path, `${readFileSync(path, 'utf8').trimEnd()}\n\n${rename(block.text)}\n`);
    }
    for (const block of GUIDE.modelAdditions) {
      const path = join(copy, block.path);
      const lines = readFileSync(path, 'utf8').split('\n');
      const start = lines.findIndex((line) => line.startsWith(`model ${block.model} {`));
      expect(start, `model ${block.model} in ${block.path}`).toBeGreaterThanOrEqual(0);
      // With its other fields: before the model's first @@ attribute (and the blank line before it).
      let end = lines.findIndex((line, index) => index > start && /^\s*(@@|})/.test(line));
      while (lines[end - 1]?.trim() === '') end--;
      lines.splice(end, 0, rename(block.text));
      writeFileSync(path, lines.join('\n'));
    }
    expect(existsSync(join(copy, 'src/sources', id, 'graphql.ts'))).toBe(true);
  });

  it.each(GUIDE.steps.map((step) => [step]))('the step `%s` succeeds', { timeout: 600_000 }, async (step) => {
    const { code, output } = await runInCopy(rename(step));
    expect(code, output).toBe(0);
  });

  it('the printed schema has the new root field, its type and the field on Substance', () => {
    const schema = readFileSync(join(copy, 'schema.graphql'), 'utf8');
    const type = rename('SeizureObservation');
    expect(schema).toContain(`type ${type} implements Node & Observation {`);
    expect(schema).toMatch(new RegExp(`type Query \\{[\\s\\S]*\\n  ${id}\\(`));
    expect(schema).toMatch(new RegExp(`type Substance implements Node \\{[\\s\\S]*?\\n  ${id}\\(`));
    expect(schema).toContain('"""Kilograms (quantities seized)."""\n  KILOGRAMS\n}');
  });

  let url = '';
  it('the hub starts in the copy, applies the migration and loads the new source', { timeout: 300_000 }, async () => {
    url = await startHub();
  });

  it("answers the guide's question with the guide's answer", async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: rename(GUIDE.query) }),
    });
    expect(await response.json()).toEqual(JSON.parse(rename(GUIDE.answer)));
  });

  it("answers the values of the guide's data file, each cell from its latest release", async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `{ cases: ${id} { year value substance { code } release { id } }
          kilograms: ${id}(measure: KILOGRAMS) { year value substance { code } release { id } } }`,
      }),
    });
    const { data } = (await response.json()) as { data: Record<string, { year: number; value: number | null }[]> };
    // releases.csv lists the releases oldest first: the last row of a cell is its latest.
    const latest = new Map<string, Record<string, string>>();
    for (const row of dataRows()) latest.set(`${row.measure} ${row.year} ${row.substance}`, row);
    // In the API's order: by year, then substance code.
    const expected = (measure: string) =>
      [...latest.values()]
        .filter((row) => row.measure === measure)
        .sort((a, b) => `${a.year} ${a.substance}`.localeCompare(`${b.year} ${b.substance}`))
        .map((row) => ({
          year: Number(row.year),
          value: row.value ? Number(row.value) : null,
          substance: { code: row.substance },
          release: { id: row.release },
        }));
    expect(latest.size).toBeGreaterThan(0);
    expect(data.cases).toEqual(expected('CASES'));
    expect(data.kilograms).toEqual(expected('KILOGRAMS'));
  });

  it('left the real working tree as it was', () => {
    expect(existsSync(join(ROOT, 'src/sources', id))).toBe(false);
    expect(existsSync(join(ROOT, 'prisma/data', id))).toBe(false);
    expect(readFileSync(join(ROOT, 'prisma/schema.prisma'), 'utf8')).not.toContain(word);
    expect(readFileSync(join(ROOT, 'schema.graphql'), 'utf8')).not.toContain(word);
  });
});
