import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { openDatabase } from '../db/database.ts';
import { EMBEDDED_IMAGE } from '../db/embedded.ts';
import { applyMigrations } from '../db/migrate.ts';
import { loadBundledData } from './bundled.ts';

/**
 * Writes the image a new embedded DATA_DIR starts from: a cluster made in a scratch folder beside
 * the target, migrated and loaded with the bundled data exactly as a first start would, and shut
 * down. The hub still migrates and loads at every start, so an image older than the checkout is
 * only slower, never wrong. The finished folder is renamed into place: a hub never reads half an
 * image. Returns the image's folder.
 */
export async function prepareEmbeddedImage(
  target = EMBEDDED_IMAGE,
  log: (line: string) => void = () => {},
): Promise<string> {
  const scratch = mkdtempSync(`${target}.new-`);
  const previous = `${scratch}.previous`;
  try {
    const db = await openDatabase({ dataDir: scratch, poolMax: 1, role: 'cli' });
    try {
      await applyMigrations(db.pool, undefined, log);
      await loadBundledData(db, log);
    } finally {
      // Closing removes this process's lock file: a folder made from the image takes its own.
      await db.close();
    }
    if (existsSync(target)) renameSync(target, previous);
    renameSync(scratch, target);
    return target;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(previous, { recursive: true, force: true });
  }
}
