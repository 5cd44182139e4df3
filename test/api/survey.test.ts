import { describe, expect, it } from 'vitest';
import { useTestHub } from '../helpers/hub.ts';

const hub = useTestHub();

const data = <Data>(query: string) => hub.data<Data>(query);

interface Cell {
  year: number;
  recall?: string;
  sex?: string;
  value: number;
  ciLow?: number | null;
  ciHigh?: number | null;
  respondents?: number | null;
  users?: number | null;
  qualifier?: string;
  ageGroup?: { code: string };
  substance?: { code: string };
  release?: { id: string };
}

describe('prevalence', () => {
  it('breaks cannabis down by recall for every year 2013-2025, with CI and unweighted counts', async () => {
    const { prevalence } = await data<{ prevalence: Cell[] }>(`{
      prevalence(substance: ["CANNABIS"], from: 2013, to: 2025, by: [RECALL]) { year recall value ciLow ciHigh respondents users }
    }`);
    expect(prevalence).toHaveLength(39);
    expect(prevalence[0]).toEqual({
      year: 2013,
      recall: 'LIFETIME',
      value: 23.3,
      ciLow: 21.2,
      ciHigh: 25.3,
      respondents: 1784,
      users: 411,
    });
    const lifetime2025 = prevalence.find((cell) => cell.year === 2025 && cell.recall === 'LIFETIME');
    expect(lifetime2025).toMatchObject({ value: 26.6, ciLow: 24.9, ciHigh: 28.4 });
  });

  it('defaults to lifetime use, both sexes and ages 16-64, one cell per substance and year', async () => {
    const { prevalence } = await data<{ prevalence: Cell[] }>(`{
      prevalence(from: 2025, to: 2025) { substance { code } recall sex ageGroup { code } value }
    }`);
    expect(prevalence.map((cell) => cell.substance!.code)).toEqual(
      expect.arrayContaining(['CANNABIS', 'COCAINE', 'MDMA', 'AMPHETAMINES', 'LSD', 'GHB', 'HEROIN', 'OTHER']),
    );
    for (const cell of prevalence)
      expect(cell).toMatchObject({ recall: 'LIFETIME', sex: 'ALL', ageGroup: { code: '16-64' } });
  });

  it('breaks down by sex', async () => {
    const { prevalence } = await data<{ prevalence: Cell[] }>(`{
      prevalence(substance: ["CANNABIS"], from: 2025, to: 2025, by: [SEX]) { sex value }
    }`);
    expect(Object.fromEntries(prevalence.map((cell) => [cell.sex, cell.value]))).toEqual({
      MALE: 31.2,
      FEMALE: 21.9,
    });
  });

  it('breaks down the young adults by age group', async () => {
    const { prevalence } = await data<{ prevalence: Cell[] }>(`{
      prevalence(substance: ["CANNABIS"], recall: [LAST_12_MONTHS], ageGroup: ["16-20", "21-25", "26-30"], from: 2013, to: 2013) { ageGroup { code } value }
    }`);
    expect(prevalence.map((cell) => [cell.ageGroup!.code, cell.value])).toEqual([
      ['16-20', 11.8],
      ['21-25', 13.6],
      ['26-30', 8.3],
    ]);
  });

  it('marks the chart data as provisional figures of a preliminary release', async () => {
    const { prevalence } = await data<{
      prevalence: { status: string; release: { status: string; id: string }; reference: string }[];
    }>(`{
      prevalence(substance: ["CANNABIS"], from: 2013, to: 2013) { status reference release { id status } }
    }`);
    expect(prevalence).toEqual([
      {
        status: 'PROVISIONAL',
        reference: expect.stringMatching(/^Figur \d+/),
        release: { id: 'survey-report-2026-charts', status: 'PRELIMINARY' },
      },
    ]);
  });

  it('reaches the method facts of the survey year from each observation', async () => {
    const { prevalence } = await data<{ prevalence: { wave: Record<string, unknown> | null }[] }>(`{
      prevalence(substance: ["CANNABIS"], from: 2025, to: 2025) {
        wave {
          year drawnSample sampleAgeFrom sampleAgeTo removals grossSample respondents responseRate webShare phoneShare
          nonContactShare fieldworkStart fieldworkEnd
        }
      }
    }`);
    expect(prevalence[0]!.wave).toEqual({
      year: 2025,
      drawnSample: 8000,
      sampleAgeFrom: 16,
      sampleAgeTo: 79,
      removals: 16,
      grossSample: 7984,
      respondents: 4614,
      responseRate: 57.8,
      webShare: 68,
      phoneShare: 32,
      nonContactShare: 26,
      fieldworkStart: '2025-04-28',
      fieldworkEnd: '2025-07-06',
    });
  });

  it('gives 2023 its comparability note (spring and autumn)', async () => {
    const { prevalence } = await data<{ prevalence: { wave: { notes: string[] } }[] }>(`{
      prevalence(substance: ["CANNABIS"], from: 2023, to: 2023) { wave { notes(lang: EN) } }
    }`);
    expect(prevalence[0]!.wave.notes.join(' ')).toContain('half of the participants answered in spring');
  });
});

describe('releases of the survey', () => {
  it('answers from the printed text before the chart data were published ("nærmere 27 %" is 27 NEARLY)', async () => {
    const { prevalence } = await data<{ prevalence: Cell[] }>(`{
      prevalence(substance: ["CANNABIS"], from: 2025, to: 2025, asOf: "2026-01-31") { value qualifier release { id } }
    }`);
    expect(prevalence).toEqual([{ value: 27, qualifier: 'NEARLY', release: { id: 'survey-report-2026-text' } }]);
  });

  it('answers from the chart data, the latest release, by default', async () => {
    const { prevalence } = await data<{ prevalence: Cell[] }>(`{
      prevalence(substance: ["CANNABIS"], from: 2025, to: 2025) { value qualifier release { id } }
    }`);
    expect(prevalence).toEqual([{ value: 26.6, qualifier: 'EXACT', release: { id: 'survey-report-2026-charts' } }]);
  });

  it('answers a cell only the text gives from the text (stimulants as a group)', async () => {
    const { prevalence } = await data<{ prevalence: Cell[] }>(`{
      prevalence(substance: ["STIMULANTS"], from: 2025, to: 2025, by: [SEX]) { sex value qualifier }
    }`);
    expect(prevalence).toEqual([
      { sex: 'MALE', value: 12.5, qualifier: 'EXACT' },
      { sex: 'FEMALE', value: 7, qualifier: 'ABOUT' },
    ]);
  });

  it('keeps earlier publications as their own releases', async () => {
    const { prevalence } = await data<{ prevalence: Cell[] }>(`{
      prevalence(substance: ["CANNABIS"], from: 2019, to: 2019, asOf: "2021-01-01") { value release { id } }
    }`);
    expect(prevalence).toEqual([{ value: 23, release: { id: 'survey-ssb-1-av-7-unge-har-brukt-cannabis' } }]);
  });
});

describe('trend test (figures 5-7)', () => {
  it('gives the adjusted and observed cannabis series with the significant increase', async () => {
    const { prevalenceTrends } = await data<{
      prevalenceTrends: {
        recall: string;
        points: { year: number; adjusted: number; observed: number; observedCiLow: number }[];
        test: { direction: string; pValue: number; pQualifier: string; yearFrom: number; yearTo: number };
      }[];
    }>(`{
      prevalenceTrends(substance: ["CANNABIS"]) { recall points { year adjusted observed observedCiLow } test { direction pValue pQualifier yearFrom yearTo } }
    }`);
    expect(prevalenceTrends.map((trend) => trend.recall)).toEqual(['LIFETIME', 'LAST_12_MONTHS', 'LAST_4_WEEKS']);
    const lifetime = prevalenceTrends[0]!;
    expect(lifetime.points).toHaveLength(13);
    expect(lifetime.points[0]).toEqual({
      year: 2013,
      adjusted: 21.70572471602193,
      observed: 23.28407833803071,
      observedCiLow: 21.21125066357639,
    });
    expect(lifetime.test).toEqual({
      direction: 'INCREASE',
      pValue: 0.01,
      pQualifier: 'LESS_THAN',
      yearFrom: 2013,
      yearTo: 2025,
    });
  });
});

describe('distributions among users', () => {
  it('gives the frequency of cannabis use in the last 12 months by sex, with counts', async () => {
    const { useDistribution } = await data<{
      useDistribution: { sex: string; category: string; value: number; count: number; unit: string }[];
    }>(`{
      useDistribution(distribution: CANNABIS_USE_FREQUENCY_12M, from: 2025, by: [SEX]) { sex category value count unit }
    }`);
    expect(useDistribution.filter((cell) => cell.sex === 'MALE')).toEqual([
      { sex: 'MALE', category: '1-5', value: 48.1, count: 62, unit: 'PERCENT' },
      { sex: 'MALE', category: '6-10', value: 10.9, count: 14, unit: 'PERCENT' },
      { sex: 'MALE', category: '11-50', value: 10.9, count: 14, unit: 'PERCENT' },
      { sex: 'MALE', category: '>50', value: 30.2, count: 39, unit: 'PERCENT' },
    ]);
  });

  it('gives the debut-age distribution from 11 to 59 in age order', async () => {
    const { useDistribution } = await data<{ useDistribution: { category: string; value: number; count: number }[] }>(`{
      useDistribution(distribution: CANNABIS_DEBUT_AGE) { category value count }
    }`);
    expect(useDistribution[0]).toEqual({ category: '11', value: 0.1, count: 1 });
    expect(useDistribution.at(-1)!.category).toBe('59');
    const ages = useDistribution.map((cell) => Number(cell.category));
    expect(ages).toEqual([...ages].sort((a, b) => a - b));
  });
});

describe('debut age statistics', () => {
  it('gives mean, minimum, maximum and most common debut age as printed', async () => {
    const result = await data<Record<string, { value: number; unit: string }[]>>(`{
      mean: useDistribution(distribution: CANNABIS_DEBUT_AGE, measure: MEAN) { value unit }
      minimum: useDistribution(distribution: CANNABIS_DEBUT_AGE, measure: MINIMUM) { value unit }
      maximum: useDistribution(distribution: CANNABIS_DEBUT_AGE, measure: MAXIMUM) { value unit }
      mode: useDistribution(distribution: CANNABIS_DEBUT_AGE, measure: MODE) { value unit }
    }`);
    expect(result).toEqual({
      mean: [{ value: 20, unit: 'YEARS' }],
      minimum: [{ value: 11, unit: 'YEARS' }],
      maximum: [{ value: 59, unit: 'YEARS' }],
      mode: [{ value: 18, unit: 'YEARS' }],
    });
  });

  it('gives the days of use among last-4-weeks users as printed', async () => {
    const { useDistribution } = await data<{ useDistribution: unknown[] }>(`{
      useDistribution(distribution: CANNABIS_USE_DAYS_4W) { category value qualifier }
    }`);
    expect(useDistribution).toEqual([
      { category: '1-3', value: 40, qualifier: 'ABOUT' },
      { category: '20+', value: 25, qualifier: 'ABOUT' },
    ]);
  });
});

describe('survey errors', () => {
  it('names the valid codes for an unknown substance', async () => {
    const response = await hub.query('{ prevalence(substance: ["COFFEE"]) { value } }');
    expect(response.errors![0]!.extensions?.code).toBe('UNKNOWN_CODE');
    expect(response.errors![0]!.message).toMatch(/unknown substance code "COFFEE". Valid codes: .*CANNABIS/);
  });

  it('says which breakdowns exist when one was never published', async () => {
    const response = await hub.query(
      '{ useDistribution(distribution: CANNABIS_USE_FREQUENCY_12M, by: [AGE_GROUP]) { value } }',
    );
    expect(response.errors![0]!.extensions?.code).toBe('BREAKDOWN_NOT_PUBLISHED');
    expect(response.errors![0]!.message).toContain('Published breakdowns: CATEGORY, CATEGORY × SEX');
  });

  it('rejects a year range outside the survey years', async () => {
    const response = await hub.query('{ prevalence(from: 1990, to: 2000) { value } }');
    expect(response.errors![0]!.extensions?.code).toBe('OUT_OF_COVERAGE');
  });
});
