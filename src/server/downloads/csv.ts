import { stringify } from 'csv-stringify/sync';
import { downloadColumns, MISSING_VALUE } from './columns.ts';
import type { DownloadTable } from './table.ts';

/**
 * RFC 4180 CSV (CRLF, quotes where needed), one row per cell, in the columns of columns.ts. Each
 * dimension is two columns, its code and its label. A missing value is MISSING_VALUE. The
 * licence, attribution and citation are columns of every row rather than `#` comment lines:
 * spreadsheet programs and CSV readers in their default settings read extra columns but take a
 * comment line for a broken row.
 */
export function toCsv(table: DownloadTable): string {
  const columns = downloadColumns(table.cube);
  const sources = new Map(table.sources.map((source) => [source.id, source]));
  const rows = table.cells.map((cell) =>
    columns.map((column) => column.of(cell, sources.get(cell.sourceId)) ?? MISSING_VALUE),
  );
  return stringify([columns.map((column) => column.name), ...rows], { record_delimiter: 'windows' });
}
