import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { DocumentNode } from 'graphql';
import type { VersionRecorder } from '../cube/read-view.ts';
import type { DataSnapshot } from '../publishing/events.ts';
import { cachingHeaders, publicControl } from './cache-control.ts';
import { countDirect, countHit, countMiss, countNotModified } from './metrics.ts';

export interface HttpCacheOptions {
  /** The data as of now: its version is equal on every hub of one database at one time. */
  snapshot(): DataSnapshot;
  /** How long an answer is kept in memory (ms); 0 keeps none (ETags and 304 still work). */
  ttlMs: number;
  /** `Cache-Control: public, max-age=<seconds>` on public answers. */
  maxAgeSeconds: number;
  /** Answers kept at most (the oldest go first). */
  maxEntries?: number;
  /** Headers of every answer the cache gives itself (hits, 304s and direct answers), e.g. CORS. */
  headers?: Readonly<Record<string, string>>;
  /** The data version in the database now (confirms an answer that read without a version of its own). */
  currentVersion(): Promise<string>;
}

/** Answers a request the cache missed without the GraphQL server when it can (see direct-queries.ts). */
export interface DirectRoute {
  /** The answer's body and content type, or undefined: the server answers. */
  answer(head: RequestHead, body: string, pending: Pending): Promise<{ body: string; contentType: string } | undefined>;
  /** The server answered a request the route did not (status 200): the route may answer it next time. */
  learn(head: RequestHead, body: string, pending: Pending, contentType: string): void;
}

/** A fetch handler and a Node request listener: what serves the hub (yoga, here). */
export interface Handler {
  (req: IncomingMessage, res: ServerResponse): unknown;
  fetch(input: string | URL | Request, init?: RequestInit, serverContext?: object): Promise<Response> | Response;
}

/** One request's way through the cache, handed to the GraphQL server as `httpCache` in its server context. */
export interface Pending {
  etag: string;
  /** The data the request is answered from (its instant and version). */
  snapshot: DataSnapshot;
  /** Where the request's reads report the data version they saw. */
  reads: VersionRecorder;
  /** False once a read saw another data version than the snapshot's: the answer is not public. */
  consistent: boolean;
  /** A read that reports no version (an ORM query) ran: the version is confirmed after the answer. */
  unversioned?: boolean;
  /** The answer read the release calendar, which public ETags do not name: it is not kept anywhere. */
  calendar?: boolean;
  /** The POST body the cache read (the server's JSON parser gets it from here, not from a stream). */
  body?: string;
  /** Set by the plugin: the operation is a query ... */
  query?: boolean;
  /** ... and its answer has no unexpected (masked) error. */
  stable?: boolean;
  /** The query the server executed, when its answer had no error at all (the direct route learns it). */
  executed?: { document: DocumentNode; operationName?: string | null };
  /** When the request must be answered by (performance.now()), once the direct route has spent time on it. */
  deadline?: number;
}

interface Entry {
  etag: string;
  body: Buffer;
  contentType: string;
  expires: number;
  /** The headers of a hit, made once, with the Cache-Control they were made with. */
  headers: Record<string, string>;
  control: string;
}

/** What the cache answers itself: a kept answer or a 304. */
interface Answered {
  status: number;
  headers: Record<string, string>;
  body: Buffer | undefined;
}

/** The parts of a request the cache reads, from a fetch Request or a Node request alike. */
export interface RequestHead {
  method: string;
  pathname: string;
  search: string;
  header(name: string): string | undefined;
}

/** Larger POST bodies (and bodies of unknown length) go to the server unread and are not cached. */
const MAX_CACHED_BODY_BYTES = 100_000;

/**
 * HTTP caching of public GraphQL answers, in front of the GraphQL server: a repeated question
 * costs what serving bytes costs. The ETag is a hash of the data version (with the database's
 * identity and the embargoes passed) and the request exactly as sent (method, accept, query string
 * or body), so replicas on one database agree and a release, or the end of an embargo, changes it.
 * An answer is public only if every read behind it saw that very version: an ETag names one body.
 * A request whose ETag is in `If-None-Match` gets 304; one asked before gets the kept bytes; both
 * without Yoga seeing the request. Other requests go to the direct route (direct-queries.ts) when
 * it knows them, else to Yoga. Only answers to queries without unexpected errors are public (see
 * cache-control.ts; inside Yoga, http-cache-plugin.ts); requests with an API key, uploads and
 * event streams pass through and are `private, no-store`. Not @graphql-yoga/plugin-response-cache:
 * it answers only after Yoga has read, parsed and validated the request, and its ETags differ
 * between replicas.
 */
export function withHttpCache(
  server: Handler,
  options: HttpCacheOptions & { onSaw?(version: string): void; direct?: DirectRoute },
) {
  const { snapshot, ttlMs, maxAgeSeconds, maxEntries = 1000, headers: ownHeaders = {} } = options;
  /** Kept answers of the current data version, by the request as sent (method, accept, query or body). */
  const cache = new Map<string, Entry>();
  let cachedVersion = '';

  /** The request as sent: what, with the data version, its ETag names. */
  const requestKey = (head: RequestHead, body: string) =>
    `${head.method}\n${head.header('accept') ?? ''}\n${head.method === 'GET' ? head.search : body}`;

  /** A cacheable request's way through: its ETag (data version and request as sent) and its body. */
  function start(head: RequestHead, body: string, key: string, data: DataSnapshot): Pending {
    const hash = createHash('sha256').update(`${data.version}\n${key}`).digest('base64url');
    const pending: Pending = {
      etag: `"${hash}"`,
      snapshot: data,
      consistent: true,
      body: head.method === 'POST' ? body : undefined,
      reads: {
        heard: data.heard,
        saw(version) {
          if (version !== data.heard) pending.consistent = false;
          options.onSaw?.(version);
        },
        unversionedRead() {
          pending.unversioned = true;
        },
        calendarRead() {
          pending.calendar = true;
        },
      },
    };
    return pending;
  }

  const presents = (head: RequestHead, etag: string) =>
    head
      .header('if-none-match')
      ?.split(',')
      .some((tag) => tag.trim().replace(/^W\//, '') === etag) ?? false;

  /**
   * A 304 or a kept answer for the request, as status, headers and body; otherwise the request's
   * way through the server. A kept answer is found by the request as sent, before any hashing.
   */
  function answer(head: RequestHead, body: string): Answered | { pending: Pending; key: string } {
    const data = snapshot();
    if (cachedVersion !== data.version) {
      cache.clear();
      cachedVersion = data.version;
    }
    const key = requestKey(head, body);
    const hit = cache.get(key);
    if (hit && hit.expires > data.at.getTime()) {
      const control = publicControl(maxAgeSeconds, data);
      const headers = control === hit.control ? hit.headers : { ...hit.headers, 'cache-control': control };
      if (presents(head, hit.etag)) {
        countNotModified();
        const { 'content-type': _type, 'content-length': _length, ...notModified } = headers;
        return { status: 304, headers: notModified, body: undefined };
      }
      countHit();
      return { status: 200, headers, body: hit.body };
    }
    const pending = start(head, body, key, data);
    if (presents(head, pending.etag)) {
      countNotModified();
      const headers = {
        ...ownHeaders,
        etag: pending.etag,
        'cache-control': publicControl(maxAgeSeconds, data),
        vary: 'accept',
      };
      return { status: 304, headers, body: undefined };
    }
    return { pending, key };
  }

  /**
   * Keeps a public answer (its headers, names in lower case, carry its ETag) made while the data
   * version stayed the same, until its time is up or the next embargo ends, whichever comes first.
   */
  function keep(pending: Pending, key: string, answered: Record<string, string>, body: Buffer): void {
    if (ttlMs <= 0 || answered.etag !== pending.etag) return;
    const { version, at, nextPublicFrom } = pending.snapshot;
    if (version !== snapshot().version || cachedVersion !== version) return;
    const oldest = cache.keys().next();
    if (cache.size >= maxEntries && !oldest.done) cache.delete(oldest.value);
    const contentType = answered['content-type'] ?? 'application/json';
    const expires = Math.min(at.getTime() + ttlMs, nextPublicFrom?.getTime() ?? Number.POSITIVE_INFINITY);
    const control = publicControl(maxAgeSeconds, pending.snapshot);
    const headers = {
      ...ownHeaders,
      etag: pending.etag,
      'cache-control': control,
      vary: 'accept',
      'content-type': contentType,
      // A known length: without it Node would send the kept bytes chunked.
      'content-length': String(body.length),
    };
    cache.set(key, { etag: pending.etag, body, contentType, expires, headers, control });
  }

  /**
   * A request the cache missed: the direct route answers it if it can, else the GraphQL server
   * (`viaServer`, given the request's way through). Its answer is kept when public.
   */
  async function missed(
    head: RequestHead,
    body: string,
    key: string,
    first: Pending,
    viaServer: (pending: Pending) => Promise<Response>,
  ): Promise<Answered & { body: Buffer }> {
    let pending = first;
    const direct = await options.direct?.answer(head, body, pending);
    if (direct) countDirect();
    else countMiss();
    if (direct) {
      const bytes = Buffer.from(direct.body);
      const headers = {
        ...ownHeaders,
        'content-type': direct.contentType,
        'content-length': String(bytes.length),
        ...(await cachingHeaders(pending, 200, options)),
      };
      keep(pending, key, headers, bytes);
      return { status: 200, headers, body: bytes };
    }
    // The direct route may have read for this request: the server answers it afresh, in the time left.
    if (pending.deadline !== undefined) {
      pending = { ...start(head, body, key, pending.snapshot), deadline: pending.deadline };
    }
    const response = await viaServer(pending);
    const bytes = Buffer.from(await response.arrayBuffer());
    const headers: Record<string, string> = {};
    for (const [name, value] of response.headers) headers[name.toLowerCase()] = value;
    keep(pending, key, headers, bytes);
    if (response.status === 200 && pending.executed) {
      options.direct?.learn(head, body, pending, headers['content-type'] ?? 'application/json');
    }
    return { status: response.status, headers, body: bytes };
  }

  async function fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const head: RequestHead = {
      method: request.method,
      pathname: url.pathname,
      search: url.search,
      header: (name) => request.headers.get(name) ?? undefined,
    };
    if (!isCacheable(head)) return server.fetch(request);
    const body = request.method === 'POST' ? await request.text() : '';
    const early = answer(head, body);
    if (!('pending' in early)) return new Response(early.body && new Uint8Array(early.body), early);
    const answered = await missed(head, body, early.key, early.pending, (pending) =>
      Promise.resolve(
        server.fetch(
          url,
          { method: request.method, headers: request.headers },
          { httpCache: pending, deadline: pending.deadline },
        ),
      ),
    );
    return new Response(new Uint8Array(answered.body), answered);
  }

  async function handleNode(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const [pathname = '', query] = (req.url ?? '/').split('?', 2);
    const head: RequestHead = {
      method: req.method ?? 'GET',
      pathname,
      search: query === undefined ? '' : `?${query}`,
      header: (name) => headerValue(req.headers, name),
    };
    const length = Number(req.headers['content-length']);
    const readable = head.method === 'GET' || (Number.isInteger(length) && length <= MAX_CACHED_BODY_BYTES);
    if (!isCacheable(head) || !readable) {
      server(req, res);
      return;
    }
    const body = head.method === 'POST' ? await readBody(req) : '';
    const early = answer(head, body);
    if (!('pending' in early)) {
      res.writeHead(early.status, early.headers).end(early.body);
      return;
    }
    try {
      const answered = await missed(head, body, early.key, early.pending, async (pending) => {
        // A plain object: the server's Request reads it lazily (a Headers copy cost every miss).
        const headers: Record<string, string> = {};
        for (const name in req.headers) {
          const value = req.headers[name];
          if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        const url = `http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`;
        return server.fetch(
          url,
          { method: head.method, headers },
          { req, res, httpCache: pending, deadline: pending.deadline },
        );
      });
      res.writeHead(answered.status, answered.headers).end(answered.body);
    } catch (error) {
      console.error('request failed:', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal server error');
    }
  }

  const handler = (req: IncomingMessage, res: ServerResponse) => void handleNode(req, res);
  return Object.assign(handler, { fetch });
}

/** A JSON content type, as Yoga's parser tells one (with or without parameters such as a charset). */
export function isJsonType(type: string | null | undefined): boolean {
  return ['application/json', 'application/graphql+json'].some(
    (expected) => type === expected || type?.startsWith(`${expected};`),
  );
}

/** GET and POST of JSON to /graphql without credentials, not asking for a stream or a page. */
function isCacheable(head: RequestHead): boolean {
  if (head.pathname !== '/graphql' || (head.method !== 'GET' && head.method !== 'POST')) return false;
  if (head.header('authorization') !== undefined || head.header('x-api-key') !== undefined) return false;
  const accept = head.header('accept') ?? '';
  if (accept.includes('text/event-stream') || accept.includes('text/html')) return false;
  return !head.header('content-type')?.startsWith('multipart/');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
