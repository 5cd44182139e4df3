import { createHash } from 'node:crypto';
import type { GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { toCsv } from './csv.ts';
import { cubeFields, DownloadParameterError, downloadDocument } from './cube-fields.ts';
import { toJsonStat } from './json-stat.ts';
import { type DownloadSource, downloadTable } from './table.ts';

const ROUTE = /^\/data\/([A-Za-z_]\w*)\.(csv|json)$/;

/** Runs a GraphQL document through the hub (its plugins, limits, caching and error masking). */
export type ExecuteGraphQL = (document: string, url: URL, headers: Record<string, string>) => Promise<Response>;

interface GraphQLAnswer {
  data?: { rows: Record<string, unknown>[]; sources: DownloadSource[] } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/**
 * `/data/X.csv` and `/data/X.json` (JSON-stat 2.0) for every cube field X of Query, and `/data`,
 * the list of them. A download is a GraphQL query run through the same server, so validation,
 * errors, limits and caching are those of the API.
 */
export function useDownloads(schema: GraphQLSchema, execute: ExecuteGraphQL): Plugin {
  const fields = cubeFields(schema);
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname === '/data' || url.pathname === '/data/') {
        endResponse(Response.json({ downloads: downloadList(fields.keys(), url) }));
        return;
      }
      const match = ROUTE.exec(url.pathname);
      if (!match) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(new Response(null, { status: 405, headers: { allow: 'GET, HEAD' } }));
        return;
      }
      const [, name, format] = match as unknown as [string, string, 'csv' | 'json'];
      const cube = fields.get(name);
      if (!cube) {
        endResponse(
          errorResponse(404, `No download "${name}". Downloads: ${[...fields.keys()].join(', ')}.`, 'UNKNOWN_FIELD'),
        );
        return;
      }
      let built: ReturnType<typeof downloadDocument>;
      try {
        built = downloadDocument(cube, url.searchParams);
      } catch (error) {
        if (!(error instanceof DownloadParameterError)) throw error;
        endResponse(errorResponse(400, error.message, error.code));
        return;
      }
      const file = `${name}.${format}`;
      // A download's ETag is its GraphQL answer's, marked with the format: the server's HTTP
      // caching decides, and a revalidation is passed on to it.
      const presented = tagsFor(request.headers.get('if-none-match'), format);
      const answer = await execute(built.document, url, presented ? { 'if-none-match': presented } : {});
      if (answer.status === 304) {
        endResponse(new Response(null, { status: 304, headers: cacheHeaders(answer, format) }));
        return;
      }
      const body = (await answer.json()) as GraphQLAnswer;
      if (body.errors?.length || !body.data) {
        // Errors with a code are the caller's; others stay masked, as on /graphql.
        const status = body.errors?.some((error) => error.extensions?.code)
          ? 400
          : answer.status >= 400
            ? answer.status
            : 500;
        // Positions would point into the generated document, not at anything the caller wrote.
        const errors = (body.errors ?? []).map(({ message, extensions }) => ({ message, extensions }));
        endResponse(Response.json({ errors }, { status }));
        return;
      }
      const table = downloadTable(cube, built.lang, body.data);
      const content =
        format === 'csv' ? toCsv(table) : `${JSON.stringify(toJsonStat(table, url.toString()), null, 1)}\n`;
      const type = format === 'csv' ? 'text/csv; charset=utf-8; header=present' : 'application/json; charset=utf-8';
      endResponse(respond(request, answer, content, type, format, file));
    },
  };
}

/** Every download with its two formats, for `/data` and the README. */
function downloadList(names: Iterable<string>, url: URL) {
  return [...names].map((name) => ({
    field: name,
    csv: new URL(`/data/${name}.csv`, url).toString(),
    jsonStat: new URL(`/data/${name}.json`, url).toString(),
  }));
}

function errorResponse(status: number, message: string, code: string): Response {
  return Response.json({ errors: [{ message, extensions: { code } }] }, { status });
}

/** A download's ETag: its GraphQL answer's (quoted, as RFC 9110 wants), marked with the format. */
const marked = (etag: string, format: string) => `"${etag.replace(/^(W\/)?"?|"$/g, '')}-${format}"`;
const presents = (request: Request, etag: string) =>
  (request.headers.get('if-none-match') ?? '').split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);

/** The GraphQL answer's ETags among those a client presents for a download in `format`. */
function tagsFor(header: string | null, format: string): string | undefined {
  const suffix = `-${format}"`;
  const tags = (header ?? '')
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .filter((tag) => tag.endsWith(suffix))
    .map((tag) => `${tag.slice(0, -suffix.length)}"`);
  return tags.length ? tags.join(', ') : undefined;
}

function cacheHeaders(answer: Response, format: string): Record<string, string> {
  const etag = answer.headers.get('etag');
  const headers: Record<string, string> = {};
  const control = answer.headers.get('cache-control');
  if (control) headers['cache-control'] = control;
  if (etag) headers.etag = marked(etag, format);
  return headers;
}

/**
 * The file, with the GraphQL answer's caching headers (where the server set no ETag, one over
 * the content), or 304 when the client has it already.
 */
function respond(
  request: Request,
  answer: Response,
  content: string,
  type: string,
  format: string,
  fileName: string,
): Response {
  const headers: Record<string, string> = {
    ...cacheHeaders(answer, format),
    'content-type': type,
    'content-disposition': `inline; filename="${fileName}"`,
  };
  headers.etag ??= `"${createHash('sha256').update(content).digest('base64url').slice(0, 27)}"`;
  if (presents(request, headers.etag)) return new Response(null, { status: 304, headers });
  return new Response(request.method === 'HEAD' ? null : content, { headers });
}
