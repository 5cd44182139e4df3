import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { metricsRegistry } from '../../src/db/metrics.ts';
import { applyMigrations } from '../../src/db/migrate.ts';
import { loadBundledData } from '../../src/publishing/bundled.ts';
import { createHub, DEFAULT_LIMITS, type Hub } from '../../src/server/yoga.ts';
import {
  createPrivateCluster,
  createStandby,
  type PrivateCluster,
  privateClusterUnavailable,
} from '../helpers/private-cluster.ts';
import { startHubProcess } from '../helpers/processes.ts';
import { deathsFile, keyFor, upload } from '../helpers/publishing.ts';

// Hubs reading hot standbys (streaming replication, here delayed by recovery_min_apply_delay):
// a private primary with the bundled data and a standby of it, made for this file. Runs in the
// PostgreSQL pass only (the embedded pass has no replicas to offer).
const unavailable = !process.env.DATABASE_URL
  ? 'runs in the PostgreSQL pass only (DATABASE_URL unset)'
  : privateClusterUnavailable();
if (unavailable) console.warn(`skipped: hubs on hot standbys ${unavailable}`);

const DEATHS_2023 = '{ drugDeaths(from: 2023, to: 2023) { value release { id } } }';
const APPLY_DELAY_MS = 3000;

describe.skipIf(unavailable)('hubs on hot standbys', () => {
  let primary: PrivateCluster;
  let standby: PrivateCluster;
  let loader: Database;
  const hubs: { db: Database; hub: Hub }[] = [];

  beforeAll(async () => {
    primary = await createPrivateCluster();
    loader = await openDatabase({ url: primary.url, dataDir: '', poolMax: 2 });
    await applyMigrations(loader.pool);
    await loadBundledData(loader);
    standby = await createStandby(primary, { applyDelay: `${APPLY_DELAY_MS}ms` });
    for (let i = 0; i < 2; i++) {
      const db = await openDatabase({ url: primary.url, readUrls: [standby.url], dataDir: '', poolMax: 4 });
      // No answers kept in memory: every question below reaches the database.
      const hub = createHub(db, { limits: { ...DEFAULT_LIMITS, RESPONSE_CACHE_TTL_MS: 0 } });
      await hub.events.ready;
      hubs.push({ db, hub });
    }
  }, 300_000);
  afterAll(async () => {
    for (const { db, hub } of hubs) {
      await hub.events.close();
      await db.close();
    }
    await loader?.close();
    standby?.remove();
    primary?.remove();
  });

  const ask = async (hub: Hub, query = DEATHS_2023) => {
    const response = await hub.fetch(`http://rusdata.test/graphql?query=${encodeURIComponent(query)}`);
    return {
      etag: response.headers.get('etag'),
      control: response.headers.get('cache-control'),
      body: await response.text(),
    };
  };
  const replayed = async () => {
    const client = new pg.Client({ connectionString: standby.url });
    await client.connect();
    const { rows } = await client.query<{ version: string }>('SELECT version::text FROM data_version');
    await client.end();
    return rows[0]!.version;
  };
  const replicaReads = async (choice: string) => {
    const metric = await metricsRegistry.getSingleMetric('rusdata_replica_reads_total')!.get();
    return metric.values.find((value) => value.labels.choice === choice)?.value ?? 0;
  };

  it('reads cells from the replica when it has replayed what the hub heard', async () => {
    // The standby replays 3 s late: until it has replayed the hub's version, reads go to the primary.
    const heard = BigInt(hubs[0]!.hub.events.snapshot().heard);
    while (BigInt(await replayed()) < heard) await new Promise((resolve) => setTimeout(resolve, 100));
    const before = await replicaReads('replica');
    const { body } = await ask(hubs[0]!.hub, '{ drugDeaths(from: 2022, to: 2022) { value } }');
    const direct = await loader.pool.query(
      `SELECT o.value FROM death_observation o JOIN "release" r ON r.id = o.release_id
       WHERE o.year = 2022 AND o.year_from = 2022 AND o.measure = 'DEATHS' AND o.region_code = '0' AND o.sex = 'ALL'
         AND o.age_group_code = 'ALL' AND o.cause_code = 'ALL' AND o.intent_code = 'ALL'
       ORDER BY r.published_at DESC, r.created_at DESC LIMIT 1`,
    );
    expect(JSON.parse(body)).toEqual({ data: { drugDeaths: [{ value: direct.rows[0].value }] } });
    expect(await replicaReads('replica')).toBeGreaterThan(before);
  });

  it('never answers old cells under a new ETag while a delayed replica replays a release', async () => {
    const key = await keyFor({ db: hubs[0]!.db }, 'mortality');
    const bodiesOfEtag = new Map<string, Set<string>>();
    const firstNew = new Map<number, { at: number; etag: string }>();
    let polling = true;
    const poll = (async () => {
      while (polling) {
        for (const [index, { hub }] of hubs.entries()) {
          const { etag, body } = await ask(hub);
          if (!etag) continue;
          bodiesOfEtag.set(etag, (bodiesOfEtag.get(etag) ?? new Set()).add(body));
          if (body.includes('999') && !firstNew.has(index)) firstNew.set(index, { at: Date.now(), etag });
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const versionBefore = await replayed();
    const committed = Date.now();
    const { body } = await upload(hubs[0]!, {
      content: deathsFile([[2023, 999]]),
      token: key,
      publishedAt: '2026-12-01',
    });
    expect(body.errors).toBeUndefined();
    const answered = Date.now();
    const fallbacks = await replicaReads('primary');
    let replayedAt = 0;
    while (!replayedAt) {
      if ((await replayed()) !== versionBefore) replayedAt = Date.now();
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    polling = false;
    await poll;
    console.log(
      `delayed replica (recovery_min_apply_delay ${APPLY_DELAY_MS} ms): publish sent at ${new Date(committed).toISOString()}, ` +
        `committed and answered +${answered - committed} ms, ` +
        `replica replayed +${replayedAt - committed} ms; ` +
        [...firstNew]
          .map(([index, { at, etag }]) => `hub ${index + 1} first new answer +${at - committed} ms ETag ${etag}`)
          .join('; '),
    );
    for (const [etag, bodies] of bodiesOfEtag) expect({ etag, bodies: bodies.size }).toEqual({ etag, bodies: 1 });
    expect(replayedAt - committed).toBeGreaterThanOrEqual(APPLY_DELAY_MS - 500);
    // Both hubs served the release before the replica replayed it: from the primary.
    for (const index of [0, 1]) expect(firstNew.get(index)!.at).toBeLessThan(replayedAt);
    expect(await replicaReads('primary')).toBeGreaterThanOrEqual(fallbacks);
  });

  it('serves a year only the newest release has, with the replica behind', async () => {
    const key = await keyFor({ db: hubs[0]!.db }, 'mortality');
    const { body } = await upload(hubs[0]!, {
      content: deathsFile([[2026, 301]]),
      token: key,
      publishedAt: '2026-12-01',
    });
    expect(body.errors).toBeUndefined();
    for (const { hub } of hubs) {
      const answer = JSON.parse((await ask(hub, '{ drugDeaths(from: 2026, to: 2026) { value } }')).body);
      expect(answer, JSON.stringify(answer)).toEqual({ data: { drugDeaths: [{ value: 301 }] } });
    }
  });

  it('skips a replica that is down, and goes back to it when it is up', async () => {
    standby.stop();
    try {
      for (let i = 0; i < 5; i++) {
        const { body } = await ask(hubs[0]!.hub, `{ drugDeaths(from: 2019, to: 2019) { value } }`);
        expect(JSON.parse(body).errors).toBeUndefined();
      }
    } finally {
      standby.start();
    }
    const before = await replicaReads('replica');
    const deadline = Date.now() + 20_000;
    while ((await replicaReads('replica')) === before && Date.now() < deadline) {
      await ask(hubs[0]!.hub, `{ drugDeaths(from: 2018, to: 2018) { value } }`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await replicaReads('replica')).toBeGreaterThan(before);
  });

  it('starts a hub on the standby alone read-only: it says so, polls the version, and refuses to publish', async () => {
    const hub = await startHubProcess({ DATABASE_URL: standby.url, RESPONSE_CACHE_TTL_MS: '0' });
    try {
      expect(hub.output()).toMatch(/hot standby: read-only/);
      const ask = async () =>
        (await (
          await fetch(`${hub.url}?query=${encodeURIComponent('{ drugDeaths(from: 2021, to: 2021) { value } }')}`)
        ).json()) as {
          data: { drugDeaths: { value: number }[] };
        };
      const key = await keyFor({ db: hubs[0]!.db }, 'mortality');
      await upload(hubs[0]!, { content: deathsFile([[2021, 888]]), token: key, publishedAt: '2026-12-01' });
      const published = Date.now();
      let seen = 0;
      while (!seen && Date.now() - published < APPLY_DELAY_MS + 5000) {
        if ((await ask()).data.drugDeaths[0]?.value === 888) seen = Date.now();
        else await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(seen - published).toBeGreaterThan(0);
      expect(seen - published).toBeLessThan(APPLY_DELAY_MS + 2500);
      const refused = await fetch(hub.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: 'mutation { withdrawRelease(id: "x", reason: "y") { id } }' }),
      });
      const answer = (await refused.json()) as { errors: { extensions: { code: string } }[] };
      expect(answer.errors[0]!.extensions.code).toBe('READ_ONLY');
    } finally {
      hub.kill();
    }
  });
});
