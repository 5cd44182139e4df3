import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { largeEudaFile } from './fixtures.ts';
import { revisedReportFile } from './publishing.ts';

const ROOT = join(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

export interface Started {
  child: ChildProcess;
  output: () => string;
  /** Kills the process and its children (tsx runs node as a child). */
  kill(signal?: NodeJS.Signals): void;
}

/** Starts `tsx <script> ...args` in its own process group, collecting its output. */
export function startScript(script: string, args: string[], env: Record<string, string>): Started {
  const child = spawn(TSX, [join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return {
    child,
    output: () => output,
    kill(signal = 'SIGTERM') {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    },
  };
}

/** Waits until the output matches `pattern`, and returns the match. */
export async function waitFor(started: Started, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = started.output().match(pattern);
    if (match) return match;
    if (started.child.exitCode !== null)
      throw new Error(`the process exited (${started.child.exitCode}) before ${pattern}:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A hub process (src/main.ts) on a free port; resolves with its GraphQL URL once it is ready. */
export async function startHubProcess(env: Record<string, string>): Promise<Started & { url: string }> {
  const hub = startScript('src/main.ts', [], { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env });
  const [, url] = await waitFor(hub, /ready in \d+ ms: (http:\/\/\S+\/graphql)/, 110_000); // a loaded 2-core machine
  return Object.assign(hub, { url: url! });
}

/** Runs `npm run cli -- ...args` (src/cli.ts) to its end; resolves with its exit code and output. */
export async function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  const cli = startScript('src/cli.ts', args, env);
  const code = await new Promise<number>((resolve) => cli.child.once('exit', (exit) => resolve(exit ?? -1)));
  return { code, output: cli.output() };
}

/** A GET /graphql?query=... as a link or browser would send it; resolves with the parsed body. */
export async function getQuery<Data>(url: string, query: string): Promise<{ data?: Data; errors?: unknown[] }> {
  const response = await fetch(`${url}?${new URLSearchParams({ query })}`);
  return (await response.json()) as { data?: Data; errors?: unknown[] };
}

/** Polls until `check` passes; resolves with the milliseconds it took. */
export async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** An EventSource-style subscription: GET /graphql?query=subscription... with accept: text/event-stream. */
export function subscribeOverGet(url: string, query: string): Promise<Response> {
  return fetch(`${url}?${new URLSearchParams({ query })}`, { headers: { accept: 'text/event-stream' } });
}

/** A deaths file adding 2025 (355, made up for tests), and the query whose answer it changes. */
export const DEATHS_2025 =
  'measure,year,year_from,region,sex,age_group,cause,intent,value,qualifier,reference,note\nDEATHS,2025,,0,ALL,ALL,ALL,ALL,355,EXACT,test file,\n';
export const DEATHS_2024_2025 = '{ drugDeaths(from: 2024, to: 2025) { year value } }';
export type Deaths = { drugDeaths: { year: number; value: number }[] };

/** A hub's answer to DEATHS_2024_2025: 2024 alone, and 2025 too once DEATHS_2025 is published. */
export async function deathsOf(url: string): Promise<Deaths['drugDeaths']> {
  return (await getQuery<Deaths>(url, DEATHS_2024_2025)).data!.drugDeaths;
}

/**
 * The files the process tests publish, written into `dir`: DEATHS_2025, `big.csv`, 100 000
 * observations in EUDA's layout (10 000 rows of 10 values) at made-up years from 1000, and
 * `revised.csv`, the 2025 report revised (revisedReportFile) for dry runs.
 */
export function writePublishFiles(dir: string): { deaths: string; big: string; revised: string } {
  const files = { deaths: join(dir, 'deaths-2025.csv'), big: join(dir, 'big.csv'), revised: join(dir, 'revised.csv') };
  writeFileSync(files.deaths, DEATHS_2025);
  writeFileSync(files.big, largeEudaFile(10_000));
  writeFileSync(files.revised, revisedReportFile());
  return files;
}

/** The dry run whose output is REVISED_REPORT_DRY_RUN: revised.csv against the releases of 2026-06-01. */
export const dryRunArgs = (file: string) => [
  ...publishArgs('mortality', file, { label: 'Dry run', status: 'FINAL', publishedAt: '2026-06-01' }),
  '--dry-run',
];

/** The arguments of `npm run cli -- publish`: a file of a source as a new release. */
export function publishArgs(
  source: string,
  file: string,
  release: { label: string; status: 'FINAL' | 'PRELIMINARY'; publishedAt: string },
): string[] {
  return [
    'publish',
    source,
    file,
    '--label',
    release.label,
    '--status',
    release.status,
    '--published-at',
    release.publishedAt,
  ];
}

/** The labels of the releases a hub lists (of one source, or of all). */
export async function releaseLabels(url: string, source?: string): Promise<string[]> {
  const answer = await getQuery<{ sources: { id: string; releases: { label: string }[] }[] }>(
    url,
    '{ sources { id releases { label } } }',
  );
  return answer
    .data!.sources.filter((entry) => source === undefined || entry.id === source)
    .flatMap((entry) => entry.releases.map((release) => release.label));
}
