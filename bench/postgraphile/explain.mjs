// `npm run bench:peer-sql`: for each configuration of the bench's peer (bench/peers.ts), the SQL
// PostGraphile sends for the dashboard question and PostgreSQL's EXPLAIN (ANALYZE, BUFFERS) of it,
// as Markdown (README.md beside this file shows its output). In a scratch PostgreSQL database with
// the bundled data and views.sql; PostGraphile runs in this process with server.mjs's options, and
// `pg` records each statement it sends (text and values).
// Runs from the repository root with tsx (`node --import tsx`), which loads the hub's TypeScript;
// needs this folder's own dependencies (`npm ci --prefix bench/postgraphile`, as `npm run bench` does).
import { readFileSync } from 'node:fs';
import { execute, parse } from 'graphql';
import pg from 'pg';
import { createPostGraphileSchema, withPostGraphileContext } from 'postgraphile';
import { openDatabase } from '../../src/db/database.ts';
import { applyMigrations } from '../../src/db/migrate.ts';
import { loadBundledData } from '../../src/publishing/bundled.ts';
import { PEER_CONFIGURATIONS } from '../peers.ts';
import { postgraphileOptions } from './options.mjs';

const SERVER_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const databaseName = `rusdata_bench_peer_sql_${Date.now()}`;
const admin = new pg.Client({ connectionString: SERVER_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${databaseName}`);
const url = new URL(SERVER_URL);
url.pathname = `/${databaseName}`;
const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
// Dropping the database at the end ends connections PostGraphile may still hold.
pool.on('error', () => {});

// Every statement a client of this process sends while `recording` is set.
let recording;
const send = pg.Client.prototype.query;
pg.Client.prototype.query = function query(statement, values, callback) {
  if (recording && statement) {
    const text = typeof statement === 'string' ? statement : statement.text;
    recording.push({ text, values: (typeof statement === 'string' ? values : statement.values) ?? [] });
  }
  return send.call(this, statement, values, callback);
};

/** Runs the query once through PostGraphile; returns the statements its client sent. */
async function statementsOf(schema, query) {
  recording = [];
  try {
    // As PostGraphile's HTTP handler does: with the document, a query runs without a transaction.
    const document = parse(query);
    const result = await withPostGraphileContext({ pgPool: pool, queryDocumentAst: document }, (context) =>
      execute({ schema, document, contextValue: context }),
    );
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return recording;
  } finally {
    recording = undefined;
  }
}

try {
  const db = await openDatabase({ url: url.toString(), dataDir: '', poolMax: 2 });
  try {
    await applyMigrations(db.pool);
    await loadBundledData(db);
  } finally {
    await db.close();
  }
  await pool.query(readFileSync(new URL('./views.sql', import.meta.url), 'utf8'));
  await pool.query('VACUUM (ANALYZE)');
  console.log(
    `<!-- npm run bench:peer-sql, PostgreSQL ${(await pool.query('SHOW server_version')).rows[0].server_version} -->`,
  );
  for (const configuration of PEER_CONFIGURATIONS) {
    const schema = await createPostGraphileSchema(
      pool,
      configuration.schema,
      postgraphileOptions(configuration.simpleCollections),
    );
    const statements = await statementsOf(schema, configuration.query);
    console.log(`\n### ${configuration.name}\n`);
    console.log(`Schema \`${configuration.schema}\`, \`simpleCollections: '${configuration.simpleCollections}'\`.\n`);
    console.log(`\`\`\`graphql\n${configuration.query}\n\`\`\`\n`);
    console.log(`${statements.length} SQL statement${statements.length === 1 ? '' : 's'} per request:\n`);
    for (const { text, values } of statements) {
      console.log(`\`\`\`sql\n${text.trim()}\n\`\`\`\n`);
      console.log(`Parameters: \`${JSON.stringify(values)}\`\n`);
      // Warm (the bench measures a warm server), then the plan of one more run.
      for (let i = 0; i < 3; i++) await pool.query(text, values);
      const { rows } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values);
      console.log(`\`\`\`\n${rows.map((row) => row['QUERY PLAN']).join('\n')}\n\`\`\``);
    }
  }
} finally {
  await pool.end();
  await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  await admin.end();
}
