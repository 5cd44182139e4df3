import { describe, expect, it } from 'vitest';
import { TEST_DATE, useTestHub } from '../helpers/hub.ts';
import { deathsFile, keyFor, upload } from '../helpers/publishing.ts';
import { readEvents } from '../helpers/sse.ts';

// The release calendar on a hub whose clock the tests move: a release dated ahead is invisible to
// every public read until its instant, and then public with no write and no restart.

let now = TEST_DATE; // 2026-12-01T12:00Z
const hub = useTestHub({ clock: () => now });
/** Moves the hub's clock; the next request sees the time (and announces the embargoes it ended). */
const at = async (iso: string) => {
  now = new Date(iso);
  await hub.query('{ sources { id } }');
};

const DEATHS = '{ drugDeaths(from: 2023, to: 2025) { year value } }';
const get = (query: string, headers: Record<string, string> = {}) =>
  hub.hub.fetch(`http://rusdata.test/graphql?query=${encodeURIComponent(query)}`, {
    headers: { accept: 'application/graphql-response+json', ...headers },
  });
const values = async (response: Response) =>
  ((await response.json()) as { data: { drugDeaths: { year: number; value: number }[] } }).data.drugDeaths;
const valueIn = (cells: { year: number; value: number }[], year: number) =>
  cells.find((cell) => cell.year === year)?.value;

let nextValue = 400;
/**
 * Publishes a mortality release revising 2023 and 2025 to a value no other test uses (each test's
 * release becomes public as the clock moves on); returns the value, the release and the key.
 */
async function publishAhead(publishedAt: string, publicFrom?: string) {
  const value = nextValue++;
  const token = await keyFor(hub, 'mortality');
  const content = deathsFile([
    [2023, value],
    [2025, value],
  ]);
  const { body } = await upload(hub, { content, token, publishedAt, publicFrom });
  expect(body.errors).toBeUndefined();
  return { token, value, release: body.data!.publishRelease.release };
}

describe('the instant a release becomes public', () => {
  it('is 08:00 Oslo time on its date for a release dated ahead', async () => {
    await at('2026-12-01T12:00:00Z');
    const { release } = await publishAhead('2026-12-03');
    expect(release.publicFrom).toBe('2026-12-03T07:00:00.000Z');
  });

  it('is at once for a release dated today or earlier', async () => {
    await at('2026-12-04T12:00:00Z');
    const { release } = await publishAhead('2026-12-04');
    expect(release.publicFrom).toBe('2026-12-04T12:00:00.000Z');
  });
});

describe('embargo', () => {
  it('keeps a release out of every public read until its instant, and latest always equals asOf today', async () => {
    await at('2027-01-10T12:00:00Z');
    const { release, value } = await publishAhead('2027-01-12', '2027-01-12T08:00:00+01:00');
    const latest = await values(await get(DEATHS));
    expect(valueIn(latest, 2023)).not.toBe(value);
    expect(valueIn(latest, 2025)).not.toBe(value);
    expect(await values(await get('{ drugDeaths(from: 2023, to: 2025, asOf: "2027-01-10") { year value } }'))).toEqual(
      latest,
    );
    // Listings and downloads.
    const listed = await hub.data<{ sources: { releases: { id: string }[]; latestRelease: { id: string } }[] }>(
      '{ sources { releases { id } latestRelease { id } } }',
    );
    expect(listed.sources.flatMap((source) => source.releases.map(({ id }) => id))).not.toContain(release.id);
    expect(listed.sources.map((source) => source.latestRelease.id)).not.toContain(release.id);
    const csv = await (await hub.hub.fetch('http://rusdata.test/data/drugDeaths.csv?from=2023&to=2025')).text();
    expect(csv).not.toContain(release.id);
    await at('2027-01-12T07:00:00Z');
    expect(valueIn(await values(await get(DEATHS)), 2025)).toBe(value);
  });

  it('keeps a year only an embargoed release has out of the coverage', async () => {
    await at('2027-01-20T12:00:00Z');
    const token = await keyFor(hub, 'mortality');
    const { body } = await upload(hub, { content: deathsFile([[2026, 300]]), token, publishedAt: '2027-01-25' });
    expect(body.errors).toBeUndefined();
    const outside = await hub.query('{ drugDeaths(from: 2026, to: 2026) { value } }');
    expect(outside.errors?.[0]?.extensions?.code).toBe('OUT_OF_COVERAGE');
    await at('2027-01-25T07:00:00Z');
    expect(await hub.data('{ drugDeaths(from: 2026, to: 2026) { value } }')).toEqual({ drugDeaths: [{ value: 300 }] });
  });

  it('lists the release in the calendar with its metadata only', async () => {
    await at('2027-02-01T12:00:00Z');
    const { release } = await publishAhead('2027-02-05');
    const { releaseCalendar } = await hub.data<{
      releaseCalendar: {
        id: string;
        label: string;
        publicFrom: string;
        note: string | null;
        checksum: string | null;
      }[];
    }>('{ releaseCalendar(source: ["mortality"]) { id label status publicFrom note checksum source { id } } }');
    expect(releaseCalendar.map(({ id }) => id)).toContain(release.id);
    const entry = releaseCalendar.find(({ id }) => id === release.id)!;
    expect(entry).toMatchObject({ publicFrom: '2027-02-05T07:00:00.000Z', note: null, checksum: null });
    const times = releaseCalendar.map(({ publicFrom }) => publicFrom);
    expect(times).toEqual([...times].sort());
  });

  it('keeps no calendar answer anywhere: the next request lists a release stored since', async () => {
    await at('2027-02-10T12:00:00Z');
    const CALENDAR = '{ releaseCalendar(source: ["mortality"]) { id } }';
    const first = await get(CALENDAR);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.headers.get('etag')).toBeNull();
    const { release } = await publishAhead('2027-02-15');
    const listed = (await (await get(CALENDAR)).json()) as { data: { releaseCalendar: { id: string }[] } };
    expect(listed.data.releaseCalendar.map(({ id }) => id)).toContain(release.id);
  });

  it('leaves every public ETag as it was when a release is stored under embargo', async () => {
    await at('2027-02-20T12:00:00Z');
    const before = await get(DEATHS);
    await publishAhead('2027-02-25');
    await hub.query('{ sources { id } }'); // the hub has read the new data version
    const after = await get(DEATHS);
    expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
    expect(await values(after)).toEqual(await values(before));
    expect((await get(DEATHS, { 'if-none-match': before.headers.get('etag')! })).status).toBe(304);
  });

  it('names the valid sources when the calendar is asked for an unknown one', async () => {
    const answer = await hub.query('{ releaseCalendar(source: ["nope"]) { id } }');
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'UNKNOWN_CODE', argument: 'source' });
    expect(answer.errors?.[0]?.message).toMatch(/Valid sources: .*mortality/);
  });

  it('shortens max-age to the seconds left before the instant and keeps the ETag until then', async () => {
    await at('2027-03-01T06:59:00Z');
    const { value } = await publishAhead('2027-03-01', '2027-03-01T08:00:00+01:00'); // 60 s from now
    await at('2027-03-01T06:59:30Z');
    const before = await get(DEATHS);
    expect(before.headers.get('cache-control')).toBe('public, max-age=30');
    const etag = before.headers.get('etag');
    await at('2027-03-01T06:59:50Z');
    const again = await get(DEATHS);
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('cache-control')).toBe('public, max-age=10');
    await at('2027-03-01T07:00:00.200Z');
    const after = await get(DEATHS);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(valueIn(await values(after), 2023)).toBe(value);
    // A revalidation with the old ETag gets the new answer, not 304.
    expect((await get(DEATHS, { 'if-none-match': etag! })).status).toBe(200);
  });

  it('announces the release to subscribers at its instant, not at upload', async () => {
    await at('2027-04-01T05:00:00Z');
    const response = await hub.hub.fetch(
      `http://rusdata.test/graphql?query=${encodeURIComponent('subscription { releasePublished(source: "mortality") { id } }')}`,
      { headers: { accept: 'text/event-stream' } },
    );
    const events = readEvents(response, 60_000);
    await events.started();
    const received: unknown[] = [];
    const reading = (async () => {
      for (;;) received.push(await events.next());
    })().catch(() => {});
    const { release } = await publishAhead('2027-04-01', '2027-04-01T08:00:00+02:00');
    await hub.query('{ sources { id } }');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received).toEqual([]);
    await at('2027-04-01T06:00:00.100Z'); // 08:00 in Oslo (summer time)
    for (let waited = 0; !received.length && waited < 5_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(received).toEqual([{ data: { releasePublished: { id: release.id } } }]);
    await events.close();
    await reading;
  });
});

describe('pre-release access', () => {
  it('lets a key scoped to the source read the release early, privately, and audits the read', async () => {
    await at('2027-05-01T12:00:00Z');
    const { token, release, value } = await publishAhead('2027-05-10');
    const early = await get(DEATHS, { authorization: `Bearer ${token}` });
    expect(early.headers.get('cache-control')).toBe('private, no-store');
    expect(early.headers.get('etag')).toBeNull();
    expect(valueIn(await values(early), 2025)).toBe(value);
    const admin = await keyFor(hub, 'admin');
    const response = await hub.hub.fetch('http://rusdata.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ query: '{ auditLog(first: 5) { action releaseId actor } }' }),
    });
    const { auditLog } = (
      (await response.json()) as { data: { auditLog: { action: string; releaseId: string; actor: string }[] } }
    ).data;
    expect(auditLog).toContainEqual(
      expect.objectContaining({ action: 'PRE_RELEASE_READ', releaseId: release.id, actor: token.slice(3, 15) }),
    );
  });

  it('does not let a key of another source see it', async () => {
    await at('2027-06-01T12:00:00Z');
    const { value } = await publishAhead('2027-06-10');
    const other = await keyFor(hub, 'survey');
    const answer = await values(await get(DEATHS, { authorization: `Bearer ${other}` }));
    expect(valueIn(answer, 2025)).not.toBe(value);
  });
});

describe('reschedule and cancel', () => {
  const reschedule = async (token: string, id: string, publicFrom: string) => {
    const response = await hub.hub.fetch('http://rusdata.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: 'mutation($id: ID!, $at: DateTime!) { rescheduleRelease(id: $id, publicFrom: $at) { id publicFrom } }',
        variables: { id, at: publicFrom },
      }),
    });
    return (await response.json()) as {
      data?: { rescheduleRelease: { publicFrom: string } };
      errors?: { message: string; extensions: Record<string, unknown> }[];
    };
  };

  it('moves the instant of a release not yet public, and refuses once it is public', async () => {
    await at('2027-07-01T12:00:00Z');
    const { token, release } = await publishAhead('2027-07-10');
    const moved = await reschedule(token, release.id, '2027-07-11T08:00:00+02:00');
    expect(moved.data?.rescheduleRelease.publicFrom).toBe('2027-07-11T06:00:00.000Z');
    await at('2027-07-11T06:00:01Z');
    const late = await reschedule(token, release.id, '2027-07-12T08:00:00+02:00');
    expect(late.errors?.[0]?.extensions).toMatchObject({ code: 'RELEASE_NOT_SCHEDULED', argument: 'id' });
    expect(late.errors?.[0]?.message).toMatch(/public since 2027-07-11T06:00:00.000Z/);
  });

  it('refuses an instant before the publication date, naming publicFrom', async () => {
    await at('2027-08-01T12:00:00Z');
    const token = await keyFor(hub, 'mortality');
    const { body } = await upload(hub, {
      content: deathsFile([[2025, 1]]),
      token,
      publishedAt: '2027-08-10',
      publicFrom: '2027-08-09T08:00:00+02:00',
    });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'publicFrom' });
    expect(body.errors?.[0]?.message).toMatch(/before publishedAt 2027-08-10/);
  });

  it('cancels a release not yet public by withdrawing it: it never becomes public', async () => {
    await at('2027-09-01T12:00:00Z');
    const { token, release, value } = await publishAhead('2027-09-05');
    const response = await hub.hub.fetch('http://rusdata.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `mutation { withdrawRelease(id: "${release.id}", reason: "postponed") { id } }` }),
    });
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    await at('2027-09-06T12:00:00Z');
    expect(valueIn(await values(await get(DEATHS)), 2025)).not.toBe(value);
    const { releaseCalendar } = await hub.data<{ releaseCalendar: { id: string }[] }>('{ releaseCalendar { id } }');
    expect(releaseCalendar.map(({ id }) => id)).not.toContain(release.id);
  });
});
