import type { CubeRow } from '../cube/definition.ts';
import { findRevisions, type Revision, revisionKey } from '../cube/revisions.ts';
import type * as enums from '../db/generated/prisma/enums.ts';
import { builder } from './builder.ts';
import { Qualifier, Unit, ValueStatus } from './common.ts';
import { ReleaseType, releasesById, SourceType, sourcesById } from './provenance.ts';

const RevisionType = builder.objectRef<Revision>('Revision').implement({
  description: 'A value the same cell had in an earlier release (the source revised it).',
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
    release: t.loadable({
      type: ReleaseType,
      description: 'The release.',
      ...releasesById,
      resolve: (r) => r.releaseId,
    }),
  }),
});

export type UnitValue = 'COUNT' | 'PERCENT' | 'PER_100K' | 'PER_1000' | 'PERSONS' | 'MG_PER_1000_PER_DAY' | 'YEARS';

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
    release: t.loadable({
      type: ReleaseType,
      description: 'The release this value comes from.',
      ...releasesById,
      resolve: (o) => o.releaseId,
    }),
    revisions: t.loadableList({
      type: RevisionType,
      description: 'Earlier values of this cell: the same cell in releases published before this one, newest first.',
      // One statement per cube per request, whatever the number of cells.
      load: async (rows: ObservationShape[], ctx) => findRevisions(ctx.db, rows, await ctx.readView()),
      loaderOptions: { cacheKeyFn: revisionKey },
      resolve: (o) => o,
    }),
    source: t.loadable({
      type: SourceType,
      description: 'The source this value comes from.',
      ...sourcesById,
      resolve: (o) => o.sourceId,
    }),
  }),
});
