-- Release events through PostgreSQL itself: every writer (a hub, the CLI, a plain SQL script)
-- bumps the data version and notifies every listening hub when it commits a new or withdrawn
-- release. Hubs key their caches and ETags on the version, so replicas agree.

-- CreateTable
CREATE TABLE "data_version" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "data_version_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "data_version_one_row" CHECK ("id" = 1)
);

INSERT INTO "data_version" ("id", "version") VALUES (1, 0);

-- Runs at commit (deferred), so the version is bumped and announced only with committed data and
-- the row lock on data_version is held for an instant, not for a whole publish.
CREATE FUNCTION "release_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    next_version BIGINT;
BEGIN
    UPDATE "data_version" SET "version" = "version" + 1 WHERE "id" = 1 RETURNING "version" INTO next_version;
    PERFORM pg_notify('release_changed', json_build_object(
        'kind', CASE WHEN NEW."withdrawn_at" IS NULL THEN 'PUBLISHED' ELSE 'WITHDRAWN' END,
        'sourceId', NEW."source_id",
        'releaseId', NEW."id",
        'version', next_version)::text);
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER "release_published" AFTER INSERT ON "release"
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "release_changed"();

CREATE CONSTRAINT TRIGGER "release_withdrawn" AFTER UPDATE OF "withdrawn_at" ON "release"
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD."withdrawn_at" IS DISTINCT FROM NEW."withdrawn_at") EXECUTE FUNCTION "release_changed"();
