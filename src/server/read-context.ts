import type { Plugin } from 'graphql-yoga';
import type { ReadView, VersionRecorder } from '../cube/read-view.ts';
import type { ApiKey } from '../db/generated/prisma/client.ts';
import type { Context } from '../graphql/context.ts';
import { ADMIN_SCOPE, type KeyProblem } from '../publishing/api-keys.ts';
import { audit } from '../publishing/audit.ts';
import type { DataSnapshot, ReleaseEvents } from '../publishing/events.ts';
import type { Pending } from './http-cache.ts';

declare module '../graphql/context.ts' {
  interface Context {
    /** The releases under embargo this request has read values of, with their source (audited after it). */
    preReleaseReads: Map<string, string>;
  }
}

/** What a request's context holds about the data it reads. */
export type ReadContext = Pick<Context, 'readView' | 'reads' | 'preReleaseReads' | 'now'>;

/**
 * The data side of a request's context: the snapshot it is answered from (the one the HTTP cache
 * took, or a new one), where its reads report their data version, and what it may see. A request
 * with an API key also sees the releases under embargo of the key's sources (every source for
 * admin); a key that is missing, invalid or revoked reads as the public does, and so does every
 * key on a hub that reads a standby (it could not audit the read).
 */
export function readContext(options: {
  pending: Pending | undefined;
  events: ReleaseEvents;
  /** A hub on a standby cannot audit, so it gives no pre-release access. */
  readOnly: boolean;
  hasToken: boolean;
  apiKey(): Promise<ApiKey | KeyProblem>;
}): ReadContext {
  const { pending, events } = options;
  const snapshot: DataSnapshot = pending?.snapshot ?? events.snapshot();
  const reads: VersionRecorder = pending?.reads ?? {
    heard: snapshot.heard,
    saw: (version) => events.sawVersion(version),
  };
  const preReleaseReads = new Map<string, string>();
  const { releases } = snapshot;
  const catchUp = async () => {
    await events.refresh();
    return events.snapshot().releases;
  };
  let view: Promise<ReadView> | undefined;
  const makeView = async (): Promise<ReadView> => {
    const key = options.hasToken && !options.readOnly ? await options.apiKey() : undefined;
    const scopes = key && typeof key !== 'string' ? key.scopes : [];
    const preRelease = scopes.includes(ADMIN_SCOPE) ? '*' : scopes;
    if (!preRelease.length)
      return { at: snapshot.at, preRelease, heard: reads.heard, saw: reads.saw, releases, catchUp };
    return {
      at: snapshot.at,
      preRelease,
      heard: reads.heard,
      saw: reads.saw,
      releases,
      catchUp,
      served(releaseIds) {
        // The latest catalogue: a read that caught up may carry a release stored since the view.
        const known = events.snapshot().releases;
        for (const id of releaseIds) {
          const release = known.release(id);
          if (release && release.publicFrom > snapshot.at) preReleaseReads.set(id, release.sourceId);
        }
      },
    };
  };
  return { readView: () => (view ??= makeView()), reads, preReleaseReads, now: () => snapshot.at };
}

/**
 * The request's reads, seen from inside the GraphQL server: ORM reads are marked (markOrmReads),
 * and pre-release access is audited, as statistics agencies' rules require: after each request
 * that read values of releases under embargo, one audit entry per release names the key and what
 * was asked.
 */
export function useReadContext(): Plugin<Context> {
  return {
    onExecute({ args }) {
      markOrmReads(args.contextValue);
      return {
        async onExecuteDone() {
          const ctx = args.contextValue;
          if (!ctx.preReleaseReads.size) return;
          const key = await ctx.apiKey();
          if (typeof key === 'string') return;
          const operation = args.operationName ?? 'anonymous operation';
          for (const [releaseId, sourceId] of ctx.preReleaseReads) {
            await audit(ctx.db.prisma, {
              actor: key.id,
              action: 'PRE_RELEASE_READ',
              sourceId,
              releaseId,
              result: 'OK',
              detail: `${operation} read values of the release before it is public`,
            });
          }
          ctx.preReleaseReads.clear();
        },
      };
    },
  };
}

/**
 * An ORM query reports no data version: asking the context for the Prisma client marks the
 * request, so its version is confirmed after the answer (see useHttpCache).
 */
export function markOrmReads(ctx: Context): void {
  const prisma = ctx.prisma;
  Object.defineProperty(ctx, 'prisma', {
    configurable: true,
    get() {
      ctx.reads.unversionedRead?.();
      return prisma;
    },
  });
}
