import type { Codelist } from '../cube/codelist-cache.ts';
import type { Context } from './context.ts';

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
