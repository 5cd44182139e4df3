import { createServer } from 'node:http';
import { loadConfig } from './config.ts';
import { FolderInUseError, readLockHolder } from './db/folder-lock.ts';
import { createHubLog, withRequestIds } from './server/logging.ts';

// start: config -> refuse a folder in use -> database -> migrate -> load bundled data if absent -> serve
const started = performance.now();
const config = loadConfig();
const hubLog = createHubLog(config);
const log = hubLog.line;
const refuse = (error: FolderInUseError): never => {
  console.error(`[rusdata] cannot start: ${error.message}`);
  process.exit(1);
};

// A second hub on the same folder is refused before the rest of the hub is even loaded; opening
// the database takes the lock for real (of two starting at once, one wins there).
const holder = config.DATABASE_URL ? undefined : readLockHolder(config.DATA_DIR);
if (holder) refuse(new FolderInUseError(config.DATA_DIR, holder));

// The database opens while the rest of the hub loads. The embedded one, on its own thread, is
// the slowest part of a restart: it starts first, before even the database module is loaded.
const { EMBEDDED_IMAGE, startEmbeddedPostgres } = await import('./db/embedded.ts');
const embedded = config.DATABASE_URL ? undefined : startEmbeddedPostgres(config.DATA_DIR, 'hub', EMBEDDED_IMAGE);
embedded?.catch(() => {}); // awaited in openDatabase, whose failure is handled below
const { openDatabase } = await import('./db/database.ts');
const opening = openDatabase({
  url: config.DATABASE_URL,
  listenUrl: config.DATABASE_LISTEN_URL,
  poolMode: config.DB_POOL_MODE,
  dataDir: config.DATA_DIR,
  poolMax: config.DB_POOL_MAX,
  statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
  embedded,
  readUrls: config.DATABASE_READ_URL,
  replicaMaxLagMs: config.DB_REPLICA_MAX_LAG_MS,
}).catch((error: Error) => (error instanceof FolderInUseError ? refuse(error) : Promise.reject(error)));
opening.catch(() => {}); // awaited below, after the imports: a failure is thrown there
const [
  { applyMigrations, isMigrated, readMigrations },
  { renewDatabaseIdentity },
  { fingerprintBundledData, loadBundledData },
  { createReleaseEvents },
  { startControlServer },
  { createHub },
  { sourceModules },
] = await Promise.all([
  import('./db/migrate.ts'),
  import('./db/data-version.ts'),
  import('./publishing/bundled.ts'),
  import('./publishing/events.ts'),
  import('./server/control.ts'),
  import('./server/yoga.ts'),
  import('./sources/registry.ts'),
]);
// Hashing the bundled files needs no database: it is done while the database is still opening.
const bundledFingerprints = fingerprintBundledData();
const db = await opening;
if (db.kind === 'postgres') log('PostgreSQL at DATABASE_URL');
else if (db.fromImage) log(`embedded PostgreSQL (PGlite) in ${config.DATA_DIR}/, new: started from ${EMBEDDED_IMAGE}`);
else log(`embedded PostgreSQL (PGlite) in ${config.DATA_DIR}/`);
if (db.replicas) log(`reads from ${db.replicas.replicas.length} replicas at DATABASE_READ_URL when they are current`);
if (db.readOnly) {
  // A hot standby takes no writes: the primary's hubs migrate and load; this one only reads.
  log('DATABASE_URL is a hot standby: read-only (no migrations, no publishing), polling data_version every second');
  if (!(await isMigrated(db.pool, readMigrations()))) {
    console.error('[rusdata] cannot start: the standby lacks migrations; start a hub on the primary first.');
    process.exit(1);
  }
} else {
  const applied = await applyMigrations(db.pool, undefined, log);
  log(applied.length ? `applied ${applied.length} migrations` : 'database schema is up to date');
  // A folder made from the shared image would otherwise share its identity (and ETags) with every other.
  if (db.fromImage) await renewDatabaseIdentity(db.pool);
  await loadBundledData(db, log, bundledFingerprints);
}

const events = createReleaseEvents(db);
await events.ready;
const hub = createHub(db, { limits: config, events, logger: hubLog.yoga });
const server = createServer(withRequestIds(hub, hubLog.requests));
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
