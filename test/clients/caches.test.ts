import { format } from 'node:util';
import { ApolloClient, gql, HttpLink, InMemoryCache, type StoreObject } from '@apollo/client';
import { loadDevMessages, loadErrorMessages } from '@apollo/client/dev';
import { Client, fetchExchange } from '@urql/core';
import { cacheExchange, Store } from '@urql/exchange-graphcache';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { useTestHub } from '../helpers/hub.ts';
import { DASHBOARD_WITHOUT_IDS, OPERATIONS, objectsOf } from './operations.ts';

// Apollo Client 4 and urql Graphcache as front-ends use them, with their default caches (no
// typePolicies, no keys): they must normalise every object the dashboard and the GraphiQL
// examples return, without a warning, because every object has an `id`.

// Apollo warns only in development builds: the flag is read when it is first imported.
vi.hoisted(() => {
  (globalThis as { __DEV__?: boolean }).__DEV__ = true;
});
loadDevMessages();
loadErrorMessages();

const hub = useTestHub();
const URL = 'http://rusdata.test/graphql';

/** A fetch for the clients that answers from the test hub, and counts and keeps the answers. */
function countingFetch() {
  const counter = {
    requests: 0,
    /** The answers' data as sent, `__typename` included (urql hides it from results). */
    answers: [] as unknown[],
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      counter.requests += 1;
      const response = await hub.hub.fetch(input instanceof Request ? input : String(input), init);
      counter.answers.push(((await response.clone().json()) as { data?: unknown }).data);
      return response;
    },
  };
  return counter;
}

// Both clients warn through console.warn (Apollo's invariant.warn, Graphcache's warn); Apollo
// reports some problems through console.error. Kept, not printed: the tests show them.
let warnings: MockInstance<typeof console.warn>;
let errors: MockInstance<typeof console.error>;
beforeEach(() => {
  warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => vi.restoreAllMocks());

const said = () => [...warnings.mock.calls, ...errors.mock.calls].map((args) => format(...args));

const OSLO_NAME = 'query OsloName { region(code: "03") { id name } }';
const OSLO_KIND = 'query OsloKind { region(code: "03") { id code kind validFrom } }';

function apolloClient() {
  const counter = countingFetch();
  const client = new ApolloClient({
    link: new HttpLink({ uri: URL, fetch: counter.fetch }),
    cache: new InMemoryCache(),
  });
  return { client, counter };
}

function urqlClient() {
  const counter = countingFetch();
  const client = new Client({ url: URL, exchanges: [cacheExchange(), fetchExchange], fetch: counter.fetch });
  return { client, counter };
}

describe('Apollo Client with its default InMemoryCache', () => {
  it('keeps a region read by two queries with different fields as one entity: 2 requests, no warning', async () => {
    const { client, counter } = apolloClient();
    const name = await client.query({ query: gql(OSLO_NAME) });
    const kind = await client.query({ query: gql(OSLO_KIND) });
    const again = await client.query({ query: gql(OSLO_NAME) });
    expect(counter.requests).toBe(2);
    expect(again.data).toEqual(name.data);
    expect(said()).toEqual([]);

    const cache = client.cache.extract() as Record<string, Record<string, unknown>>;
    const regions = Object.keys(cache).filter((key) => key.startsWith('Region:'));
    expect(regions).toHaveLength(1);
    const [key = ''] = regions;
    expect(cache[key]).toMatchObject({ __typename: 'Region', name: 'Oslo', code: '03', kind: 'COUNTY' });
    expect(cache.ROOT_QUERY?.['region({"code":"03"})']).toEqual({ __ref: key });
    expect(key).toBe(`Region:${(kind.data as { region: { id: string } }).region.id}`);
  });

  it('normalises every object of the dashboard and of every GraphiQL example, in one cache, with no warning', async () => {
    const { client } = apolloClient();
    const unkeyed: string[] = [];
    for (const { name, query } of OPERATIONS) {
      const { data } = await client.query({ query: gql(query) });
      const objects = objectsOf(data);
      expect(objects.length, name).toBeGreaterThan(0);
      for (const { path, object } of objects) {
        if (client.cache.identify(object as StoreObject) === undefined) unkeyed.push(`${name}: ${path}`);
      }
    }
    expect(unkeyed).toEqual([]);
    expect(said()).toEqual([]);
  });

  it('warns, and goes back to the network, when two queries read one object without its id', async () => {
    const { client, counter } = apolloClient();
    await client.query({ query: gql('{ region(code: "46") { name } }') });
    await client.query({ query: gql('{ region(code: "46") { code kind } }') });
    await client.query({ query: gql('{ region(code: "46") { name } }') });
    expect(counter.requests).toBe(3);
    expect(said().join('\n')).toContain('Cache data may be lost when replacing the region field of a Query object');
    expect(Object.keys(client.cache.extract() as object)).toEqual(['ROOT_QUERY']);
  });
});

describe('urql with Graphcache and no keys config', () => {
  it('keeps a region read by two queries with different fields as one entity: 2 requests, no warning', async () => {
    const { client, counter } = urqlClient();
    const name = await client.query(OSLO_NAME, {}).toPromise();
    await client.query(OSLO_KIND, {}).toPromise();
    const again = await client.query(OSLO_NAME, {}).toPromise();
    expect(counter.requests).toBe(2);
    expect(again.data).toEqual(name.data);
    // The fields of both queries answer from the cache alone: they were merged into one entity.
    const both = await client
      .query('{ region(code: "03") { id name code kind } }', {}, { requestPolicy: 'cache-only' })
      .toPromise();
    expect(both.data?.region).toMatchObject({ name: 'Oslo', code: '03', kind: 'COUNTY' });
    expect(counter.requests).toBe(2);
    expect(said()).toEqual([]);
  });

  it('normalises every object of the dashboard and of every GraphiQL example, in one cache, with no warning', async () => {
    const { client, counter } = urqlClient();
    // What Graphcache keys objects by when it has no keys config: __typename and id.
    const keys = new Store();
    for (const { name, query } of OPERATIONS) {
      const result = await client.query(query, {}, { requestPolicy: 'network-only' }).toPromise();
      expect(result.error, name).toBeUndefined();
    }
    expect(counter.answers).toHaveLength(OPERATIONS.length);
    const unkeyed = counter.answers.flatMap((data, index) =>
      objectsOf(data)
        .filter(({ object }) => keys.keyOfEntity(object as never) === null)
        .map(({ path }) => `${OPERATIONS[index]?.name}: ${path}`),
    );
    expect(unkeyed).toEqual([]);
    expect(said()).toEqual([]);
  });

  it('warns when a query leaves the ids out (what the spy would catch)', async () => {
    const { client } = urqlClient();
    await client.query(DASHBOARD_WITHOUT_IDS, {}).toPromise();
    expect(said().join('\n')).toContain(
      'Invalid key: The GraphQL query at the field at `Query.regions.0` has a selection set',
    );
  });
});
