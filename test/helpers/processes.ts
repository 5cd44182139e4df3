import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

export interface Started {
  child: ChildProcess;
  output: () => string;
  /** Kills the process and its children (tsx runs node as a child). */
  kill(signal?: NodeJS.Signals): void;
}

/** Starts `tsx <script> ...args` in its own process group, collecting its output. */
export function startScript(script: string, args: string[], env: Record<string, string>): Started {
  const child = spawn(TSX, [join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return {
    child,
    output: () => output,
    kill(signal = 'SIGTERM') {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    },
  };
}

/** Waits until the output matches `pattern`, and returns the match. */
export async function waitFor(started: Started, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = started.output().match(pattern);
    if (match) return match;
    if (started.child.exitCode !== null)
      throw new Error(`the process exited (${started.child.exitCode}) before ${pattern}:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A hub process (src/main.ts) on a free port; resolves with its GraphQL URL once it is ready. */
export async function startHubProcess(env: Record<string, string>): Promise<Started & { url: string }> {
  const hub = startScript('src/main.ts', [], { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env });
  const [, url] = await waitFor(hub, /ready in \d+ ms: (http:\/\/\S+\/graphql)/);
  return Object.assign(hub, { url: url! });
}
