import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type {
  EmbeddedError,
  EmbeddedQuestion,
  EmbeddedReply,
  EmbeddedRequest,
  EmbeddedWorkerData,
} from './embedded-worker.ts';
import { type FolderLock, type LockHolder, lockDataFolder } from './folder-lock.ts';

/**
 * The embedded database as `npm install` prepares it (migrated, with the bundled data): a folder
 * holding a cluster shut down cleanly. A fresh DATA_DIR starts from a copy of its files instead of
 * creating a cluster and loading every file, which takes several times longer. Built by
 * `npm run cli -- prepare-embedded`; the same path from src/ and from dist/.
 */
export const EMBEDDED_IMAGE = join(import.meta.dirname, '../../dist/embedded-image');

/** PGlite's one session, reached from the hub's thread for what the wire protocol cannot carry. */
export interface EmbeddedSession {
  /** Runs `COPY … FROM '/dev/blob'` with `csv` as the blob, inside the session's open transaction. */
  copyFromBlob(sql: string, csv: string): Promise<void>;
}

export interface EmbeddedPostgres {
  connectionString: string;
  /** The one session every connection reaches (bulk loads use it). */
  session: EmbeddedSession;
  /** This process's lock on the folder. */
  lock: FolderLock;
  /** True when the folder was empty and started from the prepared image. */
  fromImage: boolean;
  stop(): Promise<void>;
}

/** An error of the embedded database, with PostgreSQL's code and detail as `pg` gives them. */
class EmbeddedDatabaseError extends Error {
  readonly code?: string;
  readonly detail?: string;
  constructor({ message, code, detail }: EmbeddedError) {
    super(message);
    this.code = code;
    this.detail = detail;
  }
}

/**
 * The worker thread, from dist/ as compiled JavaScript; from src/ (tests, `npm run dev`) through
 * tsx, which a worker does not inherit from the thread that starts it.
 */
function startWorker(data: EmbeddedWorkerData): Worker {
  const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  const file = new URL(`./embedded-worker.${extension}`, import.meta.url);
  if (extension === 'js') return new Worker(file, { workerData: data });
  const load = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(file.href)}); })`;
  return new Worker(load, { eval: true, workerData: data });
}

/**
 * Starts PGlite persisted under `dataDir`, on a thread of its own, and serves it on a free loopback
 * port, so the hub talks to it through `pg` exactly as it talks to PostgreSQL. The hub's pool
 * holds one connection: PGlite is a single session, and multiplexed connections returned wrong
 * rows under load (PGlite #1046). The folder is locked first: one process owns it (a second gets
 * FolderInUseError naming the holder). A new folder starts from a copy of `image`, if given.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  role: LockHolder['role'],
  image?: string,
): Promise<EmbeddedPostgres> {
  mkdirSync(dataDir, { recursive: true });
  const lock = lockDataFolder(dataDir, role);
  const worker = startWorker({ dataDir, image });
  const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let ended: Error | undefined;
  let stopping = false;
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  const serving = new Promise<Extract<EmbeddedReply, { kind: 'serving' }>>((resolve, reject) => {
    worker.on('message', (reply: EmbeddedReply) => {
      if (reply.kind === 'serving') {
        resolve(reply);
      } else if (reply.id === undefined) {
        if (reply.kind === 'failed') reject(new EmbeddedDatabaseError(reply.error)); // it did not start
      } else {
        const request = pending.get(reply.id);
        pending.delete(reply.id);
        if (reply.kind === 'failed') request?.reject(new EmbeddedDatabaseError(reply.error));
        else request?.resolve();
      }
    });
    // A thread that dies takes the database with it: what waits on it fails, and so does what follows.
    const end = (error: Error) => {
      ended ??= error;
      reject(error);
      for (const request of pending.values()) request.reject(error);
      pending.clear();
    };
    worker.on('error', end);
    worker.on('exit', (code) => {
      const error = new Error(`the embedded database's thread ended (exit code ${code})`);
      if (!stopping) console.error(`[rusdata] ${error.message}: the hub can no longer read or write`);
      end(error);
    });
  });
  const ask = (question: EmbeddedQuestion) =>
    new Promise<void>((resolve, reject) => {
      if (ended) return reject(ended);
      const request: EmbeddedRequest = { ...question, id: nextId++ };
      pending.set(request.id, { resolve, reject });
      worker.postMessage(request);
    });
  try {
    const { connectionString, fromImage } = await serving;
    return {
      connectionString,
      session: { copyFromBlob: (sql, csv) => ask({ kind: 'copy', sql, csv }) },
      lock,
      fromImage,
      async stop() {
        stopping = true;
        await ask({ kind: 'stop' });
        await exited; // its files are closed before another process may take the folder
        lock.release();
      },
    };
  } catch (error) {
    stopping = true;
    await worker.terminate();
    lock.release();
    throw error;
  }
}
