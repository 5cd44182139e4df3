import { getOperationAST } from 'graphql';
import { createGraphQLError, type GraphQLParams, type Plugin } from 'graphql-yoga';
import { cachingHeaders } from './cache-control.ts';
import { type HttpCacheOptions, isJsonType, type Pending } from './http-cache.ts';

/** A POST of JSON, as Yoga tells one (its JSON parser would read the body). */
function isJsonPost(request: Request): boolean {
  return request.method === 'POST' && isJsonType(request.headers.get('content-type'));
}

/** A JSON body as Yoga's parser reads it, with its errors (400, BAD_REQUEST). */
function parseJsonBody(body: string): GraphQLParams {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    const { name, message } = error as Error;
    throw createGraphQLError('POST body sent invalid JSON.', {
      extensions: { http: { spec: true, status: 400 }, code: 'BAD_REQUEST', originalError: { name, message } },
    });
  }
  if (parsed === null || typeof parsed !== 'object') {
    throw createGraphQLError(
      `POST body is expected to be object but received ${parsed === null ? parsed : typeof parsed}`,
      { extensions: { http: { status: 400 }, code: 'BAD_REQUEST' } },
    );
  }
  return parsed as GraphQLParams;
}

/** Errors another moment may answer differently: unexpected (masked) ones, and time limits. */
const UNSTABLE_CODES = new Set(['INTERNAL_SERVER_ERROR', 'REQUEST_TIMEOUT', 'STATEMENT_TIMEOUT']);

/** True when an answer may be public: none of its errors is one another moment may answer differently. */
function isStable(errors: readonly { extensions?: Record<string, unknown> }[] | undefined): boolean {
  return !errors?.some((error) => !error.extensions?.code || UNSTABLE_CODES.has(String(error.extensions.code)));
}

/**
 * The cache's part inside the GraphQL server. A request that came through the cache is sent
 * without its body, which the cache has read: the server's own JSON parser gets it from the
 * cache. Its answers get their caching headers (see cachingHeaders), and a query answered
 * without any error is noted for the direct route.
 */
export function useHttpCache(options: Pick<HttpCacheOptions, 'snapshot' | 'maxAgeSeconds' | 'currentVersion'>) {
  const pendingOf = (context: unknown) => (context as { httpCache?: Pending } | undefined)?.httpCache;
  const plugin: Plugin = {
    onRequestParse({ request, serverContext, requestParser, setRequestParser, fetchAPI }) {
      const body = pendingOf(serverContext)?.body;
      if (body === undefined || !requestParser) return;
      // JSON, the common case, is parsed here as Yoga parses it, without a second Request.
      if (isJsonPost(request)) {
        setRequestParser(() => parseJsonBody(body));
        return;
      }
      const { url, headers } = request;
      setRequestParser(() => requestParser(new fetchAPI.Request(url, { method: 'POST', headers, body })));
    },
    onExecute({ args }) {
      const pending = pendingOf(args.contextValue);
      if (!pending) return;
      pending.query = getOperationAST(args.document, args.operationName)?.operation === 'query';
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in result) return;
          pending.stable = isStable(result.errors);
          if (pending.query && !result.errors?.length) {
            pending.executed = { document: args.document, operationName: args.operationName };
          }
        },
      };
    },
    async onResponse({ request, response, serverContext }) {
      if (new URL(request.url).pathname !== '/graphql') return;
      const contentType = response.headers.get('content-type') ?? '';
      if (contentType.includes('text/event-stream') || contentType.includes('text/html')) return;
      const headers = await cachingHeaders(pendingOf(serverContext), response.status, options);
      for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    },
  };
  return plugin;
}
