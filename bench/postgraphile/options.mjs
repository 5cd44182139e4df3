import ConnectionFilterPlugin from 'postgraphile-plugin-connection-filter';

// PostGraphile's options for the bench's peer (server.mjs, explain.mjs): the set PostGraphile's
// docs recommend for production (no GraphiQL, no query log, no watch, dynamic JSON, non-null setof
// rows, RBAC respected, connections without legacy list relations, errcode in errors), less
// subscriptions (none here) and pg-simplify-inflector (it only renames: `allRegions` to `regions`);
// no default mutations (the views are read-only data here); fail at once if the database is not
// ready rather than retry. postgraphile-plugin-connection-filter gives every collection a `filter`
// argument (the year range of the views configuration): the plugin PostGraphile's docs point to
// for filtering. `simpleCollections`: `omit` (connections, the default), `only` (plain lists) or
// `both`.
export const postgraphileOptions = (simpleCollections) => ({
  graphiql: false,
  enhanceGraphiql: false,
  watchPg: false,
  disableQueryLog: true,
  dynamicJson: true,
  setofFunctionsContainNulls: false,
  ignoreRBAC: false,
  legacyRelations: 'omit',
  simpleCollections,
  disableDefaultMutations: true,
  extendedErrors: ['errcode'],
  showErrorStack: false,
  retryOnInitFail: false,
  enableQueryBatching: true,
  appendPlugins: [ConnectionFilterPlugin],
});
