import { z } from 'zod';
import type { Database } from '../db/database.ts';
import type { RegisteredSource } from '../importing/source-module.ts';
import { ADMIN_SCOPE, createApiKey, revokeApiKey } from './api-keys.ts';
import { previewRelease, previewTable } from './preview.ts';
import { publishRelease, rescheduleRelease, withdrawRelease } from './publish.ts';

/** An instant as the CLI takes it: ISO 8601 with an offset. */
export const instantSchema = z.iso.datetime({ offset: true });

/**
 * A command of `npm run cli`, parsed from its arguments. It is plain data, so the CLI can hand it
 * to the hub that owns the embedded database (over loopback) or run it on the database itself.
 */
export const cliCommandSchema = z.discriminatedUnion('name', [
  z.object({
    name: z.literal('publish'),
    sourceId: z.string().min(1),
    fileName: z.string().min(1),
    content: z.string(),
    label: z.string().min(1),
    status: z.enum(['PRELIMINARY', 'FINAL']),
    publishedAt: z.iso.date(),
    note: z.string().optional(),
    id: z.string().optional(),
    idempotencyKey: z.string().optional(),
    /** ISO 8601 with an offset. */
    publicFrom: instantSchema.optional(),
    /** Print what the file would change (previewRelease) and write nothing. */
    dryRun: z.boolean().optional(),
  }),
  z.object({ name: z.literal('withdraw'), id: z.string().min(1), reason: z.string().min(1) }),
  z.object({ name: z.literal('reschedule'), id: z.string().min(1), publicFrom: instantSchema }),
  z.object({ name: z.literal('keys create'), keyName: z.string().min(1), scopes: z.array(z.string()).min(1) }),
  z.object({ name: z.literal('keys revoke'), id: z.string().min(1) }),
  z.object({ name: z.literal('keys list') }),
]);

export type CliCommand = z.infer<typeof cliCommandSchema>;

/** Runs a command as `actor`; resolves with the lines to print. */
export async function runCommand(
  db: Database,
  modules: readonly RegisteredSource[],
  command: CliCommand,
  actor: string,
  onProgress?: (written: number, total: number) => void,
): Promise<string> {
  switch (command.name) {
    case 'publish': {
      const upload = {
        sourceId: command.sourceId,
        fileName: command.fileName,
        content: command.content,
        release: {
          id: command.id,
          label: command.label,
          status: command.status,
          published_at: command.publishedAt,
          publisher: actor,
          note: command.note,
        },
        publicFrom: command.publicFrom ? new Date(command.publicFrom) : undefined,
        actor,
      };
      if (command.dryRun) return previewTable(await previewRelease(db, modules, upload));
      const result = await publishRelease(db, modules, {
        ...upload,
        idempotencyKey: command.idempotencyKey,
        onProgress,
      });
      const release = await db.prisma.release.findUniqueOrThrow({ where: { id: result.releaseId } });
      const when =
        release.publicFrom > new Date() ? `, under embargo until ${release.publicFrom.toISOString()}` : ', public now';
      return result.created
        ? `published release ${result.releaseId}: ${result.observations} observations${when}`
        : `unchanged: this input was published before as release ${result.releaseId}; nothing was written`;
    }
    case 'withdraw': {
      const release = await withdrawRelease(db, command.id, command.reason, actor);
      return `withdrew release ${release.id} (${release.label})`;
    }
    case 'reschedule': {
      const release = await rescheduleRelease(db, command.id, new Date(command.publicFrom), actor, new Date());
      return `release ${release.id} (${release.label}) is public from ${release.publicFrom.toISOString()}`;
    }
    case 'keys create': {
      const valid = [...modules.map((m) => m.id), ADMIN_SCOPE];
      const unknown = command.scopes.filter((scope) => !valid.includes(scope));
      if (unknown.length) throw new Error(`unknown scope ${unknown.join(', ')}; valid scopes: ${valid.join(', ')}.`);
      const { key, token } = await createApiKey(db.prisma, command.keyName, command.scopes, actor);
      return `created key ${key.id} "${key.name}" with scopes ${key.scopes.join(', ')}.\nToken (shown once, store it now):\n${token}`;
    }
    case 'keys revoke': {
      const key = await revokeApiKey(db.prisma, command.id, actor);
      return `revoked key ${key.id} "${key.name}"`;
    }
    case 'keys list': {
      const keys = await db.prisma.apiKey.findMany({ orderBy: { createdAt: 'asc' } });
      return keys
        .map(
          (key) =>
            `${key.id}  ${key.name}  scopes: ${key.scopes.join(', ')}  ${key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active'}`,
        )
        .join('\n');
    }
  }
}
