// The demo page and the package under a strict Content-Security-Policy that adds only
// 'wasm-unsafe-eval' (needed to compile any wasm): no eval, no inline script, nothing from another
// origin. A control run without 'wasm-unsafe-eval' proves the policy is really enforced.

import assert from 'node:assert/strict';
import {dirname, join} from 'node:path';
import {after, before, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {createDemoApi} from '../../scripts/demo-api.mjs';
import {startStaticServer} from '../../scripts/lib/static-server.mjs';
import {launchChromium} from '../support/chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const STRICT = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const WITHOUT_WASM = STRICT.replace(" 'wasm-unsafe-eval'", '');

let browser;
const servers = [];

async function serveWith(policy) {
	const server = await startStaticServer({
		mounts: [{prefix: '/', dir: join(root, 'www')}, {prefix: '/pkg/', dir: join(root, 'pkg')}, {prefix: '/sim/', dir: join(root, 'target/wasm-sim')}],
		handlers: [
			(request, response) => {
				response.setHeader('content-security-policy', policy);
				return false;
			},
			createDemoApi(),
		],
	});
	servers.push(server);
	return server;
}

before(async () => {
	browser = await launchChromium();
});

after(async () => {
	await browser?.close();
	await Promise.all(servers.map(server => server.close()));
});

test('the demo page works under a strict CSP with only wasm-unsafe-eval added', async () => {
	const server = await serveWith(STRICT);
	const {page, guard} = await browser.newPage({allowUrl: url => new URL(url).pathname.startsWith('/api/')});
	const violations = [];
	page.on('console', message => {
		if (/Content Security Policy/i.test(message.text())) {
			violations.push(message.text());
		}
	});
	const response = await page.goto(server.url);
	assert.equal(response.headers()['content-security-policy'], STRICT);
	await page.waitForSelector('body[data-ready=true]', {timeout: 30_000});
	assert.equal(await page.textContent('#verdict [data-field=kind]'), 'service_unavailable');
	assert.ok(await page.locator('#lab-chart rect').count() > 0, 'the policy lab drew its chart');
	await page.click('#live-run');
	await page.waitForSelector('#live-verdict [data-field=kind]');
	assert.equal(await page.textContent('#live-verdict [data-field=kind]'), 'throttled');
	assert.deepEqual(violations, []);
	guard.assertClean();
});

test('control: without wasm-unsafe-eval the same page cannot compile the wasm', async () => {
	const server = await serveWith(WITHOUT_WASM);
	const {page} = await browser.newPage();
	const refused = /WebAssembly|wasm|Content Security Policy/i;
	const waits = [
		page.waitForEvent('console', {predicate: message => refused.test(message.text()), timeout: 30_000}).then(message => message.text()),
		page.waitForEvent('pageerror', {predicate: error => refused.test(error.message), timeout: 30_000}).then(error => error.message),
	];
	// The wait that loses the race rejects when the page closes; that is expected, not a failure.
	for (const wait of waits) {
		wait.catch(() => {});
	}

	const failure = Promise.race(waits);
	await page.goto(server.url);
	assert.match(await failure, refused);
	assert.equal(await page.evaluate(() => document.body.dataset.ready), undefined, 'the app never got ready');
});
