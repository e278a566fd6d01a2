// Offline-aware waits in headless Chromium: with the page switched offline (Playwright's
// setOffline, the DevTools protocol's network emulation), a failed attempt waits for the browser's
// `online` event instead of spending its attempts, bounded by the totalTimeout and the caller's
// signal. The server counts what reached it.

import assert from 'node:assert/strict';
import {dirname, join} from 'node:path';
import {after, before, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {startStaticServer} from '../../scripts/lib/static-server.mjs';
import {launchChromium} from '../support/chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>offline</title></head>
<body><pre id="out">loading</pre>
<script type="module">
	import {createFetch, RetryPolicy} from '/pkg/web.js';
	window.started = url => {
		const verdicts = [];
		const retries = [];
		const controller = new AbortController();
		const fetch = createFetch({
			maxAttempts: 2,
			totalTimeout: Number(new URLSearchParams(location.search).get('total') ?? Infinity),
			onVerdict: verdict => verdicts.push(verdict.kind),
			beforeRetry: ({decision}) => retries.push(decision.reason),
		});
		window.abort = () => controller.abort(new DOMException('left the page', 'AbortError'));
		window.result = fetch(url, {signal: controller.signal}).then(
			async response => ({status: response.status, text: await response.text(), verdicts, retries}),
			error => ({error: error.name, reason: error.reason ?? null, verdicts, retries}),
		);
		return navigator.onLine;
	};
	window.decideOffline = () => {
		const decision = new RetryPolicy().decide({error: new TypeError('Failed to fetch'), offline: true, attempt: 3});
		return {retry: decision.retry, reason: decision.reason, delayMs: decision.delayMs, message: decision.message};
	};
	document.getElementById('out').textContent = 'ready';
</script>
</body></html>`;

let browser;
let site;
let okRequests = 0;

before(async () => {
	site = await startStaticServer({
		mounts: [{prefix: '/pkg/', dir: join(root, 'pkg')}],
		handlers: [
			(request, response, url) => {
				if (url.pathname === '/offline.html') {
					response.writeHead(200, {'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store'});
					response.end(PAGE);
					return true;
				}

				if (url.pathname === '/api/ok') {
					okRequests++;
					response.writeHead(200, {'content-type': 'text/plain', 'cache-control': 'no-store'});
					response.end('ok');
					return true;
				}

				return false;
			},
		],
	});
	browser = await launchChromium();
});

after(async () => {
	await browser?.context.setOffline(false);
	await browser?.close();
	await site?.close();
});

async function openPage(query = '') {
	const {page, guard} = await browser.newPage({allowUrl: url => new URL(url).pathname.startsWith('/api/')});
	await page.goto(`${site.url}offline.html${query}`);
	await page.waitForFunction(() => typeof window.started === 'function', null, {timeout: 30_000});
	return {page, guard};
}

test('offline: the attempt waits for the network to come back, then is sent once and delivered', async () => {
	const {page} = await openPage();
	const before = okRequests;
	await browser.context.setOffline(true);
	assert.equal(await page.evaluate(url => window.started(url), '/api/ok'), false, 'the page sees itself offline');
	// Long past any backoff: the call is still waiting, and nothing reached the server.
	await page.waitForTimeout(1_500);
	assert.equal(await page.evaluate(() => Promise.race([window.result.then(() => 'settled'), new Promise(resolve => {
		setTimeout(resolve, 0, 'pending');
	})])), 'pending');
	assert.equal(okRequests, before);

	await browser.context.setOffline(false);
	const result = await page.evaluate(() => window.result);
	assert.equal(result.status, 200);
	assert.equal(result.text, 'ok');
	// The offline failure was seen, then the same attempt delivered: no retry spent (maxAttempts 2
	// would have allowed only one), no beforeRetry.
	assert.deepEqual(result.verdicts.at(-1), 'ok');
	assert.ok(result.verdicts.slice(0, -1).every(kind => kind === 'network_error') && result.verdicts.length >= 2, JSON.stringify(result.verdicts));
	assert.deepEqual(result.retries, []);
	assert.equal(okRequests, before + 1);
	await page.close();
});

test('offline past the totalTimeout: a TimeoutError, nothing sent', async () => {
	const {page} = await openPage('?total=600');
	const before = okRequests;
	await browser.context.setOffline(true);
	await page.evaluate(url => window.started(url), '/api/ok');
	const result = await page.evaluate(() => window.result);
	await browser.context.setOffline(false);
	assert.equal(result.error, 'TimeoutError');
	assert.equal(result.reason, 'deadline');
	assert.equal(okRequests, before);
	await page.close();
});

test('offline, the caller aborts: the wait ends with the caller\'s reason', async () => {
	const {page} = await openPage();
	await browser.context.setOffline(true);
	await page.evaluate(url => window.started(url), '/api/ok');
	await page.waitForTimeout(200);
	await page.evaluate(() => window.abort());
	const result = await page.evaluate(() => window.result);
	await browser.context.setOffline(false);
	assert.equal(result.error, 'AbortError');
	await page.close();
});

test('the decision says so: reason offline, no wait, the same attempt again', async () => {
	const {page} = await openPage();
	assert.deepEqual(await page.evaluate(() => window.decideOffline()), {
		retry: true,
		reason: 'offline',
		delayMs: 0,
		message: 'Network Error (fetch_failed); the device is offline; attempt 3 is sent again once back online',
	});
	await page.close();
});
