import { createHash } from 'node:crypto';
import { inTransaction } from '../db/bulk.ts';
import type { Database } from '../db/database.ts';
import { userError } from '../graphql/errors.ts';
import { ambiguousReleaseId } from '../graphql/node.ts';
import { InputFileError } from '../importing/csv.ts';
import type { RegisteredSource, ReleaseBundle, ReleaseRecord } from '../importing/source-module.ts';
import { audit } from './audit.ts';
import { storeRelease } from './releases.ts';

export interface PublishRequest {
  sourceId: string;
  fileName: string;
  content: string;
  release: Omit<ReleaseRecord, 'id' | 'published_at_precision' | 'url' | 'note'> & {
    id?: string | null;
    url?: string | null;
    note?: string | null;
  };
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
 * Publishes a release: the whole file is validated before anything is written, then the release
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
  const module = modules.find((m) => m.id === request.sourceId);
  if (!module) {
    const valid = modules.map((m) => m.id);
    throw userError(
      'UNKNOWN_CODE',
      `publishRelease: unknown source "${request.sourceId}". Valid sources: ${valid.join(', ')}.`,
      { argument: 'source', valid },
    );
  }
  if (!module.parseUpload) {
    throw userError('BAD_USER_INPUT', `publishRelease: the source "${request.sourceId}" does not accept uploads yet.`, {
      argument: 'source',
    });
  }
  const checksum = createHash('sha256').update(request.content).digest('hex');
  const release: ReleaseRecord = {
    id: request.release.id ?? `${request.sourceId}-${request.release.published_at}-${checksum.slice(0, 12)}`,
    label: request.release.label,
    status: request.release.status,
    published_at: request.release.published_at,
    published_at_precision: 'DAY',
    publisher: request.release.publisher,
    url: request.release.url ?? null,
    note: request.release.note ?? null,
  };
  // node(id) tells a release by its raw id: it must not read as another object's id.
  const ambiguous = ambiguousReleaseId(
    release.id,
    modules.map((m) => m.id),
  );
  if (ambiguous) throw userError('BAD_USER_INPUT', `publishRelease: id ${ambiguous}.`, { argument: 'id' });
  let bundle: ReleaseBundle;
  try {
    bundle = module.parseUpload(request.content, request.fileName, release);
  } catch (error) {
    if (error instanceof InputFileError) {
      throw userError('INVALID_FILE', `publishRelease: ${error.message}. Expected layout: ${module.uploadLayout}.`, {
        file: error.file,
        line: error.line,
        column: error.column,
      });
    }
    throw error;
  }
  const observations = bundle.observations.reduce((n, table) => n + table.rows.length, 0);
  if (observations === 0) throw userError('INVALID_FILE', `publishRelease: ${request.fileName} has no observations.`);

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
    try {
      await storeRelease(client, request.sourceId, bundle, {
        checksum,
        publishedBy: request.actor,
        idempotencyKey: request.idempotencyKey,
        onProgress: request.onProgress,
      });
    } catch (error) {
      // A cell given twice is only found when written: the transaction rolls back, the file is at fault.
      const { code, detail } = error as { code?: string; detail?: string };
      if (code === '23505')
        throw userError(
          'INVALID_FILE',
          `publishRelease: ${request.fileName} gives the same cell twice (${detail}); nothing was stored.`,
        );
      throw error;
    }
    return { releaseId: release.id, created: true, observations };
  });
}

/** Withdraws a release: it is kept (and served with an earlier asOf) but no longer answers by default. */
export async function withdrawRelease(db: Database, id: string, reason: string, actor: string) {
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
    detail: reason,
  });
  return withdrawn;
}
