import type { PrismaClient } from '../db/database.ts';
import type {
  AgeGroup,
  DeathCause,
  DeathIntent,
  Region,
  StandardPopulation,
  Substance,
} from '../db/generated/prisma/client.ts';

/**
 * Per-process copy of the codelist tables (a few dozen rows each), so that naming a region or an
 * age group costs no SQL. Codelists are upserted only when bundled data is loaded, before the
 * releases that use a new code; the hub drops this copy on every release event, as it does the
 * cube metadata, so a new code arrives with the data that refers to it.
 */
export class CodelistCache {
  private readonly lists = new Map<string, Promise<readonly unknown[]>>();

  constructor(private readonly prisma: PrismaClient) {}

  /** Every region, Norway first, then the counties by code (current and former). */
  regions(): Promise<readonly Region[]> {
    return this.memo('regions', () => this.prisma.region.findMany({ orderBy: [{ kind: 'asc' }, { code: 'asc' }] }));
  }

  ageGroups(): Promise<readonly AgeGroup[]> {
    return this.memo('ageGroups', () => this.prisma.ageGroup.findMany({ orderBy: { code: 'asc' } }));
  }

  substances(): Promise<readonly Substance[]> {
    return this.memo('substances', () => this.prisma.substance.findMany({ orderBy: { code: 'asc' } }));
  }

  deathCauses(): Promise<readonly DeathCause[]> {
    return this.memo('deathCauses', () => this.prisma.deathCause.findMany({ orderBy: { code: 'asc' } }));
  }

  deathIntents(): Promise<readonly DeathIntent[]> {
    return this.memo('deathIntents', () => this.prisma.deathIntent.findMany({ orderBy: { code: 'asc' } }));
  }

  standardPopulations(): Promise<readonly StandardPopulation[]> {
    return this.memo('standardPopulations', () =>
      this.prisma.standardPopulation.findMany({ orderBy: { code: 'asc' } }),
    );
  }

  invalidate(): void {
    this.lists.clear();
  }

  private memo<Row>(list: string, load: () => Promise<Row[]>): Promise<readonly Row[]> {
    let rows = this.lists.get(list) as Promise<readonly Row[]> | undefined;
    if (!rows) {
      rows = load();
      this.lists.set(list, rows);
      rows.catch(() => this.lists.delete(list));
    }
    return rows;
  }
}
