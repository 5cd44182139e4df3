import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase } from '../src/db/database.ts';
import { createApiKey } from '../src/publishing/api-keys.ts';
import { startPgBouncer } from '../test/helpers/pgbouncer.ts';
import { createPrivateCluster, createStandby, type PrivateCluster } from '../test/helpers/private-cluster.ts';

// `npm run soak`: the reference deployment (docs/operating.md) on this machine's loopback, under
// mixed traffic for SOAK_SECONDS (default 300), then its verdict; exit 1 when a target is missed.
// - a private PostgreSQL 15 primary and a hot standby made from it (pg_basebackup -R), each in a
//   temporary folder on its own port; PgBouncer in transaction mode in front of the primary;
// - two hubs (`node dist/main.js`): DATABASE_URL through PgBouncer, DATABASE_LISTEN_URL the
//   primary directly, DATABASE_READ_URL the standby;
// - readers: public GET and POST, half asked before (answered by the HTTP cache), half new (a
//   unique unused variable); 100 subscribers to releasePublished over SSE; a release published
//   through the GraphQL API every 30 s; probes of the releases list on each hub every 50 ms; the
//   primary restarted once, in the middle.
// Targets: no error outside the restart window (its start to 5 s after PostgreSQL is back); every
// subscriber hears every release; no hub serves the releases list without a release later than
// 1 s after its publish answered; each hub's RSS grows under 10 % from the end of the warm-up
// (a fifth of the run, at most 60 s) to the end (medians over a minute, or a fifth of the run).
// Needs root (PostgreSQL and PgBouncer run as the postgres OS user); nothing leaves 127.0.0.1.

const SECONDS = Number(process.env.SOAK_SECONDS ?? 300);
const READERS = Number(process.env.SOAK_READERS ?? 8);
const SUBSCRIBERS = 100;
const PUBLISH_EVERY_MS = 30_000;
const RESTART_GRACE_MS = 5000;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const started = performance.now();
const elapsed = () => (performance.now() - started) / 1000;
const say = (line: string) => console.log(`[soak ${elapsed().toFixed(1).padStart(6)} s] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Hub {
  name: string;
  url: string;
  child: ChildProcess;
  rss: { at: number; bytes: number }[];
}

function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

async function startHub(name: string, env: Record<string, string>): Promise<Hub> {
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk;
    for (const line of String(chunk).split('\n')) if (line.trim()) process.stdout.write(`  ${name}: ${line}\n`);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const deadline = Date.now() + 180_000;
  for (;;) {
    const ready = /ready in \d+ ms: (http:\/\/\S+\/graphql)/.exec(output);
    if (ready) return { name, url: ready[1]!, child, rss: [] };
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${name} did not start:\n${output}`);
    await sleep(100);
  }
}

const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

// What the run saw.
const reads: { at: number; ms: number; ok: boolean; what: string }[] = [];
const publishes: { label: string; answeredAt: number; replayMs?: number }[] = [];
let restart: { from: number; to: number } | undefined;
let worstStale = { ageMs: 0, hub: '', label: '' };
/** Subscriptions whose stream the hub ended before the soak did. */
const dropped: string[] = [];
const inRestartWindow = (at: number) =>
  restart !== undefined &&
  at >= restart.from &&
  at <= (Number.isFinite(restart.to) ? restart.to : Number.POSITIVE_INFINITY) + RESTART_GRACE_MS;

const CACHED = [
  '{ drugDeaths(from: 2012, to: 2024) { year value } }',
  '{ regions { code name drugDeaths(from: 2020, to: 2024) { year value } } }',
  '{ prevalence(substance: ["CANNABIS"], from: 2015) { year value recall } }',
  '{ sources { id latestRelease { label } } }',
];
const NEW_QUESTIONS = [
  '{ drugDeaths(from: 2018, to: 2024, by: [SEX]) { year sex value } }',
  '{ drugDeathRates(by: [REGION]) { year value region { code } } }',
  '{ wastewater(site: ["NO001"]) { year value substance { code } } }',
];

async function read(hub: Hub, query: string, method: 'GET' | 'POST', variables?: Record<string, unknown>) {
  const at = performance.now();
  let ok = false;
  let what = '';
  try {
    const response =
      method === 'GET'
        ? await fetch(
            `${hub.url}?${new URLSearchParams({ query, ...(variables ? { variables: JSON.stringify(variables) } : {}) })}`,
            {
              signal: AbortSignal.timeout(10_000),
            },
          )
        : await fetch(hub.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query, variables }),
            signal: AbortSignal.timeout(10_000),
          });
    const body = await response.text();
    ok = response.status === 200 && !body.includes('"errors"');
    what = ok ? '' : `${hub.name} ${method} ${response.status} ${body.slice(0, 160)}`;
  } catch (error) {
    what = `${hub.name} ${method} ${(error as Error).message}`;
  }
  reads.push({ at, ms: performance.now() - at, ok, what });
}

async function reader(hubs: Hub[], index: number, until: number) {
  for (let i = index; performance.now() < until; i++) {
    // Every hub gets each kind: asked before or new, by GET or POST.
    const hub = hubs[(i >> 2) % hubs.length]!;
    const method = (i >> 1) % 2 === 0 ? 'GET' : 'POST';
    if (i % 2 === 0) await read(hub, CACHED[i % CACHED.length]!, method);
    else await read(hub, NEW_QUESTIONS[i % NEW_QUESTIONS.length]!, method, { unused: `${index}-${i}` });
  }
}

/** A subscriber to releasePublished over SSE: the labels it heard. */
function subscribe(hub: Hub, heard: string[], stop: AbortSignal): Promise<void> {
  const query = 'subscription { releasePublished { label } }';
  const drop = (why: string) => {
    if (!stop.aborted) dropped.push(`${hub.name} at ${elapsed().toFixed(1)} s: ${why}`);
  };
  return (async () => {
    try {
      const response = await fetch(`${hub.url}?${new URLSearchParams({ query })}`, {
        headers: { accept: 'text/event-stream' },
        signal: stop,
      });
      const decoder = new TextDecoder();
      const reader = response.body!.getReader();
      const next = /event: next\ndata: (.*)\n\n/;
      let buffer = '';
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        buffer += decoder.decode(chunk.value, { stream: true });
        for (let match = next.exec(buffer); match; match = next.exec(buffer)) {
          heard.push(
            (JSON.parse(match[1]!) as { data: { releasePublished: { label: string } } }).data.releasePublished.label,
          );
          buffer = buffer.slice(match.index + match[0].length);
        }
      }
      drop(`the stream ended; last bytes: ${JSON.stringify(buffer.slice(-200))}`);
    } catch (error) {
      drop(`${(error as Error).message} (${String((error as Error).cause ?? '')})`);
    }
  })();
}

const PUBLISH = `mutation Publish($file: File!, $label: String!, $publishedAt: Date!) {
  publishRelease(source: "mortality", file: $file, label: $label, status: PRELIMINARY, publishedAt: $publishedAt) { created }
}`;

async function publish(hub: Hub, token: string, number: number): Promise<string> {
  const label = `soak release ${number}`;
  const file = `measure,year,year_from,region,sex,age_group,cause,intent,value,qualifier,reference,note\nDEATHS,${2100 + number},,0,ALL,ALL,ALL,ALL,${number},EXACT,soak test,\n`;
  const form = new FormData();
  const variables = { file: null, label, publishedAt: new Date().toISOString().slice(0, 10) };
  form.set('operations', JSON.stringify({ query: PUBLISH, variables }));
  form.set('map', JSON.stringify({ 0: ['variables.file'] }));
  form.set('0', new File([file], 'deaths.csv', { type: 'text/csv' }));
  const response = await fetch(hub.url, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
  const body = await response.text();
  if (!body.includes('"created":true')) throw new Error(`publishing ${label} failed: ${body}`);
  return label;
}

/** Polls the releases list on a hub: an answer without a release later than its publish answered is stale. */
async function probe(hub: Hub, until: number) {
  const url = `${hub.url}?${new URLSearchParams({ query: '{ sources { releases { label } } }' })}`;
  while (performance.now() < until) {
    const sent = performance.now();
    try {
      const body = await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).text();
      const now = performance.now();
      for (const release of publishes) {
        if (release.answeredAt < sent && !body.includes(`"${release.label}"`) && body.includes('"data"')) {
          const ageMs = now - release.answeredAt;
          if (ageMs > worstStale.ageMs) worstStale = { ageMs, hub: hub.name, label: release.label };
        }
      }
    } catch {
      // counted by the readers
    }
    await sleep(50);
  }
}

async function replayDelay(primary: string, standby: string): Promise<number> {
  const from = performance.now();
  const version = async (url: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return Number(
        (await client.query<{ version: string }>('SELECT version::text FROM data_version')).rows[0]?.version,
      );
    } finally {
      await client.end();
    }
  };
  const target = await version(primary);
  while ((await version(standby)) < target) {
    if (performance.now() - from > 30_000) return Number.POSITIVE_INFINITY;
    await sleep(20);
  }
  return performance.now() - from;
}

async function main(): Promise<boolean> {
  say('building dist/');
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const cleanup: (() => unknown)[] = [];
  const hubs: Hub[] = [];
  try {
    const primary: PrivateCluster = await createPrivateCluster();
    cleanup.push(() => primary.remove());
    const standby = await createStandby(primary);
    cleanup.push(() => standby.remove());
    const bouncer = await startPgBouncer({ server: `127.0.0.1:${primary.port}`, poolMode: 'transaction' });
    cleanup.push(() => bouncer.stop());
    say(
      `primary :${primary.port}, standby :${standby.port} (pg_basebackup -R), PgBouncer (transaction mode) ${bouncer.url(primary.url)}`,
    );
    const env = {
      DATABASE_URL: bouncer.url(primary.url),
      DB_POOL_MODE: 'transaction',
      DATABASE_LISTEN_URL: primary.url,
      DATABASE_READ_URL: standby.url,
    };
    for (const name of ['hub-1', 'hub-2']) {
      const hub = await startHub(name, env);
      hubs.push(hub);
      cleanup.push(() => hub.child.kill('SIGTERM'));
      say(`${name} ready at ${hub.url} (pid ${hub.child.pid})`);
    }
    const admin = await openDatabase({ url: primary.url, dataDir: '', poolMax: 1 });
    const { token } = await createApiKey(admin.prisma, 'soak', ['admin'], 'soak');
    await admin.close();

    const stop = new AbortController();
    const heard = Array.from({ length: SUBSCRIBERS }, () => [] as string[]);
    const subscribers = heard.map((labels, i) => subscribe(hubs[i % hubs.length]!, labels, stop.signal));
    await sleep(1000);
    say(`${SUBSCRIBERS} subscribers to releasePublished, ${READERS} readers, for ${SECONDS} s`);

    const until = performance.now() + SECONDS * 1000;
    const warmUp = Math.min(60, SECONDS / 5);
    const traffic = [
      ...Array.from({ length: READERS }, (_, i) => reader(hubs, i, until)),
      ...hubs.map((hub) => probe(hub, until)),
    ];
    const trafficStart = performance.now();
    const sampler = setInterval(() => {
      const at = (performance.now() - trafficStart) / 1000;
      for (const hub of hubs) hub.rss.push({ at, bytes: rssOf(hub.child.pid!) });
    }, 1000);
    const restartAt = started + (elapsed() + SECONDS / 2) * 1000;
    let restarted = false;
    for (
      let number = 1, next = performance.now() + PUBLISH_EVERY_MS / 2;
      next < until - 5000;
      number++, next += PUBLISH_EVERY_MS
    ) {
      if (!restarted && restartAt < next) {
        await sleep(Math.max(0, restartAt - performance.now()));
        restart = { from: performance.now(), to: Number.POSITIVE_INFINITY };
        say('restarting the primary (pg_ctl stop -m fast, start)');
        primary.stop();
        primary.start();
        restart.to = performance.now();
        say(`the primary is back after ${Math.round(restart.to - restart.from)} ms`);
        restarted = true;
      }
      await sleep(Math.max(0, next - performance.now()));
      const label = await publish(hubs[number % hubs.length]!, token, number);
      const release = { label, answeredAt: performance.now(), replayMs: undefined as number | undefined };
      publishes.push(release);
      release.replayMs = await replayDelay(primary.url, standby.url);
      say(
        `published "${label}" through ${hubs[number % hubs.length]!.name}; the standby replayed it ${release.replayMs.toFixed(0)} ms later`,
      );
    }
    await Promise.all(traffic);
    clearInterval(sampler);
    await sleep(1000); // the last release's events
    const metrics = await (await fetch(new URL('/metrics', hubs[0]!.url))).text();
    stop.abort();
    await Promise.allSettled(subscribers);

    return report(hubs, heard, warmUp, metrics);
  } finally {
    for (const step of cleanup.reverse()) {
      try {
        await step();
      } catch (error) {
        console.error('cleanup:', (error as Error).message);
      }
    }
  }
}

function report(hubs: Hub[], heard: string[][], warmUp: number, metrics: string): boolean {
  const misses: string[] = [];
  const outside = reads.filter((read) => !inRestartWindow(read.at));
  const errors = outside.filter((read) => !read.ok);
  const during = reads.filter((read) => inRestartWindow(read.at));
  const latencies = outside
    .filter((read) => read.ok)
    .map((read) => read.ms)
    .sort((a, b) => a - b);
  console.log('\n== soak: results');
  console.log(`reads: ${reads.length} (${(reads.length / SECONDS).toFixed(0)}/s), GET and POST, half new questions`);
  console.log(`errors outside the restart window: ${errors.length}${errors[0] ? ` (e.g. ${errors[0].what})` : ''}`);
  console.log(`errors in the restart window: ${during.filter((read) => !read.ok).length} of ${during.length} reads`);
  console.log(
    `latency outside the window: p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms`,
  );
  if (errors.length) misses.push(`${errors.length} errors outside the restart window`);

  const labels = publishes.map((release) => release.label);
  const complete = heard.filter((got) => labels.every((label) => got.includes(label))).length;
  const counts = [...new Set(heard.map((got) => got.length))].sort((a, b) => a - b);
  console.log(
    `releases published: ${labels.length}; subscribers that heard every one: ${complete} of ${heard.length} (events each: ${counts.join(', ')})`,
  );
  if (complete !== heard.length || labels.length === 0) misses.push('a subscriber missed releases');
  console.log(`subscription streams ended by a hub: ${dropped.length}${dropped[0] ? ` (first: ${dropped[0]})` : ''}`);
  if (dropped.length) misses.push(`${dropped.length} subscription streams ended early`);

  console.log(
    `worst age of a served answer without a published release: ${worstStale.ageMs.toFixed(0)} ms` +
      (worstStale.hub ? ` (${worstStale.hub}, "${worstStale.label}")` : ' (none stale)'),
  );
  if (worstStale.ageMs >= 1000) misses.push('an answer older than 1 s after a release was served');
  const replays = publishes.map((release) => release.replayMs ?? Number.NaN);
  console.log(
    `standby replay after each publish: max ${Math.max(...replays).toFixed(0)} ms, mean ${(replays.reduce((a, b) => a + b, 0) / replays.length).toFixed(0)} ms`,
  );

  for (const hub of hubs) {
    // Medians over a minute (a fifth of the run at most): RSS moves by tens of MB with V8's
    // collections, a leak moves the median.
    const window = Math.min(60, SECONDS / 5);
    const median = (samples: { bytes: number }[]) => {
      const sorted = samples.map((sample) => sample.bytes).sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
    };
    const atStart = median(hub.rss.filter((sample) => sample.at >= warmUp && sample.at < warmUp + window));
    const atEnd = median(hub.rss.slice(-window));
    const growth = (atEnd / atStart - 1) * 100;
    const perMinute = hub.rss.filter((_, i) => i % 60 === 59).map((sample) => (sample.bytes / 2 ** 20).toFixed(0));
    console.log(`${hub.name} RSS at each minute: ${perMinute.join(', ')} MB`);
    console.log(
      `${hub.name} RSS: ${(atStart / 2 ** 20).toFixed(0)} MB after warm-up (median of ${warmUp}–${warmUp + window} s), ${(atEnd / 2 ** 20).toFixed(0)} MB at the end (median of the last ${window} s): ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} %`,
    );
    if (!(growth < 10)) misses.push(`${hub.name} RSS grew ${growth.toFixed(1)} %`);
  }
  console.log('hub-1 /metrics (excerpt):');
  for (const line of metrics.split('\n')) {
    if (
      /^(rusdata_(http_cache_requests_total|db_pool_connections|data_version|release_listener_hearing|subscriptions_open)|nodejs_heap_size_used_bytes)/.test(
        line,
      )
    ) {
      console.log(`  ${line}`);
    }
  }
  console.log(misses.length ? `\nFAILED: ${misses.join('; ')}` : '\nall targets met');
  return misses.length === 0;
}

const watchdog = setTimeout(
  () => {
    console.error(`the soak did not end within ${SECONDS + 600} s`);
    process.exit(1);
  },
  (SECONDS + 600) * 1000,
);
watchdog.unref();
const passed = await main().catch((error: Error) => {
  console.error(error);
  return false;
});
process.exit(passed ? 0 : 1);
