import { releasePublishedBy } from '../../cube/definition.ts';
import type { Release, WastewaterAggregate, WastewaterChange } from '../../db/generated/prisma/client.ts';
import { builder } from '../../graphql/builder.ts';
import { AS_OF_DESCRIPTION } from '../../graphql/common.ts';
import type { Context } from '../../graphql/context.ts';
import { lookup } from '../../graphql/loaders.ts';
import { compositeKey, parseCompositeKey } from '../../graphql/node.ts';
import { ReleaseType } from '../../graphql/provenance.ts';
import { metabolitesByCode, sitesByCode, WastewaterMetaboliteType, WastewaterSiteType } from './sites.ts';

// EUDA's own derived tables, served as EUDA published them (from the latest release by asOf).

/** Keeps, per key, only the rows of the newest release (rows come newest release first). */
function newestPerKey<Row extends { releaseId: string }>(rows: Row[], key: (row: Row) => string): Row[] {
  const releaseOfKey = new Map<string, string>();
  return rows.filter((row) => {
    const k = key(row);
    const release = releaseOfKey.get(k) ?? releaseOfKey.set(k, row.releaseId).get(k);
    return release === row.releaseId;
  });
}

const newestFirst = [{ release: { publishedAt: 'desc' as const } }, { release: { createdAt: 'desc' as const } }];

type Change = WastewaterChange & { release: Release };
type Aggregate = WastewaterAggregate & { release: Release };

const isYear = (text: string | null | undefined): text is string => !!text && /^\d{1,4}$/.test(text);
const changeKey = (c: WastewaterChange) => compositeKey([c.releaseId, c.siteCode, c.metaboliteCode, c.yearCurrent]);
const aggregateKey = (a: WastewaterAggregate) => compositeKey([a.releaseId, a.metaboliteCode, a.year]);

/** Changes by their keys (release, site, metabolite, year): one statement. */
async function loadChanges(keys: readonly string[], ctx: Context): Promise<(Change | null)[]> {
  const wanted = keys.flatMap((key) => {
    const [releaseId, siteCode, metaboliteCode, year] = parseCompositeKey(key, 4) ?? [];
    return releaseId && siteCode && metaboliteCode && isYear(year)
      ? [{ releaseId, siteCode, metaboliteCode, yearCurrent: Number(year) }]
      : [];
  });
  const rows = wanted.length
    ? await ctx.prisma.wastewaterChange.findMany({ where: { OR: wanted }, include: { release: true } })
    : [];
  return keys.map((key) => rows.find((row) => changeKey(row) === key) ?? null);
}

/** Aggregates by their keys (release, metabolite, year): one statement. */
async function loadAggregates(keys: readonly string[], ctx: Context): Promise<(Aggregate | null)[]> {
  const wanted = keys.flatMap((key) => {
    const [releaseId, metaboliteCode, year] = parseCompositeKey(key, 3) ?? [];
    return releaseId && metaboliteCode && isYear(year) ? [{ releaseId, metaboliteCode, year: Number(year) }] : [];
  });
  const rows = wanted.length
    ? await ctx.prisma.wastewaterAggregate.findMany({ where: { OR: wanted }, include: { release: true } })
    : [];
  return keys.map((key) => rows.find((row) => aggregateKey(row) === key) ?? null);
}

const WastewaterChangeType = builder.node(builder.objectRef<Change>('WastewaterChange'), {
  description: "EUDA's published change of a site's daily mean from the previous year it has data for.",
  id: { resolve: changeKey },
  loadMany: loadChanges,
  fields: (t) => ({
    site: t.field({
      type: WastewaterSiteType,
      description: 'The site.',
      resolve: lookup(sitesByCode, (c) => c.siteCode),
    }),
    metabolite: t.field({
      type: WastewaterMetaboliteType,
      description: 'The metabolite.',
      resolve: lookup(metabolitesByCode, (c) => c.metaboliteCode),
    }),
    yearCurrent: t.exposeInt('yearCurrent', { description: 'The later year.' }),
    yearPrevious: t.exposeInt('yearPrevious', {
      nullable: true,
      description: 'The earlier year, if the site has one.',
    }),
    valueCurrent: t.exposeFloat('valueCurrent', { nullable: true, description: 'Daily mean in the later year.' }),
    valuePrevious: t.exposeFloat('valuePrevious', { nullable: true, description: 'Daily mean in the earlier year.' }),
    changePercent: t.float({
      nullable: true,
      description:
        'Change in percent as EUDA computed it; null where EUDA printed "Inf" (a previous value of 0) or nothing.',
      resolve: (c) => (c.changePercent !== null && Number.isFinite(c.changePercent) ? c.changePercent : null),
    }),
    changePercentAsPublished: t.string({
      nullable: true,
      description: 'The change as printed, including "Inf".',
      resolve: (c) =>
        c.changePercent === null
          ? null
          : Number.isFinite(c.changePercent)
            ? String(c.changePercent)
            : c.changePercent > 0
              ? 'Inf'
              : '-Inf',
    }),
    changeClass: t.exposeString('changeClass', {
      description: 'EUDA\'s class of the change ("increase", "stable", "decrease", "no previous data").',
    }),
    release: t.field({ type: ReleaseType, description: 'The release.', resolve: (c) => c.release }),
  }),
});

const WastewaterAggregateType = builder.node(builder.objectRef<Aggregate>('WastewaterAggregate'), {
  description: "EUDA's aggregated trend of a metabolite across sites, as published.",
  id: { resolve: aggregateKey },
  loadMany: loadAggregates,
  fields: (t) => ({
    metabolite: t.field({
      type: WastewaterMetaboliteType,
      description: 'The metabolite.',
      resolve: lookup(metabolitesByCode, (a) => a.metaboliteCode),
    }),
    year: t.exposeInt('year', { description: 'Year.' }),
    value: t.exposeFloat('value', { description: 'The aggregated value, unrounded as published.' }),
    release: t.field({ type: ReleaseType, description: 'The release.', resolve: (a) => a.release }),
  }),
});

builder.queryFields((t) => ({
  wastewaterChanges: t.field({
    type: [WastewaterChangeType],
    description: "EUDA's published year-on-year changes of the daily mean, per site and metabolite.",
    args: {
      country: t.arg.idList({ description: 'Country codes. Default: all.' }),
      substance: t.arg.idList({ description: 'Substances. Default: all.' }),
      asOf: t.arg({ type: 'Date', description: AS_OF_DESCRIPTION }),
    },
    resolve: async (_root, args, ctx) => {
      const rows = await ctx.prisma.wastewaterChange.findMany({
        where: {
          release: releasePublishedBy(args.asOf, await ctx.readView()),
          ...(args.country ? { site: { countryCode: { in: args.country.map(String) } } } : {}),
          ...(args.substance ? { metabolite: { substanceCode: { in: args.substance.map(String) } } } : {}),
        },
        include: { release: true },
        orderBy: [...newestFirst, { siteCode: 'asc' }, { metaboliteCode: 'asc' }],
      });
      return newestPerKey(rows, (row) => `${row.siteCode}|${row.metaboliteCode}|${row.yearCurrent}`);
    },
  }),
  wastewaterAggregates: t.field({
    type: [WastewaterAggregateType],
    description: "EUDA's aggregated trends across sites (e.g. benzoylecgonine), per year.",
    args: { asOf: t.arg({ type: 'Date', description: AS_OF_DESCRIPTION }) },
    resolve: async (_root, args, ctx) => {
      const rows = await ctx.prisma.wastewaterAggregate.findMany({
        where: { release: releasePublishedBy(args.asOf, await ctx.readView()) },
        include: { release: true },
        orderBy: [...newestFirst, { metaboliteCode: 'asc' }, { year: 'asc' }],
      });
      return newestPerKey(rows, (row) => `${row.metaboliteCode}|${row.year}`);
    },
  }),
}));
