// Sharing between tabs in headless Chromium ('http-verdict/share'): two real pages of one origin,
// each with its own ClientState joined by shareAcrossTabs (a real BroadcastChannel), and one page
// reloaded with localStorage keeping its quota lock. The API is on the pages' own origin, so that
// Retry-After is visible; the server counts what reached it.

import assert from 'node:assert/strict';
import {dirname, join} from 'node:path';
import {after, before, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {startStaticServer} from '../../scripts/lib/static-server.mjs';
import {launchChromium} from '../support/chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

// The page's channel and whether it keeps facts in localStorage come from its query string.
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>share</title></head>
<body><pre id="out">loading</pre>
<script type="module">
	import {ClientState, createFetch, RetryPolicy} from '/pkg/web.js';
	import {shareAcrossTabs} from '/pkg/share.js';
	const query = new URLSearchParams(location.search);
	const storage = query.has('storage') ? localStorage : undefined;
	const state = new ClientState({share: shareAcrossTabs({channel: query.get('channel'), storage})});
	const policy = new RetryPolicy();
	const fetch = createFetch({state, maxAttempts: 1, maxRetryAfterMs: 120_000, totalTimeout: 1000});
	window.fetchOnce = async url => {
		try {
			const response = await fetch(url);
			return {status: response.status};
		} catch (error) {
			return {error: error.name, reason: error.reason};
		}
	};
	window.admit = () => state.admit(policy, {origin: location.origin});
	document.getElementById('out').textContent = 'ready';
</script>
</body></html>`;

let browser;
let site;
const counts = new Map();

before(async () => {
	site = await startStaticServer({
		mounts: [{prefix: '/pkg/', dir: join(root, 'pkg')}],
		handlers: [
			(request, response, url) => {
				if (url.pathname === '/share.html') {
					response.writeHead(200, {'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store'});
					response.end(PAGE);
					return true;
				}

				if (!url.pathname.startsWith('/api/')) {
					return false;
				}

				counts.set(url.pathname, (counts.get(url.pathname) ?? 0) + 1);
				if (url.pathname === '/api/throttle') {
					response.writeHead(429, {'retry-after': '5', 'content-type': 'text/plain'});
					response.end('Too Many Requests');
				} else if (url.pathname === '/api/quota') {
					response.writeHead(429, {'content-type': 'text/plain'});
					response.end('Limit Exceeded');
				} else {
					response.writeHead(200, {'content-type': 'text/plain'});
					response.end('ok');
				}

				return true;
			},
		],
	});
	browser = await launchChromium();
});

after(async () => {
	await browser?.close();
	await site?.close();
});

async function openPage(query) {
	const {page, guard} = await browser.newPage({allowUrl: url => new URL(url).pathname.startsWith('/api/')});
	await page.goto(`${site.url}share.html?${query}`);
	await page.waitForFunction(() => typeof window.fetchOnce === 'function', null, {timeout: 30_000});
	return {page, guard};
}

/** Lets BroadcastChannel messages posted so far arrive in the other page. */
async function delivered(page) {
	await page.waitForTimeout(100);
}

test('a 429 with Retry-After: 5 seen by page A makes page B wait, unsent', async () => {
	const a = await openPage('channel=gate');
	const b = await openPage('channel=gate');
	assert.equal((await b.page.evaluate(() => window.admit())).allowed, true);
	assert.deepEqual(await a.page.evaluate(url => window.fetchOnce(url), '/api/throttle'), {error: 'HttpError', reason: 'max_attempts'});
	await delivered(b.page);

	const admission = await b.page.evaluate(() => window.admit());
	assert.equal(admission.reason, 'throttled');
	assert.ok(admission.waitMs > 4_000 && admission.waitMs <= 5_000, `B waits ${admission.waitMs} ms`);
	// B's request would wait about 5 s for the gate, past its 1 s deadline: it ends unsent.
	assert.deepEqual(await b.page.evaluate(url => window.fetchOnce(url), '/api/ok-gate'), {error: 'ThrottledError', reason: 'deadline'});
	assert.equal(counts.get('/api/ok-gate'), undefined);
	a.guard.assertClean();
	b.guard.assertClean();
	await Promise.all([a.page.close(), b.page.close()]);
});

test('a quota lock seen by page A makes page B fail fast, unsent; closing A changes nothing for B', async () => {
	const a = await openPage('channel=quota');
	const b = await openPage('channel=quota');
	const sentBefore = counts.get('/api/quota') ?? 0;
	assert.deepEqual(await a.page.evaluate(url => window.fetchOnce(url), '/api/quota'), {error: 'QuotaExceededError', reason: 'quota_exceeded'});
	assert.equal(counts.get('/api/quota'), sentBefore + 1, 'A\'s request was sent and answered');
	await delivered(b.page);
	assert.deepEqual(await b.page.evaluate(url => window.fetchOnce(url), '/api/ok-quota'), {error: 'QuotaExceededError', reason: 'quota_exceeded'});
	await a.page.close();
	await delivered(b.page);
	assert.equal((await b.page.evaluate(() => window.admit())).reason, 'quota_exceeded');
	assert.deepEqual(await b.page.evaluate(url => window.fetchOnce(url), '/api/ok-quota'), {error: 'QuotaExceededError', reason: 'quota_exceeded'});
	assert.equal(counts.get('/api/ok-quota'), undefined);
	b.guard.assertClean();
	await b.page.close();
});

test('a quota lock kept in localStorage survives a reload of the page', async () => {
	const {page, guard} = await openPage('channel=reload&storage');
	const sentBefore = counts.get('/api/quota') ?? 0;
	assert.deepEqual(await page.evaluate(url => window.fetchOnce(url), '/api/quota'), {error: 'QuotaExceededError', reason: 'quota_exceeded'});
	assert.equal(counts.get('/api/quota'), sentBefore + 1);
	await page.reload();
	await page.waitForFunction(() => typeof window.fetchOnce === 'function', null, {timeout: 30_000});
	const admission = await page.evaluate(() => window.admit());
	assert.equal(admission.reason, 'quota_exceeded');
	assert.ok(admission.retryInMs > 50_000, `locked for ${admission.retryInMs} ms after the reload`);
	assert.deepEqual(await page.evaluate(url => window.fetchOnce(url), '/api/ok-reload'), {error: 'QuotaExceededError', reason: 'quota_exceeded'});
	assert.equal(counts.get('/api/ok-reload'), undefined);

	// A page without storage on another channel knows nothing of it.
	const other = await openPage('channel=elsewhere');
	assert.equal((await other.page.evaluate(() => window.admit())).allowed, true);
	guard.assertClean();
	await Promise.all([page.close(), other.page.close()]);
});
