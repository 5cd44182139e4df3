import { loadavg } from 'node:os';
import pg from 'pg';
import { type Database, openDatabase } from '../src/db/database.ts';
import { applyMigrations } from '../src/db/migrate.ts';
import { loadBundledData } from '../src/publishing/bundled.ts';
import { createHub, DEFAULT_LIMITS, type Hub } from '../src/server/yoga.ts';

// `npm run bench:scale`: do common cube queries stay fast as a cube and its codelist grow? Two
// scratch PostgreSQL databases (never the bundled data) hold the bundled data; in the second, the
// wastewater sites and their loads are grown to SCALE times: synthetic copies of every site,
// with codes of their own, in the site codelist, and of every load at each copy. A hub (without
// its response cache) on each database answers each query in turn, one request on one, then the
// same on the other, so a machine busy with something else slows both sizes alike. Target: at
// 50x, each query's median within 1.5x of its median at 1x.

const SERVER_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const SCALE = Number(process.env.BENCH_SCALE ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 60);
const TARGET = 1.5;

const QUERIES = {
  'cocaine 2024, top 10': `{ wastewater(substance: ["COCAINE"], from: 2024, to: 2024, orderBy: VALUE_DESC, first: 10) { site { code } year value } }`,
  'cannabis, first 100': `{ wastewater(substance: ["CANNABIS"], first: 100) { site { code } year value } }`,
  'cannabis, first 100, values': `{ wastewater(substance: ["CANNABIS"], first: 100) { value } }`,
  'one site, 2024': `{ wastewater(site: ["NO007"], from: 2024, to: 2024) { year value } }`,
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The time of one request of `query` to `hub`, in ms; throws unless it answers with cells. */
async function timeRequest(hub: Hub, name: string, query: string): Promise<number> {
  const start = performance.now();
  const response = await hub.fetch('http://bench/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: { wastewater: unknown[] }; errors?: unknown };
  const elapsed = performance.now() - start;
  if (body.errors || !body.data?.wastewater.length) throw new Error(`${name}: ${JSON.stringify(body)}`);
  return elapsed;
}

const stamp = Date.now();
const names = { small: `rusdata_bench_scale_${stamp}`, large: `rusdata_bench_scale_${stamp}_x${SCALE}` };
const urlOf = (name: string) => {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
};
const admin = new pg.Client({ connectionString: SERVER_URL });
await admin.connect();
const open: Database[] = [];
const hubs: Hub[] = [];
try {
  await admin.query(`CREATE DATABASE ${names.small}`);
  const loading = await openDatabase({ url: urlOf(names.small), dataDir: '', poolMax: 4 });
  try {
    await applyMigrations(loading.pool);
    await loadBundledData(loading);
  } finally {
    await loading.close();
  }
  // The large one starts as a copy of the small one (a template needs no connections to it).
  await admin.query(`CREATE DATABASE ${names.large} TEMPLATE ${names.small}`);
  const small = await openDatabase({ url: urlOf(names.small), dataDir: '', poolMax: 4 });
  open.push(small);
  const large = await openDatabase({ url: urlOf(names.large), dataDir: '', poolMax: 4 });
  open.push(large);

  // Copies 2..SCALE of every site: same measurements under a new site code, so every query's
  // filters match SCALE times as many rows as before, and the site codelist is SCALE times longer.
  const started = performance.now();
  await large.pool.query(
    `INSERT INTO wastewater_site (code, euda_site_id, country_code, city, city_as_published, region_code)
     SELECT s.code || '-X' || n, s.euda_site_id || '-X' || n, s.country_code, s.city, s.city_as_published, s.region_code
     FROM wastewater_site s, generate_series(2, $1::int) n`,
    [SCALE],
  );
  await large.pool.query(
    `INSERT INTO wastewater_observation (release_id, year, site_code, country_code, metabolite_code, substance_code,
       statistic, value, status, qualifier, reference, note, campaign)
     SELECT o.release_id, o.year, o.site_code || '-X' || n, o.country_code, o.metabolite_code, o.substance_code,
       o.statistic, o.value, o.status, o.qualifier, o.reference, o.note, o.campaign
     FROM wastewater_observation o, generate_series(2, $1::int) n`,
    [SCALE],
  );
  for (const db of open) await db.pool.query('VACUUM (ANALYZE)');
  const count = async (db: Database, table: string) =>
    Number((await db.pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n).toLocaleString('en');
  console.log(
    `bench:scale: PostgreSQL databases ${names.small} and ${names.large}; wastewater_observation ` +
      `${await count(small, 'wastewater_observation')} and ${await count(large, 'wastewater_observation')} rows, ` +
      `wastewater_site ${await count(small, 'wastewater_site')} and ${await count(large, 'wastewater_site')} ` +
      `(grown in ${Math.round((performance.now() - started) / 1000)} s); load average ${loadavg()[0]!.toFixed(2)}`,
  );

  const limits = { ...DEFAULT_LIMITS, RESPONSE_CACHE_TTL_MS: 0 };
  const [hubSmall, hubLarge] = [createHub(small, { limits }), createHub(large, { limits })];
  hubs.push(hubSmall, hubLarge);
  const rows = [];
  for (const [name, query] of Object.entries(QUERIES)) {
    // Warm-up: metadata, codelists, plans, JIT.
    for (let i = 0; i < 5; i++) for (const hub of hubs) await timeRequest(hub, name, query);
    const times = { small: [] as number[], large: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      // Alternately first, so neither size always follows the other.
      const order = i % 2 ? (['large', 'small'] as const) : (['small', 'large'] as const);
      for (const size of order)
        times[size].push(await timeRequest(size === 'small' ? hubSmall : hubLarge, name, query));
    }
    const [atOne, atScale] = [median(times.small), median(times.large)];
    rows.push({
      query: name,
      'at 1x (ms)': Number(atOne.toFixed(2)),
      [`at ${SCALE}x (ms)`]: Number(atScale.toFixed(2)),
      ratio: Number((atScale / atOne).toFixed(2)),
      target: `<= ${TARGET}`,
      met: atScale / atOne <= TARGET ? 'yes' : 'NO',
    });
  }
  console.log(`median of ${RUNS} requests each, through the hub (response cache off), the two sizes alternating`);
  console.table(rows);
  for (const [name, query] of Object.entries(QUERIES)) console.log(`${name}: ${query}`);
  console.log(`load average at the end: ${loadavg()[0]!.toFixed(2)}`);
} finally {
  for (const hub of hubs) await hub.events.close();
  for (const db of open) await db.close();
  for (const name of [names.large, names.small]) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
