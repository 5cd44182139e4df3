import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { type Database, openDatabase, type StatementListener } from '../../src/db/database.ts';
import { applyMigrations } from '../../src/db/migrate.ts';
import { loadBundledData } from '../../src/publishing/bundled.ts';
import { createHub, type Hub, type HubOptions } from '../../src/server/yoga.ts';

export interface GraphQLResponse<Data = Record<string, unknown>> {
  data?: Data | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestHub {
  db: Database;
  hub: Hub;
  /** Every SQL statement sent since the last `statements.length = 0`. */
  statements: string[];
  query<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<Data>>;
  /** The data of a query that must succeed; its errors fail the test with their messages. */
  data<Data>(query: string, variables?: Record<string, unknown>): Promise<Data>;
  close(): Promise<void>;
}

/**
 * A fresh database for one test file: a new PostgreSQL database on the server at DATABASE_URL
 * (dropped on close), or else a new embedded database in a temporary directory.
 */
export async function openTestDatabase(
  onStatement?: StatementListener,
): Promise<{ db: Database; drop(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), 'rusdata-test-'));
    const db = await openDatabase({ dataDir, poolMax: 1, onStatement });
    return {
      db,
      drop: async () => {
        await db.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `rusdata_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString(), dataDir: '', poolMax: 4, onStatement });
  return {
    db,
    drop: async () => {
      await db.close();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/**
 * The date tests answer at: answers that follow the calendar (the default county structure,
 * which releases are public) do not change with it. Releases the tests publish are dated by it.
 */
export const TEST_DATE = new Date('2026-12-01T12:00:00Z');

/** A migrated hub with the bundled data, on a fresh database, answering as on TEST_DATE. */
export async function startTestHub(options: HubOptions = {}): Promise<TestHub> {
  const statements: string[] = [];
  const { db, drop } = await openTestDatabase((sql) => statements.push(sql));
  await applyMigrations(db.pool);
  await loadBundledData(db);
  const hub = createHub(db, { clock: () => TEST_DATE, ...options });
  await hub.events.ready;
  const query = async <Data>(text: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<Data>> => {
    const response = await hub.fetch('http://rusdata.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: text, variables }),
    });
    return response.json() as Promise<GraphQLResponse<Data>>;
  };
  return {
    db,
    hub,
    statements,
    query,
    async data<Data>(text: string, variables?: Record<string, unknown>) {
      const response = await query<Data>(text, variables);
      if (response.errors?.length) throw new Error(response.errors.map((error) => error.message).join('\n'));
      return response.data!;
    },
    async close() {
      await hub.events.close();
      await drop();
    },
  };
}

/**
 * The hub of one test file: started before its tests (startTestHub) and closed after them. The
 * returned object stands for that hub; using it outside a test or hook is an error.
 */
export function useTestHub(options: HubOptions = {}): TestHub {
  let started: TestHub | undefined;
  beforeAll(async () => {
    started = await startTestHub(options);
  });
  afterAll(() => started?.close());
  return new Proxy({} as TestHub, {
    get(_target, key) {
      if (!started) throw new Error('the test hub starts in beforeAll: use it inside a test or hook');
      return Reflect.get(started, key);
    },
  });
}

/**
 * useTestHub, also served over HTTP on a free loopback port, for clients that fetch by URL.
 * `origin()` is its `http://127.0.0.1:<port>`, known once the hooks have run.
 */
export function useServedTestHub(options: HubOptions = {}): { hub: TestHub; origin: () => string } {
  const hub = useTestHub(options);
  let server: Server | undefined;
  let origin = '';
  beforeAll(async () => {
    const listening = createServer(hub.hub);
    server = listening;
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server?.close(resolve)));
  return { hub, origin: () => origin };
}
