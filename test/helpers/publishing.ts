import { createApiKey } from '../../src/publishing/api-keys.ts';
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
  hub: TestHub,
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

export async function keyFor(hub: TestHub, ...scopes: string[]) {
  return (await createApiKey(hub.db.prisma, `test ${scopes.join('+')}`, scopes, 'test')).token;
}
