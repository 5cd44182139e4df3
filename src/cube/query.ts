import type { Database } from '../db/database.ts';
import type { CubeDefinition, CubeDimension, CubeQuery, CubeRow } from './definition.ts';
import { CubeQueryError, listForMessage } from './errors.ts';
import { breakdownKey, type CubeMetadata, seriesKey } from './metadata.ts';
import type { ReadView } from './read-view.ts';

const identifier = (name: string) => `"${name}"`;

/** The dimensions a query breaks down: listed in `by:`, filtered with codes, or without a total. */
function brokenDown(cube: CubeDefinition, query: CubeQuery): CubeDimension[] {
  const by = new Set(query.by ?? []);
  return cube.dimensions.filter((dimension) => {
    if (dimension.total === undefined) return false;
    const codes = query.filters[dimension.argument];
    if (codes?.length) return codes.some((code) => code !== dimension.total);
    return by.has(dimension.name);
  });
}

/**
 * Checks a query against what the cube has published and throws a CubeQueryError naming the
 * argument and the valid values: unknown codes, inverted or uncovered year ranges, and
 * breakdowns the source never published.
 */
export function validateCubeQuery(cube: CubeDefinition, metadata: CubeMetadata, query: CubeQuery): void {
  for (const dimension of cube.dimensions) {
    const codes = query.filters[dimension.argument];
    if (!codes) continue;
    const known = metadata.codes.get(dimension.argument);
    if (codes.every((code) => known?.has(code))) continue;
    const valid = [...(known ?? [])];
    const unknown = codes.filter((code) => !known?.has(code));
    throw new CubeQueryError(
      'UNKNOWN_CODE',
      `${cube.field}: unknown ${dimension.argument} code ${listForMessage(unknown)}. Valid codes: ${valid.join(', ')}.`,
      { argument: dimension.argument, unknown, valid },
    );
  }
  const { from, to } = query;
  if (from != null && to != null && from > to) {
    throw new CubeQueryError('INVALID_RANGE', `${cube.field}: from (${from}) must not be after to (${to}).`, {
      argument: 'from',
    });
  }
  const series = metadata.series.get(seriesKey(cube, query.series));
  const seriesLabel = cube.series.map(({ column }) => query.series[column]).join(', ');
  if (!series) {
    const published = [...metadata.series.keys()].map((key) => key.replaceAll('|', ', '));
    throw new CubeQueryError(
      'BREAKDOWN_NOT_PUBLISHED',
      `${cube.field}: nothing has been published for ${seriesLabel}. Published: ${published.join('; ')}.`,
    );
  }
  if ((from != null && from > series.lastYear) || (to != null && to < series.firstYear)) {
    throw new CubeQueryError(
      'OUT_OF_COVERAGE',
      `${cube.field}${seriesLabel ? ` (${seriesLabel})` : ''} covers ${series.firstYear}–${series.lastYear}; ` +
        `from: ${from ?? '-'} to: ${to ?? '-'} lies wholly outside it.`,
      {
        argument: from != null && from > series.lastYear ? 'from' : 'to',
        firstYear: series.firstYear,
        lastYear: series.lastYear,
      },
    );
  }
  const requested = breakdownKey(brokenDown(cube, query).map((dimension) => dimension.name));
  if (!series.breakdowns.has(requested)) {
    const published = [...series.breakdowns].sort().map((key) => key || '(no breakdown: totals)');
    throw new CubeQueryError(
      'BREAKDOWN_NOT_PUBLISHED',
      `${cube.field}${seriesLabel ? ` (${seriesLabel})` : ''}: no figures were published broken down by ` +
        `${requested.replaceAll('+', ' and ')}. Published breakdowns: ${published.map((p) => p.replaceAll('+', ' × ')).join(', ')}.`,
      { argument: 'by', published },
    );
  }
}

/**
 * Parameters of one statement: `add` returns the placeholder of a value. They go to PostgreSQL
 * untyped, so a code compares in its column's own type (an enum, text) and the column's indexes
 * apply; a `column::text` comparison would rule them out.
 */
class Parameters {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
  /** `column = $n` for one code (keeps the index order usable), `column = ANY($n)` for several. */
  oneOf(column: string, codes: readonly string[]): string {
    return codes.length === 1 ? `${column} = ${this.add(codes[0])}` : `${column} = ANY(${this.add([...codes])})`;
  }
}

/**
 * Row properties only one GraphQL field reads: a statement whose question selects none of them
 * leaves them out (fewer columns to send and parse on every row of a dashboard's answer). A row's
 * source and publication date come from the release catalogue, only when asked for.
 */
const OPTIONAL_COLUMNS = [
  { field: 'status', readBy: 'status' },
  { field: 'qualifier', readBy: 'qualifier' },
  { field: 'sourceId', readBy: 'source' },
  { field: 'publishedAt', readBy: 'revisions' },
] as const;

/** Statement texts by cube and shape (conditions with their placeholders, order, columns). */
const statementsByShape = new WeakMap<CubeDefinition, Map<string, string>>();
const MAX_SHAPES = 1000;

/** The text of a cube statement of one shape (see selectCells); its parameters are already numbered. */
function cellsStatement(
  cube: CubeDefinition,
  query: CubeQuery,
  shape: {
    conditions: readonly string[];
    limit: string;
    /**
     * The placeholder of the visible releases, latest first (a text array); undefined where the
     * rows marked current answer (see currentRowsAnswer): the conditions then select those.
     */
    releases: string | undefined;
    byValue: boolean;
    asked(field: string): boolean;
    leftOut: ReadonlySet<string>;
    fixed: ReadonlySet<string>;
  },
): string {
  const { conditions, limit, releases, byValue, asked, leftOut, fixed } = shape;
  // The cell key in the order the answer is sorted by (year first).
  const keyColumns = [cube.year, ...(cube.yearFrom ? [cube.yearFrom] : []), ...cube.series, ...cube.dimensions];
  const cellKey = keyColumns.map(({ column }) => `o.${identifier(column)}`);
  const selected = [
    ...cube.series,
    ...(cube.yearFrom ? [cube.yearFrom] : []),
    cube.year,
    ...cube.dimensions,
    ...cube.values.filter(({ field, whenAsked }) => (!whenAsked || asked(field)) && !leftOut.has(field)),
  ]
    .filter(({ field }) => !fixed.has(field))
    .map(({ column, field }) => `o.${identifier(column)} AS ${identifier(field)}`);
  const outerOrder = [
    ...(byValue ? [`cell.value ${query.order === 'VALUE_DESC' ? 'DESC' : 'ASC'} NULLS LAST`] : []),
    ...[cube.year, ...(cube.yearFrom ? [cube.yearFrom] : []), ...cube.series, ...(cube.order ?? []), ...cube.dimensions]
      .filter(({ field }) => !fixed.has(field))
      .map(({ field }) => `cell.${identifier(field)}`),
  ];
  const picked = [...selected, 'o.release_id AS "releaseId"'].join(', ');
  const from = `FROM ${identifier(cube.table)} o WHERE ${conditions.join(' AND ')}`;
  // A release's place in the visible ones is its rank: the first one answers its cells.
  const rank = (row: string) => `array_position(${releases}::text[], ${row}.release_id)`;
  const latestFirst = `${rank('o')}, o.id`;

  // With a LIMIT on cells in key order, the first N distinct cells are the answer: read them in
  // index order and stop, then pick each one's latest row (one index lookup per cell). Sorting
  // every matching row by release first would cost the whole filter, whatever N is.
  const streamable = limit && !byValue && !cube.order?.length;
  // A ranking (by value, with a LIMIT) keeps the rows no live release supersedes for their cell,
  // in value order, and stops at the LIMIT: with an index by value it reads about N rows, not
  // every cell (the cell key columns are NOT NULL: they make up the table's unique key).
  const valueColumn = cube.values.find(({ field }) => field === 'value')?.column ?? 'value';
  const tieOrder = [
    cube.year,
    ...(cube.yearFrom ? [cube.yearFrom] : []),
    ...cube.series,
    ...(cube.order ?? []),
    ...cube.dimensions,
  ].map(({ column }) => `o.${identifier(column)}`);
  const sameCell = keyColumns.map(({ column }) => `n.${identifier(column)} = o.${identifier(column)}`);
  const ranking = limit && byValue;
  const valueOrder = `o.${identifier(valueColumn)} ${query.order === 'VALUE_DESC' ? 'DESC' : 'ASC'} NULLS LAST`;
  if (!releases) {
    // One marked row per cell: the rows are the cells. With a LIMIT, in the order it applies to.
    const limited = ranking
      ? `ORDER BY ${[valueOrder, ...tieOrder].join(', ')} ${limit}`
      : streamable
        ? `ORDER BY ${cellKey.join(', ')} ${limit}`
        : '';
    return `SELECT v.version::text AS "dataVersion", cell.*
    FROM data_version v LEFT JOIN LATERAL (SELECT ${picked} ${from} ${limited}) cell ON true
    ORDER BY ${outerOrder.join(', ')} ${ranking || streamable ? '' : limit}`;
  }
  const cellsSql = ranking
    ? `SELECT ${picked} ${from}
        AND NOT EXISTS (
          SELECT 1 FROM ${identifier(cube.table)} n
          WHERE ${sameCell.join(' AND ')} AND n.release_id = ANY(${releases}::text[])
            AND (${rank('n')}, n.id) < (${rank('o')}, o.id)
        )
      ORDER BY ${[valueOrder, ...tieOrder].join(', ')} ${limit}`
    : streamable
      ? `SELECT cell.* FROM (
        SELECT DISTINCT ${cellKey.join(', ')} ${from}
        ORDER BY ${cellKey.join(', ')} ${limit}
      ) c CROSS JOIN LATERAL (
        SELECT ${picked} ${from}
          AND ${keyColumns.map(({ column }) => `o.${identifier(column)} = c.${identifier(column)}`).join(' AND ')}
        ORDER BY ${latestFirst} LIMIT 1
      ) cell`
      : `SELECT DISTINCT ON (${cellKey.join(', ')}) ${picked} ${from}
        ORDER BY ${cellKey.join(', ')}, ${latestFirst}`;
  // The data version in the same snapshot as the cells; one row (of nulls) when there are none.
  return `SELECT v.version::text AS "dataVersion", cell.*
    FROM data_version v LEFT JOIN LATERAL (${cellsSql}) cell ON true
    ORDER BY ${outerOrder.join(', ')} ${ranking || streamable ? '' : limit}`;
}

/**
 * The cells a query asks for, each from the latest release visible in `view` (public by its
 * instant, or under embargo for a key scoped to the source), published by `asOf` (default: now)
 * and not withdrawn by then. "Latest" and `asOf` are one rule: DISTINCT ON the cell key, ranked
 * by the catalogue's releases; while every standing release is visible (and no `asOf`), its
 * answer is the row of each cell the database marks current, which the statement selects instead.
 * Where one release prints a cell in several tables, the first one stored answers. One statement,
 * sent with `pg` (the hot path of every cube field: no ORM in between); it reads the data version
 * in the same snapshot as the cells and reports it to the view.
 */
export async function selectCells<Row extends CubeRow>(
  db: Pick<Database, 'readRows'>,
  cube: CubeDefinition,
  query: CubeQuery,
  view: ReadView,
): Promise<Row[]> {
  const by = new Set(query.by ?? []);
  const params = new Parameters();
  const conditions: string[] = [];
  // Columns the conditions fix to one code: every row has that code, so the statement does not
  // send it back; the rows get it from here (a dashboard's cells carry half as many columns).
  const fixed: Record<string, string> = {};
  for (const { column, field } of cube.series) {
    const code = query.series[column] as string;
    conditions.push(`o.${identifier(column)} = ${params.add(code)}`);
    fixed[field] = code;
  }
  for (const dimension of cube.dimensions) {
    const column = `o.${identifier(dimension.column)}`;
    const codes = query.filters[dimension.argument];
    if (codes?.length) {
      conditions.push(params.oneOf(column, codes));
      if (codes.length === 1) fixed[dimension.field] = codes[0] as string;
    } else if (dimension.total === undefined) continue;
    else if (by.has(dimension.name)) {
      if (!dimension.totalIsReference) conditions.push(`${column} <> ${params.add(dimension.total)}`);
    } else {
      conditions.push(`${column} = ${params.add(dimension.total)}`);
      fixed[dimension.field] = dimension.total;
    }
  }
  const year = `o.${identifier(cube.year.column)}`;
  if (query.from != null) conditions.push(`${year} >= ${params.add(query.from)}`);
  if (query.to != null) conditions.push(`${year} <= ${params.add(query.to)}`);
  const byValue = query.order === 'VALUE_DESC' || query.order === 'VALUE_ASC';
  const limit = query.limit != null ? `LIMIT ${params.add(Math.max(0, query.limit))}` : '';
  const asked = (field: string) => !query.fields || query.fields.has(field);
  const leftOut = OPTIONAL_COLUMNS.filter(({ readBy }) => !asked(readBy)).map(({ field }) => field);

  /**
   * The statement. A release answers when visible, published by asOf (default: now) and not
   * withdrawn by then: the catalogue lists those, latest first, as the last parameter (no join to
   * `release`). Where they are every standing release, none: each cell's row is the one the
   * database marks current.
   */
  const statement = (releaseIds: string | undefined) => {
    const values = releaseIds === undefined ? params.values : [...params.values, releaseIds];
    const releases = releaseIds === undefined ? undefined : `$${values.length}`;
    const where = [...conditions, releases ? `o.release_id = ANY(${releases}::text[])` : 'o.is_current'];
    // The text depends only on the statement's shape: built once per shape, so a repeated question
    // costs its parameters (and pg and the statement name find the very same string again).
    const shape = `${where.join(' AND ')}\n${query.order ?? ''}\n${limit}\n${leftOut.join()}\n${cube.values
      .filter(({ whenAsked, field }) => whenAsked && asked(field))
      .map(({ field }) => field)
      .join()}`;
    let shapes = statementsByShape.get(cube);
    if (!shapes) {
      shapes = new Map();
      statementsByShape.set(cube, shapes);
    }
    let text = shapes.get(shape);
    if (!text) {
      text = cellsStatement(cube, query, {
        conditions: where,
        limit,
        releases,
        byValue,
        asked,
        leftOut: new Set(leftOut),
        fixed: new Set(Object.keys(fixed)),
      });
      if (shapes.size >= MAX_SHAPES) shapes.clear();
      shapes.set(shape, text);
    }
    return { text, values };
  };
  // On a replica that has replayed what the hub heard, else on the primary; prepared once per
  // connection where names are safe (not on PGlite, not behind a transaction pooler).
  const read = (releaseIds: string | undefined) =>
    db.readRows<Row & { dataVersion: string }>(statement(releaseIds), view.heard, { cube, ...fixed });
  let catalogue = view.releases;
  const marked = catalogue.currentRowsAnswer(view, query.asOf);
  let rows = await read(marked ? undefined : catalogue.visibleIds(view, query.asOf));
  // Data newer than the hub had heard of may hold releases its catalogue lacks, and marks made
  // for releases it does not know (under embargo, say): read again by the catalogue's releases,
  // caught up where the view can.
  if (rows[0] && rows[0].dataVersion !== view.heard && (view.catchUp || marked)) {
    if (view.catchUp) catalogue = await view.catchUp();
    rows = await read(catalogue.visibleIds(view, query.asOf));
  }
  const [first] = rows;
  if (first) view.saw(first.dataVersion);
  if (first?.releaseId == null) return [];
  // In place (the rows are fresh), only where asked for.
  if (!leftOut.includes('sourceId') || !leftOut.includes('publishedAt')) {
    for (const row of rows) {
      const release = catalogue.release(row.releaseId);
      if (!release) continue;
      row.sourceId = release.sourceId;
      row.publishedAt = release.publishedAt;
    }
  }
  view.served?.(rows.map((row) => row.releaseId));
  return rows;
}
