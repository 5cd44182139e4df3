import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { DEFAULT_LIMITS } from '../../src/server/yoga.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

// Two limits keep one request from holding the hub: REQUEST_TIME_LIMIT_MS answers a request
// still executing after it with REQUEST_TIMEOUT; DB_STATEMENT_TIMEOUT_MS ends a statement
// PostgreSQL is still running after it.

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({ limits: { ...DEFAULT_LIMITS, RESPONSE_CACHE_TTL_MS: 0, REQUEST_TIME_LIMIT_MS: 5_000 } });
});
afterAll(() => hub.close());

describe('the per-request time limit', () => {
  it('answers within the limit as usual', async () => {
    const response = await hub.query('{ drugDeaths(from: 2024, to: 2024) { value } }');
    expect(response).toEqual({ data: { drugDeaths: [{ value: 342 }] } });
  });

  it('answers REQUEST_TIMEOUT when the request is still executing at the limit', async () => {
    // Every connection of the pool is taken, so the request waits for the database past its limit.
    const pool = hub.db.pool;
    const held = await Promise.all(Array.from({ length: pool.options.max }, () => pool.connect()));
    try {
      const started = performance.now();
      const response = await hub.query('{ regions { code drugDeaths { value } } }');
      expect(performance.now() - started).toBeLessThan(15_000);
      expect(response.data ?? null).toBeNull();
      expect(response.errors).toMatchObject([
        { message: expect.stringContaining('time limit of 5000 ms'), extensions: { code: 'REQUEST_TIMEOUT' } },
      ]);
    } finally {
      for (const client of held) client.release();
    }
  });
});

describe('the per-request time limit of a query the direct route runs', () => {
  it('answers REQUEST_TIMEOUT at the limit, not at twice the limit', async () => {
    const query = '{ regions { code drugDeaths(from: 2020) { value } } }';
    // Answered once by the server, the query is run by the direct route from then on.
    expect((await hub.query(query)).errors).toBeUndefined();
    const pool = hub.db.pool;
    const held = await Promise.all(Array.from({ length: pool.options.max }, () => pool.connect()));
    try {
      const started = performance.now();
      const response = await hub.query(query);
      expect(performance.now() - started).toBeLessThan(8_000);
      expect(response.errors).toMatchObject([{ extensions: { code: 'REQUEST_TIMEOUT' } }]);
    } finally {
      for (const client of held) client.release();
    }
  });
});

describe.skipIf(!process.env.DATABASE_URL)('the statement timeout (PostgreSQL; PGlite has no timer for it)', () => {
  it('ends a statement that runs longer than DB_STATEMENT_TIMEOUT_MS with 57014', async () => {
    const db = await openDatabase({ url: process.env.DATABASE_URL, dataDir: '', poolMax: 1, statementTimeoutMs: 200 });
    try {
      await expect(db.pool.query('SELECT pg_sleep(2)')).rejects.toMatchObject({
        code: '57014',
        message: 'canceling statement due to statement timeout',
      });
      const { rows } = await db.pool.query('SHOW statement_timeout');
      expect(rows).toEqual([{ statement_timeout: '200ms' }]);
    } finally {
      await db.close();
    }
  });
});
