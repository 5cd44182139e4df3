import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, type PubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';

/** Announced after a release was published or withdrawn (after the transaction committed). */
export interface ReleaseChanged {
  kind: 'PUBLISHED' | 'WITHDRAWN';
  sourceId: string;
  releaseId: string;
}

type Topics = { 'release:changed': [ReleaseChanged] };

export interface ReleaseEvents extends PubSub<Topics> {
  close(): Promise<void>;
}

/**
 * Release events: in-process by default; across hub processes through Redis when `redisUrl` is
 * given (graphql-yoga's Redis event target), so a publish on one replica reaches every other.
 */
export function createReleaseEvents(redisUrl?: string): ReleaseEvents {
  if (!redisUrl) return Object.assign(createPubSub<Topics>(), { close: async () => {} });
  const publishClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const subscribeClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const pubSub = createPubSub<Topics>({ eventTarget: createRedisEventTarget({ publishClient, subscribeClient }) });
  return Object.assign(pubSub, {
    async close() {
      await Promise.all([publishClient.quit(), subscribeClient.quit()]);
    },
  });
}
