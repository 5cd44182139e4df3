import { EXAMPLE_OPERATIONS } from '../../src/server/examples.ts';

/** The dashboard's query, as a front-end that caches should write it: the id of every object. */
export const DASHBOARD = '{ regions { id code name drugDeaths(from: 2012, to: 2024) { id year value } } }';

/** The same query without ids: no default cache can key its objects. */
export const DASHBOARD_WITHOUT_IDS = '{ regions { code name drugDeaths(from: 2012, to: 2024) { year value } } }';

/** What front-ends send: every GraphiQL example and the dashboard. */
export const OPERATIONS = [...EXAMPLE_OPERATIONS, { name: 'Dashboard', query: DASHBOARD }];

/**
 * The objects of a result with their paths (e.g. "regions.3.drugDeaths.0"), the result's root
 * object left out.
 */
export function objectsOf(data: unknown, path = ''): { path: string; object: Record<string, unknown> }[] {
  if (Array.isArray(data)) return data.flatMap((item, index) => objectsOf(item, `${path}.${index}`));
  if (data === null || typeof data !== 'object') return [];
  const object = data as Record<string, unknown>;
  const children = Object.entries(object).flatMap(([key, value]) => objectsOf(value, path ? `${path}.${key}` : key));
  return path ? [{ path, object }, ...children] : children;
}
