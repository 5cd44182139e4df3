import { describe, expect, it } from 'vitest';
import { useTestHub } from '../helpers/hub.ts';

const hub = useTestHub();

describe('HTTP routes', () => {
  it('GET /healthz answers 200 while the process is alive', async () => {
    const response = await hub.hub.fetch('http://rusdata.test/healthz');
    expect(response.status).toBe(200);
  });

  it('GET /readyz answers 200 when the database is reachable and migrated', async () => {
    const response = await hub.hub.fetch('http://rusdata.test/readyz');
    expect(response.status).toBe(200);
  });

  it('GET /readyz answers 503 when a migration is missing', async () => {
    await hub.db.pool.query(`UPDATE "_prisma_migrations" SET rolled_back_at = now()`);
    const response = await hub.hub.fetch('http://rusdata.test/readyz');
    await hub.db.pool.query(`UPDATE "_prisma_migrations" SET rolled_back_at = NULL`);
    expect(response.status).toBe(503);
  });

  it('GET /graphql in a browser serves GraphiQL with its assets inlined and the example operations', async () => {
    const response = await hub.hub.fetch('http://rusdata.test/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('GraphiQL');
    expect(html).not.toMatch(/<script[^>]+src="https?:/);
    expect(html).not.toMatch(/<link[^>]+href="https?:/);
    expect(html).toContain('DeathsByCounty');
  });
});

describe('GraphQL over HTTP: GET', () => {
  const get = (params: Record<string, string>, headers: Record<string, string> = {}) =>
    hub.hub.fetch(`http://rusdata.test/graphql?${new URLSearchParams(params)}`, {
      headers: { accept: 'application/graphql-response+json', ...headers },
    });

  it('answers a public read sent as a GET query string', async () => {
    const response = await get({ query: '{ sources { id } }' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { sources: { id: string }[] } };
    expect(body.data.sources.map((s) => s.id)).toContain('mortality');
  });

  it('answers GET with variables and an operation name', async () => {
    const response = await get({
      query: 'query Deaths($year: Int!) { drugDeaths(from: $year, to: $year) { year value } }',
      variables: JSON.stringify({ year: 2024 }),
      operationName: 'Deaths',
    });
    expect(await response.json()).toEqual({ data: { drugDeaths: [{ year: 2024, value: 342 }] } });
  });

  it('refuses a mutation over GET with 405', async () => {
    const response = await get({ query: 'mutation { withdrawRelease(id: "x", reason: "y") { id } }' });
    expect(response.status).toBe(405);
  });
});
