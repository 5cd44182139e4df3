import { stringify } from 'csv-stringify/sync';
import type { DownloadTable } from './table.ts';

/**
 * RFC 4180 CSV (CRLF, quotes where needed), one row per cell. Each dimension is two columns, its
 * code and its label. The licence, attribution and citation are columns of every row rather than
 * `#` comment lines: spreadsheet programs and CSV readers in their default settings read extra
 * columns but take a comment line for a broken row.
 */
export function toCsv(table: DownloadTable): string {
  const { cube } = table;
  const sources = new Map(table.sources.map((source) => [source.id, source]));
  const header = [
    'year',
    ...(cube.hasPeriodStart ? ['yearFrom'] : []),
    ...cube.dimensions.flatMap((d) => [d.field, `${d.field}Label`]),
    'value',
    'unit',
    'status',
    'qualifier',
    ...cube.measures,
    'reference',
    'note',
    'releaseId',
    'releaseDate',
    'releaseStatus',
    'source',
    'licence',
    'attribution',
    'citation',
  ];
  const rows = table.cells.map((cell) => {
    const source = sources.get(cell.sourceId);
    return [
      cell.year,
      ...(cube.hasPeriodStart ? [cell.yearFrom] : []),
      ...cell.dimensions.flatMap(({ code, label }) => [code, label]),
      cell.value,
      cell.unit,
      cell.status,
      cell.qualifier,
      ...cell.measures,
      cell.reference,
      cell.note,
      cell.release.id,
      cell.release.publishedAt,
      cell.release.status,
      cell.sourceId,
      source?.licence ?? null,
      source?.attribution ?? null,
      cell.release.citation,
    ];
  });
  return stringify([header, ...rows], { record_delimiter: 'windows' });
}
