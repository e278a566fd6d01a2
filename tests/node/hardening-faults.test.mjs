// Faults on a real loopback server (the scripted node:http server on 127.0.0.1), each with its
// outcome, the number of requests the server saw (a POST without an Idempotency-Key is never sent
// twice after a failure that may have been processed), the caller's signal honoured at every stage,
// load amplification under a storm of 503s bounded by the retry budget and the circuit breaker, and
// garbage or enormous response headers giving a sane wait. Waits go through an injected clock and
// sleep; only per-attempt timers are real. Every unhandled rejection or uncaught exception in this
// file is recorded and fails the last test, as does a timer or socket still open after it all.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {setImmediate as tick} from 'node:timers/promises';
import {
	classify,
	ClientState,
	createFetch,
	isCircuitOpenError,
	isHttpError,
	isNetworkError,
	isTimeoutError,
	plan,
} from '../../pkg/node.js';
import {fakeClockClient, rejection} from '../support/fake-clock-client.mjs';
import {formatImfFixdate, startScriptedServer} from '../support/scripted-server.mjs';

const unhandled = [];
const onUnhandled = reason => unhandled.push(reason);
const onUncaught = error => unhandled.push(error);
process.on('unhandledRejection', onUnhandled);
process.on('uncaughtException', onUncaught);

const START_MS = Date.UTC(2026, 10, 24, 10, 0, 0);
// The documented defaults the storm bounds are computed from (README, `new ClientState`).
const MIN_RETRIES = 10;
const BUDGET_RATIO = 0.2;
const FAILURE_THRESHOLD = 5;
const OPEN_MS = 10_000;
const MAX_RETRY_AFTER_MS = 60_000;

let server;
before(async () => {
	server = await startScriptedServer();
});
after(async () => {
	await server.close();
	process.off('unhandledRejection', onUnhandled);
	process.off('uncaughtException', onUncaught);
});

let paths = 0;
/** Scripts a fresh path (a fresh client per test keeps breakers apart; fresh paths keep counts apart). */
function script(name, steps) {
	const path = `/${name}-${++paths}`;
	return {path, url: server.script(path, steps), sent: () => server.requests(path)};
}

/** Asserts a wait the wrapper asked for is a real, bounded number of milliseconds. */
function assertSaneWait(ms) {
	assert.ok(Number.isFinite(ms) && ms >= 0 && ms <= MAX_RETRY_AFTER_MS * 1.1, `insane wait ${ms}`);
}

/**
 * A client on a fake clock: every sleep is checked, recorded and moves the clock at once. Several
 * sleeps may run at the same time (a storm), so a sleep moves the clock to its own end rather than
 * adding to it: `max(now, start + ms)`, after a turn of the event loop.
 */
function clockClient(options = {}) {
	return fakeClockClient(options, verdict => verdict.kind, {startMs: START_MS, checkWait: assertSaneWait});
}

/** A sleep that never ends by itself: it records its calls and rejects with the signal's reason. */
function heldSleep() {
	const calls = [];
	let wake;
	const called = new Promise(resolve => {
		wake = resolve;
	});
	function sleep(ms, signal) {
		calls.push({ms, signal});
		wake();
		return new Promise((resolve, reject) => {
			if (signal?.aborted) {
				reject(signal.reason);
			}

			signal?.addEventListener('abort', () => reject(signal.reason), {once: true});
		});
	}

	return {sleep, calls, called};
}

/** Settles every promise; counts outcomes as `ok` or `Name:reason:attempts`. */
async function tally(promises) {
	const results = await Promise.allSettled(promises);
	const counts = {};
	for (const result of results) {
		const key = result.status === 'fulfilled' ? `ok:${result.value.status}` : `${result.reason.name}:${result.reason.reason}:${result.reason.attempts}`;
		counts[key] = (counts[key] ?? 0) + 1;
	}

	return {results, counts};
}

describe('connection reset', () => {
	for (const rst of [false, true]) {
		const how = rst ? 'TCP RST' : 'FIN';
		test(`before the headers (${how}): a GET is retried until two in a row are unreachable, a POST without a key is sent once`, async () => {
			const target = script('reset-before', {reset: 'before-headers', rst});
			const get = clockClient();
			const error = await rejection(get.fetch(target.url));
			assert.ok(isNetworkError(error));
			assert.equal(error.code, 'ERR_NETWORK');
			assert.equal(error.reason, 'circuit_open');
			assert.equal(error.attempts, 2);
			assert.equal(error.response, undefined);
			assert.ok(error.cause instanceof TypeError);
			assert.deepEqual(get.waits, [100]);
			assert.equal(target.sent().length, 2);

			const post = clockClient();
			const once = await rejection(post.fetch(target.url, {method: 'POST', body: 'charge 5'}));
			assert.ok(isNetworkError(once));
			assert.equal(once.reason, 'not_idempotent');
			assert.equal(once.attempts, 1);
			assert.deepEqual(post.waits, []);
			assert.deepEqual(target.sent().slice(2).map(r => r.method), ['POST'], 'the POST reached the server exactly once');
		});
	}

	test('mid-body on a 200: the call resolves; reading the body rejects with fetch\'s TypeError; never resent', async () => {
		const target = script('reset-mid-200', {status: 200, reset: 'mid-body', body: 'y'.repeat(4096), afterBytes: 1000});
		for (const method of ['GET', 'POST']) {
			const {fetch, verdicts} = clockClient();
			const response = await fetch(target.url, {method, body: method === 'POST' ? 'order' : undefined});
			assert.equal(response.status, 200);
			assert.deepEqual(verdicts, ['ok'], 'the wrapper decided on the headers');
			// As with fetch itself: the response resolved at the headers, so a body cut short is the
			// reader's error (TypeError "terminated"), which no wrapper can retry for the caller.
			const error = await rejection(response.text());
			assert.ok(error instanceof TypeError, String(error));
		}

		assert.deepEqual(target.sent().map(r => r.method), ['GET', 'POST']);
	});

	test('mid-body on a 503: a GET is retried (its body is never read), a POST is not', async () => {
		const target = script('reset-mid-503', [{status: 503, reset: 'mid-body', times: 2}, {status: 200, body: 'recovered'}]);
		const get = clockClient();
		assert.equal(await (await get.fetch(target.url)).text(), 'recovered');
		assert.deepEqual(get.verdicts, ['service_unavailable', 'service_unavailable', 'ok']);
		assert.equal(target.sent().length, 3);

		const postTarget = script('reset-mid-503-post', {status: 503, reset: 'mid-body'});
		const error = await rejection(clockClient().fetch(postTarget.url, {method: 'POST', body: 'order'}));
		assert.ok(isHttpError(error));
		assert.equal(error.reason, 'not_idempotent');
		assert.equal(postTarget.sent().length, 1);
	});

	test('after the response body: the complete response reads in full; the next call gets a new connection', async () => {
		const body = 'the complete body';
		const target = script('reset-after', [{status: 200, reset: 'mid-body', body, afterBytes: body.length, times: 2}, {status: 200, body: 'next'}]);
		const {fetch} = clockClient();
		assert.equal(await (await fetch(target.url)).text(), body);
		assert.equal(await (await fetch(target.url, {method: 'POST', body: 'x'})).text(), body);
		assert.equal(await (await fetch(target.url)).text(), 'next');
		assert.deepEqual(target.sent().map(r => r.method), ['GET', 'POST', 'GET']);
	});
});

describe('truncated body (content-length larger than what is sent)', () => {
	test('on a 200: the call resolves; reading the body rejects; one request', async () => {
		const target = script('truncated-200', {status: 200, truncate: true, body: 'only part of it', contentLength: 1000});
		const {fetch} = clockClient();
		const response = await fetch(target.url);
		assert.equal(response.status, 200);
		assert.ok(await rejection(response.arrayBuffer()) instanceof TypeError);
		assert.equal(target.sent().length, 1);
	});

	test('on a 400 the wrapper reads: the message is what arrived; a POST is sent once', async () => {
		const target = script('truncated-400', {status: 400, truncate: true, body: 'amount must be positive'});
		const error = await rejection(clockClient().fetch(target.url, {method: 'POST', body: '{}'}));
		assert.ok(isHttpError(error));
		assert.equal(error.reason, 'not_retryable');
		assert.equal(error.serverMessage, 'amount must be positive');
		assert.equal(target.sent().length, 1);
	});

	test('on a 503: a GET is retried and resolves with the next 200', async () => {
		const target = script('truncated-503', [{status: 503, truncate: true, body: 'down'}, {status: 200, body: 'up'}]);
		const {fetch, waits} = clockClient();
		assert.equal(await (await fetch(target.url)).text(), 'up');
		assert.deepEqual(waits, [100]);
		assert.equal(target.sent().length, 2);
	});
});

describe('slow and silent servers', () => {
	test('headers slower than the per-attempt timeout: a GET times out twice (then its origin counts as unreachable), a POST once', async () => {
		const target = script('slow-headers', {status: 200, delayMs: 5000});
		const get = clockClient({timeout: 30});
		const error = await rejection(get.fetch(target.url));
		assert.ok(isTimeoutError(error));
		assert.equal(error.code, 'ERR_TIMEOUT');
		assert.equal(error.reason, 'circuit_open');
		assert.equal(error.attempts, 2);
		assert.equal(error.cause.name, 'TimeoutError');
		assert.deepEqual(get.verdicts, ['timeout', 'timeout']);
		await server.waitForRequests(2, target.path);

		const post = clockClient({timeout: 30});
		const once = await rejection(post.fetch(target.url, {method: 'POST', body: 'order'}));
		assert.ok(isTimeoutError(once));
		assert.equal(once.reason, 'not_idempotent');
		assert.equal(once.attempts, 1);
		await server.waitForRequests(3, target.path);
		assert.deepEqual(target.sent().map(r => r.method), ['GET', 'GET', 'POST']);
	});

	test('a server that accepts and never answers, with a per-attempt timeout: TimeoutError after two attempts', async () => {
		const target = script('hang-timeout', {hang: true});
		const {fetch, waits} = clockClient({timeout: 30});
		const error = await rejection(fetch(target.url));
		assert.ok(isTimeoutError(error));
		assert.equal(error.attempts, 2);
		assert.deepEqual(waits, [100]);
		await server.waitForRequests(2, target.path);
		assert.equal(target.sent().length, 2);
	});

	for (const timeout of [false, 10_000]) {
		test(`a server that never answers, with totalTimeout (timeout ${timeout}): TimeoutError 'deadline' during attempt 1`, async () => {
			const target = script('hang-total', {hang: true});
			const given = [];
			const {fetch} = clockClient({totalTimeout: 40, timeout, onGiveUp: decision => given.push(decision.reason)});
			for (const method of ['GET', 'POST']) {
				const error = await rejection(fetch(target.url, {method, body: method === 'POST' ? 'order' : undefined}));
				assert.ok(isTimeoutError(error));
				assert.equal(error.reason, 'deadline');
				assert.equal(error.attempts, 1);
				assert.match(error.message, /totalTimeout of 40 ms passed during attempt 1/);
			}

			assert.deepEqual(given, ['deadline', 'deadline']);
			await server.waitForRequests(2, target.path);
			assert.deepEqual(target.sent().map(r => r.method), ['GET', 'POST']);
		});
	}

	test('a header section over Node\'s 16 KB limit: fetch\'s own error, after one request, for a GET and a POST (it would fail the same way every time)', async () => {
		for (const method of ['GET', 'POST']) {
			const target = script(`header-overflow-${method}`, [{status: 503, headers: {'retry-after': '1'.repeat(20_000)}}, {status: 200, body: 'small'}]);
			const client = clockClient();
			const error = await rejection(client.fetch(target.url, {method, body: method === 'POST' ? 'order' : undefined}));
			assert.equal(error.name, 'TypeError');
			assert.equal(error.cause?.code, 'UND_ERR_HEADERS_OVERFLOW');
			assert.equal(target.sent().length, 1);
			assert.deepEqual(client.waits, []);
		}
	});
});

describe('the caller\'s signal at every stage', () => {
	test('before sending: an aborted signal (in init, or on a Request) rejects with its reason; nothing sent', async () => {
		const target = script('abort-before', {status: 200});
		const reason = new Error('already gone');
		const {fetch, verdicts} = clockClient({cache: true});
		assert.equal(await rejection(fetch(target.url, {signal: AbortSignal.abort(reason)})), reason);
		assert.equal(await rejection(fetch(new Request(target.url, {signal: AbortSignal.abort(reason)}))), reason);
		assert.equal(await rejection(fetch(new Request(target.url, {method: 'PUT', body: 'b', signal: AbortSignal.abort(reason)}))), reason);
		assert.deepEqual(verdicts, []);
		assert.equal(target.sent().length, 0);
	});

	for (const [label, options] of [['no timeout', {}], ['a per-attempt timeout', {timeout: 60_000}], ['a totalTimeout', {totalTimeout: 60_000}]]) {
		test(`while waiting for the headers, with ${label}: rejects with the reason; one request; no give-up`, async () => {
			const target = script('abort-headers', {hang: true});
			const given = [];
			const {fetch, waits} = clockClient({...options, onGiveUp: decision => given.push(decision)});
			const controller = new AbortController();
			const reason = new Error('the user left');
			const pending = fetch(target.url, {signal: controller.signal});
			await server.waitForRequests(1, target.path);
			controller.abort(reason);
			assert.equal(await rejection(pending), reason);
			assert.deepEqual(waits, []);
			assert.deepEqual(given, []);
			assert.equal(target.sent().length, 1);
		});
	}

	test('while the wrapper reads an error reply\'s body: rejects with the reason; one request', async () => {
		const target = script('abort-peek', {status: 400, hang: 'after-headers'});
		let headersArrived;
		const arrived = new Promise(resolve => {
			headersArrived = resolve;
		});
		const {fetch, verdicts} = clockClient({
			fetch: (url, init) => globalThis.fetch(url, init).then(response => {
				headersArrived();
				return response;
			}),
		});
		const controller = new AbortController();
		const reason = new Error('stop reading');
		const pending = fetch(target.url, {method: 'POST', body: '{}', signal: controller.signal});
		await arrived;
		// The wrapper now reads the 400's body (which never ends) to classify it.
		await tick();
		assert.deepEqual(verdicts, []);
		controller.abort(reason);
		assert.equal(await rejection(pending), reason);
		assert.equal(target.sent().length, 1);
	});

	for (const [label, options] of [['no timeout', {}], ['a per-attempt timeout', {timeout: 60_000}]]) {
		test(`while the body streams (the response was returned), with ${label}: reading rejects with the reason`, async () => {
			const target = script('abort-body', {status: 200, hang: 'after-headers'});
			const {fetch} = clockClient(options);
			const controller = new AbortController();
			const reason = new Error('no longer needed');
			const response = await fetch(target.url, {signal: controller.signal});
			assert.equal(response.status, 200);
			const reading = response.text();
			controller.abort(reason);
			assert.equal(await rejection(reading), reason);
			assert.equal(target.sent().length, 1);
		});
	}

	test('during the backoff wait: rejects with the reason; the sleep got the signal; not sent again', async () => {
		const target = script('abort-backoff', [{status: 503}, {status: 200}]);
		const held = heldSleep();
		const {fetch} = clockClient({sleep: held.sleep});
		const controller = new AbortController();
		const reason = new Error('cancelled while waiting');
		const pending = fetch(target.url, {signal: controller.signal});
		await held.called;
		assert.equal(held.calls[0].ms, 100);
		assert.equal(held.calls[0].signal, controller.signal);
		controller.abort(reason);
		assert.equal(await rejection(pending), reason);
		assert.equal(target.sent().length, 1);
	});

	test('during a throttle-gate wait: rejects with the reason; nothing sent', async () => {
		const throttled = script('gate-429', {status: 429, headers: {'retry-after': '5'}, body: 'Too Many Requests'});
		const gated = script('gate-waiting', {status: 200});
		const held = heldSleep();
		const {fetch} = clockClient({sleep: held.sleep});
		const first = await rejection(fetch(throttled.url, {retry: false}));
		assert.equal(first.verdict.kind, 'throttled');
		const controller = new AbortController();
		const reason = new Error('cancelled at the gate');
		const pending = fetch(gated.url, {signal: controller.signal});
		await held.called;
		assert.equal(held.calls[0].ms, 5000, 'the second request waits for the origin\'s gate');
		controller.abort(reason);
		assert.equal(await rejection(pending), reason);
		assert.equal(gated.sent().length, 0);
		assert.equal(throttled.sent().length, 1);
	});
});

describe('a storm of 503s: load amplification is bounded', () => {
	const N = 200;
	// Retry budget: retries < minRetries + ratio × first attempts (one 10 s window: the clock moves by
	// the waits only, well under it).
	const BUDGET_BOUND = N + MIN_RETRIES + BUDGET_RATIO * N;

	test(`${N} concurrent GETs, all 503 (Retry-After: 0): the breaker stops retries after ${FAILURE_THRESHOLD} failures; later calls are each sent once`, async () => {
		const target = script('storm-503-default', {status: 503, headers: {'retry-after': '0'}});
		const {fetch, waits} = clockClient({jitter: 'full'});
		const {results, counts} = await tally(Array.from({length: N}, () => fetch(target.url)));
		const sent = target.sent().length;
		// Only failures recorded while the breaker was still closed could be retried: at most
		// threshold - 1 of them; the budget's bound is far looser.
		assert.ok(sent >= N && sent <= N + FAILURE_THRESHOLD - 1, `sent ${sent}: ${JSON.stringify(counts)}`);
		assert.equal(waits.length, sent - N);
		for (const {reason} of results) {
			assert.ok(isHttpError(reason) && reason.response.status === 503, reason.name);
			assert.ok(['circuit_open', 'max_attempts'].includes(reason.reason), reason.reason);
		}

		// By default nothing is refused unsent: each later call is sent once, and not retried.
		const wave = await tally(Array.from({length: N}, () => fetch(target.url)));
		assert.equal(target.sent().length, sent + N, JSON.stringify(wave.counts));
		assert.ok(wave.results.every(({reason}) => isHttpError(reason) && reason.reason === 'circuit_open' && reason.attempts === 1), JSON.stringify(wave.counts));
	});

	test(`${N} concurrent GETs, all 503 (Retry-After: 0): an opted-in fail-fast breaker stops everything after ${FAILURE_THRESHOLD} failures; a later wave sends one probe`, async () => {
		const target = script('storm-503', {status: 503, headers: {'retry-after': '0'}});
		const state = new ClientState({circuitBreaker: {failFast: true}});
		const {fetch, waits, clock} = clockClient({state, jitter: 'full'});
		const {results, counts} = await tally(Array.from({length: N}, () => fetch(target.url)));
		const sent = target.sent().length;
		// Only failures recorded while the breaker was still closed could be retried: at most
		// threshold - 1 of them; the budget's bound is far looser.
		assert.ok(sent >= N && sent <= N + FAILURE_THRESHOLD - 1, `sent ${sent}: ${JSON.stringify(counts)}`);
		assert.ok(sent <= BUDGET_BOUND);
		// A retry decided before the breaker opened may still be refused when it asks to be sent.
		assert.ok(waits.length >= sent - N && waits.length <= FAILURE_THRESHOLD - 1, `${waits.length} waits`);
		for (const {reason} of results) {
			assert.equal(reason.verdict.kind, 'service_unavailable');
			assert.equal(reason.reason === 'circuit_open' || reason.reason === 'max_attempts', true, reason.reason);
			assert.ok(isHttpError(reason) ? reason.response.status === 503 : isCircuitOpenError(reason), reason.name);
		}

		const late = await rejection(fetch(target.url));
		assert.ok(isCircuitOpenError(late));
		assert.equal(late.attempts, 0);
		assert.equal(target.sent().length, sent, 'an open breaker sends nothing');

		// Past openMs the breaker is half-open and admits exactly one probe.
		clock.nowMs += OPEN_MS;
		const wave = await tally(Array.from({length: N}, () => fetch(target.url)));
		assert.equal(target.sent().length, sent + 1, JSON.stringify(wave.counts));
		assert.equal(wave.counts['CircuitOpenError:circuit_open:0'], N - 1);
	});

	test(`${N} concurrent GETs, all 503, breaker off: the retry budget alone keeps retries under ${MIN_RETRIES} + ${BUDGET_RATIO * 100} %`, async () => {
		const target = script('storm-budget', {status: 503});
		const state = new ClientState({circuitBreaker: {enabled: false}});
		const {fetch, waits, clock} = clockClient({state, jitter: 'full'});
		const {results, counts} = await tally(Array.from({length: N}, () => fetch(target.url)));
		const sent = target.sent().length;
		assert.ok(sent > N && sent <= BUDGET_BOUND, `sent ${sent}: ${JSON.stringify(counts)}`);
		assert.equal(waits.length, sent - N);
		assert.ok(results.every(({reason}) => ['budget_exhausted', 'max_attempts'].includes(reason.reason)), JSON.stringify(counts));
		assert.equal(state.retriesAvailable(new URL(target.url).origin, clock.nowMs), 0, 'the whole budget was spent, no more');
	});

	test(`${N} concurrent GETs, all throttled 429 (not a breaker failure, retryable for any method): the budget alone bounds the retries`, async () => {
		// Retry-After: 0 keeps the whole storm in one budget window. (With longer waits it spreads over
		// several, and the budget's floor allows about minRetries more per window, as documented.)
		const target = script('storm-429', {status: 429, headers: {'retry-after': '0'}, body: 'Too Many Requests'});
		const {fetch, waits, clock} = clockClient({jitter: 'full'});
		const {results, counts} = await tally(Array.from({length: N}, () => fetch(target.url)));
		const sent = target.sent().length;
		assert.equal(clock.nowMs, START_MS);
		assert.ok(sent > N && sent <= BUDGET_BOUND, `sent ${sent}: ${JSON.stringify(counts)}`);
		assert.equal(waits.length, sent - N);
		assert.ok(results.every(({reason}) => reason.verdict.kind === 'throttled' && ['budget_exhausted', 'max_attempts'].includes(reason.reason)), JSON.stringify(counts));
	});

	test(`${N} concurrent POSTs without a key, all 503: each sent exactly once`, async () => {
		const target = script('storm-post', {status: 503});
		const {fetch, waits} = clockClient();
		const {counts} = await tally(Array.from({length: N}, (_, index) => fetch(target.url, {method: 'POST', body: `order ${index}`})));
		assert.equal(target.sent().length, N);
		assert.equal(new Set(target.sent().map(r => r.body)).size, N, 'no body arrived twice');
		assert.deepEqual(waits, []);
		assert.ok(Object.keys(counts).every(key => /^HttpError:(not_idempotent|circuit_open):1$/.test(key)), JSON.stringify(counts));
	});
});

describe('a throttled burst is retried at the origin\'s pace, on the fake clock', () => {
	test('20 concurrent GETs, all 429 with Retry-After: 1, then 200: all delivered, no retry before the wait, one retry per slot', async () => {
		// Only the first wave is refused (marked by the client's fetch, since the order of arrival
		// is not the order of sends), and no sleep starts before the whole wave is answered: on a
		// fake clock waits are instant, and time must not pass while replies are still in flight.
		const target = script('paced-burst', record => (record.headers['x-first-wave']
			? {status: 429, headers: {'retry-after': '1'}, body: 'Too Many Requests'}
			: {status: 200, body: 'ok'}));
		const clock = {nowMs: START_MS};
		const sentMs = [];
		let answered = 0;
		let waveAnswered;
		const wave = new Promise(resolve => {
			waveAnswered = resolve;
		});
		const fetch = createFetch({
			seed: 7,
			now: () => clock.nowMs,
			async fetch(url, init) {
				const firstWave = sentMs.length < 20;
				sentMs.push(clock.nowMs);
				const headers = new Headers(init.headers);
				if (firstWave) {
					headers.set('x-first-wave', '1');
				}

				const response = await globalThis.fetch(url, {...init, headers});
				if (firstWave && ++answered === 20) {
					waveAnswered();
				}

				return response;
			},
			async sleep(ms) {
				await wave;
				const wakeMs = clock.nowMs + ms;
				await tick();
				clock.nowMs = Math.max(clock.nowMs, wakeMs);
			},
		});
		const results = await Promise.allSettled(Array.from({length: 20}, () => fetch(target.url).then(response => response.text())));
		assert.deepEqual(results.map(result => result.value ?? String(result.reason)), Array.from({length: 20}, () => 'ok'));
		assert.equal(target.sent().length, 40, 'each refused request retried once');
		const retries = sentMs.slice(20);
		assert.ok(retries[0] >= START_MS + 1000, `first retry at +${retries[0] - START_MS} ms`);
		// The pace: a quarter of the wait between retries, sped up by a sixty-fourth per success.
		const gaps = retries.slice(1).map((ms, index) => ms - retries[index]);
		assert.ok(gaps.every(gap => gap >= 180 && gap <= 250), JSON.stringify(gaps));
	});
});

describe('garbage and enormous response headers: a sane wait, no trap', () => {
	// The wait before attempt 2 of the test clients' policy (seeded, no jitter).
	const [ownBackoffMs] = plan({seed: 7, jitter: 'none', baseDelayMs: 100}, 2);
	const past = formatImfFixdate(START_MS - 3_600_000);
	const cases = [
		['a 12 KB Retry-After of digits (over the 4 KB read limit: ignored)', {'retry-after': `${'0'.repeat(12 * 1024 - 1)}5`}, null],
		['a 12 KB Retry-After of garbage', {'retry-after': 'x'.repeat(12 * 1024)}, null],
		['100 distinct X-RateLimit headers', Object.fromEntries(Array.from({length: 100}, (_, index) => [`x-ratelimit-extra-${index}`, String(index)]))],
		['100 disagreeing X-RateLimit-Reset lines with nothing remaining', {'x-ratelimit-remaining': '0', 'x-ratelimit-reset': Array.from({length: 100}, (_, index) => String(index + 1))}, null],
		['an obs-text Retry-After (byte 0xFF)', {'retry-after': '5\u00FF'}, null],
		['non-ASCII rate-limit values', {'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '\u00E9\u00E9', ratelimit: '"d";r=0;t=\u00B9'}, null],
		['Retry-After: -1', {'retry-after': '-1'}, null],
		['Retry-After: 1e9', {'retry-after': '1e9'}, null],
		['Retry-After: 2.5555 (four decimals)', {'retry-after': '2.5555'}, null],
		['two Retry-After values that disagree', {'retry-after': ['3', '7']}, null],
		['a garbage Date beside a dated Retry-After', {'retry-after': 'Sun, 31 Feb 2026 10:00:00 GMT', date: 'yesterday'}, null],
	];
	for (const [label, headers, retryAfterMs] of cases) {
		test(`${label}: rejected, so the own backoff (${ownBackoffMs} ms) applies`, async () => {
			const target = script('headers', [{status: 503, headers}, {status: 200, body: 'fine'}]);
			const seen = [];
			const {fetch, waits} = clockClient({onVerdict: verdict => seen.push(verdict)});
			assert.equal(await (await fetch(target.url)).text(), 'fine');
			assert.deepEqual(waits, [ownBackoffMs]);
			assert.equal(seen[0].kind, 'service_unavailable');
			if (retryAfterMs !== undefined) {
				assert.equal(seen[0].retryAfterMs, retryAfterMs);
			}

			assert.equal(target.sent().length, 2);
		});
	}

	test('a Retry-After date in the past means 0: retried at once (with or without a Date header)', async () => {
		for (const date of [null, formatImfFixdate(START_MS)]) {
			const target = script('headers-past', [{status: 503, headers: {'retry-after': past, date}}, {status: 200}]);
			const seen = [];
			const {fetch, waits} = clockClient({onVerdict: verdict => seen.push(verdict)});
			assert.equal((await fetch(target.url)).status, 200);
			assert.equal(seen[0].retryAfterMs, 0);
			assert.deepEqual(waits, [0]);
		}
	});

	test('an absurdly long delay-seconds saturates and fails fast (retry_after_too_long), never slept', async () => {
		const target = script('headers-huge', {status: 503, headers: {'retry-after': '9'.repeat(400)}});
		const {fetch, waits} = clockClient();
		const error = await rejection(fetch(target.url));
		assert.ok(isHttpError(error));
		assert.equal(error.reason, 'retry_after_too_long');
		assert.equal(error.verdict.retryAfterMs, Number.MAX_SAFE_INTEGER);
		assert.deepEqual(waits, []);
		assert.equal(target.sent().length, 1);
	});

	test('after all of it the wasm instance still answers (nothing trapped)', () => {
		const verdict = classify({status: 503, headers: {'retry-after': '2'}});
		assert.equal(verdict.kind, 'service_unavailable');
		assert.equal(verdict.retryAfterMs, 2000);
	});
});

test('no unhandled rejection or uncaught exception in this file; no timer or socket left once the server closed', async () => {
	await server.close();
	// Sockets finish closing over a few turns of the event loop: look again, a bounded number of times.
	let left = [];
	for (let turn = 0; turn < 100; turn++) {
		left = process.getActiveResourcesInfo().filter(name => name === 'Timeout' || name.startsWith('TCP'));
		if (left.length === 0) {
			break;
		}

		await new Promise(resolve => {
			setTimeout(resolve, 10);
		});
	}

	assert.deepEqual(left, [], 'every attempt\'s timer was cleared and every socket released');
	assert.deepEqual(unhandled, []);
});
