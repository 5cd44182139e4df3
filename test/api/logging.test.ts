import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../helpers/hub.ts';
import { type Started, startHubProcess } from '../helpers/processes.ts';

// LOG_FORMAT=json: a hub process writes one JSON object a line (pino), and every request gets an
// id, returned as x-request-id and carried by its log line. The embedded database would need a
// folder of its own: the hub runs on a PostgreSQL database made for this test, or is skipped.

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) console.warn('skipped: LOG_FORMAT=json in a hub process runs on PostgreSQL only (DATABASE_URL unset)');

describe.skipIf(!serverUrl)('LOG_FORMAT=json', () => {
  let hub: Started & { url: string };
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const test = await openTestDatabase();
    drop = test.drop;
    const url = (test.db.pool.options as { connectionString: string }).connectionString;
    hub = await startHubProcess({ DATABASE_URL: url, LOG_FORMAT: 'json' });
  }, 300_000);
  afterAll(async () => {
    hub?.kill();
    await drop?.();
  });

  const lines = () =>
    hub
      .output()
      .split('\n')
      .filter((line) => line.trim());

  it('writes only JSON lines, the start among them', () => {
    const parsed = lines().map((line) => JSON.parse(line) as { msg?: string; level: number; time: string });
    expect(parsed.some((line) => line.msg?.startsWith('ready in '))).toBe(true);
    expect(parsed.every((line) => typeof line.level === 'number' && typeof line.time === 'string')).toBe(true);
  });

  it('answers with a new request id and logs the request under it', async () => {
    const response = await fetch(`${hub.url}?query=%7Bregions%7Bcode%7D%7D`);
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await expect.poll(() => lines().some((line) => line.includes(`"reqId":"${id}"`))).toBe(true);
    const logged = JSON.parse(lines().find((line) => line.includes(`"reqId":"${id}"`))!);
    expect(logged).toMatchObject({ reqId: id, msg: 'request', method: 'GET', path: '/graphql', status: 200 });
  });

  it('keeps an incoming x-request-id, also on an answer from the HTTP cache', async () => {
    for (const id of ['edge-1234', 'edge-5678']) {
      const response = await fetch(`${hub.url}?query=%7Bsources%7Bid%7D%7D`, { headers: { 'x-request-id': id } });
      expect(response.headers.get('x-request-id')).toBe(id);
      await expect.poll(() => lines().some((line) => line.includes(`"reqId":"${id}"`))).toBe(true);
    }
  });
});
