import type { Plugin } from 'graphql-yoga';

// CORS for a public API: the hub uses no cookies, so every answer allows any origin with `*`
// and no credentials (a browser then sends none), and the answer is the same for every origin
// (no `Vary: Origin`, so caches keep one copy). Keys travel in the Authorization header, which a
// preflight allows by name. Yoga's own `cors` option cannot send `*`: @whatwg-node/server echoes
// the request's origin for `origin: '*'` (and adds credentials unless told not to).

/** Headers of every answer, including the HTTP cache's (hits and 304s, answered before Yoga). */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  // Readable by scripts: ETag to revalidate (If-None-Match), the file name of a download.
  'access-control-expose-headers': 'ETag, Content-Disposition',
};

/** The request headers browsers may send: JSON bodies, API keys, idempotent publishing, revalidation, Apollo's. */
const ALLOWED_HEADERS = [
  'content-type',
  'accept',
  'authorization',
  'x-api-key',
  'idempotency-key',
  'if-none-match',
  'apollo-require-preflight',
  'apollographql-client-name',
  'apollographql-client-version',
  'x-apollo-operation-name',
];

const PREFLIGHT_HEADERS = {
  ...CORS_HEADERS,
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': ALLOWED_HEADERS.join(', '),
  'access-control-max-age': '86400',
};

/** Answers preflights (OPTIONS, on any path) and puts the CORS headers on every answer. */
export function useCors(): Plugin {
  return {
    onRequest({ request, fetchAPI, endResponse }) {
      if (request.method !== 'OPTIONS') return;
      endResponse(
        new fetchAPI.Response(null, { status: 204, headers: { ...PREFLIGHT_HEADERS, 'content-length': '0' } }),
      );
    },
    onResponse({ response }) {
      for (const [name, value] of Object.entries(CORS_HEADERS)) response.headers.set(name, value);
    },
  };
}
