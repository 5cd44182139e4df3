import { useGraphQlJit } from '@envelop/graphql-jit';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { createInMemoryAPQStore, useAPQ } from '@graphql-yoga/plugin-apq';
import { createYoga, useReadinessCheck, type YogaLogger } from 'graphql-yoga';
import type { Config } from '../config.ts';
import { CodelistCache } from '../cube/codelist-cache.ts';
import { CubeMetadataCache } from '../cube/metadata.ts';
import type { Database } from '../db/database.ts';
import { setDataVersion } from '../db/metrics.ts';
import { isMigrated, readMigrations } from '../db/migrate.ts';
import type { Context } from '../graphql/context.ts';
import { tokenFrom, verifyApiKey } from '../publishing/api-keys.ts';
import { createReleaseEvents, type ReleaseEvents } from '../publishing/events.ts';
import { schema } from '../schema/index.ts';
import { sourceModules } from '../sources/registry.ts';
import { useArgumentNamesInErrors } from './argument-errors.ts';
import { CORS_HEADERS, useCors } from './cors.ts';
import { maskErrorsButTimeouts } from './database-errors.ts';
import { createDirectQueries } from './direct-queries.ts';
import { codelistCodes } from './downloads/codelist-codes.ts';
import { useDownloads } from './downloads/routes.ts';
import { EXAMPLE_OPERATIONS } from './examples.ts';
import { useExplorer } from './explore/routes.ts';
import { type Pending, withHttpCache } from './http-cache.ts';
import { useHttpCache } from './http-cache-plugin.ts';
import { useMetrics } from './metrics.ts';
import { readContext, useReadContext } from './read-context.ts';
import { useRequestTimeLimit } from './time-limit.ts';

export type HubLimits = Pick<
  Config,
  | 'MAX_QUERY_DEPTH'
  | 'MAX_ALIASES'
  | 'MAX_TOKENS'
  | 'MAX_COST'
  | 'MAX_UPLOAD_BYTES'
  | 'RESPONSE_CACHE_TTL_MS'
  | 'CACHE_MAX_AGE_SECONDS'
  | 'REQUEST_TIME_LIMIT_MS'
>;

export const DEFAULT_LIMITS: HubLimits = {
  MAX_QUERY_DEPTH: 10,
  MAX_ALIASES: 30,
  MAX_TOKENS: 2000,
  MAX_COST: 20000,
  MAX_UPLOAD_BYTES: 50_000_000,
  RESPONSE_CACHE_TTL_MS: 300_000,
  CACHE_MAX_AGE_SECONDS: 60,
  REQUEST_TIME_LIMIT_MS: 30_000,
};

/** GraphiQL's page title, and the short name in its logo slot (HTML, with the title as tooltip). */
export const GRAPHIQL_TITLE = "rusdata — GraphQL API over Norway's statistics on illegal drugs";
const GRAPHIQL_LOGO = `<span title="${GRAPHIQL_TITLE}">rusdata</span>`;

export interface HubOptions {
  limits?: HubLimits;
  /** Release events from PostgreSQL (LISTEN/NOTIFY); created on `db` when not given. */
  events?: ReleaseEvents;
  /** The clock resolvers read (default: the system's); tests pass a fixed one. */
  clock?: () => Date;
  /** Where Yoga logs (LOG_FORMAT=json: pino); default Yoga's own. */
  logger?: YogaLogger;
}

/**
 * The hub's GraphQL server: schema, per-request context, limits, error masking, GraphiQL and
 * health routes. It is a fetch handler: `main.ts` serves it over HTTP, tests call `yoga.fetch`.
 */
export function createHub(
  db: Database,
  { limits = DEFAULT_LIMITS, clock = () => new Date(), logger, ...options }: HubOptions = {},
) {
  const events = options.events ?? createReleaseEvents(db, clock);
  const cubes = new CubeMetadataCache(db);
  const codelists = new CodelistCache(db);
  const migrations = readMigrations();
  // Cached answers are keyed by the data version: a release published, withdrawn or rescheduled
  // (by any writer), or the end of an embargo, moves it, so no answer from before the change is
  // served after it.
  events.onChange(() => {
    cubes.invalidate();
    codelists.invalidate();
  });
  events.onChange(() => setDataVersion(events.snapshot().heard));
  /**
   * A request's context, from its headers and its way through the HTTP cache. An ORM query reports
   * no data version, so asking a context that `marksOrmReads` for the Prisma client marks the
   * request: its version is confirmed after the answer (see useHttpCache). The direct route's
   * contexts mark so; Yoga's are marked at execute (markOrmReads), as Yoga copies a context into
   * its own with Object.assign, which would read the getter at once. One literal: one shape.
   */
  const contextOf = (headers: Pick<Headers, 'get'>, httpCache: Pending | undefined, marksOrmReads = false): Context => {
    let apiKey: ReturnType<typeof verifyApiKey> | undefined;
    const token = tokenFrom(headers);
    const verify = () => (apiKey ??= verifyApiKey(db.prisma, token));
    const reading = readContext({
      pending: httpCache,
      events,
      readOnly: db.readOnly,
      hasToken: token !== null,
      apiKey: verify,
    });
    return {
      readView: reading.readView,
      reads: reading.reads,
      loaders: new Map(),
      preReleaseReads: reading.preReleaseReads,
      now: reading.now,
      get prisma() {
        if (marksOrmReads) reading.reads.unversionedRead?.();
        return db.prisma;
      },
      db,
      cubes,
      codelists,
      events,
      sources: sourceModules,
      maxUploadBytes: limits.MAX_UPLOAD_BYTES,
      apiKey: verify,
      idempotencyKey: headers.get('idempotency-key'),
    };
  };
  const currentVersion = async () => {
    const { rows } = await db.pool.query<{ version: string }>('SELECT version::text FROM data_version');
    return rows[0]?.version ?? '';
  };
  // Downloads run their GraphQL document through this same server (set once it exists).
  let self: { fetch(input: URL, init: RequestInit): Promise<Response> | Response } | undefined;
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    logging: logger ?? true,
    context: ({ request, httpCache }: { request: Request; httpCache?: Pending }) =>
      contextOf(request.headers, httpCache),
    // CORS is the hub's own (cors.ts): Yoga's option cannot answer with `*`.
    cors: false,
    // Unexpected errors are masked ("Unexpected error."); user errors carry a `code`.
    maskedErrors: { maskError: maskErrorsButTimeouts },
    graphiql: {
      // The logo slot holds the short name (the sentence wrapped onto three lines there); the
      // sentence is the page's title and the name's tooltip.
      title: GRAPHIQL_LOGO,
      defaultTabs: EXAMPLE_OPERATIONS.map(({ query }) => ({ query })),
    },
    // GraphiQL's assets are bundled in the package, so the page works without internet; they are
    // loaded when the page is first asked for (loading them cost a tenth of the hub's start).
    renderGraphiQL: async (options) =>
      (await import('@graphql-yoga/render-graphiql'))
        .renderGraphiQL(options)
        .replace(`<title>${GRAPHIQL_LOGO}</title>`, `<title>${GRAPHIQL_TITLE}</title>`),
    plugins: [
      useMetrics(),
      useCors(),
      useExplorer(),
      useDownloads(
        schema,
        async (document, url, headers) => {
          if (!self) throw new Error('the hub is not ready to answer downloads yet');
          return self.fetch(new URL('/graphql', url), {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
            body: JSON.stringify({ query: document }),
          });
        },
        codelistCodes(codelists, () => ({ heard: events.snapshot().heard, saw: events.sawVersion })),
      ),
      useArgumentNamesInErrors(schema),
      useHttpCache({ snapshot: events.snapshot, maxAgeSeconds: limits.CACHE_MAX_AGE_SECONDS, currentVersion }),
      useReadContext(),
      useGraphQlJit(),
      useRequestTimeLimit(limits.REQUEST_TIME_LIMIT_MS),
      // Automatic persisted queries in Apollo's convention (a sha256Hash in extensions.persistedQuery).
      useAPQ({ store: createInMemoryAPQStore({ max: 10_000, ttl: 24 * 3600_000 }) }),
      EnvelopArmorPlugin({
        maxDepth: { n: limits.MAX_QUERY_DEPTH },
        maxAliases: { n: limits.MAX_ALIASES },
        maxTokens: { n: limits.MAX_TOKENS },
        costLimit: { maxCost: limits.MAX_COST },
        maxDirectives: { n: 20 },
        // Field suggestions help researchers in GraphiQL, and the schema is public anyway.
        blockFieldSuggestion: { enabled: false },
      }),
      useReadinessCheck({
        endpoint: '/readyz',
        check: async () => {
          try {
            return await isMigrated(db.pool, migrations);
          } catch {
            return false;
          }
        },
      }),
    ],
  });
  // A repeated public question is answered in front of Yoga, before anything is parsed: from the
  // cache, or else by running its compiled query directly.
  const served = withHttpCache(yoga, {
    snapshot: events.snapshot,
    onSaw: events.sawVersion,
    ttlMs: limits.RESPONSE_CACHE_TTL_MS,
    maxAgeSeconds: limits.CACHE_MAX_AGE_SECONDS,
    headers: CORS_HEADERS,
    currentVersion,
    direct: createDirectQueries({ schema, context: contextOf, timeLimitMs: limits.REQUEST_TIME_LIMIT_MS }),
  });
  self = served;
  return Object.assign(served, { cubes, codelists, events });
}

export type Hub = ReturnType<typeof createHub>;
