import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * GraphQL Code Generator for a front-end of rusdata: typed operations with the client preset.
 * From the repository root: `npx graphql-codegen --config examples/codegen.ts` (writes examples/gql/).
 * In a project of your own, point `schema` at the hub ('https://<hub>/graphql') or at a copy of
 * schema.graphql, and `documents` at your sources.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['examples/*.ts', '!examples/codegen.ts'],
  generates: {
    'examples/gql/': {
      preset: 'client',
      config: {
        // Dates travel as strings: Date "2025-10-28", DateTime ISO 8601 "2025-10-28T08:00:00Z".
        // An upload (publishRelease's file) is a File, i.e. a Blob; it is never returned.
        scalars: { Date: 'string', DateTime: 'string', File: { input: 'Blob', output: 'never' } },
        // A scalar without a mapping above is an error, not `unknown`.
        strictScalars: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
