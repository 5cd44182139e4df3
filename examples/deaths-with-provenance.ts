import type { ResultOf } from '@graphql-typed-document-node/core';
import { graphql } from './gql';

// A typed operation (see codegen.ts): `graphql()` returns a document whose result and variables
// are typed from the schema. Every object asks for its id, so client caches normalise it.

export const DeathsWithProvenance = graphql(`
  query DeathsWithProvenance($from: Int, $to: Int) {
    drugDeaths(from: $from, to: $to) {
      id
      year
      value
      status
      release {
        id
        label
        publishedAt
      }
    }
  }
`);

export type DeathsWithProvenanceResult = ResultOf<typeof DeathsWithProvenance>;

/** The newest publication date among the values: publishedAt is a "YYYY-MM-DD" string. */
export function newestPublication(result: DeathsWithProvenanceResult): string | undefined {
  return result.drugDeaths
    .map((death) => death.release.publishedAt)
    .sort()
    .at(-1);
}
