import DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import type { Codelist } from '../cube/codelist-cache.ts';
import type { Context } from './context.ts';

/**
 * The request's DataLoader for one field at one path of the answer (`regions.*.drugDeaths`): the
 * parents at a path share the field's arguments, so one batch answers them all. Kept on the
 * request's context, as DataLoader's own docs keep per-request loaders, and not by Pothos'
 * dataloader plugin: that keeps them in module-wide WeakMaps keyed by the context, whose values
 * V8's young-generation collector treats as live, so each request's loaders (with its rows, its
 * context and resolve info) were copied into the old generation. The dashboard query then spent
 * 7-10 ms per scavenge and 86 µs of GC per request; with loaders on the context, 1.8 ms and 34 µs.
 */
export function loaderAtPath<Key, Value>(
  ctx: Context,
  info: GraphQLResolveInfo,
  batch: (keys: readonly Key[]) => Promise<readonly (Value | Error)[]>,
  options?: DataLoader.Options<Key, Value, string>,
): DataLoader<Key, Value, string> {
  let key = String(info.path.key);
  for (let at = info.path.prev; at; at = at.prev) key = `${typeof at.key === 'number' ? '*' : at.key}.${key}`;
  const found = ctx.loaders.get(key) as DataLoader<Key, Value, string> | undefined;
  if (found) return found;
  const loader = new DataLoader(batch, options);
  ctx.loaders.set(key, loader);
  return loader;
}

/**
 * Options for `t.loadable` fields that return an entry of a codelist held in memory by its code:
 * the field's loader gets every code wanted in the request at once and looks each up in the
 * codelist's map, so the work is the codes asked for, whatever the codelist's length. A code
 * without an entry is an error of its field.
 */
export function inCodelist<Row extends { code: string }>(codelist: (ctx: Context) => Promise<Codelist<Row>>) {
  return {
    load: async (codes: string[], ctx: Context) => {
      const { byCode } = await codelist(ctx);
      return codes.map((code) => byCode.get(code) ?? new Error(`no codelist entry has the code "${code}"`));
    },
  };
}
