import { type GraphQLSchema, isEnumType } from 'graphql';
import { CODELIST_TABLES, readCodelistLabels } from '../../dimensions/codelists.ts';

type Labels = Record<string, Record<string, { nb: string; en: string }>>;

/**
 * The labels of codes the page shows, from where the hub defines them: each enum value's
 * `labelled(...)` in the schema (Recall, Sex, WastewaterCampaign, ...) and the substance codelist.
 * The page imports them as `/explore/labels.js`, so it repeats no label of its own.
 */
export function labelsModule(schema: GraphQLSchema): string {
  const labels: Labels = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isEnumType(type)) continue;
    const entries = type.getValues().flatMap((value) => {
      const label = value.extensions.label as { NB: string; EN: string } | undefined;
      return label ? [[value.name, { nb: label.NB, en: label.EN }] as const] : [];
    });
    if (entries.length) labels[type.name] = Object.fromEntries(entries);
  }
  labels.Substance = Object.fromEntries(readCodelistLabels(CODELIST_TABLES.substance));
  return (
    '// Made by the hub at start (src/server/explore/labels.ts) from the schema and the codelists.\n' +
    `export const LABELS = ${JSON.stringify(labels)};\n`
  );
}
