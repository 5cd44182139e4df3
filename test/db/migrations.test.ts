import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, isMigrated, type Migration, readMigrations } from '../../src/db/migrate.ts';
import { openTestDatabase } from '../helpers/hub.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function freshDatabase() {
  const opened = await openTestDatabase();
  cleanups.push(opened.drop);
  return opened.db;
}

describe('migrations', () => {
  it('records each applied migration in _prisma_migrations as prisma migrate deploy does', async () => {
    const db = await freshDatabase();
    const migrations = readMigrations();
    expect(await applyMigrations(db.pool)).toEqual(migrations.map((m) => m.name));

    const { rows } = await db.pool.query(
      'SELECT id, checksum, migration_name, finished_at, rolled_back_at, started_at, applied_steps_count, ' +
        'logs FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows).toHaveLength(migrations.length);
    for (const [index, row] of rows.entries()) {
      const migration = migrations[index]!;
      expect(row.migration_name).toBe(migration.name);
      expect(row.checksum).toBe(createHash('sha256').update(migration.sql).digest('hex'));
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    expect(await isMigrated(db.pool)).toBe(true);
  });

  it('applies nothing the second time', async () => {
    const db = await freshDatabase();
    await applyMigrations(db.pool);
    expect(await applyMigrations(db.pool)).toEqual([]);
  });

  it('applies each migration once when two hubs migrate at the same time', async () => {
    const db = await freshDatabase();
    if (db.kind === 'embedded') {
      // The embedded database takes one connection: concurrency is only possible on PostgreSQL.
      const results = await Promise.all([applyMigrations(db.pool), applyMigrations(db.pool)]);
      expect(results.flat()).toHaveLength(readMigrations().length);
      return;
    }
    const second = new pg.Pool({
      connectionString: (db.pool as unknown as { options: { connectionString: string } }).options.connectionString,
      max: 1,
    });
    try {
      const results = await Promise.all([applyMigrations(db.pool), applyMigrations(second)]);
      expect(results.flat()).toEqual(readMigrations().map((m) => m.name));
      const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM "_prisma_migrations"');
      expect(rows[0].n).toBe(readMigrations().length);
    } finally {
      await second.end();
    }
  });

  it('rolls a failing migration back completely and records nothing', async () => {
    const db = await freshDatabase();
    const broken: Migration = {
      name: '20990101000000_broken',
      sql: 'CREATE TABLE half_done (id int); SELECT 1/0;',
      checksum: 'x',
    };
    await expect(applyMigrations(db.pool, [broken])).rejects.toThrow(
      /20990101000000_broken failed and was rolled back/,
    );
    const { rows } = await db.pool.query(
      'SELECT to_regclass(\'half_done\') AS t, (SELECT count(*)::int FROM "_prisma_migrations") AS n',
    );
    expect(rows[0]).toEqual({ t: null, n: 0 });
  });

  it('refuses to start when an applied migration was edited afterwards', async () => {
    const db = await freshDatabase();
    await applyMigrations(db.pool);
    const edited = readMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'f'.repeat(64) } : m));
    await expect(applyMigrations(db.pool, edited)).rejects.toThrow(/was modified after it was applied/);
  });

  it('reports an unmigrated database as not ready', async () => {
    const db = await freshDatabase();
    await expect(isMigrated(db.pool)).rejects.toThrow();
    await applyMigrations(db.pool, readMigrations().slice(0, 0));
    expect(await isMigrated(db.pool)).toBe(false);
  });
});
