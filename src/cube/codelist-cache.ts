import type { PrismaClient } from '../db/database.ts';
import type {
  AgeGroup,
  DeathCause,
  DeathIntent,
  Region,
  StandardPopulation,
  Substance,
} from '../db/generated/prisma/client.ts';

/** A codelist in memory: its rows in order, and each row by its code. */
export interface Codelist<Row extends { code: string }> {
  readonly rows: readonly Row[];
  readonly byCode: ReadonlyMap<string, Row>;
}

/**
 * Per-process copy of the codelist tables (a few dozen rows each), so that naming a region or an
 * age group costs no SQL, and finding one by its code costs a map lookup whatever the codelist's
 * length. Codelists are upserted only when bundled data is loaded, before the releases that use a
 * new code; the hub drops this copy on every release event, as it does the cube metadata, so a
 * new code arrives with the data that refers to it.
 */
export class CodelistCache {
  private readonly lists = new Map<string, Promise<unknown>>();

  constructor(private readonly prisma: PrismaClient) {}

  /** Every region, Norway first, then the counties by code (current and former). */
  regions(): Promise<Codelist<Region>> {
    return this.codelist('regions', () => this.prisma.region.findMany({ orderBy: [{ kind: 'asc' }, { code: 'asc' }] }));
  }

  ageGroups(): Promise<Codelist<AgeGroup>> {
    return this.codelist('ageGroups', () => this.prisma.ageGroup.findMany({ orderBy: { code: 'asc' } }));
  }

  substances(): Promise<Codelist<Substance>> {
    return this.codelist('substances', () => this.prisma.substance.findMany({ orderBy: { code: 'asc' } }));
  }

  deathCauses(): Promise<Codelist<DeathCause>> {
    return this.codelist('deathCauses', () => this.prisma.deathCause.findMany({ orderBy: { code: 'asc' } }));
  }

  deathIntents(): Promise<Codelist<DeathIntent>> {
    return this.codelist('deathIntents', () => this.prisma.deathIntent.findMany({ orderBy: { code: 'asc' } }));
  }

  standardPopulations(): Promise<Codelist<StandardPopulation>> {
    return this.codelist('standardPopulations', () =>
      this.prisma.standardPopulation.findMany({ orderBy: { code: 'asc' } }),
    );
  }

  /** The death causes of each substance ("stofftype" grouped by the substance taxonomy). */
  deathCausesBySubstance(): Promise<ReadonlyMap<string, readonly string[]>> {
    return this.memo('deathCausesBySubstance', async () => {
      const bySubstance = new Map<string, string[]>();
      for (const cause of (await this.deathCauses()).rows) {
        if (cause.substanceCode === null) continue;
        bySubstance.set(cause.substanceCode, [...(bySubstance.get(cause.substanceCode) ?? []), cause.code]);
      }
      return bySubstance;
    });
  }

  invalidate(): void {
    this.lists.clear();
  }

  /**
   * A codelist of a source's own (e.g. wastewater sites), held like the shared ones: read with
   * `load` on first use after a release event, then from memory.
   */
  codelist<Row extends { code: string }>(list: string, load: () => Promise<Row[]>): Promise<Codelist<Row>> {
    return this.memo(list, async () => {
      const rows = await load();
      return { rows, byCode: new Map(rows.map((row) => [row.code, row])) };
    });
  }

  private memo<T>(key: string, load: () => Promise<T>): Promise<T> {
    let value = this.lists.get(key) as Promise<T> | undefined;
    if (!value) {
      value = load();
      this.lists.set(key, value);
      value.catch(() => this.lists.delete(key));
    }
    return value;
  }
}
