import { type GraphQLError, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { Counter, Gauge, Histogram } from 'prom-client';
import { metricsRegistry } from '../db/metrics.ts';

/** What became of a GraphQL request: answered; refused with a coded error; out of time; failed unexpectedly. */
type Outcome = 'ok' | 'user_error' | 'timeout' | 'internal_error';

const requests = new Counter({
  name: 'rusdata_graphql_requests_total',
  help: 'GraphQL requests executed, by the server or the direct route (answers from the HTTP cache are counted in rusdata_http_cache_requests_total), by operation name, type and outcome.',
  labelNames: ['operation', 'type', 'outcome'],
  registers: [metricsRegistry],
});

const durations = new Histogram({
  name: 'rusdata_graphql_request_duration_seconds',
  help: 'Time from a GraphQL request reaching the server to its answer, by operation name and outcome.',
  labelNames: ['operation', 'outcome'],
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [metricsRegistry],
});

/** What the HTTP cache did, counted in plain numbers (a hit should cost next to nothing) and read at a scrape. */
const cacheCounts = { hit: 0, miss: 0, not_modified: 0, direct: 0 };

new Counter({
  name: 'rusdata_http_cache_requests_total',
  help: 'Public GraphQL requests by what the HTTP cache did: hit (kept answer), not_modified (304 to If-None-Match), direct (a query the server answered before, run compiled without it), miss (sent to the server).',
  labelNames: ['result'],
  registers: [metricsRegistry],
  collect() {
    this.reset();
    for (const [result, count] of Object.entries(cacheCounts)) this.inc({ result }, count);
  },
});

/** Counts what the HTTP cache did with one request: a kept answer, a miss, a 304, a direct answer. */
export const countHit = () => void cacheCounts.hit++;
export const countMiss = () => void cacheCounts.miss++;
export const countDirect = () => void cacheCounts.direct++;
export const countNotModified = () => void cacheCounts.not_modified++;

const subscriptions = new Gauge({
  name: 'rusdata_subscriptions_open',
  help: 'GraphQL subscriptions (releasePublished event streams) open now.',
  registers: [metricsRegistry],
});

/** Operation names are the client's to choose: past this many distinct ones, the rest count as "other". */
const MAX_OPERATION_NAMES = 200;
const operationNames = new Set<string>();

export function operationLabel(name: string | undefined): string {
  if (!name) return 'anonymous';
  const label = name.slice(0, 64);
  if (operationNames.has(label)) return label;
  if (operationNames.size >= MAX_OPERATION_NAMES) return 'other';
  operationNames.add(label);
  return label;
}

function outcomeOf(errors: readonly GraphQLError[] | undefined): Outcome {
  if (!errors?.length) return 'ok';
  const codes = errors.map((error) => error.extensions?.code);
  if (codes.some((code) => !code || code === 'INTERNAL_SERVER_ERROR')) return 'internal_error';
  if (codes.some((code) => code === 'REQUEST_TIMEOUT' || code === 'STATEMENT_TIMEOUT')) return 'timeout';
  return 'user_error';
}

export interface Measured {
  started: number;
  operation: string;
  type: string;
  outcome: Outcome;
}

/**
 * The server's part of the metrics: GraphQL requests by operation and outcome with their
 * durations, open subscriptions, and GET /metrics (Prometheus text format, this process's
 * registry). Not @graphql-yoga/plugin-prometheus: its series are per phase (parse, validate,
 * execute) and per URL, and requests the HTTP cache answers never reach it; the few series here
 * are the ones docs/operating.md describes.
 */
export function useMetrics(): Plugin {
  const measured = new WeakMap<Request, Measured>();
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname === '/metrics' && request.method === 'GET') {
        const body = await metricsRegistry.metrics();
        endResponse(new fetchAPI.Response(body, { headers: { 'content-type': metricsRegistry.contentType } }));
        return;
      }
      if (url.pathname !== '/graphql') return;
      measured.set(request, { started: performance.now(), operation: 'anonymous', type: 'unknown', outcome: 'ok' });
    },
    onParams({ params, request }) {
      const state = measured.get(request);
      if (state) state.operation = operationLabel(params.operationName);
    },
    onExecute({ args }) {
      const state = measured.get((args.contextValue as { request: Request }).request);
      const operation = getOperationAST(args.document, args.operationName);
      if (!state || !operation) return;
      state.operation = operationLabel(operation.name?.value ?? args.operationName ?? undefined);
      state.type = operation.operation;
    },
    onSubscribe() {
      return {
        onSubscribeResult({ result }) {
          if (!(Symbol.asyncIterator in result)) return;
          subscriptions.inc();
          return { onEnd: () => void subscriptions.dec() };
        },
      };
    },
    onResultProcess({ request, result }) {
      const state = measured.get(request);
      if (!state || Symbol.asyncIterator in result) return;
      const results = Array.isArray(result) ? result : [result];
      const worst = results.map((one) => outcomeOf(one.errors)).sort((a, b) => severity(b) - severity(a))[0];
      state.outcome = worst ?? 'ok';
    },
    onResponse({ request }) {
      const state = measured.get(request);
      if (!state) return;
      measured.delete(request);
      countRequest(state);
    },
  };
}

/** Counts one GraphQL request executed, with its duration since `started` (performance.now()). */
export function countRequest(state: Measured): void {
  const seconds = (performance.now() - state.started) / 1000;
  requests.inc({ operation: state.operation, type: state.type, outcome: state.outcome });
  durations.observe({ operation: state.operation, outcome: state.outcome }, seconds);
}

const severity = (outcome: Outcome) => ['ok', 'user_error', 'timeout', 'internal_error'].indexOf(outcome);
