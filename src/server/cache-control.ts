import type { DataSnapshot } from '../publishing/events.ts';
import type { HttpCacheOptions, Pending } from './http-cache.ts';

// The caching headers of answers on /graphql, for the HTTP cache in front of the server
// (http-cache.ts), its plugin inside it (http-cache-plugin.ts) and the direct route.

const PRIVATE = 'private, no-store';
/** Public, but changing with releases under embargo, which the ETag does not name. */
const UNCACHED = 'no-store';

/** The common Cache-Control strings, made once (a hit should not build one). */
const PUBLIC_CONTROLS = new Map([0, 60, 300, 3600].map((seconds) => [seconds, `public, max-age=${seconds}`]));

/** `public, max-age=...`, never past the next end of an embargo (a CDN must not keep the old answer). */
export function publicControl(maxAgeSeconds: number, snapshot: DataSnapshot): string {
  if (!snapshot.nextPublicFrom)
    return PUBLIC_CONTROLS.get(maxAgeSeconds) ?? `public, max-age=${Math.max(0, maxAgeSeconds)}`;
  const left = snapshot.nextPublicFrom
    ? Math.floor((snapshot.nextPublicFrom.getTime() - snapshot.at.getTime()) / 1000)
    : maxAgeSeconds;
  return `public, max-age=${Math.max(0, Math.min(maxAgeSeconds, left))}`;
}
/**
 * The caching headers of an answer on /graphql. Public (ETag, Cache-Control) when the request came
 * through the cache and was a query answered without unexpected errors, every read of which saw
 * the data version it was asked on (reads without a version of their own are confirmed by reading
 * the version after them: it cannot have moved in between if it has not moved since); `no-store`
 * when it read the release calendar; otherwise `private, no-store`.
 */
export async function cachingHeaders(
  pending: Pending | undefined,
  status: number,
  { snapshot, maxAgeSeconds, currentVersion }: Pick<HttpCacheOptions, 'snapshot' | 'maxAgeSeconds' | 'currentVersion'>,
): Promise<Record<string, string>> {
  const asked = pending?.snapshot;
  const isPublic =
    pending?.query &&
    pending.stable &&
    pending.consistent &&
    status === 200 &&
    asked?.version === snapshot().version &&
    (!pending.unversioned || (await currentVersion()) === asked.heard);
  if (!pending || !asked || !isPublic) return { 'cache-control': PRIVATE };
  if (pending.calendar) return { 'cache-control': UNCACHED };
  return { etag: pending.etag, 'cache-control': publicControl(maxAgeSeconds, asked), vary: 'accept' };
}
