import type { CubeField, DownloadLang } from './cube-fields.ts';

export interface DownloadRelease {
  id: string;
  label: string;
  status: string;
  publishedAt: string;
  citation: string;
}

export interface DownloadSource {
  id: string;
  name: string;
  publisher: string;
  url: string | null;
  licence: string | null;
  licenceUrl: string | null;
  attribution: string;
}

/** One cell of the answer, flattened: what a CSV row and a JSON-stat value both carry. */
export interface DownloadCell {
  /** The year, or "2020-2024" for a cell covering several years. */
  period: string;
  year: number;
  yearFrom: number | null;
  /** Code and label of each dimension, in the order of `CubeField.dimensions`. */
  dimensions: { code: string; label: string }[];
  value: number | null;
  unit: string;
  status: string;
  qualifier: string;
  /** In the order of `CubeField.measures`. */
  measures: (number | null)[];
  reference: string | null;
  note: string | null;
  sourceId: string;
  release: DownloadRelease;
}

/** A download's content: the cells, and the releases and sources they come from. */
export interface DownloadTable {
  cube: CubeField;
  lang: DownloadLang;
  cells: DownloadCell[];
  releases: DownloadRelease[];
  sources: DownloadSource[];
}

type Row = Record<string, unknown>;

/** Flattens the GraphQL answer of a download document (see `downloadDocument`). */
export function downloadTable(
  cube: CubeField,
  lang: DownloadLang,
  data: { rows: Row[]; sources: DownloadSource[] },
): DownloadTable {
  const cells = data.rows.map((row): DownloadCell => {
    const year = row.year as number;
    const yearFrom = cube.hasPeriodStart ? (row.yearFrom as number) : null;
    return {
      period: yearFrom != null && yearFrom !== year ? `${yearFrom}-${year}` : String(year),
      year,
      yearFrom,
      dimensions: cube.dimensions.map((dimension) => {
        const raw = row[dimension.field];
        if (dimension.kind === 'object') {
          const object = raw as Row;
          const code = String(object.code);
          return { code, label: dimension.labelField ? String(object[dimension.labelField]) : code };
        }
        const code = String(raw);
        return { code, label: dimension.enumLabels?.get(code)?.[lang] ?? code };
      }),
      value: row.value as number | null,
      unit: row.unit as string,
      status: row.status as string,
      qualifier: row.qualifier as string,
      measures: cube.measures.map((measure) => (row[measure] as number | null) ?? null),
      reference: (row.reference as string | null) ?? null,
      note: (row.note as string | null) ?? null,
      sourceId: (row.source as Row).id as string,
      release: row.release as DownloadRelease,
    };
  });
  const releases = new Map(cells.map((cell) => [cell.release.id, cell.release]));
  const used = new Set(cells.map((cell) => cell.sourceId));
  return {
    cube,
    lang,
    cells,
    releases: [...releases.values()].sort(
      (a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.id.localeCompare(b.id),
    ),
    sources: data.sources.filter((source) => used.has(source.id)),
  };
}
