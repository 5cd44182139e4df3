import type { Codelist } from '../../cube/codelist-cache.ts';
import type { WastewaterSite } from '../../db/generated/prisma/client.ts';
import { RegionType } from '../../dimensions/region.ts';
import { builder } from '../../graphql/builder.ts';
import type { Context } from '../../graphql/context.ts';
import { inCodelist } from '../../graphql/loaders.ts';

/** Every site, from memory: naming the site of a load costs no SQL and a map lookup, however many sites there are. */
const sites = (ctx: Context) =>
  ctx.codelists.codelist('wastewaterSites', ctx.reads, (tx) =>
    tx.wastewaterSite.findMany({ orderBy: { code: 'asc' } }),
  );

export const sitesByCode = inCodelist(sites);
export const metabolitesByCode = inCodelist((ctx) =>
  ctx.codelists.codelist('wastewaterMetabolites', ctx.reads, (tx) =>
    tx.wastewaterMetabolite.findMany({ orderBy: { code: 'asc' } }),
  ),
);

// The codes of each region's sites, made once per copy of the sites in memory.
const siteCodesByRegion = new WeakMap<Codelist<WastewaterSite>, ReadonlyMap<string, readonly string[]>>();

/** The codes of the sites in a region, for each region asked for (none: no site there). */
export async function siteCodesOfRegions(ctx: Context, regions: readonly string[]): Promise<(readonly string[])[]> {
  const codelist = await sites(ctx);
  let byRegion = siteCodesByRegion.get(codelist);
  if (!byRegion) {
    const grouped = new Map<string, string[]>();
    for (const site of codelist.rows) {
      if (site.regionCode !== null) grouped.set(site.regionCode, [...(grouped.get(site.regionCode) ?? []), site.code]);
    }
    byRegion = grouped;
    siteCodesByRegion.set(codelist, byRegion);
  }
  return regions.map((region) => byRegion.get(region) ?? []);
}

export const WastewaterSiteType = builder.prismaNode('WastewaterSite', {
  id: { field: 'code' },
  nullable: true,
  description: 'A wastewater treatment plant in the European monitoring (EUDA/SCORE), with the city it serves.',
  fields: (t) => ({
    code: t.exposeID('code', {
      description:
        'The EUDA site id (e.g. "NO007" Oslo); a site of an earlier release whose id EUDA reused has a code of its own.',
    }),
    eudaSiteId: t.exposeString('eudaSiteId', { description: 'The site id as EUDA published it.' }),
    country: t.exposeString('countryCode', { description: 'Country code as EUDA publishes it (e.g. NO, DE).' }),
    city: t.exposeString('city', { description: "City, without EUDA's footnote marker." }),
    cityAsPublished: t.exposeString('cityAsPublished', {
      description: 'City exactly as EUDA printed it, e.g. "Oslo (2)".',
    }),
    cityNote: t.exposeString('cityNote', {
      nullable: true,
      description: 'The footnote marker EUDA put after the city, e.g. "(2)".',
    }),
    location: t.exposeString('location', { nullable: true, description: 'The plant or area sampled.' }),
    latitude: t.exposeFloat('latitude', { nullable: true, description: 'Latitude, as published.' }),
    longitude: t.exposeFloat('longitude', { nullable: true, description: 'Longitude, as published.' }),
    population: t.exposeInt('population', { nullable: true, description: 'Population served, as a number.' }),
    populationAsPublished: t.exposeString('populationAsPublished', {
      nullable: true,
      description: 'Population served exactly as printed (some as "9e+05").',
    }),
    institution: t.exposeString('institution', {
      nullable: true,
      description: 'The institution that analysed the samples.',
    }),
    website: t.exposeString('website', { nullable: true, description: 'Website given for the site.' }),
    region: t.relation('region', {
      nullable: true,
      description: 'The Norwegian county the city is in (Norwegian sites only).',
    }),
    note: t.exposeString('note', { nullable: true, description: 'A remark on the site.' }),
  }),
});

export const WastewaterMetaboliteType = builder.prismaNode('WastewaterMetabolite', {
  id: { field: 'code' },
  nullable: true,
  description: 'What EUDA measures for a drug: cocaine is measured as benzoylecgonine, cannabis as THC-COOH.',
  fields: (t) => ({
    code: t.exposeID('code', {
      description:
        'The metabolite name as EUDA publishes it (cocaine, cannabis, MDMA, amphetamine, methamphetamine, ketamine).',
    }),
    measuredAs: t.exposeString('measuredAs', { description: 'The compound actually measured.' }),
    substance: t.relation('substance', { description: 'The substance of the taxonomy it indicates.' }),
  }),
});

builder.queryFields((t) => ({
  wastewaterSites: t.prismaField({
    type: ['WastewaterSite'],
    description: 'Every site of the wastewater monitoring, optionally of some countries.',
    args: { country: t.arg.idList({ description: 'Country codes (e.g. NO). Default: all.' }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.wastewaterSite.findMany({
        ...query,
        where: args.country ? { countryCode: { in: args.country.map(String) } } : {},
        orderBy: [{ countryCode: 'asc' }, { city: 'asc' }, { code: 'asc' }],
      }),
  }),
  wastewaterSite: t.prismaField({
    type: 'WastewaterSite',
    nullable: true,
    description: 'One site by its code; null when there is none.',
    args: { code: t.arg.id({ required: true, description: 'Site code, e.g. NO007.' }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.wastewaterSite.findUnique({ ...query, where: { code: String(args.code) } }),
  }),
}));

builder.prismaObjectField(RegionType, 'wastewaterSites', (t) =>
  t.relation('wastewaterSites', { description: 'Wastewater monitoring sites in this region.' }),
);
