import { z } from 'zod';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('localhost'),
  /** PostgreSQL to use; unset means the embedded database under DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// connection string')
    .optional(),
  /**
   * Where the hub LISTENs for release events: PostgreSQL itself (the primary), never through a
   * pooler in transaction mode, which drops notifications. Default: DATABASE_URL.
   */
  DATABASE_LISTEN_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// connection string')
    .optional(),
  /**
   * `transaction` when DATABASE_URL goes through a pooler in transaction mode (PgBouncer's
   * pool_mode = transaction): no named prepared statements, the statement timeout per transaction.
   */
  DB_POOL_MODE: z.enum(['session', 'transaction']).default('session'),
  /**
   * Read replicas (hot standbys of DATABASE_URL's primary), comma-separated: cube and codelist
   * reads go to them, never under a data version they have not replayed.
   */
  DATABASE_READ_URL: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((url) => url.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^postgres(ql)?:\/\//, 'each must be a postgresql:// connection string')))
    .optional(),
  /** A replica further behind than this (ms of replay) is skipped until it catches up. */
  DB_REPLICA_MAX_LAG_MS: z.coerce.number().int().min(0).default(5000),
  DATA_DIR: z.string().min(1).default('.data'),
  /** Connections to PostgreSQL. The embedded database always uses exactly one (see docs/DESIGN.md). */
  DB_POOL_MAX: positiveInt(10),
  /** Longest one SQL statement may run on PostgreSQL (ms); 0 means no limit. PGlite cannot enforce it. */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  /** Longest one GraphQL request may execute (ms) before it is answered with REQUEST_TIMEOUT; 0 means no limit. */
  REQUEST_TIME_LIMIT_MS: z.coerce.number().int().min(0).default(30_000),
  MAX_QUERY_DEPTH: positiveInt(10),
  MAX_ALIASES: positiveInt(30),
  MAX_TOKENS: positiveInt(2000),
  MAX_COST: positiveInt(20000),
  /** How long a query's answer is cached (ms); 0 turns the cache off. Releases clear it at once. */
  RESPONSE_CACHE_TTL_MS: z.coerce.number().int().min(0).default(300_000),
  /** `Cache-Control: public, max-age=<this>` on public answers, for browsers and CDNs (seconds). */
  CACHE_MAX_AGE_SECONDS: z.coerce.number().int().min(0).default(60),
  /** Largest file publishRelease accepts, in bytes. */
  MAX_UPLOAD_BYTES: positiveInt(50_000_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** `text`: the hub's lines as they read; `json`: one JSON object a line (pino), requests with their id. */
  LOG_FORMAT: z.enum(['text', 'json']).default('text'),
});

export type Config = z.infer<typeof configSchema>;

/** Reads and validates the environment once; a bad value stops the hub with a message naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
  }
  return parsed.data;
}
