import type { ApiKey } from '../db/generated/prisma/client.ts';
import type { RegisteredSource } from '../importing/source-module.ts';
import type { KeyProblem } from './api-keys.ts';
import type { ReleaseEvents } from './events.ts';

// What publishing adds to every resolver's context, by declaration merging, so that the layers
// below (which define Context) need not know about keys, events or uploads; `server/` fills it in.
declare module '../graphql/context.ts' {
  interface Context {
    events: ReleaseEvents;
    sources: readonly RegisteredSource[];
    maxUploadBytes: number;
    /** The API key of the request, or why there is none; checked once per request, on first use. */
    apiKey(): Promise<ApiKey | KeyProblem>;
    /** The request's Idempotency-Key header. */
    idempotencyKey: string | null;
  }
}
