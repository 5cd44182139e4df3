import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { lockFileOf } from '../../src/db/folder-lock.ts';
import { readMigrations } from '../../src/db/migrate.ts';
import { prepareEmbeddedImage } from '../../src/publishing/embedded-image.ts';

// npm install prepares the embedded database (migrated, with the bundled data) as an image; a new
// DATA_DIR starts from a copy of it instead of creating a cluster and loading every file.

// The embedded pass runs it (the PostgreSQL pass has nothing of its own to add).
const embedded = !process.env.DATABASE_URL;
const folder = mkdtempSync(join(tmpdir(), 'rusdata-image-test-'));
const image = join(folder, 'image');
beforeAll(async () => {
  if (embedded) await prepareEmbeddedImage(image);
}, 180_000);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const open = (dataDir: string) => openDatabase({ dataDir, poolMax: 1, embeddedImage: image });

describe.runIf(embedded)('the embedded database image', () => {
  it('holds every migration and the bundled releases', async () => {
    const db = await open(join(folder, 'fresh'));
    try {
      expect(db.fromImage).toBe(true);
      const { rows: migrations } = await db.pool.query<{ name: string }>(
        'SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY 1',
      );
      expect(migrations.map((m) => m.name)).toEqual(readMigrations().map((m) => m.name));
      const { rows } = await db.pool.query<{ source_id: string; releases: number }>(
        'SELECT source_id, count(*)::int AS releases FROM release GROUP BY 1 ORDER BY 1',
      );
      expect(rows.map((row) => row.source_id)).toEqual(['mortality', 'pwid', 'survey', 'wastewater']);
      const { rows: deaths } = await db.pool.query<{ value: number }>(
        `SELECT value FROM death_observation WHERE year = 2024 AND region_code = '0' AND measure = 'DEATHS'
           AND sex = 'ALL' AND age_group_code = 'ALL' AND cause_code = 'ALL' AND intent_code = 'ALL'`,
      );
      expect(deaths.map((d) => d.value)).toContain(342);
    } finally {
      await db.close();
    }
  });

  it('carries no lock: the new folder stays locked by the process that opened it', async () => {
    const dataDir = join(folder, 'locked');
    const db = await open(dataDir);
    try {
      expect(db.fromImage).toBe(true);
      // The image was made here too, but as the CLI: the lock must still be this hub's.
      expect(JSON.parse(readFileSync(lockFileOf(dataDir), 'utf8'))).toMatchObject({ pid: process.pid, role: 'hub' });
    } finally {
      await db.close();
    }
  });

  it('is copied into a new folder only: a folder with a database keeps it', async () => {
    const dataDir = join(folder, 'existing');
    const first = await open(dataDir);
    await first.pool.query('CREATE TABLE kept (x int)');
    await first.close();
    const again = await open(dataDir);
    try {
      expect(again.fromImage).toBe(false);
      expect((await again.pool.query("SELECT to_regclass('kept') AS kept")).rows[0].kept).toBe('kept');
    } finally {
      await again.close();
    }
  });

  it('is copied again into a folder with files but no cluster, as a copy cut short leaves it', async () => {
    const dataDir = join(folder, 'cut-short');
    mkdirSync(join(dataDir, 'base'), { recursive: true });
    writeFileSync(join(dataDir, 'base', 'half-written'), 'x');
    const db = await open(dataDir);
    try {
      expect(db.fromImage).toBe(true);
      expect((await db.pool.query('SELECT count(*)::int AS n FROM release')).rows[0].n).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });

  it('is a folder renamed into place, with no scratch copy or lock left beside or in it', () => {
    expect(readdirSync(folder).filter((entry) => entry.startsWith('image'))).toEqual(['image']);
    expect(existsSync(join(image, 'PG_VERSION'))).toBe(true);
    expect(existsSync(lockFileOf(image))).toBe(false);
  });

  it('is not needed: without the image a new folder gets a new, empty cluster', async () => {
    const dataDir = join(folder, 'without');
    mkdirSync(dataDir);
    const db = await openDatabase({ dataDir, poolMax: 1, embeddedImage: join(folder, 'missing') });
    try {
      expect(db.fromImage).toBe(false);
      expect((await db.pool.query("SELECT to_regclass('release') AS t")).rows[0].t).toBeNull();
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    } finally {
      await db.close();
    }
  });
});
