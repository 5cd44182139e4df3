import type { CodelistCache } from '../../cube/codelist-cache.ts';
import type { VersionRecorder } from '../../cube/read-view.ts';
import type { CodelistCodes } from './table-schema.ts';

/** What every codelist model's delegate can do: list its codes. */
interface CodeDelegate {
  findMany(args: { select: { code: true }; orderBy: { code: 'asc' } }): Promise<{ code: string }[]>;
}

/**
 * The codes of a codelist, by the Prisma model behind a dimension's GraphQL type (Region,
 * AgeGroup, WastewaterSite, ...): that model's rows are the codelist the API checks codes against.
 * Held in the hub's codelist cache, so they are read once per data version.
 */
export function codelistCodes(codelists: CodelistCache, reads: () => VersionRecorder): CodelistCodes {
  return async (model) => {
    const list = await codelists.codelist(`model:${model}`, reads(), (tx) => {
      const name = `${model.charAt(0).toLowerCase()}${model.slice(1)}`;
      const delegate = (tx as unknown as Record<string, CodeDelegate | undefined>)[name];
      if (!delegate) throw new Error(`no Prisma model ${model} to read a codelist from`);
      return delegate.findMany({ select: { code: true }, orderBy: { code: 'asc' } });
    });
    return list.rows.map((row) => row.code);
  };
}
