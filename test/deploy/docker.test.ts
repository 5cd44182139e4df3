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

describe("docker-compose.yml's scale profile (docs/operating.md)", () => {
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<
      string,
      ComposeService & { profiles?: string[]; entrypoint?: string[]; configs?: { source: string }[] }
    >;
    configs: Record<string, { content: string }>;
    volumes: Record<string, unknown>;
  };
  const scale = Object.entries(compose.services).filter(([, service]) => service.profiles?.includes('scale'));

  it('holds a primary, a streaming standby, PgBouncer and two hubs, none of them started without the profile', () => {
    expect(scale.map(([name]) => name).sort()).toEqual([
      'hub-1',
      'hub-2',
      'pgbouncer',
      'postgres-primary',
      'postgres-replica',
    ]);
    expect(compose.services.hub?.profiles).toBeUndefined();
  });

  it('points each hub through PgBouncer in transaction mode, LISTEN at the primary and reads at the standby', () => {
    for (const name of ['hub-1', 'hub-2']) {
      const environment = compose.services[name]!.environment!;
      expect(environment.DATABASE_URL).toMatch(/@pgbouncer:6432\//);
      expect(environment.DB_POOL_MODE).toBe('transaction');
      expect(environment.DATABASE_LISTEN_URL).toMatch(/@postgres-primary:5432\//);
      expect(environment.DATABASE_READ_URL).toMatch(/@postgres-replica:5432\//);
    }
    expect(compose.services.pgbouncer!.environment).toMatchObject({
      DB_HOST: 'postgres-primary',
      POOL_MODE: 'transaction',
    });
  });

  it('makes the standby with pg_basebackup -R from the primary, which allows replication', () => {
    const replica = compose.services['postgres-replica']!;
    // Compose reads $$ as a literal $.
    const script = compose.configs[replica.configs![0]!.source]!.content.replaceAll('$$', '$');
    expect(script).toMatch(/pg_basebackup -h postgres-primary .*-D "\$PGDATA" -R/);
    expect(script).toContain('hot_standby=on');
    expect(compose.configs['allow-replication']!.content).toContain('host replication all all');
    expect(compose.services['postgres-primary']!.command).toContain('wal_level=replica');
  });

  it('names only services, configs and volumes it defines', () => {
    for (const [, service] of scale) {
      for (const needed of Object.keys(service.depends_on ?? {})) expect(compose.services).toHaveProperty([needed]);
      for (const config of service.configs ?? []) expect(compose.configs).toHaveProperty([config.source]);
    }
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['primary-data', 'replica-data']));
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
