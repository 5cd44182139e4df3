import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { applyMigrations } from '../../src/db/migrate.ts';
import { createApiKey } from '../../src/publishing/api-keys.ts';
import { loadBundledData } from '../../src/publishing/bundled.ts';
import { largeEudaFile } from '../helpers/fixtures.ts';
import { openTestDatabase } from '../helpers/hub.ts';
import {
  deathsOf,
  dryRunArgs,
  publishArgs,
  releaseLabels,
  runCli,
  type Started,
  startHubProcess,
  startScript,
  subscribeOverGet,
  waitFor,
  within,
  writePublishFiles,
} from '../helpers/processes.ts';
import { REVISED_REPORT_DRY_RUN } from '../helpers/publishing.ts';
import { readEvents } from '../helpers/sse.ts';

// Whole hub and CLI processes against the machine's PostgreSQL (no Redis): several hubs share a
// database, writers of every kind publish, and a publish may be killed half-way.
const serverUrl = process.env.DATABASE_URL;

const COUNTS =
  'SELECT (SELECT count(*)::int FROM wastewater_observation) AS n, (SELECT count(*)::int FROM release) AS releases';

describe.runIf(serverUrl)('hub processes on PostgreSQL', () => {
  let db: Database;
  let drop: () => Promise<void>;
  let databaseUrl: string;
  let dir: string;
  let files: { deaths: string; big: string; revised: string };
  const processes: Started[] = [];

  beforeAll(async () => {
    ({ db, drop } = await openTestDatabase());
    databaseUrl = (db.pool as unknown as { options: { connectionString: string } }).options.connectionString;
    await applyMigrations(db.pool);
    await loadBundledData(db);
    dir = mkdtempSync(join(tmpdir(), 'rusdata-processes-'));
    files = writePublishFiles(dir);
  });
  afterAll(async () => {
    for (const started of processes) started.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    await drop();
  }, 180_000);

  it('a CLI publish reaches a running hub without Redis: its answers and its EventSource subscribers', async () => {
    const hub = await startHubProcess({ DATABASE_URL: databaseUrl, REDIS_URL: '' });
    processes.push(hub);
    const subscription = await subscribeOverGet(
      hub.url,
      'subscription { releasePublished(source: "mortality") { id label } }',
    );
    const events = readEvents(subscription, 20_000);
    await events.started();
    expect(await deathsOf(hub.url)).toEqual([{ year: 2024, value: 342 }]);

    const release = { label: 'CLI 2025', status: 'PRELIMINARY', publishedAt: '2026-06-15' } as const;
    const cli = await runCli(publishArgs('mortality', files.deaths, release), { DATABASE_URL: databaseUrl });
    expect(cli.output).toMatch(/published release \S+: 1 observations/);
    expect(cli.code).toBe(0);

    // The hub cached the old answer; NOTIFY from the CLI's commit clears it within a second.
    const ms = await within(1000, async () => (await deathsOf(hub.url)).length === 2);
    console.log(`PostgreSQL: the hub answered the CLI's release ${Math.round(ms)} ms after the CLI exited`);
    expect(await events.next()).toEqual({ data: { releasePublished: { id: expect.any(String), label: 'CLI 2025' } } });
    await events.close();
  }, 180_000);

  it('a CLI dry run prints what a file would change, as a table, and writes nothing', async () => {
    const releases = async () => (await db.pool.query('SELECT id FROM release ORDER BY id')).rows;
    const before = await releases();
    // CLI 2025 (published 2026-06-15) is after the dry run's date: 2025 is still added.
    const cli = await runCli(dryRunArgs(files.revised), { DATABASE_URL: databaseUrl });
    expect(cli.output).toContain(REVISED_REPORT_DRY_RUN);
    expect(cli.code).toBe(0);
    expect(await releases()).toEqual(before);
  }, 180_000);

  it('a withdrawal by a plain SQL statement reaches every running hub within a second', async () => {
    const env = { DATABASE_URL: databaseUrl };
    const hubs = await Promise.all([startHubProcess(env), startHubProcess(env)]);
    processes.push(...hubs);
    for (const hub of hubs) expect(await deathsOf(hub.url)).toContainEqual({ year: 2025, value: 355 });

    await db.pool.query(
      "UPDATE release SET withdrawn_at = now(), withdrawn_reason = 'by SQL' WHERE label = 'CLI 2025'",
    );
    for (const hub of hubs) await within(1000, async () => (await deathsOf(hub.url)).length === 1);
  }, 180_000);

  it('leaves the database exactly as before when a publish is killed while writing', async () => {
    const count = async (client: pg.Pool | pg.Client) =>
      (await client.query<{ n: number; releases: number }>(COUNTS)).rows[0]!;
    const before = await count(db.pool);

    const release = { label: 'killed', status: 'FINAL', publishedAt: '2026-11-02' } as const;
    const cli = startScript('src/cli.ts', publishArgs('wastewater', files.big, release), {
      DATABASE_URL: databaseUrl,
    });
    processes.push(cli);
    await waitFor(cli, /writing (\d{4,}|[1-9]\d{3})\/100000/); // well into the writes
    cli.kill('SIGKILL');
    await new Promise((resolve) => cli.child.once('exit', resolve));
    expect(cli.output(), 'the publish must have been killed before it finished').not.toContain('published release');

    // A fresh connection: the killed transaction left nothing behind.
    const fresh = new pg.Client({ connectionString: databaseUrl });
    await fresh.connect();
    try {
      expect(await count(fresh)).toEqual(before);
      expect((await fresh.query("SELECT id FROM release WHERE label = 'killed'")).rows).toEqual([]);
    } finally {
      await fresh.end();
    }
    // And a hub started afterwards migrates, loads and serves as before, without the release.
    const restarted = await startHubProcess({ DATABASE_URL: databaseUrl });
    processes.push(restarted);
    const labels = await releaseLabels(restarted.url, 'wastewater');
    expect(labels).not.toContain('killed');
    expect(labels.length).toBeGreaterThanOrEqual(2);
  }, 180_000);

  it('leaves the database exactly as before when the hub is killed while it writes a multipart publish', async () => {
    const count = async () => (await db.pool.query<{ n: number; releases: number }>(COUNTS)).rows[0]!;
    const before = await count();
    const hub = await startHubProcess({ DATABASE_URL: databaseUrl });
    processes.push(hub);
    const { token } = await createApiKey(db.prisma, 'EUDA', ['wastewater'], 'test');
    const form = new FormData();
    form.set(
      'operations',
      JSON.stringify({
        query:
          'mutation($file: File!) { publishRelease(source: "wastewater", file: $file, label: "killed ' +
          'hub", status: FINAL, publishedAt: "2026-11-04") { created } }',
        variables: { file: null },
      }),
    );
    form.set('map', JSON.stringify({ 0: ['variables.file'] }));
    form.set('0', new File([largeEudaFile(10_000)], 'big.csv', { type: 'text/csv' }));
    const publish = fetch(hub.url, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
    publish.catch(() => {}); // the hub dies before it answers

    // The hub is writing: its transaction holds the release row and is copying observations.
    const database = new URL(databaseUrl).pathname.slice(1);
    await within(60_000, async () => {
      const { rows } = await db.pool.query(
        "SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query LIKE 'COPY \"wastewater_observation\"%'",
        [database],
      );
      return rows.length > 0;
    });
    hub.kill('SIGKILL');
    await new Promise((resolve) => hub.child.once('exit', resolve));
    await expect(publish).rejects.toThrow();

    // PostgreSQL ends the dead connection's transaction: nothing of the release remains.
    await within(10_000, async () => {
      const { rows } = await db.pool.query("SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'COPY%'", [
        database,
      ]);
      return rows.length === 0;
    });
    expect(await count()).toEqual(before);
    expect((await db.pool.query("SELECT id FROM release WHERE label = 'killed hub'")).rows).toEqual([]);
  }, 180_000);
});
