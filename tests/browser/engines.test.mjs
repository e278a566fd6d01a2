// The same page in both engines the tests drive, Chromium (playwright-core) and Firefox ESR
// (puppeteer-core over WebDriver BiDi): the real exceptions each engine throws for a refused
// connection, a CORS failure, an abort and a timeout, classified by classifyError (the classifier
// knows them from strings, so it is checked against the real thing), and createFetch across origins.
// The page is served on one 127.0.0.1 port, the API on another.

import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from '../../scripts/lib/static-server.mjs';
import { launchChromium } from '../support/chromium.mjs';
import { launchFirefox } from '../support/firefox.mjs';
import { startScriptedServer } from '../support/scripted-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>engines</title></head>
<body><pre id="out">loading</pre>
<script type="module">
  import { classifyError, createFetch } from '/pkg/web.js';
  const caught = async (promise) => {
    try {
      await promise;
      return null;
    } catch (error) {
      const verdict = classifyError(error);
      return { name: error.name, message: error.message, kind: verdict.kind, detail: verdict.detail };
    }
  };
  window.realErrors = async ({ refused, noCors, slow }) => {
    const controller = new AbortController();
    const aborting = fetch(slow, { signal: controller.signal });
    controller.abort();
    return {
      refused: await caught(fetch(refused)),
      cors: await caught(fetch(noCors)),
      aborted: await caught(aborting),
      timedOut: await caught(fetch(slow, { signal: AbortSignal.timeout(50) })),
    };
  };
  window.retried = async (url) => {
    const waits = [];
    const response = await createFetch({ seed: 3, jitter: 'none', sleep: async (ms) => { waits.push(ms); } })(url);
    return { status: response.status, text: await response.text(), waits };
  };
  document.getElementById('out').textContent = 'ready';
</script>
</body></html>`;

let site;
let api;
let refusedPort;

before(async () => {
  api = await startScriptedServer({ cors: true });
  site = await startStaticServer({
    mounts: [{ prefix: '/pkg/', dir: join(root, 'pkg') }],
    handlers: [
      (request, response, url) => {
        if (url.pathname !== '/engines.html') return false;
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        response.end(PAGE);
        return true;
      },
    ],
  });
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  refusedPort = probe.address().port;
  await new Promise((resolve) => probe.close(resolve));
});

after(async () => {
  await site?.close();
  await api?.close();
});

function urls() {
  return {
    refused: `http://127.0.0.1:${refusedPort}/`,
    noCors: api.script(`/no-cors-${Math.random()}`, { status: 200, body: 'hidden' }, { cors: false }),
    slow: api.script(`/slow-${Math.random()}`, { status: 200, delayMs: 5000, times: 2 }),
  };
}

function assertRealErrors(errors) {
  for (const name of ['refused', 'cors']) {
    assert.equal(errors[name]?.name, 'TypeError', JSON.stringify(errors[name]));
    assert.equal(errors[name].kind, 'network_error', JSON.stringify(errors[name]));
    assert.equal(errors[name].detail, 'fetch_failed', JSON.stringify(errors[name]));
  }
  assert.equal(errors.aborted?.name, 'AbortError', JSON.stringify(errors.aborted));
  assert.equal(errors.aborted.kind, 'aborted');
  assert.equal(errors.timedOut?.name, 'TimeoutError', JSON.stringify(errors.timedOut));
  assert.equal(errors.timedOut.kind, 'timeout');
}

async function assertRetriedAcrossOrigins(evaluate) {
  const url = api.script(`/exposed-${Math.random()}`, [{ status: 503, headers: { 'retry-after': '2' } }, { status: 200, body: 'ok' }], { cors: { exposeHeaders: ['Retry-After'] } });
  const result = await evaluate(url);
  assert.equal(result.status, 200);
  assert.equal(result.text, 'ok');
  assert.ok(result.waits.length === 1 && result.waits[0] >= 2000 && result.waits[0] <= 2200, JSON.stringify(result.waits));
}

describe('Chromium', () => {
  let chromium;
  before(async () => {
    chromium = await launchChromium();
  });
  after(() => chromium?.close());

  test('real exceptions are classified as their kinds; createFetch retries across origins', async (t) => {
    const { page } = await chromium.newPage();
    await page.goto(`${site.url}engines.html`);
    await page.waitForFunction(() => typeof window.realErrors === 'function', null, { timeout: 30_000 });
    t.diagnostic(await page.evaluate(() => navigator.userAgent));
    const errors = await page.evaluate((given) => window.realErrors(given), urls());
    t.diagnostic(JSON.stringify(errors));
    assertRealErrors(errors);
    await assertRetriedAcrossOrigins((url) => page.evaluate((given) => window.retried(given), url));
  });
});

describe('Firefox ESR', () => {
  let firefox;
  before(async () => {
    firefox = await launchFirefox();
  });
  after(() => firefox?.close());

  test('real exceptions are classified as their kinds; createFetch retries across origins', async (t) => {
    const page = await firefox.newPage();
    await page.goto(`${site.url}engines.html`);
    await page.waitForFunction(() => typeof window.realErrors === 'function', { timeout: 30_000 });
    t.diagnostic(await page.evaluate(() => navigator.userAgent));
    const errors = await page.evaluate((given) => window.realErrors(given), urls());
    t.diagnostic(JSON.stringify(errors));
    assertRealErrors(errors);
    await assertRetriedAcrossOrigins((url) => page.evaluate((given) => window.retried(given), url));
  });
});
