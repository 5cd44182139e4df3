import { createPubSub, type PubSub } from 'graphql-yoga';
import { RELEASE_CHANNEL } from '../db/data-version.ts';
import type { Database } from '../db/database.ts';

/** Announced after a release was committed or withdrawn, by whichever process wrote it. */
export interface ReleaseChanged {
  kind: 'PUBLISHED' | 'WITHDRAWN';
  sourceId: string;
  releaseId: string;
  /** The data version the change produced (data_version.version). */
  version: string;
}

type Topics = { 'release:changed': [ReleaseChanged] };

/** The channel the trigger on "release" notifies (migration 20261127050000_release_events). */

export interface ReleaseEvents extends PubSub<Topics> {
  /** The data version last read from the database: equal on every replica that has seen the same releases. */
  version(): string;
  /** Called (synchronously, before subscribers hear of it) whenever the data version changes. */
  onChange(listener: () => void): void;
  /** Resolves once the hub listens and knows the data version. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Release events through PostgreSQL itself: a trigger on the release table bumps the data version
 * and sends NOTIFY when a release is committed or withdrawn, whoever wrote it (a hub, the CLI, a
 * SQL script). Every hub LISTENs and hands the event to its caches and its `releasePublished`
 * subscribers. After a lost connection the version is read again, so missed events still clear
 * the caches.
 */
export function createReleaseEvents(db: Database): ReleaseEvents {
  const pubSub = createPubSub<Topics>();
  const listeners: (() => void)[] = [];
  let version = 'unknown';
  const setVersion = (next: string) => {
    if (next === version) return;
    version = next;
    for (const listener of listeners) listener();
  };
  const listener = db.listen(RELEASE_CHANNEL, {
    onNotification(payload) {
      const event = JSON.parse(payload) as Partial<Omit<ReleaseChanged, 'version'>> & { version: number | string };
      setVersion(String(event.version));
      // A notice without a release (changed codelists) only moves the version.
      const { kind, sourceId, releaseId } = event;
      if (kind && sourceId && releaseId) {
        pubSub.publish('release:changed', { kind, sourceId, releaseId, version: String(event.version) });
      }
    },
    async onListening() {
      const { rows } = await db.pool.query<{ version: string }>('SELECT version::text FROM data_version');
      setVersion(rows[0]?.version ?? '0');
    },
  });
  return Object.assign(pubSub, {
    version: () => version,
    onChange: (callback: () => void) => void listeners.push(callback),
    ready: listener.ready,
    close: () => listener.close(),
  });
}
