// Headless Firefox ESR (Debian's, installed by scripts/setup.sh) driven by puppeteer-core over
// WebDriver BiDi, which needs no geckodriver. Each launch gets a fresh profile, removed on close.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

export const FIREFOX_PATH = '/usr/bin/firefox-esr';

/** Launches Firefox; `close()` ends it and removes its profile. */
export async function launchFirefox() {
  const userDataDir = await mkdtemp(join(tmpdir(), 'http-verdict-firefox-'));
  let browser;
  try {
    browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX_PATH, headless: true, userDataDir, timeout: 60_000 });
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    browser,
    async newPage() {
      return browser.newPage();
    },
    async close() {
      await browser.close().catch(() => {});
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
