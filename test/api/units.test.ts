import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareUnit } from '../../src/graphql/units.ts';
import type { TestHub } from '../helpers/hub.ts';

// A source that needs a unit of its own declares it from its folder (src/graphql/units.ts):
// here the test file does what a source's GraphQL module does, at its top level, before the
// schema is built (the hub, imported below, builds it).

const LITRES = declareUnit('LITRES', 'Litres (a unit declared by a source).');

let hub: TestHub;
beforeAll(async () => {
  const { startTestHub } = await import('../helpers/hub.ts');
  hub = await startTestHub();
});
afterAll(() => hub.close());

interface UnitEnum {
  __type: { enumValues: { name: string; description: string }[] };
}
const UNIT_VALUES = '{ __type(name: "Unit") { enumValues { name description } } }';

describe('units', () => {
  it('a unit declared by a source is a value of Unit, with its description', async () => {
    const { __type } = await hub.data<UnitEnum>(UNIT_VALUES);
    expect(__type.enumValues).toContainEqual({ name: LITRES, description: 'Litres (a unit declared by a source).' });
  });

  it('the shared units keep their names, order and descriptions, before the declared ones', async () => {
    const { __type } = await hub.data<UnitEnum>(UNIT_VALUES);
    expect(__type.enumValues.map((value) => value.name)).toEqual([
      'COUNT',
      'PERCENT',
      'PER_100K',
      'PER_1000',
      'PERSONS',
      'MG_PER_1000_PER_DAY',
      'YEARS',
      'LITRES',
    ]);
    expect(__type.enumValues[0]).toEqual({ name: 'COUNT', description: 'A number of cases, e.g. deaths.' });
  });

  it('declaring the same unit again with the same description gives the same unit', () => {
    expect(declareUnit('LITRES', 'Litres (a unit declared by a source).')).toBe(LITRES);
  });

  it('declaring a unit again with another description is refused, with the first one quoted', () => {
    expect(() => declareUnit('PERSONS', 'People.')).toThrow(
      'declareUnit: unit PERSONS is already declared, as "A number of persons (estimates)."',
    );
  });

  it('a name that cannot be an enum value is refused, with the form a name takes', () => {
    expect(() => declareUnit('kilo grams', 'Kilograms.')).toThrow(
      'declareUnit: "kilo grams" is not a unit name: use A-Z, 0-9 and _, starting with a letter (KILOGRAMS)',
    );
  });

  it('a unit declared after the schema was built is refused, not silently left out', () => {
    expect(() => declareUnit('TONNES', 'Tonnes.')).toThrow(
      "declareUnit: unit TONNES is declared after the schema was built; call declareUnit at the top level of the source's GraphQL module",
    );
  });
});
