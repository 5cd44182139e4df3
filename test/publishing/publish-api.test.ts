import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeApiKey } from '../../src/publishing/api-keys.ts';
import { DEFAULT_LIMITS } from '../../src/server/yoga.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { deathsFile, keyFor, upload } from '../helpers/publishing.ts';

let hub: TestHub;
let mortalityKey: string;
beforeAll(async () => {
  hub = await startTestHub({ limits: { ...DEFAULT_LIMITS, MAX_UPLOAD_BYTES: 10_000 } });
  mortalityKey = await keyFor(hub, 'mortality');
});
afterAll(() => hub.close());

const deaths2024 = (asOf = '') =>
  hub.data<{ drugDeaths: { value: number; release: { id: string } }[] }>(
    `{ drugDeaths(from: 2024, to: 2024${asOf}) { value release { id } } }`,
  );
const releaseRows = async () =>
  (await hub.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM death_observation')).rows[0]!.n;

describe('publishRelease', () => {
  it('publishes a new release that answers by default, while asOf answers the earlier one', async () => {
    expect((await deaths2024()).drugDeaths).toEqual([{ value: 342, release: { id: 'mortality-report-2025' } }]); // now cached
    const { status, body } = await upload(hub, {
      content: deathsFile([[2024, 345]]),
      token: mortalityKey,
      publishedAt: '2026-06-01',
    });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data!.publishRelease).toMatchObject({
      created: true,
      observations: 1,
      release: { status: 'PRELIMINARY', publishedAt: '2026-06-01', publisher: 'test mortality' },
    });
    const { sources } = await hub.data<{
      sources: { releases: { id: string; publishedBy: string; checksum: string; recordedAt: string }[] }[];
    }>('{ sources { releases { id publishedBy checksum recordedAt } } }');
    const release = sources.flatMap((s) => s.releases).find((r) => r.id === body.data!.publishRelease.release.id)!;
    expect(release.publishedBy).toMatch(/^[0-9a-f]{12}$/);
    expect(release.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.now() - Date.parse(release.recordedAt)).toBeLessThan(60_000);
    expect((await deaths2024()).drugDeaths).toEqual([
      { value: 345, release: { id: body.data!.publishRelease.release.id } },
    ]);
    expect((await deaths2024(', asOf: "2026-05-31"')).drugDeaths).toEqual([
      { value: 342, release: { id: 'mortality-report-2025' } },
    ]);
  });

  it('returns the first result and writes nothing when the same input is published again', async () => {
    const content = deathsFile([[2024, 346]]);
    const first = await upload(hub, { content, token: mortalityKey, publishedAt: '2026-07-01' });
    const rows = await releaseRows();
    const second = await upload(hub, { content, token: mortalityKey, publishedAt: '2026-07-01' });
    expect(second.body.data!.publishRelease).toMatchObject({
      created: false,
      release: { id: first.body.data!.publishRelease.release.id },
    });
    expect(await releaseRows()).toBe(rows);
  });

  it('refuses an Idempotency-Key reused with a different input', async () => {
    const headers = { 'idempotency-key': 'fhi-2026-08' };
    const first = await upload(hub, {
      content: deathsFile([[2024, 347]]),
      token: mortalityKey,
      publishedAt: '2026-08-01',
      headers,
    });
    expect(first.body.data!.publishRelease.created).toBe(true);
    const again = await upload(hub, {
      content: deathsFile([[2024, 347]]),
      token: mortalityKey,
      publishedAt: '2026-08-01',
      headers,
    });
    expect(again.body.data!.publishRelease.created).toBe(false);
    const other = await upload(hub, {
      content: deathsFile([[2024, 348]]),
      token: mortalityKey,
      publishedAt: '2026-08-02',
      headers,
    });
    expect(other.body.errors![0]!.extensions!.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('serializes two concurrent publishes of the same input: one writes, the other returns it', async () => {
    const content = deathsFile([[2023, 392]]);
    const results = await Promise.all(
      [1, 2].map(() => upload(hub, { content, token: mortalityKey, publishedAt: '2026-09-01' })),
    );
    expect(results.map((r) => r.body.data!.publishRelease.created).sort()).toEqual([false, true]);
  });

  it('rejects a malformed file naming line and column, and stores nothing', async () => {
    const rows = await releaseRows();
    const bad = deathsFile([
      [2024, 349],
      [2024, 350],
    ]).replace(',350,', ',three hundred,');
    const { body } = await upload(hub, { content: bad, token: mortalityKey });
    expect(body.errors![0]!.extensions!.code).toBe('INVALID_FILE');
    expect(body.errors![0]!.message).toContain('deaths.csv, line 3, column "value": must be a number');
    expect(await releaseRows()).toBe(rows);
  });

  it('rejects a file of the wrong content type', async () => {
    const { body } = await upload(hub, { content: deathsFile([[2024, 351]]), token: mortalityKey, type: 'image/png' });
    expect(body.errors![0]!.extensions!.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('rejects a file over the configured size limit', async () => {
    const big = deathsFile(Array.from({ length: 400 }, (_, i) => [1900 + (i % 100), i] as [number, number]));
    const { body } = await upload(hub, { content: big, token: mortalityKey });
    expect(body.errors![0]!.extensions!.code).toBe('PAYLOAD_TOO_LARGE');
    expect(body.errors![0]!.message).toContain('the limit is 10000 bytes');
  });
});

describe('every source takes its own layout', () => {
  it('publishes survey prevalence with CI and counts, checked like the chart data', async () => {
    const token = await keyFor(hub, 'survey');
    const file =
      'year,substance,recall,sex,age_group,value,ci_low,ci_high,respondents,users,qualifier,reference,note\n' +
      '2026,CANNABIS,LIFETIME,ALL,16-64,27.1,25.4,28.8,3800,1040,EXACT,SSB table 1,\n';
    const { body } = await upload(hub, { source: 'survey', content: file, token, publishedAt: '2026-11-15' });
    expect(body.data!.publishRelease.created).toBe(true);
    const { prevalence } = await hub.data<{ prevalence: unknown[] }>(
      '{ prevalence(substance: ["CANNABIS"], from: 2026) { value ciLow ciHigh respondents users status } }',
    );
    expect(prevalence).toEqual([
      { value: 27.1, ciLow: 25.4, ciHigh: 28.8, respondents: 3800, users: 1040, status: 'PROVISIONAL' },
    ]);
  });

  it('rejects survey figures whose CI does not contain the value', async () => {
    const token = await keyFor(hub, 'survey');
    const file =
      'year,substance,recall,sex,age_group,value,ci_low,ci_high,respondents,users,qualifier,reference,note\n' +
      '2026,COCAINE,LIFETIME,ALL,16-64,8.5,8.6,9.9,,,EXACT,SSB table 1,\n';
    const { body } = await upload(hub, { source: 'survey', content: file, token });
    expect(body.errors![0]!.message).toContain(
      'line 2, column "ci_low": the lower confidence limit 8.6 is above the value 8.5',
    );
  });

  it('rejects an estimate of people who inject drugs outside its range', async () => {
    const token = await keyFor(hub, 'pwid');
    const file =
      'year,estimate,low,high,rate_per_1000,method,qualifier,reference,note\n2024,12000,7000,10000,,mortality multiplier,EXACT,FHI,\n';
    const { body } = await upload(hub, { source: 'pwid', content: file, token });
    expect(body.errors![0]!.message).toContain('line 2, column "estimate": the estimate must lie within its range');
  });
});

describe('access', () => {
  it('needs an API key: an anonymous multipart publish is told MISSING_API_KEY', async () => {
    const { status, body } = await upload(hub, { content: deathsFile([[2024, 352]]), token: null });
    expect(body.errors![0]!.extensions!.code).toBe('MISSING_API_KEY');
    expect(status).toBe(401);
  });

  it('rejects an unknown key', async () => {
    const { body } = await upload(hub, {
      content: deathsFile([[2024, 352]]),
      token: `rk_000000000000_${'A'.repeat(43)}`,
    });
    expect(body.errors![0]!.extensions!.code).toBe('INVALID_API_KEY');
  });

  it('rejects a revoked key', async () => {
    const token = await keyFor(hub, 'mortality');
    await revokeApiKey(hub.db.prisma, token.split('_')[1]!, 'test');
    const { body } = await upload(hub, { content: deathsFile([[2024, 352]]), token });
    expect(body.errors![0]!.extensions!.code).toBe('REVOKED_API_KEY');
  });

  it('rejects a key of another source', async () => {
    const surveyKey = await keyFor(hub, 'survey');
    const { status, body } = await upload(hub, { content: deathsFile([[2024, 352]]), token: surveyKey });
    expect(body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(body.errors![0]!.message).toContain('may not act on "mortality"; its scopes are: survey');
    expect(status).toBe(403);
  });

  it('shows the audit log to an admin key only', async () => {
    const admin = await keyFor(hub, 'admin');
    const asAdmin = await hub.hub.fetch('http://rusdata.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ query: '{ auditLog(first: 50) { action result actor detail } }' }),
    });
    const entries = ((await asAdmin.json()) as { data: { auditLog: { action: string; result: string }[] } }).data
      .auditLog;
    expect(entries.map((e) => `${e.action} ${e.result}`)).toEqual(
      expect.arrayContaining(['PUBLISH OK', 'PUBLISH UNCHANGED', 'PUBLISH REJECTED', 'KEY_CREATE OK', 'KEY_REVOKE OK']),
    );
    expect(JSON.stringify(entries)).not.toMatch(/rk_[0-9a-f]{12}_/);
    const asSource = await hub.query('{ auditLog { action } }');
    expect(asSource.errors![0]!.extensions!.code).toBe('MISSING_API_KEY');
  });
});

describe('withdrawRelease', () => {
  it('stops serving a release, keeps it listed, and asOf before the withdrawal still sees it', async () => {
    const { body } = await upload(hub, {
      content: deathsFile([[2022, 999]]),
      token: mortalityKey,
      publishedAt: '2026-10-01',
    });
    const id = body.data!.publishRelease.release.id;
    const dayBefore = new Date().toISOString().slice(0, 10);
    const withdraw = await hub.hub.fetch('http://rusdata.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${mortalityKey}` },
      body: JSON.stringify({
        query: `mutation { withdrawRelease(id: "${id}", reason: "wrong file") { id withdrawnAt } }`,
      }),
    });
    expect(((await withdraw.json()) as { errors?: unknown }).errors).toBeUndefined();
    const after = await hub.data<{ drugDeaths: { value: number }[] }>('{ drugDeaths(from: 2022, to: 2022) { value } }');
    expect(after.drugDeaths.map((d) => d.value)).not.toContain(999);
    // The day the hub withdrew it (read around the call, so a run across midnight passes too).
    const days = [dayBefore, new Date().toISOString().slice(0, 10)];
    const listed = await hub.data<{
      sources: { id: string; releases: { id: string; withdrawnAt: string | null }[] }[];
    }>('{ sources { id releases { id withdrawnAt } } }');
    const release = listed.sources.find((s) => s.id === 'mortality')!.releases.find((r) => r.id === id)!;
    expect(days).toContain(release.withdrawnAt);
  });
});
