import { describe, expect, it } from 'vitest';
import { compositeKey, encodeGlobalID } from '../../src/graphql/node.ts';
import { useTestHub } from '../helpers/hub.ts';

// Nothing is served as more certain than its source: inferred attributes say so, a rate not
// called age-standardised is not one, copied values are flagged, placeholder dates are
// described, qualifiers keep their wording, and one printed sentence is one figure.

const hub = useTestHub();

const data = <Data>(query: string) => hub.data<Data>(query);

describe('age-standardised rates', () => {
  it('say whether their standard population was printed or inferred', async () => {
    const { esp, norway } = await data<{
      esp: { year: number; value: number; standardPopulationOrigin: string }[];
      norway: { year: number; value: number; standardPopulationOrigin: string }[];
    }>(`{
      esp: drugDeathRates(standard: ["ESP2013"]) { year value standardPopulationOrigin }
      norway: drugDeathRates(from: 2024, to: 2024) { year value standardPopulationOrigin }
    }`);
    expect(esp).toEqual([
      { year: 2020, value: 6.1, standardPopulationOrigin: 'INFERRED' },
      { year: 2021, value: 4.5, standardPopulationOrigin: 'INFERRED' },
      { year: 2022, value: 6, standardPopulationOrigin: 'INFERRED' },
      { year: 2023, value: 6.6, standardPopulationOrigin: 'PRINTED' },
    ]);
    expect(norway).toEqual([{ year: 2024, value: 6.1, standardPopulationOrigin: 'PRINTED' }]);
  });

  it('leave out a rate its source does not call age-standardised: 2001 (8.6) is a death rate per 100 000', async () => {
    const { rates, other } = await data<{
      rates: { year: number }[];
      other: { year: number; value: number; unit: string; measure: string; note: string }[];
    }>(`{
      rates: drugDeathRates(standard: ["ESP2013", "NOR_MEAN_2024"], by: [STANDARD]) { year }
      other: drugDeaths(measure: RATE_PER_100K, from: 2001, to: 2001) { year value unit measure note }
    }`);
    expect(rates.map((rate) => rate.year)).not.toContain(2001);
    expect(other).toEqual([
      {
        year: 2001,
        value: 8.6,
        unit: 'PER_100K',
        measure: 'RATE_PER_100K',
        note: expect.stringMatching(/does not call it age-standardised/),
      },
    ]);
  });
});

describe('dates and wording', () => {
  it('counts a release whose day is unknown as published on its placeholder date', async () => {
    const query = (asOf: string) => `{
      wastewater(site: ["NO-OSLO-VEAS"], substance: ["COCAINE"], from: 2020, to: 2020, statistic: [MONDAY], asOf: "${asOf}") {
        value release { publishedAt publishedAtPrecision }
      }
    }`;
    const before = await data<{ wastewater: unknown[] }>(query('2021-12-31'));
    const from = await data<{ wastewater: unknown[] }>(query('2022-01-01'));
    expect(before.wastewater).toEqual([]);
    expect(from.wastewater).toEqual([
      { value: 197.33, release: { publishedAt: '2022-01-01', publishedAtPrecision: 'UNKNOWN' } },
    ]);
  });

  it('keeps "rundt 1 % eller mindre" as about-or-less, not about', async () => {
    const { prevalence } = await data<{
      prevalence: { substance: { code: string }; value: number; qualifier: string }[];
    }>(`{
      prevalence(substance: ["GHB", "HEROIN", "OTHER"], from: 2025, to: 2025, asOf: "2026-01-31") { substance { code } value qualifier }
    }`);
    expect(prevalence).toEqual([
      { substance: { code: 'GHB' }, value: 1, qualifier: 'ABOUT_OR_LESS' },
      { substance: { code: 'HEROIN' }, value: 1, qualifier: 'ABOUT_OR_LESS' },
      { substance: { code: 'OTHER' }, value: 1, qualifier: 'ABOUT_OR_LESS' },
    ]);
  });
});

describe('one sentence is one figure', () => {
  it('serves the cannabis trend\'s single "p < 0.01" as one test covering the three recall periods', async () => {
    const { prevalenceTrendTests, prevalenceTrends } = await data<{
      prevalenceTrendTests: { id: string; recalls: string[]; pValue: number; pQualifier: string }[];
      prevalenceTrends: { recall: string; test: { id: string } | null }[];
    }>(`{
      prevalenceTrendTests(substance: ["CANNABIS"]) { id recalls pValue pQualifier }
      prevalenceTrends(substance: ["CANNABIS"]) { recall test { id } }
    }`);
    // Its id names the release, the substance and the period (a Node id, see src/graphql/node.ts).
    const id = encodeGlobalID('PrevalenceTrendTest', compositeKey(['survey-report-2026-text', 'CANNABIS', 2013, 2025]));
    expect(prevalenceTrendTests).toEqual([
      {
        id,
        recalls: ['LIFETIME', 'LAST_12_MONTHS', 'LAST_4_WEEKS'],
        pValue: 0.01,
        pQualifier: 'LESS_THAN',
      },
    ]);
    expect(new Set(prevalenceTrends.map((trend) => trend.test?.id))).toEqual(new Set([id]));
  });

  it('makes no figures of "Det samme gjelder for aldersgruppen 16–30 år"', async () => {
    const { adults } = await data<{ adults: { category: string; value: number }[] }>(`{
      adults: useDistribution(distribution: CANNABIS_USE_DAYS_4W, from: 2025, to: 2025, asOf: "2026-01-31") { category value }
    }`);
    const young = await hub.query(
      '{ useDistribution(distribution: CANNABIS_USE_DAYS_4W, ageGroup: ["16-30"], asOf: "2026-01-31") { category value } }',
    );
    expect(adults).toEqual([
      { category: '1-3', value: 40 },
      { category: '20+', value: 25 },
    ]);
    expect(young.errors?.[0]?.extensions?.code).toBe('BREAKDOWN_NOT_PUBLISHED');
    expect(young.errors?.[0]?.message).toMatch(/no figures were published broken down by AGE_GROUP/);
  });
});
