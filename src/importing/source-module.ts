import type { SqlValue } from '../db/bulk.ts';
import type * as enums from '../db/generated/prisma/enums.ts';

/** A source as stored in the `source` table. */
export interface SourceRecord {
  id: string;
  name_nb: string;
  name_en: string;
  publisher: string;
  url: string | null;
  /** The licence the publisher states (e.g. "CC BY 4.0"); null where none is stated. */
  licence: string | null;
  licence_url: string | null;
  /** The credit line every reuse of the data must carry. */
  attribution: string;
  notes_nb: string[];
  notes_en: string[];
}

export interface ReleaseRecord {
  id: string;
  label: string;
  status: enums.ReleaseStatus;
  /** YYYY-MM-DD */
  published_at: string;
  published_at_precision: enums.DatePrecision;
  publisher: string;
  url: string | null;
  note: string | null;
}

/** Rows for one observation table, in the column order given (the release id is added on store). */
export interface ObservationRows {
  table: string;
  columns: readonly string[];
  rows: SqlValue[][];
}

/** A release with every observation it publishes, validated and ready to store. */
export interface ReleaseBundle {
  release: ReleaseRecord;
  observations: ObservationRows[];
}

/** Rows of a source's own codelist (e.g. wastewater sites), upserted by `key` before its releases. */
export interface ReferenceRows extends ObservationRows {
  key: string;
}

/** A source as the registry knows it: its module and its id, the name of its folder. */
export type RegisteredSource = SourceModule & { id: string };

/** What the data module of a source (`src/sources/<id>/data.ts`) provides: everything but GraphQL. */
export interface SourceModule {
  /** The source's own tables (its `tables.ts`): each a model of prisma/schema.prisma, created by a migration. */
  tables: readonly string[];
  /** Reads prisma/data/<id>/source.json. */
  readSource(): SourceRecord;
  /** Reads and validates the source's bundled files under prisma/data/<id>/. */
  readBundledReleases(): ReleaseBundle[];
  /** The source's own codelists, kept current on every start (added or updated, never removed). */
  readReferenceData?(): ReferenceRows[];
  /** The file layout partner agencies publish new releases in, described for users. */
  uploadLayout?: string;
  /** Reads and validates an uploaded file as the observations of `release`. */
  parseUpload?(text: string, fileName: string, release: ReleaseRecord): ReleaseBundle;
}
