import { type CellKey, cellKeyOf, isPossibleKey, selectCellsByKey } from '../cube/cells-by-key.ts';
import { type CubeDefinition, type CubeRow, cellColumns } from '../cube/definition.ts';
import { findRevisions, type Revision, revisionKey } from '../cube/revisions.ts';
import type * as enums from '../db/generated/prisma/enums.ts';
import { builder } from './builder.ts';
import { Qualifier, Unit, ValueStatus } from './common.ts';
import type { Context } from './context.ts';
import { byParent, lookup } from './loaders.ts';
import { compositeKey, parseCompositeKey } from './node.ts';
import { ReleaseType, releasesById, SourceType, sourcesById } from './provenance.ts';
import type { UnitValue } from './units.ts';

/** The cubes whose rows are observations, by table: a revision's id names its cube by table. */
const observationCubes = new Map<string, CubeDefinition>();

/** The key of an observation within its type: its release and its cell. */
const observationKey = ({ releaseId, cell }: CellKey) => compositeKey([releaseId, ...cell]);

/**
 * The rows of observation keys (node ids), null for a key that names no row: the possible ones
 * in one statement (keys of a shape the cube cannot have are never sent).
 */
async function loadCells<Row extends CubeRow>(
  ctx: Context,
  cube: CubeDefinition,
  keys: readonly (CellKey | undefined)[],
): Promise<(Row | null)[]> {
  const view = await ctx.readView();
  const metadata = await ctx.cubes.get(cube, view);
  const possible = keys.filter((key): key is CellKey => key !== undefined && isPossibleKey(cube, metadata, key));
  const rows = await selectCellsByKey<Row>(ctx.db, cube, possible, view);
  view.served?.(rows.flatMap((row) => (row ? [row.releaseId] : [])));
  return keys.map((key) => (key && possible.includes(key) ? (rows[possible.indexOf(key)] ?? null) : null));
}

const parseObservationKey = (cube: CubeDefinition, key: string): CellKey | undefined => {
  const [releaseId, ...cell] = parseCompositeKey(key) ?? [];
  return releaseId && cell.length === cellColumns(cube).length ? { releaseId, cell } : undefined;
};

/**
 * The Node options of an observation type over one cube: its id names the cube's cell and the
 * release that gave the value, so a revision is a new object and an old id still gives the old
 * value; node(id) reads the row back.
 */
export function observationNode<Row extends ObservationShape>(cube: CubeDefinition) {
  observationCubes.set(cube.table, cube);
  return {
    id: { resolve: (row: Row) => observationKey(cellKeyOf(row)) },
    loadMany: async (keys: readonly string[], ctx: Context) => {
      const rows = await loadCells<Row>(
        ctx,
        cube,
        keys.map((key) => parseObservationKey(cube, key)),
      );
      return rows;
    },
  };
}

/** A revision's key: its observation's key with the cube's table first. */
const revisionNodeKey = (revision: Revision) => compositeKey([revision.table, revision.releaseId, ...revision.cell]);

const RevisionType = builder.node(builder.objectRef<Revision>('Revision'), {
  description:
    'A value the same cell had in an earlier release (the source revised it): the observation of that release.',
  id: { resolve: revisionNodeKey },
  loadMany: async (keys: readonly string[], ctx: Context) => {
    const parsed = keys.map((key) => {
      const parts = parseCompositeKey(key);
      const cube = parts?.[0] ? observationCubes.get(parts[0]) : undefined;
      const releaseId = parts?.[1];
      if (!cube || !parts || !releaseId || parts.length !== cellColumns(cube).length + 2) return undefined;
      return { cube, key: { releaseId, cell: parts.slice(2) } };
    });
    const found = new Map<string, Revision>();
    const cubes = new Set(parsed.flatMap((entry) => (entry ? [entry.cube] : [])));
    await Promise.all(
      [...cubes].map(async (cube) => {
        const ofCube = parsed.map((entry) => (entry?.cube === cube ? entry.key : undefined));
        const rows = await loadCells<ObservationShape>(ctx, cube, ofCube);
        rows.forEach((row, index) => {
          if (row) found.set(keys[index] ?? '', revisionOf(row));
        });
      }),
    );
    return keys.map((key) => found.get(key) ?? null);
  },
  fields: (t) => ({
    value: t.exposeFloat('value', { nullable: true, description: 'The value in that release.' }),
    status: t.field({
      type: ValueStatus,
      description: 'Its status.',
      resolve: (r) => r.status as ObservationShape['status'],
    }),
    qualifier: t.field({
      type: Qualifier,
      description: 'Its qualifier.',
      resolve: (r) => r.qualifier as ObservationShape['qualifier'],
    }),
    reference: t.exposeString('reference', { nullable: true, description: 'Where it was printed.' }),
    release: t.field({
      type: ReleaseType,
      description: 'The release.',
      resolve: lookup(releasesById, (r) => r.releaseId),
    }),
  }),
});

/** An observation row as the revision it is of its cell. */
function revisionOf(row: ObservationShape): Revision {
  const { releaseId, cell } = cellKeyOf(row);
  const { value, status, qualifier, reference, publishedAt } = row;
  return { value, status, qualifier, reference, releaseId, publishedAt, table: row.cube.table, cell: [...cell] };
}

export type { UnitValue };

/** What every observation row carries, whatever its source. */
export interface ObservationShape extends CubeRow {
  year: number;
  value: number | null;
  status: enums.ValueStatus;
  qualifier: enums.Qualifier;
  releaseId: string;
  reference: string | null;
  note: string | null;
}

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

const UNIT_DESCRIPTION = 'Unit of the value.';

/**
 * The `unit` field of an observation type, in place of the interface's: a type's unit is fixed or
 * follows from one of its columns, so it is computed when a client asks for it. Storing it on every
 * row instead (a property added to each row of a statement) made about a tenth of the garbage of a
 * dashboard request.
 */
export function unitField<Row extends ObservationShape>(
  t: PothosSchemaTypes.ObjectFieldBuilder<Types, Row>,
  unitOf: UnitValue | ((row: Row) => UnitValue),
) {
  return t.field({
    type: Unit,
    description: UNIT_DESCRIPTION,
    resolve: typeof unitOf === 'function' ? unitOf : () => unitOf,
  });
}

export const Observation = builder.interfaceRef<ObservationShape>('Observation').implement({
  description: 'One published cell of a table, with its provenance. Every observation type implements it.',
  interfaces: [builder.nodeInterfaceRef()],
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'The year the figure describes (the last year, for a period).' }),
    value: t.exposeFloat('value', {
      nullable: true,
      description: 'The value exactly as published (never rounded or recomputed); null when suppressed or missing.',
    }),
    // Each observation type answers it with unitField.
    unit: t.field({ type: Unit, description: UNIT_DESCRIPTION }),
    status: t.field({ type: ValueStatus, description: 'Status of the value.', resolve: (o) => o.status }),
    qualifier: t.field({
      type: Qualifier,
      description: 'How exact the printed figure is ("om lag" is ABOUT, "nærmere" NEARLY, ...).',
      resolve: (o) => o.qualifier,
    }),
    reference: t.exposeString('reference', {
      nullable: true,
      description: 'The table, figure or passage the value was printed in.',
    }),
    note: t.exposeString('note', { nullable: true, description: 'A remark on this value, where one is needed.' }),
    release: t.field({
      type: ReleaseType,
      description: 'The release this value comes from.',
      resolve: lookup(releasesById, (o) => o.releaseId),
    }),
    revisions: t.field({
      type: [RevisionType],
      description: 'Earlier values of this cell: the same cell in releases published before this one, newest first.',
      // One statement per cube at a path, whatever the number of cells.
      resolve: byParent(
        async (rows: readonly ObservationShape[], ctx) => findRevisions(ctx.db, rows, await ctx.readView()),
        (o: ObservationShape) => o,
        { cacheKeyFn: revisionKey },
      ),
    }),
    source: t.field({
      type: SourceType,
      description: 'The source this value comes from.',
      resolve: lookup(sourcesById, (o) => o.sourceId),
    }),
  }),
});
