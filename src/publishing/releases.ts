import { createHash } from 'node:crypto';
import type pg from 'pg';
import { copyRows, insertRows, inTransaction, upsertRows } from '../db/bulk.ts';
import type { ReferenceRows, ReleaseBundle, SourceRecord } from '../importing/source-module.ts';
import { osloInstant } from './calendar.ts';

/** SHA-256 of a release's content: the same input always gives the same checksum. */
export function releaseChecksum(bundle: ReleaseBundle): string {
  return createHash('sha256').update(JSON.stringify(bundle)).digest('hex');
}

export async function upsertSource(client: pg.ClientBase, source: SourceRecord): Promise<void> {
  await upsertRows(
    client,
    'source',
    'id',
    ['id', 'name_nb', 'name_en', 'publisher', 'url', 'licence', 'licence_url', 'attribution', 'notes_nb', 'notes_en'],
    [
      [
        source.id,
        source.name_nb,
        source.name_en,
        source.publisher,
        source.url,
        source.licence,
        source.licence_url,
        source.attribution,
        source.notes_nb,
        source.notes_en,
      ],
    ],
  );
}

export interface StoreOptions {
  /** The checksum of the input the release was read from (default: of the bundle). */
  checksum?: string;
  publishedBy?: string | null;
  idempotencyKey?: string | null;
  /**
   * The instant the release becomes public. Default: the start of its publication date in Oslo,
   * which is when a bundled (historical) publication was public.
   */
  publicFrom?: Date;
  /** Called after each batch with the number of observations written so far. */
  onProgress?: (written: number, total: number) => void;
}

/** Stores a release and all its observations on `client` (the caller owns the transaction). */
export async function storeRelease(
  client: pg.ClientBase,
  sourceId: string,
  bundle: ReleaseBundle,
  options: StoreOptions = {},
): Promise<void> {
  const { release } = bundle;
  await insertRows(
    client,
    'release',
    [
      'id',
      'source_id',
      'label',
      'status',
      'published_at',
      'published_at_precision',
      'publisher',
      'url',
      'note',
      'checksum',
      'published_by',
      'idempotency_key',
      'public_from',
    ],
    [
      [
        release.id,
        sourceId,
        release.label,
        release.status,
        release.published_at,
        release.published_at_precision,
        release.publisher,
        release.url,
        release.note,
        options.checksum ?? releaseChecksum(bundle),
        options.publishedBy ?? null,
        options.idempotencyKey ?? null,
        options.publicFrom ?? osloInstant(release.published_at),
      ],
    ],
  );
  const total = bundle.observations.reduce((n, table) => n + table.rows.length, 0);
  let done = 0;
  for (const { table, columns, rows } of bundle.observations) {
    await copyRows(
      client,
      table,
      ['release_id', ...columns],
      rows.map((row) => [release.id, ...row]),
      (written) => options.onProgress?.(done + written, total),
    );
    done += rows.length;
  }
}

export interface BundledLoadResult {
  stored: string[];
  unchanged: string[];
}

/**
 * Stores the bundled releases of a source that the database does not have yet, all in one
 * transaction. A stored release whose bundled content changed is reported, never overwritten:
 * releases are immutable, a correction is a new release.
 */
export async function loadBundledReleases(
  pool: pg.Pool,
  source: SourceRecord,
  bundles: ReleaseBundle[],
  reference: ReferenceRows[] = [],
  /** Runs last in the same transaction (the caller records what it loaded). */
  finish?: (client: pg.PoolClient) => Promise<void>,
): Promise<BundledLoadResult> {
  return inTransaction(pool, async (client) => {
    await upsertSource(client, source);
    for (const { table, key, columns, rows } of reference) await upsertRows(client, table, key, columns, rows);
    const { rows } = await client.query<{ id: string; checksum: string | null }>(
      'SELECT id, checksum FROM "release" WHERE source_id = $1',
      [source.id],
    );
    const existing = new Map(rows.map((row) => [row.id, row.checksum]));
    const result: BundledLoadResult = { stored: [], unchanged: [] };
    for (const bundle of bundles) {
      const stored = existing.get(bundle.release.id);
      if (stored === undefined) {
        await storeRelease(client, source.id, bundle);
        result.stored.push(bundle.release.id);
      } else if (stored !== releaseChecksum(bundle)) {
        throw new Error(
          `Bundled release ${bundle.release.id} differs from the one stored. Releases are immutable: add the corrected figures as a new release.`,
        );
      } else {
        result.unchanged.push(bundle.release.id);
      }
    }
    await finish?.(client);
    return result;
  });
}
