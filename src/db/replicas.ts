import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client.ts';
import { countReplicaRead, setReplicaLag, watchPools } from './metrics.ts';
import { setTimeoutOnConnect, statementName } from './pool-mode.ts';

/** One read replica (a hot standby): its pool, its Prisma client, and what its last check found. */
export interface Replica {
  /** `replica-1`, `replica-2`, ... in the order of DATABASE_READ_URL (metrics and logs). */
  name: string;
  pool: pg.Pool;
  prisma: PrismaClient;
  /** Down or lagging beyond the limit at its last check: skipped until a check finds it back. */
  skipped: boolean;
  /** Replay lag at the last check (ms). */
  lagMs: number;
}

export interface ReplicaOptions {
  urls: readonly string[];
  poolMax: number;
  statementTimeoutMs: number;
  /** A replica further behind than this is skipped until it catches up. */
  maxLagMs: number;
  /** How often each replica's lag is checked (ms). */
  checkEveryMs?: number;
}

/** Where the replicas are, for reads that prefer them. */
export interface ReadReplicas {
  readonly replicas: readonly Replica[];
  /** The next replica in turn that is not skipped, if any. */
  pick(): Replica | undefined;
  /** A replica that failed a read is skipped until its next check finds it answering. */
  failed(replica: Replica, error: unknown): void;
  close(): Promise<void>;
}

// How far a standby is behind: nothing when it has replayed all it received, else the age of the
// last transaction it replayed (what recovery_min_apply_delay or a slow apply hold back).
const LAG_SQL = `SELECT pg_is_in_recovery() AS standby,
  CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
       ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000, 0) END AS "lagMs"`;

/**
 * Read replicas (DATABASE_READ_URL): hot standbys that cube and codelist reads go to. Each is
 * checked every second; one that does not answer, or lags beyond DB_REPLICA_MAX_LAG_MS, is
 * skipped until it recovers. A replica never decides what data version an answer carries: every
 * read through it reports the version it replayed, and one behind the version the hub heard is
 * read again from the primary (see readVersioned).
 */
export function openReplicas(options: ReplicaOptions): ReadReplicas {
  const replicas: Replica[] = options.urls.map((url, index) => {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolMax,
      onConnect: setTimeoutOnConnect(options.statementTimeoutMs),
    });
    pool.on('error', (error) => console.error(`replica-${index + 1} connection error:`, error.message));
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    return { name: `replica-${index + 1}`, pool, prisma, skipped: false, lagMs: 0 };
  });
  const unwatch = watchPools(replicas);
  const check = async (replica: Replica) => {
    try {
      const { rows } = await replica.pool.query<{ standby: boolean; lagMs: number }>(LAG_SQL);
      replica.lagMs = Number(rows[0]?.lagMs ?? 0);
      replica.skipped = replica.lagMs > options.maxLagMs;
    } catch {
      replica.skipped = true;
    }
    setReplicaLag(replica.name, replica.lagMs / 1000);
  };
  const timer = setInterval(() => {
    for (const replica of replicas) void check(replica);
  }, options.checkEveryMs ?? 1000);
  timer.unref();
  for (const replica of replicas) void check(replica);
  let turn = 0;
  return {
    replicas,
    pick() {
      for (let tried = 0; tried < replicas.length; tried++) {
        const replica = replicas[turn++ % replicas.length];
        if (replica && !replica.skipped) return replica;
      }
      return undefined;
    },
    failed(replica, error) {
      replica.skipped = true;
      console.error(`${replica.name} failed a read and is skipped until it answers again:`, (error as Error).message);
    },
    async close() {
      clearInterval(timer);
      unwatch();
      for (const replica of replicas) {
        await replica.prisma.$disconnect();
        await replica.pool.end();
      }
    },
  };
}

/** The name a statement is prepared under on a replica (a direct session: names are safe). */
export const replicaStatementName = (sql: string) => statementName(sql, { embedded: false, poolMode: 'session' });

const behind = (version: string, heard: string) => heard !== 'unknown' && BigInt(version) < BigInt(heard);

/**
 * A read that reports its data version, on a replica when one is available, else on the primary.
 * A replica that has not replayed the version the hub heard (`heard`) is not believed: the read
 * runs again on the primary, so no answer carries data older than what the hub knows of.
 */
export async function readVersioned<T>(
  replicas: ReadReplicas | undefined,
  heard: string,
  onPrimary: () => Promise<{ value: T; version: string }>,
  onReplica: (replica: Replica) => Promise<{ value: T; version: string }>,
): Promise<{ value: T; version: string }> {
  const replica = replicas?.pick();
  if (!replicas || !replica) {
    if (replicas?.replicas.length) countReplicaRead('primary');
    return onPrimary();
  }
  try {
    const read = await onReplica(replica);
    if (!behind(read.version, heard)) {
      countReplicaRead('replica');
      return read;
    }
  } catch (error) {
    replicas.failed(replica, error);
  }
  countReplicaRead('primary');
  return onPrimary();
}
