import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { type FolderLock, type LockHolder, lockDataFolder } from './folder-lock.ts';

/**
 * The embedded database as `npm install` prepares it (migrated, with the bundled data): a folder
 * holding a cluster shut down cleanly. A fresh DATA_DIR starts from a copy of its files instead of
 * creating a cluster and loading every file, which takes several times longer. Built by
 * `npm run cli -- prepare-embedded`; the same path from src/ and from dist/.
 */
export const EMBEDDED_IMAGE = join(import.meta.dirname, '../../dist/embedded-image');

/**
 * PGlite's own start parameters, with a smaller buffer pool. At PGlite's 128 MB, setting up the
 * pool was a quarter of a restart (about 0.3 s more than at 32 MB); the bundled database is about
 * 33 MB, and the operating system caches its files as well, so reads measured no slower.
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];

/** Marks a folder as holding a cluster; copied last, so a copy cut short is started over. */
const CLUSTER_MARK = 'PG_VERSION';

/**
 * Copies the image's files into a new folder. A plain file copy is several times faster than
 * handing PGlite a tarball, which it unpacks through its own file system one file at a time.
 */
function copyImage(image: string, dataDir: string) {
  const mark = join(image, CLUSTER_MARK);
  cpSync(image, dataDir, { recursive: true, dereference: true, filter: (source) => source !== mark });
  cpSync(mark, join(dataDir, CLUSTER_MARK));
}

export interface EmbeddedPostgres {
  connectionString: string;
  /** The PGlite instance itself: the one session every connection reaches (bulk loads use it). */
  session: PGlite;
  /** This process's lock on the folder. */
  lock: FolderLock;
  /** True when the folder was empty and started from the prepared image. */
  fromImage: boolean;
  stop(): Promise<void>;
}

/**
 * Starts PGlite persisted under `dataDir` and serves it on a free loopback port, so the hub talks
 * to it through `pg` exactly as it talks to PostgreSQL. The hub's pool holds one connection:
 * PGlite is a single session, and multiplexed connections returned wrong rows under load
 * (PGlite #1046). The server admits a second only so that a replacement can connect while a
 * connection that pg discarded after an error is still closing. The folder is locked first: one
 * process owns it (a second gets FolderInUseError naming the holder).
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  role: LockHolder['role'],
  image?: string,
): Promise<EmbeddedPostgres> {
  mkdirSync(dataDir, { recursive: true });
  const lock = lockDataFolder(dataDir, role);
  try {
    // A folder without a cluster is new: it gets a copy of the image, if there is one.
    const fromImage = Boolean(
      image && !existsSync(join(dataDir, CLUSTER_MARK)) && existsSync(join(image, CLUSTER_MARK)),
    );
    if (fromImage && image) copyImage(image, dataDir);
    const db = await PGlite.create(dataDir, { startParams: START_PARAMS });
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 2 });
    await server.start();
    return {
      connectionString: `postgresql://postgres@${server.getServerConn()}/postgres`,
      session: db,
      lock,
      fromImage,
      async stop() {
        await server.stop();
        await db.close();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
