import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/server/yoga.ts';
import { useServedTestHub } from '../helpers/hub.ts';

// The direct route (src/server/direct-queries.ts): a public query the server has answered without
// errors runs again compiled, without Yoga, and its answer is the server's to the byte. With the
// response cache off, every request after the first reaches it.

const { hub, origin } = useServedTestHub({ limits: { ...DEFAULT_LIMITS, RESPONSE_CACHE_TTL_MS: 0 } });

async function post(body: Record<string, unknown>) {
  const response = await fetch(`${origin()}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return answerOf(response);
}

async function answerOf(response: Response) {
  const headers = Object.fromEntries([...response.headers].filter(([name]) => name !== 'date'));
  return { status: response.status, headers, body: await response.text() };
}

/** How many public requests the HTTP cache sent each way (rusdata_http_cache_requests_total). */
async function routes(): Promise<{ direct: number; miss: number }> {
  const text = await (await hub.hub.fetch('http://rusdata.test/metrics')).text();
  const count = (result: string) =>
    Number(new RegExp(`^rusdata_http_cache_requests_total\\{result="${result}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return { direct: count('direct'), miss: count('miss') };
}

describe('the direct route', () => {
  it("answers a query the server has answered, with the server's status, headers and bytes", async () => {
    const query = { query: '{ regions { code name drugDeaths(from: 2020, to: 2024) { year value } } }' };
    const before = await routes();
    const fromServer = await post(query);
    const direct = [await post(query), await post(query)];
    expect(await routes()).toEqual({ direct: before.direct + 2, miss: before.miss + 1 });
    expect(fromServer.status).toBe(200);
    expect(fromServer.headers.etag).toMatch(/^"/);
    expect(fromServer.headers['cache-control']).toBe('public, max-age=60');
    for (const answer of direct) expect(answer).toEqual(fromServer);
  });

  it('answers over GET too, with the same ETag, and a 304 to it', async () => {
    const url = `${origin()}/graphql?${new URLSearchParams({ query: '{ drugDeaths(from: 2023, to: 2024) { year value } }' })}`;
    const fromServer = await answerOf(await fetch(url));
    const before = await routes();
    const direct = await answerOf(await fetch(url));
    expect((await routes()).direct).toBe(before.direct + 1);
    expect(direct).toEqual(fromServer);
    const revalidated = await fetch(url, { headers: { 'if-none-match': String(fromServer.headers.etag) } });
    expect(revalidated.status).toBe(304);
  });

  it("runs the query with each request's variables", async () => {
    const query = 'query Deaths($region: [ID!]) { drugDeaths(region: $region, from: 2024, to: 2024) { value } }';
    await post({ query, variables: { region: ['0'] } });
    const before = await routes();
    const oslo = JSON.parse((await post({ query, variables: { region: ['03'] } })).body);
    expect((await routes()).direct).toBe(before.direct + 1);
    expect(oslo).toEqual(await hub.query(query, { region: ['03'] }));
    expect(oslo.data.drugDeaths).toHaveLength(1);
  });

  it('leaves an answer with an error to the server, which formats it', async () => {
    const query = 'query Deaths($region: [ID!]) { drugDeaths(region: $region, from: 2024, to: 2024) { value } }';
    await post({ query, variables: { region: ['0'] } });
    const before = await routes();
    const refused = await post({ query, variables: { region: ['99'] } });
    expect(await routes()).toEqual({ direct: before.direct, miss: before.miss + 1 });
    expect(JSON.parse(refused.body).errors).toMatchObject([
      { message: expect.stringContaining('99'), extensions: { code: 'UNKNOWN_CODE' } },
    ]);
  });

  it('leaves requests with extensions (persisted queries) to the server', async () => {
    const query = '{ drugDeaths(from: 2021, to: 2021) { value } }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const persisted = { query, extensions: { persistedQuery: { version: 1, sha256Hash } } };
    await post(persisted);
    const before = await routes();
    const again = await post(persisted);
    expect(await routes()).toEqual({ direct: before.direct, miss: before.miss + 1 });
    expect(JSON.parse(again.body)).toEqual({ data: { drugDeaths: [{ value: expect.any(Number) }] } });
  });
});
