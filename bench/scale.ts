import pg from 'pg';
import { openDatabase } from '../src/db/database.ts';
import { applyMigrations } from '../src/db/migrate.ts';
import { loadBundledData } from '../src/publishing/bundled.ts';
import { createHub, DEFAULT_LIMITS } from '../src/server/yoga.ts';

// `npm run bench:scale`: do common cube queries stay fast as a cube grows? In a scratch
// PostgreSQL database (never the bundled data), the wastewater table is grown to SCALE times its
// rows with synthetic copies of every site, and two queries are timed before and after, through
// the hub without its response cache. Target: at 50x, each within 2x of its time at 1x.

const SERVER_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const SCALE = Number(process.env.BENCH_SCALE ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const TARGET = 2;

const QUERIES = {
  'cocaine 2024, top 10': `{ wastewater(substance: ["COCAINE"], from: 2024, to: 2024, orderBy: VALUE_DESC, first: 10) { site { code } year value } }`,
  'cannabis, first 100': `{ wastewater(substance: ["CANNABIS"], first: 100) { site { code } year value } }`,
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timeQueries(db: Awaited<ReturnType<typeof openDatabase>>): Promise<Record<string, number>> {
  const hub = createHub(db, { limits: { ...DEFAULT_LIMITS, RESPONSE_CACHE_TTL_MS: 0 } });
  const times: Record<string, number> = {};
  try {
    for (const [name, query] of Object.entries(QUERIES)) {
      const ask = async () => {
        const response = await hub.fetch('http://bench/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query }),
        });
        const body = (await response.json()) as { data?: { wastewater: unknown[] }; errors?: unknown };
        if (body.errors || !body.data?.wastewater.length) throw new Error(`${name}: ${JSON.stringify(body)}`);
      };
      for (let i = 0; i < 5; i++) await ask(); // warm up: metadata, plans, JIT
      const runs: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now();
        await ask();
        runs.push(performance.now() - start);
      }
      times[name] = median(runs);
    }
  } finally {
    await hub.events.close();
  }
  return times;
}

const databaseName = `rusdata_bench_scale_${Date.now()}`;
const admin = new pg.Client({ connectionString: SERVER_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${databaseName}`);
const url = new URL(SERVER_URL);
url.pathname = `/${databaseName}`;
const db = await openDatabase({ url: url.toString(), dataDir: '', poolMax: 4 });
try {
  await applyMigrations(db.pool);
  await loadBundledData(db);
  await db.pool.query('ANALYZE');
  const count = async () =>
    Number((await db.pool.query('SELECT count(*) AS n FROM wastewater_observation')).rows[0].n).toLocaleString('en');
  const rowsBefore = await count();
  const before = await timeQueries(db);

  // Copies 2..SCALE of every site: same measurements under a new site code, so every query's
  // filters match SCALE times as many rows as before.
  const started = performance.now();
  await db.pool.query(
    `INSERT INTO wastewater_site (code, euda_site_id, country_code, city, city_as_published, region_code)
     SELECT s.code || '-X' || n, s.euda_site_id || '-X' || n, s.country_code, s.city, s.city_as_published, s.region_code
     FROM wastewater_site s, generate_series(2, $1::int) n`,
    [SCALE],
  );
  await db.pool.query(
    `INSERT INTO wastewater_observation (release_id, year, site_code, country_code, metabolite_code, substance_code,
       statistic, value, status, qualifier, reference, note, campaign)
     SELECT o.release_id, o.year, o.site_code || '-X' || n, o.country_code, o.metabolite_code, o.substance_code,
       o.statistic, o.value, o.status, o.qualifier, o.reference, o.note, o.campaign
     FROM wastewater_observation o, generate_series(2, $1::int) n`,
    [SCALE],
  );
  await db.pool.query('ANALYZE');
  const rowsAfter = await count();
  console.log(
    `bench:scale: PostgreSQL database ${databaseName}; wastewater_observation grown from ${rowsBefore} ` +
      `to ${rowsAfter} rows in ${Math.round((performance.now() - started) / 1000)} s`,
  );
  const after = await timeQueries(db);

  console.log(`median of ${RUNS} requests each, through the hub (response cache off)`);
  console.table(
    Object.keys(QUERIES).map((name) => ({
      query: name,
      'at 1x (ms)': Number(before[name]!.toFixed(1)),
      [`at ${SCALE}x (ms)`]: Number(after[name]!.toFixed(1)),
      ratio: Number((after[name]! / before[name]!).toFixed(2)),
      target: `<= ${TARGET}`,
      met: after[name]! / before[name]! <= TARGET ? 'yes' : 'NO',
    })),
  );
  for (const [name, query] of Object.entries(QUERIES)) console.log(`${name}: ${query}`);
} finally {
  await db.close();
  await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  await admin.end();
}
