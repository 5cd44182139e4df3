import type { ReleaseCatalogue } from './release-catalogue.ts';

/**
 * What one request may see, and what it saw. Releases become public at an instant (`public_from`);
 * a request sees those public by its instant `at`, plus, for a key scoped to a source, that
 * source's releases still under embargo. Every statement reports the data version it read, so an
 * answer is only ever labelled (ETag, caches) with the version of the data actually in it.
 */
export interface ReadView extends VersionRecorder {
  /** The instant the request is answered at: releases public from then or earlier answer. */
  at: Date;
  /** Sources whose releases under embargo this request also sees ('*': every source). */
  preRelease: readonly string[] | '*';
  /** Called with the releases whose values an answer carries (pre-release reads are audited). */
  served?(releaseIds: Iterable<string>): void;
  /** The releases as of the data version heard: cube statements take the visible ones from it. */
  releases: ReleaseCatalogue;
  /**
   * Reads the data version and the releases again: called by a statement that saw a newer data
   * version than the one heard, whose releases the catalogue may not hold yet.
   */
  catchUp?(): Promise<ReleaseCatalogue>;
}

/** Where a request's reads report the data version they saw. */
export interface VersionRecorder {
  /** The data version the hub had heard of when the request began. */
  heard: string;
  /** Called with the data version (data_version.version) each read saw, or that cached data was read at. */
  saw(version: string): void;
  /** Called when a read that reports no version (an ORM query) is about to run. */
  unversionedRead?(): void;
  /**
   * Called by a read of releases under embargo (the release calendar): its answer changes when a
   * release is stored ahead, which leaves public ETags as they were, so it is never kept.
   */
  calendarRead?(): void;
}

/** Whether a view sees releases of some source before they are public. */
export const seesPreRelease = (view: ReadView) => view.preRelease === '*' || view.preRelease.length > 0;

/**
 * SQL: the release aliased `release` is visible in the view. `add` returns a parameter's
 * placeholder. Public views compare one instant; a pre-release view adds its sources.
 */
export function visibleSql(release: string, view: ReadView, add: (value: unknown) => string): string {
  if (view.preRelease === '*') return 'TRUE';
  const isPublic = `${release}.public_from <= ${add(view.at)}`;
  if (!view.preRelease.length) return isPublic;
  return `(${isPublic} OR ${release}.source_id = ANY(${add([...view.preRelease])}))`;
}

/** A Prisma filter on releases: visible in the view. */
export function visibleReleases(view: ReadView) {
  if (view.preRelease === '*') return {};
  const isPublic = { publicFrom: { lte: view.at } };
  return view.preRelease.length ? { OR: [isPublic, { sourceId: { in: [...view.preRelease] } }] } : isPublic;
}
