import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';

export const MIGRATIONS_DIR = join(import.meta.dirname, '../../prisma/migrations');

/** The key `prisma migrate deploy` locks, so the hub and Prisma's CLI never migrate at once. */
const PRISMA_MIGRATE_LOCK = 72707369;

// The table exactly as Prisma's migration engine creates it, so either can take over.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies the migrations not yet recorded in `_prisma_migrations`, under Prisma's advisory lock so
 * two hubs starting at once apply each migration once. The lock is held by one transaction around
 * the whole run (a session lock taken through a pooler in transaction mode could be released in
 * another server session, and stay held); each migration is a savepoint in it, so one that fails
 * is rolled back and those before it are kept. Returns the names applied.
 */
export async function applyMigrations(
  pool: pg.Pool,
  migrations = readMigrations(),
  log: (line: string) => void = () => {},
): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [PRISMA_MIGRATE_LOCK]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await client.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    );
    const applied = new Map(rows.map((row) => [row.migration_name, row]));
    const names: string[] = [];
    let failure: Error | undefined;
    for (const migration of migrations) {
      const previous = applied.get(migration.name);
      if (previous) {
        failure = intactOrError(migration, previous);
        if (failure) break;
        continue;
      }
      log(`applying migration ${migration.name}`);
      failure = await applyOne(client, migration);
      if (failure) break;
      names.push(migration.name);
    }
    await client.query('COMMIT');
    if (failure) throw failure;
    return names;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

function intactOrError(migration: Migration, applied: AppliedRow): Error | undefined {
  if (!applied.finished_at) {
    return new Error(
      `Migration ${migration.name} was started but did not finish (see _prisma_migrations.logs); resolve it before starting the hub.`,
    );
  }
  if (applied.checksum !== migration.checksum) {
    return new Error(
      `Migration ${migration.name} was modified after it was applied (checksum ${applied.checksum} in ` +
        `the database, ${migration.checksum} on disk). Add a new migration instead of editing an applied one.`,
    );
  }
  return undefined;
}

/** Applies one migration in a savepoint; an error is returned after rolling it back. */
async function applyOne(client: pg.PoolClient, migration: Migration): Promise<Error | undefined> {
  await client.query('SAVEPOINT migration');
  try {
    const id = randomUUID();
    await client.query(
      'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())',
      [id, migration.checksum, migration.name],
    );
    await client.query(migration.sql);
    await client.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [
      id,
    ]);
    await client.query('RELEASE SAVEPOINT migration');
    return undefined;
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT migration');
    return new Error(`Migration ${migration.name} failed and was rolled back: ${(error as Error).message}`);
  }
}

/** True when every migration on disk is recorded as finished (the readiness check uses it). */
export async function isMigrated(pool: pg.Pool, migrations = readMigrations()): Promise<boolean> {
  const { rows } = await pool.query<{ migration_name: string }>(
    'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
  );
  const finished = new Set(rows.map((row) => row.migration_name));
  return migrations.every((migration) => finished.has(migration.name));
}
