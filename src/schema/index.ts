import { builder } from '../graphql/builder.ts';
import '../graphql/scalars.ts';
import '../graphql/common.ts';
import '../graphql/observation.ts';
import '../dimensions/region.ts';
import '../dimensions/age-group.ts';
import '../dimensions/substance.ts';
import '../dimensions/death-codes.ts';
import '../graphql/provenance.ts';
import '../publishing/graphql.ts';
import '../publishing/preview-graphql.ts';
import { sourceIds } from '../sources/registry.ts';

// Each source's GraphQL module registers its types, in folder order: the order types are
// registered in is the order schema.graphql prints.
for (const id of sourceIds()) await import(`../sources/${id}/graphql.ts`);
await import('./report-coverage.ts');

// Definition order, not alphabetical: enum values keep their meaningful order (DAY, MONTH, YEAR).
export const schema = builder.toSchema({ sortSchema: false });
