import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { openDatabase } from '../src/db/database.ts';
import { applyMigrations } from '../src/db/migrate.ts';
import { loadBundledData } from '../src/publishing/bundled.ts';
import { publishRelease } from '../src/publishing/publish.ts';
import { createHub, DEFAULT_LIMITS } from '../src/server/yoga.ts';
import { sourceModules } from '../src/sources/registry.ts';
import { largeEudaFile } from '../test/helpers/fixtures.ts';

// `npm run bench` (third part): publishing a 100 000-observation release (parse, validate, one
// transaction) against a plain COPY of the same rows, while read queries keep being answered.

const SERVER_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const databaseName = `rusdata_bench_publish_${Date.now()}`;
const admin = new pg.Client({ connectionString: SERVER_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${databaseName}`);
const url = new URL(SERVER_URL);
url.pathname = `/${databaseName}`;
const db = await openDatabase({ url: url.toString(), dataDir: '', poolMax: 10 });

try {
  await applyMigrations(db.pool);
  await loadBundledData(db);
  // Reads go to the database (no response cache), so they compete with the publish.
  const hub = createHub(db, { limits: { ...DEFAULT_LIMITS, RESPONSE_CACHE_TTL_MS: 0 } });
  const content = largeEudaFile(10_000);

  // Reads during the publish: the dashboard query, one after another.
  const read = () =>
    hub.fetch('http://bench/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ regions { code drugDeaths(from: 2012, to: 2024) { year value } } }' }),
    });
  await read();
  let publishing = true;
  const latencies: number[] = [];
  const reader = (async () => {
    while (publishing) {
      const start = performance.now();
      const response = await read();
      if (!response.ok) throw new Error(`a read failed during the publish: ${response.status}`);
      await response.text();
      latencies.push(performance.now() - start);
    }
  })();

  const start = performance.now();
  const result = await publishRelease(db, sourceModules, {
    sourceId: 'wastewater',
    fileName: 'bench.csv',
    content,
    release: { label: 'bench', status: 'FINAL', published_at: '2026-11-26', publisher: 'bench' },
    actor: 'bench',
  });
  const publishMs = performance.now() - start;
  publishing = false;
  await reader;

  // The baseline: the same 100 000 rows, already parsed, COPYed into a table without keys.
  const { rows } = await db.pool.query(
    'SELECT year, site_code, country_code, metabolite_code, substance_code, statistic::text, value, ' +
      'status::text, qualifier::text, reference FROM wastewater_observation WHERE release_id = $1',
    [result.releaseId],
  );
  await db.pool.query(
    'CREATE TABLE copy_scratch (year int, site_code text, country_code text, metabolite_code text, ' +
      'substance_code text, statistic text, value float8, status text, qualifier text, reference text)',
  );
  const client = await db.pool.connect();
  const copyStart = performance.now();
  await pipeline(
    Readable.from(
      (function* () {
        for (const row of rows)
          yield `${Object.values(row)
            .map((v) => (v === null ? '' : `"${String(v)}"`))
            .join(',')}\n`;
      })(),
    ),
    client.query(copyFrom('COPY copy_scratch FROM STDIN (FORMAT csv)')),
  );
  const copyMs = performance.now() - copyStart;
  client.release();

  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1);
  console.log(`\npublish ${result.observations} observations (wastewater, EUDA layout), while reading`);
  console.table([
    {
      target: 'hub: publishRelease (parse, validate, one transaction)',
      ms: Math.round(publishMs),
      'rows/s': Math.round(result.observations / (publishMs / 1000)),
    },
    {
      target: 'plain COPY of the same rows',
      ms: Math.round(copyMs),
      'rows/s': Math.round(rows.length / (copyMs / 1000)),
    },
  ]);
  console.log(
    `publish / COPY rows per second: ${(result.observations / publishMs / (rows.length / copyMs)).toFixed(2)}`,
  );
  console.log(
    `reads answered during the publish: ${latencies.length}, p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
  );
  await hub.events.close();
} finally {
  await db.close();
  await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  await admin.end();
}
