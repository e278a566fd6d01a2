// createFetch in headless Chromium, from a page served on 127.0.0.1 that imports /pkg/web.js: a 503
// then 200 retried on the page's own origin (where Retry-After is visible), and against an API on
// another origin (another port) whose CORS headers hide Retry-After (the wrapper falls back to its
// own backoff) or are missing altogether (a network error, retried as one). Waits go through an
// injected sleep, so they are asserted exactly and take no time.

import assert from 'node:assert/strict';
import {dirname, join} from 'node:path';
import {after, before, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {startStaticServer} from '../../scripts/lib/static-server.mjs';
import {launchChromium} from '../support/chromium.mjs';
import {startScriptedServer} from '../support/scripted-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

// The page runs one scenario per call: a fresh client on a fake sleep, and a plain summary back.
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>createFetch</title></head>
<body><pre id="out">loading</pre>
<script type="module">
	import {createFetch} from '/pkg/web.js';
	window.scenario = async (url, options = {}) => {
		const waits = [];
		const verdicts = [];
		const fetch = createFetch({
			seed: 3,
			jitter: 'none',
			baseDelayMs: 50,
			...options,
			async sleep(ms) {
				waits.push(ms);
			},
			onVerdict(verdict) {
				verdicts.push(verdict.kind);
			},
		});
		try {
			const response = await fetch(url);
			return {status: response.status, text: await response.text(), waits, verdicts};
		} catch (error) {
			const {name, code, reason, attempts, message} = error;
			return {error: {name, code, reason, attempts, message, cause: String(error.cause)}, waits, verdicts};
		}
	};
	document.getElementById('out').textContent = 'ready';
</script>
</body></html>`;

let browser;
let site;
let api;
const sameOrigin = new Map();

before(async () => {
	api = await startScriptedServer({cors: true});
	site = await startStaticServer({
		mounts: [{prefix: '/pkg/', dir: join(root, 'pkg')}],
		handlers: [
			(request, response, url) => {
				if (url.pathname === '/fetch.html') {
					response.writeHead(200, {'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store'});
					response.end(PAGE);
					return true;
				}

				if (url.pathname !== '/same/flaky') {
					return false;
				}

				// Same origin: a 503 naming a 1 s wait, then a 200.
				const count = (sameOrigin.get(url.pathname) ?? 0) + 1;
				sameOrigin.set(url.pathname, count);
				response.writeHead(count === 1 ? 503 : 200, {'retry-after': '1', 'content-type': 'text/plain'});
				response.end(count === 1 ? 'down' : 'up');
				return true;
			},
		],
	});
	browser = await launchChromium();
});

after(async () => {
	await browser?.close();
	await site?.close();
	await api?.close();
});

async function openPage() {
	const {page, guard} = await browser.newPage({allowUrl: url => url.startsWith(api.origin) || url.includes('/same/')});
	await page.goto(`${site.url}fetch.html`);
	await page.waitForFunction(() => typeof window.scenario === 'function', null, {timeout: 30_000});
	return {page, guard};
}

test('same origin: a 503 then 200 is retried after the Retry-After the page can read', async () => {
	const {page, guard} = await openPage();
	const result = await page.evaluate(url => window.scenario(url), `${site.url}same/flaky`);
	assert.equal(result.status, 200);
	assert.equal(result.text, 'up');
	assert.deepEqual(result.verdicts, ['service_unavailable', 'ok']);
	assert.equal(result.waits.length, 1);
	assert.ok(result.waits[0] >= 1000 && result.waits[0] <= 1100, `waited ${result.waits[0]} ms`);
	assert.equal(sameOrigin.get('/same/flaky'), 2);
	guard.assertClean();
});

test('cross origin, Retry-After exposed: the 503 then 200 waits as the server asked', async () => {
	const {page, guard} = await openPage();
	const url = api.script('/exposed', [{status: 503, headers: {'retry-after': '2'}}, {status: 200, body: 'ok'}], {cors: {exposeHeaders: ['Retry-After']}});
	const result = await page.evaluate(url => window.scenario(url), url);
	assert.equal(result.status, 200);
	assert.ok(result.waits[0] >= 2000 && result.waits[0] <= 2200, `waited ${result.waits[0]} ms`);
	assert.equal(api.requests('/exposed').length, 2);
	guard.assertClean();
});

test('cross origin, Retry-After not exposed: 503 and 429 fall back to the client\'s own waits', async () => {
	const {page, guard} = await openPage();
	const unavailable = api.script('/hidden-503', [{status: 503, headers: {'retry-after': '30'}}, {status: 200, body: 'ok'}]);
	const result = await page.evaluate(url => window.scenario(url), unavailable);
	assert.equal(result.status, 200);
	assert.deepEqual(result.waits, [50], 'the own backoff (jitter none, base 50 ms), not 30 s');
	assert.equal(api.requests('/hidden-503').length, 2);

	const throttled = api.script('/hidden-429', [{status: 429, headers: {'retry-after': '30'}, body: 'Too Many Requests'}, {status: 200, body: 'ok'}]);
	const limited = await page.evaluate(url => window.scenario(url), throttled);
	assert.equal(limited.status, 200);
	assert.deepEqual(limited.verdicts, ['throttled', 'ok']);
	assert.ok(limited.waits[0] >= 1000 && limited.waits[0] <= 1100, `a throttling 429 without a visible hint waits about 1 s, got ${limited.waits[0]} ms`);
	guard.assertClean();
});

test('cross origin, CORS headers missing: a network error, retried once (two unreachable in a row), then NetworkError', async () => {
	const {page, guard} = await openPage();
	const url = api.script('/no-cors', {status: 200, body: 'invisible'}, {cors: false});
	const result = await page.evaluate(url => window.scenario(url), url);
	assert.equal(result.error?.name, 'NetworkError', JSON.stringify(result));
	assert.equal(result.error.code, 'ERR_NETWORK');
	assert.equal(result.error.reason, 'circuit_open');
	assert.equal(result.error.attempts, 2);
	assert.match(result.error.cause, /Failed to fetch/);
	assert.deepEqual(result.verdicts, ['network_error', 'network_error']);
	assert.deepEqual(result.waits, [50]);
	assert.equal(api.requests('/no-cors').length, 2, 'the server answered each time; the browser hid it');
	// Chromium reports each blocked response on the console, attributed to the page.
	const unexpected = guard.problems.filter(problem => !/CORS policy|Failed to load resource/.test(problem));
	assert.deepEqual(unexpected, []);
});
