import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type pg from 'pg';
import { inTransaction } from '../db/bulk.ts';
import { announceDataChange } from '../db/data-version.ts';
import type { Database } from '../db/database.ts';
import { CODELISTS_MODULE, DIMENSIONS_DATA_DIR, loadCodelists } from '../dimensions/codelists.ts';
import { DATA_DIR } from '../importing/source-files.ts';
import { SOURCES_DIR, sourceModules } from '../sources/registry.ts';
import { loadBundledReleases } from './releases.ts';

/**
 * SHA-256 over the files under `paths` (names and contents): the bundled files of a part and the
 * code that reads them, including the shared readers (src/importing) and this module's folder. Hashing 1 MB costs milliseconds;
 * parsing and validating it costs about a second, which a restart with nothing changed skips.
 */
export function fingerprintFiles(paths: readonly string[]): string {
  const hash = createHash('sha256');
  const add = (path: string) => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) add(join(path, entry));
      return;
    }
    hash.update(`${relative(join(DATA_DIR, '../..'), path)}\0`).update(readFileSync(path));
  };
  for (const path of [...paths, join(import.meta.dirname, '../importing'), import.meta.dirname]) add(path);
  return hash.digest('hex');
}

async function loadedFingerprints(pool: pg.Pool): Promise<Map<string, string>> {
  const { rows } = await pool.query<{ name: string; fingerprint: string }>(
    'SELECT name, fingerprint FROM bundled_load',
  );
  return new Map(rows.map((row) => [row.name, row.fingerprint]));
}

async function recordFingerprint(client: pg.ClientBase, name: string, fingerprint: string): Promise<void> {
  await client.query(
    `INSERT INTO bundled_load (name, fingerprint) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, loaded_at = now()`,
    [name, fingerprint],
  );
}

/** The fingerprint of each part of the bundled data: `dimensions` (the codelists), then each source. */
export type BundledFingerprints = ReadonlyMap<string, string>;

/**
 * Fingerprints every part of the bundled data. It needs no database: `npm start` takes them while
 * the embedded database is still starting (hashing the files took about 70 ms of a restart).
 */
export function fingerprintBundledData(): BundledFingerprints {
  return new Map([
    ['dimensions', fingerprintFiles([DIMENSIONS_DATA_DIR, CODELISTS_MODULE])],
    ...sourceModules.map(
      (module) => [module.id, fingerprintFiles([join(DATA_DIR, module.id), join(SOURCES_DIR, module.id)])] as const,
    ),
  ]);
}

/**
 * Loads the data bundled under prisma/data: the shared codelists, then each source's releases
 * that the database does not have yet. Safe to run on every start: what is stored is kept. A part
 * whose files (and reading code) are unchanged since it was last loaded is not read again.
 */
export async function loadBundledData(
  db: Database,
  log: (line: string) => void = () => {},
  fingerprints: BundledFingerprints = fingerprintBundledData(),
): Promise<void> {
  const loaded = await loadedFingerprints(db.pool);
  const fingerprintOf = (part: string) => {
    const fingerprint = fingerprints.get(part);
    if (!fingerprint) throw new Error(`no fingerprint of the bundled data's part ${part}`);
    return fingerprint;
  };
  const dimensions = fingerprintOf('dimensions');
  if (loaded.get('dimensions') === dimensions) {
    log('codelists: unchanged since loaded');
  } else {
    const codes = await inTransaction(db.pool, async (client) => {
      const counts = await loadCodelists(client);
      await recordFingerprint(client, 'dimensions', dimensions);
      await announceDataChange(client);
      return counts;
    });
    log(
      `codelists: ${Object.entries(codes)
        .map(([table, count]) => `${table} ${count}`)
        .join(', ')}`,
    );
  }
  let storedAny = false;
  for (const module of sourceModules) {
    const fingerprint = fingerprintOf(module.id);
    if (loaded.get(module.id) === fingerprint) {
      log(`${module.id}: bundled files unchanged since loaded`);
      continue;
    }
    const source = module.readSource();
    if (source.id !== module.id)
      throw new Error(
        `prisma/data/${module.id}/source.json has the id "${source.id}"; it must be the folder's name, "${module.id}".`,
      );
    const started = performance.now();
    const bundles = module.readBundledReleases();
    const { stored } = await loadBundledReleases(db.pool, source, bundles, module.readReferenceData?.(), (client) =>
      recordFingerprint(client, module.id, fingerprint),
    );
    const rows = bundles
      .filter((bundle) => stored.includes(bundle.release.id))
      .reduce((sum, bundle) => sum + bundle.observations.reduce((n, table) => n + table.rows.length, 0), 0);
    storedAny ||= stored.length > 0;
    log(
      stored.length
        ? `${source.id}: stored ${stored.length} new releases (${rows} observations) in ${Math.round(performance.now() - started)} ms`
        : `${source.id}: all ${bundles.length} bundled releases already stored`,
    );
  }
  if (storedAny) {
    // PostgreSQL's advice after a bulk load: fresh statistics for the planner, and a visibility
    // map so that the first queries need not check every row's transaction (they answered about
    // a third slower until autovacuum came by).
    const started = performance.now();
    await db.pool.query('VACUUM (ANALYZE)');
    log(`vacuumed and analysed the loaded tables in ${Math.round(performance.now() - started)} ms`);
  }
}
