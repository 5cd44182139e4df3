import { describe, expect, it } from 'vitest';
import { useTestHub } from '../helpers/hub.ts';

// The report's coverage, chapter by chapter: what the hub serves and what it does not.

const hub = useTestHub();

interface Chapter {
  chapter: number;
  title: string;
  served: { field: string; arguments: string; query: string; description: string }[];
  notServed: { description: string; kind: string; reason: string }[];
}

const coverage = async () =>
  (
    await hub.data<{ reportCoverage: Chapter[] }>(`{
      reportCoverage { chapter title served { field arguments query description } notServed { description kind reason } }
    }`)
  ).reportCoverage;

describe('reportCoverage', () => {
  it("lists the report's eight chapters with their printed titles", async () => {
    expect((await coverage()).map(({ chapter, title }) => [chapter, title])).toEqual([
      [1, 'Innledning og hovedbudskap'],
      [2, 'Rusmiddelbruk i Norge'],
      [3, 'Cannabis'],
      [4, 'Sentralstimulerende rusmidler'],
      [5, 'Narkotikautløste dødsfall i Norge'],
      [6, 'Illegale rusmidler i avløpsvann'],
      [7, 'Beregning av antall sprøytebrukere'],
      [8, 'Metode og datakilder'],
    ]);
  });

  it('gives for every served figure a query that answers with values', async () => {
    const served = (await coverage()).flatMap((chapter) => chapter.served);
    expect(served.length).toBeGreaterThan(20);
    for (const { field, query } of served) {
      const response = await hub.query<Record<string, unknown[]>>(query);
      expect(response.errors, query).toBeUndefined();
      expect(response.data?.[field]?.length, query).toBeGreaterThan(0);
    }
  });

  it("says that chapter 5's chart-only figures have no public data", async () => {
    const [chapter5] = (
      await hub.data<{ reportCoverage: Chapter[] }>(`{
      reportCoverage(chapter: [5]) { chapter notServed { description kind reason } }
    }`)
    ).reportCoverage;
    const noData = chapter5!.notServed.filter((figure) => figure.kind === 'NO_PUBLIC_DATA').map((f) => f.description);
    expect(noData).toEqual(
      expect.arrayContaining([
        "Number of drug-induced deaths per year 2012-2024, as republished in 2025 (the chapter's chart)",
        "Age-standardised rates per year 2012-2024 with the trend line (the chapter's chart)",
        "Mean age at death by sex per year (the chapter's chart)",
      ]),
    );
  });

  it('names what chapters 6 and 7 print but the hub does not serve, with the reason', async () => {
    const chapters = await hub.data<{ reportCoverage: Chapter[] }>(`{
      reportCoverage(chapter: [6, 7]) { chapter notServed { kind } }
    }`);
    expect(chapters.reportCoverage.map((c) => [c.chapter, c.notServed.map((n) => n.kind)])).toEqual([
      [6, ['NOT_YET_MODELLED', 'NOT_A_CELL', 'NOT_A_CELL', 'NO_NUMBER_PRINTED', 'NO_PUBLIC_DATA']],
      [7, ['NO_PUBLIC_DATA', 'NOT_A_CELL', 'NOT_YET_MODELLED', 'NOT_A_CELL']],
    ]);
  });
});
