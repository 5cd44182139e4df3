import { createHash } from 'node:crypto';
import { type GraphQLSchema, getNamedType, isEnumType, isNonNullType } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { toCsv } from './csv.ts';
import { type CubeField, cubeFields, DATA_PACKAGE, DownloadParameterError, downloadDocument } from './cube-fields.ts';
import { dataPackage, resourceName } from './datapackage.ts';
import { toJsonStat } from './json-stat.ts';
import { type DownloadSource, type DownloadTable, downloadTable } from './table.ts';
import type { CodelistCodes } from './table-schema.ts';

const ROUTE = /^\/data\/([A-Za-z_]\w*)\.(csv|json)$/;

/** Runs a GraphQL document through the hub (its plugins, limits, caching and error masking). */
export type ExecuteGraphQL = (document: string, url: URL, headers: Record<string, string>) => Promise<Response>;

interface GraphQLAnswer {
  data?: { rows: Record<string, unknown>[]; sources: DownloadSource[] } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Where the Data Package of every download is. */
const PACKAGE_PATH = '/data/datapackage.json';

/** A download's content with its GraphQL answer, or the response to pass on instead (304, errors). */
type Answered = { table: DownloadTable; answer: Response } | { passOn: Response };

/**
 * `/data/X.csv` and `/data/X.json` (JSON-stat 2.0) for every cube field X of Query, with
 * `?format=datapackage` their Frictionless Data Package; `/data/datapackage.json`, the package of
 * every download; and `/data`, the list of them. A download is a GraphQL query run through the
 * same server, so validation, errors, limits and caching are those of the API. `codelistCodes`
 * gives the codes of a codelist, for the Table Schema's enum constraints.
 */
export function useDownloads(schema: GraphQLSchema, execute: ExecuteGraphQL, codelistCodes: CodelistCodes): Plugin {
  const fields = cubeFields(schema);
  /** Runs a download's document; `presented` are the GraphQL answer's ETags the client has. */
  const answer = async (
    cube: CubeField,
    built: Built,
    url: URL,
    format: string,
    presented?: string,
  ): Promise<Answered> => {
    const response = await execute(built.document, url, presented ? { 'if-none-match': presented } : {});
    if (response.status === 304)
      return { passOn: new Response(null, { status: 304, headers: cacheHeaders(response, format) }) };
    const body = (await response.json()) as GraphQLAnswer;
    if (body.errors?.length || !body.data) return { passOn: errorAnswer(response, body) };
    return { table: downloadTable(cube, built.lang, body.data), answer: response };
  };
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname === '/data' || url.pathname === '/data/') {
        endResponse(Response.json({ downloads: downloadList(fields.keys(), url), dataPackage: packageUrl(url) }));
        return;
      }
      const match = url.pathname === PACKAGE_PATH ? null : ROUTE.exec(url.pathname);
      if (!match && url.pathname !== PACKAGE_PATH) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(new Response(null, { status: 405, headers: { allow: 'GET, HEAD' } }));
        return;
      }
      if (!match) {
        endResponse(await wholePackage(request, url));
        return;
      }
      const [, name, extension] = match as unknown as [string, string, 'csv' | 'json'];
      const cube = fields.get(name);
      if (!cube) {
        endResponse(
          errorResponse(404, `No download "${name}". Downloads: ${[...fields.keys()].join(', ')}.`, 'UNKNOWN_FIELD'),
        );
        return;
      }
      let built: Built;
      try {
        built = downloadDocument(cube, url.searchParams);
      } catch (error) {
        if (!(error instanceof DownloadParameterError)) throw error;
        endResponse(errorResponse(400, error.message, error.code));
        return;
      }
      const format = built.asDataPackage ? DATA_PACKAGE : extension;
      // A download's ETag is its GraphQL answer's, marked with the format: the server's HTTP
      // caching decides, and a revalidation is passed on to it.
      const answered = await answer(cube, built, url, format, tagsFor(request.headers.get('if-none-match'), format));
      if ('passOn' in answered) {
        endResponse(answered.passOn);
        return;
      }
      const { table } = answered;
      if (built.asDataPackage) {
        const resource = { name: resourceName(name), csvUrl: csvUrl(url), table };
        const content = json(
          await dataPackage(resourceName('rusdata', name), `rusdata: ${name}`, [resource], codelistCodes),
        );
        endResponse(respond(request, cacheHeaders(answered.answer, format), content, JSON_TYPE, 'datapackage.json'));
        return;
      }
      const content = extension === 'csv' ? toCsv(table) : json(toJsonStat(table, url.toString()));
      const type = extension === 'csv' ? 'text/csv; charset=utf-8; header=present' : JSON_TYPE;
      endResponse(respond(request, cacheHeaders(answered.answer, format), content, type, `${name}.${extension}`));
    },
  };

  /**
   * The package of every download as it answers without parameters (a required enum argument,
   * such as useDistribution's distribution, gives a resource per value), in the language `lang`
   * asks. Its ETag is made of its downloads' ETags.
   */
  async function wholePackage(request: Request, url: URL): Promise<Response> {
    const others = [...new Set(url.searchParams.keys())].filter((name) => name !== 'lang');
    if (others.length)
      return errorResponse(
        400,
        `${PACKAGE_PATH} takes only lang (nb, en), not ${others.join(', ')}. The package of one query: /data/X.csv?...&format=${DATA_PACKAGE}.`,
        'UNKNOWN_ARGUMENT',
      );
    const lang = url.searchParams.get('lang');
    let queries: { cube: CubeField; params: URLSearchParams; name: string; built: Built }[];
    try {
      queries = [...fields.values()].flatMap((cube) =>
        requiredChoices(cube).map((choice) => {
          const params = new URLSearchParams([...choice, ...(lang === null ? [] : [['lang', lang]])]);
          const name = resourceName(cube.name, ...choice.values());
          return { cube, params, name, built: downloadDocument(cube, params) };
        }),
      );
    } catch (error) {
      if (!(error instanceof DownloadParameterError)) throw error;
      return errorResponse(400, error.message, error.code);
    }
    const answers = await Promise.all(queries.map(({ cube, built }) => answer(cube, built, url, DATA_PACKAGE)));
    const failed = answers.find((answered) => 'passOn' in answered);
    if (failed && 'passOn' in failed) return failed.passOn;
    const resources = answers.flatMap((answered, i) => {
      const query = queries[i];
      if ('passOn' in answered || !query) return [];
      const csv = new URL(`/data/${query.cube.name}.csv`, url);
      csv.search = query.params.toString();
      return [{ name: query.name, csvUrl: csv.toString(), ...answered }];
    });
    const content = json(await dataPackage('rusdata', 'rusdata: every download', resources, codelistCodes));
    const tags = resources.map((resource) => resource.answer.headers.get('etag'));
    const controls = new Set(resources.map((resource) => resource.answer.headers.get('cache-control')));
    const headers: Record<string, string> = {};
    if (!tags.includes(null)) headers.etag = `"${digest(tags.join(','))}-${DATA_PACKAGE}"`;
    const [control] = controls;
    // Kept only as long as every answer in it may be.
    headers['cache-control'] = controls.size === 1 && control ? control : 'no-store';
    return respond(request, headers, content, JSON_TYPE, 'datapackage.json');
  }
}

type Built = ReturnType<typeof downloadDocument>;

const JSON_TYPE = 'application/json; charset=utf-8';
const json = (value: unknown) => `${JSON.stringify(value, null, 1)}\n`;
const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 27);

/** The CSV of exactly the query a download URL asks: the same parameters as written, without `format`. */
function csvUrl(url: URL): string {
  const csv = new URL(url);
  csv.pathname = csv.pathname.replace(/\.json$/, '.csv');
  // Kept as the caller wrote them (`region=03,11`, not re-encoded), each tested as URLSearchParams reads it.
  csv.search = url.search
    .slice(1)
    .split('&')
    .filter((pair) => !new URLSearchParams(pair).has('format'))
    .join('&');
  return csv.toString();
}

const packageUrl = (url: URL) => new URL(PACKAGE_PATH, url).toString();

/** The parameters of each query a download needs to answer at all: one per value of a required enum argument. */
function requiredChoices(cube: CubeField): URLSearchParams[] {
  let choices = [new URLSearchParams()];
  for (const arg of cube.args) {
    const type = getNamedType(arg.type);
    if (!isNonNullType(arg.type) || arg.defaultValue !== undefined || !isEnumType(type)) continue;
    choices = choices.flatMap((params) =>
      type.getValues().map(({ name }) => new URLSearchParams([...params, [arg.name, name]])),
    );
  }
  return choices;
}

/** A GraphQL answer with errors as a download's response. */
function errorAnswer(answer: Response, body: GraphQLAnswer): Response {
  // Errors with a code are the caller's; others stay masked, as on /graphql.
  const status = body.errors?.some((error) => error.extensions?.code)
    ? 400
    : answer.status >= 400
      ? answer.status
      : 500;
  // Positions would point into the generated document, not at anything the caller wrote.
  const errors = (body.errors ?? []).map(({ message, extensions }) => ({ message, extensions }));
  return Response.json({ errors }, { status });
}

/** Every download with its two formats and its Data Package, for `/data` and the README. */
function downloadList(names: Iterable<string>, url: URL) {
  return [...names].map((name) => ({
    field: name,
    csv: new URL(`/data/${name}.csv`, url).toString(),
    jsonStat: new URL(`/data/${name}.json`, url).toString(),
    dataPackage: new URL(`/data/${name}.csv?format=${DATA_PACKAGE}`, url).toString(),
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
 * The file, with the caching headers of its GraphQL answers (where the server set no ETag, one
 * over the content), or 304 when the client has it already.
 */
function respond(
  request: Request,
  caching: Record<string, string>,
  content: string,
  type: string,
  fileName: string,
): Response {
  const headers: Record<string, string> = {
    ...caching,
    'content-type': type,
    'content-disposition': `inline; filename="${fileName}"`,
  };
  headers.etag ??= `"${digest(content)}"`;
  if (presents(request, headers.etag)) return new Response(null, { status: 304, headers });
  return new Response(request.method === 'HEAD' ? null : content, { headers });
}
