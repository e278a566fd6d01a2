// classifyError on what Node's fetch (undici) really throws against a loopback server, plus the
// shapes other runtimes throw, reproduced field for field.
import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import {after, before, describe, test} from 'node:test';
import {classifyError} from '../../pkg/node.js';

async function fetchError(url, init) {
	try {
		const response = await fetch(url, init);
		await response.arrayBuffer();
	} catch (error) {
		return error;
	}

	assert.fail(`expected ${url} to fail`);
}

describe('real undici failures on 127.0.0.1', () => {
	let server;
	let base;
	let closedPortUrl;

	before(async () => {
		// A port that was just free: nothing listens there, so connecting is refused.
		const probe = createServer();
		await new Promise(resolve => probe.listen(0, '127.0.0.1', resolve));
		closedPortUrl = `http://127.0.0.1:${probe.address().port}/`;
		await new Promise(resolve => probe.close(resolve));

		server = createServer((request, response) => {
			if (request.url === '/reset') {
				request.socket.destroy();
			} else if (request.url === '/slow') {
				setTimeout(() => response.end('late'), 2000).unref();
			} else {
				response.end('ok');
			}
		});
		await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${server.address().port}`;
	});

	after(() => {
		server.closeAllConnections();
		server.close();
	});

	test('refused connection: network_error, never processed', async () => {
		const verdict = classifyError(await fetchError(closedPortUrl));
		assert.equal(verdict.kind, 'network_error');
		assert.equal(verdict.detail, 'connection_refused');
		assert.equal(verdict.family, 'transport');
		assert.equal(verdict.status, null);
		assert.equal(verdict.retryable, true);
		assert.equal(verdict.action, 'retry');
		assert.equal(verdict.neverProcessed, true);
		assert.equal(verdict.retryAfterMs, null);
	});

	test('connection reset after the request: network_error, maybe processed', async () => {
		const verdict = classifyError(await fetchError(`${base}/reset`, {method: 'POST', body: 'x'}));
		assert.equal(verdict.kind, 'network_error');
		assert.equal(verdict.detail, 'connection_reset');
		assert.equal(verdict.neverProcessed, false);
	});

	test('the caller\'s abort: aborted, never retried', async () => {
		const controller = new AbortController();
		const pending = fetchError(`${base}/slow`, {signal: controller.signal});
		setTimeout(() => controller.abort(), 20);
		const verdict = classifyError(await pending);
		assert.equal(verdict.kind, 'aborted');
		assert.equal(verdict.retryable, false);
		assert.equal(verdict.action, 'cancel');
	});

	test('AbortSignal.timeout: timeout, retryable', async () => {
		const verdict = classifyError(await fetchError(`${base}/slow`, {signal: AbortSignal.timeout(30)}));
		assert.equal(verdict.kind, 'timeout');
		assert.equal(verdict.retryable, true);
		assert.equal(verdict.action, 'retry');
	});

	test('an invalid URL is not a network failure: unknown_error, not retried', async () => {
		const verdict = classifyError(await fetchError('http://exa mple.invalid:99999/'));
		assert.equal(verdict.kind, 'unknown_error');
		assert.equal(verdict.retryable, false);
		assert.equal(verdict.action, 'fail');
	});
});

describe('shapes of other runtimes', () => {
	const shapes = [
		['Chrome', new TypeError('Failed to fetch'), 'network_error', 'fetch_failed', false],
		['Firefox', new TypeError('NetworkError when attempting to fetch resource.'), 'network_error', 'fetch_failed', false],
		['Safari', new TypeError('Load failed'), 'network_error', 'fetch_failed', false],
		['Deno refused', new TypeError('error sending request for url (http://127.0.0.1:9/): client error (Connect): tcp connect error: Connection refused (os error 111)'), 'network_error', 'connection_refused', true],
		['Deno DNS', new TypeError('error sending request for url (http://nowhere.invalid/): client error (Connect): dns error: failed to lookup address information'), 'network_error', 'dns_failure', true],
		['Bun', Object.assign(new Error('Unable to connect. Is the computer able to access the url?'), {code: 'ConnectionRefused'}), 'network_error', 'connection_refused', true],
		['undici DNS', new TypeError('fetch failed', {cause: Object.assign(new Error('getaddrinfo ENOTFOUND x.invalid'), {code: 'ENOTFOUND'})}), 'network_error', 'dns_failure', true],
		['undici happy eyeballs', new TypeError('fetch failed', {cause: new AggregateError([Object.assign(new Error('a'), {code: 'ECONNREFUSED'})])}), 'network_error', 'connection_refused', true],
		['undici headers timeout', new TypeError('fetch failed', {cause: Object.assign(new Error('Headers Timeout Error'), {name: 'HeadersTimeoutError', code: 'UND_ERR_HEADERS_TIMEOUT'})}), 'timeout', 'headers_timeout', false],
		['undici socket', new TypeError('fetch failed', {cause: Object.assign(new Error('other side closed'), {code: 'UND_ERR_SOCKET'})}), 'network_error', 'connection_reset', false],
		['DOMException abort', new DOMException('This operation was aborted', 'AbortError'), 'aborted', 'aborted', false],
		['DOMException timeout', new DOMException('The operation timed out.', 'TimeoutError'), 'timeout', 'timeout', false],
		['a SyntaxError', new SyntaxError('Unexpected token'), 'unknown_error', 'unrecognized', false],
		['a thrown string', 'boom', 'unknown_error', 'unrecognized', false],
		['a thrown number', 42, 'unknown_error', 'unrecognized', false],
	];
	for (const [name, error, kind, detail, neverProcessed] of shapes) {
		test(name, () => {
			const verdict = classifyError(error);
			assert.deepEqual([verdict.kind, verdict.detail, verdict.neverProcessed], [kind, detail, neverProcessed]);
		});
	}

	test('hostile thrown values are classified without throwing', () => {
		const throwing = {
			get name() {
				throw new Error('no');
			},
			get cause() {
				throw new Error('no');
			},
		};
		assert.equal(classifyError(throwing).kind, 'unknown_error');
		assert.equal(classifyError(new Proxy({}, {get() {
			throw new Error('proxy');
		}})).kind, 'unknown_error');
		assert.equal(classifyError({name: 'AbortError', message: 'x'.repeat(1_000_000)}).kind, 'aborted');
		assert.equal(classifyError(Symbol('s')).kind, 'unknown_error');
	});

	test('nothing thrown is bad input', () => {
		assert.throws(() => classifyError(undefined), {name: 'TypeError', code: 'ERR_INVALID_ARGUMENT'});
		assert.throws(() => classifyError(null), {name: 'TypeError', code: 'ERR_INVALID_ARGUMENT'});
	});
});
