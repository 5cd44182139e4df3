import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
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

/** Runs bench/load.ts in its own process against one target; parses the JSON line it prints. */
export function measure(
  name: string,
  target: LoadTarget,
  { connections = Number(process.env.BENCH_CONNECTIONS ?? 4), seconds = Number(process.env.BENCH_SECONDS ?? 10) } = {},
): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', LOAD_SCRIPT, JSON.stringify(target)], {
      cwd: ROOT,
      env: { ...process.env, BENCH_CONNECTIONS: String(connections), BENCH_SECONDS: String(seconds) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${name}: the load generator exited with ${code}`));
      const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as LoadResult;
      if (result.non2xx || result.errors || result.timeouts || result.requests === 0) {
        return reject(
          new Error(`${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts`),
        );
      }
      resolve({ name, ...result });
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
