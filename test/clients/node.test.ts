import { isInterfaceType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { decodeGlobalID, encodeGlobalID, RAW_ID } from '../../src/graphql/node.ts';
import { ADMIN_SCOPE, createApiKey } from '../../src/publishing/api-keys.ts';
import { publishRelease } from '../../src/publishing/publish.ts';
import { schema } from '../../src/schema/index.ts';
import { sourceModules } from '../../src/sources/registry.ts';
import type { GraphQLResponse } from '../helpers/hub.ts';
import { useTestHub } from '../helpers/hub.ts';
import { deathsFile, keyFor, upload } from '../helpers/publishing.ts';

// Global object identification: every Node is fetched again by node(id) and nodes(ids), with
// the same fields; an observation's id names its release, so it keeps its value after a revision.

const hub = useTestHub();

type Sampled = Record<string, unknown> & { id: string; __typename: string };

/**
 * One object of every Node type, the query that finds it and the fields asked of it. `pick`
 * takes the object out of the answer.
 */
const SAMPLES: { type: string; query: string; pick: (data: never) => unknown; fields: string }[] = [
  {
    type: 'Source',
    query: '{ sources { F } }',
    pick: (d: { sources: unknown[] }) => d.sources[0],
    fields: 'id name publisher',
  },
  ...[
    ['Release', '{ sources { releases { F } } }', 'id label publishedAt'],
    ['Region', '{ region(code: "03") { F } }', 'id code name'],
    ['AgeGroup', '{ x: drugDeaths(from: 2024, to: 2024, by: [AGE_GROUP]) { ageGroup { F } } }', 'id code name'],
    ['Substance', '{ substance(code: "CANNABIS") { F } }', 'id code name'],
    ['DeathCause', '{ x: drugDeaths(from: 2024, to: 2024, by: [CAUSE]) { cause { F } } }', 'id code name'],
    ['DeathIntent', '{ x: drugDeaths(from: 2024, to: 2024, by: [INTENT]) { intent { F } } }', 'id code name'],
    ['StandardPopulation', '{ x: drugDeathRates(from: 2024, to: 2024) { standardPopulation { F } } }', 'id code'],
    ['WastewaterSite', '{ wastewaterSite(code: "NO007") { F } }', 'id code city'],
    [
      'WastewaterMetabolite',
      '{ x: wastewater(site: ["NO007"], from: 2024, to: 2024) { metabolite { F } } }',
      'id code',
    ],
    ['DrugDeathObservation', '{ x: drugDeaths(from: 2024, to: 2024) { F } }', 'id year value unit reference'],
    ['DrugDeathRateObservation', '{ x: drugDeathRates(from: 2024, to: 2024) { F } }', 'id year value unit'],
    ['InjectingDrugUseEstimate', '{ x: injectingDrugUseEstimates(from: 2024, to: 2024) { F } }', 'id value low high'],
    [
      'PrevalenceObservation',
      '{ x: prevalence(substance: ["CANNABIS"], from: 2025, to: 2025) { F } }',
      'id value ciLow',
    ],
    [
      'UseDistributionObservation',
      '{ x: useDistribution(distribution: CANNABIS_DEBUT_AGE, measure: MEAN) { F } }',
      'id value unit',
    ],
    [
      'WastewaterObservation',
      '{ x: wastewater(site: ["NO007"], substance: ["CANNABIS"], from: 2024, to: 2024) { F } }',
      'id value campaign',
    ],
    ['Revision', '{ x: drugDeaths(from: 2023, to: 2023) { revisions { F } } }', 'id value release { id }'],
    ['SurveyWave', '{ x: surveyWaves { F } }', 'id year respondents'],
    ['PrevalenceTrendPoint', '{ x: prevalenceTrends { points { F } } }', 'id year adjusted'],
    ['PrevalenceTrendTest', '{ x: prevalenceTrendTests { F } }', 'id pValue recalls'],
    ['PrevalenceTrend', '{ x: prevalenceTrends { F } }', 'id recall points { id } test { id }'],
    ['WastewaterChange', '{ x: wastewaterChanges(country: ["NO"]) { F } }', 'id yearCurrent changePercent'],
    ['WastewaterAggregate', '{ x: wastewaterAggregates { F } }', 'id year value'],
    ['ReportChapter', '{ x: reportCoverage(chapter: [3]) { F } }', 'id chapter title'],
    ['ServedFigure', '{ x: reportCoverage(chapter: [3]) { served { F } } }', 'id description'],
    ['NotServedFigure', '{ x: reportCoverage(chapter: [3]) { notServed { F } } }', 'id description kind'],
  ].map(([type = '', query = '', fields = '']) => ({ type, query, fields, pick: firstOf })),
];

/** The first object of the answer at any depth below the root field (the first of each list). */
function firstOf(data: unknown): unknown {
  let value = Object.values(data as object)[0];
  for (;;) {
    if (Array.isArray(value)) value = value[0];
    else if (value && typeof value === 'object' && !('id' in value)) value = Object.values(value)[0];
    else return value;
  }
}

async function ask<Data>(query: string, variables?: Record<string, unknown>, token?: string) {
  const response = await hub.hub.fetch('http://rusdata.test/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<Data>;
}

async function sample({ type, query, pick, fields }: (typeof SAMPLES)[number]): Promise<Sampled> {
  const data = await hub.data(query.replace('F', `__typename ${fields}`));
  const object = pick(data as never) as Sampled;
  expect(object, type).toMatchObject({ __typename: type });
  return object;
}

const refetch = (type: string, fields: string) =>
  `query Refetch($id: ID!) { node(id: $id) { __typename id ... on ${type} { ${fields} } } }`;

describe('node(id)', () => {
  it('has a sample here for every type that implements Node', () => {
    const node = schema.getType('Node');
    if (!isInterfaceType(node)) throw new Error('no Node interface');
    const types = schema.getImplementations(node).objects.map((type) => type.name);
    expect([...SAMPLES.map((s) => s.type), 'AuditEntry'].sort()).toEqual(types.sort());
  });

  it.each(SAMPLES)('fetches a $type again with the same fields', async (entry) => {
    const object = await sample(entry);
    const response = await ask<{ node: Sampled }>(refetch(entry.type, entry.fields), { id: object.id });
    expect(response.errors).toBeUndefined();
    expect(response.data?.node).toEqual(object);
  });

  it('keeps the raw ids of sources and releases, and encodes every other id', async () => {
    const data = await hub.data<{ sources: { id: string; releases: { id: string }[] }[]; region: { id: string } }>(
      '{ sources { id releases { id } } region(code: "03") { id } }',
    );
    expect(data.sources.map((s) => s.id)).toEqual(['mortality', 'pwid', 'survey', 'wastewater']);
    expect(data.sources[0]?.releases.map((r) => r.id)).toContain('mortality-report-2025');
    expect(data.region.id).toBe(encodeGlobalID('Region', '03'));
    expect(decodeGlobalID(data.region.id)).toEqual({ typename: 'Region', id: '03' });
    // No source or release id can be read as an encoded one: node(id) tells them apart.
    for (const id of [...data.sources.map((s) => s.id), ...data.sources.flatMap((s) => s.releases.map((r) => r.id))]) {
      expect(decodeGlobalID(id), id).toEqual({ typename: RAW_ID, id });
    }
  });

  it('gives null, and no error, for an id that names nothing', async () => {
    const encode = (text: string) => Buffer.from(text).toString('base64url');
    const ids = [
      '',
      'nothing',
      'mortality-report-1999',
      encode('Region:99'),
      encode('Nope:1'),
      encode('Source:mortality'),
      encode('DrugDeathObservation:not json'),
      encode('DrugDeathObservation:["mortality-report-2025","DEATHS","20x3","2023","0","ALL","ALL","ALL","ALL"]'),
      encode(
        'DrugDeathObservation:["mortality-report-2025","NO_SUCH_MEASURE","2023","2023","0","ALL","ALL","ALL","ALL"]',
      ),
      encode('DrugDeathObservation:["mortality-report-2025","DEATHS","1900","1900","0","ALL","ALL","ALL","ALL"]'),
      encode('Revision:["no_such_table","x"]'),
      encode('SurveyWave:["survey-report-2026-text","twenty"]'),
      encode('PrevalenceTrend:[]'),
      `${encode('Region:03')}=`,
    ];
    for (const id of ids) {
      const response = await ask<{ node: unknown }>('query($id: ID!) { node(id: $id) { id } }', { id });
      expect(response, id).toEqual({ data: { node: null } });
    }
    const response = await ask<{ nodes: unknown[] }>('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids });
    expect(response).toEqual({ data: { nodes: ids.map(() => null) } });
  });

  it('fetches an audit entry only with an admin key, as auditLog does', async () => {
    const { token } = await createApiKey(hub.db.prisma, 'node test admin', [ADMIN_SCOPE], 'test');
    const log = await ask<{ auditLog: { id: string; action: string }[] }>(
      '{ auditLog(first: 1) { id action } }',
      {},
      token,
    );
    const entry = log.data?.auditLog[0];
    expect(entry).toMatchObject({ action: 'KEY_CREATE' });
    const query = 'query($id: ID!) { node(id: $id) { id ... on AuditEntry { action } } }';
    expect(await ask(query, { id: entry?.id }, token)).toEqual({ data: { node: entry } });
    const anonymous = await ask<{ node: unknown }>(query, { id: entry?.id });
    expect(anonymous.data?.node).toBeNull();
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['MISSING_API_KEY']);
  });
});

describe('nodes(ids)', () => {
  it('fetches objects of every type at once, in the order asked, nulls in place', async () => {
    const objects = await Promise.all(SAMPLES.map(sample));
    const ids = objects.flatMap((object) => [object.id, 'nothing']);
    const data = await hub.data<{ nodes: ({ __typename: string; id: string } | null)[] }>(
      'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }',
      { ids },
    );
    expect(data.nodes).toEqual(objects.flatMap(({ __typename, id }) => [{ __typename, id }, null]));
  });

  it('reads the observations of one cube in one statement, however many', async () => {
    const { x: rows } = await hub.data<{ x: { id: string }[] }>(
      '{ x: drugDeaths(from: 2012, to: 2024, by: [REGION]) { id } }',
    );
    expect(rows.length).toBeGreaterThan(50);
    const query = 'query($ids: [ID!]!) { nodes(ids: $ids) { id ... on DrugDeathObservation { year value } } }';
    await hub.query(query, { ids: rows.slice(0, 2).map((r) => r.id) }); // the cube's metadata, read once per process
    hub.statements.length = 0;
    const data = await hub.data<{ nodes: { id: string }[] }>(query, { ids: rows.map((r) => r.id) });
    expect(data.nodes.map((n) => n.id)).toEqual(rows.map((r) => r.id));
    expect(hub.statements).toHaveLength(1);
  });
});

describe('the id of an observation', () => {
  const DEATHS_2023 = `{
    first: drugDeaths(from: 2023, to: 2023, asOf: "2024-12-31") { id value release { id } }
    latest: drugDeaths(from: 2023, to: 2023) { id value release { id } revisions { id value release { id } } }
  }`;
  type Observed = { id: string; value: number; release: { id: string } };
  type Deaths2023 = { first: Observed[]; latest: (Observed & { revisions: Observed[] })[] };
  const AS_OBSERVATION = 'query($id: ID!) { node(id: $id) { id ... on Observation { value release { id } } } }';
  const AS_REVISION = 'query($id: ID!) { node(id: $id) { id ... on Revision { value release { id } } } }';

  it('names its release: 2023 as first published (363) and as revised (391) are two objects', async () => {
    const { first, latest } = await hub.data<Deaths2023>(DEATHS_2023);
    const [before, after] = [first[0], latest[0]];
    expect([before?.value, after?.value]).toEqual([363, 391]);
    expect(before?.id).not.toBe(after?.id);
    expect((await hub.data<{ node: Observed }>(AS_OBSERVATION, { id: before?.id })).node).toEqual(before);
    const { revisions: _, ...latestValue } = after ?? { revisions: [] };
    expect((await hub.data<{ node: Observed }>(AS_OBSERVATION, { id: after?.id })).node).toEqual(latestValue);
  });

  it('is fetched again as the revision it became (the earlier release, 363)', async () => {
    const { first, latest } = await hub.data<Deaths2023>(DEATHS_2023);
    const revision = latest[0]?.revisions[0];
    expect(revision).toMatchObject({ value: 363, release: first[0]?.release });
    expect((await hub.data<{ node: Observed }>(AS_REVISION, { id: revision?.id })).node).toEqual(revision);
  });

  it('names one object: a cell printed in three charts of one release is one revision of it', async () => {
    // 2025, amphetamines, ever used, 16-64: printed in three charts of survey-report-2026-charts.
    const query = `{ prevalence(substance: ["AMPHETAMINES"], from: 2025, to: 2025) {
      id value revisions { id value release { id } }
    } }`;
    const content =
      'year,substance,recall,sex,age_group,value,ci_low,ci_high,respondents,users,qualifier,reference,note\n' +
      '2025,AMPHETAMINES,LIFETIME,ALL,16-64,9.9,,,,,EXACT,node test,\n';
    const token = await keyFor(hub, 'survey');
    const published = await upload(hub, { source: 'survey', content, token, publishedAt: '2026-06-02' });
    expect(published.body.errors).toBeUndefined();
    type Cell = { id: string; value: number; revisions: { id: string; release: { id: string } }[] };
    const [cell] = (await hub.data<{ prevalence: Cell[] }>(query)).prevalence;
    expect(cell?.value).toBe(9.9);
    const releases = cell?.revisions.map((revision) => revision.release.id) ?? [];
    expect(releases).toContain('survey-report-2026-charts');
    expect(new Set(releases).size).toBe(releases.length);
    expect(new Set(cell?.revisions.map((revision) => revision.id)).size).toBe(releases.length);
  });

  it('still gives the old value after a new release revises the cell', async () => {
    const { latest: before } = await hub.data<Deaths2023>(DEATHS_2023);
    const { token } = await createApiKey(hub.db.prisma, 'node test publisher', ['mortality'], 'test');
    const published = await upload(hub, { content: deathsFile([[2023, 400]]), token });
    expect(published.body.errors).toBeUndefined();
    const { latest: after } = await hub.data<Deaths2023>(DEATHS_2023);
    expect(after[0]?.value).toBe(400);
    expect(after[0]?.id).not.toBe(before[0]?.id);
    const old = await hub.data<{ node: Observed }>(AS_OBSERVATION, { id: before[0]?.id });
    expect(old.node).toEqual({ id: before[0]?.id, value: 391, release: { id: 'mortality-report-2025' } });
  });
});

describe('release ids', () => {
  it('that would read as another object id, or are a source id, are refused', async () => {
    const request = (id: string) =>
      publishRelease(hub.db, sourceModules, {
        sourceId: 'mortality',
        fileName: 'deaths.csv',
        content: deathsFile([[2019, 1]]),
        release: { id, label: 'x', status: 'PRELIMINARY', published_at: '2026-06-02', publisher: 'test' },
        actor: 'test',
      });
    await expect(request(encodeGlobalID('Region', '03'))).rejects.toThrow(/reads as the encoded id of another object/);
    await expect(request('survey')).rejects.toThrow(/is the id of a source/);
  });
});
