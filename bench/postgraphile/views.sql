-- `npm run bench`: the hub's dashboard question for PostGraphile 4, over the hub's own tables, in
-- the ways a PostGraphile user would set it up (README.md beside this file shows each one's GraphQL
-- query, the SQL PostGraphile sends and its plan). Each configuration is a schema of its own,
-- which server.mjs exposes alone:
--   bench_peer_views     views with smart comments: the current regions, the latest cell per key,
--                        and a foreign key between them; the years are filtered with
--                        postgraphile-plugin-connection-filter.
--   bench_peer_function  the current regions and a computed column `drugDeaths(from, to)`: a SQL
--                        function PostgreSQL inlines into PostGraphile's one statement.
--   bench_peer_matview   the views' latest cells kept as a materialized view (refreshed by triggers
--                        when a release or a death is written), with the same smart comments.
-- The rows are the ones the bench's RAW_SQL and the hub's `regions { drugDeaths(from, to) }`
-- return: for each year, the value of the latest non-withdrawn release; totals for sex, age,
-- cause and intent; measure DEATHS.

DROP SCHEMA IF EXISTS bench_peer_views CASCADE;
DROP SCHEMA IF EXISTS bench_peer_function CASCADE;
DROP SCHEMA IF EXISTS bench_peer_matview CASCADE;
CREATE SCHEMA bench_peer_views;
CREATE SCHEMA bench_peer_function;
CREATE SCHEMA bench_peer_matview;

-- The regions valid in the current (UTC) year, as the hub lists them. Views have no primary key:
-- the smart comment gives one, so the connection can be ordered by columns
-- (`orderBy: [KIND_ASC, CODE_ASC]`, the hub's order) and other views can refer to it.
CREATE VIEW bench_peer_views.region AS
  SELECT r.code, r.name_nb AS name, r.kind
  FROM public.region r
  WHERE (r.valid_from IS NULL OR r.valid_from <= extract(year FROM now() AT TIME ZONE 'UTC'))
    AND (r.valid_to IS NULL OR r.valid_to >= extract(year FROM now() AT TIME ZONE 'UTC'));
COMMENT ON VIEW bench_peer_views.region IS E'@primaryKey code';

-- The latest value of each cell of the deaths series (totals for sex, age, cause and intent):
-- per region and year, the row of the latest release not withdrawn. PostgreSQL pushes a
-- `region_code = ...` condition from outside into the DISTINCT ON (its first key column), so a
-- region's series reads only that region's rows, by the table's index.
CREATE VIEW bench_peer_views.drug_death AS
  SELECT DISTINCT ON (o.region_code, o.year_from, o.year) o.region_code, o.year_from, o.year, o.value
  FROM public.death_observation o JOIN public."release" rl ON rl.id = o.release_id
  WHERE o.measure = 'DEATHS' AND o.sex = 'ALL' AND o.age_group_code = 'ALL' AND o.cause_code = 'ALL'
    AND o.intent_code = 'ALL' AND rl.withdrawn_at IS NULL
  ORDER BY o.region_code, o.year_from, o.year, rl.published_at DESC, rl.created_at DESC, rl.id DESC;
-- `Region.drugDeaths`: the foreign key names the relation's field (`@foreignFieldName`).
COMMENT ON VIEW bench_peer_views.drug_death IS
  E'@primaryKey region_code,year_from,year\n'
  '@foreignKey (region_code) references bench_peer_views.region (code)|@foreignFieldName drugDeaths';

CREATE VIEW bench_peer_function.region AS SELECT * FROM bench_peer_views.region;
COMMENT ON VIEW bench_peer_function.region IS E'@primaryKey code';

CREATE TYPE bench_peer_function.death_point AS (year integer, value double precision);

-- `Region.drugDeaths(from: Int!, to: Int!)`: PostGraphile names the field after the function
-- (prefix `region_` dropped) and the arguments after its parameters ($2, $3 in the body: `from`
-- and `to` are reserved words in SQL). Not STRICT: PostgreSQL never inlines a STRICT
-- set-returning SQL function (inline_set_returning_function), and would call it once per
-- region instead of planning it into PostGraphile's statement.
CREATE FUNCTION bench_peer_function.region_drug_deaths(region bench_peer_function.region, "from" integer, "to" integer)
RETURNS SETOF bench_peer_function.death_point
LANGUAGE sql STABLE
AS $$
  SELECT d.year, d.value FROM bench_peer_views.drug_death d
  WHERE d.region_code = region.code AND d.year BETWEEN $2 AND $3
  ORDER BY d.year, d.year_from
$$;

-- The latest cells, computed once per change instead of per request: a materialized view of the
-- latest-cell view, with a unique index on its key (the smart comment's primary key). Triggers
-- refresh it in the transaction that publishes or withdraws a release, so its answer is the
-- views' answer at every commit.
CREATE VIEW bench_peer_matview.region AS SELECT * FROM bench_peer_views.region;
COMMENT ON VIEW bench_peer_matview.region IS E'@primaryKey code';
CREATE MATERIALIZED VIEW bench_peer_matview.drug_death AS SELECT * FROM bench_peer_views.drug_death;
CREATE UNIQUE INDEX ON bench_peer_matview.drug_death (region_code, year_from, year);
COMMENT ON MATERIALIZED VIEW bench_peer_matview.drug_death IS
  E'@primaryKey region_code,year_from,year\n'
  '@foreignKey (region_code) references bench_peer_matview.region (code)|@foreignFieldName drugDeaths';

CREATE FUNCTION bench_peer_matview.refresh_drug_death() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  REFRESH MATERIALIZED VIEW bench_peer_matview.drug_death;
  RETURN NULL;
END
$$;
CREATE TRIGGER bench_peer_matview_release AFTER INSERT OR UPDATE ON public."release"
  FOR EACH STATEMENT EXECUTE FUNCTION bench_peer_matview.refresh_drug_death();
CREATE TRIGGER bench_peer_matview_death AFTER INSERT ON public.death_observation
  FOR EACH STATEMENT EXECUTE FUNCTION bench_peer_matview.refresh_drug_death();
