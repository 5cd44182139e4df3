import { readFileSync } from 'node:fs';
import { getNamedType, isEnumType, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { printedSchema, SCHEMA_FILE } from '../scripts/print-schema.ts';
import { schema } from '../src/schema/index.ts';

describe('schema.graphql', () => {
  it('is current (run `npm run schema:print` after changing the schema)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(printedSchema());
  });

  it('describes every type, field, argument and enum value', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('keeps the names of the API contract', () => {
    const query = schema.getQueryType()!.getFields();
    for (const field of ['sources', 'substances', 'substance', 'regions', 'region', 'drugDeaths', 'drugDeathRates']) {
      expect(query[field], field).toBeDefined();
    }
    expect(query.drugDeaths!.args.map((a) => a.name)).toEqual(
      expect.arrayContaining(['region', 'sex', 'ageGroup', 'cause', 'intent', 'from', 'to', 'by', 'asOf']),
    );
    expect(getNamedType(query.drugDeaths!.type).name).toBe('DrugDeathObservation');
  });
});
