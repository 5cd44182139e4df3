import type { DownloadCell, DownloadTable } from './table.ts';

interface Category {
  index: string[];
  label: Record<string, string>;
}

/** What JSON-stat readers ignore but a researcher needs per value: its full provenance. */
interface CellExtension {
  unit: string;
  qualifier: string;
  releaseId: string;
  reference: string | null;
  note: string | null;
  [measure: string]: string | number | null;
}

/**
 * A JSON-stat 2.0 dataset: the year and every dimension with its categories and labels, a status
 * per value, and in `extension` the releases (with citations), the sources (with licence and
 * attribution) and each value's unit, qualifier, release and further measures. Values are an
 * array when every combination of categories has a cell, else an object keyed by index.
 */
export function toJsonStat(table: DownloadTable, href: string) {
  const { cube, cells } = table;
  const all = ['year', ...cube.dimensions.map((d) => d.field)];
  const codesOf = (cell: DownloadCell) => [cell.period, ...cell.dimensions.map((d) => d.code)];
  const attributes = dependentFields(all, cells.map(codesOf));
  const kept = all.map((_, i) => i).filter((i) => !attributes.has(i));
  const ids = kept.map((i) => all[i] ?? '');
  const categories = kept.map((): Category => ({ index: [], label: {} }));
  const add = (position: number, code: string, label: string) => {
    const category = categories[position];
    if (category && !(code in category.label)) {
      category.index.push(code);
      category.label[code] = label;
    }
  };
  const periods = [...cells].sort((a, b) => a.year - b.year || (a.yearFrom ?? a.year) - (b.yearFrom ?? b.year));
  for (const cell of periods) add(0, cell.period, cell.period);
  for (const cell of cells) {
    kept.slice(1).forEach((i, position) => {
      const dimension = cell.dimensions[i - 1];
      if (dimension) add(position + 1, dimension.code, dimension.label);
    });
  }
  const size = categories.map((category) => category.index.length);
  const positions = categories.map((category) => new Map(category.index.map((code, i) => [code, i])));

  const indexOf = (cell: DownloadCell) =>
    kept
      .map((i) => codesOf(cell)[i] ?? '')
      .reduce((index, code, i) => index * (size[i] ?? 0) + (positions[i]?.get(code) ?? 0), 0);
  const value: Record<string, number | null> = {};
  const status: Record<string, string> = {};
  const extension: Record<string, CellExtension> = {};
  for (const cell of cells) {
    const index = indexOf(cell);
    if (index in value) throw new Error(`${cube.name}: two cells share the categories of cell ${index}`);
    value[index] = cell.value;
    status[index] = cell.status;
    extension[index] = {
      unit: cell.unit,
      qualifier: cell.qualifier,
      releaseId: cell.release.id,
      reference: cell.reference,
      note: cell.note,
      ...Object.fromEntries(cube.measures.map((measure, i) => [measure, cell.measures[i] ?? null])),
    };
  }
  const total = size.reduce((product, n) => product * n, 1);
  const dense = cells.length === total;
  const asList = <T>(record: Record<string, T>) =>
    dense ? Array.from({ length: total }, (_, i) => record[i] ?? null) : record;
  const sourceLabel = table.sources.map((source) => source.attribution).join(' ');
  return {
    version: '2.0',
    class: 'dataset',
    href,
    label: `${cube.name}: ${cube.description}`,
    source: sourceLabel,
    updated: table.releases
      .map((release) => release.publishedAt)
      .sort()
      .at(-1),
    id: ids,
    size,
    role: {
      time: ['year'],
      ...(cube.dimensions.some((d) => d.field === 'region') ? { geo: ['region'] } : {}),
    },
    dimension: Object.fromEntries(ids.map((id, i) => [id, { label: id, category: categories[i] }])),
    value: asList(value),
    status: asList(status),
    note: table.sources.map((source) => source.attribution),
    extension: {
      field: cube.name,
      lang: table.lang,
      // Fields that follow from a dimension (a site's country): the category each belongs to.
      attributes: Object.fromEntries(
        [...attributes].map(([i, of]) => [
          all[i],
          {
            of: all[of],
            values: Object.fromEntries(cells.map((cell) => [codesOf(cell)[of], cell.dimensions[i - 1]])),
          },
        ]),
      ),
      releases: table.releases,
      sources: table.sources,
      cells: extension,
    },
  };
}

/**
 * Fields whose code follows from another dimension's (a site's country, a substance's
 * metabolite), mapped to that dimension. As dimensions they would multiply the size of the cube
 * without adding a cell; a field with one category costs nothing and stays.
 */
function dependentFields(ids: string[], rows: string[][]): Map<number, number> {
  const distinct = ids.map((_, i) => new Set(rows.map((row) => row[i])).size);
  const dependent = new Map<number, number>();
  for (let i = 1; i < ids.length; i++) {
    const distinctI = distinct[i] ?? 0;
    if (distinctI < 2) continue;
    const of = ids.findIndex((_, j) => {
      if (j === i || dependent.has(j) || (distinct[j] ?? 0) < distinctI) return false;
      const seen = new Map<string, string | undefined>();
      return rows.every((row) => {
        const [key, value] = [row[j] ?? '', row[i]];
        if (!seen.has(key)) seen.set(key, value);
        return seen.get(key) === value;
      });
    });
    if (of >= 0) dependent.set(i, of);
  }
  return dependent;
}
