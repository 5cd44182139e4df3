import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { keyFor, type Upload, upload } from '../helpers/publishing.ts';

// A dataset shaped like SSB's and FHI's API answers: dimensions Region, Kjonn and Tid.
const dataset = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    version: '2.0',
    class: 'dataset',
    id: ['Region', 'Kjonn', 'Tid'],
    size: [2, 2, 1],
    dimension: {
      Region: { category: { index: { '0': 0, '03': 1 }, label: { '0': 'Hele landet', '03': 'Oslo' } } },
      Kjonn: { category: { index: ['1', '2'] } },
      Tid: { category: { index: ['2025'] } },
    },
    value: [260, 90, 40, null],
    status: { '3': ':' },
    ...overrides,
  });

let hub: TestHub;
let token: string;
beforeAll(async () => {
  hub = await startTestHub();
  token = await keyFor(hub, 'mortality');
});
afterAll(() => hub.close());

/** Publishes a JSON-stat document (a mortality one with the mortality key unless told otherwise). */
const uploadJsonStat = (fileName: string, content: string, options: Omit<Upload, 'content' | 'fileName'> = {}) =>
  upload(hub, { content, fileName, type: 'application/json', token, ...options });

describe('publishing JSON-stat 2.0', () => {
  it('maps SSB dimension names and codes to ours, and keeps suppressed cells as SUPPRESSED', async () => {
    const { body } = await uploadJsonStat('deaths.json', dataset(), { publishedAt: '2026-11-20' });
    expect(body.errors).toBeUndefined();
    expect(body.data!.publishRelease.observations).toBe(4);
    const { drugDeaths } = await hub.data<{ drugDeaths: unknown[] }>(
      '{ drugDeaths(from: 2025, to: 2025, region: ["0", "03"], sex: [MALE, FEMALE]) { region { code } sex value status } }',
    );
    expect(drugDeaths).toEqual([
      { region: { code: '0' }, sex: 'MALE', value: 260, status: 'NORMAL' },
      { region: { code: '0' }, sex: 'FEMALE', value: 90, status: 'NORMAL' },
      { region: { code: '03' }, sex: 'MALE', value: 40, status: 'NORMAL' },
      { region: { code: '03' }, sex: 'FEMALE', value: null, status: 'SUPPRESSED' },
    ]);
  });

  it('rejects unknown codes, listing them all', async () => {
    const content = dataset({
      dimension: {
        Region: { category: { index: ['0', '99'] } },
        Kjonn: { category: { index: ['1', '7'] } },
        Tid: { category: { index: ['2025'] } },
      },
    });
    const { body } = await uploadJsonStat('bad.json', content);
    expect(body.errors![0]!.extensions!.code).toBe('INVALID_FILE');
    expect(body.errors![0]!.message).toContain('region: "99"; sex: "7"');
  });

  it('rejects a dataset without a year dimension', async () => {
    const content = dataset({ id: ['Region', 'Kjonn'], size: [2, 2], value: [1, 2, 3, 4], status: undefined });
    const { body } = await uploadJsonStat('noyear.json', content);
    expect(body.errors![0]!.message).toContain('missing dimension year; the dataset has Region, Kjonn');
  });

  it('rejects a document that is not JSON-stat', async () => {
    const { body } = await uploadJsonStat('x.json', '{"class":"collection"}');
    expect(body.errors![0]!.message).toContain('not a JSON-stat 2.0 dataset');
  });
});

describe('publishing survey figures as JSON-stat 2.0', () => {
  it('turns ContentsCode categories into the value, its CI and counts of one cell', async () => {
    const surveyToken = await keyFor(hub, 'survey');
    const content = JSON.stringify({
      version: '2.0',
      class: 'dataset',
      id: ['Rusmiddel', 'Kjonn', 'Tid', 'ContentsCode'],
      size: [1, 1, 1, 3],
      dimension: {
        Rusmiddel: { category: { index: ['COCAINE'] } },
        Kjonn: { category: { index: ['2'] } },
        Tid: { category: { index: ['2026'] } },
        ContentsCode: { category: { index: ['Prosent', 'ci_low', 'ci_high'] } },
      },
      value: [6.3, 5.1, 7.5],
    });
    const { body } = await uploadJsonStat('ssb.json', content, {
      source: 'survey',
      token: surveyToken,
      publishedAt: '2026-11-21',
    });
    expect(body.errors).toBeUndefined();
    const { prevalence } = await hub.data<{ prevalence: unknown[] }>(
      '{ prevalence(substance: ["COCAINE"], sex: [FEMALE], from: 2026) { value ciLow ciHigh recall ageGroup { code } } }',
    );
    expect(prevalence).toEqual([
      { value: 6.3, ciLow: 5.1, ciHigh: 7.5, recall: 'LIFETIME', ageGroup: { code: '16-64' } },
    ]);
  });

  it('lists every unknown substance code', async () => {
    const surveyToken = await keyFor(hub, 'survey');
    const content = JSON.stringify({
      version: '2.0',
      class: 'dataset',
      id: ['Rusmiddel', 'Tid'],
      size: [2, 1],
      dimension: { Rusmiddel: { category: { index: ['Hasj', 'Kokain'] } }, Tid: { category: { index: ['2026'] } } },
      value: [20, 8],
    });
    const { body } = await uploadJsonStat('ssb.json', content, { source: 'survey', token: surveyToken });
    expect(body.errors![0]!.message).toContain('substance: "Hasj", "Kokain"');
  });
});
