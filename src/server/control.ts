import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { Database } from '../db/database.ts';
import type { ControlEndpoint } from '../db/folder-lock.ts';
import type { RegisteredSource } from '../importing/source-module.ts';
import { cliCommandSchema, runCommand } from '../publishing/commands.ts';

/**
 * One line of the control endpoint's answer (newline-delimited JSON): progress while a publish
 * writes, then the output or the error.
 */
export type ControlLine =
  | { progress: [written: number, total: number] }
  | { output: string }
  | { error: string; code?: string };

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The hub's door for `npm run cli` while it owns the embedded database: loopback only, and only
 * for a caller that read the per-start secret from the lock file (mode 0600, so the same user).
 * The hub runs the command in-process, so it writes through its own connection and answers the
 * new release at once.
 */
export async function startControlServer(
  db: Database,
  modules: readonly RegisteredSource[],
): Promise<ControlEndpoint & { close(): Promise<void> }> {
  const secret = randomBytes(32).toString('base64url');
  const expected = Buffer.from(`Bearer ${secret}`);
  const server = createServer(async (request, response) => {
    const presented = Buffer.from(request.headers.authorization ?? '');
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      response.writeHead(401).end();
      return;
    }
    if (request.method !== 'POST' || request.url !== '/command') {
      response.writeHead(404).end();
      return;
    }
    const write = (line: ControlLine) => response.write(`${JSON.stringify(line)}\n`);
    response.writeHead(200, { 'content-type': 'application/x-ndjson' });
    try {
      const { command, actor } = JSON.parse(await bodyOf(request)) as { command: unknown; actor: unknown };
      const output = await runCommand(db, modules, cliCommandSchema.parse(command), String(actor), (written, total) =>
        write({ progress: [written, total] }),
      );
      write({ output });
    } catch (error) {
      write({ error: (error as Error).message, code: (error as { extensions?: { code?: string } }).extensions?.code });
    }
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/command`,
    secret,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
