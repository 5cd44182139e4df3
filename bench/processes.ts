import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { LoadResult, LoadTarget } from './load.ts';

// The benches' processes: the hub as users run it (dist/main.js), the load generator
// (bench/load.ts) in a process of its own, and what they share (free ports, first answers, RSS).

const LOAD_SCRIPT = fileURLToPath(new URL('./load.ts', import.meta.url));
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DASHBOARD_QUERY = `{ regions { code name drugDeaths(from: 2012, to: 2024) { year value } } }`;

export interface Measured extends LoadResult {
  name: string;
  /** CPU time per request in the counted window, µs (Linux): the server's process, PostgreSQL's. */
  cpu?: { serverUs: number; postgresUs: number };
}

export function listen(handler: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${address.port}` });
    }),
  );
}

export async function freePort(): Promise<number> {
  const { server, url } = await listen(() => {});
  await new Promise((resolve) => server.close(resolve));
  return Number(new URL(url).port);
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** User and system CPU time of a process, in ticks, from /proc/PID/stat; undefined where there is none. */
function cpuTicks(pid: number): number | undefined {
  try {
    // Fields after the command name (in parentheses, which may hold spaces): utime is the 12th, stime the 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/** CPU ticks of each PostgreSQL server process on this machine (postmaster, backends, workers), by pid. */
function postgresTicks(): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8') !== 'postgres\n') continue;
      const used = cpuTicks(Number(entry));
      if (used !== undefined) ticks.set(Number(entry), used);
    } catch {
      // The process ended meanwhile.
    }
  }
  return ticks;
}

/** PostgreSQL's CPU ticks between two samples: of the processes alive at the second (one that ended in between is not counted). */
function postgresTicksBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, used] of after) total += used - (before.get(pid) ?? 0);
  return total;
}

/**
 * Runs bench/load.ts in its own process against one target; parses the JSON line it prints. Given
 * the server's process id (Linux), also the CPU time it and PostgreSQL spent per counted request.
 */
export function measure(
  name: string,
  target: LoadTarget,
  {
    connections = Number(process.env.BENCH_CONNECTIONS ?? 4),
    seconds = Number(process.env.BENCH_SECONDS ?? 10),
    serverPid,
  }: { connections?: number; seconds?: number; serverPid?: number } = {},
): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', LOAD_SCRIPT, JSON.stringify(target)], {
      cwd: ROOT,
      env: { ...process.env, BENCH_CONNECTIONS: String(connections), BENCH_SECONDS: String(seconds) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    let started: { server: number; postgres: Map<number, number> } | undefined;
    const sample = () => {
      const server = serverPid === undefined ? undefined : cpuTicks(serverPid);
      return server === undefined ? undefined : { server, postgres: postgresTicks() };
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!started && stdout.startsWith('measuring\n')) started = sample();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${name}: the load generator exited with ${code}`));
      const ended = sample();
      const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as LoadResult;
      if (result.non2xx || result.errors || result.timeouts || result.requests === 0) {
        return reject(
          new Error(`${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts`),
        );
      }
      const perRequestUs = (ticks: number) => (ticks * 1e6) / TICKS_PER_SECOND / result.requests;
      const cpu =
        started && ended
          ? {
              serverUs: perRequestUs(ended.server - started.server),
              postgresUs: perRequestUs(postgresTicksBetween(started.postgres, ended.postgres)),
            }
          : undefined;
      resolve({ name, ...result, cpu });
    });
  });
}

export async function postJson(url: string, query: string): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query }),
  });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

/** Waits until a server answers the query (or its process exits, or 60 s pass). */
export async function firstAnswer(name: string, child: ChildProcess, url: string, query: string): Promise<unknown> {
  let exited: number | null = null;
  child.on('exit', (code) => {
    exited = code ?? -1;
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== null) throw new Error(`${name} exited with ${exited} before it answered`);
    try {
      return await postJson(url, query);
    } catch (error) {
      if (Date.now() > deadline) {
        child.kill();
        throw new Error(`${name} did not answer within 60 s: ${error}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

export interface HubProcessOptions {
  /** RESPONSE_CACHE_TTL_MS (0: no response cache); the hub's default when not given. */
  cacheTtlMs?: number;
  poolMax?: number;
  /** Options for node itself (e.g. `--cpu-prof`). */
  nodeOptions?: string[];
}

/**
 * Starts the compiled hub (dist/main.js) in its own process, with NODE_ENV=production as the
 * Dockerfile runs it: on the PostgreSQL database at a URL, or with `{ dataDir }` on the embedded
 * database there. Resolves once it answers the dashboard query.
 */
export async function startHub(
  database: string | { dataDir: string },
  { cacheTtlMs, poolMax = 10, nodeOptions = [] }: HubProcessOptions = {},
): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const ttl = cacheTtlMs === undefined ? {} : { RESPONSE_CACHE_TTL_MS: String(cacheTtlMs) };
  const { DATABASE_URL: _unset, ...environment } = process.env;
  const engine = typeof database === 'string' ? { DATABASE_URL: database } : { DATA_DIR: database.dataDir };
  const child = spawn(process.execPath, [...nodeOptions, `${ROOT}dist/main.js`], {
    env: {
      ...environment,
      ...ttl,
      ...engine,
      NODE_ENV: 'production',
      DB_POOL_MAX: String(poolMax),
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  await firstAnswer('the hub', child, url, DASHBOARD_QUERY);
  return { child, url };
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Resident memory of a process, in MB (from `ps`, which reports KiB). */
export const residentMb = (pid: number) =>
  Math.round(Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024);

export const loadAverage = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
