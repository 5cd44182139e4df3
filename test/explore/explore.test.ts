import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

// /explore in headless Chromium (Debian's, which .ci/run installs), against a hub on a fresh
// database served over HTTP on a free port.

const SCREENSHOTS = join(import.meta.dirname, '../../test-results');
const CHARTS = 8;

let hub: TestHub;
let server: Server;
let origin: string;
let browser: Browser;

/** What a page did while it was open: its errors and every request it sent. */
interface Visit {
  page: Page;
  errors: string[];
  requests: string[];
}

async function visit(path: string): Promise<Visit> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(`${origin}${path}`);
  await page.waitForFunction(
    (count) => {
      const figures = [...document.querySelectorAll('main > figure')] as HTMLElement[];
      return (
        figures.length === count && figures.every((f) => f.dataset.state === 'ready' || f.dataset.state === 'failed')
      );
    },
    CHARTS,
    { timeout: 60_000 },
  );
  return { page, errors, requests };
}

/** The hub itself: its URLs, and blobs and data it made (GraphiQL's editor starts workers from blobs). */
const fromHub = (url: string) =>
  url.startsWith(`${origin}/`) || url.startsWith(`blob:${origin}/`) || url.startsWith('data:');

let nb: Visit;
let en: Visit;

beforeAll(async () => {
  hub = await startTestHub();
  server = createServer(hub.hub);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const executablePath =
    process.env.CHROMIUM_PATH ?? execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  browser = await chromium.launch({ executablePath });
  nb = await visit('/explore');
  en = await visit('/explore?lang=en');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await hub?.close();
});

interface ChartOnPage {
  id: string;
  state: string;
  marks: number;
  csv: string[];
  graphiql: string;
  /** Each table (one per query field of the chart) with the values of its value column. */
  tables: { part: string; values: string[] }[];
}

const chartsOf = (page: Page) =>
  page.$$eval('main > figure', (figures) =>
    (figures as HTMLElement[]).map(
      (figure): ChartOnPage => ({
        id: figure.id,
        state: figure.dataset.state ?? '',
        // Plot draws each mark as a group of elements labelled by the mark (bar, line, dot, ...).
        marks: figure.querySelectorAll('.chart svg g[aria-label] > *').length,
        csv: [...figure.querySelectorAll<HTMLAnchorElement>('a.csv')].map((link) => link.href),
        graphiql: figure.querySelector<HTMLAnchorElement>('a.graphiql')?.href ?? '',
        tables: [...figure.querySelectorAll<HTMLElement>('table')].map((table) => ({
          part: table.dataset.part ?? '',
          values: [...table.querySelectorAll<HTMLElement>('td[data-field="value"]')].map(
            (cell) => cell.dataset.value ?? '',
          ),
        })),
      }),
    ),
  );

describe('/explore', () => {
  it('draws every chart as an SVG with marks', async () => {
    const charts = await chartsOf(nb.page);
    expect(charts.map((c) => c.id)).toEqual([
      'deaths-per-year',
      'deaths-by-county',
      'deaths-by-age-and-sex',
      'cannabis-prevalence',
      'substances-2025',
      'wastewater-norway',
      'wastewater-ranking',
      'people-who-inject-drugs',
    ]);
    for (const chart of charts) {
      expect(chart.state, chart.id).toBe('ready');
      expect(chart.marks, chart.id).toBeGreaterThan(5);
    }
  });

  it('has no page errors', () => {
    expect(nb.errors).toEqual([]);
    expect(en.errors).toEqual([]);
  });

  it('sends no request outside the hub (the charting library is served by the hub)', () => {
    const outside = [...nb.requests, ...en.requests].filter((url) => !fromHub(url));
    expect(outside).toEqual([]);
    expect(nb.requests).toContain(`${origin}/explore/vendor/plot.umd.min.js`);
  });

  it("shows each chart's numbers in a table equal to the API's answer to its query", async () => {
    for (const chart of await chartsOf(nb.page)) {
      const query = new URL(chart.graphiql).searchParams.get('query')!;
      const answer = await hub.data<Record<string, { value: number | null }[]>>(query);
      expect(chart.tables.map((table) => table.part).sort(), chart.id).toEqual(Object.keys(answer).sort());
      for (const table of chart.tables) {
        const rows = answer[table.part]!;
        expect(rows.length, chart.id).toBeGreaterThan(0);
        expect(table.values, `${chart.id} ${table.part}`).toEqual(
          rows.map((row) => (row.value == null ? '' : String(row.value))),
        );
      }
    }
  });

  it('the deaths chart shows the 2023 revision from 363 to 391', async () => {
    const text = await nb.page.locator('#deaths-per-year svg').textContent();
    expect(text).toContain('363 → 391');
    const row = nb.page.locator('#deaths-per-year tbody tr', { hasText: '2023' });
    await expect(row.locator('td').allTextContents()).resolves.toEqual([
      '2023',
      '391',
      '363',
      'Tall om illegale rusmidler',
    ]);
  });

  it("links each chart's CSV downloads, each with as many rows as its table", async () => {
    for (const chart of await chartsOf(nb.page)) {
      expect(chart.csv.length, chart.id).toBe(chart.tables.length);
      for (const [i, link] of chart.csv.entries()) {
        const response = await hub.hub.fetch(link);
        expect(response.status, chart.id).toBe(200);
        const lines = (await response.text()).trimEnd().split('\r\n');
        // Quoted fields hold no line breaks in these tables: one line per row after the header.
        expect(lines.length - 1, chart.id).toBe(chart.tables[i]!.values.length);
      }
    }
  });

  it('opens each query in GraphiQL, served by the hub', async () => {
    const [chart] = await chartsOf(nb.page);
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(chart!.graphiql);
    await page.waitForSelector('.graphiql-container');
    await expect.poll(() => page.locator('.graphiql-query-editor').textContent()).toContain('drugDeaths');
    expect(requests.filter((url) => !fromHub(url))).toEqual([]);
    await page.close();
  });

  it('speaks Norwegian by default and English with ?lang=en', async () => {
    expect(await nb.page.getAttribute('html', 'lang')).toBe('nb');
    expect(await en.page.getAttribute('html', 'lang')).toBe('en');
    expect(await nb.page.locator('#deaths-by-county h2').textContent()).toBe('Dødsfall per fylke, 2024');
    expect(await en.page.locator('#deaths-by-county h2').textContent()).toBe('Deaths by county, 2024');
    expect(await en.page.locator('#deaths-by-county a.csv').getAttribute('href')).toContain('lang=en');
    expect(await en.page.locator('#wastewater-norway tbody td').nth(1).textContent()).toMatch(/^(Spring|Autumn)$/);
  });

  it('redraws the ranking for another substance', async () => {
    await nb.page.selectOption('#wastewater-ranking-choice', 'CANNABIS');
    await nb.page.waitForFunction(() => {
      const figure = document.getElementById('wastewater-ranking');
      return (
        figure?.dataset.state === 'ready' && figure.querySelector('a.csv')?.getAttribute('href')?.includes('CANNABIS')
      );
    });
    const [ranking] = (await chartsOf(nb.page)).filter((c) => c.id === 'wastewater-ranking');
    expect(ranking!.marks).toBeGreaterThan(5);
    await nb.page.selectOption('#wastewater-ranking-choice', 'COCAINE');
    await nb.page.waitForFunction(() =>
      document.getElementById('wastewater-ranking')?.querySelector('a.csv')?.getAttribute('href')?.includes('COCAINE'),
    );
  });

  it('saves a screenshot of the page', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const path = join(SCREENSHOTS, 'explore.png');
    await nb.page.screenshot({ path, fullPage: true });
    await en.page.screenshot({ path: join(SCREENSHOTS, 'explore-en.png'), fullPage: true });
    expect((await nb.page.screenshot({ fullPage: true })).length).toBeGreaterThan(50_000);
  });
});
