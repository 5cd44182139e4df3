import type { Database, PrismaClient } from '../db/database.ts';
import type {
  AgeGroup,
  DeathCause,
  DeathIntent,
  Region,
  StandardPopulation,
  Substance,
} from '../db/generated/prisma/client.ts';
import { Prisma } from '../db/generated/prisma/client.ts';
import { readVersioned } from '../db/replicas.ts';
import type { VersionRecorder } from './read-view.ts';

/** A codelist in memory: its rows in order, and each row by its code. */
export interface Codelist<Row extends { code: string }> {
  readonly rows: readonly Row[];
  readonly byCode: ReadonlyMap<string, Row>;
}

interface SharedCodelists {
  regions: Codelist<Region>;
  ageGroups: Codelist<AgeGroup>;
  substances: Codelist<Substance>;
  deathCauses: Codelist<DeathCause>;
  deathIntents: Codelist<DeathIntent>;
  standardPopulations: Codelist<StandardPopulation>;
  /** The death causes of each substance ("stofftype" grouped by the substance taxonomy). */
  deathCausesBySubstance: ReadonlyMap<string, readonly string[]>;
}

/** What is kept, with the data version it was read at. */
interface Kept<T> {
  value: T;
  version: string;
}

const codelistOf = <Row extends { code: string }>(rows: Row[]): Codelist<Row> => ({
  rows,
  byCode: new Map(rows.map((row) => [row.code, row])),
});

/**
 * Per-process copy of the codelist tables (a few dozen rows each; a source's own, such as the
 * wastewater sites, may be longer), so that naming a region or an age group costs no SQL and
 * finding one by its code costs a map lookup, whatever the codelist's length. Each is read in one
 * snapshot with the data version, and each use reports that version, so an answer is labelled
 * with the data it holds. Codelists change only when bundled data is loaded, which moves the data
 * version; the hub drops this copy on every change of version, as it does the cube metadata, so a
 * new code arrives with the data that refers to it.
 */
export class CodelistCache {
  private readonly kept = new Map<string, Promise<Kept<unknown>>>();

  constructor(private readonly db: Pick<Database, 'prisma' | 'replicas'>) {}

  /** Every region, Norway first, then the counties by code (current and former). */
  async regions(reads: VersionRecorder): Promise<Codelist<Region>> {
    return (await this.shared(reads)).regions;
  }

  async ageGroups(reads: VersionRecorder): Promise<Codelist<AgeGroup>> {
    return (await this.shared(reads)).ageGroups;
  }

  async substances(reads: VersionRecorder): Promise<Codelist<Substance>> {
    return (await this.shared(reads)).substances;
  }

  async deathCauses(reads: VersionRecorder): Promise<Codelist<DeathCause>> {
    return (await this.shared(reads)).deathCauses;
  }

  async deathIntents(reads: VersionRecorder): Promise<Codelist<DeathIntent>> {
    return (await this.shared(reads)).deathIntents;
  }

  async standardPopulations(reads: VersionRecorder): Promise<Codelist<StandardPopulation>> {
    return (await this.shared(reads)).standardPopulations;
  }

  async deathCausesBySubstance(reads: VersionRecorder): Promise<ReadonlyMap<string, readonly string[]>> {
    return (await this.shared(reads)).deathCausesBySubstance;
  }

  /** A codelist of a source's own (e.g. wastewater sites), held like the shared ones. */
  codelist<Row extends { code: string }>(
    list: string,
    reads: VersionRecorder,
    load: (tx: Prisma.TransactionClient) => Promise<Row[]>,
  ): Promise<Codelist<Row>> {
    return this.read(`source:${list}`, reads, async (tx) => codelistOf(await load(tx)));
  }

  invalidate(): void {
    this.kept.clear();
  }

  private shared(reads: VersionRecorder): Promise<SharedCodelists> {
    return this.read('shared', reads, async (tx) => {
      const deathCauses = await tx.deathCause.findMany({ orderBy: { code: 'asc' } });
      const deathCausesBySubstance = new Map<string, string[]>();
      for (const cause of deathCauses) {
        if (cause.substanceCode === null) continue;
        deathCausesBySubstance.set(cause.substanceCode, [
          ...(deathCausesBySubstance.get(cause.substanceCode) ?? []),
          cause.code,
        ]);
      }
      return {
        regions: codelistOf(await tx.region.findMany({ orderBy: [{ kind: 'asc' }, { code: 'asc' }] })),
        ageGroups: codelistOf(await tx.ageGroup.findMany({ orderBy: { code: 'asc' } })),
        substances: codelistOf(await tx.substance.findMany({ orderBy: { code: 'asc' } })),
        deathCauses: codelistOf(deathCauses),
        deathIntents: codelistOf(await tx.deathIntent.findMany({ orderBy: { code: 'asc' } })),
        standardPopulations: codelistOf(await tx.standardPopulation.findMany({ orderBy: { code: 'asc' } })),
        deathCausesBySubstance,
      };
    });
  }

  /** What `load` reads in one snapshot, kept with its data version until the next invalidate. */
  private async read<T>(key: string, reads: VersionRecorder, load: (tx: Prisma.TransactionClient) => Promise<T>) {
    let kept = this.kept.get(key) as Promise<Kept<T>> | undefined;
    if (!kept) {
      // From a replica that has replayed what the hub heard, else from the primary.
      const loading = readVersioned(
        this.db.replicas,
        reads.heard,
        () => this.snapshot(this.db.prisma, load),
        (replica) => this.snapshot(replica.prisma, load),
      );
      kept = loading;
      this.kept.set(key, loading);
      loading.catch(() => {
        if (this.kept.get(key) === loading) this.kept.delete(key);
      });
    }
    const { value, version } = await kept;
    reads.saw(version);
    return value;
  }

  private snapshot<T>(prisma: PrismaClient, load: (tx: Prisma.TransactionClient) => Promise<T>): Promise<Kept<T>> {
    return prisma.$transaction(
      async (tx) => {
        const [row] = await tx.$queryRaw<{ version: string }[]>`SELECT version::text FROM data_version`;
        return { value: await load(tx), version: row?.version ?? '0' };
      },
      // Waiting for a connection is bounded by the request's time limit, not by Prisma's 2 s default.
      { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, maxWait: 60_000, timeout: 60_000 },
    );
  }
}
