import { describe, expect, it } from 'vitest';
import { useServedTestHub } from '../helpers/hub.ts';
import { keyFor } from '../helpers/publishing.ts';

// CORS for a public API: any origin may read, with `*` and no credentials; scripts may read the
// ETag to revalidate; a preflight allows the headers clients send. The same on answers from
// GraphQL and on those the HTTP cache gives itself (hits and 304s), over fetch and over HTTP.

const ORIGIN = 'https://dashboard.example';

const { hub, origin } = useServedTestHub();

/** The hub called as a fetch handler (tests, downloads) or over HTTP (its Node listener). */
const TRANSPORTS = [
  { name: 'fetch', send: (path: string, init: RequestInit) => hub.hub.fetch(`http://rusdata.test${path}`, init) },
  { name: 'HTTP', send: (path: string, init: RequestInit) => fetch(`${origin()}${path}`, init) },
];

function expectPublicCors(response: Response) {
  expect(response.headers.get('access-control-allow-origin')).toBe('*');
  expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  expect(response.headers.get('access-control-expose-headers')).toMatch(/\bETag\b/);
  expect(response.headers.get('vary') ?? '').not.toMatch(/origin/i);
}

describe.each(TRANSPORTS)('CORS over $name', ({ name, send }) => {
  const query = `{ drugDeaths(from: 2020, to: 2024) { id value } } # ${name}`;
  const post = (headers: Record<string, string> = {}) =>
    send('/graphql', {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });

  it('a public read answered by GraphQL (a miss) allows any origin with *, no credentials, ETag exposed', async () => {
    hub.statements.length = 0;
    const response = await post();
    expect(response.status).toBe(200);
    expect(hub.statements.length).toBeGreaterThan(0);
    expect(response.headers.get('etag')).toBeTruthy();
    expectPublicCors(response);
  });

  it('the same read answered by the HTTP cache (a hit) carries the same CORS headers', async () => {
    await post();
    hub.statements.length = 0;
    const response = await post();
    expect(response.status).toBe(200);
    expect(hub.statements).toEqual([]);
    expectPublicCors(response);
  });

  it('a revalidation answered 304 by the HTTP cache carries them too', async () => {
    const etag = (await post()).headers.get('etag') ?? '';
    const response = await post({ 'if-none-match': etag });
    expect(response.status).toBe(304);
    expectPublicCors(response);
  });

  it('a GET, a download and a request with an API key answer with * and no credentials', async () => {
    const get = await send(`/graphql?${new URLSearchParams({ query })}`, {
      headers: { origin: ORIGIN, accept: 'application/json' },
    });
    expectPublicCors(get);
    expectPublicCors(await send('/data/drugDeaths.csv?from=2024&to=2024', { headers: { origin: ORIGIN } }));
    const token = await keyFor(hub, 'mortality');
    expectPublicCors(await post({ authorization: `Bearer ${token}` }));
  });

  it('a preflight allows the methods and the headers clients send', async () => {
    const requested = [
      'content-type',
      'authorization',
      'idempotency-key',
      'if-none-match',
      'apollographql-client-name',
      'apollographql-client-version',
      'apollo-require-preflight',
    ];
    const response = await send('/graphql', {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': requested.join(', '),
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('access-control-allow-methods')).toMatch(/\bPOST\b/);
    const allowed = (response.headers.get('access-control-allow-headers') ?? '').split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(requested));
  });
});
