import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Started, startHubProcess } from '../helpers/processes.ts';
import {
  allCodeBlocks,
  type CodeBlock,
  codeBlocks,
  DOCS_ORIGIN,
  runGraphQLBlock,
  runShBlock,
  verdict,
} from './code-blocks.ts';

// Every graphql and sh block of the README and docs/*.md runs against one hub process on a
// throwaway database (a fresh PostgreSQL database with DATABASE_URL, else a fresh embedded
// folder), so the blocks that publish change nothing that lasts. One test per block, named by
// file and line.

const ROOT = join(import.meta.dirname, '../..');
const blocks = allCodeBlocks(ROOT);

let hub: (Started & { url: string }) | undefined;
let blockEnv: NodeJS.ProcessEnv = {};
let dropDatabase: () => Promise<void> = async () => {};

beforeAll(async () => {
  const serverUrl = process.env.DATABASE_URL;
  // The blocks run with npm and npx; their notices would only add noise to a failure's output.
  const quiet = { npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  if (serverUrl) {
    const name = `rusdata_docs_${process.pid}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    blockEnv = { ...process.env, ...quiet, DATABASE_URL: url.toString() };
    dropDatabase = async () => {
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    };
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'rusdata-docs-'));
    const { DATABASE_URL: _unset, ...env } = process.env;
    blockEnv = { ...env, ...quiet, DATA_DIR: dataDir };
    dropDatabase = async () => rmSync(dataDir, { recursive: true, force: true });
  }
  const { DATABASE_URL, DATA_DIR } = blockEnv;
  hub = await startHubProcess(DATABASE_URL ? { DATABASE_URL } : { DATA_DIR: DATA_DIR! });
  // The hub's own process must not see a DATABASE_URL the embedded case unset.
  if (!DATABASE_URL) expect(hub.output()).toMatch(/embedded PostgreSQL/);
}, 180_000);

afterAll(async () => {
  hub?.kill();
  await new Promise((resolve) => setTimeout(resolve, 300));
  await dropDatabase();
});

function origin(): string {
  return new URL(hub!.url).origin;
}

/** Runs one block as the convention says, or fails it with the reason it cannot run. */
async function check(block: CodeBlock): Promise<void> {
  const what = verdict(block);
  if ('wrong' in what) throw new Error(`${block.file}:${block.line}: ${what.wrong}`);
  if (!('run' in what)) return;
  if (what.run === 'graphql') await runGraphQLBlock(hub!.url, block);
  else await runShBlock(block, { cwd: ROOT, origin: origin(), env: blockEnv, timeoutMs: 60_000 });
}

const byFile = new Map<string, CodeBlock[]>();
for (const block of blocks) byFile.set(block.file, [...(byFile.get(block.file) ?? []), block]);
// The files run side by side (each file's blocks stand on their own), the blocks of one file in order.
for (const [file, ofFile] of byFile) {
  describe(file, { concurrent: true }, () => {
    // Files a block writes into the repository root (e.g. the file a publishing example
    // uploads) are removed after the file's blocks: only new files the blocks name.
    const before = new Set(readdirSync(ROOT));
    afterAll(() => {
      const written = ofFile.filter((block) => block.tag === 'sh').map((block) => block.code);
      for (const name of readdirSync(ROOT))
        if (!before.has(name) && statSync(join(ROOT, name)).isFile() && written.some((code) => code.includes(name)))
          rmSync(join(ROOT, name));
    });
    for (const block of ofFile) {
      const what = verdict(block);
      const name = `${block.file}:${block.line} ${block.tag || '(no tag)'}`;
      if ('shown' in what) continue;
      if ('skip' in what) test.skip(`${name} (not run: ${what.skip})`, () => {});
      else test.sequential(name, () => check(block), 90_000);
    }
  });
}

describe('the convention itself', () => {
  const one = (text: string) => codeBlocks('example.md', text)[0]!;

  test('finds blocks in the README and docs/', () => {
    expect(byFile.get('README.md')?.length).toBeGreaterThan(0);
    expect([...byFile.keys()].filter((file) => file.startsWith('docs/')).length).toBeGreaterThan(3);
  });

  test.each([
    ['bash', 'sh'],
    ['shell', 'sh'],
    ['gql', 'graphql'],
    ['GraphQL', 'graphql'],
  ])('a block tagged %s fails, naming the tag %s', (tag, meant) => {
    expect(verdict(one(`\`\`\`${tag}\n{ sources { id } }\n\`\`\`\n`))).toEqual({
      wrong: `the tag "${tag}" is not run: write \`\`\`${meant}`,
    });
  });

  test('a block without a tag, or with an unknown one, fails', () => {
    expect(verdict(one('```\nnpm start\n```\n'))).toHaveProperty('wrong');
    expect(verdict(one('```graphq1\n{ sources { id } }\n```\n'))).toHaveProperty('wrong');
  });

  test('a "not run" comment on the line before skips a block, and needs a reason', () => {
    expect(verdict(one('<!-- not run: starts a server -->\n```sh\nnpm start\n```\n'))).toEqual({
      skip: 'starts a server',
    });
    expect(verdict(one('<!-- not run: -->\n```sh\nnpm start\n```\n'))).toHaveProperty('wrong');
    expect(verdict(one('<!-- not run: far away -->\n\n```sh\nnpm start\n```\n'))).toEqual({ run: 'sh' });
  });

  test('a graphql block whose answer has errors fails', async () => {
    await expect(runGraphQLBlock(hub!.url, one('```graphql\n{ drugDeaths { noSuchField } }\n```\n'))).rejects.toThrow(
      /noSuchField/,
    );
  });

  test('an sh block that exits otherwise than with 0 fails, and runs against the test hub', async () => {
    const options = { cwd: ROOT, origin: origin(), env: blockEnv, timeoutMs: 10_000 };
    await expect(runShBlock(one('```sh\ntrue\nfalse\necho not reached\n```\n'), options)).rejects.toThrow(
      /exited with 1/,
    );
    const url = one(`\`\`\`sh\ncurl -sf '${DOCS_ORIGIN}/graphql?query=%7Bsources%7Bid%7D%7D'\n\`\`\`\n`);
    expect(await runShBlock(url, options)).toContain('"mortality"');
  });

  test('only files that exist are read (a page linked before it is written is not)', () => {
    expect(blocks.every((block) => existsSync(join(ROOT, block.file)))).toBe(true);
  });
});
