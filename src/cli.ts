import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { type ControlEndpoint, FolderInUseError, readLockHolder } from './db/folder-lock.ts';
import { applyMigrations } from './db/migrate.ts';
import { isCalendarDate } from './importing/csv.ts';
import { loadBundledData } from './publishing/bundled.ts';
import { type CliCommand, instantSchema, runCommand } from './publishing/commands.ts';
import { prepareEmbeddedImage } from './publishing/embedded-image.ts';
import type { ControlLine } from './server/control.ts';
import { sourceModules } from './sources/registry.ts';

const USAGE = `Usage: npm run cli -- <command>

  publish <source> <file> --label <title> --status PRELIMINARY|FINAL --published-at YYYY-MM-DD
          [--public-from <ISO 8601 date-time with offset>] [--note <text>] [--id <release id>]
          [--idempotency-key <key>] [--dry-run]
          Without --public-from a release dated today or earlier is public at once, one dated
          ahead at 08:00 Oslo time on its date; until then only keys scoped to its source see it.
          --dry-run: validate the file as a publish would, print the cells it would add or
          revise (and the release each value comes from now), and write nothing
  reschedule <release id> --public-from <ISO 8601 date-time with offset>
          moves the instant a release not yet public becomes public
  withdraw <release id> --reason <text>
          (a release not yet public is cancelled: it never becomes public)
  keys create <name> --scope <source|admin> [--scope ...]
  keys revoke <key id>
  keys list
  prepare-embedded   build dist/embedded-image/, the database a new DATA_DIR starts from
                     (npm install does this)

Uses DATABASE_URL (or the embedded database in DATA_DIR), like the hub; every running hub
hears of a new release from PostgreSQL at once. On the embedded database, while a hub runs on
the same DATA_DIR, the command is handed to that hub, which performs it.`;

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
    'public-from': { type: 'string' },
    'dry-run': { type: 'boolean' },
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

const INSTANT_USAGE =
  '--public-from must be an ISO 8601 date and time with an offset, e.g. 2027-03-01T08:00:00+01:00 or 2027-03-01T07:00:00Z.';
const isInstant = (text: string) => instantSchema.safeParse(text).success;

function parseCommand([command, ...rest]: string[]): CliCommand {
  if (command === 'publish') {
    const [sourceId, file] = rest;
    if (!sourceId || !file) throw new UsageError('publish needs a source and a file.');
    const status = required('status');
    if (status !== 'PRELIMINARY' && status !== 'FINAL') throw new UsageError('--status must be PRELIMINARY or FINAL.');
    const publishedAt = required('published-at');
    if (!isCalendarDate(publishedAt)) throw new UsageError('--published-at must be a date YYYY-MM-DD.');
    const publicFrom = options['public-from'];
    if (publicFrom !== undefined && !isInstant(publicFrom)) throw new UsageError(INSTANT_USAGE);
    return {
      name: 'publish',
      publicFrom,
      sourceId,
      fileName: basename(file),
      content: readFileSync(file, 'utf8'),
      label: required('label'),
      status,
      publishedAt,
      note: options.note,
      id: options.id,
      idempotencyKey: options['idempotency-key'],
      dryRun: options['dry-run'],
    };
  }
  if (command === 'reschedule') {
    if (!rest[0]) throw new UsageError('reschedule needs a release id.');
    const publicFrom = required('public-from');
    if (!isInstant(publicFrom)) throw new UsageError(INSTANT_USAGE);
    return { name: 'reschedule', id: rest[0], publicFrom };
  }
  if (command === 'withdraw') {
    if (!rest[0]) throw new UsageError('withdraw needs a release id.');
    return { name: 'withdraw', id: rest[0], reason: required('reason') };
  }
  if (command === 'keys' && rest[0] === 'create') {
    const scopes = options.scope ?? [];
    if (!rest[1] || !scopes.length) throw new UsageError('keys create needs a name and at least one --scope.');
    return { name: 'keys create', keyName: rest[1], scopes };
  }
  if (command === 'keys' && rest[0] === 'revoke') {
    if (!rest[1]) throw new UsageError('keys revoke needs a key id.');
    return { name: 'keys revoke', id: rest[1] };
  }
  if (command === 'keys' && rest[0] === 'list') return { name: 'keys list' };
  throw new UsageError(`unknown command "${[command, ...rest].join(' ')}".`);
}

let shownPercent = -1;
function showProgress(written: number, total: number): void {
  const percent = Math.floor((100 * written) / total);
  if (percent === shownPercent) return;
  shownPercent = percent;
  process.stderr.write(`\rwriting ${written}/${total} observations (${percent} %)`);
}

/** Hands the command to the hub that owns the embedded database, and prints what it reports. */
async function sendToHub(control: ControlEndpoint, command: CliCommand): Promise<string> {
  const stopped = new Error('the running hub stopped before it answered; check whether the command took effect.');
  // A hub busy writing may not even send its headers before it dies: that, too, is "stopped".
  const response = await fetch(control.url, {
    method: 'POST',
    headers: { authorization: `Bearer ${control.secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ command, actor }),
  }).catch(() => Promise.reject(stopped));
  if (!response.ok || !response.body) throw new Error(`the running hub refused the command (HTTP ${response.status}).`);
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = response.body.getReader();
  const read = () => reader.read().catch(() => Promise.reject(stopped));
  for (let chunk = await read(); !chunk.done; chunk = await read()) {
    buffer += decoder.decode(chunk.value, { stream: true });
    for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
      const line = JSON.parse(buffer.slice(0, end)) as ControlLine;
      buffer = buffer.slice(end + 1);
      if ('progress' in line) showProgress(...line.progress);
      else if ('output' in line) return line.output;
      else throw new Error(line.error);
    }
  }
  throw stopped;
}

/** The hub holding the embedded folder, once it takes commands (it may still be starting). */
async function runningHub(dataDir: string): Promise<ControlEndpoint | undefined> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const holder = readLockHolder(dataDir);
    if (holder?.role !== 'hub') return undefined;
    if (holder.control) return holder.control;
    if (Date.now() > deadline) throw new FolderInUseError(dataDir, holder);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function main(): Promise<void> {
  if (options.help || !positionals.length) {
    console.log(USAGE);
    return;
  }
  if (positionals.join(' ') === 'prepare-embedded') {
    const started = performance.now();
    const image = await prepareEmbeddedImage(undefined, (line) => console.log(`prepare-embedded: ${line}`));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`prepare-embedded: wrote the embedded database image to ${image}/ in ${seconds} s`);
    return;
  }
  const command = parseCommand(positionals);
  const config = loadConfig();
  const hub = config.DATABASE_URL ? undefined : await runningHub(config.DATA_DIR);
  if (hub) {
    process.stderr.write(`a hub owns ${config.DATA_DIR}/: handing the command to it\n`);
    const output = await sendToHub(hub, command);
    if (shownPercent >= 0) process.stderr.write('\n');
    console.log(output);
    return;
  }
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolMax: 2, role: 'cli' });
  try {
    await applyMigrations(db.pool);
    // The codelists and sites a file refers to, and the bundled releases a dry run compares with (as
    // at every start: nothing to do on a database a hub has started on).
    if (command.name === 'publish') await loadBundledData(db);
    const output = await runCommand(db, sourceModules, command, actor, showProgress);
    if (shownPercent >= 0) process.stderr.write('\n');
    console.log(output);
  } finally {
    await db.close();
  }
}

main().catch((error: Error) => {
  console.error(error instanceof UsageError ? `${error.message}\n\n${USAGE}` : `error: ${error.message}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
