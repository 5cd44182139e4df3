import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { EXAMPLE_OPERATIONS } from '../src/server/examples.ts';
import { startPgBouncer } from '../test/helpers/pgbouncer.ts';

// `npx tsx bench/pooler.ts`: a hub process (`node dist/main.js`) behind PgBouncer, in session and
// in transaction mode, under 20 and 50 concurrent clients asking cube queries (the response cache
// off, so every request reaches PostgreSQL). Prints requests per second, p50/p99 and errors: HTTP
// errors, GraphQL errors in a body, and answers that differ from the first answer to the same
// question. POOLER_HUB_ROOT runs the hub of another checkout (built there first), to measure
// before and after; POOLER_SECONDS (default 10) per run; DATABASE_URL the server (default the
// machine's).

const SERVER = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
const SECONDS = Number(process.env.POOLER_SECONDS ?? 10);
const ROOT = process.env.POOLER_HUB_ROOT ?? fileURLToPath(new URL('..', import.meta.url));
const CLIENTS = [20, 50];
const MODES = ['session', 'transaction'] as const;

const QUESTIONS = [
  ...EXAMPLE_OPERATIONS.filter(({ query }) => /^query /m.test(query)).map(({ query }) => query),
  ...Array.from({ length: 13 }, (_, i) => `{ drugDeaths(from: ${2012 + i}, to: 2024, by: [SEX]) { year sex value } }`),
];

interface Run {
  mode: string;
  clients: number;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  sample?: string;
}

async function startHub(env: Record<string, string>): Promise<{ url: string; child: ChildProcess; output(): string }> {
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 180_000;
  for (;;) {
    const ready = /ready in \d+ ms: (http:\/\/\S+\/graphql)/.exec(output);
    if (ready) return { url: ready[1]!, child, output: () => output };
    if (child.exitCode !== null || Date.now() > deadline) return { url: '', child, output: () => output };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function load(url: string, clients: number, mode: string): Promise<Run> {
  const first = new Map<string, string>();
  const latencies: number[] = [];
  let errors = 0;
  let sample: string | undefined;
  const fail = (what: string) => {
    errors++;
    sample ??= what.slice(0, 200);
  };
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = client; performance.now() < end; i++) {
        const query = QUESTIONS[i % QUESTIONS.length]!;
        const started = performance.now();
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query }),
          });
          const body = await response.text();
          latencies.push(performance.now() - started);
          if (response.status !== 200 || body.includes('"errors"')) fail(`${response.status} ${body}`);
          else if (first.get(query) === undefined) first.set(query, body);
          else if (first.get(query) !== body) fail(`a different answer to ${query}`);
        } catch (error) {
          fail(String(error));
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return {
    mode,
    clients,
    requests: latencies.length,
    perSecond: latencies.length / SECONDS,
    p50: at(0.5),
    p99: at(0.99),
    errors,
    sample,
  };
}

execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
const runs: Run[] = [];
for (const mode of MODES) {
  const name = `rusdata_pooler_${mode}_${process.pid}`;
  const admin = new pg.Client({ connectionString: SERVER.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const bouncer = await startPgBouncer({ server: SERVER.host, poolMode: mode });
  const direct = Object.assign(new URL(SERVER), { pathname: `/${name}` }).toString();
  const hub = await startHub({
    DATABASE_URL: bouncer.url(direct),
    DATABASE_LISTEN_URL: direct,
    DB_POOL_MODE: mode,
    DB_POOL_MAX: '10',
    RESPONSE_CACHE_TTL_MS: '0',
  });
  try {
    if (!hub.url) {
      const reason = /error: .*|Error: .*/.exec(hub.output())?.[0] ?? hub.output().slice(-300);
      for (const clients of CLIENTS)
        runs.push({
          mode,
          clients,
          requests: 0,
          perSecond: 0,
          p50: 0,
          p99: 0,
          errors: 1,
          sample: `no start: ${reason}`,
        });
      continue;
    }
    await load(hub.url, 4, mode); // warm-up: metadata, codelists, plans
    for (const clients of CLIENTS) runs.push(await load(hub.url, clients, mode));
  } finally {
    hub.child.kill('SIGTERM');
    await new Promise((resolve) => (hub.child.exitCode === null ? hub.child.once('exit', resolve) : resolve(null)));
    await bouncer.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

console.log(
  `\nhub at ${ROOT}, behind PgBouncer, ${SECONDS} s per run, ${QUESTIONS.length} cube questions, no response cache`,
);
console.log('pool_mode     clients  requests   req/s   p50 ms   p99 ms  errors');
for (const run of runs) {
  console.log(
    `${run.mode.padEnd(12)} ${String(run.clients).padStart(8)} ${String(run.requests).padStart(9)} ${run.perSecond.toFixed(0).padStart(7)} ` +
      `${run.p50.toFixed(1).padStart(8)} ${run.p99.toFixed(1).padStart(8)} ${String(run.errors).padStart(7)}` +
      (run.sample ? `  e.g. ${run.sample.replaceAll('\n', ' ')}` : ''),
  );
}
