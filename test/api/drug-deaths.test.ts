import { describe, expect, it } from 'vitest';
import { useTestHub } from '../helpers/hub.ts';

const hub = useTestHub();

interface Death {
  year: number;
  value: number;
  qualifier?: string;
  region?: { code: string; name?: string };
  sex?: string;
  ageGroup?: { code: string };
  cause?: { code: string };
  intent?: { code: string };
  release?: { id: string };
}

async function deaths(args: string, fields = 'year value') {
  const response = await hub.query<{ drugDeaths: Death[] }>(`{ drugDeaths${args ? `(${args})` : ''} { ${fields} } }`);
  expect(response.errors).toBeUndefined();
  return response.data!.drugDeaths;
}

describe('drugDeaths', () => {
  it('answers one cell for Norway when no dimension is broken down', async () => {
    expect(
      await deaths(
        'from: 2024, to: 2024',
        'year value region { code } sex ageGroup { code } cause { code } intent { code }',
      ),
    ).toEqual([
      {
        year: 2024,
        value: 342,
        region: { code: '0' },
        sex: 'ALL',
        ageGroup: { code: 'ALL' },
        cause: { code: 'ALL' },
        intent: { code: 'ALL' },
      },
    ]);
  });

  it("breaks the region down into the 15 counties of 2024 with the report's figures", async () => {
    const counties = await deaths('from: 2024, to: 2024, by: [REGION]', 'value region { code }');
    expect(counties).toHaveLength(15);
    const byCode = Object.fromEntries(counties.map((c) => [c.region!.code, c.value]));
    expect(byCode).toEqual({
      '31': 22,
      '32': 28,
      '03': 56,
      '33': 24,
      '34': 25,
      '39': 13,
      '40': 10,
      '42': 25,
      '11': 40,
      '46': 31,
      '15': 10,
      '50': 23,
      '18': 19,
      '55': 11,
      '56': 5,
    });
  });

  it('answers every published year of the national series, from the latest release of each', async () => {
    const series = await deaths('from: 2012, to: 2024');
    const byYear = Object.fromEntries(series.map((d) => [d.year, d.value]));
    expect(byYear[2020]).toBe(331);
    expect(byYear[2023]).toBe(391);
    expect(byYear[2024]).toBe(342);
    expect(series.map((d) => d.year)).toEqual([...series.map((d) => d.year)].sort((a, b) => a - b));
  });

  it('answers what was published at a date with asOf (2023: 363 first, 391 later)', async () => {
    expect(await deaths('from: 2023, to: 2023, asOf: "2024-12-31"', 'value')).toEqual([{ value: 363 }]);
    expect(await deaths('from: 2023, to: 2023, asOf: "2025-10-28"', 'value')).toEqual([{ value: 391 }]);
    expect(await deaths('from: 2020, to: 2020, asOf: "2021-12-31"', 'value')).toEqual([{ value: 324 }]);
    expect(await deaths('from: 2020, to: 2020', 'value')).toEqual([{ value: 331 }]);
  });

  it('lists the earlier values of a cell as its revisions (2020: 324 before 331; 2023: 363 before 391)', async () => {
    const response = await hub.query<{
      drugDeaths: { year: number; value: number; revisions: { value: number; release: { publishedAt: string } }[] }[];
    }>(`{
      drugDeaths(from: 2020, to: 2023) { year value revisions { value release { publishedAt } } }
    }`);
    const byYear = Object.fromEntries(response.data!.drugDeaths.map((d) => [d.year, d]));
    expect(byYear[2020]).toEqual({
      year: 2020,
      value: 331,
      revisions: [{ value: 324, release: { publishedAt: '2021-06-01' } }],
    });
    expect(byYear[2023]).toEqual({
      year: 2023,
      value: 391,
      revisions: [{ value: 363, release: { publishedAt: '2024-06-01' } }],
    });
    expect(byYear[2022]!.revisions).toEqual([]);
  });

  it('gives nothing for a date before any release', async () => {
    expect(await deaths('from: 2024, to: 2024, asOf: "2020-01-01"')).toEqual([]);
  });

  it('breaks Oslo down by cause for every year published', async () => {
    const oslo = await deaths('region: ["03"], by: [CAUSE]', 'year value cause { code }');
    const cells = Object.fromEntries(oslo.map((d) => [`${d.year} ${d.cause!.code}`, d.value]));
    expect(cells).toMatchObject({
      '2024 HEROIN': 11,
      '2023 HEROIN': 18,
      '2024 OTHER_OPIOIDS': 23,
      '2024 METHADONE': 8,
      '2024 DEPENDENCE': 8,
      '2024 STIMULANTS': 3,
      '2024 SYNTHETIC_OPIOIDS': 3,
      '2024 OTHER': 0,
    });
  });

  it("breaks deaths down by age group and sex (the report's table for 2024)", async () => {
    const cells = await deaths('from: 2024, to: 2024, by: [AGE_GROUP, SEX]', 'value sex ageGroup { code }');
    const table = Object.fromEntries(cells.map((d) => [`${d.ageGroup!.code} ${d.sex}`, d.value]));
    expect(table).toEqual({
      '0-29 MALE': 55,
      '0-29 FEMALE': 13,
      '30-39 MALE': 48,
      '30-39 FEMALE': 14,
      '40-49 MALE': 46,
      '40-49 FEMALE': 18,
      '50-59 MALE': 61,
      '50-59 FEMALE': 16,
      '60-69 MALE': 36,
      '60-69 FEMALE': 15,
      '70+ MALE': 9,
      '70+ FEMALE': 11,
    });
  });

  it('breaks deaths down by intent', async () => {
    const cells = await deaths('from: 2024, to: 2024, by: [INTENT]', 'value intent { code }');
    expect(Object.fromEntries(cells.map((d) => [d.intent!.code, d.value]))).toEqual({
      ACCIDENTAL: 266,
      INTENTIONAL: 47,
      MENTAL_BEHAVIOURAL: 29,
    });
  });

  it('serves other measures with their unit and the printed qualifier', async () => {
    const response = await hub.query<{ meanAge: unknown[]; perYear: unknown[] }>(`{
      meanAge: drugDeaths(from: 2024, to: 2024, measure: MEAN_AGE) { yearFrom value qualifier unit }
      perYear: drugDeaths(measure: MEAN_DEATHS_PER_YEAR) { value yearFrom year qualifier unit }
    }`);
    expect(response.errors).toBeUndefined();
    expect(response.data!.meanAge).toEqual([
      { yearFrom: 2020, value: 45, qualifier: 'ABOUT', unit: 'YEARS' }, // "rundt 45 år i perioden 2020–2024"
      { yearFrom: 2024, value: 45.7, qualifier: 'EXACT', unit: 'YEARS' },
    ]);
    expect(response.data!.perYear).toEqual([
      { value: 292, yearFrom: 2012, year: 2024, qualifier: 'ABOUT', unit: 'COUNT' },
    ]);
  });

  it('gives every observation its provenance: unit, status, qualifier, release, source and reference', async () => {
    const response = await hub.query<{ drugDeaths: Record<string, unknown>[] }>(`{
      drugDeaths(from: 2024, to: 2024) {
        unit status qualifier reference
        release { id label status publishedAt }
        source { id }
      }
    }`);
    expect(response.data!.drugDeaths).toEqual([
      {
        unit: 'COUNT',
        status: 'NORMAL',
        qualifier: 'EXACT',
        reference: expect.stringContaining('Tall om illegale rusmidler'),
        release: { id: 'mortality-report-2025', label: expect.any(String), status: 'FINAL', publishedAt: '2025-10-28' },
        source: { id: 'mortality' },
      },
    ]);
  });

  it('is reachable from a region and from a substance', async () => {
    const response = await hub.query<{
      region: { drugDeaths: Death[] };
      substance: { drugDeaths: Death[] };
      cannabis: { drugDeaths: Death[] };
    }>(`{
      region(code: "03") { drugDeaths(from: 2024, to: 2024) { value } }
      substance(code: "METHADONE") { drugDeaths(from: 2024, to: 2024) { value cause { code } } }
      cannabis: substance(code: "CANNABIS") { drugDeaths { value } }
    }`);
    expect(response.errors).toBeUndefined();
    expect(response.data!.region.drugDeaths).toEqual([{ value: 56 }]);
    expect(response.data!.substance.drugDeaths).toEqual([{ value: 51, cause: { code: 'METHADONE' } }]);
    expect(response.data!.cannabis.drugDeaths).toEqual([]);
  });
});

describe("the report's other mortality figures", () => {
  it('gives the share not autopsied per year and for mental and behavioural disorders', async () => {
    expect(await deaths('measure: PERCENT_NOT_AUTOPSIED, from: 2021')).toEqual([
      { year: 2021, value: 7 },
      { year: 2022, value: 7 },
      { year: 2023, value: 7.4 },
      { year: 2024, value: 11.4 },
    ]);
    expect(await deaths('measure: NOT_AUTOPSIED, intent: ["MENTAL_BEHAVIOURAL"]', 'value')).toEqual([{ value: 26 }]);
  });

  it('gives the printed change from the year before, nationally and by sex', async () => {
    expect(await deaths('measure: CHANGE_FROM_PREVIOUS_YEAR, from: 2024, by: [SEX]', 'sex value')).toEqual([
      { sex: 'MALE', value: -7 },
      { sex: 'FEMALE', value: -42 },
    ]);
  });

  it('keeps county figures in the county structure they were published in', async () => {
    const viken = await deaths('region: ["30"]', 'year value region { name validFrom validTo }');
    expect(viken).toEqual([{ year: 2020, value: 87, region: { name: 'Viken', validFrom: 2020, validTo: 2023 } }]);
  });
});

describe('regions', () => {
  it('lists Norway and the 15 counties of the current structure by default', async () => {
    const response = await hub.query<{ regions: { code: string }[] }>('{ regions { code } }');
    expect(response.data!.regions.map((r) => r.code).sort()).toEqual([
      '0',
      '03',
      '11',
      '15',
      '18',
      '31',
      '32',
      '33',
      '34',
      '39',
      '40',
      '42',
      '46',
      '50',
      '55',
      '56',
    ]);
  });

  it('lists the 11 counties of 2020-2023 for a year in that period', async () => {
    const response = await hub.query<{ regions: { code: string }[] }>('{ regions(validIn: 2021) { code } }');
    expect(response.data!.regions.map((r) => r.code).sort()).toEqual([
      '0',
      '03',
      '11',
      '15',
      '18',
      '30',
      '34',
      '38',
      '42',
      '46',
      '50',
      '54',
    ]);
  });
});

describe('drugDeathRates', () => {
  it('defaults to Norway and the standard the registry uses now', async () => {
    const response = await hub.query<{ drugDeathRates: unknown[] }>(`{
      drugDeathRates(from: 2023, to: 2024) { year value unit standardPopulation { code } region { code } }
    }`);
    expect(response.data!.drugDeathRates).toEqual([
      {
        year: 2023,
        value: 7.1,
        unit: 'PER_100K',
        standardPopulation: { code: 'NOR_MEAN_2024' },
        region: { code: '0' },
      },
      {
        year: 2024,
        value: 6.1,
        unit: 'PER_100K',
        standardPopulation: { code: 'NOR_MEAN_2024' },
        region: { code: '0' },
      },
    ]);
  });

  it('keeps rates with another standard apart, reachable by naming it', async () => {
    const response = await hub.query<{ drugDeathRates: { year: number; value: number }[] }>(`{
      drugDeathRates(from: 2023, to: 2023, standard: ["ESP2013"]) { year value }
    }`);
    expect(response.data!.drugDeathRates).toEqual([{ year: 2023, value: 6.6 }]);
  });

  it('gives the county rates of 2024 as printed', async () => {
    const response = await hub.query<{ drugDeathRates: { value: number; region: { code: string } }[] }>(`{
      drugDeathRates(from: 2024, to: 2024, by: [REGION]) { value region { code } }
    }`);
    expect(Object.fromEntries(response.data!.drugDeathRates.map((r) => [r.region.code, r.value]))).toEqual({
      '33': 9.0,
      '11': 8.1,
      '18': 8.1,
      '03': 8.1,
      '15': 3.7,
    });
  });
});
