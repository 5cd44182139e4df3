import type { ReadView } from './read-view.ts';

/** A date column as the UTC midnight it means (pg would read it in the server's time zone). */
export const utcDate = (text: string) => new Date(`${text}T00:00:00Z`);

/** One release as the catalogue holds it. */
export interface CatalogueRelease {
  id: string;
  sourceId: string;
  /** YYYY-MM-DD */
  publishedAt: string;
  publicFrom: Date;
  /** The day it was withdrawn (YYYY-MM-DD, as `withdrawn_at::date` reads it); null while it stands. */
  withdrawnOn: string | null;
}

/** A PostgreSQL array literal of text values. */
const textArray = (values: readonly string[]) =>
  `{${values.map((value) => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;

/**
 * Every release of the database, latest first (by publication date, then storage time, then id:
 * the order in which a later release supersedes an earlier one's cells), read in the same snapshot
 * as the data version a hub has heard. A cube statement gets the releases a request may see as one
 * array parameter, in this order: the cell's answer is the row whose release comes first in it, so
 * the statement needs no join to `release` (that join was more than half of its cost in
 * PostgreSQL). Immutable: a new reading of the data version makes a new catalogue.
 */
export class ReleaseCatalogue {
  readonly #latestFirst: readonly CatalogueRelease[];
  readonly #byId = new Map<string, { sourceId: string; publishedAt: Date; publicFrom: Date }>();
  /** The instant the last standing (not withdrawn) release becomes public (ms). */
  readonly #everyStandingPublicFrom: number = Number.NEGATIVE_INFINITY;
  /** The public answer as of the last instant asked, and the instants it holds for. */
  #public?: { from: number; until: number; ids: string };

  constructor(latestFirst: readonly CatalogueRelease[]) {
    this.#latestFirst = latestFirst;
    for (const release of latestFirst) {
      const { sourceId, publicFrom } = release;
      this.#byId.set(release.id, { sourceId, publishedAt: utcDate(release.publishedAt), publicFrom });
      if (release.withdrawnOn === null) {
        this.#everyStandingPublicFrom = Math.max(this.#everyStandingPublicFrom, publicFrom.getTime());
      }
    }
  }

  /** A release's source, publication date (UTC midnight; one Date per release) and public instant. */
  release(id: string): { sourceId: string; publishedAt: Date; publicFrom: Date } | undefined {
    return this.#byId.get(id);
  }

  /**
   * Whether the rows the database marks current (`is_current`: each cell's row from the latest
   * standing release, prisma/migrations/*_current_cells) answer in `view`: without `asOf`, when
   * every standing release is visible in it (no embargo pending, or a key that sees them all).
   */
  currentRowsAnswer(view: Pick<ReadView, 'at' | 'preRelease'>, asOf?: Date | null): boolean {
    if (asOf) return false;
    return view.preRelease === '*' || this.#everyStandingPublicFrom <= view.at.getTime();
  }

  /**
   * The releases whose cells answer in `view`, latest first, as a PostgreSQL text array: visible in
   * the view, published by `asOf` and not withdrawn by then (default: now, and not withdrawn). The
   * same rule as `visibleSql` with a release's `published_at` and `withdrawn_at` (dates compared as
   * days, as `asOf` is a day). A public view without `asOf` reuses its answer until an embargo ends.
   */
  visibleIds(view: Pick<ReadView, 'at' | 'preRelease'>, asOf?: Date | null): string {
    const at = view.at.getTime();
    const everyone = !asOf && !(view.preRelease === '*' || view.preRelease.length);
    if (everyone && this.#public && this.#public.from <= at && at < this.#public.until) return this.#public.ids;
    const day = asOf?.toISOString().slice(0, 10);
    const { preRelease } = view;
    const ids: string[] = [];
    let from = Number.NEGATIVE_INFINITY;
    let until = Number.POSITIVE_INFINITY;
    for (const release of this.#latestFirst) {
      const publicFrom = release.publicFrom.getTime();
      const visible =
        preRelease === '*' || publicFrom <= at || (preRelease.length > 0 && preRelease.includes(release.sourceId));
      const live = day
        ? release.publishedAt <= day && (release.withdrawnOn === null || release.withdrawnOn > day)
        : release.withdrawnOn === null;
      if (visible && live) ids.push(release.id);
      if (release.withdrawnOn !== null) continue;
      if (publicFrom <= at) from = Math.max(from, publicFrom);
      else until = Math.min(until, publicFrom);
    }
    const literal = textArray(ids);
    if (everyone) this.#public = { from, until, ids: literal };
    return literal;
  }
}
