import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiKey } from '../../src/publishing/api-keys.ts';
import { MORTALITY_DATA_DIR } from '../../src/sources/mortality/importer.ts';
import type { GraphQLResponse, TestHub } from './hub.ts';

export const DEATHS_HEADER = 'measure,year,year_from,region,sex,age_group,cause,intent,value,qualifier,reference,note';

/** A deaths file in the upload layout: one national count per [year, value]. */
export const deathsFile = (cells: [number, number][]) =>
  `${DEATHS_HEADER}\n${cells.map(([year, value]) => `DEATHS,${year},,0,ALL,ALL,ALL,ALL,${value},EXACT,test file,`).join('\n')}\n`;

export const PUBLISH = `mutation Publish(
  $source: ID!, $file: File!, $label: String!, $status: ReleaseStatus!, $publishedAt: Date!, $publicFrom: DateTime
) {
  publishRelease(source: $source, file: $file, label: $label, status: $status, publishedAt: $publishedAt, publicFrom: $publicFrom) {
    created observations release { id status publishedAt publicFrom publisher }
  }
}`;

export interface Upload {
  source?: string;
  content: string;
  fileName?: string;
  type?: string;
  token?: string | null;
  publishedAt?: string;
  /** The instant the release becomes public (ISO 8601 with an offset); default: the hub's rule. */
  publicFrom?: string;
  headers?: Record<string, string>;
}

/** Sends publishRelease as a multipart request (GraphQL multipart request spec). */
export async function upload(
  hub: Pick<TestHub, 'hub'>,
  options: Upload,
): Promise<{
  status: number;
  body: GraphQLResponse<{
    publishRelease: {
      created: boolean;
      observations: number;
      release: { id: string; status: string; publishedAt: string; publicFrom: string; publisher: string };
    };
  }>;
}> {
  const form = new FormData();
  form.set(
    'operations',
    JSON.stringify({
      query: PUBLISH,
      variables: {
        source: options.source ?? 'mortality',
        file: null,
        label: 'Test release',
        status: 'PRELIMINARY',
        publishedAt: options.publishedAt ?? '2026-06-01',
        publicFrom: options.publicFrom ?? null,
      },
    }),
  );
  form.set('map', JSON.stringify({ 0: ['variables.file'] }));
  form.set('0', new File([options.content], options.fileName ?? 'deaths.csv', { type: options.type ?? 'text/csv' }));
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await hub.hub.fetch('http://rusdata.test/graphql', { method: 'POST', body: form, headers });
  return { status: response.status, body: (await response.json()) as never };
}

export async function keyFor(hub: Pick<TestHub, 'db'>, ...scopes: string[]) {
  return (await createApiKey(hub.db.prisma, `test ${scopes.join('+')}`, scopes, 'test')).token;
}

/**
 * A new deaths release as a partner would prepare it: every cell of the 2025 report
 * (prisma/data/mortality/deaths.csv without its release column, 156 cells), with the national
 * count for 2023 revised from 391 to 400 and 2025 added (355, made up for tests).
 */
export function revisedReportFile(): string {
  const release = 'mortality-report-2025,';
  const lines = readFileSync(join(MORTALITY_DATA_DIR, 'deaths.csv'), 'utf8').split('\n');
  if (lines[0] !== `release,${DEATHS_HEADER}`) throw new Error(`deaths.csv has another header: ${lines[0]}`);
  const cells = lines.filter((line) => line.startsWith(release)).map((line) => line.slice(release.length));
  const revised = cells.map((line) =>
    line.replace(/^DEATHS,2023,,0,ALL,ALL,ALL,ALL,391,/, 'DEATHS,2023,,0,ALL,ALL,ALL,ALL,400,'),
  );
  if (revised.filter((line, i) => line !== cells[i]).length !== 1)
    throw new Error('deaths.csv no longer has 2023: 391');
  return `${DEATHS_HEADER}\n${revised.join('\n')}\nDEATHS,2025,,0,ALL,ALL,ALL,ALL,355,EXACT,test file,\n`;
}

/** What `npm run cli -- publish mortality <revisedReportFile()> ... --published-at 2026-06-01 --dry-run` prints. */
export const REVISED_REPORT_DRY_RUN = `dry run (nothing published): compared with the mortality releases published by 2026-06-01
added      1
revised    1
unchanged  155

cell                  previous  value  previous release
Deaths, Norway, 2023       391    400  mortality-report-2025
Deaths, Norway, 2025              355`;
