import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
import { type Started, startHubProcess, startScript, waitFor } from '../helpers/processes.ts';
import { readEvents } from '../helpers/sse.ts';

// Whole processes against the machine's PostgreSQL and Redis: several hubs share a database and
// a Redis, and a publish may be killed half-way. The embedded database serves one process only.
const serverUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe.runIf(serverUrl)('hub processes on PostgreSQL', () => {
  let db: Database;
  let drop: () => Promise<void>;
  let databaseUrl: string;
  let dir: string;
  const processes: Started[] = [];

  beforeAll(async () => {
    ({ db, drop } = await openTestDatabase());
    databaseUrl = (db.pool as unknown as { options: { connectionString: string } }).options.connectionString;
    await applyMigrations(db.pool);
    await loadBundledData(db);
    dir = mkdtempSync(join(tmpdir(), 'rusdata-processes-'));
  });
  afterAll(async () => {
    for (const started of processes) started.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    await drop();
  });

  it('delivers a release published on one hub to a subscriber of another, through Redis', async () => {
    const env = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl };
    const [first, second] = await Promise.all([startHubProcess(env), startHubProcess(env)]);
    processes.push(first, second);
    const subscription = await fetch(first.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { releasePublished(source: "mortality") { id } }' }),
    });
    const events = readEvents(subscription, 20_000);
    await events.started();
    const deaths2025 = async () =>
      (
        (await (
          await fetch(first.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: '{ drugDeaths(from: 2024, to: 2025) { year value } }' }),
          })
        ).json()) as {
          data: { drugDeaths: { year: number; value: number }[] };
        }
      ).data.drugDeaths;
    expect(await deaths2025()).toEqual([{ year: 2024, value: 342 }]); // the first hub caches this answer

    const { token } = await createApiKey(db.prisma, 'FHI', ['mortality'], 'test');
    const form = new FormData();
    form.set(
      'operations',
      JSON.stringify({
        query:
          'mutation($file: File!) { publishRelease(source: "mortality", file: $file, label: "two hubs", status: FINAL, publishedAt: "2026-11-01") { release { id } } }',
        variables: { file: null },
      }),
    );
    form.set('map', JSON.stringify({ 0: ['variables.file'] }));
    form.set(
      '0',
      new File(
        [
          'measure,year,year_from,region,sex,age_group,cause,intent,value,qualifier,reference,note\nDEATHS,2025,,0,ALL,ALL,ALL,ALL,355,EXACT,two hubs,\n',
        ],
        'deaths.csv',
        { type: 'text/csv' },
      ),
    );
    const published = (await (
      await fetch(second.url, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } })
    ).json()) as {
      data: { publishRelease: { release: { id: string } } };
    };
    const releaseId = published.data.publishRelease.release.id;

    expect(await events.next()).toEqual({ data: { releasePublished: { id: releaseId } } });
    await events.close();
    // The same event cleared the first hub's cached answers: it answers the new year at once.
    expect(await deaths2025()).toEqual([
      { year: 2024, value: 342 },
      { year: 2025, value: 355 },
    ]);
  });

  it('leaves the database exactly as before when a publish is killed while writing', async () => {
    // A 100 000-observation release in EUDA's layout (10 000 rows of 10 values).
    const file = join(dir, 'big.csv');
    writeFileSync(file, largeEudaFile(10_000));
    const count = async (client: pg.Pool | pg.Client) =>
      (
        await client.query<{ n: number; releases: number }>(
          'SELECT (SELECT count(*)::int FROM wastewater_observation) AS n, (SELECT count(*)::int FROM release) AS releases',
        )
      ).rows[0]!;
    const before = await count(db.pool);

    const cli = startScript(
      'src/cli.ts',
      ['publish', 'wastewater', file, '--label', 'killed', '--status', 'FINAL', '--published-at', '2026-11-02'],
      { DATABASE_URL: databaseUrl },
    );
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
    const answer = (await (
      await fetch(restarted.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ sources { id releases { label } } }' }),
      })
    ).json()) as { data: { sources: { id: string; releases: { label: string }[] }[] } };
    const labels = answer.data.sources
      .find((source) => source.id === 'wastewater')!
      .releases.map((release) => release.label);
    expect(labels).not.toContain('killed');
    expect(labels.length).toBeGreaterThanOrEqual(2);
  });
});
