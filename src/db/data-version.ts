import type pg from 'pg';

/** The channel a release's trigger (and announceDataChange) notifies; its payload carries the new data version. */
export const RELEASE_CHANNEL = 'release_changed';

/**
 * Moves the data version on a change that is not a release (codelists reloaded from newer bundled
 * files), announced at commit on the releases' channel: every hub drops what it derived from the
 * old data (cube metadata, codelists in memory, cached answers), as a release makes it do.
 */
export async function announceDataChange(client: pg.ClientBase): Promise<void> {
  await client.query(
    `WITH bumped AS (UPDATE data_version SET version = version + 1, public_version = public_version + 1
       WHERE id = 1 RETURNING version)
     SELECT pg_notify('${RELEASE_CHANNEL}', json_build_object('version', version)::text) FROM bumped`,
  );
}

/**
 * Gives the database an identity of its own: a folder made from the prepared embedded image starts
 * with the image's, which every other such folder shares; ETags name it, so two would collide.
 */
export async function renewDatabaseIdentity(pool: pg.Pool): Promise<void> {
  await pool.query('UPDATE data_version SET database_id = gen_random_uuid()');
}
