import { defineConfig } from 'vitest/config';

export default defineConfig({
  // One copy of graphql: some dependencies load its CommonJS build, others its ES modules, and
  // graphql refuses types from "another module or realm".
  resolve: { alias: { graphql: 'graphql/index.js' } },
  test: {
    include: ['test/**/*.test.ts'],
    // Each test file starts its own hub on its own database (embedded, or a fresh PostgreSQL
    // database when DATABASE_URL is set); two at a time fit the 2-core machines.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
