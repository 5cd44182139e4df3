import { createServer } from 'node:http';
import { loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { FolderInUseError } from './db/folder-lock.ts';
import { applyMigrations } from './db/migrate.ts';
import { loadBundledData } from './publishing/bundled.ts';
import { createReleaseEvents } from './publishing/events.ts';
import { startControlServer } from './server/control.ts';
import { createHub } from './server/yoga.ts';
import { sourceModules } from './sources/registry.ts';

// start: config -> database -> migrate -> load bundled data if absent -> serve
const started = performance.now();
const config = loadConfig();
const log = (line: string) => {
  if (config.LOG_LEVEL !== 'silent' && config.LOG_LEVEL !== 'error') console.log(`[rusdata] ${line}`);
};

const db = await openDatabase({
  url: config.DATABASE_URL,
  dataDir: config.DATA_DIR,
  poolMax: config.DB_POOL_MAX,
  statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
}).catch((error: Error) => {
  if (!(error instanceof FolderInUseError)) throw error;
  console.error(`[rusdata] cannot start: ${error.message}`);
  process.exit(1);
});
log(db.kind === 'embedded' ? `embedded PostgreSQL (PGlite) in ${config.DATA_DIR}/` : 'PostgreSQL at DATABASE_URL');
const applied = await applyMigrations(db.pool, undefined, log);
log(applied.length ? `applied ${applied.length} migrations` : 'database schema is up to date');
await loadBundledData(db, log);

const events = createReleaseEvents(db);
await events.ready;
const hub = createHub(db, { limits: config, events });
const server = createServer(hub);
// The embedded database has one owner: the CLI hands its commands to this process (see cli.ts).
const control = db.folderLock ? await startControlServer(db, sourceModules) : undefined;
if (control) db.folderLock?.advertise(control);
server.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  log(`ready in ${Math.round(performance.now() - started)} ms: http://${config.HOST}:${port}/graphql`);
});

async function shutdown(signal: string) {
  log(`${signal}: shutting down`);
  server.close();
  await control?.close();
  await events.close();
  await db.close();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
