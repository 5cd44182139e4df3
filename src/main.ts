import { createServer } from 'node:http';
import { loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { applyMigrations } from './db/migrate.ts';
import { loadBundledData } from './publishing/bundled.ts';
import { createReleaseEvents } from './publishing/events.ts';
import { createHub } from './server/yoga.ts';

// start: config -> database -> migrate -> load bundled data if absent -> serve
const started = performance.now();
const config = loadConfig();
const log = (line: string) => {
  if (config.LOG_LEVEL !== 'silent' && config.LOG_LEVEL !== 'error') console.log(`[rusdata] ${line}`);
};

const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolMax: config.DB_POOL_MAX });
log(db.kind === 'embedded' ? `embedded PostgreSQL (PGlite) in ${config.DATA_DIR}/` : 'PostgreSQL at DATABASE_URL');
const applied = await applyMigrations(db.pool, undefined, log);
log(applied.length ? `applied ${applied.length} migrations` : 'database schema is up to date');
await loadBundledData(db, log);

const events = createReleaseEvents(db);
await events.ready;
const hub = createHub(db, { limits: config, events });
const server = createServer(hub);
server.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  log(`ready in ${Math.round(performance.now() - started)} ms: http://${config.HOST}:${port}/graphql`);
});

async function shutdown(signal: string) {
  log(`${signal}: shutting down`);
  server.close();
  await events.close();
  await db.close();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
