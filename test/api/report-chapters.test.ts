import { describe, expect, it } from 'vitest';
import { useTestHub } from '../helpers/hub.ts';

// The report's chapters 6 (wastewater in Bergen, Oslo and Trondheim) and 7 (people who inject
// drugs), served from the chart data of its preliminary pages.

const hub = useTestHub();

const data = <Data>(query: string) => hub.data<Data>(query);

interface Load {
  year: number;
  campaign: string;
  statistic?: string;
  value: number | null;
  status: string;
  note?: string | null;
  release: { id: string };
  revisions?: { value: number | null; release: { id: string } }[];
}

const CHARTS = 'wastewater-report-2026-city-charts';
const EUDA = 'wastewater-euda-2025';

describe('wastewater campaigns', () => {
  it('breaks the campaign down: Oslo cannabis 2024-2025 is four week means, spring 2024 as EUDA published it', async () => {
    const { wastewater } = await data<{ wastewater: Load[] }>(`{
      wastewater(site: ["NO007"], substance: ["CANNABIS"], from: 2024, to: 2025, statistic: [DAILY_MEAN]) {
        year campaign value status release { id }
      }
    }`);
    expect(wastewater).toEqual([
      { year: 2024, campaign: 'SPRING', value: 163.11, status: 'NORMAL', release: { id: EUDA } },
      { year: 2024, campaign: 'AUTUMN', value: 148, status: 'PROVISIONAL', release: { id: CHARTS } },
      { year: 2025, campaign: 'SPRING', value: 140, status: 'PROVISIONAL', release: { id: CHARTS } },
      { year: 2025, campaign: 'AUTUMN', value: 142, status: 'PROVISIONAL', release: { id: CHARTS } },
    ]);
  });

  it('narrows to the campaigns asked for, and EUDA has only spring weeks', async () => {
    const { oslo, spain } = await data<{ oslo: Load[]; spain: Load[] }>(`{
      oslo: wastewater(site: ["NO007"], substance: ["COCAINE"], campaign: [AUTUMN]) { year campaign value }
      spain: wastewater(country: ["ES"], from: 2024, to: 2024, campaign: [AUTUMN]) { value }
    }`);
    expect(oslo).toEqual([
      { year: 2024, campaign: 'AUTUMN', value: 419 },
      { year: 2025, campaign: 'AUTUMN', value: 685 },
    ]);
    expect(spain).toEqual([]);
  });

  it('takes the campaign on the nested wastewater fields of regions, sites and substances', async () => {
    const { region, wastewaterSite, substance } = await data<{
      region: { wastewater: Load[] };
      wastewaterSite: { wastewater: Load[] };
      substance: { wastewater: Load[] };
    }>(`{
      region(code: "50") { wastewater(substance: ["MDMA"], from: 2025, campaign: [AUTUMN]) { value } }
      wastewaterSite(code: "NO009") { wastewater(substance: ["MDMA"], from: 2025, campaign: [AUTUMN]) { value } }
      substance(code: "MDMA") { wastewater(site: ["NO009"], from: 2025, campaign: [AUTUMN]) { value } }
    }`);
    expect([region.wastewater, wastewaterSite.wastewater, substance.wastewater]).toEqual([
      [{ value: 20 }],
      [{ value: 20 }],
      [{ value: 20 }],
    ]);
  });

  it('keeps EUDA precise value where the chart only rounds it, with no revision', async () => {
    const { wastewater } = await data<{ wastewater: Load[] }>(`{
      wastewater(site: ["NO007"], substance: ["COCAINE"], from: 2024, to: 2024, campaign: [SPRING]) {
        value release { id } revisions { value release { id } }
      }
    }`);
    expect(wastewater).toEqual([{ value: 672.16, release: { id: EUDA }, revisions: [] }]);
  });

  it('answers with the chart where it really differs from EUDA, and lists EUDA as the revision', async () => {
    const { wastewater } = await data<{ wastewater: Load[] }>(`{
      wastewater(site: ["NO009"], substance: ["METHAMPHETAMINE"], from: 2024, to: 2024, campaign: [SPRING]) {
        value status release { id } revisions { value release { id } }
      }
    }`);
    expect(wastewater).toEqual([
      { value: 1, status: 'PROVISIONAL', release: { id: CHARTS }, revisions: [{ value: 5.74, release: { id: EUDA } }] },
    ]);
  });

  it('stores the autumn 2024 ketamine week mean as published, and says it leaves out the dumping spike', async () => {
    const { wastewater } = await data<{ wastewater: Load[] }>(`{
      wastewater(site: ["NO001"], substance: ["KETAMINE"], from: 2024, to: 2024, campaign: [AUTUMN], statistic: [DAILY_MEAN, SATURDAY]) {
        statistic value note
      }
    }`);
    expect(wastewater.map(({ statistic, value }) => [statistic, value])).toEqual([
      ['DAILY_MEAN', 33],
      ['SATURDAY', 178],
    ]);
    expect(wastewater[0]!.note).toMatch(/not recomputed: it leaves out the one-day spike \(Saturday, 178\)/);
    expect(wastewater[1]!.note).toMatch(/attributes this one-day spike to dumping/);
  });

  it('marks a 0 that the page describes as below the limit of quantification as BELOW_LOQ', async () => {
    const { wastewater } = await data<{ wastewater: Load[] }>(`{
      wastewater(site: ["NO009"], substance: ["METHAMPHETAMINE"], from: 2025, to: 2025) { campaign value status }
    }`);
    expect(wastewater).toEqual([
      { campaign: 'SPRING', value: 0, status: 'BELOW_LOQ' },
      { campaign: 'AUTUMN', value: 0, status: 'BELOW_LOQ' },
    ]);
  });

  it('serves a null day of a chart as MISSING', async () => {
    const { wastewater } = await data<{ wastewater: Load[] }>(`{
      wastewater(site: ["NO009"], substance: ["KETAMINE"], from: 2025, to: 2025, campaign: [SPRING], statistic: [WEDNESDAY, THURSDAY, FRIDAY]) {
        statistic value status
      }
    }`);
    expect(wastewater).toEqual([
      { statistic: 'WEDNESDAY', value: null, status: 'MISSING' },
      { statistic: 'THURSDAY', value: null, status: 'MISSING' },
      { statistic: 'FRIDAY', value: 16, status: 'PROVISIONAL' },
    ]);
  });

  it('dates the city charts as a PRELIMINARY release of 13 March 2026', async () => {
    const { wastewater } = await data<{
      wastewater: { release: { status: string; publishedAt: string; publishedAtPrecision: string } }[];
    }>(`{
      wastewater(site: ["NO001"], substance: ["COCAINE"], from: 2025, to: 2025, campaign: [SPRING]) {
        release { status publishedAt publishedAtPrecision }
      }
    }`);
    expect(wastewater).toEqual([
      { release: { status: 'PRELIMINARY', publishedAt: '2026-03-13', publishedAtPrecision: 'DAY' } },
    ]);
  });
});

interface Estimate {
  year: number;
  series: string;
  value: number | null;
  low: number | null;
  high: number | null;
  status: string;
  qualifier: string;
  release: { id: string; status: string };
}

describe('people who inject drugs, 2012-2024', () => {
  it('answers the annual estimates by default, PRELIMINARY, without a range', async () => {
    const { injectingDrugUseEstimates } = await data<{ injectingDrugUseEstimates: Estimate[] }>(`{
      injectingDrugUseEstimates(from: 2020, to: 2024) { year series value low high status qualifier release { id status } }
    }`);
    const release = { id: 'pwid-report-2026-chart', status: 'PRELIMINARY' };
    const row = (year: number, value: number) => ({
      year,
      series: 'ANNUAL_ESTIMATE',
      value,
      low: null,
      high: null,
      status: 'PROVISIONAL',
      qualifier: 'EXACT',
      release,
    });
    expect(injectingDrugUseEstimates).toEqual([
      row(2020, 13449),
      row(2021, 10249),
      row(2022, 13864),
      row(2023, 16136),
      row(2024, 12979),
    ]);
  });

  it('answers the 3-year moving average as its own series', async () => {
    const { injectingDrugUseEstimates } = await data<{ injectingDrugUseEstimates: Estimate[] }>(`{
      injectingDrugUseEstimates(series: THREE_YEAR_MOVING_AVERAGE, from: 2020, to: 2024) { year series value }
    }`);
    expect(injectingDrugUseEstimates.map(({ year, series, value }) => [year, series, value])).toEqual([
      [2020, 'THREE_YEAR_MOVING_AVERAGE', 12054],
      [2021, 'THREE_YEAR_MOVING_AVERAGE', 11544],
      [2022, 'THREE_YEAR_MOVING_AVERAGE', 12521],
      [2023, 'THREE_YEAR_MOVING_AVERAGE', 13416],
      [2024, 'THREE_YEAR_MOVING_AVERAGE', 14326],
    ]);
  });

  it('keeps the earlier estimate of 2012: asOf before the chart answers 8 400 (7 200-10 100)', async () => {
    const { before, latest } = await data<{
      before: Estimate[];
      latest: (Estimate & { revisions: { value: number; release: { id: string } }[] })[];
    }>(`{
      before: injectingDrugUseEstimates(from: 2012, to: 2012, asOf: "2026-03-12") { value low high release { id } }
      latest: injectingDrugUseEstimates(from: 2012, to: 2012) { value revisions { value release { id } } }
    }`);
    expect(before).toEqual([{ value: 8400, low: 7200, high: 10100, release: { id: 'pwid-national-report-2012' } }]);
    expect(latest).toEqual([
      { value: 11152, revisions: [{ value: 8400, release: { id: 'pwid-national-report-2012' } }] },
    ]);
  });
});
