import type { DownloadSource, DownloadTable } from './table.ts';
import { type CodelistCodes, type TableSchema, tableSchema } from './table-schema.ts';

/** A licence as Data Package wants it: its page and its name. */
interface PackageLicence {
  path: string;
  title: string;
}

/** A source as Data Package wants it, with the credit line its publisher asks for. */
interface PackageSource {
  title: string;
  path?: string;
  publisher: string;
  attribution: string;
}

export interface PackageResource {
  profile: 'tabular-data-resource';
  name: string;
  title: string;
  description: string;
  path: string;
  format: 'csv';
  mediatype: 'text/csv';
  encoding: 'utf-8';
  dialect: { delimiter: ','; lineTerminator: '\r\n'; quoteChar: '"'; doubleQuote: true; header: true };
  licenses?: PackageLicence[];
  sources: PackageSource[];
  schema: TableSchema;
}

/** A download as a resource of a package: its content and the URL of its CSV. */
export interface DownloadResource {
  /** Resource name: lower case, digits and `-` (Data Package's rule). */
  name: string;
  /** Its CSV for exactly the query the table answers. */
  csvUrl: string;
  table: DownloadTable;
}

/** A package's name from a download's name: `drugDeaths` is `drug-deaths`. */
export const resourceName = (...parts: string[]) =>
  parts
    .join('-')
    .replace(/([a-z])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .toLowerCase();

/**
 * A Frictionless Tabular Data Package (https://specs.frictionlessdata.io/tabular-data-package/):
 * one resource per download, each the CSV of its query with its Table Schema, licences and
 * sources. The package's licences and sources are those of all its resources.
 */
export async function dataPackage(
  name: string,
  title: string,
  resources: DownloadResource[],
  codelistCodes: CodelistCodes,
) {
  const described = await Promise.all(resources.map((resource) => describeResource(resource, codelistCodes)));
  const licenses = unique(
    described.flatMap((resource) => resource.licenses ?? []),
    (licence) => licence.path,
  );
  const sources = unique(
    described.flatMap((resource) => resource.sources),
    (source) => source.title,
  );
  return {
    profile: 'tabular-data-package',
    name,
    title,
    description:
      "Norway's statistics on illegal drugs as served by the rusdata hub. Each resource is a CSV download " +
      'with its Table Schema: codes are strings ("03" is Oslo), an empty field is a missing value. ' +
      'Credit each source as its attribution says.',
    ...(licenses.length ? { licenses } : {}),
    sources,
    resources: described,
  };
}

async function describeResource(resource: DownloadResource, codelistCodes: CodelistCodes): Promise<PackageResource> {
  const { cube, sources } = resource.table;
  const licenses = unique(sources.flatMap(licenceOf), (licence) => licence.path);
  const unlicensed = sources.filter((source) => !source.licence).map((source) => source.name);
  return {
    profile: 'tabular-data-resource',
    name: resource.name,
    title: cube.name,
    description: [
      cube.description,
      ...sources.map((source) => source.attribution),
      ...(unlicensed.length ? [`No licence is stated for: ${unlicensed.join('; ')}.`] : []),
    ].join(' '),
    path: resource.csvUrl,
    format: 'csv',
    mediatype: 'text/csv',
    encoding: 'utf-8',
    dialect: { delimiter: ',', lineTerminator: '\r\n', quoteChar: '"', doubleQuote: true, header: true },
    ...(licenses.length ? { licenses } : {}),
    sources: sources.map(
      (source): PackageSource => ({
        title: source.name,
        ...(source.url ? { path: source.url } : {}),
        publisher: source.publisher,
        attribution: source.attribution,
      }),
    ),
    schema: await tableSchema(cube, codelistCodes),
  };
}

function licenceOf(source: DownloadSource): PackageLicence[] {
  return source.licence && source.licenceUrl ? [{ path: source.licenceUrl, title: source.licence }] : [];
}

function unique<T>(items: T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item])).values()];
}
