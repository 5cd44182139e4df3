import { builder } from './builder.ts';
import './scalars.ts';
import './common.ts';
import './observation.ts';
import '../dimensions/region.ts';
import '../dimensions/age-group.ts';
import '../dimensions/substance.ts';
import '../dimensions/death-codes.ts';
import '../sources/source-types.ts';
import '../publishing/graphql.ts';
import { loadSourceModules } from '../sources/registry.ts';

/** The source modules, in folder order; importing them registered their types. */
export const sourceModules = await loadSourceModules();

// Definition order, not alphabetical: enum values keep their meaningful order (DAY, MONTH, YEAR).
export const schema = builder.toSchema({ sortSchema: false });
