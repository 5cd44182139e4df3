import { builder } from './builder.ts';

// The units of observation values. The shared ones below are the Unit enum's first values, in
// this order (clients rely on them); a source that needs another declares it from its own
// folder with declareUnit, so adding a unit edits no shared file.

const SHARED_UNITS = {
  COUNT: 'A number of cases, e.g. deaths.',
  PERCENT: 'A percentage.',
  PER_100K: 'A rate per 100 000 inhabitants.',
  PER_1000: 'A rate per 1 000 inhabitants.',
  PERSONS: 'A number of persons (estimates).',
  MG_PER_1000_PER_DAY: 'Milligrams per 1 000 inhabitants per day (wastewater loads).',
  YEARS: 'Years of age.',
} as const;

export type SharedUnit = keyof typeof SHARED_UNITS;

/** A unit a source declared with declareUnit (its name, marked so that only declared names pass). */
export type DeclaredUnit<Name extends string = string> = Name & { readonly declaredUnit: true };

/** What an observation's `unit` field answers: a shared unit or one a source declared. */
export type UnitValue = SharedUnit | DeclaredUnit;

const UNIT_NAME = /^[A-Z][A-Z0-9_]*$/;

/** The enum values as Pothos keeps them once normalised (what `updateConfig` replaces). */
const normalisedValues = (units: Map<string, string>) =>
  Object.fromEntries([...units].map(([name, description]) => [name, { description, pothosOptions: { description } }]));

const descriptions = new Map<string, string>(Object.entries(SHARED_UNITS));

const createUnitEnum = () =>
  builder.enumType('Unit', {
    description: 'The unit of an observation value.',
    values: Object.fromEntries([...descriptions].map(([name, description]) => [name, { description }])),
  });
let unitEnumRef: ReturnType<typeof createUnitEnum> | undefined;

/**
 * The Unit enum, created on the first call: common.ts calls it where the enum has always been
 * registered, so schema.graphql prints it in the same place.
 */
export function unitEnum() {
  unitEnumRef ??= createUnitEnum();
  return unitEnumRef;
}

// The schema is built once, after every source's GraphQL module has run: a unit declared later
// would silently be missing from it, so declareUnit refuses.
let schemaBuilt = false;
builder.configStore.onPrepare(() => {
  schemaBuilt = true;
});

/**
 * Adds a unit to the Unit enum, after the shared ones and the units declared before it (sources
 * in folder order). Call it at the top level of a source's GraphQL type file; declaring the same
 * unit again with the same description returns it again.
 */
export function declareUnit<const Name extends string>(name: Name, description: string): DeclaredUnit<Name> {
  if (!UNIT_NAME.test(name)) {
    throw new Error(
      `declareUnit: "${name}" is not a unit name: use A-Z, 0-9 and _, starting with a letter (KILOGRAMS)`,
    );
  }
  if (!description.trim()) throw new Error(`declareUnit: unit ${name} needs a description (what the values count)`);
  const existing = descriptions.get(name);
  if (existing !== undefined && existing !== description) {
    throw new Error(`declareUnit: unit ${name} is already declared, as "${existing}"`);
  }
  if (existing === undefined) {
    if (schemaBuilt) {
      throw new Error(
        `declareUnit: unit ${name} is declared after the schema was built; call declareUnit at the top level of the source's GraphQL module`,
      );
    }
    descriptions.set(name, description);
    unitEnumRef?.updateConfig((config) => ({ ...config, values: normalisedValues(descriptions) }));
  }
  return name as DeclaredUnit<Name>;
}
