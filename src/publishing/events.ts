import { createPubSub, type PubSub } from 'graphql-yoga';
import { type CatalogueRelease, ReleaseCatalogue } from '../cube/release-catalogue.ts';
import { RELEASE_CHANNEL } from '../db/data-version.ts';
import type { Database } from '../db/database.ts';

/** Announced when a release becomes public or is withdrawn, by whichever process wrote it. */
export interface ReleaseChanged {
  kind: 'PUBLISHED' | 'WITHDRAWN';
  sourceId: string;
  releaseId: string;
  /** The data version (data_version.version) the hub had read when it heard of the change. */
  version: string;
}

/** A release that is not public yet: it becomes public at `publicFrom`. */
export interface ScheduledRelease {
  id: string;
  sourceId: string;
  publicFrom: Date;
}

/** What the hub knows of the data at one instant: every request is answered from one of these. */
export interface DataSnapshot {
  /** The instant: releases public from then or earlier answer. */
  at: Date;
  /** The data version (data_version.version) last read from the database. */
  heard: string;
  /**
   * The version of the public data at `at`: the database's identity, the public data version
   * (data_version.public_version) and the latest `publicFrom` passed. Every hub of one database
   * gives the same at the same time; it moves when a change public at once is written (a release,
   * a withdrawal, codelists) and when an embargo ends, not when a release is stored under embargo.
   */
  version: string;
  /** When the next release under embargo becomes public: no public answer may be kept past it. */
  nextPublicFrom: Date | undefined;
  /** Every release, read with `heard` in one snapshot. */
  releases: ReleaseCatalogue;
}

type Topics = { 'release:changed': [ReleaseChanged] };

export interface ReleaseEvents extends PubSub<Topics> {
  /** The data as of now (advancing past every embargo that has ended). */
  snapshot(): DataSnapshot;
  /** The version of the public data now (`snapshot().version`). */
  version(): string;
  /**
   * Called (synchronously, before subscribers hear of it) whenever the data changes: the public
   * version, or the data version alone (a release stored under embargo, which pre-release reads see).
   */
  onChange(listener: () => void): void;
  /** A read saw this data version: if it is newer than the one heard, the hub reads the database again at once. */
  sawVersion(version: string): void;
  /** Reads the data version and the calendar again (after a lost notice, or to poll). */
  refresh(): Promise<void>;
  /** Resolves once the hub listens and knows the data version. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * A hot standby refuses LISTEN (and replays NOTIFY to no one): a hub on one alone reads the data
 * version and the calendar every second instead.
 */
function pollEverySecond(refresh: () => Promise<void>): { ready: Promise<void>; close(): Promise<void> } {
  const timer = setInterval(() => {
    refresh().catch((error: Error) => console.error('reading the data version failed:', error.message));
  }, POLL_MS);
  timer.unref();
  return { ready: refresh(), close: async () => clearInterval(timer) };
}

/** How often a hub on a standby alone reads the data version. */
export const POLL_MS = 1000;

/** The longest a timer may wait (setTimeout's limit, about 24.8 days): it is armed again then. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * Release events and the release calendar, through PostgreSQL itself. A trigger on the release
 * table bumps the data version and sends NOTIFY when a release is written, withdrawn or
 * rescheduled, whoever wrote it (a hub, the CLI, a SQL script). On every notice, and after every
 * (re)connection, the hub reads the data version and every release (the calendar: those not
 * withdrawn; the catalogue cube statements take their releases from: all of them); what changed
 * since its last reading is what it announces. A release under embargo is announced, and the
 * version moves, at its `publicFrom` (a timer, and every snapshot, checks the clock), so every hub
 * serves it within a moment of the instant with no write and no restart.
 */
export function createReleaseEvents(db: Database, clock: () => Date = () => new Date()): ReleaseEvents {
  const pubSub = createPubSub<Topics>();
  const listeners: (() => void)[] = [];
  let heard = 'unknown';
  /** data_version.public_version at the last reading. */
  let publicHeard = '';
  let databaseId = '';
  /** The latest publicFrom passed (ms): part of the version, so it moves when an embargo ends. */
  let passed = 0;
  /** Releases under embargo, soonest first. */
  let upcoming: ScheduledRelease[] = [];
  let releases = new ReleaseCatalogue([]);
  /** The public releases the hub knows of, with their source (undefined before the first reading). */
  let announced: Map<string, string> | undefined;
  let version = '';
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const announce = (kind: ReleaseChanged['kind'], releaseId: string, sourceId: string) =>
    pubSub.publish('release:changed', { kind, releaseId, sourceId, version: heard });

  /** Everything the hub derived from the data depends on: listeners hear when it moves. */
  let state = '';
  const setVersion = () => {
    version = `${databaseId}/${publicHeard}/${passed}`;
    const next = `${databaseId}/${heard}/${passed}`;
    if (next === state) return;
    state = next;
    for (const listener of listeners) listener();
  };

  /** Makes a release public: announced once, when the hub first knows it public. */
  const publish = (id: string, sourceId: string) => {
    if (!announced || announced.has(id)) return;
    announced.set(id, sourceId);
    announce('PUBLISHED', id, sourceId);
  };

  /** Moves every release whose embargo has ended by `at` to the public ones; returns them. */
  const pass = (at: Date): ScheduledRelease[] => {
    const ended: ScheduledRelease[] = [];
    while (upcoming[0] && upcoming[0].publicFrom <= at) {
      const release = upcoming.shift() as ScheduledRelease;
      passed = Math.max(passed, release.publicFrom.getTime());
      ended.push(release);
    }
    return ended;
  };

  const arm = () => {
    clearTimeout(timer);
    const next = upcoming[0];
    if (!next || closed) return;
    const wait = Math.min(Math.max(next.publicFrom.getTime() - clock().getTime(), 0), LONGEST_TIMER_MS);
    timer = setTimeout(() => void snapshot(), wait);
    timer.unref();
  };

  const snapshot = (): DataSnapshot => {
    const at = clock();
    const ended = pass(at);
    if (ended.length) {
      setVersion();
      for (const release of ended) publish(release.id, release.sourceId);
      arm();
    }
    return { at, heard, version, nextPublicFrom: upcoming[0]?.publicFrom, releases };
  };

  const read = async () => {
    const { rows } = await db.pool.query<{
      version: string;
      publicVersion: string;
      databaseId: string;
      releases: (Omit<CatalogueRelease, 'publicFrom'> & { publicFrom: string })[];
    }>(
      `SELECT v.version::text AS version, v.public_version::text AS "publicVersion", v.database_id::text AS "databaseId",
              coalesce(json_agg(json_build_object('id', r.id, 'sourceId', r.source_id, 'publicFrom', r.public_from,
                  'publishedAt', to_char(r.published_at, 'YYYY-MM-DD'), 'withdrawnOn', to_char(r.withdrawn_at::date, 'YYYY-MM-DD'))
                ORDER BY r.published_at DESC, r.created_at DESC, r.id DESC) FILTER (WHERE r.id IS NOT NULL), '[]') AS releases
       FROM data_version v LEFT JOIN "release" r ON true
       GROUP BY v.version, v.public_version, v.database_id`,
    );
    const [row] = rows;
    if (!row) throw new Error('data_version has no row: is the database migrated?');
    const at = clock();
    const latestFirst = row.releases.map((release) => ({ ...release, publicFrom: new Date(release.publicFrom) }));
    heard = row.version;
    publicHeard = row.publicVersion;
    databaseId = row.databaseId;
    releases = new ReleaseCatalogue(latestFirst);
    upcoming = [];
    passed = 0;
    const isPublic = new Map<string, string>();
    // The calendar: releases not withdrawn, in the order they become public.
    const standing = latestFirst
      .filter((release) => release.withdrawnOn === null)
      .sort((a, b) => a.publicFrom.getTime() - b.publicFrom.getTime() || (a.id < b.id ? -1 : 1));
    for (const { id, sourceId, publicFrom } of standing) {
      if (publicFrom > at) upcoming.push({ id, sourceId, publicFrom });
      else {
        passed = Math.max(passed, publicFrom.getTime());
        isPublic.set(id, sourceId);
      }
    }
    setVersion();
    arm();
    // The first reading knows what is public; later ones announce what changed since.
    if (!announced) {
      announced = isPublic;
      return;
    }
    for (const [id, sourceId] of isPublic) publish(id, sourceId);
    const stands = new Set(standing.map((release) => release.id));
    for (const [id, sourceId] of announced) {
      if (isPublic.has(id)) continue;
      announced.delete(id);
      if (!stands.has(id)) announce('WITHDRAWN', id, sourceId);
    }
  };

  // One reading at a time; a notice during a reading asks for one more after it.
  let reading: Promise<void> | undefined;
  let again = false;
  const refresh = (): Promise<void> => {
    if (reading) {
      again = true;
      return reading;
    }
    reading = (async () => {
      try {
        do {
          again = false;
          await read();
        } while (again && !closed);
      } finally {
        reading = undefined;
      }
    })();
    return reading;
  };

  const listener = db.readOnly
    ? pollEverySecond(refresh)
    : db.listen(RELEASE_CHANNEL, {
        onNotification() {
          refresh().catch((error: Error) => console.error('reading the data version failed:', error.message));
        },
        onListening: () => refresh(),
      });
  return Object.assign(pubSub, {
    snapshot,
    version: () => snapshot().version,
    onChange: (callback: () => void) => void listeners.push(callback),
    sawVersion(seen: string) {
      if (heard !== 'unknown' && BigInt(seen) > BigInt(heard)) void refresh().catch(() => {});
    },
    refresh,
    ready: listener.ready,
    async close() {
      closed = true;
      clearTimeout(timer);
      await listener.close();
    },
  });
}
