import { type ColumnType, type DownloadColumn, downloadColumns, MISSING_VALUE } from './columns.ts';
import type { CubeField } from './cube-fields.ts';

/** The codes of a codelist: the `code` of every row of a Prisma model. */
export type CodelistCodes = (model: string) => Promise<readonly string[]>;

/** A field of a Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/). */
export interface TableSchemaField {
  name: string;
  type: ColumnType;
  format: 'default';
  description: string;
  constraints?: { required?: true; enum?: string[] };
}

export interface TableSchema {
  fields: TableSchemaField[];
  primaryKey: string[];
  missingValues: string[];
}

/**
 * The Table Schema of a download's CSV, from the same column list the CSV is written with: each
 * column's type (codes are strings), the values of enums and codelists as `enum` constraints, the
 * period and codes that identify a row as its primary key, and the way the CSV writes a missing value.
 */
export async function tableSchema(cube: CubeField, codelistCodes: CodelistCodes): Promise<TableSchema> {
  const columns = downloadColumns(cube);
  const fields = await Promise.all(columns.map((column) => schemaField(column, codelistCodes)));
  const primaryKey = columns.filter((column) => column.key).map((column) => column.name);
  return { fields, primaryKey, missingValues: [MISSING_VALUE] };
}

async function schemaField(column: DownloadColumn, codelistCodes: CodelistCodes): Promise<TableSchemaField> {
  const values = column.values
    ? 'enum' in column.values
      ? column.values.enum
      : await codelistCodes(column.values.codelistModel)
    : undefined;
  const constraints = {
    ...(column.required ? { required: true as const } : {}),
    ...(values?.length ? { enum: [...values] } : {}),
  };
  return {
    name: column.name,
    type: column.type,
    format: 'default',
    description: column.description,
    ...(Object.keys(constraints).length ? { constraints } : {}),
  };
}
