import { filter, pipe } from 'graphql-yoga';
import type { ApiKey } from '../db/generated/prisma/client.ts';
import { builder } from '../graphql/builder.ts';
import type { Context } from '../graphql/context.ts';
import { userError } from '../graphql/errors.ts';
import { ReleaseStatus, ReleaseType } from '../graphql/provenance.ts';
import './context.ts';
import { ADMIN_SCOPE } from './api-keys.ts';
import { publishRelease, rescheduleRelease, withdrawRelease } from './publish.ts';
import { readUploadedFile } from './upload.ts';

const KEY_MESSAGES = {
  MISSING_API_KEY: 'This operation needs an API key: send it as "Authorization: Bearer <key>".',
  INVALID_API_KEY: 'The API key is not valid.',
  REVOKED_API_KEY: 'The API key has been revoked.',
} as const;

/** The request's key if it may act on `scope` (a source id, or admin); distinct errors otherwise. */
export async function requireScope(ctx: Context, scope: string, { writes = true } = {}): Promise<ApiKey> {
  if (writes && ctx.db.readOnly) {
    throw userError(
      'READ_ONLY',
      'This hub reads a PostgreSQL standby and cannot write: publish through a hub on the primary.',
      { http: { status: 503 } },
    );
  }
  const key = await ctx.apiKey();
  if (typeof key === 'string') throw userError(key, KEY_MESSAGES[key], { http: { status: 401 } });
  if (!key.scopes.includes(scope) && !key.scopes.includes(ADMIN_SCOPE)) {
    throw userError(
      'FORBIDDEN',
      `The API key "${key.name}" may not act on "${scope}"; its scopes are: ${key.scopes.join(', ')}.`,
      { http: { status: 403 } },
    );
  }
  return key;
}

/**
 * The result of a write, once this hub has read the data version it produced: the writer's next
 * request sees its own write, without waiting for the notice to come back from PostgreSQL.
 */
async function refreshed<T>(ctx: Context, write: Promise<T>): Promise<T> {
  const result = await write;
  await ctx.events.refresh();
  return result;
}

const PublishResultType = builder
  .objectRef<{ releaseId: string; created: boolean; observations: number }>('PublishResult')
  .implement({
    description: 'The outcome of publishRelease.',
    fields: (t) => ({
      release: t.prismaField({
        type: 'Release',
        description: 'The release, new or (for a repeated input) the one published first.',
        resolve: (query, result, _args, ctx) =>
          ctx.prisma.release.findUniqueOrThrow({ ...query, where: { id: result.releaseId } }),
      }),
      created: t.exposeBoolean('created', {
        description: 'False when the same input was published before and nothing was written.',
      }),
      observations: t.exposeInt('observations', { description: 'Observations in the file.' }),
    }),
  });

builder.mutationFields((t) => ({
  publishRelease: t.field({
    type: PublishResultType,
    description:
      "Publishes a new release of a source from a file in the source's own layout (multipart upload). " +
      'The file is validated completely, then written in one transaction; the same input twice (same ' +
      'Idempotency-Key header or same content) returns the first result. Needs an API key with the source in its scopes.',
    args: {
      source: t.arg.id({ required: true, description: 'The source: mortality, wastewater, ...' }),
      file: t.arg({ type: 'File', required: true, description: 'The data file.' }),
      label: t.arg.string({ required: true, description: 'Title of the publication.' }),
      status: t.arg({ type: ReleaseStatus, required: true, description: 'PRELIMINARY or FINAL.' }),
      publishedAt: t.arg({ type: 'Date', required: true, description: 'Publication date.' }),
      note: t.arg.string({ description: 'What this release is (e.g. "revised figures for 2024").' }),
      id: t.arg.id({ description: 'Release id (default: derived from source, date and content).' }),
      publicFrom: t.arg({
        type: 'DateTime',
        description:
          'When the release becomes public, an instant with an offset (e.g. "2027-03-01T08:00:00+01:00"); until then ' +
          'only keys scoped to its source see it. Default: at once when publishedAt is today or earlier, else at 08:00 ' +
          'Oslo time on publishedAt. It may not fall before publishedAt.',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const key = await requireScope(ctx, String(args.source));
      return refreshed(
        ctx,
        publishRelease(ctx.db, ctx.sources, {
          sourceId: String(args.source),
          fileName: args.file.name,
          content: await readUploadedFile(args.file, ctx.maxUploadBytes, 'publishRelease'),
          release: {
            id: args.id == null ? null : String(args.id),
            label: args.label,
            status: args.status,
            published_at: args.publishedAt.toISOString().slice(0, 10),
            publisher: key.name,
            note: args.note,
          },
          publicFrom: args.publicFrom,
          now: ctx.now(),
          actor: key.id,
          idempotencyKey: ctx.idempotencyKey,
        }),
      );
    },
  }),
  rescheduleRelease: t.prismaField({
    type: 'Release',
    description:
      'Moves the instant a release becomes public, before it is public (an embargo moved, or lifted at once with an ' +
      "instant now or past). Audited. Needs an API key with the release's source in its scopes.",
    args: {
      id: t.arg.id({ required: true, description: 'The release.' }),
      publicFrom: t.arg({
        type: 'DateTime',
        required: true,
        description: 'The new instant, with an offset (e.g. "2027-03-02T08:00:00+01:00"); not before publishedAt.',
      }),
    },
    resolve: async (_query, _root, args, ctx) => {
      const release = await ctx.prisma.release.findUnique({ where: { id: String(args.id) } });
      const key = await requireScope(ctx, release?.sourceId ?? ADMIN_SCOPE);
      return refreshed(ctx, rescheduleRelease(ctx.db, String(args.id), args.publicFrom, key.id, ctx.now()));
    },
  }),
  withdrawRelease: t.prismaField({
    type: 'Release',
    description:
      'Withdraws a release with a reason: it is kept and listed, but no longer answers queries (asOf before the withdrawal ' +
      'still sees it). Withdrawing a release that is not public yet cancels it: it never becomes public.',
    args: {
      id: t.arg.id({ required: true, description: 'The release.' }),
      reason: t.arg.string({ required: true, description: 'Why it is withdrawn.' }),
    },
    resolve: async (_query, _root, args, ctx) => {
      const release = await ctx.prisma.release.findUnique({ where: { id: String(args.id) } });
      const key = await requireScope(ctx, release?.sourceId ?? ADMIN_SCOPE);
      return refreshed(ctx, withdrawRelease(ctx.db, String(args.id), args.reason, key.id, ctx.now()));
    },
  }),
}));

builder.subscriptionFields((t) => ({
  releasePublished: t.field({
    type: ReleaseType,
    description:
      'Fires when a release becomes public, across all hub processes (server-sent events): when it is committed, or for ' +
      'a release under embargo at its publicFrom.',
    args: { source: t.arg.id({ description: 'Only releases of this source.' }) },
    subscribe: (_root, args, ctx) =>
      pipe(
        ctx.events.subscribe('release:changed'),
        filter(
          (event) => event.kind === 'PUBLISHED' && (args.source == null || event.sourceId === String(args.source)),
        ),
      ),
    resolve: (event, _args, ctx) => ctx.prisma.release.findUniqueOrThrow({ where: { id: event.releaseId } }),
  }),
}));

const AuditEntryType = builder.prismaNode('AuditEntry', {
  description: 'A publish, preview, withdrawal, reschedule, key change or pre-release read, with its result.',
  id: { field: 'id' },
  // node(id) needs the admin scope, as auditLog does; a key that is no entry number finds nothing.
  findUnique: async (key, ctx) => {
    await requireScope(ctx, ADMIN_SCOPE, { writes: false });
    return { id: /^\d{1,18}$/.test(key) ? BigInt(key) : -1n };
  },
  nullable: true,
  fields: (t) => ({
    at: t.string({ description: 'When (ISO 8601).', resolve: (entry) => entry.at.toISOString() }),
    actor: t.exposeString('actor', { description: 'The API key id, or "cli:<user>".' }),
    action: t.exposeString('action', {
      description:
        'PUBLISH, PREVIEW, WITHDRAW, RESCHEDULE, KEY_CREATE, KEY_REVOKE or PRE_RELEASE_READ (values of a release read under embargo).',
    }),
    sourceId: t.exposeString('sourceId', { nullable: true, description: 'The source acted on.' }),
    releaseId: t.exposeString('releaseId', { nullable: true, description: 'The release acted on.' }),
    result: t.exposeString('result', { description: 'OK, UNCHANGED (repeated input), REJECTED or FAILED.' }),
    detail: t.exposeString('detail', { nullable: true, description: 'What was done, or why it failed.' }),
  }),
});

builder.queryFields((t) => ({
  auditLog: t.prismaField({
    type: [AuditEntryType],
    description: 'The audit log, newest first. Needs an API key with the admin scope.',
    args: { first: t.arg.int({ defaultValue: 100, description: 'How many entries (default 100).' }) },
    resolve: async (query, _root, args, ctx) => {
      await requireScope(ctx, ADMIN_SCOPE, { writes: false });
      return ctx.prisma.auditEntry.findMany({
        ...query,
        orderBy: { id: 'desc' },
        take: Math.min(args.first ?? 100, 1000),
      });
    },
  }),
}));
