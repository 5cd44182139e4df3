import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { type LockHolder, lockFileOf, readLockHolder } from '../../src/db/folder-lock.ts';
import { applyMigrations } from '../../src/db/migrate.ts';
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

// Whole hub and CLI processes on one embedded data folder (the embedded pass, DATABASE_URL unset):
// one process owns the folder, the CLI writes through the running hub, and a process killed in
// the middle of a publish leaves a folder that opens without the release.
const embedded = !process.env.DATABASE_URL;

/**
 * On a quiet machine PGlite stores 100 000 rows in well under a second, faster than a kill can
 * follow the first progress line. A row trigger that burns a little CPU (about 0.3 ms a row) on
 * the made-up years of big.csv makes its publish take seconds, so the kill lands mid-write; the
 * bundled data (real years) is not slowed.
 */
/** How long after a publish starts its (slowed) write is surely under way and not yet done. */
const WRITE_UNDER_WAY_MS = 8000;

async function slowDownMadeUpYears(dataDir: string): Promise<void> {
  const db = await openDatabase({ dataDir, poolMax: 1, role: 'cli' });
  try {
    await applyMigrations(db.pool);
    await db.pool.query(
      'CREATE FUNCTION test_slow_row() RETURNS trigger LANGUAGE plpgsql AS ' +
        '$$ BEGIN PERFORM count(*) FROM generate_series(1, 1000); RETURN NEW; END $$',
    );
    await db.pool.query(
      'CREATE TRIGGER test_slow_made_up_years BEFORE INSERT ON wastewater_observation ' +
        'FOR EACH ROW WHEN (NEW.year < 1990) EXECUTE FUNCTION test_slow_row()',
    );
  } finally {
    await db.close();
  }
}

describe.runIf(embedded)('hub and CLI processes on one embedded data folder', () => {
  let dir: string;
  let dataDir: string;
  let env: Record<string, string>;
  let files: { deaths: string; big: string; revised: string };
  let hub: Started & { url: string };
  const processes: Started[] = [];

  /** Opens the folder in this process (taking over a stale lock) and reads what the killed publish left. */
  const leftovers = async () => {
    // The killed process group may take a moment to be torn down after its leader exited.
    await within(10_000, async () => readLockHolder(dataDir) === undefined);
    const db = await openDatabase({ dataDir, poolMax: 1, role: 'cli' });
    try {
      const { rows } = await db.pool.query<{ observations: number; releases: number }>(
        'SELECT (SELECT count(*)::int FROM wastewater_observation WHERE year NOT BETWEEN 1990 AND 2030) ' +
          "AS observations, (SELECT count(*)::int FROM release WHERE label LIKE 'killed%') AS releases",
      );
      return rows[0];
    } finally {
      await db.close();
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rusdata-embedded-processes-'));
    dataDir = join(dir, 'data');
    env = { DATABASE_URL: '', DATA_DIR: dataDir };
    files = writePublishFiles(dir);
    await slowDownMadeUpYears(dataDir);
    hub = await startHubProcess(env);
    processes.push(hub);
  });
  afterAll(() => {
    for (const started of processes) started.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second hub on the same data folder at once, naming the process that holds it', async () => {
    const holder = JSON.parse(readFileSync(lockFileOf(dataDir), 'utf8')) as LockHolder;
    expect(statSync(lockFileOf(dataDir)).mode & 0o777).toBe(0o600);
    const second = startScript('src/main.ts', [], { ...env, PORT: '0', HOST: '127.0.0.1' });
    processes.push(second);
    const code = await new Promise((resolve) => second.child.once('exit', resolve));
    expect(code).toBe(1);
    expect(second.output()).toContain(`is in use by process ${holder.pid} (a hub, npm start`);
    expect(second.output()).not.toMatch(/ready in/);
  }, 180_000);

  it('hands a CLI publish to the running hub, which answers the new release at once', async () => {
    const subscription = await subscribeOverGet(hub.url, 'subscription { releasePublished { label } }');
    const events = readEvents(subscription, 30_000);
    await events.started();
    expect(await deathsOf(hub.url)).toEqual([{ year: 2024, value: 342 }]);

    const release = { label: 'CLI 2025', status: 'FINAL', publishedAt: '2026-06-15' } as const;
    const cli = await runCli(publishArgs('mortality', files.deaths, release), env);
    expect(cli.output).toContain('handing the command to it');
    expect(cli.output).toMatch(/published release \S+: 1 observations/);
    expect(cli.code).toBe(0);
    const ms = await within(1000, async () => (await deathsOf(hub.url)).length === 2);
    console.log(`embedded: the hub answered the CLI's release ${Math.round(ms)} ms after the CLI exited`);
    expect(await events.next()).toEqual({ data: { releasePublished: { label: 'CLI 2025' } } });
    await events.close();

    const keys = await runCli(['keys', 'create', 'FHI', '--scope', 'mortality'], env);
    expect(keys.output).toMatch(/created key [0-9a-f]{12} "FHI" with scopes mortality/);
  }, 180_000);

  it('hands a CLI dry run to the running hub, which prints what the file would change and writes nothing', async () => {
    const before = await releaseLabels(hub.url);
    // CLI 2025 (published 2026-06-15) is after the dry run's date: 2025 is still added.
    const cli = await runCli(dryRunArgs(files.revised), env);
    expect(cli.output).toContain('handing the command to it');
    expect(cli.output).toContain(REVISED_REPORT_DRY_RUN);
    expect(cli.code).toBe(0);
    expect(await releaseLabels(hub.url)).toEqual(before);
  }, 180_000);

  it('keeps no partial release when the hub is killed with -9 in the middle of a publish', async () => {
    const release = { label: 'killed hub', status: 'FINAL', publishedAt: '2026-11-02' } as const;
    const cli = startScript('src/cli.ts', publishArgs('wastewater', files.big, release), env);
    processes.push(cli);
    // PGlite runs in the hub's own thread, so progress lines only leave it after the write: kill by
    // time instead, well inside the slowed write (parsing takes a second or two, the write 15 s+).
    await waitFor(cli, /handing the command to it/, 120_000);
    await new Promise((resolve) => setTimeout(resolve, WRITE_UNDER_WAY_MS));
    hub.kill('SIGKILL');
    await new Promise((resolve) => cli.child.once('exit', resolve));
    expect(cli.output(), 'the publish must have been killed before it finished').not.toContain('published release');
    expect(cli.output()).toContain('the running hub stopped before it answered');

    expect(await leftovers()).toEqual({ observations: 0, releases: 0 });
  }, 300_000);

  it('runs a CLI dry run on the folder itself when no hub runs, and writes nothing', async () => {
    const releases = async () => {
      const db = await openDatabase({ dataDir, poolMax: 1, role: 'cli' });
      try {
        return (await db.pool.query('SELECT id FROM release ORDER BY id')).rows;
      } finally {
        await db.close();
      }
    };
    await within(10_000, async () => readLockHolder(dataDir) === undefined); // the killed hub is gone
    const before = await releases();
    const cli = await runCli(dryRunArgs(files.revised), env);
    expect(cli.output).not.toContain('handing the command to it');
    expect(cli.output).toContain(REVISED_REPORT_DRY_RUN);
    expect(cli.code).toBe(0);
    expect(await releases()).toEqual(before);
  }, 180_000);

  it('keeps no partial release when the CLI that owns the folder is killed with -9 in the middle of a publish', async () => {
    const release = { label: 'killed cli', status: 'FINAL', publishedAt: '2026-11-03' } as const;
    const cli = startScript('src/cli.ts', publishArgs('wastewater', files.big, release), env);
    processes.push(cli);
    await within(120_000, async () => readLockHolder(dataDir)?.role === 'cli');
    await new Promise((resolve) => setTimeout(resolve, WRITE_UNDER_WAY_MS));
    cli.kill('SIGKILL');
    await new Promise((resolve) => cli.child.once('exit', resolve));
    expect(cli.output()).not.toContain('published release');

    expect(await leftovers()).toEqual({ observations: 0, releases: 0 });
    // A hub started afterwards takes over the stale lock and serves, without the release.
    const restarted = await startHubProcess(env);
    processes.push(restarted);
    const labels = await releaseLabels(restarted.url);
    expect(labels).toContain('CLI 2025');
    expect(labels.filter((label) => label.startsWith('killed'))).toEqual([]);
  }, 300_000);
});
