import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, ROOT, residentMb } from './processes.ts';

// `npm run bench:start`: how long the hub takes from `npm start` to its first answer over HTTP,
// from the current checkout's build (scripts/build.mjs first, as `npm install` does), and its
// resident memory once it answers. On the embedded database: a cold start (a new DATA_DIR, which
// starts from the prepared image) and a restart (the same DATA_DIR again), START_RUNS times each
// (default 5), medians printed against the targets (cold ≤ 4 s, restart ≤ 2 s). The hub's own
// process (`node scripts/start.mjs`, what `npm start` runs) is timed too: npm itself adds its
// start. On PostgreSQL (DATABASE_URL, default the local server): the first start on a new
// database (migrations and bundled data) and a restart, with its memory.

const SERVER_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const RUNS = Number(process.env.START_RUNS ?? 5);
const TARGETS = { cold: 4000, restart: 2000 };
const FIRST_QUESTION = JSON.stringify({ query: '{ regions { code } }' });

interface Started {
  ms: number;
  rssMb: number;
}

/** The pid of the hub: the deepest node process under `npm start` (npm, a shell, then node). */
function hubPid(child: ChildProcess, viaNpm: boolean): number {
  if (!viaNpm) return child.pid!;
  const processes = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,comm='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));
  let hub: number | undefined;
  const visit = (parent: string) => {
    for (const [pid, ppid, command] of processes) {
      if (ppid !== parent) continue;
      if (command === 'node') hub = Number(pid);
      visit(pid!);
    }
  };
  visit(String(child.pid));
  if (!hub) throw new Error('no node process under npm start');
  return hub;
}

/** Starts the hub, times it to its first answer over HTTP, reads its memory, and stops it. */
async function startOnce(environment: Record<string, string>, viaNpm: boolean): Promise<Started> {
  const port = await freePort();
  const { DATABASE_URL: _unset, ...inherited } = process.env;
  const started = performance.now();
  // In a process group of its own, so that stopping it reaches the hub under npm as well.
  const child = spawn(viaNpm ? 'npm' : process.execPath, viaNpm ? ['start', '--silent'] : ['scripts/start.mjs'], {
    cwd: ROOT,
    env: { ...inherited, ...environment, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  let exited: number | null = null;
  child.on('exit', (code) => {
    exited = code ?? -1;
  });
  try {
    for (;;) {
      if (exited !== null) throw new Error(`the hub exited with ${exited} before it answered`);
      if (performance.now() - started > 60_000) throw new Error('the hub did not answer within 60 s');
      try {
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: FIRST_QUESTION,
        });
        const body = (await response.json()) as { data?: { regions: unknown[] } };
        if (response.ok && body.data?.regions.length) break;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const ms = performance.now() - started;
    return { ms, rssMb: residentMb(hubPid(child, viaNpm)) };
  } finally {
    if (exited === null) {
      const stopped = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid!, 'SIGTERM');
      await stopped;
    }
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const loadAverage = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

console.log(`bench:start: ${RUNS} runs each; load average ${loadAverage()} at start`);
execFileSync(process.execPath, [`${ROOT}scripts/build.mjs`], { stdio: 'inherit' });

const rows: Record<string, string | number>[] = [];
const record = (engine: string, how: string, runs: Started[], target?: number) => {
  const ms = median(runs.map((run) => run.ms));
  rows.push({
    engine,
    start: how,
    'median ms': Math.round(ms),
    runs: runs.map((run) => Math.round(run.ms)).join(' '),
    'RSS MB': median(runs.map((run) => run.rssMb)),
    target: target ? `≤ ${target}` : '',
    met: target ? (ms <= target ? 'yes' : 'NO') : '',
  });
};

const folders: string[] = [];
const newFolder = () => {
  const folder = mkdtempSync(join(tmpdir(), 'rusdata-bench-start-'));
  folders.push(folder);
  return join(folder, 'data');
};
const admin = new pg.Client({ connectionString: SERVER_URL });
const databases: string[] = [];
try {
  for (const viaNpm of [true, false]) {
    const how = viaNpm ? 'npm start' : 'node scripts/start.mjs';
    const cold: Started[] = [];
    const restart: Started[] = [];
    for (let i = 0; i < RUNS; i++) {
      const dataDir = newFolder();
      cold.push(await startOnce({ DATA_DIR: dataDir }, viaNpm));
      restart.push(await startOnce({ DATA_DIR: dataDir }, viaNpm));
    }
    record('embedded', `cold (${how})`, cold, viaNpm ? TARGETS.cold : undefined);
    record('embedded', `restart (${how})`, restart, viaNpm ? TARGETS.restart : undefined);
  }

  await admin.connect();
  const first: Started[] = [];
  const again: Started[] = [];
  for (let i = 0; i < RUNS; i++) {
    const name = `rusdata_bench_start_${Date.now()}`;
    await admin.query(`CREATE DATABASE ${name}`);
    databases.push(name);
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    first.push(await startOnce({ DATABASE_URL: url.toString() }, true));
    again.push(await startOnce({ DATABASE_URL: url.toString() }, true));
  }
  record('PostgreSQL', 'new database (npm start)', first);
  record('PostgreSQL', 'restart (npm start)', again);

  console.log(`time from start to the first answer over HTTP, and the hub's resident memory then; median of ${RUNS}`);
  console.table(rows);
  console.log(`load average at the end: ${loadAverage()}`);
} finally {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  if (databases.length) for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end().catch(() => {});
}
