import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/publishing/commands.ts';
import { sourceModules } from '../../src/sources/registry.ts';
import { largeEudaFile } from '../helpers/fixtures.ts';
import { type GraphQLResponse, useTestHub } from '../helpers/hub.ts';
import {
  DEATHS_HEADER,
  deathsFile,
  keyFor,
  REVISED_REPORT_DRY_RUN,
  revisedReportFile,
  upload,
} from '../helpers/publishing.ts';

// previewRelease and `npm run cli -- publish ... --dry-run`: what a file would add and revise,
// compared with the releases published by its date, validated as a publish would be, and nothing
// written.

const hub = useTestHub();

const PREVIEW = `mutation Preview($source: ID!, $file: File!, $publishedAt: Date, $first: Int) {
  previewRelease(source: $source, file: $file, publishedAt: $publishedAt) {
    publishedAt added revised unchanged
    changes(first: $first) {
      kind description year yearFrom previous value previousStatus status previousQualifier qualifier
      previousRelease { id publishedAt }
      codes { name code }
    }
  }
}`;

interface Change {
  kind: string;
  description: string;
  year: number;
  yearFrom: number | null;
  previous: number | null;
  value: number | null;
  previousStatus: string | null;
  status: string;
  previousQualifier: string | null;
  qualifier: string;
  previousRelease: { id: string; publishedAt: string } | null;
  codes: { name: string; code: string }[];
}
type Preview = { publishedAt: string; added: number; revised: number; unchanged: number; changes: Change[] };

/** Sends previewRelease as a multipart request, as publishRelease is sent. */
async function preview(
  content: string,
  options: { token?: string | null; publishedAt?: string; first?: number; source?: string; type?: string } = {},
): Promise<{ status: number; body: GraphQLResponse<{ previewRelease: Preview }> }> {
  const form = new FormData();
  const { publishedAt = '2026-06-01', first, source = 'mortality' } = options;
  form.set('operations', JSON.stringify({ query: PREVIEW, variables: { source, file: null, publishedAt, first } }));
  form.set('map', JSON.stringify({ 0: ['variables.file'] }));
  form.set('0', new File([content], 'deaths.csv', { type: options.type ?? 'text/csv' }));
  const headers: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  const response = await hub.hub.fetch('http://rusdata.test/graphql', { method: 'POST', body: form, headers });
  return { status: response.status, body: (await response.json()) as never };
}

/** The codes of a national deaths cell. */
const national = [
  { name: 'measure', code: 'DEATHS' },
  { name: 'region', code: '0' },
  { name: 'sex', code: 'ALL' },
  { name: 'ageGroup', code: 'ALL' },
  { name: 'cause', code: 'ALL' },
  { name: 'intent', code: 'ALL' },
];

/** The row count of every table, and the data version. */
async function databaseState(): Promise<Record<string, number>> {
  const { rows: tables } = await hub.db.pool.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
  );
  const { rows } = await hub.db.pool.query<{ name: string; count: number }>(
    `${tables.map(({ name }) => `SELECT '${name}' AS name, count(*)::int AS count FROM "${name}"`).join(' UNION ALL ')}
    UNION ALL SELECT 'data_version.version', version::int FROM data_version`,
  );
  return Object.fromEntries(rows.map(({ name, count }) => [name, count]));
}

describe('previewRelease', () => {
  it('reports 2023 revised from 391 to 400 (from the 2025 report), 2025 added, and the 155 other cells unchanged', async () => {
    const token = await keyFor(hub, 'mortality');
    const { status, body } = await preview(revisedReportFile(), { token });
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    expect(body.data?.previewRelease).toEqual({
      publishedAt: '2026-06-01',
      added: 1,
      revised: 1,
      unchanged: 155,
      changes: [
        {
          kind: 'REVISED',
          description: 'Deaths, Norway, 2023',
          year: 2023,
          yearFrom: 2023,
          previous: 391,
          value: 400,
          previousStatus: 'NORMAL',
          status: 'NORMAL',
          previousQualifier: 'EXACT',
          qualifier: 'EXACT',
          previousRelease: { id: 'mortality-report-2025', publishedAt: '2025-10-28' },
          codes: national,
        },
        {
          kind: 'ADDED',
          description: 'Deaths, Norway, 2025',
          year: 2025,
          yearFrom: 2025,
          previous: null,
          value: 355,
          previousStatus: null,
          status: 'NORMAL',
          previousQualifier: null,
          qualifier: 'EXACT',
          previousRelease: null,
          codes: national,
        },
      ],
    });
  });

  it('writes nothing: every table keeps its rows and the data version stays; the audit log records the preview', async () => {
    const token = await keyFor(hub, 'mortality');
    const before = await databaseState();
    const { body } = await preview(revisedReportFile(), { token });
    expect(body.data?.previewRelease.revised).toBe(1);
    const after = await databaseState();
    expect(after).toEqual({ ...before, audit_entry: (before.audit_entry ?? 0) + 1 });
    const [entry] = (await hub.db.prisma.auditEntry.findMany({ orderBy: { id: 'desc' }, take: 1 })) ?? [];
    expect(entry).toMatchObject({
      action: 'PREVIEW',
      sourceId: 'mortality',
      releaseId: null,
      result: 'OK',
      detail: 'deaths.csv: 1 added, 1 revised, 155 unchanged (as of 2026-06-01)',
    });
    const answer = await hub.data<{ drugDeaths: { year: number; value: number }[] }>(
      '{ drugDeaths(from: 2023) { year value } }',
    );
    expect(answer.drugDeaths).toEqual([
      { year: 2023, value: 391 },
      { year: 2024, value: 342 },
    ]);
  });

  it('compares with the releases published by publishedAt: on 2024-07-01, 2023 stood at 363', async () => {
    const token = await keyFor(hub, 'mortality');
    const { body } = await preview(deathsFile([[2023, 391]]), { token, publishedAt: '2024-07-01' });
    expect(body.data?.previewRelease).toMatchObject({ added: 0, revised: 1, unchanged: 0 });
    expect(body.data?.previewRelease.changes[0]).toMatchObject({
      description: 'Deaths, Norway, 2023',
      previous: 363,
      value: 391,
      previousRelease: { publishedAt: '2024-06-01' },
    });
  });

  it('counts a cell as revised when only its qualifier changes', async () => {
    const token = await keyFor(hub, 'mortality');
    const file = `${DEATHS_HEADER}\nDEATHS,2024,,0,ALL,ALL,ALL,ALL,342,ABOUT,test file,\n`;
    const { body } = await preview(file, { token });
    expect(body.data?.previewRelease).toMatchObject({ added: 0, revised: 1, unchanged: 0 });
    expect(body.data?.previewRelease.changes[0]).toMatchObject({
      previous: 342,
      value: 342,
      previousQualifier: 'EXACT',
      qualifier: 'ABOUT',
    });
  });

  it("describes a cell by its series, each dimension's member but ALL, and its year or period, in the cube's order", async () => {
    const token = await keyFor(hub, 'mortality');
    const file = [
      DEATHS_HEADER,
      'DEATHS,2024,,03,ALL,ALL,ALL,ALL,57,EXACT,test file,',
      'DEATHS,2024,,0,MALE,0-29,ALL,ALL,56,EXACT,test file,',
      'DEATHS,2024,,0,ALL,ALL,HEROIN,ACCIDENTAL,1,EXACT,test file,',
      'MEAN_DEATHS_PER_YEAR,2024,2012,0,ALL,ALL,ALL,ALL,293,ABOUT,test file,',
    ].join('\n');
    const { body } = await preview(file, { token });
    expect(body.data?.previewRelease.changes.map((change) => change.description)).toEqual([
      'Mean deaths per year, Norway, 2012–2024',
      'Deaths, Norway, Heroin, Accidental poisonings, 2024',
      'Deaths, Norway, Male, Under 30, 2024',
      'Deaths, Oslo, 2024',
    ]);
  });

  it.each([
    [
      'pwid',
      'year,estimate,low,high,rate_per_1000,method,qualifier,reference,note\n' +
        '2024,9000,8000,10000,,mortality multiplier,EXACT,test,\n2023,8500,,,,mortality multiplier,EXACT,test,\n',
      ['Annual estimate, 2023', 'Annual estimate, 2024'],
    ],
    [
      'survey',
      'year,substance,recall,sex,age_group,value,ci_low,ci_high,respondents,users,qualifier,reference,note\n' +
        '2024,CANNABIS,LAST_12_MONTHS,ALL,16-64,5.1,,,,,EXACT,test,\n2024,COCAINE,LIFETIME,MALE,16-30,9,,,,,EXACT,test,\n',
      ['Cannabis, Last 12 months, 16–64, 2024', 'Cocaine, Lifetime, Male, 16–30, 2024'],
    ],
    [
      'wastewater',
      largeEudaFile(1),
      ['Graz, AT, Cocaine, Spring, Daily mean, 1000', 'Graz, AT, Cocaine, Spring, Weekday mean, 1000'],
    ],
  ])('previews uploads of %s, and describes their cells', async (source, content, descriptions) => {
    const token = await keyFor(hub, source);
    const { body } = await preview(content, { token, source });
    expect(body.errors).toBeUndefined();
    const changes = body.data?.previewRelease.changes ?? [];
    expect(changes.slice(0, descriptions.length).map((change) => change.description)).toEqual(descriptions);
  });

  it('lists the first changes only when asked for fewer', async () => {
    const token = await keyFor(hub, 'mortality');
    const { body } = await preview(revisedReportFile(), { token, first: 1 });
    expect(body.data?.previewRelease).toMatchObject({ added: 1, revised: 1, unchanged: 155 });
    expect(body.data?.previewRelease.changes.map((change) => change.year)).toEqual([2023]);
  });

  it.each([
    ['an unknown code', `${DEATHS_HEADER}\nDEATHS,2025,,99,ALL,ALL,ALL,ALL,1,EXACT,test file,\n`, 'text/csv'],
    ['another layout', 'year,value\n2025,1\n', 'text/csv'],
    ['no observations', `${DEATHS_HEADER}\n`, 'text/csv'],
    [
      'the same cell twice',
      deathsFile([
        [2025, 1],
        [2024, 2],
        [2025, 3],
      ]),
      'text/csv',
    ],
    ['a media type that is not data', deathsFile([[2025, 1]]), 'image/png'],
  ])('refuses a file with %s with the error publishRelease gives it', async (_problem, content, type) => {
    const token = await keyFor(hub, 'mortality');
    const releases = await hub.db.prisma.release.count();
    const previewed = await preview(content, { token, type });
    const published = await upload(hub, { content, type, token });
    expect(published.body.errors).toHaveLength(1);
    const [error] = published.body.errors ?? [];
    expect(previewed.status).toBe(published.status);
    expect(previewed.body.errors).toEqual([
      {
        ...error,
        message: error?.message.replace('publishRelease:', 'previewRelease:'),
        path: ['previewRelease'],
      },
    ]);
    expect(await hub.db.prisma.release.count()).toBe(releases);
  });

  it('names the observations that give the same cell twice', async () => {
    const token = await keyFor(hub, 'mortality');
    const { body } = await preview(
      deathsFile([
        [2025, 1],
        [2024, 2],
        [2025, 3],
      ]),
      { token },
    );
    expect(body.errors?.[0]?.message).toBe(
      'previewRelease: deaths.csv gives the same cell twice (measure, year_from, year, region_code, sex, age_group_code, ' +
        'cause_code, intent_code = DEATHS, 2025, 2025, 0, ALL, ALL, ALL, ALL: observations 1 and 3); nothing was stored.',
    );
  });

  it("refuses a key without the source's scope, and a request without a key", async () => {
    const other = await keyFor(hub, 'wastewater');
    const refused = await preview(revisedReportFile(), { token: other });
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await preview(revisedReportFile(), { token: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('MISSING_API_KEY');
    const admin = await preview(revisedReportFile(), { token: await keyFor(hub, 'admin') });
    expect(admin.body.data?.previewRelease.revised).toBe(1);
  });
});

describe('npm run cli -- publish ... --dry-run', () => {
  it('prints the counts and one row per change as a table, and writes nothing', async () => {
    const before = await databaseState();
    const output = await runCommand(
      hub.db,
      sourceModules,
      {
        name: 'publish',
        sourceId: 'mortality',
        fileName: 'deaths-2025.csv',
        content: revisedReportFile(),
        label: 'Dødsfall 2025',
        status: 'PRELIMINARY',
        publishedAt: '2026-06-01',
        dryRun: true,
      },
      'cli:test',
    );
    expect(output).toBe(REVISED_REPORT_DRY_RUN);
    expect(await databaseState()).toEqual({ ...before, audit_entry: (before.audit_entry ?? 0) + 1 });
  });
});
