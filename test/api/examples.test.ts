import { describe, expect, it } from 'vitest';
import { EXAMPLE_OPERATIONS } from '../../src/server/examples.ts';
import { useTestHub } from '../helpers/hub.ts';

// The GraphiQL tabs (src/server/examples.ts) answer with the figures of the bundled data; each
// example's answer is pinned here, so a tab that stops showing the report's numbers fails.

type Row = Record<string, unknown> & { value?: number | null };
type Answer = Record<string, unknown>;
const rows = (answer: Answer, field: string) => answer[field] as Row[];
const code = (object: unknown) => (object as { code: string }).code;

const EXPECTED: Record<string, (data: Answer) => void> = {
  'Deaths per year': (data) => {
    expect(rows(data, 'drugDeaths').map((r) => [r.year, r.value])).toEqual([
      [2012, 246],
      [2013, 234],
      [2014, 266],
      [2015, 288],
      [2016, 284],
      [2017, 249],
      [2018, 289],
      [2019, 275],
      [2020, 331],
      [2021, 241],
      [2022, 321],
      [2023, 391],
      [2024, 342],
    ]);
    expect(rows(data, 'drugDeaths').at(-1)).toMatchObject({
      qualifier: 'EXACT',
      release: { label: 'Tall om illegale rusmidler', publishedAt: '2025-10-28', status: 'FINAL' },
    });
  },
  'Deaths by county 2024': (data) => {
    expect(Object.fromEntries(rows(data, 'drugDeaths').map((r) => [code(r.region), r.value]))).toEqual({
      ...{ '03': 56, '11': 40, '15': 10, '18': 19, '31': 22, '32': 28, '33': 24, '34': 25 },
      ...{ '39': 13, '40': 10, '42': 25, '46': 31, '50': 23, '55': 11, '56': 5 },
    });
  },
  'Revisions: 2023 as first published': (data) => {
    expect(data).toMatchObject({
      firstPublished: [{ value: 363, release: { label: 'Antall overdoser er høyeste på 23 år' } }],
      latest: [{ value: 391, release: { label: 'Tall om illegale rusmidler' } }],
    });
  },
  'Oslo by substance type': (data) => {
    const of2024 = rows(data, 'drugDeaths').filter((r) => r.year === 2024);
    expect(Object.fromEntries(of2024.map((r) => [code(r.cause), r.value]))).toEqual({
      ...{ DEPENDENCE: 8, HEROIN: 11, METHADONE: 8, OTHER: 0 },
      ...{ OTHER_OPIOIDS: 23, STIMULANTS: 3, SYNTHETIC_OPIOIDS: 3 },
    });
  },
  'Age and sex 2024': (data) => {
    expect(rows(data, 'drugDeaths').map((r) => [code(r.ageGroup), r.sex, r.value])).toEqual([
      ...[
        ['0-29', 'MALE', 55],
        ['30-39', 'MALE', 48],
        ['40-49', 'MALE', 46],
        ['50-59', 'MALE', 61],
      ],
      ...[
        ['60-69', 'MALE', 36],
        ['70+', 'MALE', 9],
        ['0-29', 'FEMALE', 13],
        ['30-39', 'FEMALE', 14],
      ],
      ...[
        ['40-49', 'FEMALE', 18],
        ['50-59', 'FEMALE', 16],
        ['60-69', 'FEMALE', 15],
        ['70+', 'FEMALE', 11],
      ],
    ]);
  },
  'Rates by county': (data) => {
    const rates = rows(data, 'drugDeathRates');
    expect(rates.slice(0, 3).map((r) => [(r.region as { name: string }).name, r.value])).toEqual([
      ['Oslo', 8.1],
      ['Rogaland', 8.1],
      ['Møre og Romsdal', 3.7],
    ]);
    expect(new Set(rates.map((r) => code(r.standardPopulation)))).toEqual(new Set(['NOR_MEAN_2024']));
  },
  'Cannabis use 2013-2025': (data) => {
    expect(rows(data, 'prevalence').slice(0, 3)).toMatchObject([
      { year: 2013, recall: 'LIFETIME', value: 23.3, ciLow: 21.2, ciHigh: 25.3, respondents: 1784, users: 411 },
      { year: 2013, recall: 'LAST_12_MONTHS', value: 5.1, ciLow: 4, ciHigh: 6.1, respondents: 1783, users: 105 },
      { year: 2013, recall: 'LAST_4_WEEKS', value: 1.7, ciLow: 1.1, ciHigh: 2.3, respondents: 1783, users: 31 },
    ]);
  },
  'Cannabis across sources': (data) => {
    const wave = { respondents: 4614, responseRate: 57.8 };
    const increase = { direction: 'INCREASE', pValue: 0.01, pQualifier: 'LESS_THAN' };
    expect(data).toMatchObject({
      substance: {
        name: 'Cannabis',
        prevalence: [
          { sex: 'MALE', value: 31.2, ciLow: 28.6, ciHigh: 33.8, wave },
          { sex: 'FEMALE', value: 21.9, ciLow: 19.6, ciHigh: 24.1, wave },
        ],
        prevalenceTrends: [
          { recall: 'LIFETIME', test: increase },
          { recall: 'LAST_12_MONTHS', test: increase },
          { recall: 'LAST_4_WEEKS', test: increase },
        ],
        drugDeaths: [],
      },
    });
  },
  'Debut age of cannabis use': (data) => {
    expect(rows(data, 'distribution').slice(0, 3)).toMatchObject([
      { category: '11', value: 0.1, count: 1 },
      { category: '12', value: 0.7, count: 7 },
      { category: '13', value: 1.5, count: 15 },
    ]);
    expect(rows(data, 'distribution').find((r) => r.category === '18')).toMatchObject({
      category: '18',
      value: 17.1,
      count: 174,
    });
    expect(data.mean).toMatchObject([{ value: 20, qualifier: 'EXACT' }]);
  },
  'Every county with its series': (data) => {
    const regions = rows(data, 'regions');
    expect(regions.map((r) => r.code)).toEqual([
      ...['0', '03', '11', '15', '18', '31', '32', '33'],
      ...['34', '39', '40', '42', '46', '50', '55', '56'],
    ]);
    const norway = regions[0]?.drugDeaths as Row[];
    expect(norway.map((r) => r.value)).toEqual([246, 234, 266, 288, 284, 249, 289, 275, 331, 241, 321, 391, 342]);
  },
  'Downloads and citations': (data) => {
    const sources = rows(data, 'sources');
    expect(sources.map((s) => [s.id, s.licence])).toEqual([
      ['mortality', null],
      ['pwid', null],
      ['survey', null],
      ['wastewater', 'CC BY 4.0'],
    ]);
    expect(sources[0]).toMatchObject({
      latestRelease: {
        citation:
          'Helsedirektoratet (data: Dødsårsaksregisteret, FHI) (2025). Tall om illegale rusmidler. ' +
          'https://www.helsedirektoratet.no/rapporter/tall-om-illegale-rusmidler',
      },
    });
  },
  'Wastewater: spring and autumn': (data) => {
    expect(rows(data, 'wastewater').map((r) => [r.year, r.campaign, r.value, r.status])).toEqual([
      [2024, 'SPRING', 163.11, 'NORMAL'],
      [2024, 'AUTUMN', 148, 'PROVISIONAL'],
      [2025, 'SPRING', 140, 'PROVISIONAL'],
      [2025, 'AUTUMN', 142, 'PROVISIONAL'],
    ]);
    expect(rows(data, 'wastewater')[0]).toMatchObject({ release: { id: 'wastewater-euda-2025', status: 'FINAL' } });
  },
  'People who inject drugs: two series': (data) => {
    expect(rows(data, 'annual').map((r) => r.value)).toEqual([
      ...[11152, 10649, 11709, 12427, 11681, 10531, 11779],
      ...[10933, 13449, 10249, 13864, 16136, 12979],
    ]);
    expect(rows(data, 'movingAverage').map((r) => r.value)).toEqual([
      ...[11314, 11091, 11170, 11595, 11939, 11546, 11330],
      ...[11081, 12054, 11544, 12521, 13416, 14326],
    ]);
    expect(rows(data, 'annual')[0]).toMatchObject({ year: 2012, revisions: [{ value: 8400 }] });
  },
  'What the report prints that the hub does not serve': (data) => {
    const chapters = rows(data, 'reportCoverage');
    expect(chapters.map((c) => c.chapter)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(chapters[0]).toMatchObject({
      title: 'Introduction and main messages',
      served: expect.arrayContaining([
        expect.objectContaining({ description: 'Deaths 2024 and 2023 (342, 391), as in the main messages' }),
      ]),
    });
  },
  'Sources and releases': (data) => {
    const sources = rows(data, 'sources');
    expect(sources.map((s) => s.id)).toEqual(['mortality', 'pwid', 'survey', 'wastewater']);
    expect((sources[0]?.releases as Row[] | undefined)?.[0]).toMatchObject({
      id: 'mortality-report-2025',
      label: 'Tall om illegale rusmidler',
      status: 'FINAL',
      publishedAt: '2025-10-28',
      publishedAtPrecision: 'DAY',
    });
  },
};

const hub = useTestHub();

describe('the GraphiQL example operations', () => {
  it('each have their expected answer written down here', () => {
    expect(EXAMPLE_OPERATIONS.map((example) => example.name).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(EXAMPLE_OPERATIONS)('"$name" answers with its figures', async ({ name, query }) => {
    const response = await hub.query<Answer>(query);
    expect(response.errors).toBeUndefined();
    EXPECTED[name]?.(response.data ?? {});
  });
});
