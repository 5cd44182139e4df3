import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The docs' code blocks and the convention that says which of them run: a `graphql` block is a
 * query a hub must answer without errors, an `sh` block a command that must exit 0, and a block
 * whose line before is `<!-- not run: <reason> -->` is skipped for that reason.
 */
export interface CodeBlock {
  /** The file, relative to the repository root, e.g. `docs/publishing.md`. */
  file: string;
  /** The line of the opening fence (1-based). */
  line: number;
  /** The fence's info string up to the first space ('' for none). */
  tag: string;
  code: string;
  /** Why the block is not run, from a `<!-- not run: ... -->` line right before it. */
  notRun?: string;
}

/** Tags whose blocks the docs test runs. */
export const RUN_TAGS = ['graphql', 'sh'] as const;

/** Tags of blocks that are shown, never run: code in other languages, files, answers, output. */
export const SHOWN_TAGS = [
  'r',
  'python',
  'ts',
  'js',
  'json',
  'text',
  'prisma',
  'sql',
  'csv',
  'yaml',
  'ini',
  'mermaid',
  'md',
  'markdown',
  'html',
  'diff',
];

/** Tags that mean a query or a command but are spelt otherwise: they would silently not run. */
export const MISSPELT_TAGS: Record<string, string> = {
  bash: 'sh',
  shell: 'sh',
  zsh: 'sh',
  console: 'sh',
  'shell-session': 'sh',
  gql: 'graphql',
};

const NOT_RUN = /^\s*<!--\s*not run:(.*?)-->\s*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/;

/** Every fenced code block of a Markdown text, in order. */
export function codeBlocks(file: string, text: string): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = lines[index]!.match(FENCE);
    if (!open) continue;
    const [, fence, tag] = open;
    const body: string[] = [];
    let end = index + 1;
    // A block ends at a fence of the same character at least as long, or at the end of the file.
    while (end < lines.length && !isClosingFence(lines[end]!, fence!)) body.push(lines[end++]!);
    const comment = index > 0 ? lines[index - 1]!.match(NOT_RUN) : null;
    blocks.push({
      file,
      line: index + 1,
      tag: tag!,
      code: body.join('\n'),
      ...(comment ? { notRun: comment[1]!.trim() } : {}),
    });
    index = end;
  }
  return blocks;
}

function isClosingFence(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.length >= fence.length && trimmed === fence[0]!.repeat(trimmed.length);
}

/** The README and every `docs/*.md` that exists (a page linked before it is written is not read). */
export function docFiles(root: string): string[] {
  const docs = existsSync(join(root, 'docs'))
    ? readdirSync(join(root, 'docs'))
        .filter((name) => name.endsWith('.md'))
        .sort()
        .map((name) => `docs/${name}`)
    : [];
  return ['README.md', ...docs].filter((file) => existsSync(join(root, file)));
}

/** What the docs test does with a block: run it, skip it (with the reason), or fail it. */
export function verdict(
  block: CodeBlock,
): { run: 'graphql' | 'sh' } | { skip: string } | { shown: true } | { wrong: string } {
  if (block.notRun !== undefined)
    return block.notRun ? { skip: block.notRun } : { wrong: 'a "not run" comment needs a reason' };
  if ((RUN_TAGS as readonly string[]).includes(block.tag)) return { run: block.tag as 'graphql' | 'sh' };
  if (SHOWN_TAGS.includes(block.tag)) return { shown: true };
  const lower = block.tag.toLowerCase();
  const meant = MISSPELT_TAGS[lower] ?? ((RUN_TAGS as readonly string[]).includes(lower) ? lower : '');
  if (meant) return { wrong: `the tag "${block.tag}" is not run: write \`\`\`${meant}` };
  if (!block.tag)
    return { wrong: `a block needs a tag: ${RUN_TAGS.join(' or ')} to run, or one of ${SHOWN_TAGS.join(', ')}` };
  return {
    wrong: `unknown tag "${block.tag}": ${RUN_TAGS.join(' or ')} to run, or one of ${SHOWN_TAGS.join(', ')} (or add it to SHOWN_TAGS in test/docs/code-blocks.ts)`,
  };
}

/** The blocks of every doc file under `root`. */
export function allCodeBlocks(root: string): CodeBlock[] {
  return docFiles(root).flatMap((file) => codeBlocks(file, readFileSync(join(root, file), 'utf8')));
}

/** The origin the docs write; sh blocks reach the test hub in its place. */
export const DOCS_ORIGIN = 'http://localhost:4000';

/** Sends a graphql block to `url` as a POST; rejects with the errors when the answer has any. */
export async function runGraphQLBlock(url: string, block: CodeBlock): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: block.code }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
  if (body.errors?.length || !body.data)
    throw new Error(
      `${block.file}:${block.line}: ${body.errors?.map((error) => error.message).join('\n') ?? 'no data'}`,
    );
}

/**
 * Runs an sh block with `bash -e` in `cwd`, the docs' origin replaced by `origin`; rejects with
 * its output when it exits otherwise than with 0.
 */
export async function runShBlock(
  block: CodeBlock,
  options: { cwd: string; origin: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<string> {
  const script = block.code.replaceAll(DOCS_ORIGIN, options.origin);
  const child = spawn('bash', ['-e', '-c', script], { cwd: options.cwd, env: options.env, detached: true });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const timer = setTimeout(() => {
    output += `\n(killed after ${options.timeoutMs} ms)`;
    process.kill(-child.pid!, 'SIGKILL');
  }, options.timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${block.file}:${block.line} exited with ${code}:\n${output}`);
  return output;
}
