import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSchema } from 'graphql';
import { schema } from '../src/schema/index.ts';

// `npm run schema:print` writes schema.graphql; `npm run schema:check` fails when it is stale.
export const SCHEMA_FILE = join(import.meta.dirname, '../schema.graphql');
export const printedSchema = () => `${printSchema(schema)}\n`;

if (process.argv[1] === import.meta.filename) {
  if (process.argv.includes('--check')) {
    if (readFileSync(SCHEMA_FILE, 'utf8') !== printedSchema()) {
      console.error('schema.graphql is stale: run `npm run schema:print` and commit it.');
      process.exit(1);
    }
    console.log('schema.graphql is current.');
  } else {
    writeFileSync(SCHEMA_FILE, printedSchema());
    console.log(`wrote ${SCHEMA_FILE}`);
  }
}
