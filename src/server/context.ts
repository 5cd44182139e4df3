import DataLoader from 'dataloader';
import type { CubeMetadataCache } from '../cube/metadata.ts';
import type { Database, PrismaClient } from '../db/database.ts';
import type { ApiKey } from '../db/generated/prisma/client.ts';
import type { KeyProblem } from '../publishing/api-keys.ts';
import type { ReleaseEvents } from '../publishing/events.ts';
import type { RegisteredSource } from '../sources/source-module.ts';

/** What every resolver gets: the shared database, caches and events, and this request's loaders. */
export interface Context {
  prisma: PrismaClient;
  db: Database;
  cubes: CubeMetadataCache;
  events: ReleaseEvents;
  sources: readonly RegisteredSource[];
  maxUploadBytes: number;
  /** The API key of the request, or why there is none; checked once per request, on first use. */
  apiKey(): Promise<ApiKey | KeyProblem>;
  /** The request's Idempotency-Key header. */
  idempotencyKey: string | null;
  /** Per-request DataLoaders, created on first use by `defineLoader`. */
  loaders: Map<symbol, unknown>;
}

/**
 * Declares a per-request DataLoader next to the type that uses it: the batch function runs once
 * per tick with all keys requested, so a list of N parents costs one statement, not N.
 */
export function defineLoader<Key, Value, CacheKey = Key>(
  batch: (keys: readonly Key[], ctx: Context) => Promise<readonly (Value | Error)[]>,
  options?: DataLoader.Options<Key, Value, CacheKey>,
): (ctx: Context) => DataLoader<Key, Value, CacheKey> {
  const id = Symbol('loader');
  return (ctx) => {
    let loader = ctx.loaders.get(id) as DataLoader<Key, Value, CacheKey> | undefined;
    if (!loader) {
      loader = new DataLoader((keys) => batch(keys, ctx), options);
      ctx.loaders.set(id, loader);
    }
    return loader;
  };
}

/** A loader of rows by their code, one `WHERE code = ANY(...)` per request and table. */
export function defineCodeLoader<Row extends { code: string }>(
  findMany: (ctx: Context, codes: string[]) => Promise<Row[]>,
) {
  return defineLoader<string, Row | null>(async (codes, ctx) => {
    const rows = await findMany(ctx, [...codes]);
    const byCode = new Map(rows.map((row) => [row.code, row]));
    return codes.map((code) => byCode.get(code) ?? null);
  });
}
