import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHub, DEFAULT_LIMITS } from '../../src/server/yoga.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { deathsFile, keyFor, upload } from '../helpers/publishing.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({ limits: { ...DEFAULT_LIMITS, CACHE_MAX_AGE_SECONDS: 120 } });
});
afterAll(() => hub.close());

const QUERY = '{ drugDeaths(from: 2024, to: 2025) { year value } }';
const get = (query: string, headers: Record<string, string> = {}, target = hub.hub) =>
  target.fetch(`http://rusdata.test/graphql?${new URLSearchParams({ query })}`, {
    headers: { accept: 'application/graphql-response+json', ...headers },
  });
const post = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  hub.hub.fetch('http://rusdata.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify(body),
  });

describe('HTTP caching of public answers', () => {
  it('gives another database at the same data version other ETags (an ETag names the database)', {
    timeout: 180_000,
  }, async () => {
    const other = await startTestHub();
    try {
      const [mine, theirs] = await Promise.all(
        [hub, other].map(
          async ({ db }) => (await db.pool.query('SELECT version::text AS v FROM data_version')).rows[0],
        ),
      );
      expect(theirs).toEqual(mine);
      const here = (await get(QUERY)).headers.get('etag');
      expect((await get(QUERY, {}, other.hub)).headers.get('etag')).not.toBe(here);
    } finally {
      await other.close();
    }
  });

  it('gives a public GET answer an ETag and the configured Cache-Control', async () => {
    const response = await get(QUERY);
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toMatch(/^"[\w-]{43}"$/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=120');
  });

  it('answers 304 without a body to a GET whose If-None-Match names the current ETag', async () => {
    const etag = (await get(QUERY)).headers.get('etag')!;
    const again = await get(QUERY, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
  });

  it('answers 304 to a POST whose If-None-Match names the current ETag', async () => {
    const etag = (await post({ query: QUERY })).headers.get('etag')!;
    expect(etag).toBeTruthy();
    expect((await post({ query: QUERY }, { 'if-none-match': etag })).status).toBe(304);
  });

  it('never caches an answer to a request with a key publicly', async () => {
    const token = await keyFor(hub, 'mortality');
    const response = await get(QUERY, { authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('etag')).toBeNull();
  });

  it('keeps a repeated answer (served from the cache) and a 304 public, with the same ETag', async () => {
    const first = await post({ query: '{ drugDeaths(from: 2023, to: 2024) { year value } }' });
    const repeated = await post({ query: '{ drugDeaths(from: 2023, to: 2024) { year value } }' });
    const revalidated = await post(
      { query: '{ drugDeaths(from: 2023, to: 2024) { year value } }' },
      { 'if-none-match': first.headers.get('etag')! },
    );
    expect(first.headers.get('cache-control')).toBe('public, max-age=120');
    expect(repeated.headers.get('cache-control')).toBe('public, max-age=120');
    expect(repeated.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('cache-control')).toBe('public, max-age=120');
  });

  it('serves a repeated query from the cache without SQL, and a release changes its ETag and answer', async () => {
    const first = await get(QUERY);
    const etag = first.headers.get('etag')!;
    expect(await first.json()).toEqual({ data: { drugDeaths: [{ year: 2024, value: 342 }] } });
    hub.statements.length = 0;
    const cached = await get(QUERY);
    expect(cached.status).toBe(200);
    expect(hub.statements).toEqual([]);
    expect(cached.headers.get('etag')).toBe(etag);
    expect(cached.headers.get('cache-control')).toBe('public, max-age=120');

    const announced = hub.hub.events.subscribe('release:changed').next();
    await upload(hub, { content: deathsFile([[2025, 351]]), token: await keyFor(hub, 'mortality') });
    await announced;
    const after = await get(QUERY, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(await after.json()).toEqual({
      data: {
        drugDeaths: [
          { year: 2024, value: 342 },
          { year: 2025, value: 351 },
        ],
      },
    });
  });

  it('gives the same ETag on two hubs over one database (replicas agree), after a release too', async () => {
    const replica = createHub(hub.db);
    await replica.events.ready;
    try {
      const here = (await get(QUERY)).headers.get('etag');
      const there = (await get(QUERY, {}, replica)).headers.get('etag');
      expect(there).toBe(here);
    } finally {
      await replica.events.close();
    }
  });
});

describe('automatic persisted queries (Apollo convention)', () => {
  const query = '{ sources { id } }';
  const sha256Hash = createHash('sha256').update(query).digest('hex');
  const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash } });

  it('answers an unknown hash over GET with PersistedQueryNotFound', async () => {
    const unknown = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } });
    const response = await hub.hub.fetch(`http://rusdata.test/graphql?${new URLSearchParams({ extensions: unknown })}`);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]).toMatchObject({
      message: 'PersistedQueryNotFound',
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
    });
  });

  it('answers the hash alone over GET once the query was sent with it', async () => {
    const registered = await post({ query, extensions: JSON.parse(extensions) });
    expect(registered.status).toBe(200);
    const response = await hub.hub.fetch(`http://rusdata.test/graphql?${new URLSearchParams({ extensions })}`);
    const body = (await response.json()) as { data: { sources: { id: string }[] } };
    expect(body.data.sources.map((source) => source.id)).toContain('mortality');
    expect(response.headers.get('etag')).toBeTruthy();
  });
});

describe('RESPONSE_CACHE_TTL_MS=0', () => {
  it('keeps no answers: a repeated query runs its SQL again', async () => {
    const uncached = createHub(hub.db, { limits: { ...DEFAULT_LIMITS, RESPONSE_CACHE_TTL_MS: 0 } });
    await uncached.events.ready;
    try {
      await get(QUERY, {}, uncached);
      hub.statements.length = 0;
      await get(QUERY, {}, uncached);
      expect(hub.statements.length).toBeGreaterThan(0);
    } finally {
      await uncached.events.close();
    }
  });
});

describe('answers that read through Prisma', () => {
  const CONFIRM = 'SELECT version::text FROM data_version';

  it('confirm the data version before they are public; answers from cube reads need not', async () => {
    const uncached = createHub(hub.db, { limits: { ...DEFAULT_LIMITS, RESPONSE_CACHE_TTL_MS: 0 } });
    await uncached.events.ready;
    try {
      await get('{ drugDeaths(from: 2023, to: 2024) { value } }', {}, uncached); // loads the cube's metadata
      for (const [query, confirms] of [
        ['{ sources { id } }', true],
        [QUERY, false],
      ] as const) {
        // The first time through the GraphQL server, then through the direct route.
        for (const _time of [1, 2]) {
          hub.statements.length = 0;
          const response = await get(query, {}, uncached);
          expect(response.headers.get('cache-control')).toMatch(/^public/);
          expect(hub.statements.includes(CONFIRM), query).toBe(confirms);
        }
      }
    } finally {
      await uncached.events.close();
    }
  });
});

describe('the cache in front of the server, over HTTP', () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    server = createServer(hub.hub);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const send = (body: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('answers a repeated POST from memory, without SQL, and a revalidation with 304', async () => {
    const body = JSON.stringify({ query: '{ drugDeaths(from: 2020, to: 2021) { year value } }' });
    const first = await send(body);
    expect(first.headers.get('cache-control')).toBe('public, max-age=120');
    const firstBody = await first.text();
    hub.statements.length = 0;
    const repeated = await send(body);
    expect(await repeated.text()).toBe(firstBody);
    expect(repeated.headers.get('etag')).toBe(first.headers.get('etag'));
    // Sent with its length, as the first answer was, not chunked.
    expect(repeated.headers.get('content-length')).toBe(String(Buffer.byteLength(firstBody)));
    expect(repeated.headers.get('transfer-encoding')).toBeNull();
    expect(hub.statements).toEqual([]);
    const revalidated = await send(body, { 'if-none-match': first.headers.get('etag')! });
    expect(revalidated.status).toBe(304);
  });

  it('passes a body larger than it reads (100 kB) to the server, which answers it privately', async () => {
    const body = JSON.stringify({ query: QUERY, variables: { padding: 'x'.repeat(150_000) } });
    const response = await send(body);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(await (await send(JSON.stringify({ query: QUERY }))).json());
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });

  it('hands a body that is not JSON to the server, which answers 400 and never caches it', async () => {
    const response = await send('{ "query": ');
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { errors: { message: string }[] };
    expect(answer.errors[0]?.message).toBe('POST body sent invalid JSON.');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });

  it('passes a mutation through to the server, which refuses it without a key', async () => {
    const response = await send(JSON.stringify({ query: 'mutation { withdrawRelease(id: "x", reason: "y") { id } }' }));
    const answer = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(answer.errors[0]?.extensions.code).toBe('MISSING_API_KEY');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });
});
