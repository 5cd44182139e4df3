import { inTransaction } from '../db/bulk.ts';
import type { Database } from '../db/database.ts';
import { userError } from '../graphql/errors.ts';
import { ambiguousReleaseId } from '../graphql/node.ts';
import type { RegisteredSource } from '../importing/source-module.ts';
import { audit } from './audit.ts';
import { defaultPublicFrom, osloDate } from './calendar.ts';
import { storeRelease } from './releases.ts';
import { type UploadRequest, validateUpload } from './upload.ts';

export interface PublishRequest extends UploadRequest {
  /**
   * The instant the release becomes public; default: at once (`now`) when its date is today or
   * earlier, else at 08:00 Oslo time on its date.
   */
  publicFrom?: Date | null;
  /** The time of publishing (the hub's clock; default: the system's). */
  now?: Date;
  /** Who publishes: an API key id, or "cli:<user>". */
  actor: string;
  idempotencyKey?: string | null;
  onProgress?: (written: number, total: number) => void;
}

export interface PublishResult {
  releaseId: string;
  /** False when the same input (idempotency key or checksum) was published before: nothing was written. */
  created: boolean;
  observations: number;
}

/**
 * Publishes a release: the whole file is validated (validateUpload) before anything is written, then the release
 * and its observations are written in one transaction, serialized per source by an advisory lock.
 * The same input twice returns the first result; the same idempotency key with other input is
 * refused. The trigger on "release" announces it to every hub when the transaction commits.
 */
export async function publishRelease(
  db: Database,
  modules: readonly RegisteredSource[],
  request: PublishRequest,
): Promise<PublishResult> {
  const { sourceId, actor } = request;
  try {
    const result = await publish(db, modules, request);
    await audit(db.prisma, {
      actor,
      action: 'PUBLISH',
      sourceId,
      releaseId: result.releaseId,
      result: result.created ? 'OK' : 'UNCHANGED',
      detail: `${request.fileName}: ${result.observations} observations`,
    });
    return result;
  } catch (error) {
    await audit(db.prisma, {
      actor,
      action: 'PUBLISH',
      sourceId,
      result: 'REJECTED',
      detail: `${request.fileName}: ${(error as Error).message}`,
    });
    throw error;
  }
}

async function publish(
  db: Database,
  modules: readonly RegisteredSource[],
  request: PublishRequest,
): Promise<PublishResult> {
  const { bundle, checksum, observations } = await validateUpload(db.pool, modules, request, 'publishRelease');
  const { release } = bundle;
  // node(id) tells a release by its raw id: it must not read as another object's id.
  const ambiguous = ambiguousReleaseId(
    release.id,
    modules.map((m) => m.id),
  );
  if (ambiguous) throw userError('BAD_USER_INPUT', `publishRelease: id ${ambiguous}.`, { argument: 'id' });
  const publicFrom = checkedPublicFrom(
    'publishRelease',
    release.published_at,
    request.publicFrom,
    request.now ?? new Date(),
  );
  return inTransaction(db.pool, async (client) => {
    // Two publishes of one source wait for each other; other sources go on.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`publish:${request.sourceId}`]);
    if (request.idempotencyKey) {
      const { rows } = await client.query<{ id: string; checksum: string }>(
        'SELECT id, checksum FROM "release" WHERE idempotency_key = $1',
        [request.idempotencyKey],
      );
      const earlier = rows[0];
      if (earlier && earlier.checksum !== checksum) {
        throw userError(
          'IDEMPOTENCY_KEY_REUSED',
          `publishRelease: the idempotency key was used for another input (release ${earlier.id}). Use a new key for a new release.`,
        );
      }
      if (earlier) return { releaseId: earlier.id, created: false, observations };
    }
    const { rows: same } = await client.query<{ id: string }>(
      'SELECT id FROM "release" WHERE source_id = $1 AND checksum = $2',
      [request.sourceId, checksum],
    );
    if (same[0]) return { releaseId: same[0].id, created: false, observations };
    const { rows: taken } = await client.query('SELECT 1 FROM "release" WHERE id = $1', [release.id]);
    if (taken.length)
      throw userError(
        'BAD_USER_INPUT',
        `publishRelease: a release with the id "${release.id}" exists already; releases are never overwritten.`,
        { argument: 'id' },
      );
    await storeRelease(client, request.sourceId, bundle, {
      checksum,
      publishedBy: request.actor,
      idempotencyKey: request.idempotencyKey,
      publicFrom,
      onProgress: request.onProgress,
    });
    return { releaseId: release.id, created: true, observations };
  });
}

/**
 * The instant a release becomes public: the one given, or the default. It may not fall before
 * its publication date (in Oslo): a release public before its own date would answer the latest
 * question but not `asOf` today, and the two must always agree.
 */
function checkedPublicFrom(operation: string, publishedAt: string, given: Date | null | undefined, now: Date): Date {
  if (!given) return defaultPublicFrom(publishedAt, now);
  if (osloDate(given) < publishedAt) {
    throw userError(
      'BAD_USER_INPUT',
      `${operation}: publicFrom ${given.toISOString()} is ${osloDate(given)} in Oslo, before publishedAt ${publishedAt}. ` +
        `A release cannot be public before its publication date; give publicFrom on ${publishedAt} or later.`,
      { argument: 'publicFrom' },
    );
  }
  return given;
}

/**
 * Moves the instant a release becomes public, before it is public. The data version moves, so
 * every hub reads the calendar again; a release made public at once is announced at once.
 */
export async function rescheduleRelease(db: Database, id: string, publicFrom: Date, actor: string, now: Date) {
  const release = await db.prisma.release.findUnique({ where: { id } });
  if (!release)
    throw userError('UNKNOWN_CODE', `rescheduleRelease: no release has the id "${id}".`, { argument: 'id' });
  const refuse = async (message: string) => {
    const entry = { actor, action: 'RESCHEDULE', sourceId: release.sourceId, releaseId: id } as const;
    await audit(db.prisma, { ...entry, result: 'REJECTED', detail: message });
    return userError('RELEASE_NOT_SCHEDULED', `rescheduleRelease: ${message}`, { argument: 'id' });
  };
  if (release.withdrawnAt)
    throw await refuse(`the release "${id}" was withdrawn on ${release.withdrawnAt.toISOString()}.`);
  if (release.publicFrom <= now) {
    throw await refuse(
      `the release "${id}" has been public since ${release.publicFrom.toISOString()}; a public release cannot be ` +
        'rescheduled (withdraw it, or publish a correction as a new release).',
    );
  }
  const publishedAt = release.publishedAt.toISOString().slice(0, 10);
  const instant = checkedPublicFrom('rescheduleRelease', publishedAt, publicFrom, now);
  const rescheduled = await db.prisma.release.update({ where: { id }, data: { publicFrom: instant } });
  await audit(db.prisma, {
    actor,
    action: 'RESCHEDULE',
    sourceId: release.sourceId,
    releaseId: id,
    result: 'OK',
    detail: `public from ${release.publicFrom.toISOString()} moved to ${instant.toISOString()}`,
  });
  return rescheduled;
}

/** Withdraws a release: it is kept (and served with an earlier asOf) but no longer answers by default. */
export async function withdrawRelease(db: Database, id: string, reason: string, actor: string, now = new Date()) {
  const release = await db.prisma.release.findUnique({ where: { id } });
  if (!release) throw userError('UNKNOWN_CODE', `withdrawRelease: no release has the id "${id}".`, { argument: 'id' });
  if (release.withdrawnAt) return release;
  const withdrawn = await db.prisma.release.update({
    where: { id },
    data: { withdrawnAt: new Date(), withdrawnReason: reason },
  });
  await audit(db.prisma, {
    actor,
    action: 'WITHDRAW',
    sourceId: release.sourceId,
    releaseId: id,
    result: 'OK',
    // Withdrawing a release under embargo cancels it: it never becomes public.
    detail: release.publicFrom > now ? `cancelled before it was public: ${reason}` : reason,
  });
  return withdrawn;
}
