import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPHIQL_TITLE } from '../../src/server/yoga.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

// GraphiQL's header in headless Chromium (Debian's) at a 1400 px wide window: the logo slot holds
// the short name on one line; the sentence is the page's title.

const SCREENSHOTS = join(import.meta.dirname, '../../test-results');

let hub: TestHub;
let server: Server;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  hub = await startTestHub();
  server = createServer(hub.hub);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const executablePath =
    process.env.CHROMIUM_PATH ?? execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  browser = await chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await hub?.close();
});

describe('GraphiQL at a 1400 px wide window', () => {
  it('shows "rusdata" on one line in the logo slot, and the sentence as the page title', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${origin}/graphql`);
    const logo = page.locator('.graphiql-logo');
    await logo.waitFor();
    await expect.poll(() => logo.locator('span[title]').textContent()).toBe('rusdata');
    const { height, lineHeight } = await logo.evaluate((element) => {
      const text = element.querySelector('span[title]') ?? element;
      return {
        height: text.getBoundingClientRect().height,
        lineHeight: Number.parseFloat(getComputedStyle(text).lineHeight),
      };
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'graphiql-1400.png') });
    console.info(`GraphiQL logo text: ${height} px high, line height ${lineHeight} px`);
    expect(height).toBeLessThan(1.5 * lineHeight);
    expect(await page.title()).toBe(GRAPHIQL_TITLE);
    expect(await logo.locator('span[title]').getAttribute('title')).toBe(GRAPHIQL_TITLE);
    await page.close();
  });
});
