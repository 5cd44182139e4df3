import type { CubeField } from './cube-fields.ts';
import type { DownloadCell, DownloadSource } from './table.ts';

/** How the CSV writes a missing value (a suppressed value, a cell without a note): an empty field. */
export const MISSING_VALUE = '';

/** Table Schema types the CSV's columns hold. */
export type ColumnType = 'integer' | 'number' | 'string' | 'date';

/**
 * The values a column may hold: the values of an enum of the schema, or the codes of a codelist
 * (the rows of a Prisma model, read when a schema is built, as they change with the data).
 */
export type ColumnValues = { enum: readonly string[] } | { codelistModel: string };

/** One column of a download's CSV: written by csv.ts and described by table-schema.ts. */
export interface DownloadColumn {
  name: string;
  type: ColumnType;
  description: string;
  /** Every row has a value (an empty cell is never written). */
  required?: boolean;
  /** Part of what identifies a row: the period and the dimensions' codes (one cell each). */
  key?: boolean;
  values?: ColumnValues;
  /** The column's value in a cell's row; null is written as MISSING_VALUE. */
  of(cell: DownloadCell, source: DownloadSource | undefined): string | number | null;
}

/**
 * The columns of a download's CSV, in order: the year (and the first year of a period), each
 * dimension as its code and its label, the value with its provenance, the field's other numbers,
 * and the release and source with licence, attribution and citation.
 */
export function downloadColumns(cube: CubeField): DownloadColumn[] {
  const describe = (field: string, fallback: string) => cube.fieldDescriptions[field] ?? fallback;
  const { enums } = cube;
  return [
    {
      name: 'year',
      type: 'integer',
      required: true,
      key: true,
      description: describe('year', 'The year'),
      of: (cell) => cell.year,
    },
    ...(cube.hasPeriodStart
      ? [
          {
            name: 'yearFrom',
            type: 'integer',
            required: true,
            key: true,
            description: describe('yearFrom', 'The first year of a period'),
            of: (cell) => cell.yearFrom,
          } satisfies DownloadColumn,
        ]
      : []),
    ...cube.dimensions.flatMap((dimension, i): DownloadColumn[] => {
      const values: ColumnValues | undefined = dimension.enumLabels
        ? { enum: [...dimension.enumLabels.keys()] }
        : dimension.codelistModel
          ? { codelistModel: dimension.codelistModel }
          : undefined;
      return [
        {
          name: dimension.field,
          // Codes are strings: "03" is Oslo, not the number 3.
          type: 'string',
          required: true,
          key: true,
          description: `${dimension.description} (code)`,
          values,
          of: (cell) => cell.dimensions[i]?.code ?? null,
        },
        {
          name: `${dimension.field}Label`,
          type: 'string',
          description: `${dimension.description} (label in the language asked)`,
          of: (cell) => cell.dimensions[i]?.label ?? null,
        },
      ];
    }),
    { name: 'value', type: 'number', description: describe('value', 'The value'), of: (cell) => cell.value },
    {
      name: 'unit',
      type: 'string',
      required: true,
      description: describe('unit', 'The unit'),
      values: { enum: enums.unit },
      of: (cell) => cell.unit,
    },
    {
      name: 'status',
      type: 'string',
      required: true,
      description: describe('status', 'Status of the value'),
      values: { enum: enums.status },
      of: (cell) => cell.status,
    },
    {
      name: 'qualifier',
      type: 'string',
      required: true,
      description: describe('qualifier', 'How exact the printed figure is'),
      values: { enum: enums.qualifier },
      of: (cell) => cell.qualifier,
    },
    ...cube.measures.map(
      (measure, i): DownloadColumn => ({
        name: measure,
        type: cube.measureTypes[measure] ?? 'number',
        description: describe(measure, measure),
        of: (cell) => cell.measures[i] ?? null,
      }),
    ),
    {
      name: 'reference',
      type: 'string',
      description: describe('reference', 'Where the value was printed'),
      of: (cell) => cell.reference,
    },
    { name: 'note', type: 'string', description: describe('note', 'A remark'), of: (cell) => cell.note },
    {
      name: 'releaseId',
      type: 'string',
      required: true,
      description: 'The release the value comes from (Release.id)',
      of: (cell) => cell.release.id,
    },
    {
      name: 'releaseDate',
      type: 'date',
      required: true,
      description: 'The publication date of the release',
      of: (cell) => cell.release.publishedAt,
    },
    {
      name: 'releaseStatus',
      type: 'string',
      required: true,
      description: 'Whether the release is preliminary or final',
      values: { enum: enums.releaseStatus },
      of: (cell) => cell.release.status,
    },
    {
      name: 'source',
      type: 'string',
      required: true,
      description: 'The source the value comes from (Source.id)',
      of: (cell) => cell.sourceId,
    },
    {
      name: 'licence',
      type: 'string',
      description: "The licence the source's publisher states; empty where none is stated",
      of: (_cell, source) => source?.licence ?? null,
    },
    {
      name: 'attribution',
      type: 'string',
      description: 'The credit line every reuse must carry',
      of: (_cell, source) => source?.attribution ?? null,
    },
    {
      name: 'citation',
      type: 'string',
      description: 'The release as a reference to paste into a paper',
      of: (cell) => cell.release.citation,
    },
  ];
}
