import { inTransaction } from '../db/bulk.ts';
import type { Database } from '../db/database.ts';
import { loadCodelists } from '../dimensions/codelists.ts';
import { sourceModules } from '../sources/registry.ts';
import { loadBundledReleases } from './releases.ts';

/**
 * Loads the data bundled under prisma/data: the shared codelists, then each source's releases
 * that the database does not have yet. Safe to run on every start: what is stored is kept.
 */
export async function loadBundledData(db: Database, log: (line: string) => void = () => {}): Promise<void> {
  const codes = await inTransaction(db.pool, (client) => loadCodelists(client));
  log(
    `codelists: ${Object.entries(codes)
      .map(([table, count]) => `${table} ${count}`)
      .join(', ')}`,
  );
  for (const module of sourceModules) {
    const source = module.readSource();
    if (source.id !== module.id)
      throw new Error(
        `prisma/data/${module.id}/source.json has the id "${source.id}"; it must be the folder's name, "${module.id}".`,
      );
    const started = performance.now();
    const bundles = module.readBundledReleases();
    const { stored } = await loadBundledReleases(db.pool, source, bundles, module.readReferenceData?.());
    const rows = bundles
      .filter((bundle) => stored.includes(bundle.release.id))
      .reduce((sum, bundle) => sum + bundle.observations.reduce((n, table) => n + table.rows.length, 0), 0);
    log(
      stored.length
        ? `${source.id}: stored ${stored.length} new releases (${rows} observations) in ${Math.round(performance.now() - started)} ms`
        : `${source.id}: all ${bundles.length} bundled releases already stored`,
    );
  }
}
