-- `npm run bench`: the hub's dashboard question for PostGraphile 4, over the hub's own tables.
-- PostGraphile exposes only the schema `bench_peer` (see server.mjs), so its GraphQL schema is
-- just this: `allRegions` (the regions valid this year) and, on each region, the computed column
-- `drugDeaths(from, to)`: the deaths series, one row per year. The rows are the ones the bench's
-- RAW_SQL and the hub's `regions { drugDeaths(from, to) }` return: for each year, the value of the
-- latest non-withdrawn release; totals for sex, age, cause and intent; measure DEATHS.
--
-- A computed column (a STABLE SQL function taking the row and arguments) is PostGraphile's own
-- way to give a field arguments; it needs no plugin (postgraphile-plugin-connection-filter would
-- give a generic year filter instead), and PostGraphile inlines the call into its one SQL
-- statement per request.

DROP SCHEMA IF EXISTS bench_peer CASCADE;
CREATE SCHEMA bench_peer;

-- The regions valid in the current (UTC) year, as the hub lists them.
CREATE VIEW bench_peer.region AS
  SELECT r.code, r.name_nb AS name, r.kind
  FROM public.region r
  WHERE (r.valid_from IS NULL OR r.valid_from <= extract(year FROM now() AT TIME ZONE 'UTC'))
    AND (r.valid_to IS NULL OR r.valid_to >= extract(year FROM now() AT TIME ZONE 'UTC'));

-- Views have no primary key: the smart comment gives one, so the connection can be ordered by
-- columns (`orderBy: [KIND_ASC, CODE_ASC]`, the hub's order) and rows have node ids.
COMMENT ON VIEW bench_peer.region IS E'@primaryKey code';

CREATE TYPE bench_peer.death_point AS (year integer, value double precision);

-- `Region.drugDeaths(from: Int!, to: Int!)`: PostGraphile names the field after the function
-- (prefix `region_` dropped) and the arguments after its parameters ($2, $3 in the body:
-- `from` and `to` are reserved words in SQL).
CREATE FUNCTION bench_peer.region_drug_deaths(region bench_peer.region, "from" integer, "to" integer)
RETURNS SETOF bench_peer.death_point
LANGUAGE sql STABLE STRICT
AS $$
  SELECT d.year, d.value
  FROM (
    SELECT DISTINCT ON (o.year_from, o.year) o.year_from, o.year, o.value
    FROM public.death_observation o JOIN public."release" rl ON rl.id = o.release_id
    WHERE o.region_code = region.code AND o.measure = 'DEATHS' AND o.sex = 'ALL' AND o.age_group_code = 'ALL'
      AND o.cause_code = 'ALL' AND o.intent_code = 'ALL' AND o.year BETWEEN $2 AND $3 AND rl.withdrawn_at IS NULL
    ORDER BY o.year_from, o.year, rl.published_at DESC, rl.created_at DESC, rl.id DESC
  ) d
  ORDER BY d.year
$$;
