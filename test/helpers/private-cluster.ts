import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = '/usr/lib/postgresql/15/bin';

/** Why a private PostgreSQL cluster cannot be made here, or undefined when it can. */
export function privateClusterUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root, to run initdb and pg_ctl as the postgres OS user';
  if (!existsSync(join(BIN, 'initdb')) || !existsSync(join(BIN, 'pg_ctl')))
    return `no PostgreSQL 15 binaries in ${BIN}`;
  return undefined;
}

/** A TCP port on 127.0.0.1 that nothing listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

export interface PrivateCluster {
  /** postgresql://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  start(): void;
  stop(): void;
  /** Stops the cluster and removes its files. */
  remove(): void;
}

/**
 * A PostgreSQL 15 cluster of its own, in a temporary directory owned by the postgres OS user, on
 * a free port: tests may stop and start it without touching the machine's shared cluster.
 */
export async function createPrivateCluster(): Promise<PrivateCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'rusdata-cluster-'));
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(dir, uid, gid);
  const data = join(dir, 'data');
  const asPostgres = (program: string, args: string[]) =>
    execFileSync('runuser', ['-u', 'postgres', '--', join(BIN, program), ...args], { stdio: 'pipe', cwd: dir });
  asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off`;
  let running = false;
  const cluster: PrivateCluster = {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    start() {
      asPostgres('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
      running = true;
    },
    stop() {
      asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      running = false;
    },
    remove() {
      try {
        if (running) cluster.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  cluster.start();
  return cluster;
}

export interface StandbyOptions {
  /** recovery_min_apply_delay: how long the standby waits before replaying a commit (e.g. '3s'). */
  applyDelay?: string;
}

/**
 * A hot standby of a private cluster: `pg_basebackup -R` (standby.signal and primary_conninfo)
 * into a temporary directory owned by the postgres OS user, started on a free port. It streams
 * from the primary and reconnects by itself when the primary restarts.
 */
export async function createStandby(primary: PrivateCluster, options: StandbyOptions = {}): Promise<PrivateCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'rusdata-standby-'));
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(dir, uid, gid);
  const data = join(dir, 'data');
  const asPostgres = (program: string, args: string[]) =>
    execFileSync('runuser', ['-u', 'postgres', '--', join(BIN, program), ...args], { stdio: 'pipe', cwd: dir });
  asPostgres('pg_basebackup', [
    '-h',
    '127.0.0.1',
    '-p',
    String(primary.port),
    '-U',
    'postgres',
    '-D',
    data,
    '-R',
    '-X',
    'stream',
  ]);
  const port = await freePort();
  const delay = options.applyDelay ? ` -c recovery_min_apply_delay=${options.applyDelay}` : '';
  const settings = `-p ${port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c hot_standby=on${delay}`;
  let running = false;
  const standby: PrivateCluster = {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    start() {
      asPostgres('pg_ctl', ['-D', data, '-o', settings, '-l', join(dir, 'log'), '-w', 'start']);
      running = true;
    },
    stop() {
      asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      running = false;
    },
    remove() {
      try {
        if (running) standby.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  standby.start();
  return standby;
}
