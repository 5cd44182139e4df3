import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';

// The embedded database's own thread (started by embedded.ts): PGlite and the loopback server the
// hub's `pg` pool connects to. Off the hub's thread, PGlite's start overlaps the loading of the
// rest of the hub (and so does copying the image into a new folder), and its queries run beside
// the hub's own work instead of between it.

/** What the hub asks of this thread. */
export type EmbeddedQuestion = { kind: 'copy'; sql: string; csv: string } | { kind: 'stop' };
export type EmbeddedRequest = EmbeddedQuestion & { id: number };

/** What this thread answers: once when serving (or failing to start), then once per request. */
export type EmbeddedReply =
  | { kind: 'serving'; connectionString: string; fromImage: boolean }
  | { kind: 'done'; id: number }
  | { kind: 'failed'; id?: number; error: EmbeddedError };

/** A PostgreSQL error as it crosses threads: its message with the fields callers read. */
export interface EmbeddedError {
  message: string;
  code?: string;
  detail?: string;
}

export interface EmbeddedWorkerData {
  dataDir: string;
  /** The prepared image a new folder starts from (see EMBEDDED_IMAGE in embedded.ts). */
  image?: string;
}

// V8 recompiles a WebAssembly function with its optimising compiler once it has run a while (its
// tiering budget, 1.8 M by default). PostgreSQL's start ran enough to recompile much of PGlite on
// the way: 0.75 s of CPU in a 1 s start, on 2 cores shared with the rest of the hub. Ten times the
// budget leaves the start to the baseline compiler; queries that run long or often are still
// optimised (a grouped scan of the wastewater table ran as fast after its first runs).
// Compiled asynchronously (V8's default for WebAssembly.instantiate), the module later held this
// thread on a lock for about 0.2 s, which the hub's first connection waited out; compiled where it
// is instantiated (lazily, function by function, as before), it does not.
// The flags are read when a module is compiled, so they are set before PGlite is loaded.
setFlagsFromString('--wasm-tiering-budget=20000000');
setFlagsFromString('--no-wasm-async-compilation');
const { PGlite } = await import('@electric-sql/pglite');
const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');

/**
 * PGlite's own start parameters, with a smaller buffer pool. At PGlite's 128 MB, setting up the
 * pool was a quarter of a restart (about 0.3 s more than at 32 MB); the bundled database is about
 * 33 MB, and the operating system caches its files as well, so reads measured no slower.
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];

/** Marks a folder as holding a cluster; copied last, so a copy cut short is started over. */
const CLUSTER_MARK = 'PG_VERSION';

/**
 * Copies the image's files into a new folder, if the folder has no cluster and there is an image.
 * A plain file copy is several times faster than handing PGlite a tarball, which it unpacks
 * through its own file system one file at a time.
 */
function copyImageIfNew(dataDir: string, image: string | undefined): boolean {
  if (!image || existsSync(join(dataDir, CLUSTER_MARK)) || !existsSync(join(image, CLUSTER_MARK))) return false;
  const mark = join(image, CLUSTER_MARK);
  cpSync(image, dataDir, { recursive: true, dereference: true, filter: (source) => source !== mark });
  cpSync(mark, join(dataDir, CLUSTER_MARK));
  return true;
}

const port = parentPort;
if (!port) throw new Error('embedded-worker.ts runs as a worker thread (see embedded.ts)');
const reply = (message: EmbeddedReply) => port.postMessage(message);
const asEmbeddedError = (error: unknown): EmbeddedError => {
  const { message, code, detail } = error as Partial<EmbeddedError>;
  return { message: message ?? String(error), code, detail };
};

try {
  const { dataDir, image } = workerData as EmbeddedWorkerData;
  const fromImage = copyImageIfNew(dataDir, image);
  const db = await PGlite.create(dataDir, { startParams: START_PARAMS });
  // One connection at a time reaches PGlite's single session; a second is admitted only so that
  // a replacement can connect while one that pg discarded after an error is still closing.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 2 });
  await server.start();
  port.on('message', async (request: EmbeddedRequest) => {
    try {
      if (request.kind === 'copy') {
        // PGlite has no COPY FROM STDIN: it reads the rows from a blob, inside whatever transaction
        // the hub's connection has open on the one session.
        await db.query(request.sql, [], { blob: new Blob([request.csv]) });
        reply({ kind: 'done', id: request.id });
      } else {
        await server.stop();
        await db.close();
        reply({ kind: 'done', id: request.id });
        port.close(); // nothing is left to run: the thread ends
      }
    } catch (error) {
      reply({ kind: 'failed', id: request.id, error: asEmbeddedError(error) });
    }
  });
  reply({ kind: 'serving', connectionString: `postgresql://postgres@${server.getServerConn()}/postgres`, fromImage });
} catch (error) {
  reply({ kind: 'failed', error: asEmbeddedError(error) });
}
