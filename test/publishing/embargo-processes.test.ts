import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { applyMigrations } from '../../src/db/migrate.ts';
import { loadBundledData } from '../../src/publishing/bundled.ts';
import { openTestDatabase } from '../helpers/hub.ts';
import {
  DEATHS_2024_2025,
  publishArgs,
  runCli,
  type Started,
  startHubProcess,
  subscribeOverGet,
  within,
  writePublishFiles,
} from '../helpers/processes.ts';
import { deathsFile } from '../helpers/publishing.ts';
import { readEvents } from '../helpers/sse.ts';

// The release calendar on the real clock, in whole processes: a release the CLI loads ahead stays
// out of every answer and ETag until its instant, then every running hub serves it within a
// second, with no write and no restart, and announces it then.

const serverUrl = process.env.DATABASE_URL;
const IN_A_DAY = () => new Date(Date.now() + 86_400_000).toISOString();
const YESTERDAY = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
/** Seconds ahead of now at which the tests move a release's instant: long enough to look at it first. */
const LEAD_MS = 5000;

interface Answer {
  etag: string;
  maxAge: number;
  years: number[];
}

async function deathsAnswer(url: string): Promise<Answer> {
  const response = await fetch(`${url}?${new URLSearchParams({ query: DEATHS_2024_2025 })}`);
  const body = (await response.json()) as { data: { drugDeaths: { year: number }[] } };
  const maxAge = /max-age=(\d+)/.exec(response.headers.get('cache-control') ?? '');
  return {
    etag: response.headers.get('etag') ?? '',
    maxAge: maxAge ? Number(maxAge[1]) : Number.NaN,
    years: body.data.drugDeaths.map(({ year }) => year),
  };
}

const RESCHEDULE = `mutation($id: ID!, $publicFrom: DateTime!) {
  rescheduleRelease(id: $id, publicFrom: $publicFrom) { publicFrom }
}`;

/** Moves a release's instant over the API (a CLI process takes seconds to start on a loaded machine). */
async function rescheduleOverApi(url: string, token: string, id: string, publicFrom: Date): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: RESCHEDULE, variables: { id, publicFrom: publicFrom.toISOString() } }),
  });
  const body = (await response.json()) as { errors?: unknown[] };
  expect(body.errors).toBeUndefined();
}

/**
 * Loads DEATHS_2025 ahead with the CLI (public in a day), then moves its instant LEAD_MS ahead and
 * checks every hub until then and after: returns how many ms after the instant each hub first
 * served 2025, and when the subscriber on the first hub heard of it.
 */
async function releaseAtItsInstant(hubs: { url: string }[], env: Record<string, string>, file: string, token: string) {
  const subscription = await subscribeOverGet(
    hubs[0]!.url,
    'subscription { releasePublished(source: "mortality") { label } }',
  );
  const events = readEvents(subscription, 60_000);
  await events.started();
  const before = await Promise.all(hubs.map(({ url }) => deathsAnswer(url)));

  const release = { label: 'Embargoed 2025', status: 'FINAL', publishedAt: YESTERDAY() } as const;
  const cli = await runCli([...publishArgs('mortality', file, release), '--public-from', IN_A_DAY()], env);
  expect(cli.output).toMatch(/under embargo until/);
  expect(cli.code).toBe(0);
  const id = /published release (\S+):/.exec(cli.output)![1]!;

  const instant = new Date(Date.now() + LEAD_MS);
  await rescheduleOverApi(hubs[0]!.url, token, id, instant);
  const heard = events.next().then((event) => ({ event, at: Date.now() }));

  // Until the instant: the same answer under the same ETag, cached no longer than the time left.
  while (Date.now() < instant.getTime() - 300) {
    for (const [index, { url }] of hubs.entries()) {
      const answer = await deathsAnswer(url);
      expect(answer.years).toEqual(before[index]!.years);
      expect(answer.etag).toBe(before[index]!.etag);
      expect(answer.maxAge).toBeLessThanOrEqual(Math.ceil((instant.getTime() - Date.now()) / 1000));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // After it: every hub serves 2025 under a new ETag within a second.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, instant.getTime() - Date.now())));
  const servedAfterMs = await Promise.all(
    hubs.map(async ({ url }, index) => {
      await within(1000, async () => {
        const answer = await deathsAnswer(url);
        return answer.years.includes(2025) && answer.etag !== before[index]!.etag;
      });
      return Date.now() - instant.getTime();
    }),
  );
  const { event, at } = await heard;
  expect(event).toEqual({ data: { releasePublished: { label: 'Embargoed 2025' } } });
  expect(at).toBeGreaterThanOrEqual(instant.getTime());
  await events.close();
  console.log(
    `release ${id} public from ${instant.toISOString()}: served by each hub ${servedAfterMs.join(' ms, ')} ms ` +
      `after the instant; releasePublished heard ${at - instant.getTime()} ms after it`,
  );
  return { id, instant };
}

/** A key scoped to mortality, made by the CLI; returns its token. */
async function createKey(env: Record<string, string>): Promise<string> {
  const cli = await runCli(['keys', 'create', 'FHI', '--scope', 'mortality'], env);
  const token = /store it now\):\n(\S+)/.exec(cli.output)?.[1];
  expect(token, cli.output).toBeDefined();
  return token!;
}

describe.runIf(serverUrl)('the release calendar on the real clock, two hub processes on PostgreSQL', () => {
  let db: Database;
  let drop: () => Promise<void>;
  let env: Record<string, string>;
  let dir: string;
  const processes: Started[] = [];

  beforeAll(async () => {
    ({ db, drop } = await openTestDatabase());
    env = { DATABASE_URL: (db.pool as unknown as { options: { connectionString: string } }).options.connectionString };
    await applyMigrations(db.pool);
    await loadBundledData(db);
    dir = mkdtempSync(join(tmpdir(), 'rusdata-embargo-processes-'));
  });
  afterAll(async () => {
    for (const started of processes) started.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    await drop();
  }, 180_000);

  it('serves a release loaded ahead on every hub within a second of its instant, and on a hub started after it', async () => {
    const hubs = await Promise.all([startHubProcess(env), startHubProcess(env)]);
    processes.push(...hubs);
    await releaseAtItsInstant(hubs, env, writePublishFiles(dir).deaths, await createKey(env));

    const late = await startHubProcess(env);
    processes.push(late);
    expect((await deathsAnswer(late.url)).years).toContain(2025);
  }, 240_000);

  it('moves a release with the CLI, which the calendar shows', async () => {
    const hub = await startHubProcess(env);
    processes.push(hub);
    const release = { label: 'Moved by the CLI', status: 'FINAL', publishedAt: YESTERDAY() } as const;
    const file = join(dir, 'deaths-2026.csv');
    writeFileSync(file, deathsFile([[2026, 401]]));
    const published = await runCli([...publishArgs('mortality', file, release), '--public-from', IN_A_DAY()], env);
    const id = /published release (\S+):/.exec(published.output)![1]!;
    const moved = '2030-01-02T07:00:00.000Z';
    const cli = await runCli(['reschedule', id, '--public-from', '2030-01-02T08:00:00+01:00'], env);
    expect(cli.output).toContain(`release ${id} (Moved by the CLI) is public from ${moved}`);
    expect(cli.code).toBe(0);
    const calendar = await fetch(
      `${hub.url}?${new URLSearchParams({ query: '{ releaseCalendar(source: ["mortality"]) { id publicFrom } }' })}`,
    );
    const body = (await calendar.json()) as { data: { releaseCalendar: { id: string; publicFrom: string }[] } };
    expect(body.data.releaseCalendar).toContainEqual({ id, publicFrom: moved });

    const refused = await runCli(['reschedule', id, '--public-from', '2030-01-02'], env);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain('--public-from must be an ISO 8601 date and time with an offset');
  }, 240_000);
});

describe.runIf(!serverUrl)('the release calendar on the real clock, a hub process on the embedded database', () => {
  let dir: string;
  let env: Record<string, string>;
  const processes: Started[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rusdata-embargo-embedded-'));
    env = { DATABASE_URL: '', DATA_DIR: join(dir, 'data') };
  });
  afterAll(() => {
    for (const started of processes) started.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a release loaded ahead within a second of its instant, and again after a restart', async () => {
    const hub = await startHubProcess(env);
    processes.push(hub);
    await releaseAtItsInstant([hub], env, writePublishFiles(dir).deaths, await createKey(env));

    hub.kill('SIGTERM');
    await new Promise((resolve) => hub.child.once('exit', resolve));
    const restarted = await startHubProcess(env);
    processes.push(restarted);
    expect((await deathsAnswer(restarted.url)).years).toContain(2025);
  }, 240_000);
});
