import { describe, expect, it } from 'vitest';
import { useTestHub } from '../helpers/hub.ts';

const hub = useTestHub();

const data = <Data>(query: string) => hub.data<Data>(query);

interface Load {
  year?: number;
  value: number | null;
  status?: string;
  statistic?: string;
  site?: { code: string; city?: string; country?: string };
}

describe('wastewater', () => {
  it('ranks the top 10 cities by cocaine (benzoylecgonine) daily mean in 2024', async () => {
    const { wastewater } = await data<{ wastewater: (Load & { metabolite: { measuredAs: string } })[] }>(`{
      wastewater(substance: ["COCAINE"], from: 2024, to: 2024, orderBy: VALUE_DESC, first: 10) {
        value site { code city country } metabolite { measuredAs }
      }
    }`);
    expect(wastewater).toHaveLength(10);
    expect(wastewater[0]).toEqual({
      value: 3110.11,
      site: { code: 'CL002', city: 'Lebu', country: 'CL' },
      metabolite: { measuredAs: 'benzoylecgonine' },
    });
    const values = wastewater.map((load) => load.value!);
    expect(values).toEqual([...values].sort((a, b) => b - a));
  });

  it('stores the published means as published, even where they do not follow the days', async () => {
    // As EUDA published them, before the report's charts of 2026.
    const { wastewater } = await data<{ wastewater: Load[] }>(`{
      wastewater(
        site: ["NO001"], substance: ["MDMA"], from: 2024, to: 2024, asOf: "2025-12-31",
        statistic: [DAILY_MEAN, WEEKDAY_MEAN, WEEKEND_MEAN, MONDAY, SATURDAY]
      ) { statistic value status }
    }`);
    expect(wastewater).toEqual([
      { statistic: 'DAILY_MEAN', value: 36.65, status: 'NORMAL' },
      { statistic: 'WEEKDAY_MEAN', value: 24.66, status: 'NORMAL' },
      { statistic: 'WEEKEND_MEAN', value: 52.63, status: 'NORMAL' },
      { statistic: 'MONDAY', value: null, status: 'MISSING' },
      { statistic: 'SATURDAY', value: 59.33, status: 'NORMAL' },
    ]);
  });

  it('marks a published 0 as below the limit of quantification', async () => {
    const { wastewater } = await data<{ wastewater: Load[] }>(`{
      wastewater(site: ["NO-OSLO-VEAS"], substance: ["MDMA"], from: 2011, to: 2011, statistic: [MONDAY]) { value status }
    }`);
    expect(wastewater).toEqual([{ value: 0, status: 'BELOW_LOQ' }]);
  });

  it('strips footnote markers from city names and keeps them as a note', async () => {
    const { wastewaterSite } = await data<{ wastewaterSite: unknown }>(`{
      wastewaterSite(code: "NO007") { city cityAsPublished cityNote country population region { code } }
    }`);
    expect(wastewaterSite).toEqual({
      city: 'Oslo',
      cityAsPublished: 'Oslo (2)',
      cityNote: '(2)',
      country: 'NO',
      population: 929199,
      region: { code: '03' },
    });
  });

  it('knows every site of the EUDA site table', async () => {
    const { wastewaterSites } = await data<{ wastewaterSites: { code: string }[] }>('{ wastewaterSites { code } }');
    expect(wastewaterSites.length).toBe(218); // 217 EUDA sites and the earlier Oslo VEAS site
  });

  it('flags the VEAS weekend days that carry one copied value as DOUBTFUL, not NORMAL', async () => {
    const { wastewater } = await data<{ wastewater: (Load & { note: string; release: { id: string } })[] }>(`{
      wastewater(
        site: ["NO-OSLO-VEAS"], substance: ["COCAINE"], from: 2017, to: 2017, statistic: [THURSDAY, FRIDAY, SATURDAY, SUNDAY]
      ) { statistic value status note release { id } }
    }`);
    expect(wastewater.map(({ statistic, value, status }) => [statistic, value, status])).toEqual([
      ['THURSDAY', 97.43, 'NORMAL'],
      ['FRIDAY', 91.44, 'DOUBTFUL'],
      ['SATURDAY', 91.44, 'DOUBTFUL'],
      ['SUNDAY', 91.44, 'DOUBTFUL'],
    ]);
    expect(wastewater[1]!.note).toMatch(
      /^Friday, Saturday and Sunday all read 91.44: probably one composite weekend sample/,
    );
    expect(wastewater[1]!.release.id).toBe('wastewater-emcdda-veas-2011-2021');
  });

  it('links Oslo, Bergen and Trondheim to their counties', async () => {
    const { region } = await data<{ region: { wastewater: Load[] } }>(`{
      region(code: "46") { wastewater(substance: ["COCAINE"], campaign: [AUTUMN], to: 2024) { year value site { city } } }
    }`);
    expect(region.wastewater).toEqual([{ year: 2024, value: 302, site: { city: 'Bergen' } }]);
  });

  it('answers a substance across all sources in one request', async () => {
    const { substance } = await data<{
      substance: { prevalence: unknown[]; drugDeaths: unknown[]; wastewater: Load[] };
    }>(`{
      substance(code: "COCAINE") {
        prevalence(from: 2024, to: 2024) { value }
        drugDeaths { value }
        wastewater(country: ["NO"], from: 2024, to: 2024, campaign: [SPRING]) { value site { city } }
      }
    }`);
    expect(substance.prevalence).toHaveLength(1);
    expect(substance.wastewater.map((load) => load.site!.city)).toEqual(['Bergen', 'Oslo', 'Trondheim']);
  });

  it('serves EUDA\'s published changes, "Inf" included, and its aggregated trend', async () => {
    const { wastewaterChanges, wastewaterAggregates } = await data<{
      wastewaterChanges: {
        site: { code: string };
        changeClass: string;
        changePercent: number | null;
        changePercentAsPublished: string | null;
      }[];
      wastewaterAggregates: { year: number; value: number; metabolite: { code: string } }[];
    }>(`{
      wastewaterChanges { site { code } changeClass changePercent changePercentAsPublished }
      wastewaterAggregates { year value metabolite { code } }
    }`);
    expect(wastewaterChanges).toHaveLength(652);
    expect(
      wastewaterChanges.filter((c) => c.changePercentAsPublished === 'Inf').every((c) => c.changePercent === null),
    ).toBe(true);
    expect(wastewaterChanges.some((c) => c.changePercentAsPublished === 'Inf')).toBe(true);
    expect(wastewaterAggregates).toHaveLength(14);
    expect(wastewaterAggregates[0]).toEqual({ year: 2011, value: 340.93358925, metabolite: { code: 'cocaine' } });
  });

  it('gives with `first: N` the first N cells of the whole answer, each from its latest release', async () => {
    const fields = 'year site { code } statistic value release { id }';
    const all = await data<{ wastewater: unknown[] }>(`{ wastewater(country: ["NO", "SE"]) { ${fields} } }`);
    const first = await data<{ wastewater: unknown[] }>(
      `{ wastewater(country: ["NO", "SE"], first: 25) { ${fields} } }`,
    );
    expect(all.wastewater.length).toBeGreaterThan(25);
    expect(first.wastewater).toEqual(all.wastewater.slice(0, 25));
  });

  it('names the valid codes for an unknown country', async () => {
    const response = await hub.query('{ wastewater(country: ["XX"]) { value } }');
    expect(response.errors![0]!.extensions?.code).toBe('UNKNOWN_CODE');
    expect(response.errors![0]!.message).toMatch(/unknown country code "XX". Valid codes: .*NO/);
  });
});

describe('people who inject drugs', () => {
  it('gives estimates with their ranges, and years published only as a range', async () => {
    const { injectingDrugUseEstimates } = await data<{ injectingDrugUseEstimates: unknown[] }>(`{
      injectingDrugUseEstimates(from: 2010, to: 2019, asOf: "2026-03-12") { year value low high ratePer1000 unit status qualifier method }
    }`);
    expect(injectingDrugUseEstimates).toEqual([
      {
        year: 2010,
        value: null,
        low: 8300,
        high: 11800,
        ratePer1000: null,
        unit: 'PERSONS',
        status: 'MISSING',
        qualifier: 'EXACT',
        method: 'mortality multiplier',
      },
      {
        year: 2012,
        value: 8400,
        low: 7200,
        high: 10100,
        ratePer1000: 2.5,
        unit: 'PERSONS',
        status: 'NORMAL',
        qualifier: 'EXACT',
        method: 'mortality multiplier',
      },
      {
        year: 2016,
        value: 8700,
        low: 7400,
        high: 10500,
        ratePer1000: 2.52,
        unit: 'PERSONS',
        status: 'NORMAL',
        qualifier: 'EXACT',
        method: 'mortality multiplier',
      },
      {
        year: 2019,
        value: 8500,
        low: 7100,
        high: 10000,
        ratePer1000: 2.36,
        unit: 'PERSONS',
        status: 'NORMAL',
        qualifier: 'ABOUT',
        method: 'mortality multiplier',
      },
    ]);
  });

  it('keeps each publication of a year: the latest answers, asOf the earlier', async () => {
    const latest = await data<{ injectingDrugUseEstimates: { low: number; release: { id: string } }[] }>(
      '{ injectingDrugUseEstimates(from: 2004, to: 2004) { low release { id } } }',
    );
    expect(latest.injectingDrugUseEstimates).toEqual([{ low: 8700, release: { id: 'pwid-sirus-table-drugwarfacts' } }]);
    const earlier = await data<{ injectingDrugUseEstimates: { low: number }[] }>(
      '{ injectingDrugUseEstimates(from: 2004, to: 2004, asOf: "2008-01-01") { low } }',
    );
    expect(earlier.injectingDrugUseEstimates).toEqual([{ low: 8200 }]);
  });
});
