import { parse } from 'csv-parse/sync';
import { Package } from 'datapackage';
import { getNamedType, isEnumType } from 'graphql';
import { Table, validate } from 'tableschema';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.ts';
import { useServedTestHub } from '../helpers/hub.ts';

// Served over HTTP: the Frictionless libraries fetch the package and each resource's CSV by URL.
const { origin } = useServedTestHub();

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${origin()}${path}`, { headers });

interface Descriptor {
  licenses?: { path: string; title: string }[];
  sources: { title: string; attribution: string }[];
  resources: {
    name: string;
    path: string;
    licenses?: { path: string; title: string }[];
    sources: { title: string; attribution: string }[];
    schema: {
      primaryKey: string[];
      missingValues: string[];
      fields: { name: string; type: string; constraints?: { enum?: string[]; required?: boolean } }[];
    };
  }[];
}

/** A package loaded (and validated) by the datapackage library, with its descriptor as served. */
async function loadPackage(path: string) {
  const response = await get(path);
  expect(response.status, await response.clone().text()).toBe(200);
  const descriptor = (await response.json()) as Descriptor;
  const dataPackage = await Package.load(`${origin()}${path}`);
  return { dataPackage, descriptor };
}

const DRUG_DEATHS_BY_REGION = '/data/drugDeaths.csv?from=2024&to=2024&by=REGION';

describe('Data Packages: /data/datapackage.json and ?format=datapackage', () => {
  it('/data/datapackage.json is a valid Tabular Data Package with one resource per download', async () => {
    const { dataPackage } = await loadPackage('/data/datapackage.json');
    expect(dataPackage.errors).toEqual([]);
    expect(dataPackage.valid).toBe(true);
    const distributions = getNamedType(schema.getQueryType()!.getFields().useDistribution!.args[0]!.type);
    if (!isEnumType(distributions)) throw new Error('useDistribution(distribution:) is not an enum');
    expect(dataPackage.resourceNames.sort()).toEqual(
      [
        'drug-deaths',
        'drug-death-rates',
        'injecting-drug-use-estimates',
        'prevalence',
        'wastewater',
        ...distributions.getValues().map((value) => `use-distribution-${value.name.toLowerCase().replace(/_/g, '-')}`),
      ].sort(),
    );
  });

  it('every resource of /data/datapackage.json has a valid Table Schema and reads through it without an error', async () => {
    const { dataPackage } = await loadPackage('/data/datapackage.json');
    for (const resource of dataPackage.resources) {
      expect(await validate(resource.descriptor.schema as object), resource.name).toEqual({ valid: true, errors: [] });
      const rows = await resource.read({ keyed: true });
      expect(rows.length, resource.name).toBeGreaterThan(0);
    }
  }, 120_000);

  it('/data/datapackage.json?lang=en points every resource at its CSV in English', async () => {
    const { dataPackage, descriptor } = await loadPackage('/data/datapackage.json?lang=en');
    expect(descriptor.resources.find((resource) => resource.name === 'drug-deaths')?.path).toBe(
      `${origin()}/data/drugDeaths.csv?lang=en`,
    );
    const rows = await dataPackage.getResource('drug-deaths')!.read({ keyed: true });
    expect(rows[0]).toMatchObject({ region: '0', regionLabel: 'Norway' });
  });

  it('/data/datapackage.json takes no query arguments: they get 400 pointing at ?format=datapackage', async () => {
    const response = await get('/data/datapackage.json?by=REGION');
    expect(response.status).toBe(400);
    const { errors } = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(errors[0]!.message).toContain('takes only lang (nb, en), not by');
    expect(errors[0]!.message).toContain('format=datapackage');
  });

  it('a resource path is the CSV of exactly the query, and its header is the schema fields in order', async () => {
    const { descriptor } = await loadPackage(`${DRUG_DEATHS_BY_REGION}&format=datapackage`);
    expect(descriptor.resources).toHaveLength(1);
    const [resource] = descriptor.resources;
    expect(resource!.path).toBe(`${origin()}${DRUG_DEATHS_BY_REGION}`);
    const csv = await (await fetch(resource!.path)).text();
    expect(csv).toBe(await (await get(DRUG_DEATHS_BY_REGION)).text());
    expect(csv.split('\r\n')[0]!.split(',')).toEqual(resource!.schema.fields.map((field) => field.name));
  });

  it('a resource path keeps the parameters as written, lists with their commas', async () => {
    const { descriptor } = await loadPackage('/data/drugDeaths.csv?format=datapackage&region=03,11&from=2024');
    expect(descriptor.resources[0]!.path).toBe(`${origin()}/data/drugDeaths.csv?region=03,11&from=2024`);
  });

  it('?format=datapackage on drugDeaths by region is valid, and its Table Schema reads region "03" as the string "03"', async () => {
    const { dataPackage } = await loadPackage(`${DRUG_DEATHS_BY_REGION}&format=datapackage`);
    expect(dataPackage.errors).toEqual([]);
    expect(dataPackage.valid).toBe(true);
    const rows = await dataPackage.getResource('drug-deaths')!.read({ keyed: true });
    expect(rows).toHaveLength(15);
    const oslo = rows.find((row) => row.region === '03');
    expect(oslo).toMatchObject({ region: '03', regionLabel: 'Oslo', year: 2024, value: 56, status: 'NORMAL' });
    // Without the schema a reader that casts (csv-parse `cast: true`, pandas) takes "03" for 3.
    const cast = parse(await (await get(DRUG_DEATHS_BY_REGION)).text(), { columns: true, cast: true }) as {
      regionLabel: string;
      region: unknown;
    }[];
    expect(cast.find((row) => row.regionLabel === 'Oslo')?.region).toBe(3);
  });

  it('?format=datapackage works on the JSON-stat URL too, and EUDA data carry CC BY 4.0 with EUDA credited', async () => {
    const path = '/data/wastewater.json?substance=COCAINE&from=2024&to=2024&format=datapackage';
    const { dataPackage, descriptor } = await loadPackage(path);
    expect(dataPackage.errors).toEqual([]);
    expect(dataPackage.valid).toBe(true);
    const [resource] = descriptor.resources;
    expect(resource!.path).toBe(`${origin()}/data/wastewater.csv?substance=COCAINE&from=2024&to=2024`);
    const ccBy = { path: 'https://creativecommons.org/licenses/by/4.0/', title: 'CC BY 4.0' };
    expect(descriptor.licenses).toEqual([ccBy]);
    expect(resource!.licenses).toEqual([ccBy]);
    expect(resource!.sources.map((source) => source.attribution)).toEqual([
      expect.stringMatching(/^© EUDA, CC BY 4\.0/),
    ]);
    const rows = await dataPackage.getResource('wastewater')!.read({ keyed: true });
    const csv = parse(await (await fetch(resource!.path)).text(), { columns: true }) as unknown[];
    expect(rows).toHaveLength(csv.length);
    expect(rows.every((row) => row.licence === 'CC BY 4.0')).toBe(true);
  });

  it('a source without a stated licence has no licence in the package, and its credit line is its source entry', async () => {
    const { descriptor } = await loadPackage(`${DRUG_DEATHS_BY_REGION}&format=datapackage`);
    expect(descriptor.licenses).toBeUndefined();
    expect(descriptor.resources[0]!.sources).toEqual([
      expect.objectContaining({ attribution: expect.stringMatching(/^Source: Cause of Death Registry/) }),
    ]);
  });

  it('the enum constraints reject an unknown region code and an unknown status', async () => {
    const { descriptor } = await loadPackage(`${DRUG_DEATHS_BY_REGION}&format=datapackage`);
    const tableSchema = descriptor.resources[0]!.schema;
    const region = tableSchema.fields.find((field) => field.name === 'region')!;
    expect(region).toMatchObject({ type: 'string', constraints: { required: true } });
    expect(region.constraints?.enum).toEqual(expect.arrayContaining(['0', '03', '46']));
    const csv = parse(await (await get(DRUG_DEATHS_BY_REGION)).text()) as string[][];
    const [header, oslo] = [csv[0]!, csv.find((row) => row.includes('03'))!];
    const read = async (column: string, value: string) => {
      const row = oslo.map((field, i) => (header[i] === column ? value : field));
      return (await Table.load([header, row], { schema: tableSchema })).read({ keyed: true });
    };
    expect(await read('region', '03')).toEqual([expect.objectContaining({ region: '03' })]);
    await expect(read('region', '99')).rejects.toThrow();
    await expect(read('status', 'BOGUS')).rejects.toThrow();
  });

  it('the primary key is the period and the dimension codes, so a repeated cell is rejected', async () => {
    const { descriptor } = await loadPackage(`${DRUG_DEATHS_BY_REGION}&format=datapackage`);
    const tableSchema = descriptor.resources[0]!.schema;
    expect(tableSchema.primaryKey).toEqual([
      'year',
      'yearFrom',
      'measure',
      'region',
      'sex',
      'ageGroup',
      'cause',
      'intent',
    ]);
    const [header, ...rows] = parse(await (await get(DRUG_DEATHS_BY_REGION)).text()) as string[][];
    await expect((await Table.load([header!, ...rows], { schema: tableSchema })).read()).resolves.toHaveLength(15);
    const repeated = await Table.load([header!, ...rows, rows[0]!], { schema: tableSchema });
    await expect(repeated.read()).rejects.toThrow(/unique constraint/);
  });

  it('missingValues cover how the CSV writes a missing value: a day without a sample reads as null', async () => {
    // Site NO001, MDMA, Monday 2024 as EUDA published it: no sample that day.
    const path = '/data/wastewater.csv?site=NO001&substance=MDMA&from=2024&to=2024&asOf=2025-12-31&statistic=MONDAY';
    const raw = parse(await (await get(path)).text(), { columns: true }) as Record<string, string>[];
    const missing = raw.filter((row) => row.status === 'MISSING');
    expect(missing).toHaveLength(1);
    const { dataPackage, descriptor } = await loadPackage(`${path}&format=datapackage`);
    expect(descriptor.resources[0]!.schema.missingValues).toContain(missing[0]!.value);
    const rows = await dataPackage.getResource('wastewater')!.read({ keyed: true });
    expect(rows.filter((row) => row.status === 'MISSING').map((row) => row.value)).toEqual(missing.map(() => null));
  });

  it('a bad format gets 400 naming the parameter and the valid values', async () => {
    const response = await get('/data/drugDeaths.csv?format=xlsx');
    expect(response.status).toBe(400);
    const { errors } = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(errors[0]!.message).toBe(
      'format: "xlsx" is not a format. Valid values: datapackage (the file\'s Data Package); without format, the file itself.',
    );
    expect(errors[0]!.extensions.code).toBe('INVALID_PARAMETER');
  });

  it('a bad query argument gets the 400 the CSV gets', async () => {
    const csv = await get('/data/drugDeaths.csv?region=99');
    const datapackage = await get('/data/drugDeaths.csv?region=99&format=datapackage');
    expect(datapackage.status).toBe(400);
    expect(await datapackage.json()).toEqual(await csv.json());
  });

  it('a package is cached as its CSV is: the same Cache-Control, its own ETag, and 304 for If-None-Match', async () => {
    const csv = await get(DRUG_DEATHS_BY_REGION);
    const first = await get(`${DRUG_DEATHS_BY_REGION}&format=datapackage`);
    expect(first.headers.get('cache-control')).toBe(csv.headers.get('cache-control'));
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/-datapackage"$/);
    expect(etag).not.toBe(csv.headers.get('etag'));
    const again = await get(`${DRUG_DEATHS_BY_REGION}&format=datapackage`, { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('/data/datapackage.json carries an ETag and answers If-None-Match with 304', async () => {
    const first = await get('/data/datapackage.json');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    expect(first.headers.get('cache-control')).toBe((await get('/data/drugDeaths.csv')).headers.get('cache-control'));
    const again = await get('/data/datapackage.json', { 'if-none-match': etag! });
    expect(again.status).toBe(304);
  });

  it('/data links the packages', async () => {
    const listed = (await (await get('/data')).json()) as {
      dataPackage: string;
      downloads: { field: string; dataPackage: string }[];
    };
    expect(listed.dataPackage).toBe(`${origin()}/data/datapackage.json`);
    expect(listed.downloads.find((d) => d.field === 'drugDeaths')?.dataPackage).toBe(
      `${origin()}/data/drugDeaths.csv?format=datapackage`,
    );
  });
});
