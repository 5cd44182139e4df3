import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// There is no Docker engine on these machines: these checks read the files Docker would.

const ROOT = join(import.meta.dirname, '../..');
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const stages = dockerfile.split(/^FROM /m).slice(1);

interface ComposeService {
  build?: string;
  image?: string;
  command?: unknown;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, ComposeService>;
  };

  it('is valid YAML whose hub is built from the Dockerfile, with no install at start', () => {
    const hub = compose.services.hub!;
    expect(hub.build).toBe('.');
    expect(hub.command).toBeUndefined();
    expect(JSON.stringify(hub)).not.toMatch(/npm (ci|install)/);
  });

  it('points the hub at the compose PostgreSQL and waits until it is healthy', () => {
    const hub = compose.services.hub!;
    expect(hub.environment?.DATABASE_URL).toMatch(/^postgresql:\/\/rusdata:rusdata@postgres:5432\/rusdata$/);
    expect(hub.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(compose.services.postgres?.healthcheck?.test.join(' ')).toContain('pg_isready');
  });
});

describe('Dockerfile', () => {
  it('builds in one stage and runs the compiled output in another, as a non-root user', () => {
    expect(stages).toHaveLength(2);
    const [build, run] = stages as [string, string];
    expect(build).toContain('node scripts/build.mjs --force');
    expect(build).toContain('npm prune --omit=dev');
    expect(run).toMatch(/^USER node$/m);
    expect(run).toMatch(/^CMD \[.*"dist\/main.js"\]$/m);
    expect(run).not.toMatch(/npm (ci|install)/);
  });

  it('copies only paths that exist in the repository', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((match) => match[1]!.split(' '));
    expect(sources.length).toBeGreaterThan(3);
    for (const source of sources) expect(existsSync(join(ROOT, source)), source).toBe(true);
  });
});
