import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { applyMigrations } from '../src/db/migrate.ts';

// `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database).
const config = loadConfig();
const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolMax: 1 });
try {
  const applied = await applyMigrations(db.pool, undefined, (line) => console.log(line));
  console.log(applied.length ? `applied ${applied.length} migrations` : 'database schema is up to date');
} finally {
  await db.close();
}
