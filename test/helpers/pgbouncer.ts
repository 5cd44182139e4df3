import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './private-cluster.ts';

const PGBOUNCER = '/usr/sbin/pgbouncer';

/** Why PgBouncer cannot be started here, or undefined when it can. */
export function pgbouncerUnavailable(): string | undefined {
  if (!existsSync(PGBOUNCER)) return `no ${PGBOUNCER} (Debian package pgbouncer; .ci/run installs it)`;
  if (process.getuid?.() !== 0) return 'needs root, to run pgbouncer as the postgres OS user (it refuses root)';
  return undefined;
}

export interface PgBouncer {
  /** `target` with its host and port replaced by PgBouncer's. */
  url(target: string): string;
  /** PgBouncer's log so far. */
  log(): string;
  stop(): Promise<void>;
}

export interface PgBouncerOptions {
  /** The PostgreSQL server behind it, as host:port (default the machine's, 127.0.0.1:5432). */
  server?: string;
  poolMode?: 'transaction' | 'session';
  /** Server connections per database and user (default 20). */
  poolSize?: number;
}

/**
 * A PgBouncer of its own (Debian's 1.18), on a free 127.0.0.1 port in front of a PostgreSQL
 * server: any database name is passed through (`*`), users authenticate by trust (the user must
 * still be in the auth file: postgres is). Its config, log and pid file live in a temporary
 * directory owned by the postgres OS user, which runs it: pgbouncer refuses to run as root.
 * server_login_retry is 1 s (PgBouncer's default, 15 s, refuses every client for that long after
 * a failed login, e.g. while PostgreSQL restarts).
 */
export async function startPgBouncer(options: PgBouncerOptions = {}): Promise<PgBouncer> {
  const [host, serverPort] = (options.server ?? '127.0.0.1:5432').split(':');
  const dir = mkdtempSync(join(tmpdir(), 'rusdata-pgbouncer-'));
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(dir, uid, gid);
  const port = await freePort();
  const config = join(dir, 'pgbouncer.ini');
  writeFileSync(join(dir, 'userlist.txt'), '"postgres" ""\n');
  writeFileSync(
    config,
    `[databases]
* = host=${host} port=${serverPort}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = trust
auth_file = ${join(dir, 'userlist.txt')}
pool_mode = ${options.poolMode ?? 'transaction'}
default_pool_size = ${options.poolSize ?? 20}
max_client_conn = 1000
logfile = ${join(dir, 'pgbouncer.log')}
pidfile = ${join(dir, 'pgbouncer.pid')}
admin_users = postgres
server_login_retry = 1
`,
  );
  const child: ChildProcess = spawn('runuser', ['-u', 'postgres', '--', PGBOUNCER, config], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const log = () => {
    const file = join(dir, 'pgbouncer.log');
    return output + (existsSync(file) ? readFileSync(file, 'utf8') : '');
  };
  await waitForPort(port, child, log);
  return {
    url(target) {
      const url = new URL(target);
      url.host = `127.0.0.1:${port}`;
      return url.toString();
    },
    log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(-child.pid!, 'SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited (${child.exitCode}):\n${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(true)).once('error', () => resolve(false));
      socket.once('close', () => socket.destroy());
      setTimeout(() => socket.end(), 100);
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`pgbouncer is not listening on ${port} after 10 s:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
