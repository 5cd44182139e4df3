import type { CodelistCache } from '../cube/codelist-cache.ts';
import type { CubeMetadataCache } from '../cube/metadata.ts';
import type { ReadView, VersionRecorder } from '../cube/read-view.ts';
import type { Database, PrismaClient } from '../db/database.ts';

/**
 * What every resolver gets: the shared database and the cubes' metadata; the request's DataLoaders
 * are kept on it (`loaders`, see loaders.ts). Layers above add the fields they need by declaration
 * merging (`publishing/graphql.ts` adds the API key, events and sources); `server/` builds it.
 */
export interface Context {
  prisma: PrismaClient;
  db: Database;
  cubes: CubeMetadataCache;
  /** The codelists (regions, age groups, ...) held in memory. */
  codelists: CodelistCache;
  /** The time the request is answered at (e.g. the default year of `regions`); tests fix it. */
  now(): Date;
  /**
   * What the request may see: releases public by its instant, and for a key scoped to a source
   * that source's releases under embargo. Its reads report the data version they saw.
   */
  readView(): Promise<ReadView>;
  /** Where reads report the data version they saw (the same recorder as the view's). */
  reads: VersionRecorder;
  /** This request's DataLoaders, by the path of the field they load (see `loaderAtPath`). */
  loaders: Map<string, unknown>;
}
