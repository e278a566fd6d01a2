// The package as a plain web page uses it: no bundler, a module script importing /pkg/web.js straight
// from the server, in real headless Chromium. This is where wasm loading, MIME types and the web
// entry's top-level await are exercised the way a browser really does them.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from '../../scripts/lib/static-server.mjs';
import { launchChromium } from '../support/chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

// The page records what it saw in window.__result (and in the DOM, for a person looking at it).
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>plain page</title></head>
<body><pre id="out">loading</pre>
<script type="module">
  import { classify, codes } from '/PKG/web.js';
  const verdict = classify({ status: 503, headers: { 'retry-after': '2' } });
  let rangeError = null;
  try {
    classify({ status: 600 });
  } catch (error) {
    rangeError = { isRangeError: error instanceof RangeError, name: error.name, code: error.code };
  }
  const table = codes();
  window.__result = { verdict, rangeError, codeCount: table.length, firstCode: table[0] };
  document.getElementById('out').textContent = JSON.stringify(window.__result, null, 2);
</script>
</body></html>`;

let server;
let browser;

before(async () => {
  server = await startStaticServer({
    mounts: [{ prefix: '/pkg/', dir: join(root, 'pkg') }],
    handlers: [
      (req, res, url) => {
        const pages = { '/plain.html': '/pkg/', '/octet.html': '/octet/' };
        if (pages[url.pathname] === undefined) return false;
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(PAGE.replace('/PKG/', pages[url.pathname]));
        return true;
      },
      // The package again, its wasm sent as application/octet-stream, as a misconfigured server does.
      (req, res, url) => {
        if (!url.pathname.startsWith('/octet/')) return false;
        const name = url.pathname.slice('/octet/'.length);
        if (name !== 'web.js' && name !== 'http_verdict_bg.wasm') return false;
        const type = name.endsWith('.js') ? 'text/javascript' : 'application/octet-stream';
        res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
        res.end(readFileSync(join(root, 'pkg', name)));
        return true;
      },
    ],
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

// Counts how the page compiles wasm, before any of its scripts runs.
function countCompiles() {
  window.__compiles = { streaming: 0, bytes: 0 };
  const { compile, compileStreaming } = WebAssembly;
  WebAssembly.compileStreaming = (...args) => {
    window.__compiles.streaming++;
    return compileStreaming(...args);
  };
  WebAssembly.compile = (...args) => {
    window.__compiles.bytes++;
    return compile(...args);
  };
}

test('a module script imports /pkg/web.js and classifies in Chromium', async () => {
  const { page, guard } = await browser.newPage();
  await page.addInitScript(countCompiles);
  const wasmResponses = [];
  page.on('response', (response) => {
    if (response.url().endsWith('.wasm')) wasmResponses.push(response.headers()['content-type']);
  });
  await page.goto(`${server.url}plain.html`);
  await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 30_000 });
  const result = await page.evaluate(() => window.__result);

  assert.equal(result.verdict.status, 503);
  assert.equal(result.verdict.kind, 'service_unavailable');
  assert.equal(result.verdict.family, 'server_error');
  assert.equal(result.verdict.retryAfterMs, 2000);
  assert.ok(result.codeCount >= 20, `codes() has ${result.codeCount} rows`);
  assert.equal(typeof result.firstCode.kind, 'string');
  assert.deepEqual(result.rangeError, { isRangeError: true, name: 'RangeError', code: 'ERR_STATUS_RANGE' });
  assert.deepEqual(wasmResponses, ['application/wasm'], 'the wasm is fetched once, as application/wasm');
  assert.deepEqual(await page.evaluate(() => window.__compiles), { streaming: 1, bytes: 0 }, 'compiled while it downloads');
  assert.match(await page.textContent('#out'), /service_unavailable/);
  guard.assertClean();
});

test('a server that sends the wasm with another content type still works: compiled from its bytes', async () => {
  const { page, guard } = await browser.newPage();
  await page.addInitScript(countCompiles);
  await page.goto(`${server.url}octet.html`);
  await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 30_000 });
  const result = await page.evaluate(() => window.__result);
  assert.equal(result.verdict.kind, 'service_unavailable');
  assert.equal(result.verdict.retryAfterMs, 2000);
  assert.deepEqual(await page.evaluate(() => window.__compiles), { streaming: 0, bytes: 1 });
  guard.assertClean();
});
