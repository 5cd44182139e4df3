import type { CubeQuery, CubeRow } from '../../cube/definition.ts';
import * as enums from '../../db/generated/prisma/enums.ts';
import { RegionType } from '../../dimensions/region.ts';
import { SubstanceType, substancesByCode } from '../../dimensions/substance.ts';
import { builder } from '../../graphql/builder.ts';
import { AS_OF_DESCRIPTION, describedEnum, labelled } from '../../graphql/common.ts';
import { loadByParent, parentCodesKey, queryCube } from '../../graphql/cube-fields.ts';
import { byParent, lookup } from '../../graphql/loaders.ts';
import { Observation, type ObservationShape, observationNode, unitField } from '../../graphql/observation.ts';
import { wastewaterCube } from './cubes.ts';
import {
  metabolitesByCode,
  siteCodesOfRegions,
  sitesByCode,
  WastewaterMetaboliteType,
  WastewaterSiteType,
} from './sites.ts';

interface LoadRow extends CubeRow, ObservationShape {
  siteCode: string;
  countryCode: string;
  substanceCode: string;
  metaboliteCode: string;
  campaign: enums.WastewaterCampaign;
  statistic: enums.WastewaterStatistic;
}

export const WastewaterStatistic = describedEnum(
  enums.WastewaterStatistic,
  'WastewaterStatistic',
  'Which published figure of a sampling week: a mean or one day.',
  {
    DAILY_MEAN: {
      description: 'Mean of the days sampled, as EUDA published it (the default).',
      ...labelled('Døgnmiddel', 'Daily mean'),
    },
    WEEKDAY_MEAN: { description: 'Weekday mean, as published.', ...labelled('Middel for ukedager', 'Weekday mean') },
    WEEKEND_MEAN: { description: 'Weekend mean, as published.', ...labelled('Middel for helg', 'Weekend mean') },
    MONDAY: { description: 'Monday.', ...labelled('Mandag', 'Monday') },
    TUESDAY: { description: 'Tuesday.', ...labelled('Tirsdag', 'Tuesday') },
    WEDNESDAY: { description: 'Wednesday.', ...labelled('Onsdag', 'Wednesday') },
    THURSDAY: { description: 'Thursday.', ...labelled('Torsdag', 'Thursday') },
    FRIDAY: { description: 'Friday.', ...labelled('Fredag', 'Friday') },
    SATURDAY: { description: 'Saturday.', ...labelled('Lørdag', 'Saturday') },
    SUNDAY: { description: 'Sunday.', ...labelled('Søndag', 'Sunday') },
  },
);

export const WastewaterCampaign = describedEnum(
  enums.WastewaterCampaign,
  'WastewaterCampaign',
  'The sampling week of a year. EUDA samples one week in March-April, so its loads are SPRING; the ' +
    'report samples a spring and an autumn week in Bergen, Oslo and Trondheim. Always broken down: there is no total.',
  {
    SPRING: {
      description: "The spring week (EUDA's week, March-April; the report's April week).",
      ...labelled('Vår', 'Spring'),
    },
    AUTUMN: { description: "The autumn week (the report's September week).", ...labelled('Høst', 'Autumn') },
  },
);

export const WastewaterOrder = builder.enumType('WastewaterOrder', {
  description: 'How to order wastewater loads.',
  values: {
    YEAR: { description: 'By year, then site (the default).' },
    VALUE_DESC: { description: 'Highest load first (missing values last): a ranking of sites.' },
    VALUE_ASC: { description: 'Lowest load first (missing values last).' },
  } as const,
});

export const WastewaterObservation = builder.node(builder.objectRef<LoadRow>('WastewaterObservation'), {
  ...observationNode(wastewaterCube),
  description:
    "A published wastewater load in mg per 1000 inhabitants per day (EUDA/SCORE, or the report's city " +
    'charts): a day of a sampling week or a published mean, never recomputed. A blank day is MISSING; ' +
    "a published 0 is BELOW_LOQ (in the report's charts only where its text says so); copied values are DOUBTFUL.",
  interfaces: [Observation],
  isTypeOf: (row) => typeof row === 'object' && row !== null && 'siteCode' in row,
  fields: (t) => ({
    unit: unitField(t, 'MG_PER_1000_PER_DAY'),
    site: t.field({
      type: WastewaterSiteType,
      description: 'The treatment plant.',
      resolve: lookup(sitesByCode, (row) => row.siteCode),
    }),
    country: t.exposeString('countryCode', { description: 'Country code as EUDA publishes it.' }),
    metabolite: t.field({
      type: WastewaterMetaboliteType,
      description: 'What was measured (e.g. benzoylecgonine for cocaine).',
      resolve: lookup(metabolitesByCode, (row) => row.metaboliteCode),
    }),
    substance: t.field({
      type: SubstanceType,
      description: 'The substance the metabolite indicates.',
      resolve: lookup(substancesByCode, (row) => row.substanceCode),
    }),
    campaign: t.field({
      type: WastewaterCampaign,
      description: 'The sampling week: SPRING (EUDA and the report) or AUTUMN (the report).',
      resolve: (row) => row.campaign,
    }),
    statistic: t.field({
      type: WastewaterStatistic,
      description: 'Which figure of the week.',
      resolve: (row) => row.statistic,
    }),
  }),
});

const loadArgs = builder.args((t) => ({
  site: t.idList({ description: 'Site codes (e.g. NO007). Default: all.' }),
  country: t.idList({ description: 'Country codes (e.g. NO, ES). Default: all.' }),
  substance: t.idList({
    description: 'Substances (COCAINE, CANNABIS, MDMA, AMPHETAMINE, METHAMPHETAMINE, KETAMINE). Default: all.',
  }),
  from: t.int({ description: 'First year (inclusive).' }),
  to: t.int({ description: 'Last year (inclusive).' }),
  campaign: t.field({
    type: [WastewaterCampaign],
    description: 'Sampling weeks (SPRING, AUTUMN). Default: both, each its own cell (there is no total).',
  }),
  statistic: t.field({ type: [WastewaterStatistic], description: 'Statistics. Default: DAILY_MEAN.' }),
  orderBy: t.field({
    type: WastewaterOrder,
    defaultValue: 'YEAR',
    description: 'Order of the results (VALUE_DESC ranks sites).',
  }),
  first: t.int({ description: 'Only the first N results after ordering.' }),
  asOf: t.field({ type: 'Date', description: AS_OF_DESCRIPTION }),
}));

interface LoadArgs {
  site?: readonly (string | number)[] | null;
  country?: readonly (string | number)[] | null;
  substance?: readonly (string | number)[] | null;
  from?: number | null;
  to?: number | null;
  campaign?: readonly string[] | null;
  statistic?: readonly string[] | null;
  orderBy?: string | null;
  first?: number | null;
  asOf?: Date | null;
}

function toCubeQuery(args: LoadArgs): CubeQuery {
  return {
    series: {},
    filters: {
      site: args.site?.map(String),
      country: args.country?.map(String),
      substance: args.substance?.map(String),
      campaign: args.campaign,
      statistic: args.statistic,
    },
    from: args.from,
    to: args.to,
    asOf: args.asOf,
  };
}

/** The requested order and length (a ranking is "VALUE_DESC, first: 10"). */
function present(rows: LoadRow[], args: LoadArgs) {
  if (args.orderBy === 'VALUE_DESC' || args.orderBy === 'VALUE_ASC') {
    const sign = args.orderBy === 'VALUE_DESC' ? -1 : 1;
    rows.sort((a, b) => (a.value === null ? 1 : b.value === null ? -1 : sign * (a.value - b.value)));
  }
  return args.first != null ? rows.slice(0, Math.max(0, args.first)) : rows;
}

builder.queryFields((t) => ({
  wastewater: t.field({
    type: [WastewaterObservation],
    description:
      "Drug loads in wastewater (EUDA/SCORE; for Bergen, Oslo and Trondheim also the report's spring " +
      'and autumn weeks), mg per 1000 inhabitants per day. Site, country, substance, campaign and year ' +
      'are always broken down (filters narrow them); statistic defaults to DAILY_MEAN. Rank cities with ' +
      '`orderBy: VALUE_DESC, first: 10`.',
    args: loadArgs,
    // Order and length go to SQL here (one list): a top 10 reads what the index gives, not every cell.
    resolve: async (_root, args, ctx, info) =>
      present(
        await queryCube<LoadRow>(
          ctx,
          wastewaterCube,
          {
            ...toCubeQuery(args),
            order: args.orderBy === 'VALUE_DESC' || args.orderBy === 'VALUE_ASC' ? args.orderBy : null,
            limit: args.first,
          },
          info,
        ),
        args,
      ),
  }),
}));

const withoutFilter = <Key extends string>(key: Key) => {
  const { [key]: _removed, ...rest } = loadArgs as Record<string, (typeof loadArgs)[keyof typeof loadArgs]>;
  return rest as Omit<typeof loadArgs, Key>;
};

const loadsBySite = loadByParent(wastewaterCube, 'site', toCubeQuery, present);

builder.prismaObjectField(WastewaterSiteType, 'wastewater', (t) =>
  t.field({
    type: [WastewaterObservation],
    description: 'Loads measured at this site (same arguments as Query.wastewater).',
    args: withoutFilter('site'),
    resolve: byParent(loadsBySite, (site) => [site.code], parentCodesKey),
  }),
);

builder.prismaObjectField(RegionType, 'wastewater', (t) =>
  t.field({
    type: [WastewaterObservation],
    description: 'Loads measured at the sites in this region (same arguments as Query.wastewater).',
    args: withoutFilter('site'),
    resolve: byParent(
      async (regions: readonly string[], ctx, args: LoadArgs, info) =>
        loadsBySite(await siteCodesOfRegions(ctx, regions), ctx, args, info),
      (region) => region.code,
    ),
  }),
);

builder.prismaObjectField(SubstanceType, 'wastewater', (t) =>
  t.field({
    type: [WastewaterObservation],
    description: "Loads of this substance's metabolite in wastewater (same arguments as Query.wastewater).",
    args: withoutFilter('substance'),
    resolve: byParent(
      loadByParent(wastewaterCube, 'substance', toCubeQuery, present),
      (substance) => [substance.code],
      parentCodesKey,
    ),
  }),
);
