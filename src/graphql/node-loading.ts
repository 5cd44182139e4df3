import type { SchemaTypes } from '@pothos/core';
import { resolveNodes } from '@pothos/plugin-relay';
import { type GraphQLResolveInfo, isObjectType } from 'graphql';
import { RAW_ID, RAW_ID_TYPES } from './node.ts';

type GlobalID = { typename: string; id: string };

/**
 * What `Query.node` and `Query.nodes` answer for decoded ids (node.ts), in their order: each
 * node type's loader once for all its ids (one statement per table), a raw id tried as a source
 * and as a release, and null for an id that names no object (an unknown type, a key of the wrong
 * shape, a row that does not exist). A loader that refuses (e.g. the audit log without an admin
 * key) fails only its own ids.
 */
export async function loadNodes<Types extends SchemaTypes>(
  builder: PothosSchemaTypes.SchemaBuilder<Types>,
  context: object,
  info: GraphQLResolveInfo,
  ids: readonly GlobalID[],
): Promise<unknown[]> {
  const wanted = ids.map((id) =>
    id.typename === RAW_ID ? RAW_ID_TYPES.map((typename) => ({ typename, id: id.id })) : [id].filter(isNodeType(info)),
  );
  const byType = new Map<string, GlobalID[]>();
  for (const id of wanted.flat()) byType.set(id.typename, [...(byType.get(id.typename) ?? []), id]);
  const found = new Map<string, unknown>();
  await Promise.all(
    [...byType.values()].map(async (group) => {
      let nodes: unknown[];
      try {
        nodes = await Promise.all(await resolveNodes(builder, context, info, group));
      } catch (error) {
        nodes = group.map(() => error);
      }
      group.forEach((id, index) => {
        found.set(keyOf(id), nodes[index] ?? null);
      });
    }),
  );
  return wanted.map((candidates) => {
    const nodes = candidates.map((id) => found.get(keyOf(id)) ?? null);
    return nodes.find((node) => node !== null && !(node instanceof Error)) ?? nodes.find((node) => node) ?? null;
  });
}

const keyOf = ({ typename, id }: GlobalID) => `${typename}:${id}`;

/** An id of an object type that implements Node (an encoded id of a raw type names nothing). */
const isNodeType =
  (info: GraphQLResolveInfo) =>
  ({ typename }: GlobalID): boolean => {
    if ((RAW_ID_TYPES as readonly string[]).includes(typename)) return false;
    const type = info.schema.getType(typename);
    return isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node');
  };
