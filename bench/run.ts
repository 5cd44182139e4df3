import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../src/db/database.ts';
import { applyMigrations } from '../src/db/migrate.ts';
import { loadBundledData } from '../src/publishing/bundled.ts';
import { createHub, DEFAULT_LIMITS } from '../src/server/yoga.ts';
import type { LoadTarget } from './load.ts';
import { inHubShape, PEER_CONFIGURATIONS, type PeerAnswer, type PeerConfiguration } from './peers.ts';
import {
  DASHBOARD_QUERY,
  firstAnswer,
  freePort,
  listen,
  loadAverage,
  type Measured,
  measure,
  postJson,
  ROOT,
  residentMb,
  startHub,
  stop,
} from './processes.ts';

// `npm run bench`: the hub on PostgreSQL with the bundled data answering the dashboard question,
// measured in the same run against a peer and two baselines:
// - PostGraphile 4 over views of the same tables (bench/postgraphile/: its own package, process
//   and graphql 15), the same question as one GraphQL query, in each configuration of
//   bench/peers.ts (the fastest counts);
// - the same rows from one raw `pg` query, serialised, on the same Node HTTP stack as the hub;
// - the hub's response bytes served static.
// The hub runs as users run it (`node dist/main.js` on DATABASE_URL), in a process of its own, once
// without the response cache (RESPONSE_CACHE_TTL_MS=0) and once with it; PostGraphile has its own
// process too. The load generator (bench/load.ts, autocannon) runs in a child process per target,
// so it never shares an event loop with a server under test. Every answer is checked to carry the
// hub's data before it is measured. The targets are measured in BENCH_ROUNDS rounds (default 3);
// each ratio is taken within a round and its median over the rounds is printed against its target.
// Servers run with NODE_ENV=production, as the Dockerfile runs the hub. After the rounds, the
// hub's resident memory is printed for each engine: the PostgreSQL hubs after their load, and a
// hub on a new embedded database (DATA_DIR in a temporary folder) after the same load.

const SERVER_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const POOL_MAX = 10;
const YEAR = new Date().getUTCFullYear();
const PEER_DIR = fileURLToPath(new URL('./postgraphile/', import.meta.url));

// The rows the dashboard shows, in one statement: every current region with its deaths series.
const RAW_SQL = `
  SELECT r.code, r.name_nb AS name, d.year, d.value
  FROM region r
  LEFT JOIN LATERAL (
    SELECT DISTINCT ON (o.year_from, o.year) o.year, o.value
    FROM death_observation o JOIN "release" rl ON rl.id = o.release_id
    WHERE o.region_code = r.code AND o.measure = 'DEATHS' AND o.sex = 'ALL' AND o.age_group_code = 'ALL'
      AND o.cause_code = 'ALL' AND o.intent_code = 'ALL' AND o.year BETWEEN 2012 AND 2024 AND rl.withdrawn_at IS NULL
    ORDER BY o.year_from, o.year, rl.published_at DESC, rl.created_at DESC, rl.id DESC
  ) d ON true
  WHERE (r.valid_from IS NULL OR r.valid_from <= $1) AND (r.valid_to IS NULL OR r.valid_to >= $1)
  ORDER BY r.kind, r.code, d.year`;

type Point = { year: number; value: number | null };
type Region = { code: string; name: string; drugDeaths: Point[] };

/** Installs bench/postgraphile's own dependencies (graphql 15) when they are missing. */
function installPeer(): void {
  if (existsSync(`${PEER_DIR}node_modules/postgraphile/package.json`)) return;
  console.log('bench: installing PostGraphile 4 (npm ci --prefix bench/postgraphile)');
  execFileSync('npm', ['ci', '--prefix', PEER_DIR, '--no-audit', '--no-fund'], { stdio: 'inherit' });
}

/** Starts bench/postgraphile/server.mjs in one configuration; resolves once it answers its query. */
async function startPeer(
  databaseUrl: string,
  peer: PeerConfiguration,
): Promise<{ child: ChildProcess; url: string; answer: PeerAnswer }> {
  const port = await freePort();
  const child = spawn(process.execPath, [`${PEER_DIR}server.mjs`], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      PG_POOL_MAX: String(POOL_MAX),
      PEER_SCHEMA: peer.schema,
      PEER_SIMPLE_COLLECTIONS: peer.simpleCollections,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  return {
    child,
    url,
    answer: (await firstAnswer(`PostGraphile (${peer.name})`, child, url, peer.query)) as PeerAnswer,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

const ratio = (value: number, target: string, pass: boolean) => ({
  ratio: Number(value.toFixed(2)),
  target,
  result: pass ? 'PASS' : 'MISS',
});

const cpuList = cpus();
console.log(
  `bench: ${cpuList[0]?.model ?? 'unknown CPU'} × ${cpuList.length}; node ${process.version}; ` +
    `load average ${loadAverage()} at start`,
);

const databaseName = `rusdata_bench_${Date.now()}`;
const admin = new pg.Client({ connectionString: SERVER_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${databaseName}`);
const url = new URL(SERVER_URL);
url.pathname = `/${databaseName}`;

let statements = 0;
const db = await openDatabase({
  url: url.toString(),
  dataDir: '',
  poolMax: POOL_MAX,
  onStatement: () => statements++,
});
const servers: Server[] = [];
const children: ChildProcess[] = [];
try {
  console.log(
    `bench: PostgreSQL database ${databaseName}; load generator in its own process, ` +
      `${CONNECTIONS} connections, ${DURATION_SECONDS} s per target`,
  );
  installPeer();
  await applyMigrations(db.pool);
  await loadBundledData(db);
  await db.pool.query(readFileSync(`${PEER_DIR}views.sql`, 'utf8'));

  // Statements per request, counted in this process; the measured hubs run as users run them.
  const counting = createHub(db, { limits: { ...DEFAULT_LIMITS, RESPONSE_CACHE_TTL_MS: 0 } });
  const body = JSON.stringify({ query: DASHBOARD_QUERY });
  const post = () =>
    counting.fetch('http://bench/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  for (let i = 0; i < 3; i++) await (await post()).arrayBuffer(); // warm the caches
  statements = 0;
  const hubBytes = Buffer.from(await (await post()).arrayBuffer());
  const statementsPerRequest = statements;
  const hubAnswer = JSON.parse(hubBytes.toString()) as { data: { regions: Region[] } };
  await counting.events.close();

  execFileSync(process.execPath, [`${ROOT}scripts/build.mjs`], { stdio: 'inherit' });
  const graphql = await startHub(url.toString(), { cacheTtlMs: 0, poolMax: POOL_MAX });
  children.push(graphql.child);
  const cached = await startHub(url.toString(), { poolMax: POOL_MAX });
  children.push(cached.child);
  if (!isDeepStrictEqual(await postJson(graphql.url, DASHBOARD_QUERY), hubAnswer)) {
    throw new Error('the hub process does not return the in-process answer');
  }

  const raw = await listen(async (_req, res) => {
    const { rows } = await db.pool.query<{ code: string; name: string; year: number | null; value: number | null }>(
      RAW_SQL,
      [YEAR],
    );
    const regions: Region[] = [];
    for (const row of rows) {
      let region = regions.at(-1);
      if (region?.code !== row.code) {
        region = { code: row.code, name: row.name, drugDeaths: [] };
        regions.push(region);
      }
      if (row.year !== null) region.drugDeaths.push({ year: row.year, value: row.value });
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { regions } }));
  });
  servers.push(raw.server);
  const rawBytes = Buffer.from(await (await fetch(raw.url, { method: 'POST', body })).arrayBuffer());
  if (!isDeepStrictEqual(JSON.parse(rawBytes.toString()), hubAnswer)) {
    throw new Error('the raw pg baseline does not return the same data as the hub');
  }

  const staticServer = await listen((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(hubBytes),
  );
  servers.push(staticServer.server);

  // The cached hub over GET: the same query in the query string.
  const getUrl = `${cached.url}?query=${encodeURIComponent(DASHBOARD_QUERY)}`;
  const getAnswer = await (await fetch(getUrl, { headers: { accept: 'application/json' } })).json();
  if (!isDeepStrictEqual(getAnswer, hubAnswer)) throw new Error('the hub over GET does not return its POST answer');

  // Every configuration of the peer must answer with the hub's cells before any is measured.
  const peers: { name: string; url: string; query: string; bytes: number; pid: number }[] = [];
  for (const configuration of PEER_CONFIGURATIONS) {
    const started = await startPeer(url.toString(), configuration);
    children.push(started.child);
    if (started.answer.errors || !isDeepStrictEqual(inHubShape(started.answer), hubAnswer)) {
      throw new Error(
        `PostGraphile (${configuration.name}) does not return the same data as the hub: ${JSON.stringify(started.answer)}`,
      );
    }
    peers.push({
      name: configuration.name,
      url: started.url,
      query: configuration.query,
      bytes: Buffer.byteLength(JSON.stringify(started.answer)),
      pid: started.child.pid!,
    });
  }

  const json = { 'content-type': 'application/json', accept: 'application/json' };
  const postTarget = (target: string, query = body): LoadTarget => ({
    url: target,
    method: 'POST',
    headers: json,
    body: query,
  });
  // In each round, what a ratio compares is measured back to back (PostGraphile, the hub, raw pg;
  // static bytes between the two cached runs), so a machine that slows down for a while moves
  // both sides of a ratio alike.
  const peerKeys = peers.map((_, i) => `peer${i}`);
  // Each with the process that serves it (raw pg and static bytes are served by this one).
  const targets: Record<string, [string, LoadTarget, number]> = {
    ...Object.fromEntries(
      peers.map((peer, i) => [
        `peer${i}`,
        [`PostGraphile 4: ${peer.name}`, postTarget(peer.url, JSON.stringify({ query: peer.query })), peer.pid],
      ]),
    ),
    hub: ['hub, no cache (POST)', postTarget(graphql.url), graphql.child.pid!],
    raw: ['raw pg + JSON', postTarget(raw.url), process.pid],
    cachedPost: ['hub, response cache (POST)', postTarget(cached.url), cached.child.pid!],
    fixed: ['static bytes', postTarget(staticServer.url), process.pid],
    cachedGet: [
      'hub, response cache (GET)',
      { url: getUrl, method: 'GET', headers: { accept: 'application/json' } },
      cached.child.pid!,
    ],
  };
  type Round = Record<string, Measured>;
  const rounds: Round[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`bench: round ${round} of ${ROUNDS} (load average ${loadAverage()})`);
    const measured: Round = {};
    // Every other round in the opposite order: neither side of a ratio always goes first.
    const order = round % 2 ? Object.entries(targets) : Object.entries(targets).reverse();
    for (const [key, [name, target, serverPid]] of order) measured[key] = await measure(name, target, { serverPid });
    rounds.push(measured);
  }
  const memory = [
    { engine: 'PostgreSQL', hub: 'no cache', 'RSS MB': residentMb(graphql.child.pid!) },
    { engine: 'PostgreSQL', hub: 'response cache', 'RSS MB': residentMb(cached.child.pid!) },
  ];
  const peerMemory = peers.map((peer) => ({ peer: peer.name, 'RSS MB': residentMb(peer.pid) }));

  // The hub on the embedded database (PGlite), started on a new DATA_DIR, after the same load as
  // the uncached hub had in one round: its memory, and its speed for information.
  const dataDir = mkdtempSync(join(tmpdir(), 'rusdata-bench-embedded-'));
  let embedded: Measured | undefined;
  try {
    const hub = await startHub({ dataDir }, { cacheTtlMs: 0 });
    children.push(hub.child);
    if (!isDeepStrictEqual(await postJson(hub.url, DASHBOARD_QUERY), hubAnswer)) {
      throw new Error('the hub on the embedded database does not return the answer on PostgreSQL');
    }
    embedded = await measure('hub on the embedded database, no cache (POST)', postTarget(hub.url));
    memory.push({ engine: 'embedded (PGlite)', hub: 'no cache', 'RSS MB': residentMb(hub.child.pid!) });
    await stop(hub.child);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }

  console.log(
    `\ndashboard query: every current region with its deaths series 2012-2024 ` +
      `(hub ${hubBytes.length} bytes; PostGraphile ${peers.map((peer) => peer.bytes).join(', ')} bytes); ` +
      `median of ${ROUNDS} rounds`,
  );
  const medianOf = (pick: (round: Round) => number) => median(rounds.map(pick));
  console.table(
    Object.entries(targets).map(([key, [name]]) => {
      const of = (pick: (m: Measured) => number) => Number(medianOf((round) => pick(round[key]!)).toFixed(2));
      return {
        target: name,
        'req/s': Math.round(of((m) => m.requestsPerSecond)),
        'mean ms': of((m) => m.meanMs),
        'p50 ms': of((m) => m.p50Ms),
        'p99 ms': of((m) => m.p99Ms),
        // Where a request's CPU goes: the serving process, PostgreSQL (NaN where /proc is missing).
        'server µs/req': Math.round(of((m) => m.cpu?.serverUs ?? Number.NaN)),
        'PostgreSQL µs/req': Math.round(of((m) => m.cpu?.postgresUs ?? Number.NaN)),
      };
    }),
  );
  // Each ratio is taken within a round, then its median over the rounds counts (each round's is
  // printed too). The peer is the fastest configuration of that round. Latency: the target is on
  // p50, and p50 here is exact (load.ts keeps every answer's time in fractional ms, not
  // autocannon's whole-millisecond histogram), so a 0.8 ms raw-pg p50 is not rounded to 0 or 1.
  // The mean ratio is printed for information only.
  const fastestPeer = (r: Round) => Math.max(...peerKeys.map((key) => r[key]!.requestsPerSecond));
  const ratios: Record<string, { of: (r: Round) => number; at?: number }> = {
    'uncached hub / fastest PostGraphile, req/s': { of: (r) => r.hub!.requestsPerSecond / fastestPeer(r), at: 1.2 },
    ...Object.fromEntries(
      peers.map((peer, i) => [
        `uncached hub / PostGraphile (${peer.name}), req/s`,
        { of: (r: Round) => r.hub!.requestsPerSecond / r[`peer${i}`]!.requestsPerSecond },
      ]),
    ),
    'uncached hub / raw pg, p50 latency': { of: (r) => r.hub!.p50Ms / r.raw!.p50Ms, at: -3 },
    'cached hub POST / static, req/s': {
      of: (r) => r.cachedPost!.requestsPerSecond / r.fixed!.requestsPerSecond,
      at: 0.7,
    },
    'cached hub GET / static, req/s': {
      of: (r) => r.cachedGet!.requestsPerSecond / r.fixed!.requestsPerSecond,
      at: 0.8,
    },
  };
  console.table(
    Object.fromEntries(
      Object.entries(ratios).map(([name, { of, at }]) => {
        const value = medianOf(of);
        const rounded = Number(value.toFixed(2));
        const each = rounds.map((r) => of(r).toFixed(2)).join(' ');
        if (at === undefined) return [name, { ratio: rounded, target: '(information)', result: '', rounds: each }];
        const passes = at > 0 ? value >= at : value <= -at;
        return [name, { ...ratio(value, at > 0 ? `≥ ${at}` : `≤ ${-at}`, passes), rounds: each }];
      }),
    ),
  );
  const hubResult = {
    meanMs: medianOf((r) => r.hub!.meanMs),
    requestsPerSecond: medianOf((r) => r.hub!.requestsPerSecond),
  };
  const rawResult = {
    meanMs: medianOf((r) => r.raw!.meanMs),
    requestsPerSecond: medianOf((r) => r.raw!.requestsPerSecond),
  };
  const meanVsRaw = hubResult.meanMs / rawResult.meanMs;
  const throughputVsRaw = hubResult.requestsPerSecond / rawResult.requestsPerSecond;
  console.log(`uncached hub / raw pg, mean latency (no target): ${meanVsRaw.toFixed(2)}`);
  console.log(`uncached hub / raw pg, req/s (no target):        ${throughputVsRaw.toFixed(2)}`);
  console.log(`SQL statements per hub request: ${statementsPerRequest} without the cache (raw baseline: 1)`);
  if (embedded) {
    console.log(
      `hub on the embedded database, no cache: ${Math.round(embedded.requestsPerSecond)} req/s, ` +
        `p50 ${embedded.p50Ms.toFixed(2)} ms (one run after the rounds, no target)`,
    );
  }
  console.log('resident memory after the run:');
  console.table(memory);
  console.table(peerMemory);
  console.log(`load average at the end: ${loadAverage()}`);
} finally {
  await Promise.all(children.map(stop));
  // Let requests still in flight finish before the pool closes.
  await Promise.all(
    servers.map(
      (server) =>
        new Promise((resolve) => {
          server.close(resolve);
          server.closeIdleConnections();
        }),
    ),
  );
  await db.close();
  await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  await admin.end();
}
