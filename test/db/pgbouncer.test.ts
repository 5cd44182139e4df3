import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/bulk.ts';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { applyMigrations } from '../../src/db/migrate.ts';
import { loadBundledData } from '../../src/publishing/bundled.ts';
import { EXAMPLE_OPERATIONS } from '../../src/server/examples.ts';
import { createHub, DEFAULT_LIMITS, type Hub } from '../../src/server/yoga.ts';
import { type PgBouncer, pgbouncerUnavailable, startPgBouncer } from '../helpers/pgbouncer.ts';
import { type Started, startHubProcess, within } from '../helpers/processes.ts';

// The hub behind PgBouncer 1.18 (Debian's) in transaction mode, where every transaction may land
// on another server session: nothing may depend on session state (docs/operating.md). PgBouncer
// runs in front of the PostgreSQL at DATABASE_URL; each test file makes its own database.
const unavailable = process.env.DATABASE_URL
  ? pgbouncerUnavailable()
  : 'runs on PostgreSQL only (DATABASE_URL unset: PgBouncer has no embedded database to pool)';
if (unavailable) console.warn(`skipped: the hub behind PgBouncer ${unavailable}`);

const server = process.env.DATABASE_URL ? new URL(process.env.DATABASE_URL) : undefined;
const name = `rusdata_pgbouncer_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const direct = server && Object.assign(new URL(server), { pathname: `/${name}` }).toString();

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: server!.toString() });
  await client.connect();
  await client.query(sql);
  await client.end();
}

describe.skipIf(unavailable)('the hub behind PgBouncer in transaction mode', () => {
  let bouncer: PgBouncer;
  let pooled: string;

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${name}`);
    bouncer = await startPgBouncer({ server: server!.host, poolMode: 'transaction' });
    pooled = bouncer.url(direct!);
  });
  afterAll(async () => {
    await bouncer?.stop();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it('lets SET LOCAL time out the statement sent with it in one message, and only that one', async () => {
    const client = new pg.Client({ connectionString: pooled });
    await client.connect();
    try {
      await expect(client.query('SET LOCAL statement_timeout = 200; SELECT pg_sleep(2)')).rejects.toMatchObject({
        code: '57014',
        message: 'canceling statement due to statement timeout',
      });
      const { rows } = await client.query<{ statement_timeout: string }>('SHOW statement_timeout');
      expect(rows[0]?.statement_timeout).not.toBe('200ms');
    } finally {
      await client.end();
    }
  });

  describe('the statement timeout', () => {
    let db: Database;
    let hub: Hub;
    beforeAll(async () => {
      // Loading the bundled data takes longer than the short timeout of these tests.
      const loader = await openDatabase({ url: pooled, poolMode: 'transaction', dataDir: '', poolMax: 2 });
      await applyMigrations(loader.pool);
      await loadBundledData(loader);
      await loader.close();
      db = await openDatabase({
        url: pooled,
        poolMode: 'transaction',
        dataDir: '',
        poolMax: 4,
        statementTimeoutMs: 500,
      });
      hub = createHub(db, { limits: { ...DEFAULT_LIMITS, RESPONSE_CACHE_TTL_MS: 0 } });
      await hub.events.ready;
    }, 300_000);
    afterAll(async () => {
      await hub?.events.close();
      await db?.close();
    });

    it('cancels a slow statement sent alone, with parameters, in a transaction and from Prisma', async () => {
      const cancelled = { code: '57014', message: 'canceling statement due to statement timeout' };
      await expect(db.pool.query('SELECT pg_sleep(2)')).rejects.toMatchObject(cancelled);
      await expect(db.pool.query('SELECT pg_sleep($1), $2::text', [2, "it's"])).rejects.toMatchObject(cancelled);
      await expect(inTransaction(db.pool, (client) => client.query('SELECT pg_sleep(2)'))).rejects.toMatchObject(
        cancelled,
      );
      await expect(db.prisma.$queryRaw`SELECT pg_sleep(2)`).rejects.toThrow(/statement timeout/);
      // Quick statements answer as usual, parameters included.
      const { rows } = await db.pool.query('SELECT $1::text AS text, $2::int[] AS numbers', ["it's $1", [1, 2]]);
      expect(rows).toEqual([{ text: "it's $1", numbers: [1, 2] }]);
    });

    it('answers STATEMENT_TIMEOUT when a cube query waits longer than it', async () => {
      const locker = new pg.Client({ connectionString: direct });
      await locker.connect();
      try {
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE death_observation IN ACCESS EXCLUSIVE MODE');
        const response = await hub.fetch(
          'http://rusdata.test/graphql?query=%7BdrugDeaths(from:2024,to:2024)%7Bvalue%7D%7D',
        );
        const body = (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
        expect(body.errors).toMatchObject([
          { message: expect.stringContaining('statement timeout'), extensions: { code: 'STATEMENT_TIMEOUT' } },
        ]);
        expect(response.headers.get('cache-control')).toBe('private, no-store');
      } finally {
        await locker.query('ROLLBACK');
        await locker.end();
      }
    });
  });

  describe('a hub process (src/main.ts) with DB_POOL_MODE=transaction', () => {
    let hubProcess: Started & { url: string };
    let reference: { db: Database; hub: Hub };
    beforeAll(async () => {
      hubProcess = await startHubProcess({
        DATABASE_URL: pooled,
        DATABASE_LISTEN_URL: direct!,
        DB_POOL_MODE: 'transaction',
        DB_POOL_MAX: '10',
        RESPONSE_CACHE_TTL_MS: '0',
      });
      // The answers to check against: a hub in this process on a direct connection.
      const db = await openDatabase({ url: direct, dataDir: '', poolMax: 2 });
      reference = { db, hub: createHub(db) };
      await reference.hub.events.ready;
    }, 300_000);
    afterAll(async () => {
      hubProcess?.kill();
      await reference?.hub.events.close();
      await reference?.db.close();
    });

    it('answers 400 cube queries from 20 concurrent clients, each one right', async () => {
      const questions = [
        ...EXAMPLE_OPERATIONS.filter(({ query }) => /^query /m.test(query)).map(({ query }) => query),
        ...Array.from(
          { length: 13 },
          (_, i) => `{ drugDeaths(from: ${2012 + i}, to: 2024, by: [SEX]) { year sex value } }`,
        ),
      ];
      const ask = async (target: (body: string) => Promise<Response>, query: string) =>
        (await target(JSON.stringify({ query }))).text();
      const post = (url: string) => (body: string) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const expected = new Map<string, string>();
      for (const query of questions) {
        expected.set(
          query,
          await ask(
            (body) =>
              reference.hub.fetch('http://rusdata.test/graphql', {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body,
              }),
            query,
          ),
        );
        expect(JSON.parse(expected.get(query)!).errors).toBeUndefined();
      }
      let wrong = 0;
      let asked = 0;
      await Promise.all(
        Array.from({ length: 20 }, async (_, client) => {
          for (let i = 0; i < 20; i++) {
            const query = questions[(client * 7 + i) % questions.length]!;
            if ((await ask(post(hubProcess.url), query)) !== expected.get(query)) wrong++;
            asked++;
          }
        }),
      );
      expect({ asked, wrong }).toEqual({ asked: 400, wrong: 0 });
      expect(hubProcess.output()).not.toMatch(/prepared statement|unsupported startup parameter/);
    }, 120_000);
  });

  describe('release events', () => {
    let db: Database;
    let hub: Hub;
    let version = 0;
    const writeRelease = async () => {
      const client = new pg.Client({ connectionString: direct });
      await client.connect();
      const label = `pgbouncer ${++version}`;
      await client.query(
        `INSERT INTO release (id, source_id, label, status, published_at, published_at_precision, publisher)
         VALUES ($1, 'mortality', $1, 'FINAL', '2026-11-27', 'DAY', 'test')`,
        [label],
      );
      await client.end();
      return label;
    };
    const releases = async () => {
      const response = await hub.fetch('http://rusdata.test/graphql?query=%7Bsources%7Breleases%7Blabel%7D%7D%7D');
      const body = await response.text();
      return { etag: response.headers.get('etag'), body };
    };
    afterAll(async () => {
      await hub?.events.close();
      await db?.close();
    });

    it('reach a hub whose LISTEN connects directly within 1 s', async () => {
      db = await openDatabase({ url: pooled, listenUrl: direct, poolMode: 'transaction', dataDir: '', poolMax: 4 });
      hub = createHub(db);
      await hub.events.ready;
      const before = await releases();
      const label = await writeRelease();
      const took = await within(1000, async () => (await releases()).etag !== before.etag);
      expect((await releases()).body).toContain(label);
      console.log(`release heard over a direct LISTEN: the ETag changed after ${Math.round(took)} ms`);
      await hub.events.close();
      await db.close();
    });

    it('reach a hub whose LISTEN goes through PgBouncer (which drops notifications) within 6 s, by its heartbeat', async () => {
      db = await openDatabase({ url: pooled, poolMode: 'transaction', dataDir: '', poolMax: 4 });
      hub = createHub(db);
      await hub.events.ready;
      const before = await releases();
      const label = await writeRelease();
      // Heartbeats every 2 s, unheard after 2 s more, then the data version is read every second.
      const took = await within(6000, async () => (await releases()).etag !== before.etag);
      expect((await releases()).body).toContain(label);
      console.log(`release seen through PgBouncer's LISTEN: the ETag changed after ${Math.round(took)} ms`);
      // It keeps polling while it hears nothing: the next release is seen within a second or so.
      const again = await releases();
      await writeRelease();
      const next = await within(2000, async () => (await releases()).etag !== again.etag);
      console.log(`the next release: after ${Math.round(next)} ms`);
    }, 30_000);
  });
});
