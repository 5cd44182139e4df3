// `npm run bench`: PostGraphile 4 as the hub's peer, in its own process, serving the schema
// `bench_peer` (views.sql) at POST /graphql. It runs with the dependencies of this folder
// (graphql 15: PostGraphile 4 does not run on the hub's graphql 16) and the option set PostGraphile's
// docs recommend for production (no GraphiQL, no query log, no watch, dynamic JSON, non-null setof
// rows, RBAC respected, connections without legacy list relations, errcode in errors), less
// subscriptions (none here) and pg-simplify-inflector (it only renames: `allRegions` to `regions`);
// no default mutations (the views are read-only data here); fail at once if the database is not
// ready rather than retry.
//   PORT          the port on 127.0.0.1 (default 5000)
//   DATABASE_URL  the database holding the hub's tables and views.sql
//   PG_POOL_MAX   connections in the pool (default 10, as the hub's bench pool)
import { createServer } from 'node:http';
import pg from 'pg';
import { postgraphile } from 'postgraphile';

const port = Number(process.env.PORT ?? 5000);
const connectionString = process.env.DATABASE_URL;
if (!connectionString) throw new Error('postgraphile: DATABASE_URL is not set');

const pool = new pg.Pool({ connectionString, max: Number(process.env.PG_POOL_MAX ?? 10) });

const middleware = postgraphile(pool, 'bench_peer', {
  graphiql: false,
  enhanceGraphiql: false,
  watchPg: false,
  disableQueryLog: true,
  dynamicJson: true,
  setofFunctionsContainNulls: false,
  ignoreRBAC: false,
  legacyRelations: 'omit',
  disableDefaultMutations: true,
  extendedErrors: ['errcode'],
  showErrorStack: false,
  retryOnInitFail: false,
  enableQueryBatching: true,
});

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
