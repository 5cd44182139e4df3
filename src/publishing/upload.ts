import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { SqlValue } from '../db/bulk.ts';
import { userError } from '../graphql/errors.ts';
import { InputFileError } from '../importing/csv.ts';
import type { RegisteredSource, ReleaseBundle, ReleaseRecord } from '../importing/source-module.ts';

/**
 * The operations that read an uploaded file. They check it with the same functions, so a file one
 * refuses the other refuses with the same error; the message names the operation called.
 */
export type UploadOperation = 'publishRelease' | 'previewRelease';

// CSV in the source's layout, or JSON-stat; a browser may label a .csv file with any of these.
const ACCEPTED_TYPES = [
  'text/csv',
  'application/csv',
  'application/vnd.ms-excel',
  'text/plain',
  'application/octet-stream',
  '',
  'application/json',
];

/** The text of an uploaded file, once its size and media type are ones an upload may have. */
export async function readUploadedFile(file: File, maxBytes: number, operation: UploadOperation): Promise<string> {
  if (file.size > maxBytes) {
    throw userError(
      'PAYLOAD_TOO_LARGE',
      `${operation}: the file is ${file.size} bytes; the limit is ${maxBytes} bytes.`,
      {
        argument: 'file',
      },
    );
  }
  if (!ACCEPTED_TYPES.includes((file.type.split(';')[0] ?? '').trim())) {
    throw userError(
      'UNSUPPORTED_MEDIA_TYPE',
      `${operation}: a file of type "${file.type}" cannot be read; send CSV (text/csv) or JSON-stat (application/json).`,
      { argument: 'file' },
    );
  }
  return file.text();
}

export interface UploadRequest {
  sourceId: string;
  fileName: string;
  content: string;
  release: Omit<ReleaseRecord, 'id' | 'published_at_precision' | 'url' | 'note'> & {
    id?: string | null;
    url?: string | null;
    note?: string | null;
  };
}

export interface ValidUpload {
  /** The release the file would be, with every observation it gives. */
  bundle: ReleaseBundle;
  /** SHA-256 of the file: the same input twice is the same release. */
  checksum: string;
  observations: number;
}

/**
 * Reads an uploaded file as a release of its source and checks all of it, writing nothing: the
 * source takes uploads, the file parses in the source's layout (errors name line and column), it
 * has observations, and no cell comes twice. publishRelease writes only what passed this.
 */
export async function validateUpload(
  pool: pg.Pool,
  modules: readonly RegisteredSource[],
  request: UploadRequest,
  operation: UploadOperation,
): Promise<ValidUpload> {
  const module = modules.find((m) => m.id === request.sourceId);
  if (!module) {
    const valid = modules.map((m) => m.id);
    throw userError(
      'UNKNOWN_CODE',
      `${operation}: unknown source "${request.sourceId}". Valid sources: ${valid.join(', ')}.`,
      { argument: 'source', valid },
    );
  }
  if (!module.parseUpload) {
    throw userError('BAD_USER_INPUT', `${operation}: the source "${request.sourceId}" does not accept uploads yet.`, {
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
  let bundle: ReleaseBundle;
  try {
    bundle = module.parseUpload(request.content, request.fileName, release);
  } catch (error) {
    if (error instanceof InputFileError) {
      throw userError('INVALID_FILE', `${operation}: ${error.message}. Expected layout: ${module.uploadLayout}.`, {
        file: error.file,
        line: error.line,
        column: error.column,
      });
    }
    throw error;
  }
  const observations = bundle.observations.reduce((n, table) => n + table.rows.length, 0);
  if (observations === 0) throw userError('INVALID_FILE', `${operation}: ${request.fileName} has no observations.`);
  for (const { table, columns, rows } of bundle.observations) {
    const key = await uniqueKeyOf(pool, table);
    const positions = key.map((column) => columns.indexOf(column));
    const first = new Map<string, number>();
    rows.forEach((row, index) => {
      const values = positions.map((position) => row[position] as SqlValue);
      const cell = JSON.stringify(values);
      const earlier = first.get(cell);
      if (earlier === undefined) first.set(cell, index);
      else
        throw userError(
          'INVALID_FILE',
          `${operation}: ${request.fileName} gives the same cell twice (${key.join(', ')} = ${values.join(', ')}: ` +
            `observations ${earlier + 1} and ${index + 1}); nothing was stored.`,
        );
    });
  }
  return { bundle, checksum, observations };
}

const uniqueKeys = new Map<string, Promise<string[]>>();

/**
 * The columns of a table's unique key besides its release: two rows of one release that agree on
 * them are the same cell, which the database would refuse. Read once per table from the catalog,
 * so the check and the table's own constraint can never disagree.
 */
function uniqueKeyOf(pool: pg.Pool, table: string): Promise<string[]> {
  let key = uniqueKeys.get(table);
  if (!key) {
    key = pool
      .query<{ columns: string[] }>(
        `SELECT array_agg(a.attname::text ORDER BY k.position) AS columns
        FROM pg_index i
        CROSS JOIN LATERAL unnest(i.indkey::smallint[]) WITH ORDINALITY AS k(attnum, position)
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indrelid = $1::regclass AND i.indisunique AND NOT i.indisprimary
        GROUP BY i.indexrelid`,
        [table],
      )
      .then(({ rows }) => {
        const withRelease = rows.find((row) => row.columns.includes('release_id'));
        if (!withRelease) throw new Error(`table ${table} has no unique key on (release_id, ...)`);
        return withRelease.columns.filter((column) => column !== 'release_id');
      });
    uniqueKeys.set(table, key);
    key.catch(() => uniqueKeys.delete(table));
  }
  return key;
}
