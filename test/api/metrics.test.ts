import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTestHub } from '../helpers/hub.ts';
import { readEvents } from '../helpers/sse.ts';

// GET /metrics: Prometheus text format (prom-client), checked by Prometheus's own promtool, and
// counters that move with what the hub does.

const hub = useTestHub();
const PROMTOOL = '/usr/bin/promtool';

async function metrics(): Promise<string> {
  const response = await hub.hub.fetch('http://rusdata.test/metrics');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** The value of one series: a metric name and labels that must all match (others may be present). */
function seriesValue(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k, v]));
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) return Number(match[3]);
  }
  return 0;
}

const get = (query: string, headers: Record<string, string> = {}) =>
  hub.hub.fetch(`http://rusdata.test/graphql?${new URLSearchParams({ query })}`, { headers });

describe('GET /metrics', () => {
  it.skipIf(!existsSync(PROMTOOL))('passes promtool check metrics', async () => {
    await get('query MetricsLint { drugDeaths(from: 2024, to: 2024) { value } }');
    const checked = spawnSync(PROMTOOL, ['check', 'metrics'], { input: await metrics(), encoding: 'utf8' });
    expect(checked.stdout + checked.stderr).toBe('');
    expect(checked.status).toBe(0);
  });

  it('counts a miss, a hit and a 304 of the HTTP cache', async () => {
    const query = '{ drugDeaths(from: 2022, to: 2022) { value } }';
    const before = await metrics();
    const first = await get(query);
    await get(query);
    await get(query, { 'if-none-match': first.headers.get('etag')! });
    const after = await metrics();
    for (const result of ['miss', 'hit', 'not_modified']) {
      expect(seriesValue(after, 'rusdata_http_cache_requests_total', { result }), result).toBe(
        seriesValue(before, 'rusdata_http_cache_requests_total', { result }) + 1,
      );
    }
  });

  it('counts GraphQL requests by operation name and outcome, with their durations', async () => {
    const ok = { operation: 'DeathsIn2021', type: 'query', outcome: 'ok' };
    const refused = { operation: 'UnknownRegion', type: 'query', outcome: 'user_error' };
    const before = await metrics();
    await hub.query('query DeathsIn2021 { drugDeaths(from: 2021, to: 2021) { value } }');
    await hub.query('query UnknownRegion { drugDeaths(region: ["99"]) { value } }');
    const after = await metrics();
    expect(seriesValue(after, 'rusdata_graphql_requests_total', ok)).toBe(
      seriesValue(before, 'rusdata_graphql_requests_total', ok) + 1,
    );
    expect(seriesValue(after, 'rusdata_graphql_requests_total', refused)).toBe(
      seriesValue(before, 'rusdata_graphql_requests_total', refused) + 1,
    );
    expect(seriesValue(after, 'rusdata_graphql_request_duration_seconds_count', { operation: 'DeathsIn2021' })).toBe(
      seriesValue(before, 'rusdata_graphql_request_duration_seconds_count', { operation: 'DeathsIn2021' }) + 1,
    );
  });

  it('shows the pool, the data version and its age', async () => {
    const text = await metrics();
    const database = hub.db.kind === 'embedded' ? 'embedded' : 'primary';
    expect(seriesValue(text, 'rusdata_db_pool_connections', { database, state: 'total' })).toBeGreaterThan(0);
    expect(seriesValue(text, 'rusdata_data_version')).toBe(Number(hub.hub.events.snapshot().heard));
    expect(seriesValue(text, 'rusdata_release_event_age_seconds')).toBeGreaterThan(0);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  it('counts open subscriptions', async () => {
    const opened = async () => seriesValue(await metrics(), 'rusdata_subscriptions_open');
    const before = await opened();
    const response = await hub.hub.fetch(
      `http://rusdata.test/graphql?${new URLSearchParams({ query: 'subscription { releasePublished { label } }' })}`,
      { headers: { accept: 'text/event-stream' } },
    );
    const events = readEvents(response);
    await events.started();
    expect(await opened()).toBe(before + 1);
    await events.close();
    await expect.poll(opened).toBe(before);
  });
});
