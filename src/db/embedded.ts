import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { type FolderLock, type LockHolder, lockDataFolder } from './folder-lock.ts';

export interface EmbeddedPostgres {
  connectionString: string;
  /** The PGlite instance itself: the one session every connection reaches (bulk loads use it). */
  session: PGlite;
  /** This process's lock on the folder. */
  lock: FolderLock;
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
export async function startEmbeddedPostgres(dataDir: string, role: LockHolder['role']): Promise<EmbeddedPostgres> {
  mkdirSync(dataDir, { recursive: true });
  const lock = lockDataFolder(dataDir, role);
  try {
    const db = await PGlite.create(dataDir);
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 2 });
    await server.start();
    return {
      connectionString: `postgresql://postgres@${server.getServerConn()}/postgres`,
      session: db,
      lock,
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
