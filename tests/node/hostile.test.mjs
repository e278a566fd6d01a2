// Hostile servers and values (SECURITY.md "Limits"): every read, wait and lock the library applies is
// bounded in bytes, lines and time, and a response it does not hand to the caller is released at once.
// The servers here are plain node:http servers on 127.0.0.1 that misbehave on purpose: a gzip bomb and an
// endless body behind an ETag, bodies that never finish, header floods, a status outside 200–599.
// The wasm instance is caught so that its memory can be read (tests/support/wasm-instance.mjs).
import assert from 'node:assert/strict';
import {once} from 'node:events';
import {createServer} from 'node:http';
import {after, before, describe, test} from 'node:test';
import {gzipSync} from 'node:zlib';
import {importWithInstance} from '../support/wasm-instance.mjs';
import {rejection} from '../support/fake-clock-client.mjs';

const {pkg, wasm} = await importWithInstance();
const {classify, classifyError, createFetch, createProfile, isHttpError, isQuotaExceededError, RetryPolicy, ClientState} = pkg;

// The documented limits (SECURITY.md "Limits").
const MAX_STORED_BYTES = 1024 * 1024;
const MAX_LINES_PER_HEADER = 8;
const MAX_QUOTA_LOCK_MS = 24 * 60 * 60 * 1000;
const BOMB_BYTES = 64 * 1024 * 1024;
const CHUNK = Buffer.alloc(16 * 1024, 'a');

const handlers = new Map();
const requests = [];
const closed = new Map();
let server;
let base;

before(async () => {
	server = createServer((request, response) => {
		const path = new URL(request.url, 'http://x').pathname;
		requests.push({path, headers: request.headers});
		// A promise per path that settles when the connection of its latest request closes.
		closed.set(path, once(request.socket, 'close'));
		handlers.get(path)(request, response);
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	base = `http://127.0.0.1:${server.address().port}`;
});

after(async () => {
	server.closeAllConnections();
	server.close();
});

let paths = 0;
function serve(name, handler) {
	const path = `/${name}-${++paths}`;
	handlers.set(path, handler);
	return {url: base + path, sent: () => requests.filter(request => request.path === path), closed: () => closed.get(path)};
}

/** Writes a chunk every few milliseconds until the client goes away. */
function endless(response) {
	const timer = setInterval(() => response.write(CHUNK), 2);
	response.on('close', () => clearInterval(timer));
}

describe('the revalidation store (cache: true) never delays delivery nor reads without limit', () => {
	test(`a ${BOMB_BYTES / 1024 / 1024} MB gzip bomb behind an ETag: the call resolves with it; the copy stops at ${MAX_STORED_BYTES / 1024} KB, so nothing is stored`, async () => {
		const bomb = gzipSync(Buffer.alloc(BOMB_BYTES));
		const target = serve('bomb', (request, response) => {
			response.writeHead(200, {etag: '"bomb"', 'content-encoding': 'gzip', 'content-type': 'text/plain'});
			response.end(bomb);
		});
		const fetch = createFetch({cache: true});
		const response = await fetch(target.url);
		assert.equal(response.status, 200);
		await response.body.cancel();
		await target.closed();
		await fetch(target.url).then(next => next.body.cancel());
		assert.equal(target.sent().length, 2);
		assert.equal(target.sent()[1].headers['if-none-match'], undefined, 'a body over the cap is never stored');
	});

	test('an endless 200 behind an ETag: the call resolves at once; once the caller cancels, the copy stops at the cap and the connection closes', async () => {
		const target = serve('endless', (request, response) => {
			response.writeHead(200, {etag: '"endless"', 'content-type': 'text/plain'});
			endless(response);
		});
		const fetch = createFetch({cache: true, timeout: 60_000, totalTimeout: 120_000});
		const response = await fetch(target.url);
		assert.equal(response.status, 200);
		await response.body.cancel();
		await target.closed();
	});

	test('a small body is stored while the caller reads it, and the next call revalidates it', async () => {
		const target = serve('small', (request, response) => {
			if (request.headers['if-none-match'] === '"v1"') {
				response.writeHead(304, {etag: '"v1"'});
				response.end();
				return;
			}

			response.writeHead(200, {etag: '"v1"', 'content-type': 'text/plain'});
			response.end('hello');
		});
		const fetch = createFetch({cache: true});
		assert.equal(await (await fetch(target.url)).text(), 'hello');
		const again = await fetch(target.url);
		assert.equal(await again.text(), 'hello');
		assert.equal(again.fromCache, true);
		assert.equal(target.sent()[1].headers['if-none-match'], '"v1"');
	});
});

describe('error bodies are read for a bounded time', () => {
	test('a 404 whose body never ends, with no timeout: the call gives up with what arrived (its first line names the route)', async () => {
		const target = serve('trickle-404', (request, response) => {
			response.writeHead(404, {'content-type': 'text/plain'});
			response.write('Invalid route. ');
			// A byte now and then: the 16 KB the wrapper reads at most would take half an hour.
			const timer = setInterval(() => response.write('.'), 100);
			response.on('close', () => clearInterval(timer));
		});
		const error = await rejection(createFetch()(target.url));
		assert.ok(isHttpError(error));
		assert.equal(error.verdict.kind, 'invalid_route');
		assert.equal(target.sent().length, 1);
		await error.response.body.cancel();
		await target.closed();
	});
});

describe('a response the caller never gets is released at once', () => {
	test('an onVerdict hook that throws: the call rejects with its error and the connection closes', async () => {
		const target = serve('hook-throws', (request, response) => {
			response.writeHead(200, {'content-type': 'text/plain'});
			endless(response);
		});
		const hookError = new Error('hook failed');
		const error = await rejection(createFetch({onVerdict() {
			throw hookError;
		}})(target.url));
		assert.equal(error, hookError);
		await target.closed();
	});

	test('a status outside 200–599: a coded RangeError, and the connection closes', async () => {
		const target = serve('status-600', (request, response) => {
			response.writeHead(600, {'content-type': 'text/plain'});
			endless(response);
		});
		const error = await rejection(createFetch()(target.url));
		assert.equal(error.name, 'RangeError');
		assert.equal(error.code, 'ERR_STATUS_RANGE');
		await target.closed();
	});
});

describe('failures that would repeat are never retried', () => {
	test('undici\'s redirect limit and unknown schemes are invalid_request, header overflow oversized_response: unknown_error, not retryable', () => {
		const cases = [
			[new TypeError('fetch failed', {cause: new Error('redirect count exceeded')}), 'invalid_request'],
			[new TypeError('fetch failed', {cause: new Error('URL scheme must be a HTTP(S) scheme')}), 'invalid_request'],
			[new TypeError('fetch failed', {cause: Object.assign(new Error('Headers Overflow Error'), {name: 'HeadersOverflowError', code: 'UND_ERR_HEADERS_OVERFLOW'})}), 'oversized_response'],
		];
		for (const [error, detail] of cases) {
			const verdict = classifyError(error);
			assert.equal(verdict.kind, 'unknown_error');
			assert.equal(verdict.detail, detail);
			assert.equal(verdict.retryable, false);
		}
	});
});

describe('header floods cost a bounded scan and no wasm memory', () => {
	const floods = {
		'10,000 Retry-After pairs': [Array.from({length: 10_000}, () => ['retry-after', '2']), 2000],
		'10,000 RateLimit lines': [Array.from({length: 10_000}, () => ['ratelimit', 'limit=10, remaining=0, reset=3']), 3000],
		'one Retry-After name with 10,000 values': [{'retry-after': Array.from({length: 10_000}, () => '2')}, 2000],
	};
	for (const [label, [headers, waitMs]] of Object.entries(floods)) {
		test(`${label}: the first ${MAX_LINES_PER_HEADER} values decide; wasm memory does not grow`, () => {
			const pagesBefore = wasm.memory.buffer.byteLength;
			for (let round = 0; round < 20; round++) {
				assert.equal(classify({status: 429, headers}, {nowMs: 0}).retryAfterMs, waitMs);
			}

			assert.equal(wasm.memory.buffer.byteLength, pagesBefore);
		});
	}

	test(`values past the first ${MAX_LINES_PER_HEADER} of a name are not read: a late disagreement does not cancel the hint`, () => {
		const headers = [...Array.from({length: MAX_LINES_PER_HEADER}, () => ['retry-after', '2']), ['retry-after', '9']];
		assert.equal(classify({status: 503, headers}).retryAfterMs, 2000);
		const early = [['retry-after', '2'], ['retry-after', '9']];
		assert.equal(classify({status: 503, headers: early}).retryAfterMs, null);
	});
});

describe('a parsed JSON body is read within the 4 KB window, never serialised whole', () => {
	test('a field past the window is never read (a getter there would throw)', () => {
		let reads = 0;
		const body = {message: 'Invalid route. '.padEnd(5000, '.'), get later() {
			reads++;
			throw new Error('read past the window');
		}};
		assert.equal(classify({status: 404, body}).kind, 'invalid_route');
		assert.equal(reads, 0);
	});

	test('within the window the text is what JSON.stringify writes: the same verdicts as the string form', () => {
		const bodies = [
			{error: {code: 404, message: 'No such order: ord_1'}},
			[{detail: 'Unknown endpoint'}, null, 3, 'x'],
			{message: 'Quota exceeded for this usage plan', when: new Date(0), skipped: undefined, fn() {}},
			{a: 'é\u2028"\\', b: [1, [2, [3, {c: 'throttled'}]]]},
		];
		for (const body of bodies) {
			for (const status of [404, 429]) {
				assert.equal(classify({status, body}).kind, classify({status, body: JSON.stringify(body)}).kind);
			}
		}
	});

	test('a body JSON.stringify cannot write still fails with the coded TypeError (a cycle, a BigInt)', () => {
		const cycle = {message: 'x'};
		cycle.self = cycle;
		for (const body of [cycle, {count: 1n}]) {
			assert.throws(() => classify({status: 404, body}), {name: 'TypeError', code: 'ERR_INVALID_ARGUMENT'});
		}
	});
});

describe('hostile values get coded errors', () => {
	test('a header value or name with no string form', () => {
		const values = [Object.create(null), {toString() {
			throw new Error('no');
		}}];
		for (const value of values) {
			assert.throws(() => classify({status: 429, headers: {'retry-after': value}}), {name: 'TypeError', code: 'ERR_INVALID_ARGUMENT'});
			assert.throws(() => classify({status: 429, headers: [[value, '1']]}), {name: 'TypeError', code: 'ERR_INVALID_ARGUMENT'});
		}
	});

	test('forged instances of the exported classes', () => {
		const policy = new RetryPolicy();
		const forgedPolicy = Object.create(RetryPolicy.prototype);
		const forgedState = Object.create(ClientState.prototype);
		const forgedProfile = Object.create(Object.getPrototypeOf(createProfile({rules: []})));
		const calls = [
			() => forgedPolicy.decide({attempt: 1, status: 503}),
			() => forgedPolicy.plan(),
			() => forgedPolicy.maxAttempts,
			() => policy.decide({attempt: 1, status: 503}, forgedState),
			() => forgedState.admit(policy, {origin: 'http://a', nowMs: 0}),
			() => forgedState.retriesAvailable('http://a', 0),
			() => new ClientState().admit(forgedPolicy, {origin: 'http://a', nowMs: 0}),
			() => classify({status: 404, headers: {}}, {profile: forgedProfile}),
		];
		for (const call of calls) {
			assert.throws(call, {name: 'TypeError', code: 'ERR_INVALID_ARGUMENT'});
		}
	});

	test('a quota reset years away: the error reports the lock the client applied (at most a day), a printable date', async () => {
		const target = serve('quota-years', (request, response) => {
			response.writeHead(429, {'content-type': 'application/json', 'retry-after': String(100 * 365 * 24 * 3600)});
			response.end(JSON.stringify({message: 'Limit Exceeded: quota of this usage plan'}));
		});
		const error = await rejection(createFetch({maxRetryAfterMs: Infinity})(target.url));
		assert.ok(isQuotaExceededError(error), error.message);
		assert.equal(error.resetInMs, MAX_QUOTA_LOCK_MS);
		const year = Number(/resets at (\d{4})-/.exec(error.message)?.[1]);
		assert.ok(year <= new Date().getUTCFullYear() + 1, error.message);
	});
});

test('after all of it the wasm instance still answers (nothing trapped)', () => {
	assert.equal(classify({status: 503}).kind, 'service_unavailable');
});
