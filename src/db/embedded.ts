import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  connectionString: string;
  /** The PGlite instance itself: the one session every connection reaches (bulk loads use it). */
  session: PGlite;
  stop(): Promise<void>;
}

/**
 * Starts PGlite persisted under `dataDir` and serves it on a free loopback port, so the hub talks
 * to it through `pg` exactly as it talks to PostgreSQL. The hub's pool holds one connection:
 * PGlite is a single session, and multiplexed connections returned wrong rows under load
 * (PGlite #1046). The server admits a second only so that a replacement can connect while a
 * connection that pg discarded after an error is still closing.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 2 });
  await server.start();
  return {
    connectionString: `postgresql://postgres@${server.getServerConn()}/postgres`,
    session: db,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
