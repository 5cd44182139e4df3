import type pg from 'pg';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/**
 * The hub's Prometheus metrics (prom-client), served on /metrics. One registry per process, of its
 * own (libraries may register on prom-client's global one); every layer records into it through
 * the functions below, so no layer needs the server's. The process's own metrics (resident memory,
 * CPU, event loop lag, heap) come with it.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });
// Gauges named like counters (promtool refuses them); the same counts stay as nodejs_active_handles etc.
for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
  metricsRegistry.removeSingleMetric(name);
}

const pools = new Map<string, pg.Pool>();

new Gauge({
  name: 'rusdata_db_pool_connections',
  help: 'Connections of each pool, by database (primary, or a replica) and state: total, idle, or waiting (callers queued for one).',
  labelNames: ['database', 'state'],
  registers: [metricsRegistry],
  collect() {
    this.reset();
    for (const [database, pool] of pools) {
      this.set({ database, state: 'total' }, pool.totalCount);
      this.set({ database, state: 'idle' }, pool.idleCount);
      this.set({ database, state: 'waiting' }, pool.waitingCount);
    }
  },
});

/** Reports the use of these pools under their names until the returned function is called (on close). */
export function watchPools(named: readonly { name: string; pool: pg.Pool }[]): () => void {
  for (const { name, pool } of named) pools.set(name, pool);
  return () => {
    for (const { name, pool } of named) if (pools.get(name) === pool) pools.delete(name);
  };
}

/** Where a read was answered from: a replica, the primary (replica behind or away), or a replica after waiting for it to replay. */
export type ReplicaChoice = 'replica' | 'primary' | 'waited';

const replicaReads = new Counter({
  name: 'rusdata_replica_reads_total',
  help: 'Cube and codelist reads by where they were answered: replica, primary (the replica was behind or away), or waited (for the replica to replay the heard data version).',
  labelNames: ['choice'],
  registers: [metricsRegistry],
});
for (const choice of ['replica', 'primary', 'waited'] satisfies ReplicaChoice[]) replicaReads.inc({ choice }, 0);

export function countReplicaRead(choice: ReplicaChoice): void {
  replicaReads.inc({ choice });
}

const replicaLag = new Gauge({
  name: 'rusdata_replica_lag_seconds',
  help: 'How far each read replica was behind the primary when last measured (seconds of replay).',
  labelNames: ['replica'],
  registers: [metricsRegistry],
});

export function setReplicaLag(replica: string, seconds: number): void {
  replicaLag.set({ replica }, seconds);
}

const dataVersion = new Gauge({
  name: 'rusdata_data_version',
  help: 'The data version this hub serves (data_version.version: moved by every release, withdrawal or codelist change).',
  registers: [metricsRegistry],
});
let versionSeenAt = performance.now();

new Gauge({
  name: 'rusdata_release_event_age_seconds',
  help: 'Seconds since this hub last saw the data version change (a release event, or the version read at start).',
  registers: [metricsRegistry],
  collect() {
    this.set((performance.now() - versionSeenAt) / 1000);
  },
});

/** Records the data version a hub now serves (called whenever it changes). */
export function setDataVersion(version: string): void {
  const number = Number(version);
  if (Number.isFinite(number)) dataVersion.set(number);
  versionSeenAt = performance.now();
}

const listenerHearing = new Gauge({
  name: 'rusdata_release_listener_hearing',
  help: '1 while the release listener hears its own heartbeats; 0 while it does not and the hub polls the data version every second.',
  labelNames: ['channel'],
  registers: [metricsRegistry],
});

export function setListenerHearing(channel: string, hearing: boolean): void {
  listenerHearing.set({ channel }, hearing ? 1 : 0);
}
