import { chromium, type Browser, type Page } from 'playwright-core';
import { startPlayground } from '../../playground/serve.js';

// Shared by the end-to-end tests: build and serve the page once, launch Debian's Chromium
// (never a downloaded browser), and open pages that fail on any console error.

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

export interface Harness {
  url: string;
  browser: Browser;
  /** Close the pages opened so far (a page left playing would slow the next tests). */
  closePages(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const server = await startPlayground({ quiet: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return {
    url: server.url,
    browser,
    closePages: async () => {
      for (const c of browser.contexts()) await c.close();
    },
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** A 1280×900 page at `url` + `hash`, collecting console errors and page errors. */
export async function openPage(h: Harness, hash = '', width = 1280): Promise<{ page: Page; errors: string[] }> {
  const page = await h.browser.newPage({ viewport: { width, height: 900 }, acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${h.url}${hash ? `#${hash}` : ''}`);
  await page.waitForSelector('#heatmap');
  return { page, errors };
}
