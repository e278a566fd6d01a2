// The demo page's "Two frames, one origin" section in headless Chromium, as a person uses it: two
// same-origin frames sharing through shareAcrossTabs in front of the demo server's scripted limiter,
// and the offline toggle. What reached the server is read from the server itself (its count route),
// never inferred from timings; screenshots go to tests/artifacts/.

import assert from 'node:assert/strict';
import {mkdirSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {after, before, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {createDemoApi} from '../../scripts/demo-api.mjs';
import {startStaticServer} from '../../scripts/lib/static-server.mjs';
import {launchChromium} from '../support/chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = join(root, 'tests/artifacts');
const MOUNTS = [{prefix: '/', dir: join(root, 'www')}, {prefix: '/pkg/', dir: join(root, 'pkg')}, {prefix: '/sim/', dir: join(root, 'target/wasm-sim')}];
// csp.test.mjs's policy (frame-ancestors 'none'), and the same with the one change a page that frames
// its own pages needs.
const STRICT = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const STRICT_FRAMING_SELF = STRICT.replace("frame-ancestors 'none'", "frame-ancestors 'self'");

let server;
let browser;
let page;
let guard;

/** What the server received for the section's current run, asked from here (not through the page). */
async function serverCount() {
	const run = await page.getAttribute('#frames-demo', 'data-run');
	const response = await fetch(`${server.url}api/limited/${run}/count`);
	return response.json();
}

function frame(name) {
	return page.frameLocator(`#frame-${name.toLowerCase()}`);
}

async function steps(name) {
	return frame(name).locator('#steps li').evaluateAll(items => items.map(item => ({kind: item.dataset.kind, text: item.textContent})));
}

async function result(name) {
	const element = frame(name).locator('#result [data-result]');
	await element.waitFor({timeout: 20_000});
	return element.evaluate(paragraph => ({kind: paragraph.dataset.result, text: paragraph.textContent}));
}

/** Opens the page, then the two frames, and waits until both have the section's configuration. */
async function openSection(target, url) {
	await target.setViewportSize({width: 1100, height: 900});
	await target.goto(url);
	await target.waitForSelector('body[data-ready=true]', {timeout: 30_000});
	await target.click('#frames-open');
	await target.waitForSelector('#frames-demo[data-frames-ready=true]', {timeout: 30_000});
}

before(async () => {
	mkdirSync(artifacts, {recursive: true});
	server = await startStaticServer({mounts: MOUNTS, handlers: [createDemoApi()]});
	browser = await launchChromium();
	({page, guard} = await browser.newPage({allowUrl: url => new URL(url).pathname.startsWith('/api/')}));
	await openSection(page, server.url);
});

after(async () => {
	await browser?.context.setOffline(false);
	await browser?.close();
	await server?.close();
});

test('the limiter: a run\'s first request closes it for Retry-After seconds; the count names the senders', async () => {
	const key = `limiter-${Date.now()}`;
	const first = await fetch(`${server.url}api/limited/${key}?retryAfter=30&from=A`);
	assert.equal(first.status, 429);
	assert.equal(first.headers.get('retry-after'), '30');
	const second = await fetch(`${server.url}api/limited/${key}?retryAfter=1&from=B`);
	assert.equal(second.status, 429, 'refused until the first request\'s time, whatever it asks');
	assert.ok(Number(second.headers.get('retry-after')) <= 30);
	assert.equal((await fetch(`${server.url}api/limited/${key}?from=${'x'.repeat(17)}`)).status, 400);
	const count = await (await fetch(`${server.url}api/limited/${key}/count`)).json();
	assert.deepEqual(count, {received: 2, refused: 2, by: {A: 1, B: 1}});
	assert.equal((await fetch(`${server.url}api/limited/${key}`, {method: 'DELETE'})).status, 204);
	assert.deepEqual(await (await fetch(`${server.url}api/limited/${key}/count`)).json(), {received: 0, refused: 0, by: {}});
});

test('frame A\'s 429 makes frame B wait without sending; both deliver when the gate opens', async () => {
	await page.fill('#frames-retry-after', '3');
	await frame('A').locator('#send').click();
	// A was answered 429 and waits to retry.
	await frame('A').locator('#steps li[data-kind=wait]').waitFor();
	assert.deepEqual(await serverCount(), {received: 1, refused: 1, by: {A: 1}});

	await frame('B').locator('#send').click();
	await frame('B').locator('#steps li[data-kind=gate]').waitFor();
	const waiting = await steps('B');
	assert.match(waiting.find(step => step.kind === 'gate').text, /before sending attempt 1: this origin's throttle gate is closed \(learned over the channel/);
	assert.ok(!waiting.some(step => step.kind === 'attempt'), JSON.stringify(waiting));
	// B is waiting, and the server has still heard from A alone.
	assert.deepEqual(await serverCount(), {received: 1, refused: 1, by: {A: 1}});

	const [a, b] = [await result('A'), await result('B')];
	assert.equal(a.kind, 'ok', a.text);
	assert.equal(b.kind, 'ok', b.text);
	assert.match(b.text, /delivered: 200 .*"from":"B"/);
	assert.deepEqual(await serverCount(), {received: 3, refused: 1, by: {A: 2, B: 1}});
	// B sent exactly one attempt, after the gate; A's first was the 429, its second the 200.
	assert.deepEqual((await steps('B')).filter(step => step.kind === 'attempt').map(step => step.text.replace(/^\+\S+ s /, '')), ['attempt 1: 200 ok → deliver']);
	assert.match((await steps('A')).find(step => step.kind === 'wait').text, /waited 3\.\d\d s \(retry_after\): 429 Throttled; Retry-After 3 s/);
	// The page's own count caught up with the server's.
	await page.waitForFunction(() => document.querySelector('#frames-count').dataset.received === '3');
	assert.match(await page.textContent('#frames-count'), /3 requests this run: 2 from frame A, 1 from frame B; it refused 1 with 429/);
	await page.locator('section[aria-labelledby=frames-heading]').screenshot({path: join(artifacts, 'demo-frames-share.png')});
});

test('the offline toggle: a request waits for the online event unsent, then the same attempt is delivered', async () => {
	const before = await serverCount();
	await page.check('#frames-offline');
	await frame('A').locator('#online-state[data-online=false]').waitFor();
	assert.equal(await page.getAttribute('#frames-network', 'data-simulated'), 'true');
	await frame('A').locator('#send').click();
	const offline = frame('A').locator('#steps li[data-kind=offline]');
	await offline.waitFor();
	assert.match(await offline.textContent(), /the device is offline; attempt 1 is sent again once back online; waiting for the online event/);
	assert.deepEqual(await serverCount(), before, 'nothing reached the server');
	await page.locator('section[aria-labelledby=frames-heading]').screenshot({path: join(artifacts, 'demo-frames-offline.png')});

	await page.uncheck('#frames-offline');
	const delivered = await result('A');
	assert.equal(delivered.kind, 'ok', delivered.text);
	assert.deepEqual(await serverCount(), {...before, received: before.received + 1, by: {...before.by, A: before.by.A + 1}});
	// The offline failure spent no attempt: the attempt that was delivered is attempt 1 again.
	const attempts = (await steps('A')).filter(step => step.kind === 'attempt').map(step => step.text.replace(/^\+\S+ s /, ''));
	assert.deepEqual(attempts, ['attempt 1: no response network_error → retry', 'attempt 1: 200 ok → deliver']);
});

test('the browser really offline (Playwright\'s setOffline): the page says so, and the frame waits the same way', async () => {
	const before = await serverCount();
	await browser.context.setOffline(true);
	await page.waitForSelector('#frames-network[data-browser=offline]');
	await frame('B').locator('#send').click();
	await frame('B').locator('#steps li[data-kind=offline]').waitFor();
	assert.deepEqual(await serverCount(), before, 'nothing reached the server');
	await page.locator('section[aria-labelledby=frames-heading]').screenshot({path: join(artifacts, 'demo-frames-browser-offline.png')});

	await browser.context.setOffline(false);
	const delivered = await result('B');
	assert.equal(delivered.kind, 'ok', delivered.text);
	await page.waitForSelector('#frames-network[data-browser=online]');
	assert.equal((await serverCount()).by.B, before.by.B + 1);
	guard.assertClean();
});

/** The demo server with a Content-Security-Policy header on every response. */
function serveWithPolicy(policy) {
	return startStaticServer({
		mounts: MOUNTS,
		handlers: [
			(request, response) => {
				response.setHeader('content-security-policy', policy);
				return false;
			},
			createDemoApi(),
		],
	});
}

/** A page that records the console's CSP violations. */
async function watchedPage() {
	const {page: target, guard: targetGuard} = await browser.newPage({allowUrl: url => new URL(url).pathname.startsWith('/api/')});
	const violations = [];
	target.on('console', message => {
		if (/Content Security Policy/i.test(message.text())) {
			violations.push(message.text());
		}
	});
	return {target, targetGuard, violations};
}

test('start over: a new run, fresh frames; the limiter refuses the new run\'s first request again', async () => {
	const previous = await page.getAttribute('#frames-demo', 'data-run');
	await page.click('#frames-restart');
	await page.waitForSelector('#frames-demo[data-frames-ready=true]');
	assert.notEqual(await page.getAttribute('#frames-demo', 'data-run'), previous);
	assert.equal(await page.getAttribute('#frames-count', 'data-received'), '0');
	assert.equal(await frame('A').locator('#steps li').count(), 0);
	await frame('A').locator('#send').click();
	await frame('A').locator('#steps li[data-kind=wait]').waitFor();
	assert.deepEqual(await serverCount(), {received: 1, refused: 1, by: {A: 1}});
	guard.assertClean();
});

test('under a strict CSP that lets the page frame itself, the section works with no violation', async () => {
	const strict = await serveWithPolicy(STRICT_FRAMING_SELF);
	try {
		const {target, targetGuard, violations} = await watchedPage();
		await openSection(target, strict.url);
		await target.fill('#frames-retry-after', '1');
		const a = target.frameLocator('#frame-a');
		await a.locator('#send').click();
		await a.locator('#result [data-result=ok]').waitFor({timeout: 20_000});
		assert.deepEqual(violations, []);
		targetGuard.assertClean();
		await target.close();
	} finally {
		await strict.close();
	}
});

test('under frame-ancestors \'none\' the frames are refused, and the section says why', async () => {
	const strict = await serveWithPolicy(STRICT);
	try {
		const {target, violations} = await watchedPage();
		await target.goto(strict.url);
		await target.waitForSelector('body[data-ready=true]', {timeout: 30_000});
		// Until asked for, the frames are not loaded: csp.test.mjs's run of this page meets no violation.
		assert.deepEqual(violations, []);
		await target.click('#frames-open');
		await target.waitForFunction(() => document.querySelector('#frames-error').textContent !== '');
		assert.match(await target.textContent('#frames-error'), /did not load: .*frame-ancestors 'none'/);
		assert.ok(violations.some(text => /frame-ancestors 'none'/.test(text)), JSON.stringify(violations));
		assert.equal(await target.getAttribute('#frames-demo', 'data-frames-ready'), null);
		await target.close();
	} finally {
		await strict.close();
	}
});
