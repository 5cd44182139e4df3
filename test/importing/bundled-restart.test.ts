import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { applyMigrations } from '../../src/db/migrate.ts';
import { DATA_DIR } from '../../src/importing/source-files.ts';
import { fingerprintFiles, loadBundledData } from '../../src/publishing/bundled.ts';
import { openTestDatabase } from '../helpers/hub.ts';

// A restart with the same bundled files does not parse them again: it compares one fingerprint
// per part (the codelists, each source) with the one recorded when the part was loaded.

let db: Database;
let drop: () => Promise<void>;
const statements: string[] = [];

beforeAll(async () => {
  ({ db, drop } = await openTestDatabase((sql) => statements.push(sql)));
  await applyMigrations(db.pool);
  await loadBundledData(db);
});
afterAll(() => drop());

describe('the first load', () => {
  it('leaves the tables vacuumed and analysed, as after any bulk load', async () => {
    const { rows } = await db.pool.query<{ relname: string }>(
      `SELECT relname FROM pg_stat_user_tables
       WHERE relname LIKE '%observation' AND (last_vacuum IS NULL OR last_analyze IS NULL)`,
    );
    expect(rows).toEqual([]);
  });
});

describe('loading the bundled data again', () => {
  it('costs one statement when no bundled file changed', async () => {
    statements.length = 0;
    const lines: string[] = [];
    await loadBundledData(db, (line) => lines.push(line));
    expect(statements).toEqual(['SELECT name, fingerprint FROM bundled_load']);
    expect(lines).toContain('wastewater: bundled files unchanged since loaded');
  });

  it('reads a part again when its fingerprint differs, and records the new one', async () => {
    await db.pool.query("UPDATE bundled_load SET fingerprint = 'older files' WHERE name = 'pwid'");
    const lines: string[] = [];
    await loadBundledData(db, (line) => lines.push(line));
    expect(lines).toContain('pwid: all 7 bundled releases already stored');
    const { rows } = await db.pool.query("SELECT fingerprint FROM bundled_load WHERE name = 'pwid'");
    expect(rows[0].fingerprint).not.toBe('older files');
    expect(rows[0].fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('fingerprintFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rusdata-fingerprint-'));
  cpSync(join(DATA_DIR, 'pwid'), dir, { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('changes when a byte of a file changes, and only then', () => {
    const before = fingerprintFiles([dir]);
    expect(fingerprintFiles([dir])).toBe(before);
    writeFileSync(join(dir, 'source.json'), `${JSON.stringify({ changed: true })}\n`);
    expect(fingerprintFiles([dir])).not.toBe(before);
  });

  it('changes when a file is added', () => {
    const before = fingerprintFiles([dir]);
    writeFileSync(join(dir, 'extra.csv'), 'a\n');
    expect(fingerprintFiles([dir])).not.toBe(before);
  });
});
