import DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import type { Codelist } from '../cube/codelist-cache.ts';
import type { Context } from './context.ts';

/** Answers a batch of keys at once: each key's value (null: none) or an error of its own, in the keys' order. */
export type BatchLoad<Key, Value> = (keys: readonly Key[], ctx: Context) => Promise<readonly (Value | Error)[]>;

/**
 * The request's DataLoader for one field at one path of the answer (`regions.*.drugDeaths`): the
 * parents at a path share the field's arguments, so one batch answers them all. Kept on the
 * request's context, as DataLoader's own docs keep per-request loaders, and not by Pothos'
 * dataloader plugin: that keeps them in module-wide WeakMaps keyed by the context, whose values
 * V8's young-generation collector treats as live, so each request's loaders (with its rows, its
 * context and resolve info) were copied into the old generation. The dashboard query then spent
 * 7-10 ms per scavenge and 86 µs of GC per request; with loaders on the context, 2-2.5 ms and 28 µs.
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
 * The `resolve` of a field whose value its parent names by a key (a code, an id): every parent at
 * the field's path is looked up in one batch. A parent without a key (null) has no value.
 */
export function lookup<Parent, Key, Value>(
  load: BatchLoad<Key, Value>,
  keyOf: (parent: Parent) => Key,
): (parent: Parent, args: unknown, ctx: Context, info: GraphQLResolveInfo) => Promise<Value>;
export function lookup<Parent, Key, Value>(
  load: BatchLoad<Key, Value>,
  keyOf: (parent: Parent) => Key | null,
): (parent: Parent, args: unknown, ctx: Context, info: GraphQLResolveInfo) => Promise<Value> | null;
export function lookup<Parent, Key, Value>(load: BatchLoad<Key, Value>, keyOf: (parent: Parent) => Key | null) {
  return (parent: Parent, _args: unknown, ctx: Context, info: GraphQLResolveInfo) => {
    const key = keyOf(parent);
    return key === null ? null : loaderAtPath(ctx, info, (keys: readonly Key[]) => load(keys, ctx)).load(key);
  };
}

/**
 * The `resolve` of a list field whose values one batch loads for every parent at the field's path:
 * `load` gets the parents' keys, with the arguments they share, and answers each key with its list
 * or an error of its own.
 */
export function byParent<Parent, Args, Out, Key>(
  load: (
    keys: readonly Key[],
    ctx: Context,
    args: Args,
    info: GraphQLResolveInfo,
  ) => Promise<readonly (Out[] | Error)[]>,
  keyOf: (parent: Parent) => Key,
  options?: DataLoader.Options<Key, Out[], string>,
) {
  return (parent: Parent, args: Args, ctx: Context, info: GraphQLResolveInfo): Promise<Out[]> =>
    loaderAtPath(ctx, info, (keys: readonly Key[]) => load(keys, ctx, args, info), options).load(keyOf(parent));
}

/** Values found by a key of theirs, in the order of `keys`; a key without one gets an error naming it. */
export function inKeyOrder<Key, Value>(
  keys: readonly Key[],
  found: readonly Value[],
  keyOf: (value: Value) => Key,
  what: string,
): (Value | Error)[] {
  const byKey = new Map(found.map((value) => [keyOf(value), value]));
  return keys.map((key) => byKey.get(key) ?? new Error(`no ${what} has the key "${String(key)}"`));
}

/**
 * Looks up entries of a codelist held in memory by their codes (for `lookup`): every code wanted
 * at a path at once, each in the codelist's map, so the work is the codes asked for, whatever the
 * codelist's length. A code without an entry is an error of its field.
 */
export function inCodelist<Row extends { code: string }>(
  codelist: (ctx: Context) => Promise<Codelist<Row>>,
): BatchLoad<string, Row> {
  return async (codes, ctx) => {
    const { byCode } = await codelist(ctx);
    return codes.map((code) => byCode.get(code) ?? new Error(`no codelist entry has the code "${code}"`));
  };
}
