import { builder } from '../graphql/builder.ts';
import { Qualifier, ValueStatus } from '../graphql/common.ts';
import { userError } from '../graphql/errors.ts';
import { lookup } from '../graphql/loaders.ts';
import { ReleaseStatus, ReleaseType, releasesById } from '../graphql/provenance.ts';
import { requireScope } from './graphql.ts';
import { type CellChange, previewRelease, type ReleasePreview } from './preview.ts';
import { readUploadedFile } from './upload.ts';

/** A date as it is in Norway, where the sources publish (YYYY-MM-DD). */
const norwegianDate = (instant: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(instant);

const CellChangeKind = builder.enumType('CellChangeKind', {
  description: 'How a release would change a cell.',
  values: {
    ADDED: { description: 'No release published by then has the cell: the release adds it.' },
    REVISED: { description: 'The cell has another value, status or qualifier now: the release revises it.' },
  } as const,
});

const CellCode = builder.objectRef<CellChange['codes'][number]>('CellCode').implement({
  description: 'One code that identifies a cell: a series or dimension and its member.',
  fields: (t) => ({
    name: t.exposeString('name', {
      description: 'The query argument the code goes to (e.g. region, sex), or the series field (e.g. measure).',
    }),
    code: t.exposeString('code', { description: 'The code, as queries take it (e.g. "0" for Norway).' }),
  }),
});

const CellChangeType = builder.objectRef<CellChange>('CellChange').implement({
  description: 'A cell a release would add or revise, beside the value it has now.',
  fields: (t) => ({
    kind: t.field({ type: CellChangeKind, description: 'Added or revised.', resolve: (change) => change.kind }),
    description: t.exposeString('description', {
      description:
        'The cell in words (English), e.g. "Deaths, Norway, 2023": its series (the measure), each dimension\'s ' +
        "member (its name, or an enumeration's code in words; members coded ALL left out), then the year or period.",
    }),
    year: t.exposeInt('year', { description: 'The year (the last year of a period).' }),
    yearFrom: t.exposeInt('yearFrom', {
      nullable: true,
      description: 'The first year of the period, where the source publishes periods (else null).',
    }),
    codes: t.field({
      type: [CellCode],
      description: "The cell's series and dimension codes, in the cube's order.",
      resolve: (change) => change.codes,
    }),
    previous: t.exposeFloat('previous', {
      nullable: true,
      description: 'The value the cell has now (null when added, or when the value is suppressed or missing).',
    }),
    value: t.exposeFloat('value', { nullable: true, description: 'The value the file gives.' }),
    previousStatus: t.field({
      type: ValueStatus,
      nullable: true,
      description: 'The status of the value now (null when added).',
      resolve: (change) => change.previousStatus,
    }),
    status: t.field({
      type: ValueStatus,
      description: 'The status the file gives.',
      resolve: (change) => change.status,
    }),
    previousQualifier: t.field({
      type: Qualifier,
      nullable: true,
      description: 'The qualifier of the value now (null when added).',
      resolve: (change) => change.previousQualifier,
    }),
    qualifier: t.field({
      type: Qualifier,
      description: 'The qualifier the file gives.',
      resolve: (change) => change.qualifier,
    }),
    previousRelease: t.field({
      type: ReleaseType,
      nullable: true,
      description: 'The release the value now comes from (null when added).',
      resolve: lookup(releasesById, (change) => change.previousReleaseId),
    }),
  }),
});

const ReleasePreviewType = builder.objectRef<ReleasePreview>('ReleasePreview').implement({
  description: 'What publishing a file would change, compared cell by cell with the releases published by its date.',
  fields: (t) => ({
    publishedAt: t.field({
      type: 'Date',
      description: 'The date compared at: the release would follow the releases published by then.',
      resolve: (preview) => new Date(`${preview.publishedAt}T00:00:00Z`),
    }),
    added: t.exposeInt('added', { description: 'Cells no release published by then has.' }),
    revised: t.exposeInt('revised', { description: 'Cells whose value, status or qualifier would change.' }),
    unchanged: t.exposeInt('unchanged', { description: 'Cells the file gives as they are now.' }),
    changes: t.field({
      type: [CellChangeType],
      description: "The added and revised cells, in the cube's cell order (year first).",
      args: { first: t.arg.int({ defaultValue: 50, description: 'How many changes (default 50).' }) },
      resolve: (preview, args) => {
        const first = args.first ?? 50;
        if (first < 0)
          throw userError('BAD_USER_INPUT', `changes: first must be 0 or more, not ${first}.`, { argument: 'first' });
        return preview.changes.slice(0, first);
      },
    }),
  }),
});

builder.mutationFields((t) => ({
  previewRelease: t.field({
    type: ReleasePreviewType,
    description:
      'Shows what publishing a file would change, without publishing it: no release, no observation, no event ' +
      '(the preview itself is recorded in the audit log). A mutation because it takes an upload, multipart like ' +
      'publishRelease. The file is validated exactly as publishRelease validates it, with the same errors; then ' +
      'each cell is compared with the cell as it is in the latest release of the source published by publishedAt ' +
      'and not withdrawn. Needs an API key with the source in its scopes.',
    args: {
      source: t.arg.id({ required: true, description: 'The source: mortality, wastewater, ...' }),
      file: t.arg({ type: 'File', required: true, description: 'The data file, as publishRelease would take it.' }),
      publishedAt: t.arg({
        type: 'Date',
        description: 'The publication date the release would have (default: today in Norway).',
      }),
      status: t.arg({
        type: ReleaseStatus,
        defaultValue: 'FINAL',
        description: 'The status the release would have (default FINAL); some sources derive value statuses from it.',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const key = await requireScope(ctx, String(args.source));
      return previewRelease(ctx.db, ctx.sources, {
        sourceId: String(args.source),
        fileName: args.file.name,
        content: await readUploadedFile(args.file, ctx.maxUploadBytes, 'previewRelease'),
        release: {
          label: 'Preview',
          status: args.status ?? 'FINAL',
          published_at: args.publishedAt ? args.publishedAt.toISOString().slice(0, 10) : norwegianDate(ctx.now()),
          publisher: key.name,
        },
        actor: key.id,
      });
    },
  }),
}));
