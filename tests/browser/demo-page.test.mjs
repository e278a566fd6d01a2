// The demo page as a person uses it, in headless Chromium: every section driven by clicks and
// typing, results read back from the DOM, a screenshot of each saved under tests/artifacts/, and
// any console error or failed request (other than the scripted /api/ failures) fails the test.

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
let server;
let browser;
let page;
let guard;

async function screenshot(name, selector) {
	await page.locator(selector).screenshot({path: join(artifacts, `demo-${name}.png`)});
}

async function runScenario(name) {
	await page.click(`[data-scenario="${name}"]`);
	await page.waitForSelector('#live-result [data-result]', {timeout: 20_000});
	return {
		steps: await page.locator('#timeline li').evaluateAll(items => items.map(item => ({kind: item.dataset.kind, text: item.textContent}))),
		result: await page.locator('#live-result [data-result]').evaluate(element => ({kind: element.dataset.result, text: element.textContent})),
	};
}

before(async () => {
	mkdirSync(artifacts, {recursive: true});
	server = await startStaticServer({
		mounts: [{prefix: '/', dir: join(root, 'www')}, {prefix: '/pkg/', dir: join(root, 'pkg')}, {prefix: '/sim/', dir: join(root, 'target/wasm-sim')}],
		handlers: [createDemoApi()],
	});
	browser = await launchChromium();
	({page, guard} = await browser.newPage({allowUrl: url => new URL(url).pathname.startsWith('/api/')}));
	await page.setViewportSize({width: 1100, height: 900});
	await page.goto(server.url);
	await page.waitForSelector('body[data-ready=true]', {timeout: 30_000});
});

after(async () => {
	await browser?.close();
	await server?.close();
});

test('classifier: picking a code, typing a status, headers and a body', async () => {
	await page.selectOption('#status-pick', {label: '429 Quota Exceeded (quota_exceeded)'});
	assert.equal(await page.textContent('#verdict [data-field=kind]'), 'quota_exceeded');
	await page.fill('#status', '503');
	await page.fill('#headers', 'Retry-After: 7');
	await page.fill('#body', '{"message": "maintenance"}');
	assert.equal(await page.textContent('#verdict [data-field=kind]'), 'service_unavailable');
	assert.equal(await page.textContent('#verdict [data-field=retryAfterMs]'), '7000');
	await page.fill('#status', '404');
	await page.fill('#body', 'Cannot GET /v2/users');
	assert.equal(await page.textContent('#verdict [data-field=kind]'), 'invalid_route');
	await page.fill('#status', '600');
	assert.equal(await page.getAttribute('#verdict .error', 'data-error-code'), 'ERR_STATUS_RANGE');
	await page.fill('#status', '503');
	await screenshot('classifier', '#classifier-heading + form + output');
});

test('the documented table is rendered from codes()', async () => {
	const rows = await page.locator('#codes tbody tr').count();
	assert.ok(rows >= 23, `${rows} rows`);
	assert.match(await page.textContent('#codes tbody'), /wait_for_quota/);
});

test('live retries: 503 then 200, each attempt and wait on the timeline', async () => {
	const {steps, result} = await runScenario('flaky');
	assert.deepEqual(steps.map(step => step.kind), ['attempt', 'wait', 'attempt', 'wait', 'attempt']);
	assert.match(steps[1].text, /retryable_status/);
	assert.equal(result.kind, 'ok');
	assert.match(result.text, /"attempt":3/);
	await screenshot('live-flaky', 'section[aria-labelledby=live-heading]');
});

test('live retries: 429 waits its Retry-After; quota fails fast; 502 advises support', async () => {
	const throttled = await runScenario('throttled');
	assert.match(throttled.steps.find(step => step.kind === 'wait').text, /retry_after.*Retry-After 2 s/);
	assert.equal(throttled.result.kind, 'ok');
	const quota = await runScenario('quota');
	assert.deepEqual(quota.steps.map(step => step.kind), ['attempt', 'give-up']);
	assert.match(quota.result.text, /QuotaExceededError/);
	const badGateway = await runScenario('bad-gateway');
	assert.match(badGateway.result.text, /contact support|get in touch with support/i);
});

test('live retries: a timeout is retried; 304 answers from the store; 410 fails', async () => {
	const slow = await runScenario('slow');
	assert.match(slow.steps[0].text, /timeout/);
	assert.equal(slow.result.kind, 'ok');
	const etag = await runScenario('etag');
	assert.ok(etag.steps.some(step => /304 not_modified/.test(step.text)), JSON.stringify(etag.steps));
	assert.match(etag.result.text, /answered from the cache store/);
	const gone = await runScenario('gone');
	assert.match(gone.result.text, /HttpError/);
	await screenshot('live-gone', 'section[aria-labelledby=live-heading]');
});

test('live retries: the abort button stops a retry wait at once', async () => {
	await page.click('[data-scenario="throttled"]');
	await page.waitForSelector('#timeline li[data-kind=wait]');
	await page.click('#live-abort');
	await page.waitForSelector('#live-result [data-result]');
	// Without the abort the second attempt would have succeeded after the wait.
	assert.equal(await page.getAttribute('#live-result [data-result]', 'data-result'), 'error');
	assert.match(await page.textContent('#live-result'), /Abort/);
	assert.equal(await page.locator('#timeline li[data-kind=attempt]').count(), 1);
});

test('policy lab: options change the plan and the chart', async () => {
	await page.selectOption('#lab-jitter', 'none');
	await page.fill('#lab-base', '100');
	await page.fill('#lab-attempts', '4');
	const waits = await page.locator('#lab-waits li').allTextContents();
	assert.deepEqual(waits, ['before attempt 2: 100 ms', 'before attempt 3: 200 ms', 'before attempt 4: 400 ms']);
	assert.equal(await page.locator('#lab-chart rect').count(), 3);
	await page.fill('#lab-attempts', '0');
	assert.match(await page.textContent('#lab-error'), /maxAttempts/);
	await page.fill('#lab-attempts', '5');
	await page.selectOption('#lab-jitter', 'full');
	await screenshot('policy-lab', 'section[aria-labelledby=lab-heading]');
});

test('simulator: runs a scenario for several policies side by side', async () => {
	await page.selectOption('#sim-scenario', 'outage');
	await page.check('#sim-policies input[value=ky]');
	await page.click('#sim-run');
	await page.waitForFunction(() => document.querySelectorAll('#sim-table tbody tr').length === 4);
	const policies = await page.locator('#sim-table tbody tr').evaluateAll(rows => rows.map(row => row.dataset.policy));
	assert.deepEqual(policies, ['defaults', 'naive', 'ky', 'aws-standard']);
	assert.equal(await page.locator('#sim-load polyline').count(), 4);
	const defaultsBreaks = await page.locator('#sim-table tr[data-policy=defaults] td').last().textContent();
	assert.equal(defaultsBreaks, '0', 'the defaults break no rule');
	await screenshot('simulator', 'section[aria-labelledby=sim-heading]');
	guard.assertClean();
});
