import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { applyMigrations } from '../../src/db/migrate.ts';
import { loadBundledData } from '../../src/publishing/bundled.ts';
import { createHub, type Hub } from '../../src/server/yoga.ts';
import { createPrivateCluster, type PrivateCluster, privateClusterUnavailable } from '../helpers/private-cluster.ts';
import { within } from '../helpers/processes.ts';
import { readEvents } from '../helpers/sse.ts';

// Stops and starts PostgreSQL under a running hub: on a private cluster made for this test, never
// on the machine's shared one (other tests and helpers use it).
const unavailable = privateClusterUnavailable();
if (unavailable) console.warn(`skipped: a PostgreSQL restart under a running hub ${unavailable}`);

describe.skipIf(unavailable)('a PostgreSQL restart under a running hub', () => {
  let cluster: PrivateCluster;
  let db: Database;
  let hub: Hub;

  beforeAll(async () => {
    cluster = await createPrivateCluster();
    db = await openDatabase({ url: cluster.url, dataDir: '', poolMax: 4 });
    await applyMigrations(db.pool);
    await loadBundledData(db);
    hub = createHub(db);
    await hub.events.ready;
  }, 300_000);
  afterAll(async () => {
    await hub?.events.close();
    await db?.close();
    cluster?.remove();
  });

  const ready = async () => (await hub.fetch('http://rusdata.test/readyz')).status === 200;
  const sources = async () => {
    const response = await hub.fetch('http://rusdata.test/graphql?query=%7Bregions%7Bcode%7D%7D');
    const body = (await response.json()) as { data?: { regions: unknown[] } };
    return (body.data?.regions.length ?? 0) > 0;
  };
  const subscribe = async () => {
    const response = await hub.fetch(
      'http://rusdata.test/graphql?query=subscription%7BreleasePublished%7Blabel%7D%7D',
      {
        headers: { accept: 'text/event-stream' },
      },
    );
    const events = readEvents(response, 10_000);
    await events.started();
    return events;
  };
  /** A release written by a plain SQL statement, as any writer could. */
  const writeRelease = async (label: string) => {
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    await client.query(
      `INSERT INTO release (id, source_id, label, status, published_at, published_at_precision, publisher)
       VALUES ($1, 'mortality', $1, 'FINAL', '2026-11-27', 'DAY', 'test')`,
      [label],
    );
    await client.end();
  };

  it('is not ready while the database is down, and answers queries, events and subscriptions within 5 s of its return', async () => {
    expect(await ready()).toBe(true);
    const before = await subscribe();
    await writeRelease('before the restart');
    expect(await before.next()).toEqual({ data: { releasePublished: { label: 'before the restart' } } });

    cluster.stop();
    expect(await ready()).toBe(false);
    expect(await sources()).toBe(false);

    cluster.start();
    const back = performance.now();
    await within(5000, async () => (await ready()) && (await sources()));
    console.log(`PostgreSQL restart: ready and answering ${Math.round(performance.now() - back)} ms after it was back`);
    // The listener reconnects with a backoff of at most 1 s: within 5 s it hears every writer again.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 5000 - (performance.now() - back))));
    const after = await subscribe();
    await writeRelease('after the restart');
    expect(await before.next()).toEqual({ data: { releasePublished: { label: 'after the restart' } } });
    expect(await after.next()).toEqual({ data: { releasePublished: { label: 'after the restart' } } });
    await Promise.all([before.close(), after.close()]);
  }, 120_000);
});
