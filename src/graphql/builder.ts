import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import type PrismaTypes from '../db/generated/pothos-types.ts';
import { getDatamodel } from '../db/generated/pothos-types.ts';
import type { Context } from './context.ts';
import { decodeGlobalID, encodeGlobalID } from './node.ts';
import { loadNodes } from './node-loading.ts';

interface Types {
  Context: Context;
  PrismaTypes: PrismaTypes;
  Scalars: {
    Date: { Input: Date; Output: Date | string };
    DateTime: { Input: Date; Output: Date | string };
    File: { Input: File; Output: never };
  };
  DefaultFieldNullability: false;
}

// Typed ahead: the node fields below refer to the builder itself.
export const builder: PothosSchemaTypes.SchemaBuilder<PothosSchemaTypes.ExtendDefaultTypes<Types>> =
  new SchemaBuilder<Types>({
    plugins: [PrismaPlugin, RelayPlugin],
    defaultFieldNullability: false,
    prisma: {
      client: (ctx) => ctx.prisma,
      dmmf: getDatamodel(),
      exposeDescriptions: false,
      onUnusedQuery: null,
    },
    // Global object identification: ids written and read by node.ts, objects loaded by node-loading.ts.
    relay: {
      encodeGlobalID,
      decodeGlobalID,
      nodeTypeOptions: {
        description:
          'An object with an identity: its id is stable and unique across types, and node(id) fetches it again. ' +
          'Apollo Client and urql Graphcache key their caches by it.',
      },
      idFieldOptions: {
        description:
          'Stable, unique id of this object, for node(id:) and client caches. Opaque, except that a source or a ' +
          'release has its own id (e.g. "mortality", "mortality-report-2025").',
      },
      nodeQueryOptions: {
        description:
          'The object with this id (any type that implements Node), as it was when the id was given: an ' +
          'observation id names its release, so it still gives the value that release published. Null for an ' +
          'id that names nothing.',
        args: { id: { description: 'An id from any Node.' } },
        resolve: async (_root, { id }, ctx, info) => (await loadNodes(builder, ctx, info, [id]))[0],
      },
      nodesQueryOptions: {
        description: 'The objects with these ids, in their order (null for an id that names nothing). See node.',
        args: { ids: { description: 'Ids from any Node.' } },
        resolve: (_root, { ids }, ctx, info) => loadNodes(builder, ctx, info, ids) as never,
      },
    },
  });

builder.queryType({ description: 'Every figure of "Tall om illegale rusmidler" and the sources behind it.' });
builder.mutationType({
  description: 'Publishing, for partner agencies with an API key (Authorization: Bearer <key>).',
});
builder.subscriptionType({ description: 'Notifications, over server-sent events.' });
