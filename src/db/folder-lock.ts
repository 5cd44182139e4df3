import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** How a running hub takes commands from the CLI: a loopback URL and a secret made at its start. */
export interface ControlEndpoint {
  url: string;
  secret: string;
}

/** The content of the lock file: who holds the folder, and (for a hub) where to send commands. */
export interface LockHolder {
  pid: number;
  /** `npm start` (hub) or `npm run cli` (cli). */
  role: 'hub' | 'cli';
  startedAt: string;
  control?: ControlEndpoint;
}

export class FolderInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `the data folder ${dataDir} is in use by process ${holder.pid} (${holder.role === 'hub' ? 'a hub, npm start' : 'the CLI, npm run cli'}, ` +
        `since ${holder.startedAt}); only one process may open the embedded database. Stop that process, ` +
        `or set DATA_DIR to another folder.`,
    );
  }
}

export interface FolderLock {
  /** Publishes how a running hub takes commands (the file stays readable by its owner only). */
  advertise(control: ControlEndpoint): void;
  release(): void;
}

export const lockFileOf = (dataDir: string) => join(dataDir, 'rusdata.lock');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed process whose parent has not reaped it yet (a zombie) still answers signal 0.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc (not Linux): trust the signal
  }
}

/** The live process holding the folder, or undefined when it is free or its holder is gone. */
export function readLockHolder(dataDir: string): LockHolder | undefined {
  let holder: LockHolder;
  try {
    holder = JSON.parse(readFileSync(lockFileOf(dataDir), 'utf8')) as LockHolder;
  } catch {
    return undefined; // no lock file, or one cut short by a kill while it was written
  }
  return holder.pid !== process.pid && isAlive(holder.pid) ? holder : undefined;
}

/**
 * Makes this process the one owner of the embedded database's folder: PGlite is one session in
 * one process, and a second process opening the same files loses writes. The lock file names the
 * holder's pid; a lock whose process is gone (killed with -9) is taken over. The file is created
 * with O_EXCL, so of two processes starting at once exactly one wins.
 */
export function lockDataFolder(dataDir: string, role: LockHolder['role']): FolderLock {
  const file = lockFileOf(dataDir);
  const holder: LockHolder = { pid: process.pid, role, startedAt: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(holder), { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 3) throw error;
      const current = readLockHolder(dataDir);
      if (current) throw new FolderInUseError(dataDir, current);
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    rmSync(file, { force: true });
  };
  process.once('exit', release);
  return {
    advertise(control) {
      const temporary = `${file}.${process.pid}`;
      writeFileSync(temporary, JSON.stringify({ ...holder, control }), { mode: 0o600 });
      renameSync(temporary, file); // atomic: readers see the old or the new content, never half
    },
    release,
  };
}
