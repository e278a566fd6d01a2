// Headless Debian Chromium for the browser tests, driven by playwright-core (which never downloads a
// browser of its own). Each launch gets a fresh profile in a temp dir, removed on close, so no state
// leaks between runs. The flags keep Chromium off the network: on this closed network its background
// services would otherwise try hosts outside the machine and log failures.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startStaticServer } from '../../scripts/lib/static-server.mjs';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox', // the tests run as root, where Chromium's sandbox refuses to start
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches Chromium with a fresh --user-data-dir. Playwright passes that directory itself, which is
 * why this uses a persistent context: plain `launch()` rejects --user-data-dir in `args`.
 * @returns {Promise<{context: import('playwright-core').BrowserContext, newPage: Function, close: Function}>}
 */
export async function launchChromium() {
  const userDataDir = await mkdtemp(join(tmpdir(), 'http-verdict-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 60_000,
    });
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    context,
    /** A new page watched by `guardPage` (see there for the options). */
    async newPage(options) {
      const page = await context.newPage();
      return { page, guard: guardPage(page, options) };
    },
    async close() {
      await context.close().catch(() => {});
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Records everything that should fail a browser test: console errors, uncaught page errors, requests
 * that failed at the network level and HTTP error responses. A test that provokes some on purpose
 * (a scripted 503 from /api/) allows them by URL.
 * @param {import('playwright-core').Page} page
 * @param {{allowUrl?: (url: string) => boolean}} [options] responses and console errors from these
 *   URLs are expected (Chromium logs "Failed to load resource" for every 4xx/5xx it fetches).
 * @returns {{problems: string[], assertClean: () => void}}
 */
export function guardPage(page, { allowUrl: allowed = () => false } = {}) {
  // Chromium asks for /favicon.ico by itself when a page names no icon: not the page's request.
  const allowUrl = (url) => allowed(url) || new URL(url, 'http://x/').pathname === '/favicon.ico';
  const problems = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location()?.url ?? '';
    if (where && allowUrl(where)) return;
    problems.push(`console error: ${message.text()}${where ? ` (${where})` : ''}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.stack ?? error.message}`));
  page.on('requestfailed', (request) => {
    if (!allowUrl(request.url())) problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !allowUrl(response.url())) {
      problems.push(`HTTP ${response.status()}: ${response.url()}`);
    }
  });
  return {
    problems,
    assertClean() {
      if (problems.length > 0) throw new Error(`the page reported problems:\n  ${problems.join('\n  ')}`);
    },
  };
}

/**
 * Serves `dir` on a loopback port, opens its index.html in `browser` (from `launchChromium`), and
 * returns what the page wrote into `#out`, parsed as JSON, after checking the page logged no error.
 */
export async function pageOutput(browser, dir) {
  const server = await startStaticServer({ mounts: [{ prefix: '/', dir }] });
  try {
    const { page, guard } = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => document.getElementById('out')?.textContent, null, { timeout: 30_000 });
    const shown = JSON.parse(await page.textContent('#out'));
    guard.assertClean();
    await page.close();
    return shown;
  } finally {
    await server.close();
  }
}
