-- Current cells: in each cube table, the row that answers its cell while every standing release
-- (not withdrawn) is public is marked `is_current`: the cell's row from the latest standing
-- release (by publication date, then storage time, then id), and within that release the first
-- stored. A read that sees every standing release (no embargo pending, no asOf) then selects
-- the marked rows instead of ranking every release of every cell. The database keeps the marks
-- in the transaction that writes, whoever writes (a hub, the CLI, a plain SQL script).

-- CreateTable
CREATE TABLE "cube_cell_key" (
    "table_name" TEXT NOT NULL,
    "columns" TEXT[],

    CONSTRAINT "cube_cell_key_pkey" PRIMARY KEY ("table_name")
);

-- The statement that marks, in `cube_table`, the current row of every cell that the rows of
-- `changed` (a FROM item: a trigger's transition table, or the table with a condition) have, and
-- unmarks the others; the caller runs it (a trigger's transition table is visible to the trigger
-- function's own statements only). Writers take turns: a second one waits here for the first to
-- commit, and its statement then reads the first one's rows too (a statement of a function reads
-- anew, in READ COMMITTED).
CREATE FUNCTION "current_cells_marking"("cube_table" TEXT, "changed" TEXT) RETURNS TEXT LANGUAGE plpgsql AS $$
DECLARE
    key TEXT[] := (SELECT "columns" FROM "cube_cell_key" WHERE "table_name" = cube_table);
    cell TEXT := (SELECT string_agg(format('%I', c), ', ') FROM unnest(key) c);
    row_cell TEXT := (SELECT string_agg(format('o.%I', c), ', ') FROM unnest(key) c);
BEGIN
    IF key IS NULL THEN
        RAISE EXCEPTION 'cube_cell_key has no cell key for the table %', cube_table;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('current_cells_marking'));
    RETURN format(
        'WITH cells AS MATERIALIZED (SELECT DISTINCT %s FROM %s),
              ranked AS (
                SELECT o.id, r.withdrawn_at IS NULL AND o.id = first_value(o.id) OVER (
                    PARTITION BY %s
                    ORDER BY r.withdrawn_at IS NULL DESC, r.published_at DESC, r.created_at DESC, r.id DESC, o.id
                  ) AS current
                FROM %I o JOIN "release" r ON r.id = o.release_id
                WHERE (%s) IN (SELECT * FROM cells))
         UPDATE %I t SET is_current = ranked.current FROM ranked
         WHERE t.id = ranked.id AND t.is_current <> ranked.current',
        cell, changed, row_cell, cube_table, row_cell, cube_table);
END
$$;

-- The functions that mark run with hash joins, so a marking costs one pass over the table: with
-- the estimates of a table filled in the same transaction (the bundled load), nested loops made it
-- quadratic (11.9 s of triggers in that load, against 0.6 s with hash joins).

-- After rows are added or removed: their cells.
CREATE FUNCTION "cube_rows_changed"() RETURNS trigger LANGUAGE plpgsql SET enable_nestloop = off AS $$
BEGIN
    EXECUTE "current_cells_marking"(TG_TABLE_NAME, 'changed');
    RETURN NULL;
END
$$;

-- After a release is withdrawn (or a withdrawal undone): the cells it has in every cube table.
CREATE FUNCTION "release_standing_changed"() RETURNS trigger LANGUAGE plpgsql SET enable_nestloop = off AS $$
DECLARE
    cube_table TEXT;
BEGIN
    FOR cube_table IN SELECT "table_name" FROM "cube_cell_key" ORDER BY "table_name" LOOP
        EXECUTE "current_cells_marking"(cube_table, format('%I WHERE release_id = %L', cube_table, NEW."id"));
    END LOOP;
    RETURN NULL;
END
$$;

CREATE TRIGGER "release_standing_changed" AFTER UPDATE OF "withdrawn_at" ON "release"
    FOR EACH ROW WHEN ((OLD."withdrawn_at" IS NULL) IS DISTINCT FROM (NEW."withdrawn_at" IS NULL))
    EXECUTE FUNCTION "release_standing_changed"();

-- Makes `cube_table` a cube table whose cells are identified by `key_columns`: records its key,
-- marks the rows it already holds and keeps the marks from then on. A new source's migration
-- calls it for each table a cube reads (the table has `is_current BOOLEAN NOT NULL DEFAULT true`:
-- a new row is presumed current, and the marking unmarks what it supersedes, or the new row).
CREATE FUNCTION "track_current_cells"("cube_table" TEXT, "key_columns" TEXT[]) RETURNS void LANGUAGE plpgsql
    SET enable_nestloop = off AS $$
BEGIN
    INSERT INTO "cube_cell_key" ("table_name", "columns") VALUES (cube_table, key_columns);
    EXECUTE format('CREATE TRIGGER "cube_rows_added" AFTER INSERT ON %I REFERENCING NEW TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION "cube_rows_changed"()', cube_table);
    EXECUTE format('CREATE TRIGGER "cube_rows_removed" AFTER DELETE ON %I REFERENCING OLD TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION "cube_rows_changed"()', cube_table);
    EXECUTE "current_cells_marking"(cube_table, format('%I', cube_table));
END
$$;

-- AlterTable
ALTER TABLE "death_observation" ADD COLUMN "is_current" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "death_rate_observation" ADD COLUMN "is_current" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "injecting_drug_use_estimate" ADD COLUMN "is_current" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "survey_prevalence" ADD COLUMN "is_current" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "survey_distribution" ADD COLUMN "is_current" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "wastewater_observation" ADD COLUMN "is_current" BOOLEAN NOT NULL DEFAULT true;

-- The cell keys of the cubes (src/sources/*/cubes.ts; test/cube/current-cells.test.ts checks them).
SELECT "track_current_cells"('death_observation',
    ARRAY['measure', 'year_from', 'year', 'region_code', 'sex', 'age_group_code', 'cause_code', 'intent_code']);
SELECT "track_current_cells"('death_rate_observation', ARRAY['year', 'region_code', 'sex', 'standard_code']);
SELECT "track_current_cells"('injecting_drug_use_estimate', ARRAY['series', 'year']);
SELECT "track_current_cells"('survey_prevalence', ARRAY['year', 'substance_code', 'recall', 'sex', 'age_group_code']);
SELECT "track_current_cells"('survey_distribution',
    ARRAY['distribution', 'measure', 'year', 'sex', 'age_group_code', 'category']);
SELECT "track_current_cells"('wastewater_observation',
    ARRAY['year', 'site_code', 'country_code', 'substance_code', 'campaign', 'statistic']);
