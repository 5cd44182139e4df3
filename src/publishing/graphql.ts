import { filter, pipe } from 'graphql-yoga';
import type { ApiKey } from '../db/generated/prisma/client.ts';
import { builder } from '../graphql/builder.ts';
import type { Context } from '../graphql/context.ts';
import { userError } from '../graphql/errors.ts';
import { ReleaseStatus, ReleaseType } from '../graphql/provenance.ts';
import './context.ts';
import { ADMIN_SCOPE } from './api-keys.ts';
import { publishRelease, withdrawRelease } from './publish.ts';

const KEY_MESSAGES = {
  MISSING_API_KEY: 'This operation needs an API key: send it as "Authorization: Bearer <key>".',
  INVALID_API_KEY: 'The API key is not valid.',
  REVOKED_API_KEY: 'The API key has been revoked.',
} as const;

/** The request's key if it may act on `scope` (a source id, or admin); distinct errors otherwise. */
async function requireScope(ctx: Context, scope: string): Promise<ApiKey> {
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

// CSV in the source's layout, or JSON-stat; a browser may label a .csv file with any of these.
const ACCEPTED_TYPES = [
  'text/csv',
  'application/csv',
  'application/vnd.ms-excel',
  'text/plain',
  'application/octet-stream',
  '',
  'application/json',
];

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
    },
    resolve: async (_root, args, ctx) => {
      const key = await requireScope(ctx, String(args.source));
      if (args.file.size > ctx.maxUploadBytes) {
        throw userError(
          'PAYLOAD_TOO_LARGE',
          `publishRelease: the file is ${args.file.size} bytes; the limit is ${ctx.maxUploadBytes} bytes.`,
          { argument: 'file' },
        );
      }
      if (!ACCEPTED_TYPES.includes((args.file.type.split(';')[0] ?? '').trim())) {
        throw userError(
          'UNSUPPORTED_MEDIA_TYPE',
          `publishRelease: a file of type "${args.file.type}" cannot be read; send CSV (text/csv) or JSON-stat (application/json).`,
          { argument: 'file' },
        );
      }
      return publishRelease(ctx.db, ctx.sources, {
        sourceId: String(args.source),
        fileName: args.file.name,
        content: await args.file.text(),
        release: {
          id: args.id == null ? null : String(args.id),
          label: args.label,
          status: args.status,
          published_at: args.publishedAt.toISOString().slice(0, 10),
          publisher: key.name,
          note: args.note,
        },
        actor: key.id,
        idempotencyKey: ctx.idempotencyKey,
      });
    },
  }),
  withdrawRelease: t.prismaField({
    type: 'Release',
    description:
      'Withdraws a release with a reason: it is kept and listed, but no longer answers queries (asOf before the withdrawal still sees it).',
    args: {
      id: t.arg.id({ required: true, description: 'The release.' }),
      reason: t.arg.string({ required: true, description: 'Why it is withdrawn.' }),
    },
    resolve: async (_query, _root, args, ctx) => {
      const release = await ctx.prisma.release.findUnique({ where: { id: String(args.id) } });
      const key = await requireScope(ctx, release?.sourceId ?? ADMIN_SCOPE);
      return withdrawRelease(ctx.db, String(args.id), args.reason, key.id);
    },
  }),
}));

builder.subscriptionFields((t) => ({
  releasePublished: t.field({
    type: ReleaseType,
    description: 'Fires after a new release is committed, across all hub processes (server-sent events).',
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
  description: 'A publish, withdrawal or key change, with its result.',
  id: { field: 'id' },
  // node(id) needs the admin scope, as auditLog does; a key that is no entry number finds nothing.
  findUnique: async (key, ctx) => {
    await requireScope(ctx, ADMIN_SCOPE);
    return { id: /^\d{1,18}$/.test(key) ? BigInt(key) : -1n };
  },
  nullable: true,
  fields: (t) => ({
    at: t.string({ description: 'When (ISO 8601).', resolve: (entry) => entry.at.toISOString() }),
    actor: t.exposeString('actor', { description: 'The API key id, or "cli:<user>".' }),
    action: t.exposeString('action', { description: 'PUBLISH, WITHDRAW, KEY_CREATE or KEY_REVOKE.' }),
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
      await requireScope(ctx, ADMIN_SCOPE);
      return ctx.prisma.auditEntry.findMany({
        ...query,
        orderBy: { id: 'desc' },
        take: Math.min(args.first ?? 100, 1000),
      });
    },
  }),
}));
