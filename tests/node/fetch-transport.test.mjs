// createFetch below HTTP, against a real scripted server on 127.0.0.1: connection resets before and
// after the request body, refused connections, slow headers and timeouts, cancellation during an
// attempt and during the backoff wait, request bodies replayed (or not), and a Node process that
// exits promptly after a failing call.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {createServer} from 'node:net';
import {after, before, describe, test} from 'node:test';
import {createFetch, isNetworkError, isTimeoutError} from '../../pkg/node.js';
import {startScriptedServer} from '../support/scripted-server.mjs';
import {fakeClockClient, rejection} from '../support/fake-clock-client.mjs';

const PKG = new URL('../../pkg/node.js', import.meta.url).href;

let server;
before(async () => {
	server = await startScriptedServer();
});
after(() => server.close());

function client(options = {}) {
	return fakeClockClient(options);
}


/** A port on 127.0.0.1 that nothing listens on (taken, then released). */
async function closedPort() {
	const probe = createServer();
	await new Promise(resolve => {
		probe.listen(0, '127.0.0.1', resolve);
	});
	const {port} = probe.address();
	await new Promise(resolve => {
		probe.close(resolve);
	});
	return port;
}

describe('connection failures', () => {
	for (const reset of ['before-headers', 'after-request-body']) {
		test(`reset ${reset}: a POST without key is not retried (it may have been processed); with one, retried with the same key`, async () => {
			const path = `/reset-${reset}`;
			const url = server.script(path, {reset});
			const {fetch} = client();
			const error = await rejection(fetch(url, {method: 'POST', body: 'pay 5'}));
			assert.ok(isNetworkError(error));
			assert.equal(error.reason, 'not_idempotent');
			assert.equal(error.verdict.kind, 'network_error');
			assert.equal(error.attempts, 1);
			assert.ok(error.cause instanceof TypeError, 'the cause is what fetch threw');
			assert.match(error.message, /^POST is not idempotent and Network Error \(connection_reset\) may have been processed; not retried \(POST http/);
			assert.equal(server.requests(path).length, 1);

			// Retried with the same key, until two unreachable outcomes in a row (this one and the
			// unkeyed POST's) open the breaker, which then refuses further retries.
			const keyed = await rejection(fetch(url, {method: 'POST', body: 'pay 5', headers: {'idempotency-key': 'pay-1'}}));
			assert.equal(keyed.reason, 'circuit_open');
			assert.ok(isNetworkError(keyed), 'still the network failure, not a refusal');
			assert.equal(keyed.attempts, 1);
			const keyedAgain = await rejection(client().fetch(url, {method: 'POST', body: 'pay 5', headers: {'idempotency-key': 'pay-1'}}));
			assert.equal(keyedAgain.reason, 'circuit_open');
			assert.equal(keyedAgain.attempts, 2);
			const retried = server.requests(path).slice(1);
			assert.deepEqual(retried.map(r => [r.method, r.headers['idempotency-key']]), Array.from({length: 3}, () => ['POST', 'pay-1']));
			if (reset === 'after-request-body') {
				assert.deepEqual(retried.map(r => r.body), ['pay 5', 'pay 5', 'pay 5']);
			}

			// A fresh client retries a GET once, then its breaker has seen two unreachable in a row.
			assert.equal((await rejection(client().fetch(url))).attempts, 2, 'a GET is retried');
		});
	}

	test('a refused connection was never sent, so even a POST is retried', async () => {
		const port = await closedPort();
		const {fetch, verdicts, waits} = client();
		const error = await rejection(fetch(`http://127.0.0.1:${port}/orders`, {method: 'POST', body: '{}'}));
		assert.ok(isNetworkError(error));
		// Retried once: two unreachable outcomes in a row stop the retries (README "Defaults").
		assert.equal(error.attempts, 2);
		assert.equal(error.reason, 'circuit_open');
		assert.equal(error.verdict.detail, 'connection_refused');
		assert.deepEqual(verdicts.map(v => v.kind), ['network_error', 'network_error']);
		assert.deepEqual(waits, [100]);
	});

	test('a body cut mid-way on a 404 is classified on what arrived', async () => {
		const url = server.script('/cut', {status: 404, reset: 'mid-body', body: 'No route matches '.padEnd(200, '.'), afterBytes: 40});
		const {fetch} = client();
		const error = await rejection(fetch(url));
		assert.equal(error.verdict.kind, 'invalid_route');
		assert.equal(error.attempts, 1);
	});
});

describe('timeouts', () => {
	test('slow headers: the per-attempt timeout fires and the attempt is retried', async () => {
		const url = server.script('/slow', [{status: 200, delayMs: 2000}, {status: 200, body: 'fast'}]);
		const {fetch, verdicts} = client({timeout: 50});
		assert.equal(await (await fetch(url)).text(), 'fast');
		assert.deepEqual(verdicts.map(v => v.kind), ['timeout', 'ok']);
		assert.equal(server.requests('/slow').length, 2);
	});

	test('every attempt too slow: TimeoutError with the cause and the core\'s message', async () => {
		const url = server.script('/slower', {status: 200, delayMs: 2000});
		const {fetch} = client();
		const error = await rejection(fetch(url, {timeout: 30, retry: {maxAttempts: 2}}));
		assert.ok(isTimeoutError(error));
		assert.equal(error.code, 'ERR_TIMEOUT');
		assert.equal(error.attempts, 2);
		assert.equal(error.cause.name, 'TimeoutError');
		assert.match(error.message, /^Timeout; attempt 2 of 2; no attempts left \(GET /);
	});

	test('totalTimeout bounds the whole call, attempts and waits included', async () => {
		const url = server.script('/total', {status: 200, delayMs: 2000});
		const fetch = createFetch({seed: 1, totalTimeout: 80, timeout: 1000});
		const started = performance.now();
		const error = await rejection(fetch(url));
		assert.ok(isTimeoutError(error));
		assert.equal(error.reason, 'deadline');
		assert.equal(error.attempts, 1);
		assert.match(error.message, /totalTimeout of 80 ms passed during attempt 1/);
		assert.ok(performance.now() - started < 1000);
	});

	test('a wait that would pass totalTimeout ends the call with TimeoutError (reason deadline), keeping the last response', async () => {
		const url = server.script('/wait-past-total', {status: 503, headers: {'retry-after': '5'}, body: 'busy'});
		const fetch = createFetch({seed: 1, totalTimeout: 1000});
		const error = await rejection(fetch(url));
		assert.ok(isTimeoutError(error), error.name);
		assert.equal(error.code, 'ERR_TIMEOUT');
		assert.equal(error.reason, 'deadline');
		assert.equal(error.attempts, 1);
		assert.equal(error.verdict.status, 503);
		assert.equal(error.response.status, 503);
		assert.equal(await error.response.text(), 'busy');
		assert.match(error.message, /^503 Service Unavailable; the next wait would pass the 1 s deadline; not retried \(GET /);
	});

	test('a timed-out request (no timeout at all with false) is only ended by the caller', async () => {
		const url = server.script('/no-timeout', {hang: true});
		const fetch = createFetch({timeout: false});
		const controller = new AbortController();
		const pending = fetch(url, {signal: controller.signal});
		await server.waitForRequests(1, '/no-timeout');
		controller.abort();
		const error = await rejection(pending);
		assert.equal(error.name, 'AbortError');
	});
});

describe('cancellation', () => {
	test('abort during an attempt: rejects with the signal\'s reason at once; one request', async () => {
		const url = server.script('/hang', {hang: true});
		const {fetch} = client();
		const controller = new AbortController();
		const reason = new Error('user navigated away');
		const pending = fetch(url, {signal: controller.signal});
		await server.waitForRequests(1, '/hang');
		controller.abort(reason);
		assert.equal(await rejection(pending), reason);
		assert.equal(server.requests('/hang').length, 1);
	});

	test('abort during the backoff wait (real timers): rejects at once; not sent again', async () => {
		const url = server.script('/wait', [{status: 503}, {status: 200}]);
		const verdicts = [];
		const fetch = createFetch({seed: 1, jitter: 'none', baseDelayMs: 60_000, onVerdict: verdict => verdicts.push(verdict.kind)});
		const controller = new AbortController();
		const pending = fetch(url, {signal: controller.signal});
		await server.waitForRequests(1, '/wait');
		while (verdicts.length === 0) {
			await new Promise(resolve => {
				setImmediate(resolve);
			});
		}

		const started = performance.now();
		controller.abort('stop');
		assert.equal(await rejection(pending), 'stop');
		assert.ok(performance.now() - started < 100);
		assert.equal(server.requests('/wait').length, 1);
	});

	test('an already aborted signal: rejects without sending', async () => {
		const url = server.script('/never-sent', {status: 200});
		const {fetch} = client();
		const reason = new Error('too late');
		assert.equal(await rejection(fetch(url, {signal: AbortSignal.abort(reason)})), reason);
		assert.equal(server.requests('/never-sent').length, 0);
	});

	test('a server\'s 499 is not retried', async () => {
		const url = server.script('/closed', {status: 499});
		const {fetch} = client();
		const error = await rejection(fetch(url));
		assert.equal(error.reason, 'aborted');
		assert.equal(server.requests('/closed').length, 1);
	});

	test('a Node script awaiting a failing call exits promptly: no timer or socket left behind', async () => {
		const fail = server.script('/child-fail', {status: 503});
		const hang = server.script('/child-hang', {hang: true});
		const bad = server.script('/child-bad', {status: 400, body: {message: 'no'}});
		// Any timer left behind here would be long (a 60 s timeout or backoff) and hold the process open.
		const script = `
			import {createFetch} from ${JSON.stringify(PKG)};
			// One client per call, so that no circuit breaker opens in between.
			const client = options => createFetch({baseDelayMs: 20, timeout: 200, ...options});
			const results = [];
			for (const url of process.argv.slice(1)) {
				try {
					await client()(url);
				} catch (error) {
					results.push(error.name);
				}
			}
			const slowTimer = await client({timeout: 60_000})(process.argv[1], {retry: false}).catch(error => error.name);
			const controller = new AbortController();
			const longWait = client({baseDelayMs: 60_000, jitter: 'none', onVerdict: () => setTimeout(() => controller.abort(), 5)});
			const aborted = await longWait(process.argv[1], {signal: controller.signal}).catch(error => error.name);
			results.push(slowTimer, aborted);
			console.log(results.join(','));
		`;
		const started = performance.now();
		const child = spawn(process.execPath, ['--input-type=module', '-e', script, fail, hang, bad], {stdio: ['ignore', 'pipe', 'pipe']});
		let output = '';
		child.stdout.on('data', chunk => {
			output += chunk;
		});
		child.stderr.on('data', chunk => {
			output += chunk;
		});
		const code = await new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				child.kill();
				reject(new Error(`the child did not exit: ${output}`));
			}, 10_000);
			child.on('exit', exitCode => {
				clearTimeout(timer);
				resolve(exitCode);
			});
		});
		const tookMs = performance.now() - started;
		assert.equal(code, 0, output);
		assert.equal(output.trim(), 'HttpError,TimeoutError,HttpError,HttpError,AbortError');
		// Three 200 ms attempts to the hanging path and two short waits: well under 3 s with Node's start-up.
		assert.ok(tookMs < 3000, `the child took ${Math.round(tookMs)} ms`);
	});
});

describe('bodies', () => {
	const bodies = {
		string: () => 'text body',
		ArrayBuffer: () => new TextEncoder().encode('buffer body').buffer,
		Uint8Array: () => new TextEncoder().encode('typed body'),
		DataView: () => new DataView(new TextEncoder().encode('view body').buffer),
		Blob: () => new Blob(['blob body'], {type: 'text/plain'}),
		URLSearchParams: () => new URLSearchParams({a: '1', b: 'two'}),
		FormData() {
			const form = new FormData();
			form.append('field', 'form body');
			return form;
		},
	};
	for (const [name, make] of Object.entries(bodies)) {
		test(`a ${name} body is sent again on retry`, async () => {
			const path = `/body-${name}`;
			const url = server.script(path, [{status: 503}, {status: 200}]);
			const {fetch} = client();
			assert.equal((await fetch(url, {method: 'PUT', body: make()})).status, 200);
			const [first, second] = server.requests(path);
			assert.ok(first.body.length > 0);
			// FormData gets a fresh multipart boundary per serialisation.
			const boundary = /^--(\S+)/.exec(first.body)?.[1];
			assert.equal(second.body, name === 'FormData' ? first.body.replaceAll(boundary, /^--(\S+)/.exec(second.body)[1]) : first.body);
			if (name === 'FormData') {
				assert.match(second.body, /form body/);
			}
		});
	}

	test('a ReadableStream body is not retried (body_not_replayable)', async () => {
		const url = server.script('/stream', {status: 503});
		const {fetch} = client();
		const body = new Blob(['streamed']).stream();
		const error = await rejection(fetch(url, {method: 'PUT', body, duplex: 'half'}));
		assert.equal(error.reason, 'body_not_replayable');
		assert.match(error.message, /one-shot stream/);
		assert.equal(server.requests('/stream').length, 1);
		assert.equal(server.requests('/stream')[0].body, 'streamed');
	});

	test('a body factory gives each attempt a fresh stream, so it is retried', async () => {
		const url = server.script('/factory', [{status: 503}, {status: 200}]);
		const {fetch} = client();
		let made = 0;
		const response = await fetch(url, {method: 'PUT', body: () => new Blob([`part ${++made}`]).stream()});
		assert.equal(response.status, 200);
		assert.deepEqual(server.requests('/factory').map(r => r.body), ['part 1', 'part 2']);
	});

	test('a Request as input: its method, headers and body are replayed', async () => {
		const url = server.script('/request', [{status: 500}, {status: 201}]);
		const {fetch} = client();
		const request = new Request(url, {method: 'PUT', body: 'from a Request', headers: {'x-from': 'request'}});
		assert.equal((await fetch(request)).status, 201);
		assert.deepEqual(server.requests('/request').map(r => [r.method, r.headers['x-from'], r.body]), Array.from({length: 2}, () => ['PUT', 'request', 'from a Request']));
	});
});
