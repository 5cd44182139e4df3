// `npm run bench`: PostGraphile 4 as the hub's peer, in its own process, serving one schema of
// views.sql at POST /graphql with the options of options.mjs. It runs with the dependencies of
// this folder (graphql 15: PostGraphile 4 does not run on the hub's graphql 16).
//   PORT                      the port on 127.0.0.1 (default 5000)
//   DATABASE_URL              the database holding the hub's tables and views.sql
//   PEER_SCHEMA               the schema to serve (default bench_peer_views)
//   PEER_SIMPLE_COLLECTIONS   omit (default: connections), only (plain lists) or both
//   PG_POOL_MAX               connections in the pool (default 10, as the hub's bench pool)
import { createServer } from 'node:http';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { postgraphileOptions } from './options.mjs';

const port = Number(process.env.PORT ?? 5000);
const connectionString = process.env.DATABASE_URL;
if (!connectionString) throw new Error('postgraphile: DATABASE_URL is not set');

const pool = new pg.Pool({ connectionString, max: Number(process.env.PG_POOL_MAX ?? 10) });

const middleware = postgraphile(
  pool,
  process.env.PEER_SCHEMA ?? 'bench_peer_views',
  postgraphileOptions(process.env.PEER_SIMPLE_COLLECTIONS ?? 'omit'),
);

const server = createServer(middleware);
server.listen(port, '127.0.0.1', () => console.log(`postgraphile: http://127.0.0.1:${port}/graphql`));

function stop() {
  server.close();
  server.closeIdleConnections();
  middleware
    .release()
    .then(() => pool.end())
    .finally(() => process.exit(0));
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
