import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db/database.ts';
import { EMBEDDED_IMAGE } from '../db/embedded.ts';
import { applyMigrations } from '../db/migrate.ts';
import { loadBundledData } from './bundled.ts';

/**
 * Writes the image a new embedded DATA_DIR starts from: a cluster made in a scratch folder,
 * migrated and loaded with the bundled data exactly as a first start would, then dumped. The hub
 * still migrates and loads at every start, so an image older than the checkout is only slower,
 * never wrong. Written to a temporary name and renamed: a hub never reads half an image.
 */
export async function prepareEmbeddedImage(
  target = EMBEDDED_IMAGE,
  log: (line: string) => void = () => {},
): Promise<number> {
  const scratch = mkdtempSync(join(tmpdir(), 'rusdata-image-'));
  try {
    const db = await openDatabase({ dataDir: scratch, poolMax: 1, role: 'cli' });
    let image: Blob | undefined;
    try {
      await applyMigrations(db.pool, undefined, log);
      await loadBundledData(db, log);
      // The dump takes every file of the folder: without this process's lock file in it, a folder
      // made from the image keeps its own owner's lock.
      db.folderLock?.release();
      image = await db.dumpEmbedded?.();
    } finally {
      await db.close();
    }
    if (!image) throw new Error('the embedded database gave no image');
    const temporary = `${target}.${process.pid}`;
    writeFileSync(temporary, Buffer.from(await image.arrayBuffer()));
    renameSync(temporary, target);
    return image.size;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
