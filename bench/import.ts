import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { inTransaction, upsertRows } from '../src/db/bulk.ts';
import { openDatabase } from '../src/db/database.ts';
import { applyMigrations } from '../src/db/migrate.ts';
import { loadCodelists } from '../src/dimensions/codelists.ts';
import { storeRelease, upsertSource } from '../src/publishing/releases.ts';
import { readWastewater, readWastewaterSource } from '../src/sources/wastewater/importer.ts';

const EUDA_RELEASE = 'wastewater-euda-2025';

// `npm run bench` (second part): how fast the whole EUDA file is stored as a release, against a
// plain COPY of the same rows into a scratch table, measured in the same run on PostgreSQL.

const SERVER_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const databaseName = `rusdata_bench_import_${Date.now()}`;
const admin = new pg.Client({ connectionString: SERVER_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${databaseName}`);
const url = new URL(SERVER_URL);
url.pathname = `/${databaseName}`;
const db = await openDatabase({ url: url.toString(), dataDir: '', poolMax: 2 });

try {
  await applyMigrations(db.pool);
  const parseStart = performance.now();
  const { bundles, reference } = readWastewater();
  const parseMs = performance.now() - parseStart;
  const bundle = bundles.find((b) => b.release.id === EUDA_RELEASE)!;
  const observations = bundle.observations.find((table) => table.table === 'wastewater_observation')!;
  const rows = bundle.observations.reduce((n, table) => n + table.rows.length, 0);
  await inTransaction(db.pool, async (client) => {
    await loadCodelists(client);
    await upsertSource(client, readWastewaterSource());
    for (const { table, key, columns, rows: referenceRows } of reference)
      await upsertRows(client, table, key, columns, referenceRows);
  });
  await db.pool.query(
    `CREATE TABLE copy_scratch (release_id text, ${observations.columns.map((c) => `"${c}" text`).join(', ')})`,
  );

  const client = await db.pool.connect();
  const storeTimes: number[] = [];
  const copyTimes: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      // The hub's path: one transaction, the release row, then every table of the release.
      await client.query('BEGIN');
      let start = performance.now();
      await storeRelease(client, 'wastewater', bundle);
      storeTimes.push(performance.now() - start);
      await client.query('ROLLBACK');

      // The baseline: the same observation rows streamed with COPY into a table without keys.
      await client.query('BEGIN');
      start = performance.now();
      const csv = Readable.from(
        (function* () {
          for (const row of observations.rows) {
            yield `${[bundle.release.id, ...row].map((v) => (v === null ? '' : `"${String(v).replaceAll('"', '""')}"`)).join(',')}\n`;
          }
        })(),
      );
      await pipeline(csv, client.query(copyFrom('COPY copy_scratch FROM STDIN (FORMAT csv)')));
      copyTimes.push(performance.now() - start);
      await client.query('ROLLBACK');
    }
  } finally {
    client.release();
  }
  const store = median(storeTimes);
  const copy = median(copyTimes);
  console.log(
    `\nEUDA import (${rows} rows in release ${bundle.release.id}; ${observations.rows.length} observations), median of ${RUNS} runs`,
  );
  console.log(`parse and validate the four files: ${Math.round(parseMs)} ms`);
  console.table([
    {
      target: 'hub: store release (INSERT, keys, indexes)',
      ms: Math.round(store),
      'rows/s': Math.round(rows / (store / 1000)),
    },
    {
      target: 'plain COPY into a scratch table',
      ms: Math.round(copy),
      'rows/s': Math.round(observations.rows.length / (copy / 1000)),
    },
  ]);
  console.log(`hub / COPY rows per second: ${(rows / store / (observations.rows.length / copy)).toFixed(2)}`);
} finally {
  await db.close();
  await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  await admin.end();
}
