// datapackage and tableschema (Frictionless, JavaScript) ship no types; these are the parts the tests use.
declare module 'datapackage' {
  import type { Schema } from 'tableschema';
  export class Resource {
    name: string;
    valid: boolean;
    errors: Error[];
    descriptor: Record<string, unknown>;
    source: string;
    schema: Schema;
    read(options?: { keyed?: boolean; cast?: boolean }): Promise<Record<string, unknown>[]>;
  }
  export class Package {
    static load(descriptor: string | object, basePath?: string, strict?: boolean): Promise<Package>;
    valid: boolean;
    errors: Error[];
    descriptor: Record<string, unknown>;
    resources: Resource[];
    resourceNames: string[];
    getResource(name: string): Resource | null;
  }
}

declare module 'tableschema' {
  export class Field {
    name: string;
    type: string;
    castValue(value: unknown): unknown;
    testValue(value: unknown): boolean;
  }
  export class Schema {
    static load(descriptor: object, options?: { strict?: boolean }): Promise<Schema>;
    valid: boolean;
    errors: Error[];
    fields: Field[];
    fieldNames: string[];
    getField(name: string): Field | null;
  }
  export class Table {
    static load(source: string | unknown[][], options?: { schema?: object; headers?: number }): Promise<Table>;
    headers: string[];
    read(options?: { keyed?: boolean; cast?: boolean }): Promise<Record<string, unknown>[]>;
  }
  export function validate(descriptor: object): Promise<{ valid: boolean; errors: Error[] }>;
}
