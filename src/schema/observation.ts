import type { CubeRow } from '../cube/definition.ts';
import { type Revision, revisionsOf } from '../cube/revisions.ts';
import { ReleaseType, releaseById, SourceType, sourceById } from '../sources/source-types.ts';
import { builder } from './builder.ts';
import { Qualifier, Unit, ValueStatus } from './common.ts';

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
    release: t.field({
      type: ReleaseType,
      description: 'The release.',
      resolve: async (r, _args, ctx) => (await releaseById(ctx).load(r.releaseId))!,
    }),
  }),
});

export type UnitValue = 'COUNT' | 'PERCENT' | 'PER_100K' | 'PER_1000' | 'PERSONS' | 'MG_PER_1000_PER_DAY' | 'YEARS';

/** What every observation row carries, whatever its source. */
export interface ObservationShape extends CubeRow {
  year: number;
  value: number | null;
  unit: UnitValue;
  status: 'NORMAL' | 'PROVISIONAL' | 'SUPPRESSED' | 'BELOW_LOQ' | 'MISSING';
  qualifier: 'EXACT' | 'ABOUT' | 'NEARLY' | 'JUST_OVER' | 'LESS_THAN';
  releaseId: string;
  reference: string | null;
  note: string | null;
}

export const Observation = builder.interfaceRef<ObservationShape>('Observation').implement({
  description: 'One published cell of a table, with its provenance. Every observation type implements it.',
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'The year the figure describes (the last year, for a period).' }),
    value: t.exposeFloat('value', {
      nullable: true,
      description: 'The value exactly as published (never rounded or recomputed); null when suppressed or missing.',
    }),
    unit: t.field({ type: Unit, description: 'Unit of the value.', resolve: (o) => o.unit }),
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
      resolve: async (o, _args, ctx) => (await releaseById(ctx).load(o.releaseId))!,
    }),
    revisions: t.field({
      type: [RevisionType],
      description: 'Earlier values of this cell: the same cell in releases published before this one, newest first.',
      resolve: (o, _args, ctx) => revisionsOf(ctx).load(o),
    }),
    source: t.field({
      type: SourceType,
      description: 'The source this value comes from.',
      resolve: async (o, _args, ctx) => {
        const release = (await releaseById(ctx).load(o.releaseId))!;
        return (await sourceById(ctx).load(release.sourceId))!;
      },
    }),
  }),
});
