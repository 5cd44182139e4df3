import { createServer, type RequestListener, type Server } from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { openDatabase } from '../src/db/database.ts';
import { applyMigrations } from '../src/db/migrate.ts';
import { loadBundledData } from '../src/publishing/bundled.ts';
import { createHub, DEFAULT_LIMITS } from '../src/server/yoga.ts';

// `npm run bench`: the hub on PostgreSQL with the bundled data, measured against two baselines
// served by the same Node HTTP stack in the same run: the same rows from one raw `pg` query,
// serialised; and the same response bytes served static. Reports ratios, not absolute targets.

const SERVER_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const YEAR = new Date().getUTCFullYear();

const DASHBOARD_QUERY = `{ regions { code name drugDeaths(from: 2012, to: 2024) { year value } } }`;

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

interface Result {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
}

function listen(handler: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${address.port}` });
    }),
  );
}

async function measure(name: string, url: string, body: string): Promise<Result> {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
  });
  if (result.non2xx || result.errors)
    throw new Error(`${name}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
  return { name, requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

const databaseName = `rusdata_bench_${Date.now()}`;
const admin = new pg.Client({ connectionString: SERVER_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${databaseName}`);
const url = new URL(SERVER_URL);
url.pathname = `/${databaseName}`;

let statements = 0;
const db = await openDatabase({ url: url.toString(), dataDir: '', poolMax: 10, onStatement: () => statements++ });
const servers: Server[] = [];
try {
  console.log(
    `bench: PostgreSQL database ${databaseName}; ${CONNECTIONS} connections, ${DURATION_SECONDS} s per target`,
  );
  await applyMigrations(db.pool);
  await loadBundledData(db);

  // The engine without the response cache (what every new question costs), and with it.
  const hub = createHub(db, { limits: { ...DEFAULT_LIMITS, RESPONSE_CACHE_TTL_MS: 0 } });
  const graphql = await listen(hub);
  servers.push(graphql.server);
  const cachedHub = createHub(db);
  const cached = await listen(cachedHub);
  servers.push(cached.server);
  const body = JSON.stringify({ query: DASHBOARD_QUERY });
  const post = () =>
    fetch(`${graphql.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await post(); // warm caches
  statements = 0;
  const hubBytes = Buffer.from(await (await post()).arrayBuffer());
  const statementsPerRequest = statements;

  const raw = await listen(async (_req, res) => {
    const { rows } = await db.pool.query<{ code: string; name: string; year: number | null; value: number | null }>(
      RAW_SQL,
      [YEAR],
    );
    const regions: { code: string; name: string; drugDeaths: { year: number; value: number | null }[] }[] = [];
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
  if (!isDeepStrictEqual(JSON.parse(rawBytes.toString()), JSON.parse(hubBytes.toString()))) {
    throw new Error('the raw pg baseline does not return the same data as the hub');
  }

  const staticServer = await listen((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(hubBytes),
  );
  servers.push(staticServer.server);

  const results = [
    await measure('static bytes', staticServer.url, body),
    await measure('raw pg + JSON', raw.url, body),
    await measure('GraphQL hub', `${graphql.url}/graphql`, body),
    await measure('GraphQL hub, response cache', `${cached.url}/graphql`, body),
  ];
  const [fixed, rawResult, hubResult, cachedResult] = results as [Result, Result, Result, Result];
  console.log(`\ndashboard query: every county with its deaths series 2012-2024 (${hubBytes.length} bytes)`);
  console.table(
    results.map((r) => ({
      target: r.name,
      'req/s': Math.round(r.requestsPerSecond),
      'p50 ms': r.p50,
      'p99 ms': r.p99,
    })),
  );
  console.log(`hub / raw pg throughput:  ${(hubResult.requestsPerSecond / rawResult.requestsPerSecond).toFixed(2)}`);
  console.log(`hub / static throughput:  ${(hubResult.requestsPerSecond / fixed.requestsPerSecond).toFixed(2)}`);
  console.log(`hub p99 / raw pg p99:     ${(hubResult.p99 / Math.max(rawResult.p99, 1)).toFixed(2)}`);
  console.log(
    `cached hub / raw pg throughput: ${(cachedResult.requestsPerSecond / rawResult.requestsPerSecond).toFixed(2)}`,
  );
  console.log(`SQL statements per hub request: ${statementsPerRequest} without the cache (raw baseline: 1)`);
  await Promise.all([hub.events.close(), cachedHub.events.close()]);
} finally {
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
