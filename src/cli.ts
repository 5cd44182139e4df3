import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { applyMigrations } from './db/migrate.ts';
import { isCalendarDate } from './importing/csv.ts';
import { createApiKey, revokeApiKey } from './publishing/api-keys.ts';
import { loadBundledData } from './publishing/bundled.ts';
import { publishRelease, withdrawRelease } from './publishing/publish.ts';
import { sourceModules } from './sources/registry.ts';

const USAGE = `Usage: npm run cli -- <command>

  publish <source> <file> --label <title> --status PRELIMINARY|FINAL --published-at YYYY-MM-DD
          [--note <text>] [--id <release id>] [--idempotency-key <key>]
  withdraw <release id> --reason <text>
  keys create <name> --scope <source|admin> [--scope ...]
  keys revoke <key id>
  keys list

Uses DATABASE_URL (or the embedded database in DATA_DIR), like the hub; every running hub
hears of a new release from PostgreSQL at once.`;

class UsageError extends Error {}

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    label: { type: 'string' },
    status: { type: 'string' },
    'published-at': { type: 'string' },
    note: { type: 'string' },
    id: { type: 'string' },
    'idempotency-key': { type: 'string' },
    reason: { type: 'string' },
    scope: { type: 'string', multiple: true },
    help: { type: 'boolean' },
  },
});

function required(name: keyof typeof options): string {
  const value = options[name];
  if (typeof value !== 'string' || !value.trim()) throw new UsageError(`--${name} is required.`);
  return value;
}

const actor = `cli:${userInfo().username}`;

async function main(): Promise<void> {
  const [command, ...rest] = positionals;
  if (options.help || !command) {
    console.log(USAGE);
    return;
  }
  const config = loadConfig();
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolMax: 2 });
  try {
    await applyMigrations(db.pool);
    if (command === 'publish') {
      const [sourceId, file] = rest;
      if (!sourceId || !file) throw new UsageError('publish needs a source and a file.');
      const status = required('status');
      if (status !== 'PRELIMINARY' && status !== 'FINAL')
        throw new UsageError('--status must be PRELIMINARY or FINAL.');
      const publishedAt = required('published-at');
      if (!isCalendarDate(publishedAt)) throw new UsageError('--published-at must be a date YYYY-MM-DD.');
      await loadBundledData(db); // the codelists and sites a file refers to
      let shown = -1;
      const result = await publishRelease(db, sourceModules, {
        sourceId,
        fileName: basename(file),
        content: readFileSync(file, 'utf8'),
        release: {
          id: options.id,
          label: required('label'),
          status,
          published_at: publishedAt,
          publisher: actor,
          note: options.note,
        },
        actor,
        idempotencyKey: options['idempotency-key'],
        onProgress: (written, total) => {
          const percent = Math.floor((100 * written) / total);
          if (percent === shown) return;
          shown = percent;
          process.stderr.write(`\rwriting ${written}/${total} observations (${percent} %)`);
        },
      });
      process.stderr.write('\n');
      console.log(
        result.created
          ? `published release ${result.releaseId}: ${result.observations} observations`
          : `unchanged: this input was published before as release ${result.releaseId}; nothing was written`,
      );
    } else if (command === 'withdraw') {
      const [id] = rest;
      if (!id) throw new UsageError('withdraw needs a release id.');
      const release = await withdrawRelease(db, id, required('reason'), actor);
      console.log(`withdrew release ${release.id} (${release.label})`);
    } else if (command === 'keys' && rest[0] === 'create') {
      const name = rest[1];
      const scopes = options.scope ?? [];
      if (!name || !scopes.length) throw new UsageError('keys create needs a name and at least one --scope.');
      const valid = [...sourceModules.map((m) => m.id), 'admin'];
      const unknown = scopes.filter((scope) => !valid.includes(scope));
      if (unknown.length)
        throw new UsageError(`unknown scope ${unknown.join(', ')}; valid scopes: ${valid.join(', ')}.`);
      const { key, token } = await createApiKey(db.prisma, name, scopes, actor);
      console.log(
        `created key ${key.id} "${key.name}" with scopes ${key.scopes.join(', ')}.\nToken (shown once, store it now):\n${token}`,
      );
    } else if (command === 'keys' && rest[0] === 'revoke') {
      if (!rest[1]) throw new UsageError('keys revoke needs a key id.');
      const key = await revokeApiKey(db.prisma, rest[1], actor);
      console.log(`revoked key ${key.id} "${key.name}"`);
    } else if (command === 'keys' && rest[0] === 'list') {
      for (const key of await db.prisma.apiKey.findMany({ orderBy: { createdAt: 'asc' } })) {
        console.log(
          `${key.id}  ${key.name}  scopes: ${key.scopes.join(', ')}  ${key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active'}`,
        );
      }
    } else {
      throw new UsageError(`unknown command "${[command, ...rest].join(' ')}".`);
    }
  } finally {
    await db.close();
  }
}

main().catch((error: Error) => {
  console.error(error instanceof UsageError ? `${error.message}\n\n${USAGE}` : `error: ${error.message}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
