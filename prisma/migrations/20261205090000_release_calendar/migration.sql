-- The release calendar: a release becomes public at an instant, `public_from` (an embargo until
-- then). Releases stored before this migration keep answering as they did: the bundled ones
-- (published_by IS NULL) from the start of their publication date in Oslo, the published ones
-- from when they were stored, or at 08:00 Oslo on their date where that date was still ahead.

-- AlterTable
ALTER TABLE "release" ADD COLUMN "public_from" TIMESTAMPTZ(6);

UPDATE "release" SET "public_from" = CASE
    WHEN "published_by" IS NULL THEN "published_at"::timestamp AT TIME ZONE 'Europe/Oslo'
    WHEN "published_at" <= ("created_at" AT TIME ZONE 'Europe/Oslo')::date THEN "created_at"
    ELSE ("published_at" + time '08:00') AT TIME ZONE 'Europe/Oslo'
END;

-- A release written by a plain SQL script without an instant is public at once.
ALTER TABLE "release" ALTER COLUMN "public_from" SET NOT NULL,
    ALTER COLUMN "public_from" SET DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "release_public_from_idx" ON "release"("public_from");

-- The database's identity, named by every ETag with the data version: two deployments at the
-- same version hold different data. A standby replays it, so a replica shares its primary's.
ALTER TABLE "data_version" ADD COLUMN "database_id" UUID NOT NULL DEFAULT gen_random_uuid();

-- The version of what the public sees: moved only by a change public at once (a release public
-- at its commit, a public release withdrawn, a change of codelists), so a release stored under
-- embargo leaves every public ETag as it was; its instant moves them (hubs add the latest
-- public_from passed to the version).
ALTER TABLE "data_version" ADD COLUMN "public_version" BIGINT NOT NULL DEFAULT 0;
UPDATE "data_version" SET "public_version" = "version";

-- A rescheduled release moves the data version too (hubs reload their calendar), and the notice
-- says which change it was. The clock is read at commit (the trigger is deferred), not at the
-- start of a long publish.
CREATE OR REPLACE FUNCTION "release_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    next_version BIGINT;
    seen_now BOOLEAN := CASE WHEN TG_OP = 'INSERT' THEN NEW."public_from" <= clock_timestamp()
        ELSE least(OLD."public_from", NEW."public_from") <= clock_timestamp() END;
BEGIN
    UPDATE "data_version" SET "version" = "version" + 1,
        "public_version" = "public_version" + CASE WHEN seen_now THEN 1 ELSE 0 END
        WHERE "id" = 1 RETURNING "version" INTO next_version;
    PERFORM pg_notify('release_changed', json_build_object(
        'kind', CASE
            WHEN TG_OP = 'INSERT' THEN 'PUBLISHED'
            WHEN NEW."withdrawn_at" IS DISTINCT FROM OLD."withdrawn_at" THEN 'WITHDRAWN'
            ELSE 'RESCHEDULED' END,
        'sourceId', NEW."source_id",
        'releaseId', NEW."id",
        'version', next_version)::text);
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER "release_rescheduled" AFTER UPDATE OF "public_from" ON "release"
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD."public_from" IS DISTINCT FROM NEW."public_from") EXECUTE FUNCTION "release_changed"();
