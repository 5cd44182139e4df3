import type { PrismaClient } from '../db/database.ts';
import type {
  AgeGroup,
  DeathCause,
  DeathIntent,
  Region,
  StandardPopulation,
  Substance,
} from '../db/generated/prisma/client.ts';
import { Prisma } from '../db/generated/prisma/client.ts';
import type { VersionRecorder } from './read-view.ts';

interface Codelists {
  regions: readonly Region[];
  ageGroups: readonly AgeGroup[];
  substances: readonly Substance[];
  deathCauses: readonly DeathCause[];
  deathIntents: readonly DeathIntent[];
  standardPopulations: readonly StandardPopulation[];
  /** The data version they were read at. */
  version: string;
}

/**
 * Per-process copy of the codelist tables (a few dozen rows each), so that naming a region or an
 * age group costs no SQL. They are read together in one snapshot with the data version, and each
 * use reports that version, so an answer is labelled with the data it holds. Codelists change
 * only when bundled data is loaded, which moves the data version; the hub drops this copy on
 * every change of version, as it does the cube metadata, so a new code arrives with the data
 * that refers to it.
 */
export class CodelistCache {
  private lists: Promise<Codelists> | undefined;

  constructor(private readonly prisma: PrismaClient) {}

  /** Every region, Norway first, then the counties by code (current and former). */
  async regions(reads: VersionRecorder): Promise<readonly Region[]> {
    return (await this.read(reads)).regions;
  }

  async ageGroups(reads: VersionRecorder): Promise<readonly AgeGroup[]> {
    return (await this.read(reads)).ageGroups;
  }

  async substances(reads: VersionRecorder): Promise<readonly Substance[]> {
    return (await this.read(reads)).substances;
  }

  async deathCauses(reads: VersionRecorder): Promise<readonly DeathCause[]> {
    return (await this.read(reads)).deathCauses;
  }

  async deathIntents(reads: VersionRecorder): Promise<readonly DeathIntent[]> {
    return (await this.read(reads)).deathIntents;
  }

  async standardPopulations(reads: VersionRecorder): Promise<readonly StandardPopulation[]> {
    return (await this.read(reads)).standardPopulations;
  }

  invalidate(): void {
    this.lists = undefined;
  }

  private async read(reads: VersionRecorder): Promise<Codelists> {
    if (!this.lists) {
      const loading = this.load();
      this.lists = loading;
      loading.catch(() => {
        if (this.lists === loading) this.lists = undefined;
      });
    }
    const lists = await this.lists;
    reads.saw(lists.version);
    return lists;
  }

  private load(): Promise<Codelists> {
    return this.prisma.$transaction(
      async (tx) => {
        const [version] = await tx.$queryRaw<{ version: string }[]>`SELECT version::text FROM data_version`;
        return {
          regions: await tx.region.findMany({ orderBy: [{ kind: 'asc' }, { code: 'asc' }] }),
          ageGroups: await tx.ageGroup.findMany({ orderBy: { code: 'asc' } }),
          substances: await tx.substance.findMany({ orderBy: { code: 'asc' } }),
          deathCauses: await tx.deathCause.findMany({ orderBy: { code: 'asc' } }),
          deathIntents: await tx.deathIntent.findMany({ orderBy: { code: 'asc' } }),
          standardPopulations: await tx.standardPopulation.findMany({ orderBy: { code: 'asc' } }),
          version: version?.version ?? '0',
        };
      },
      // Waiting for a connection is bounded by the request's time limit, not by Prisma's 2 s default.
      { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, maxWait: 60_000, timeout: 60_000 },
    );
  }
}
