// RetryPolicy, ClientState and plan through the built package: the decision rules as JS users see
// them, option validation, determinism, and hostile input.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {describe, test} from 'node:test';
import {classify, classifyError, ClientState, plan, RetryPolicy} from '../../pkg/node.js';

const NOW_MS = Date.UTC(2026, 10, 24, 10, 0, 0);
// How waits read, shared with the Rust core's test of Decision::message (tests/policy.rs).
const WAIT_TEXTS = readFileSync(new URL('../fixtures/waits.tsv', import.meta.url), 'utf8').split('\n')
	.filter(line => line !== '' && !line.startsWith('#'))
	.map(line => line.split('\t'))
	.map(([ms, text]) => [Number(ms), text]);
const refused = new TypeError('fetch failed', {cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {code: 'ECONNREFUSED'})});
const reset = new TypeError('fetch failed', {cause: Object.assign(new Error('other side closed'), {code: 'UND_ERR_SOCKET'})});

describe('decisions', () => {
	const policy = new RetryPolicy({seed: 42, jitter: 'none', baseDelayMs: 100, maxAttempts: 3});

	test('a retryable status waits the own backoff, doubling', () => {
		const first = policy.decide({attempt: 1, status: 503});
		assert.deepEqual([first.retry, first.delayMs, first.reason], [true, 100, 'retryable_status']);
		assert.equal(first.message, '503 Service Unavailable; attempt 2 of 3 in 100 ms');
		assert.equal(first.verdict.kind, 'service_unavailable');
		const second = policy.decide({attempt: 2, status: 503});
		assert.deepEqual([second.retry, second.delayMs], [true, 200]);
		const third = policy.decide({attempt: 3, status: 503});
		assert.deepEqual([third.retry, third.reason], [false, 'max_attempts']);
		assert.match(third.message, /attempt 3 of 3/);
	});

	test('Retry-After is honoured, never earlier, with a small positive jitter', () => {
		for (let attempt = 1; attempt <= 2; attempt++) {
			const decision = policy.decide({attempt, status: 503, responseHeaders: {'retry-after': '2'}});
			assert.equal(decision.reason, 'retry_after');
			assert.ok(decision.delayMs >= 2000 && decision.delayMs <= 2200, String(decision.delayMs));
			assert.match(decision.message, /Retry-After 2 s/);
		}

		const dated = policy.decide({attempt: 1, status: 503, nowMs: NOW_MS, responseHeaders: {'retry-after': new Date(NOW_MS + 30_000).toUTCString()}});
		assert.ok(dated.delayMs >= 30_000 && dated.delayMs <= 31_000);
	});

	test('a hint above maxRetryAfterMs gives up at once and surfaces the hint', () => {
		const decision = policy.decide({attempt: 1, status: 503, responseHeaders: {'retry-after': '3600'}});
		assert.deepEqual([decision.retry, decision.reason], [false, 'retry_after_too_long']);
		assert.equal(decision.verdict.retryAfterMs, 3_600_000);
		assert.match(decision.message, /1 h/);
	});

	test('idempotency: POST is retried only with a key, a never-processed outcome or the opt-in', () => {
		assert.equal(policy.decide({attempt: 1, method: 'POST', status: 502}).reason, 'not_idempotent');
		assert.equal(policy.decide({attempt: 1, method: 'PATCH', error: reset}).reason, 'not_idempotent');
		assert.equal(policy.decide({attempt: 1, method: 'POST', status: 502, requestHeaders: {'Idempotency-Key': 'k1'}}).retry, true);
		assert.equal(policy.decide({attempt: 1, method: 'POST', status: 502, requestHeaders: new Headers({'idempotency-key': 'k1'})}).retry, true);
		assert.equal(policy.decide({attempt: 1, method: 'POST', error: refused}).retry, true, 'a refused connection was never sent');
		assert.equal(policy.decide({attempt: 1, method: 'POST', status: 408}).retry, true);
		assert.equal(policy.decide({attempt: 1, method: 'POST', status: 429, body: 'Too Many Requests'}).retry, true);
		const optIn = new RetryPolicy({seed: 1, retryNonIdempotent: true});
		assert.equal(optIn.decide({attempt: 1, method: 'POST', status: 502}).retry, true);
		for (const method of ['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE', 'get']) {
			assert.equal(policy.decide({attempt: 1, method, status: 500}).retry, true, method);
		}
	});

	test('never retried: aborts, 499, quota, non-retryable statuses, one-shot bodies', () => {
		const aborted = policy.decide({attempt: 1, error: new DOMException('aborted', 'AbortError')});
		assert.deepEqual([aborted.retry, aborted.reason], [false, 'aborted']);
		assert.equal(policy.decide({attempt: 1, status: 499}).reason, 'aborted');
		assert.equal(policy.decide({attempt: 1, status: 429, body: {message: 'Limit Exceeded'}}).reason, 'quota_exceeded');
		assert.equal(policy.decide({attempt: 1, status: 404}).reason, 'not_retryable');
		assert.equal(policy.decide({attempt: 1, status: 501}).reason, 'not_retryable');
		assert.equal(policy.decide({attempt: 1, status: 200}).reason, 'success');
		assert.equal(policy.decide({attempt: 1, status: 503, bodyReplayable: false}).reason, 'body_not_replayable');
		assert.equal(policy.decide({attempt: 1, error: new SyntaxError('x')}).reason, 'not_retryable');
	});

	test('a throttling 429 without a hint waits about a second', () => {
		const decision = policy.decide({attempt: 1, status: 429});
		assert.equal(decision.reason, 'rate_limited');
		assert.ok(decision.delayMs >= 1000 && decision.delayMs <= 1100, String(decision.delayMs));
	});

	test('no wait crosses the deadline', () => {
		const withDeadline = new RetryPolicy({seed: 1, jitter: 'none', baseDelayMs: 100, deadlineMs: 1000});
		assert.equal(withDeadline.decide({attempt: 1, status: 503, elapsedMs: 850}).retry, true);
		const late = withDeadline.decide({attempt: 1, status: 503, elapsedMs: 950});
		assert.deepEqual([late.retry, late.reason], [false, 'deadline']);
		assert.equal(withDeadline.decide({attempt: 1, status: 503, elapsedMs: 0, responseHeaders: {'retry-after': '2'}}).reason, 'deadline');
	});

	test('status overrides', () => {
		const overriding = new RetryPolicy({seed: 1, statusOverrides: [{status: 503, retry: false}, {status: 409, retry: true}]});
		assert.equal(overriding.decide({attempt: 1, status: 503}).reason, 'not_retryable');
		assert.equal(overriding.decide({attempt: 1, status: 409}).retry, true);
	});

	test('a verdict from classify() or classifyError() can be passed as is', () => {
		const verdict = classify({status: 503, headers: {'retry-after': '1'}});
		assert.equal(policy.decide({attempt: 1, verdict}).reason, 'retry_after');
		assert.equal(policy.decide({attempt: 1, verdict: classifyError(refused)}).reason, 'network_error');
		const handMade = Object.fromEntries(Object.entries(verdict));
		assert.throws(() => policy.decide({attempt: 1, verdict: handMade}), {code: 'ERR_INVALID_ARGUMENT', message: /classify/});
	});

	test('decisions are deterministic given the seed; seeds differ', () => {
		const outcomes = [1, 2].map(attempt => ({attempt, status: 503, nowMs: NOW_MS}));
		const run = seed => {
			const seeded = new RetryPolicy({seed});
			return outcomes.map(outcome => seeded.decide(outcome).delayMs);
		};

		assert.deepEqual(run(7), run(7));
		assert.notDeepEqual(run(7), run(8));
		assert.deepEqual(plan({seed: 3, maxAttempts: 6}), plan({seed: 3, maxAttempts: 6}));
	});
});

describe('plan', () => {
	test('the waits of the own backoff, capped', () => {
		assert.deepEqual(plan({seed: 1, jitter: 'none', baseDelayMs: 100, maxDelayMs: 350, maxAttempts: 5}), [100, 200, 350, 350]);
		const full = plan({seed: 1, baseDelayMs: 100, maxAttempts: 8});
		assert.equal(full.length, 7);
		for (const [index, wait] of full.entries()) {
			assert.ok(wait >= 0 && wait <= 100 * (2 ** index), `${index}: ${wait}`);
		}

		assert.deepEqual(new RetryPolicy({seed: 1, maxAttempts: 1}).plan(), []);
		assert.throws(() => plan({seed: 1}, 0), {code: 'ERR_INVALID_ARGUMENT'});
	});

	test('a delay function replaces the own backoff in plan and decide', () => {
		const asked = [];
		const policy = new RetryPolicy({seed: 1, maxAttempts: 4, delay(attempt) {
			asked.push(attempt);
			return 250 * attempt;
		}});
		assert.deepEqual(policy.plan(), [250, 500, 750]);
		asked.length = 0;
		assert.equal(policy.decide({attempt: 2, status: 503, nowMs: NOW_MS}).delayMs, 500);
		assert.equal(policy.decide({attempt: 1, status: 200, nowMs: NOW_MS}).reason, 'success');
		assert.deepEqual(asked, [2], 'asked about the failure only');
		assert.equal(policy.decide({attempt: 1, error: refused, nowMs: NOW_MS}).delayMs, 250);
		const broken = new RetryPolicy({delay: () => Number.NaN});
		assert.throws(() => broken.decide({status: 503}), {name: 'TypeError', code: 'ERR_INVALID_RETURN_VALUE'});
		assert.throws(() => new RetryPolicy({delay: 'fast'}), {name: 'TypeError', code: 'ERR_INVALID_OPTION', message: 'Expected `delay` to be a function, got a string.'});
	});
});

describe('the caller\'s answer (shouldRetry in an outcome)', () => {
	test('false declines, true retries what the policy would not, within its other rules', () => {
		const policy = new RetryPolicy({seed: 1, jitter: 'none', baseDelayMs: 100});
		const declined = policy.decide({status: 503, shouldRetry: false, nowMs: NOW_MS});
		assert.deepEqual([declined.retry, declined.reason], [false, 'declined']);
		assert.equal(declined.message, '503 Service Unavailable; the caller\'s shouldRetry declined a retry; not retried');
		const forced = policy.decide({status: 404, shouldRetry: true, nowMs: NOW_MS});
		assert.deepEqual([forced.retry, forced.reason, forced.delayMs], [true, 'retryable_status', 100]);
		assert.equal(policy.decide({status: 404, nowMs: NOW_MS}).reason, 'not_retryable');
		assert.equal(policy.decide({status: 502, method: 'POST', shouldRetry: true, nowMs: NOW_MS}).reason, 'not_idempotent');
		assert.equal(policy.decide({attempt: 3, status: 404, shouldRetry: true, nowMs: NOW_MS}).reason, 'max_attempts');
		assert.throws(() => policy.decide({status: 503, shouldRetry: 'no'}), {name: 'TypeError', code: 'ERR_INVALID_ARGUMENT'});
	});
});

describe('client state', () => {
	test('clear() forgets every origin and keeps the options; maxAttempts is the policy\'s', () => {
		const policy = new RetryPolicy({seed: 1, maxAttempts: 7});
		assert.equal(policy.maxAttempts, 7);
		assert.equal(new RetryPolicy({seed: 1}).maxAttempts, 3);
		assert.equal(new RetryPolicy({seed: 1, maxAttempts: 1000}).maxAttempts, 1000);
		const state = new ClientState({retryBudget: {minRetries: 2, ratio: 0}, circuitBreaker: {failFast: true, failureThreshold: 2}});
		const origin = 'http://cleared.test';
		for (let index = 0; index < 3; index++) {
			policy.decide({attempt: 1, status: 503, origin, nowMs: NOW_MS}, state);
		}

		policy.decide({attempt: 1, status: 429, responseHeaders: {'retry-after': '30'}, origin, nowMs: NOW_MS}, state);
		assert.equal(state.breakerState(origin, NOW_MS), 'open');
		assert.ok(state.retriesAvailable(origin, NOW_MS) < 2, 'some of the budget spent');
		assert.equal(state.admit(policy, {origin, nowMs: NOW_MS}).allowed, false);
		state.clear();
		assert.equal(state.breakerState(origin, NOW_MS), 'closed');
		assert.equal(state.retriesAvailable(origin, NOW_MS), 2, 'the same options: a floor of 2');
		assert.equal(state.admit(policy, {origin, nowMs: NOW_MS}).allowed, true);
		state.free();
		assert.throws(() => state.clear(), {name: 'TypeError', code: 'ERR_INVALID_ARGUMENT'});
	});

	const policy = new RetryPolicy({seed: 1, jitter: 'none'});

	test('a 429 with a wait closes the origin\'s throttle gate for other requests', () => {
		const state = new ClientState();
		const decision = policy.decide({attempt: 1, status: 429, responseHeaders: {'retry-after': '5'}, origin: 'http://a.test', nowMs: NOW_MS}, state);
		assert.equal(decision.retry, true);
		assert.deepEqual(state.admit(policy, {origin: 'http://a.test', nowMs: NOW_MS + 1000}), {allowed: false, waitMs: 4000, reason: 'throttled', retryInMs: 4000});
		assert.equal(state.admit(policy, {origin: 'http://b.test', nowMs: NOW_MS + 1000}).allowed, true);
		assert.equal(state.admit(policy, {origin: 'http://a.test', nowMs: NOW_MS + 5000}).allowed, true);
	});

	test('after the wait, retries (attempt above 1) go one per interval of the origin\'s pace; first attempts are not held', () => {
		const state = new ClientState();
		policy.decide({attempt: 1, status: 429, responseHeaders: {'retry-after': '2'}, origin: 'http://p.test', nowMs: NOW_MS}, state);
		const at = {origin: 'http://p.test', nowMs: NOW_MS + 2000, attempt: 2};
		assert.equal(state.admit(policy, at).allowed, true);
		// The next retry's slot is a quarter of the wait later; a first attempt goes now.
		assert.deepEqual(state.admit(policy, at), {allowed: false, waitMs: 500, reason: 'throttled', retryInMs: 500});
		assert.equal(state.admit(policy, {...at, attempt: 1}).allowed, true);
		assert.equal(state.admit(policy, {...at, nowMs: NOW_MS + 2500}).allowed, true);
		for (const attempt of [0, 1.5, '2', null]) {
			assert.throws(() => state.admit(policy, {...at, attempt}), {name: 'TypeError', message: /`attempt`.*a positive integer/});
		}
	});

	test('quota_exceeded locks the origin until the reset', () => {
		const state = new ClientState();
		policy.decide({attempt: 1, status: 429, body: 'Limit Exceeded', responseHeaders: {'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '7200'}, origin: 'http://q.test', nowMs: NOW_MS}, state);
		const admission = state.admit(policy, {origin: 'http://q.test', nowMs: NOW_MS + 60_000});
		assert.deepEqual([admission.allowed, admission.reason], [false, 'quota_exceeded']);
		assert.equal(admission.retryInMs, 7_140_000);
	});

	test('by default an open breaker refuses retries only; sentMs tells a straggler from news', () => {
		const state = new ClientState({circuitBreaker: {failureThreshold: 3, openMs: 1000}, retryBudget: {enabled: false}});
		for (let index = 0; index < 3; index++) {
			policy.decide({attempt: 1, status: 503, origin: 'http://r.test', nowMs: NOW_MS}, state);
		}

		assert.equal(state.breakerState('http://r.test', NOW_MS), 'open');
		assert.equal(state.admit(policy, {origin: 'http://r.test', nowMs: NOW_MS + 10}).allowed, true, 'a new call is sent');
		assert.equal(policy.decide({attempt: 1, status: 503, origin: 'http://r.test', nowMs: NOW_MS + 20}, state).reason, 'circuit_open');
		// A success of an attempt sent before the breaker opened is a straggler: still open.
		policy.decide({attempt: 1, status: 200, origin: 'http://r.test', nowMs: NOW_MS + 30, sentMs: NOW_MS - 5}, state);
		assert.equal(state.breakerState('http://r.test', NOW_MS + 30), 'open');
		policy.decide({attempt: 1, status: 200, origin: 'http://r.test', nowMs: NOW_MS + 40, sentMs: NOW_MS + 35}, state);
		assert.equal(state.breakerState('http://r.test', NOW_MS + 40), 'closed');
		assert.throws(() => policy.decide({attempt: 1, status: 200, sentMs: -1}, state), /`sentMs`/);
	});

	test('an opted-in fail-fast breaker opens after consecutive failures, then lets one probe through', () => {
		const state = new ClientState({circuitBreaker: {failureThreshold: 3, openMs: 1000, failFast: true}, retryBudget: {enabled: false}});
		for (let index = 0; index < 3; index++) {
			policy.decide({attempt: 3, status: 503, origin: 'http://c.test', nowMs: NOW_MS}, state);
		}

		assert.equal(state.breakerState('http://c.test', NOW_MS), 'open');
		assert.equal(state.admit(policy, {origin: 'http://c.test', nowMs: NOW_MS + 10}).reason, 'circuit_open');
		assert.equal(state.admit(policy, {origin: 'http://c.test', nowMs: NOW_MS + 1000}).allowed, true, 'the probe');
		assert.equal(state.breakerState('http://c.test', NOW_MS + 1000), 'half_open');
		assert.equal(state.admit(policy, {origin: 'http://c.test', nowMs: NOW_MS + 1001}).allowed, false, 'only one probe');
		policy.decide({attempt: 1, status: 200, origin: 'http://c.test', nowMs: NOW_MS + 1100}, state);
		assert.equal(state.breakerState('http://c.test', NOW_MS + 1100), 'closed');
	});

	test('the retry budget keeps retries a small fraction of traffic', () => {
		const state = new ClientState({retryBudget: {ratio: 0.1, minRetries: 2, windowMs: 10_000}, circuitBreaker: {enabled: false}});
		const reasons = [];
		for (let index = 0; index < 6; index++) {
			state.admit(policy, {origin: 'http://d.test', nowMs: NOW_MS});
			reasons.push(policy.decide({attempt: 1, status: 503, origin: 'http://d.test', nowMs: NOW_MS}, state).reason);
		}

		assert.deepEqual(reasons.slice(0, 2), ['retryable_status', 'retryable_status']);
		assert.ok(reasons.includes('budget_exhausted'), reasons.join());
		assert.equal(state.retriesAvailable('http://d.test', NOW_MS), 0);
	});
});

describe('bad input', () => {
	test('bad options name the option, with a stable code', () => {
		const cases = [
			[{maxAttempts: 0}, RangeError, /`maxAttempts`/],
			[{maxAttempts: 1.5}, RangeError, /`maxAttempts`/],
			[{maxAttempts: '3'}, TypeError, /`maxAttempts` to be a number/],
			[{baseDelayMs: -1}, RangeError, /`baseDelayMs`/],
			[{baseDelayMs: Number.NaN}, RangeError, /`baseDelayMs`/],
			[{multiplier: 0.5}, RangeError, /`multiplier`/],
			[{jitter: 'random'}, RangeError, /`jitter`/],
			[{maxAttemps: 3}, TypeError, /`maxAttemps` is not a known field/],
			[{statusOverrides: [{status: 503}]}, TypeError, /`statusOverrides\[0\]\.retry` is required/],
			[{statusOverrides: [{status: 200, retry: true}]}, RangeError, /statusOverrides/],
			[{statusOverrides: 'all'}, TypeError, /`statusOverrides` to be an array/],
			[{seed: -1}, RangeError, /`seed`/],
			[{seed: 2 ** 60}, RangeError, /`seed`/],
			[{deadlineMs: 'soon'}, TypeError, /`deadlineMs`/],
			[{retryNonIdempotent: 'yes'}, TypeError, /`retryNonIdempotent`/],
			[{profile: {rules: []}}, TypeError, /createProfile/],
		];
		for (const [options, ErrorClass, message] of cases) {
			assert.throws(() => new RetryPolicy(options), error => error instanceof ErrorClass && error.code === 'ERR_INVALID_OPTION' && message.test(error.message), JSON.stringify(options));
		}

		for (const options of [null, 'x', 3, []]) {
			assert.throws(() => new RetryPolicy(options), {name: 'TypeError', code: 'ERR_INVALID_OPTION'});
		}

		assert.throws(() => new ClientState({retryBudget: {ratio: 2}}), {name: 'RangeError', code: 'ERR_INVALID_OPTION'});
		assert.throws(() => new ClientState({breaker: {}}), {name: 'TypeError', code: 'ERR_INVALID_OPTION', message: /`breaker`/});
	});

	test('bad outcomes are TypeErrors naming the field', () => {
		const policy = new RetryPolicy({seed: 1});
		const cases = [
			[{attempt: 0, status: 503}, /`attempt`/],
			[{attempt: 1.5, status: 503}, /`attempt`/],
			[{status: 503, method: 7}, /`method`/],
			[{status: 503, elapsedMs: -1}, /`elapsedMs`/],
			[{status: 503, nowMs: Number.NaN}, /`nowMs`/],
			[{status: 503, bodyReplayable: 'no'}, /`bodyReplayable`/],
			[{}, /exactly one of/],
			[{status: 503, error: refused}, /exactly one of/],
			[{status: 503, statuss: 1}, /`statuss`/],
			[{status: 503, requestHeaders: 'k'}, /`requestHeaders`/],
		];
		for (const [outcome, message] of cases) {
			assert.throws(() => policy.decide(outcome), error => error instanceof TypeError && error.code === 'ERR_INVALID_ARGUMENT' && message.test(error.message), JSON.stringify(outcome));
		}

		assert.throws(() => policy.decide({status: 600}), {name: 'RangeError', code: 'ERR_STATUS_RANGE'});
		assert.throws(() => policy.decide({status: 503}, {}), {code: 'ERR_INVALID_ARGUMENT', message: /ClientState/});
	});

	test('hostile hints never break a decision and the module keeps working', () => {
		const policy = new RetryPolicy({seed: 1});
		for (const value of ['-1', '9'.repeat(400), 'Sun, 06 Nov 1994 08:49:37 GMT', '1e9', 'NaN', '\u0000', '😀', 'x'.repeat(10_000)]) {
			const decision = policy.decide({attempt: 1, status: 503, responseHeaders: {'retry-after': value}, nowMs: NOW_MS});
			assert.ok(Number.isFinite(decision.delayMs) && decision.delayMs >= 0, value.slice(0, 20));
		}

		for (let index = 0; index < 2000; index++) {
			assert.throws(() => policy.decide({attempt: 1, status: Number.NaN}));
		}

		assert.equal(policy.decide({attempt: 1, status: 503, responseHeaders: {'retry-after': '1'}}).reason, 'retry_after');
	});

	test('a freed policy says so', () => {
		const policy = new RetryPolicy({seed: 1});
		policy.free();
		assert.throws(() => policy.decide({status: 503}), {message: /freed/});
		policy.free();
	});
});

describe('results read from wasm memory', () => {
	test('decisions stay right after the core\'s memory grows (the view of its result slots is remade)', () => {
		const policy = new RetryPolicy({seed: 7, jitter: 'none'});
		const expected = policy.decide({attempt: 1, status: 503, nowMs: NOW_MS});
		assert.equal(expected.delayMs, 300);
		// 24 states × 64 origins of 2,000 characters: about 3 MB kept in wasm memory, more than the
		// module starts with, so memory grows and the old view's buffer is detached.
		const states = Array.from({length: 24}, () => new ClientState({maxOrigins: 64}));
		for (const [index, state] of states.entries()) {
			for (let origin = 0; origin < 64; origin++) {
				policy.decide({attempt: 1, status: 200, origin: `https://${String(index * 64 + origin).padStart(1990, 'h')}.test`, nowMs: NOW_MS}, state);
			}
		}

		const after = policy.decide({attempt: 2, status: 503, responseHeaders: {'retry-after': '3'}, nowMs: NOW_MS});
		assert.deepEqual([after.retry, after.reason, after.delayMs >= 3000, after.delayMs <= 3300], [true, 'retry_after', true, true]);
		const gate = new ClientState();
		policy.decide({attempt: 1, status: 429, responseHeaders: {'retry-after': '4'}, origin: 'https://g.test', nowMs: NOW_MS}, gate);
		assert.equal(gate.admit(policy, {origin: 'https://g.test', nowMs: NOW_MS + 1000}).waitMs, 3000);
		assert.equal(classify({status: 503, headers: {'retry-after': '5'}}).retryAfterMs, 5000);
		for (const state of states) {
			state.free();
		}
	});
});

describe('sentences (rendered in JavaScript from the core\'s template table, src/sentences.txt)', () => {
	test('waits read as the core writes them: units, one decimal rounded half up, exact near 2^53 ms', () => {
		// Already at the deadline, so any wait passes it and the sentence names it.
		const deadlineSentence = deadlineMs => new RetryPolicy({seed: 1, deadlineMs}).decide({attempt: 1, status: 503, responseHeaders: {'retry-after': '1'}, elapsedMs: deadlineMs, nowMs: NOW_MS}).message;
		for (const [deadlineMs, wait] of WAIT_TEXTS) {
			assert.equal(deadlineSentence(deadlineMs), `503 Service Unavailable; the next wait would pass the ${wait} deadline; not retried`, String(deadlineMs));
		}

		const huge = new RetryPolicy({seed: 1}).decide({attempt: 1, status: 503, responseHeaders: {'retry-after': '99999999999999999999'}, nowMs: NOW_MS});
		assert.equal(huge.message, '503 Service Unavailable; Retry-After 2501999793 h is above the 1 min limit; not retried');
	});

	test('every reason has its sentence; the quota reads three ways; unknown methods are named generically', () => {
		const policy = new RetryPolicy({seed: 1, jitter: 'none'});
		const state = new ClientState();
		const quota = policy.decide({attempt: 1, status: 429, body: 'Limit Exceeded', origin: 'https://q.test', nowMs: NOW_MS}, state);
		assert.equal(quota.message, '429 Quota Exceeded; the quota is exhausted until it resets; not retried');
		const timed = policy.decide({attempt: 1, status: 429, body: 'Limit Exceeded', responseHeaders: {'retry-after': '90'}, nowMs: NOW_MS});
		assert.equal(timed.message, '429 Quota Exceeded; the quota resets in 1.5 min; not retried');
		const origin = policy.decide({attempt: 1, status: 503, origin: 'https://q.test', nowMs: NOW_MS + 1}, state);
		assert.equal(origin.message, '503 Service Unavailable; the origin\'s quota is exhausted; not retried');
		assert.equal(policy.decide({attempt: 1, method: 'PROPFIND', status: 502}).message, 'The request method is not idempotent and 502 Bad Gateway may have been processed; not retried');
		assert.equal(policy.decide({attempt: 1, method: 'patch', status: 502}).message, 'PATCH is not idempotent and 502 Bad Gateway may have been processed; not retried');
		assert.equal(policy.decide({attempt: 1, error: Object.assign(new TypeError('fetch failed'), {cause: {code: 'ENOTFOUND'}})}).message, 'Network Error (dns_failure); attempt 2 of 3 in 300 ms');
		assert.equal(policy.decide({attempt: 1, status: 200}).message, '200 OK; done after attempt 1');
	});
});
