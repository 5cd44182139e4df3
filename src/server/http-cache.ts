import { createHash } from 'node:crypto';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface HttpCacheOptions {
  /** The data version (from the database): equal on every replica that has seen the same releases. */
  version(): string;
  /** How long an answer is kept in memory (ms); 0 keeps none (ETags and 304 still work). */
  ttlMs: number;
  /** `Cache-Control: public, max-age=<seconds>` on public answers. */
  maxAgeSeconds: number;
  /** Answers kept at most (the oldest go first). */
  maxEntries?: number;
}

interface Pending {
  etag: string;
  version: string;
  query?: boolean;
}

interface Entry {
  body: string;
  contentType: string;
  expires: number;
}

const PRIVATE = 'private, no-store';

/** True when an answer may be cached: none of its errors is an unexpected (masked) one. */
function isStable(body: string): boolean {
  const { errors } = JSON.parse(body) as { errors?: { extensions?: { code?: string } }[] };
  return !errors?.some((error) => !error.extensions?.code || error.extensions.code === 'INTERNAL_SERVER_ERROR');
}

/**
 * HTTP caching of public GraphQL answers. The ETag is a hash of the data version and the request
 * exactly as sent (method, accept, query string or body), so replicas on one database agree and a
 * release changes it. A repeated request is answered here, in `onRequest`, before Yoga parses,
 * validates or executes anything: from the memory cache, or with 304 when `If-None-Match` names
 * the current ETag. Only answers to queries are kept; requests with an API key are never
 * cached (`private, no-store`). Not @graphql-yoga/plugin-response-cache: it answers only after
 * parsing and validation, and sets no ETag that replicas agree on.
 */
export function useHttpCache({ version, ttlMs, maxAgeSeconds, maxEntries = 1000 }: HttpCacheOptions): Plugin {
  const cache = new Map<string, Entry>();
  const pending = new WeakMap<Request, Pending>();
  // Requests answered here (cache hit, 304): onResponse sees those answers too and leaves them be.
  const answered = new WeakSet<Request>();
  const publicControl = `public, max-age=${maxAgeSeconds}`;
  let cachedVersion = '';
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== '/graphql' || (request.method !== 'GET' && request.method !== 'POST')) return;
      const accept = request.headers.get('accept') ?? '';
      if (request.headers.has('authorization') || request.headers.has('x-api-key')) return;
      if (accept.includes('text/event-stream') || accept.includes('text/html')) return;
      if (request.headers.get('content-type')?.startsWith('multipart/')) return;
      const current = version();
      const sent = request.method === 'GET' ? url.search : await request.clone().text();
      const etag = `"${createHash('sha256').update(`${current}\n${request.method}\n${accept}\n${sent}`).digest('base64url')}"`;
      const headers = { etag, 'cache-control': publicControl, vary: 'accept' };
      const presented = request.headers.get('if-none-match');
      if (presented?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
        answered.add(request);
        endResponse(new Response(null, { status: 304, headers }));
        return;
      }
      if (cachedVersion !== current) {
        cache.clear();
        cachedVersion = current;
      }
      const hit = cache.get(etag);
      if (hit && hit.expires > Date.now()) {
        answered.add(request);
        endResponse(new Response(hit.body, { status: 200, headers: { ...headers, 'content-type': hit.contentType } }));
        return;
      }
      pending.set(request, { etag, version: current });
    },
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      const state = request && pending.get(request);
      if (state) state.query = getOperationAST(args.document, args.operationName)?.operation === 'query';
    },
    async onResponse({ request, response }) {
      if (answered.has(request) || new URL(request.url).pathname !== '/graphql') return;
      const state = pending.get(request);
      const contentType = response.headers.get('content-type') ?? '';
      if (contentType.includes('text/event-stream') || contentType.includes('text/html')) return;
      // A release committed while this answer was made: it may hold either version's data.
      if (!state?.query || response.status !== 200 || state.version !== version()) {
        response.headers.set('cache-control', PRIVATE);
        return;
      }
      const body = await response.clone().text();
      if (!isStable(body)) {
        response.headers.set('cache-control', PRIVATE);
        return;
      }
      response.headers.set('etag', state.etag);
      response.headers.set('cache-control', publicControl);
      response.headers.set('vary', 'accept');
      if (ttlMs <= 0 || cachedVersion !== state.version) return;
      const oldest = cache.keys().next();
      if (cache.size >= maxEntries && !oldest.done) cache.delete(oldest.value);
      cache.set(state.etag, { body, contentType, expires: Date.now() + ttlMs });
    },
  };
}
