import type { Release, Source } from '../db/generated/prisma/client.ts';
import * as enums from '../db/generated/prisma/enums.ts';
import { builder } from './builder.ts';
import { describedEnum, label, langArgs } from './common.ts';
import type { Context } from './context.ts';
import { userError } from './errors.ts';
import { type BatchLoad, inKeyOrder } from './loaders.ts';

/** Sources by id, for `lookup` fields: one statement for every source at a path. */
export const sourcesById: BatchLoad<string, Source> = async (ids, ctx) =>
  inKeyOrder(
    ids,
    await ctx.prisma.source.findMany({ where: { id: { in: [...ids] } } }),
    (source) => source.id,
    'source',
  );

/** Releases by id, for `lookup` fields: one statement for every release at a path. */
export const releasesById: BatchLoad<string, Release> = async (ids, ctx) =>
  inKeyOrder(
    ids,
    await ctx.prisma.release.findMany({ where: { id: { in: [...ids] } } }),
    (release) => release.id,
    'release',
  );

export const ReleaseStatus = describedEnum(
  enums.ReleaseStatus,
  'ReleaseStatus',
  'Whether the source considers a release final.',
  {
    PRELIMINARY: 'Provisional figures that the source expects to revise.',
    FINAL: 'Figures the source published as final (they may still be revised later).',
  },
);

export const DatePrecision = describedEnum(
  enums.DatePrecision,
  'DatePrecision',
  'How precisely the source dates a publication.',
  {
    DAY: 'The exact day is known.',
    MONTH: 'Only year and month are known; publishedAt is the 1st of that month.',
    YEAR: 'Only the year is known; publishedAt is 1 January.',
    UNKNOWN: 'The source gives no date; publishedAt is 1 January of the year after its latest data (see note).',
  },
);

export const SourceType = builder.prismaNode('Source', {
  description: 'A statistical source the hub serves (the survey, the Cause of Death Registry, ...).',
  // Its own id, as clients pass it back (publishRelease(source:)): node.ts keeps it raw.
  id: { field: 'id', description: 'Stable id: mortality, survey, wastewater, pwid, ...' },
  nullable: true,
  fields: (t) => ({
    name: t.string({
      description: 'Name of the source.',
      args: langArgs,
      resolve: (entry, { lang }) => label(entry, lang),
    }),
    publisher: t.exposeString('publisher', { description: 'Who collects and publishes the data.' }),
    url: t.exposeString('url', { nullable: true, description: 'Where the source documents its statistics.' }),
    licence: t.exposeString('licence', {
      nullable: true,
      description:
        'The licence the publisher states for the data (e.g. "CC BY 4.0"); null where the stored material ' +
        "states none (reuse then follows the publisher's terms; credit it as `attribution` says).",
    }),
    licenceUrl: t.exposeString('licenceUrl', { nullable: true, description: 'The text of the licence.' }),
    attribution: t.exposeString('attribution', {
      description: 'The credit line every reuse of these data must carry (e.g. "© EUDA, CC BY 4.0 ...").',
    }),
    notes: t.stringList({
      description: 'Method and comparability notes for users of the data.',
      args: langArgs,
      resolve: (source, { lang }) => (lang === 'EN' ? source.notesEn : source.notesNb),
    }),
    releases: t.relation('releases', {
      description:
        'Every public release of this source, newest first, including withdrawn ones (releases not yet public are in releaseCalendar).',
      query: (_args, ctx) => ({
        where: { publicFrom: { lte: ctx.now() } },
        orderBy: [{ publishedAt: 'desc' }, { createdAt: 'desc' }],
      }),
    }),
    latestRelease: t.prismaField({
      type: 'Release',
      nullable: true,
      description: 'The newest public release that is not withdrawn.',
      resolve: (query, source, _args, ctx) =>
        ctx.prisma.release.findFirst({
          ...query,
          where: { sourceId: source.id, withdrawnAt: null, publicFrom: { lte: ctx.now() } },
          orderBy: [{ publishedAt: 'desc' }, { createdAt: 'desc' }],
        }),
    }),
  }),
});

export const ReleaseType = builder.prismaNode('Release', {
  description:
    'One publication of a source. Observations are never overwritten: a revision is a new release, and `asOf` answers from the releases published by a date.',
  // Its own id, as clients pass it back (withdrawRelease(id:)): node.ts keeps it raw.
  id: { field: 'id', description: 'Stable id of the release.' },
  nullable: true,
  fields: (t) => ({
    source: t.relation('source', { description: 'The source this release belongs to.' }),
    label: t.exposeString('label', { description: 'Title of the publication, as the publisher gave it.' }),
    status: t.expose('status', { type: ReleaseStatus, description: 'PRELIMINARY or FINAL.' }),
    publishedAt: t.field({
      type: 'Date',
      description: 'When it was published (see publishedAtPrecision).',
      resolve: (release) => release.publishedAt,
    }),
    publicFrom: t.field({
      type: 'DateTime',
      description:
        'The instant the release becomes public (its embargo ends). Until then only API keys scoped to its ' +
        'source (or admin) see its values, privately and audited; at that instant every hub serves it. Set ' +
        'when publishing; by default at once when publishedAt is today or earlier, else at 08:00 Oslo time on publishedAt.',
      resolve: (release) => release.publicFrom,
    }),
    publishedAtPrecision: t.expose('publishedAtPrecision', {
      type: DatePrecision,
      description:
        'How precisely publishedAt is known. Unless DAY, publishedAt is a placeholder (see DatePrecision) ' +
        'and every asOf argument compares with that placeholder.',
    }),
    publisher: t.exposeString('publisher', { description: 'Who published it.' }),
    url: t.string({
      nullable: true,
      description: 'Where it was published (null while under embargo, except for keys scoped to its source).',
      resolve: async (release, _args, ctx) => ((await hiddenFrom(ctx, release)) ? null : release.url),
    }),
    citation: t.string({
      description:
        'A reference to paste into a paper: publisher, year, title and URL, e.g. "Helsedirektoratet (2025). ' +
        'Tall om illegale rusmidler. https://...". The year is "n.d." where the publication date is unknown.',
      resolve: async (release, _args, ctx) =>
        citation((await hiddenFrom(ctx, release)) ? { ...release, url: null } : release),
    }),
    note: t.string({
      nullable: true,
      description:
        'What this release is (first publication, revision, ...); null while under embargo, except for keys scoped to its source.',
      resolve: async (release, _args, ctx) => ((await hiddenFrom(ctx, release)) ? null : release.note),
    }),
    publishedBy: t.string({
      nullable: true,
      description:
        'The API key id (or "cli:<user>") that published it; null for the bundled data, and while under embargo except for keys scoped to its source.',
      resolve: async (release, _args, ctx) => ((await hiddenFrom(ctx, release)) ? null : release.publishedBy),
    }),
    recordedAt: t.string({
      description: 'When the hub stored it (ISO 8601).',
      resolve: (release) => release.createdAt.toISOString(),
    }),
    checksum: t.string({
      nullable: true,
      description:
        'SHA-256 of the input it was read from (null while under embargo, except for keys scoped to its source).',
      resolve: async (release, _args, ctx) => ((await hiddenFrom(ctx, release)) ? null : release.checksum),
    }),
    withdrawnReason: t.exposeString('withdrawnReason', { nullable: true, description: 'Why it was withdrawn.' }),
    withdrawnAt: t.field({
      type: 'Date',
      nullable: true,
      description: 'When the release was withdrawn; withdrawn releases are kept but no longer served.',
      resolve: (release) => release.withdrawnAt,
    }),
  }),
});

/**
 * Whether a release is under embargo for this request: not public at its instant, and not of a
 * source its key may see early. The calendar shows such releases with metadata only.
 */
async function hiddenFrom(ctx: Context, release: Release): Promise<boolean> {
  if (release.publicFrom <= ctx.now()) return false;
  const { preRelease } = await ctx.readView();
  return preRelease !== '*' && !preRelease.includes(release.sourceId);
}

/** Publisher (year). Title. URL. — the year only as precisely as the source dates it. */
export function citation(release: {
  publisher: string;
  label: string;
  url: string | null;
  publishedAt: Date;
  publishedAtPrecision: string;
}): string {
  const year = release.publishedAtPrecision === 'UNKNOWN' ? 'n.d.' : String(release.publishedAt.getUTCFullYear());
  const title = /[.!?]$/.test(release.label) ? release.label : `${release.label}.`;
  return `${release.publisher} (${year}). ${title}${release.url ? ` ${release.url}` : ''}`;
}

builder.queryFields((t) => ({
  sources: t.prismaField({
    type: ['Source'],
    description: 'Every source the hub serves.',
    resolve: (query, _root, _args, ctx) => ctx.prisma.source.findMany({ ...query, orderBy: { id: 'asc' } }),
  }),
  releaseCalendar: t.prismaField({
    type: ['Release'],
    description:
      'Releases announced but not yet public, soonest first ("kommende publiseringer"): metadata only ' +
      '(id, label, source, status, publishedAt, publicFrom); their values answer from publicFrom on.',
    args: { source: t.arg.idList({ description: 'Only releases of these sources (default: every source).' }) },
    resolve: async (query, _root, args, ctx) => {
      ctx.reads.calendarRead?.();
      const sources = args.source?.map(String);
      if (sources?.length) {
        const known = new Set((await ctx.prisma.source.findMany({ select: { id: true } })).map(({ id }) => id));
        const unknown = sources.filter((id) => !known.has(id));
        if (unknown.length) {
          throw userError(
            'UNKNOWN_CODE',
            `releaseCalendar: unknown source ${unknown.map((id) => `"${id}"`).join(', ')}. Valid sources: ${[...known].sort().join(', ')}.`,
            {
              argument: 'source',
              unknown,
              valid: [...known].sort(),
            },
          );
        }
      }
      return ctx.prisma.release.findMany({
        ...query,
        where: {
          publicFrom: { gt: ctx.now() },
          withdrawnAt: null,
          ...(sources?.length ? { sourceId: { in: sources } } : {}),
        },
        orderBy: [{ publicFrom: 'asc' }, { id: 'asc' }],
      });
    },
  }),
}));
