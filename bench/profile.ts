import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../src/db/database.ts';
import { applyMigrations } from '../src/db/migrate.ts';
import { loadBundledData } from '../src/publishing/bundled.ts';
import { DASHBOARD_QUERY, loadAverage, measure, ROOT, startHub, stop } from './processes.ts';

// `npm run bench:profile`: where the uncached hub spends its CPU under load. The hub runs as
// users run it (dist/main.js on PostgreSQL, response cache off, in a scratch database with the
// bundled data) under `node --cpu-prof`; bench/load.ts sends the bench's dashboard query from
// another process for BENCH_SECONDS (default 20); the hub stops and writes its profile. Printed:
// the PROFILE_TOP (default 10) functions by self time, and self time by package. The profile is
// kept (its path is printed) for Chrome DevTools or speedscope. The summary leaves out the hub's
// start and the load's warm-up second; a profile given on the command line is summarised whole.
//   tsx bench/profile.ts FILE.cpuprofile   summarises a profile already written

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds on the monotonic clock that process.hrtime reads too. */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const SERVER_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const TOP = Number(process.env.PROFILE_TOP ?? 10);

/** Source maps of dist/ files, by file URL (dist/packages/ bundles the packages: see scripts/build.mjs). */
const sourceMaps = new Map<string, SourceMap | undefined>();

/**
 * A position in dist/ as the file it was compiled or bundled from (a package's own file, or the
 * hub's TypeScript), through dist's source maps; other positions as they are.
 */
function originalPosition(url: string, lineNumber: number, columnNumber: number) {
  if (!url.includes('/dist/')) return { url, lineNumber };
  if (!sourceMaps.has(url)) {
    const mapFile = `${url.replace(/^file:\/\//, '')}.map`;
    sourceMaps.set(url, existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : undefined);
  }
  const entry = sourceMaps.get(url)?.findEntry(lineNumber, columnNumber);
  if (!entry || !('originalSource' in entry)) return { url, lineNumber };
  return { url: new URL(entry.originalSource, url).href, lineNumber: entry.originalLine };
}

/** Where a function comes from: an npm package, the hub's own code, Node itself, or V8. */
function origin(url: string): string {
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inPackage) return inPackage[1]!;
  if (url.startsWith('node:')) return 'node';
  if (url.includes('/dist/') || url.includes('/src/')) return 'hub';
  return url ? url : '(V8 and native)';
}

/** Prints the top functions and packages by self time, of the samples taken from `sinceMicros` on. */
function summarise(file: string, sinceMicros = 0): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  // timeDeltas[i + 1] is the time from sample i to the next one: sample i's share.
  const selfMicros = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < sinceMicros) continue;
    const id = profile.samples[i]!;
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  }
  const byFunction = new Map<string, { function: string; where: string; micros: number }>();
  const byOrigin = new Map<string, number>();
  let busy = 0;
  for (const [id, micros] of selfMicros) {
    const { functionName, ...position } = nodes.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    const { url, lineNumber } = originalPosition(position.url, position.lineNumber, position.columnNumber);
    busy += micros;
    const where = url ? `${relative(ROOT, url.replace(/^file:\/\//, ''))}:${lineNumber + 1}` : '';
    const key = `${functionName}@${where}`;
    const entry = byFunction.get(key) ?? { function: functionName || '(anonymous)', where, micros: 0 };
    entry.micros += micros;
    byFunction.set(key, entry);
    const from = origin(url);
    byOrigin.set(from, (byOrigin.get(from) ?? 0) + micros);
  }
  const percent = (micros: number) => `${((100 * micros) / busy).toFixed(1)} %`;
  console.log(`${file}: ${(busy / 1e6).toFixed(1)} s of CPU (idle left out${sinceMicros ? ', from the load on' : ''})`);
  console.log(`top ${TOP} functions by self time:`);
  console.table(
    [...byFunction.values()]
      .sort((a, b) => b.micros - a.micros)
      .slice(0, TOP)
      .map((entry) => ({
        function: entry.function,
        where: entry.where,
        'self ms': Math.round(entry.micros / 1000),
        share: percent(entry.micros),
      })),
  );
  console.log('self time by package:');
  console.table(
    [...byOrigin.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([from, micros]) => ({ package: from, 'self ms': Math.round(micros / 1000), share: percent(micros) })),
  );
}

if (process.argv[2]) {
  summarise(process.argv[2]);
} else {
  const databaseName = `rusdata_bench_profile_${Date.now()}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${databaseName}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${databaseName}`;
  try {
    const db = await openDatabase({ url: url.toString(), dataDir: '', poolMax: 2 });
    try {
      await applyMigrations(db.pool);
      await loadBundledData(db);
    } finally {
      await db.close();
    }
    execFileSync(process.execPath, [`${ROOT}scripts/build.mjs`], { stdio: 'inherit' });
    let loadFrom = 0;
    const profileDir = mkdtempSync(join(tmpdir(), 'rusdata-profile-'));
    const hub = await startHub(url.toString(), {
      cacheTtlMs: 0,
      nodeOptions: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
    });
    try {
      console.log(`bench:profile: ${SECONDS} s of the dashboard query (load average ${loadAverage()})`);
      const body = JSON.stringify({ query: DASHBOARD_QUERY });
      // The hub's start and load.ts's warm-up second are left out of the summary.
      loadFrom = Number(process.hrtime.bigint() / 1000n) + 1_000_000;
      const result = await measure(
        'hub, no cache',
        { url: hub.url, method: 'POST', headers: { 'content-type': 'application/json' }, body },
        { seconds: SECONDS },
      );
      console.log(
        `${Math.round(result.requestsPerSecond)} req/s under the profiler, p50 ${result.p50Ms.toFixed(2)} ms ` +
          `(load average ${loadAverage()})`,
      );
    } finally {
      await stop(hub.child);
    }
    const written = readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile'));
    if (written.length !== 1) throw new Error(`expected one profile in ${profileDir}, found ${written.length}`);
    summarise(join(profileDir, written[0]!), loadFrom);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin.end();
  }
}
