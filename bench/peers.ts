// `npm run bench`: PostGraphile 4 in the configurations a PostGraphile user would choose for the
// dashboard question (bench/postgraphile/README.md shows each one's SQL and plan). Each runs in a
// process of its own (bench/postgraphile/server.mjs) over one schema of views.sql; the fastest
// counts in the bench's ratio. Every query names its root field `regions` (an alias), so that an
// answer with lists is the hub's answer byte for byte; connections add `nodes`.

export interface PeerConfiguration {
  name: string;
  /** The schema of views.sql PostGraphile serves. */
  schema: 'bench_peer_views' | 'bench_peer_function' | 'bench_peer_matview';
  /** PostGraphile's `simpleCollections`: connections (`omit`) or plain lists (`only`). */
  simpleCollections: 'omit' | 'only';
  query: string;
}

const YEARS =
  'filter: { year: { greaterThanOrEqualTo: 2012, lessThanOrEqualTo: 2024 } }, orderBy: [YEAR_ASC, YEAR_FROM_ASC]';

export const PEER_CONFIGURATIONS: PeerConfiguration[] = [
  {
    name: 'views + smart comments, connections',
    schema: 'bench_peer_views',
    simpleCollections: 'omit',
    query: `{ regions: allRegions(orderBy: [KIND_ASC, CODE_ASC]) { nodes { code name drugDeaths(${YEARS}) { nodes { year value } } } } }`,
  },
  {
    name: 'views + smart comments, lists',
    schema: 'bench_peer_views',
    simpleCollections: 'only',
    query: `{ regions: allRegionsList(orderBy: [KIND_ASC, CODE_ASC]) { code name drugDeaths(${YEARS}) { year value } } }`,
  },
  {
    name: 'materialized view, lists',
    schema: 'bench_peer_matview',
    simpleCollections: 'only',
    query: `{ regions: allRegionsList(orderBy: [KIND_ASC, CODE_ASC]) { code name drugDeaths(${YEARS}) { year value } } }`,
  },
  {
    name: 'computed column, connections',
    schema: 'bench_peer_function',
    simpleCollections: 'omit',
    query:
      '{ regions: allRegions(orderBy: [KIND_ASC, CODE_ASC]) ' +
      '{ nodes { code name drugDeaths(from: 2012, to: 2024) { nodes { year value } } } } }',
  },
  {
    name: 'computed column, lists',
    schema: 'bench_peer_function',
    simpleCollections: 'only',
    query:
      '{ regions: allRegionsList(orderBy: [KIND_ASC, CODE_ASC]) ' +
      '{ code name drugDeaths: drugDeathsList(from: 2012, to: 2024) { year value } } }',
  },
];

type Point = { year: number; value: number | null };
type Collection<T> = T[] | { nodes: T[] };
type RegionAnswer = { code: string; name: string; drugDeaths: Collection<Point> };
export type PeerAnswer = { data?: { regions: Collection<RegionAnswer> }; errors?: unknown };

const items = <T>(collection: Collection<T>): T[] => (Array.isArray(collection) ? collection : collection.nodes);

/** A peer's answer in the hub's shape (`{ data: { regions: [...] } }`), to compare with the hub's. */
export function inHubShape(answer: PeerAnswer): unknown {
  return {
    data: {
      regions: items(answer.data?.regions ?? []).map(({ code, name, drugDeaths }) => ({
        code,
        name,
        drugDeaths: items(drugDeaths).map(({ year, value }) => ({ year, value })),
      })),
    },
  };
}
