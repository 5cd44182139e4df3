import { type GraphQLSchema, getOperationAST } from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
import type { Context } from '../graphql/context.ts';
import { type DirectRoute, isJsonType, type Pending, type RequestHead } from './http-cache.ts';
import { countRequest, operationLabel } from './metrics.ts';
import { timeLimited } from './time-limit.ts';

/** A query the server has answered, ready to run again: compiled, with its answer's content type. */
interface Known {
  compiled: CompiledQuery;
  contentType: string;
  /** Its operation's label in the metrics. */
  operation: string;
}

/** The GraphQL parameters of a request, when they are only these (anything else goes to the server). */
interface Params {
  query: string;
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
}

const PARAMETER_NAMES = new Set(['query', 'variables', 'operationName']);

export interface DirectQueryOptions {
  schema: GraphQLSchema;
  /** The context the server gives a request (the same factory as Yoga's). */
  context(headers: Pick<Headers, 'get'>, pending: Pending, marksOrmReads: boolean): Context;
  /** REQUEST_TIME_LIMIT_MS (0: none). */
  timeLimitMs: number;
  /** Queries kept at most (the oldest go first). */
  maxEntries?: number;
}

/**
 * Repeated public queries, answered without Yoga. The first time a request text comes, the server
 * answers it: it parses it, checks it against the schema and every limit (depth, aliases, tokens,
 * cost), executes it and formats the answer. When that answer has no error at all, the query is
 * compiled (graphql-jit, as the server's own executor) and kept by the request as sent (method,
 * accept, operation name, text). The same request again runs the compiled query with a context of
 * its own and writes `{"data": ...}`; the HTTP cache adds the caching headers and the metrics count
 * it. When the route was added (5e88ceb), the uncached dashboard query cost 0.75-0.81 ms of Node
 * CPU per request over HTTP this way, 1.27-1.54 ms through Yoga (its Request and Response objects
 * and a dozen plugin hooks).
 * Whatever the route cannot answer exactly as the server would goes to the server: an error in
 * the answer (it is run again there, in the time the request has left, for the server's error
 * formatting), extensions (persisted queries), other parameters or content types.
 */
export function createDirectQueries({
  schema,
  context,
  timeLimitMs,
  maxEntries = 1000,
}: DirectQueryOptions): DirectRoute {
  const known = new Map<string, Known>();
  const keyOf = (head: RequestHead, params: Params) =>
    `${head.method}\n${head.header('accept') ?? ''}\n${params.operationName ?? ''}\n${params.query}`;

  return {
    async answer(head, body, pending) {
      const params = paramsOf(head, body);
      const entry = params && known.get(keyOf(head, params));
      if (!params || !entry) return undefined;
      const started = performance.now();
      pending.deadline = started + (timeLimitMs > 0 ? timeLimitMs : Number.POSITIVE_INFINITY);
      const ctx = context({ get: (name) => head.header(name) ?? null }, pending, true);
      let result: Awaited<ReturnType<CompiledQuery['query']>>;
      try {
        const run = () => entry.compiled.query(undefined, ctx, params.variables ?? {});
        result = timeLimitMs > 0 ? await timeLimited(timeLimitMs, timeLimitMs, run) : await run();
      } catch {
        return undefined;
      }
      if (result.errors?.length || !('data' in result)) return undefined;
      // What the server's plugin notes of a query answered without errors (see useHttpCache).
      pending.query = true;
      pending.stable = true;
      countRequest({ started, operation: entry.operation, type: 'query', outcome: 'ok' });
      return { body: JSON.stringify(result), contentType: entry.contentType };
    },

    learn(head, body, pending, contentType) {
      const params = paramsOf(head, body);
      const executed = pending.executed;
      if (!params || !executed) return;
      const compiled = compileQuery(schema, executed.document, executed.operationName ?? undefined);
      if (!isCompiledQuery(compiled)) return;
      const operation = getOperationAST(executed.document, executed.operationName);
      const oldest = known.keys().next();
      if (known.size >= maxEntries && !oldest.done) known.delete(oldest.value);
      known.set(keyOf(head, params), {
        compiled,
        contentType,
        operation: operationLabel(operation?.name?.value ?? params.operationName),
      });
    },
  };
}

/** The parameters of a GET's query string or a JSON POST's body, when they are plain ones. */
function paramsOf(head: RequestHead, body: string): Params | undefined {
  let raw: Record<string, unknown>;
  if (head.method === 'GET') {
    const search = new URLSearchParams(head.search);
    raw = {};
    for (const [name, value] of search) {
      const parsed = name === 'variables' ? parseJson(value) : value;
      if (name in raw || parsed === undefined) return undefined;
      raw[name] = parsed;
    }
  } else {
    if (!isJsonType(head.header('content-type'))) return undefined;
    const parsed = parseJson(body);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    raw = parsed as Record<string, unknown>;
  }
  for (const name in raw) if (!PARAMETER_NAMES.has(name)) return undefined;
  const { query, variables, operationName } = raw;
  if (typeof query !== 'string') return undefined;
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return undefined;
  if (operationName != null && typeof operationName !== 'string') return undefined;
  return {
    query,
    variables: (variables ?? undefined) as Record<string, unknown> | undefined,
    operationName: operationName ?? undefined,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
