import { parse } from 'csv-parse/sync';
import { getNamedType, getNullableType, isEnumType, isListType, isNonNullType } from 'graphql';
import JSONstat from 'jsonstat-toolkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub?.close());

const get = (path: string, headers: Record<string, string> = {}) =>
  hub.hub.fetch(`http://rusdata.test${path}`, { headers });
const csvRows = async (path: string) => {
  const response = await get(path);
  expect(response.status, await response.clone().text()).toBe(200);
  // csv-parse's defaults: strict RFC 4180, every row as long as the header, no comment lines.
  return parse(await response.text(), { columns: true }) as Record<string, string>[];
};
const errorsOf = async (response: Response) =>
  ((await response.json()) as { errors: { message: string; extensions?: { code?: string } }[] }).errors;

/** The root fields that list observations, read from the schema independently of the hub's code. */
function observationFields() {
  const observation = schema.getType('Observation');
  return Object.values(schema.getQueryType()!.getFields()).filter((field) => {
    const type = getNamedType(field.type);
    return (
      isListType(getNullableType(field.type)) &&
      'getInterfaces' in type &&
      type.getInterfaces().some((i) => i === observation)
    );
  });
}

describe('downloads: /data/X.csv and /data/X.json', () => {
  it('/data lists every root field that returns observations, with both formats', async () => {
    const listed = ((await (await get('/data')).json()) as { downloads: { field: string; csv: string }[] }).downloads;
    expect(listed.map((d) => d.field).sort()).toEqual(
      observationFields()
        .map((f) => f.name)
        .sort(),
    );
    expect(listed.map((d) => d.field)).toEqual(
      expect.arrayContaining([
        'drugDeaths',
        'drugDeathRates',
        'prevalence',
        'useDistribution',
        'wastewater',
        'injectingDrugUseEstimates',
      ]),
    );
    expect(listed.find((d) => d.field === 'drugDeaths')?.csv).toBe('http://rusdata.test/data/drugDeaths.csv');
  });

  for (const field of observationFields()) {
    it(`${field.name} downloads as CSV and as JSON-stat, one row and one value per cell of its GraphQL answer`, async () => {
      // Required arguments (useDistribution's distribution) get the first value of their enum.
      const params = new URLSearchParams();
      const args: string[] = [];
      for (const arg of field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined)) {
        const type = getNamedType(arg.type);
        if (!isEnumType(type)) throw new Error(`${field.name}(${arg.name}:) needs a value the test cannot pick`);
        params.set(arg.name, type.getValues()[0]!.name);
        args.push(`${arg.name}: ${type.getValues()[0]!.name}`);
      }
      const query = `{ rows: ${field.name}${args.length ? `(${args.join(', ')})` : ''} { value } }`;
      const expected = (await hub.data<{ rows: unknown[] }>(query)).rows.length;
      expect(expected).toBeGreaterThan(0);
      expect(await csvRows(`/data/${field.name}.csv?${params}`)).toHaveLength(expected);
      const jsonStat = JSONstat(await (await get(`/data/${field.name}.json?${params}`)).json());
      const cells = jsonStat.toTable({ type: 'arrobj', content: 'id', status: true }).filter((c) => c.status !== null);
      expect(cells).toHaveLength(expected);
    }, 120_000);
  }

  it('drugDeaths.csv?from=2024&to=2024&by=REGION is the 15 counties with code, label, value and provenance', async () => {
    const rows = await csvRows('/data/drugDeaths.csv?from=2024&to=2024&by=REGION');
    expect(rows).toHaveLength(15);
    const oslo = rows.find((row) => row.region === '03');
    expect(oslo).toMatchObject({
      year: '2024',
      regionLabel: 'Oslo',
      value: '56',
      unit: 'COUNT',
      status: 'NORMAL',
      qualifier: 'EXACT',
      releaseId: 'mortality-report-2025',
      releaseDate: '2025-10-28',
    });
  });

  it('the CSV is RFC 4180: CRLF line ends, a header row, UTF-8 labels, quoted fields with commas', async () => {
    const response = await get('/data/drugDeaths.csv?from=2024&to=2024&by=REGION');
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    const text = await response.text();
    const lines = text.split('\r\n');
    expect(lines[0]!.startsWith('year,')).toBe(true);
    expect(lines.at(-1)).toBe('');
    expect(text).not.toMatch(/[^\r]\n/);
    expect(text).toContain('Møre og Romsdal');
    expect(text).toContain('"Source: Cause of Death Registry, Norwegian Institute of Public Health (');
  });

  it('the CSV values equal the GraphQL answer for the same arguments', async () => {
    const rows = await csvRows('/data/drugDeaths.csv?from=2012&to=2024');
    const api = await hub.data<{ drugDeaths: { year: number; value: number }[] }>(
      '{ drugDeaths(from: 2012, to: 2024) { year value } }',
    );
    expect(rows.map((row) => [Number(row.year), Number(row.value)])).toEqual(
      api.drugDeaths.map((cell) => [cell.year, cell.value]),
    );
  });

  it('list parameters are comma-separated', async () => {
    const rows = await csvRows('/data/drugDeaths.csv?from=2024&to=2024&region=03,11');
    expect(rows.map((row) => row.region)).toEqual(['03', '11']);
  });

  it('lang=en labels the dimensions in English, lang=nb (the default) in Norwegian', async () => {
    const en = await csvRows('/data/drugDeaths.csv?from=2024&to=2024&lang=en');
    const nb = await csvRows('/data/drugDeaths.csv?from=2024&to=2024');
    expect(en[0]!.region).toBe('0');
    expect(en[0]!.regionLabel).toBe('Norway');
    expect(nb[0]!.regionLabel).toBe('Hele landet');
  });

  it('enum dimensions carry their label in the language asked (sex MALE: Menn, Men)', async () => {
    const nb = await csvRows('/data/drugDeaths.csv?from=2024&to=2024&sex=MALE');
    const en = await csvRows('/data/drugDeaths.csv?from=2024&to=2024&sex=MALE&lang=en');
    expect([nb[0]!.sexLabel, en[0]!.sexLabel]).toEqual(['Menn', 'Men']);
    expect([nb[0]!.measureLabel, en[0]!.measureLabel]).toEqual(['Antall dødsfall', 'Number of deaths']);
  });

  it('asOf answers as published on a date: 2023 was 363 before the revision to 391', async () => {
    const before = await csvRows('/data/drugDeaths.csv?from=2023&to=2023&asOf=2024-12-31');
    const latest = await csvRows('/data/drugDeaths.csv?from=2023&to=2023');
    expect([before[0]!.value, latest[0]!.value]).toEqual(['363', '391']);
  });

  for (const [parameter, argument] of [
    ['region=99', 'region: ["99"]'],
    ['by=FOO', 'by: [FOO]'],
    ['from=abc', 'from: "abc"'],
    ['from=2025&to=2020', 'from: 2025, to: 2020'],
    ['colour=red', 'colour: "red"'],
  ]) {
    it(`a bad parameter (${parameter}) gets 400 with the message and code GraphQL gives for ${argument}`, async () => {
      const response = await get(`/data/drugDeaths.csv?${parameter}`);
      expect(response.status).toBe(400);
      const [error] = await errorsOf(response);
      const [expected] = (await hub.query(`{ drugDeaths(${argument}) { value } }`)).errors!;
      expect(error!.message).toBe(expected!.message);
      expect(error!.extensions?.code).toBe(expected!.extensions?.code);
      expect(error!.extensions?.code).toBeTruthy();
    });
  }

  it('a missing required argument gets 400 naming it', async () => {
    const response = await get('/data/useDistribution.csv');
    expect(response.status).toBe(400);
    const [error] = await errorsOf(response);
    expect(error!.message).toContain('argument "distribution" of type "UseDistribution!" is required');
  });

  it('an unknown download gets 404 listing the downloads', async () => {
    const response = await get('/data/regions.csv');
    expect(response.status).toBe(404);
    const [error] = await errorsOf(response);
    expect(error!.extensions?.code).toBe('UNKNOWN_FIELD');
    expect(error!.message).toContain('drugDeaths, drugDeathRates');
  });

  it('a download carries an ETag, and the same request with If-None-Match gets 304', async () => {
    const first = await get('/data/drugDeaths.csv?from=2024&to=2024&by=REGION');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await get('/data/drugDeaths.csv?from=2024&to=2024&by=REGION', { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('a download gets the Cache-Control of a GraphQL answer', async () => {
    const download = await get('/data/drugDeaths.csv?from=2024&to=2024');
    const answer = await hub.hub.fetch('http://rusdata.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: '{ drugDeaths(from: 2024, to: 2024) { value } }' }),
    });
    expect(download.headers.get('cache-control')).toBe(answer.headers.get('cache-control'));
  });

  it('a release changes the ETag of a download whose answer it changes', async () => {
    const before = (await get('/data/drugDeaths.csv?from=2023&to=2023')).headers.get('etag');
    await withdrawn('mortality-report-2025', async () => {
      const after = await get('/data/drugDeaths.csv?from=2023&to=2023', { 'if-none-match': before! });
      expect(after.status).toBe(200);
      expect(after.headers.get('etag')).not.toBe(before);
    });
  });
});

/** Runs `check` while a release is withdrawn, once the hub has heard of it (and again after). */
async function withdrawn(releaseId: string, check: () => Promise<void>) {
  const setWithdrawn = async (at: string) => {
    const events = hub.hub.events.subscribe('release:changed')[Symbol.asyncIterator]();
    const heard = events.next();
    await hub.db.pool.query(`UPDATE "release" SET withdrawn_at = ${at} WHERE id = $1`, [releaseId]);
    await heard;
    await events.return?.();
  };
  await setWithdrawn('now()');
  try {
    await check();
  } finally {
    await setWithdrawn('NULL');
  }
}

describe('JSON-stat 2.0', () => {
  it('read back with jsonstat-toolkit, a download gives the same cells as the CSV', async () => {
    const path = 'drugDeaths.%s?from=2020&to=2024&by=REGION';
    const csv = await csvRows(`/data/${path.replace('%s', 'csv')}`);
    const dataset = JSONstat(await (await get(`/data/${path.replace('%s', 'json')}`)).json());
    expect(dataset.class).toBe('dataset');
    const cells = dataset.toTable({ type: 'arrobj', content: 'id', status: true }).filter((c) => c.status !== null);
    const key = (c: Record<string, unknown>) =>
      [c.year, c.measure, c.region, c.sex, c.ageGroup, c.cause, c.intent, c.value, c.status].join('|');
    expect(cells.map(key).sort()).toEqual(
      csv.map((row) => key({ ...row, value: row.value === '' ? null : Number(row.value) })).sort(),
    );
    expect(cells.length).toBeGreaterThan(30);
  });

  it('a sparse answer (wastewater) round-trips too: absent combinations are not cells', async () => {
    const csv = await csvRows('/data/wastewater.csv?substance=COCAINE&from=2022');
    const dataset = JSONstat(await (await get('/data/wastewater.json?substance=COCAINE&from=2022')).json());
    const cells = dataset.toTable({ type: 'arrobj', content: 'id', status: true }).filter((c) => c.status !== null);
    const key = (c: Record<string, unknown>) => [c.year, c.site, c.substance, c.statistic, c.value, c.status].join('|');
    expect(cells.map(key).sort()).toEqual(
      csv.map((row) => key({ ...row, value: row.value === '' ? null : Number(row.value) })).sort(),
    );
    expect(dataset.n).toBeGreaterThan(cells.length);
  });

  it('every dimension has its categories and labels, and region has the geo role', async () => {
    const body = (await (await get('/data/drugDeaths.json?from=2024&to=2024&by=REGION&lang=en')).json()) as {
      id: string[];
      role: Record<string, string[]>;
      dimension: Record<string, { category: { index: string[]; label: Record<string, string> } }>;
    };
    expect(body.id).toEqual(['year', 'measure', 'region', 'sex', 'ageGroup', 'cause', 'intent']);
    expect(body.role).toEqual({ time: ['year'], geo: ['region'] });
    expect(body.dimension.region!.category.index).toHaveLength(15);
    expect(body.dimension.region!.category.label['03']).toBe('Oslo');
    expect(body.dimension.cause!.category.label.ALL).toBeTruthy();
  });

  it('the releases (with citations) and sources (with licence and attribution) are in extension', async () => {
    const body = (await (await get('/data/wastewater.json?country=NO&from=2024')).json()) as {
      extension: {
        releases: { id: string; citation: string }[];
        sources: { id: string; licence: string; attribution: string }[];
      };
    };
    expect(body.extension.sources).toEqual([
      expect.objectContaining({
        id: 'wastewater',
        licence: 'CC BY 4.0',
        attribution: expect.stringMatching(/^© EUDA, CC BY 4\.0/),
      }),
    ]);
    expect(body.extension.releases[0]!.citation).toMatch(/^EUDA \(European Union Drugs Agency\)/);
  });
});

describe('citations and licences', () => {
  it('Release.citation gives publisher, year, title and URL', async () => {
    const data = await hub.data<{ drugDeaths: { release: { citation: string } }[] }>(
      '{ drugDeaths(from: 2024, to: 2024) { release { citation } } }',
    );
    expect(data.drugDeaths[0]!.release.citation).toBe(
      'Helsedirektoratet (data: Dødsårsaksregisteret, FHI) (2025). Tall om illegale rusmidler. ' +
        'https://www.helsedirektoratet.no/rapporter/tall-om-illegale-rusmidler',
    );
  });

  it('a release without a known date is cited as n.d.', async () => {
    const data = await hub.data<{ sources: { releases: { publishedAtPrecision: string; citation: string }[] }[] }>(
      '{ sources { releases { publishedAtPrecision citation } } }',
    );
    const undated = data.sources.flatMap((s) => s.releases).filter((r) => r.publishedAtPrecision === 'UNKNOWN');
    expect(undated.length).toBeGreaterThan(0);
    for (const release of undated) expect(release.citation).toContain('(n.d.)');
  });

  it("EUDA's wastewater data carry CC BY 4.0 and the attribution EUDA requires", async () => {
    const data = await hub.data<{
      sources: { id: string; licence: string | null; licenceUrl: string; attribution: string }[];
    }>('{ sources { id licence licenceUrl attribution } }');
    expect(data.sources.find((s) => s.id === 'wastewater')).toMatchObject({
      licence: 'CC BY 4.0',
      licenceUrl: 'https://creativecommons.org/licenses/by/4.0/',
      attribution: expect.stringMatching(/^© EUDA, CC BY 4\.0\. /),
    });
    for (const source of data.sources) expect(source.attribution.length, source.id).toBeGreaterThan(20);
  });

  it('every CSV row carries licence, attribution and citation as columns, which default CSV readers accept', async () => {
    // EUDA's week only: the report's city charts are another publisher's release.
    const rows = await csvRows('/data/wastewater.csv?site=NO007&from=2024&to=2024&campaign=SPRING');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.licence).toBe('CC BY 4.0');
      expect(row.attribution).toMatch(/^© EUDA, CC BY 4\.0/);
      expect(row.citation).toMatch(/^EUDA \(European Union Drugs Agency\)/);
    }
  });

  it('a "#" comment line, the alternative, is a broken row to a CSV reader in its default settings', async () => {
    const text = await (await get('/data/wastewater.csv?site=NO007&from=2024')).text();
    expect(() => parse(`# © EUDA, CC BY 4.0\r\n${text}`, { columns: true })).toThrow();
  });
});
