import { releasePublishedBy } from '../../cube/definition.ts';
import type { Release, SurveyTrendPoint, SurveyTrendTest } from '../../db/generated/prisma/client.ts';
import * as enums from '../../db/generated/prisma/enums.ts';
import { SubstanceType, substancesByCode } from '../../dimensions/substance.ts';
import { builder } from '../../graphql/builder.ts';
import { AS_OF_DESCRIPTION, Qualifier } from '../../graphql/common.ts';
import type { Context } from '../../graphql/context.ts';
import { byParent, lookup } from '../../graphql/loaders.ts';
import { compositeKey, parseCompositeKey } from '../../graphql/node.ts';
import { ReleaseType } from '../../graphql/provenance.ts';
import { Recall } from './prevalence.ts';

interface Trend {
  substanceCode: string;
  recall: SurveyTrendPoint['recall'];
  points: (SurveyTrendPoint & { release: Release })[];
  test: (SurveyTrendTest & { release: Release }) | null;
}

/** The trend series and test of each (substance, recall), each from its latest release published by `asOf`. */
async function loadTrends(
  ctx: Context,
  substances: string[] | undefined,
  recalls: Trend['recall'][] | undefined,
  asOf?: Date | null,
): Promise<Trend[]> {
  const bySubstance = {
    ...(substances ? { substanceCode: { in: substances } } : {}),
    release: releasePublishedBy(asOf, await ctx.readView()),
  };
  const newestFirst = [{ release: { publishedAt: 'desc' as const } }, { release: { createdAt: 'desc' as const } }];
  const [points, tests] = await Promise.all([
    ctx.prisma.surveyTrendPoint.findMany({
      where: { ...bySubstance, ...(recalls ? { recall: { in: recalls } } : {}) },
      include: { release: true },
      orderBy: [...newestFirst, { year: 'asc' }],
    }),
    ctx.prisma.surveyTrendTest.findMany({
      where: { ...bySubstance, ...(recalls ? { recalls: { hasSome: recalls } } : {}) },
      include: { release: true },
      orderBy: newestFirst,
    }),
  ]);
  const trends = new Map<string, Trend>();
  for (const point of points) {
    const key = `${point.substanceCode}|${point.recall}`;
    const trend = trends.get(key) ?? {
      substanceCode: point.substanceCode,
      recall: point.recall,
      points: [],
      test: null,
    };
    // Points come newest release first: keep only the newest release's series.
    if (trend.points.length === 0 || trend.points[0]?.releaseId === point.releaseId) trend.points.push(point);
    trends.set(key, trend);
  }
  // One printed test covers every recall period its paragraph describes: each of those trends
  // shows the same test (same id), which stays one figure.
  for (const test of tests) {
    for (const recall of test.recalls) {
      if (recalls && !recalls.includes(recall)) continue;
      const key = `${test.substanceCode}|${recall}`;
      const trend = trends.get(key) ?? { substanceCode: test.substanceCode, recall, points: [], test: null };
      trend.test ??= test;
      trends.set(key, trend);
    }
  }
  const recallOrder: string[] = Object.values(enums.Recall);
  return [...trends.values()].sort(
    (a, b) =>
      a.substanceCode.localeCompare(b.substanceCode) || recallOrder.indexOf(a.recall) - recallOrder.indexOf(b.recall),
  );
}

type TrendPoint = SurveyTrendPoint & { release: Release };
type TrendTest = SurveyTrendTest & { release: Release };

const pointKey = (point: SurveyTrendPoint) =>
  compositeKey([point.releaseId, point.substanceCode, point.recall, point.year]);
const testKey = (test: SurveyTrendTest) =>
  compositeKey([test.releaseId, test.substanceCode, test.yearFrom, test.yearTo]);
const isYear = (text: string | null | undefined): text is string => !!text && /^\d{1,4}$/.test(text);
const isRecall = (text: string | null | undefined): text is Trend['recall'] =>
  (Object.values(enums.Recall) as (string | null | undefined)[]).includes(text);

/** Trend points by their keys (release, substance, recall, year): one statement. */
async function loadPoints(keys: readonly string[], ctx: Context): Promise<(TrendPoint | null)[]> {
  const wanted = keys.flatMap((key) => {
    const [releaseId, substanceCode, recall, year] = parseCompositeKey(key, 4) ?? [];
    return releaseId && substanceCode && isRecall(recall) && isYear(year)
      ? [{ releaseId, substanceCode, recall, year: Number(year) }]
      : [];
  });
  const points = wanted.length
    ? await ctx.prisma.surveyTrendPoint.findMany({ where: { OR: wanted }, include: { release: true } })
    : [];
  return keys.map((key) => points.find((point) => pointKey(point) === key) ?? null);
}

/** Trend tests by their keys (release, substance, first and last year): one statement. */
async function loadTests(keys: readonly string[], ctx: Context): Promise<(TrendTest | null)[]> {
  const wanted = keys.flatMap((key) => {
    const [releaseId, substanceCode, yearFrom, yearTo] = parseCompositeKey(key, 4) ?? [];
    return releaseId && substanceCode && isYear(yearFrom) && isYear(yearTo)
      ? [{ releaseId, substanceCode, yearFrom: Number(yearFrom), yearTo: Number(yearTo) }]
      : [];
  });
  const tests = wanted.length
    ? await ctx.prisma.surveyTrendTest.findMany({ where: { OR: wanted }, include: { release: true } })
    : [];
  return keys.map((key) => tests.find((test) => testKey(test) === key) ?? null);
}

/**
 * A trend is its substance and recall with the release its series comes from and the test it
 * shows: another release's series (a later one, or an earlier one by asOf) is another object.
 */
const trendKey = (trend: Trend) =>
  compositeKey([
    trend.substanceCode,
    trend.recall,
    trend.points[0]?.releaseId,
    trend.test?.releaseId,
    trend.test?.yearFrom,
    trend.test?.yearTo,
  ]);

async function loadTrendsByKey(keys: readonly string[], ctx: Context): Promise<(Trend | null)[]> {
  const parsed = keys.map((key) => {
    const [substanceCode, recall, pointsRelease, testRelease, testFrom, testTo] = parseCompositeKey(key, 6) ?? [];
    if (!substanceCode || !isRecall(recall) || !(pointsRelease || testRelease)) return undefined;
    const test = testRelease ? compositeKey([testRelease, substanceCode, testFrom, testTo]) : null;
    return { substanceCode, recall, pointsRelease, test };
  });
  const pointSets = parsed.flatMap((entry) =>
    entry?.pointsRelease
      ? [{ releaseId: entry.pointsRelease, substanceCode: entry.substanceCode, recall: entry.recall }]
      : [],
  );
  const [points, tests] = await Promise.all([
    pointSets.length
      ? ctx.prisma.surveyTrendPoint.findMany({
          where: { OR: pointSets },
          include: { release: true },
          orderBy: { year: 'asc' },
        })
      : [],
    loadTests(
      parsed.flatMap((entry) => (entry?.test ? [entry.test] : [])),
      ctx,
    ),
  ]);
  return parsed.map((entry, index) => {
    if (!entry) return null;
    const series = points.filter(
      (p) =>
        p.releaseId === entry.pointsRelease && p.substanceCode === entry.substanceCode && p.recall === entry.recall,
    );
    const test = entry.test ? (tests.find((t) => t && testKey(t) === entry.test) ?? null) : null;
    const trend: Trend = { substanceCode: entry.substanceCode, recall: entry.recall, points: series, test };
    // Only a key that names what exists: its series and its test.
    return trendKey(trend) === keys[index] ? trend : null;
  });
}

const TrendPointType = builder.node(builder.objectRef<TrendPoint>('PrevalenceTrendPoint'), {
  description:
    'One year of a trend test: the prevalence adjusted for age and sex, and the observed (weighted) prevalence, each with its 95 % band, unrounded as charted.',
  id: { resolve: pointKey },
  loadMany: loadPoints,
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'Survey year.' }),
    adjusted: t.exposeFloat('adjusted', {
      description: 'Prevalence adjusted for age and sex (model estimate), in percent.',
    }),
    adjustedCiLow: t.exposeFloat('adjustedCiLow', { description: "Lower limit of the adjusted estimate's 95 % band." }),
    adjustedCiHigh: t.exposeFloat('adjustedCiHigh', {
      description: "Upper limit of the adjusted estimate's 95 % band.",
    }),
    observed: t.exposeFloat('observed', { description: 'Observed weighted prevalence, in percent.' }),
    observedSe: t.exposeFloat('observedSe', {
      nullable: true,
      description: 'Standard error of the observed prevalence.',
    }),
    observedCiLow: t.exposeFloat('observedCiLow', {
      description: "Lower limit of the observed prevalence's 95 % band.",
    }),
    observedCiHigh: t.exposeFloat('observedCiHigh', {
      description: "Upper limit of the observed prevalence's 95 % band.",
    }),
    reference: t.exposeString('reference', { description: 'The figure it was charted in.' }),
    release: t.field({
      type: ReleaseType,
      description: 'The release it comes from.',
      resolve: (point) => point.release,
    }),
  }),
});

const TrendTestType = builder.node(builder.objectRef<TrendTest>('PrevalenceTrendTest'), {
  description:
    'The result of a statistical test of the trend, as the report states it: one printed statement is ' +
    'one test, however many recall periods its paragraph describes.',
  id: {
    description:
      'Stable id of the test (release, substance and period): the same test shown under several trends has one id.',
    resolve: testKey,
  },
  loadMany: loadTests,
  fields: (t) => ({
    recalls: t.field({
      type: [Recall],
      description:
        'The recall periods the paragraph stating the test describes. The report prints one p-value for them and does not say which series was tested.',
      resolve: (test) => test.recalls,
    }),
    yearFrom: t.exposeInt('yearFrom', { description: 'First year of the period tested.' }),
    yearTo: t.exposeInt('yearTo', { description: 'Last year of the period tested.' }),
    direction: t.exposeString('direction', { description: 'INCREASE, DECREASE or NO_CHANGE.' }),
    pValue: t.exposeFloat('pValue', {
      description: 'The p-value bound as printed (see pQualifier: LESS_THAN 0.01 is "p < 0.01").',
    }),
    pQualifier: t.field({
      type: Qualifier,
      description: 'How the p-value was printed.',
      resolve: (test) => test.pQualifier,
    }),
    adjustedFor: t.exposeString('adjustedFor', { description: 'What the test adjusts for, as printed.' }),
    reference: t.exposeString('reference', { description: 'Where the report states the result.' }),
    note: t.exposeString('note', { nullable: true, description: 'A remark on how the statement was read.' }),
    release: t.field({ type: ReleaseType, description: 'The release it comes from.', resolve: (test) => test.release }),
  }),
});

const TrendType = builder.node(builder.objectRef<Trend>('PrevalenceTrend'), {
  description:
    "The report's trend test of a prevalence series (figures 5-7): adjusted and observed series with the test result.",
  id: { resolve: trendKey },
  loadMany: loadTrendsByKey,
  fields: (t) => ({
    substance: t.field({
      type: SubstanceType,
      description: 'The substance.',
      resolve: lookup(substancesByCode, (trend) => trend.substanceCode),
    }),
    recall: t.field({ type: Recall, description: 'The recall period.', resolve: (trend) => trend.recall }),
    points: t.field({
      type: [TrendPointType],
      description: 'The series, one point per year.',
      resolve: (trend) => trend.points,
    }),
    test: t.field({
      type: TrendTestType,
      nullable: true,
      description:
        'The test whose paragraph covers this series, where the report states one; a test covering several ' +
        'recall periods is the same test (same id) under each.',
      resolve: (trend) => trend.test,
    }),
  }),
});

const trendArgs = builder.args((t) => ({
  recall: t.field({ type: [Recall], description: 'Recall periods. Default: all tested.' }),
  asOf: t.field({ type: 'Date', description: AS_OF_DESCRIPTION }),
}));

builder.queryFields((t) => ({
  prevalenceTrendTests: t.field({
    type: [TrendTestType],
    description:
      'The trend tests the report states, each once: a test whose paragraph covers several recall periods is one entry (see recalls).',
    args: {
      substance: t.arg.idList({ description: 'Substances. Default: all tested (cannabis).' }),
      asOf: t.arg({ type: 'Date', description: AS_OF_DESCRIPTION }),
    },
    resolve: async (_root, args, ctx) => {
      const tests = await ctx.prisma.surveyTrendTest.findMany({
        where: {
          ...(args.substance ? { substanceCode: { in: args.substance.map(String) } } : {}),
          release: releasePublishedBy(args.asOf, await ctx.readView()),
        },
        include: { release: true },
        orderBy: [
          { release: { publishedAt: 'desc' } },
          { release: { createdAt: 'desc' } },
          { substanceCode: 'asc' },
          { yearFrom: 'asc' },
        ],
      });
      // Newest release first: keep each (substance, period) from the newest release that states it.
      const seen = new Set<string>();
      return tests.filter((test) => {
        const key = `${test.substanceCode}|${test.yearFrom}|${test.yearTo}`;
        return !seen.has(key) && Boolean(seen.add(key));
      });
    },
  }),
  prevalenceTrends: t.field({
    type: [TrendType],
    description: 'Trend tests of survey prevalence (adjusted for age and sex), next to the observed series.',
    args: { substance: t.arg.idList({ description: 'Substances. Default: all tested (cannabis).' }), ...trendArgs },
    resolve: (_root, args, ctx) => loadTrends(ctx, args.substance?.map(String), args.recall ?? undefined, args.asOf),
  }),
}));

builder.objectField(SubstanceType, 'prevalenceTrends', (t) =>
  t.field({
    type: [TrendType],
    description: "Trend tests of this substance's prevalence.",
    args: trendArgs,
    // Every substance at one path shares the arguments: one load for all of them.
    resolve: byParent(
      async (substances: readonly string[], ctx, args: { recall?: Trend['recall'][] | null; asOf?: Date | null }) => {
        const trends = await loadTrends(ctx, [...substances], args.recall ?? undefined, args.asOf);
        return substances.map((code) => trends.filter((trend) => trend.substanceCode === code));
      },
      (substance) => substance.code,
    ),
  }),
);
