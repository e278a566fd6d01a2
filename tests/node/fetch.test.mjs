// createFetch against a real scripted node:http server on 127.0.0.1: status sequences, server wait
// hints, the 429 and 404 variants, messages, caching, redirects, re-authentication, options and
// errors. Waits go through an injected clock and sleep, so they are asserted exactly and take no time.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import vm from 'node:vm';
import {
	CircuitOpenError,
	ClientState,
	createFetch,
	createProfile,
	HttpError,
	isCircuitOpenError,
	isHttpError,
	isNetworkError,
	isQuotaExceededError,
	isThrottledError,
	isTimeoutError,
	NetworkError,
	QuotaExceededError,
	ThrottledError,
	TimeoutError,
} from '../../pkg/node.js';
import {githubGraphql} from '../../pkg/presets.js';
import {fakeClockClient, rejection} from '../support/fake-clock-client.mjs';
import {retryAfterHeaders, startScriptedServer} from '../support/scripted-server.mjs';

let server;
before(async () => {
	server = await startScriptedServer({crossOrigin: true});
});
after(() => server.close());

function client(options = {}) {
	return fakeClockClient(options, verdict => verdict.kind);
}


describe('retries', () => {
	test('503, 503, then 200: resolves with the 200 after the own backoff, three requests', async () => {
		const url = server.script('/s503', [{status: 503, times: 2}, {status: 200, body: {ok: true}}]);
		const {fetch, waits, verdicts} = client();
		const response = await fetch(url);
		assert.equal(response.status, 200);
		assert.deepEqual(await response.json(), {ok: true});
		assert.deepEqual(waits, [100, 200]);
		assert.deepEqual(verdicts, ['service_unavailable', 'service_unavailable', 'ok']);
		assert.deepEqual(server.requests('/s503').map(r => r.method), ['GET', 'GET', 'GET']);
	});

	test('the server\'s should-retry header: false is not retried (one request), true retries a 409 and a POST', async () => {
		const declined = server.script('/should-not', [{status: 500, headers: {'stripe-should-retry': 'false'}}, {status: 200}]);
		const {fetch, waits} = client();
		const error = await rejection(fetch(declined));
		assert.equal(error.reason, 'server_declined');
		assert.match(error.message, /the server said not to retry \(should-retry: false\); not retried/);
		assert.deepEqual(waits, []);
		assert.equal(server.requests('/should-not').length, 1);

		const conflict = server.script('/should', [{status: 409, headers: {'x-should-retry': 'true'}}, {status: 200, body: 'ok'}]);
		assert.equal((await client().fetch(conflict, {method: 'POST', body: 'x'})).status, 200);
		assert.equal(server.requests('/should').length, 2);
	});

	for (const form of ['seconds', 'imf', 'rfc850', 'asctime']) {
		test(`429 with Retry-After as ${form}: waits the hint plus at most 10 %, never less`, async () => {
			const path = `/ra-${form}`;
			const url = server.script(path, [{status: 429, headers: retryAfterHeaders(2000, form), body: 'Too Many Requests'}, {status: 200}]);
			const decisions = [];
			const {fetch, waits} = client({beforeRetry({decision}) {
				decisions.push(decision);
			}});
			assert.equal((await fetch(url)).status, 200);
			assert.equal(waits.length, 1);
			assert.ok(waits[0] >= 2000 && waits[0] <= 2200, `waited ${waits[0]} ms`);
			assert.equal(decisions[0].reason, 'retry_after');
			assert.match(decisions[0].message, /^429 Throttled; Retry-After 2 s; attempt 2 of 3/);
			assert.equal(server.requests(path).length, 2);
		});
	}

	test('`Too Many Requests` without a hint: retried after about 1 s (throttleFallbackMs)', async () => {
		const url = server.script('/tmr', [{status: 429, body: {message: 'Too Many Requests'}}, {status: 200}]);
		const {fetch, waits, verdicts} = client();
		assert.equal((await fetch(url)).status, 200);
		assert.ok(waits[0] >= 1000 && waits[0] <= 1100, `waited ${waits[0]} ms`);
		assert.deepEqual(verdicts, ['throttled', 'ok']);
	});

	test('`Limit Exceeded`: QuotaExceededError at once with the reset time; later calls fail fast unsent', async () => {
		const url = server.script('/quota', {status: 429, headers: {'retry-after': '30'}, body: {message: 'Limit Exceeded'}});
		const {fetch, waits} = client();
		const error = await rejection(fetch(url));
		assert.ok(error instanceof QuotaExceededError);
		assert.equal(error.name, 'QuotaExceededError');
		assert.equal(error.code, 'ERR_QUOTA_EXCEEDED');
		assert.equal(error.reason, 'quota_exceeded');
		assert.equal(error.verdict.kind, 'quota_exceeded');
		assert.equal(error.resetInMs, 30_000);
		assert.ok(error.resetAt instanceof Date);
		assert.equal(error.response.status, 429);
		assert.deepEqual(await error.response.json(), {message: 'Limit Exceeded'}, 'the response stays readable');
		assert.match(error.message, /429 Quota Exceeded; the quota resets in 30 s; not retried \(GET http:\/\/127\.0\.0\.1:\d+\/quota\); resets at \d{4}-/);
		assert.deepEqual(waits, []);
		const locked = await rejection(fetch(url));
		assert.ok(isQuotaExceededError(locked));
		assert.equal(locked.attempts, 0);
		assert.equal(locked.response, undefined);
		assert.ok(locked.resetInMs > 0 && locked.resetInMs <= 30_000);
		assert.match(locked.message, /^The quota of this origin is exhausted; it may be tried again in 30 s; not sent \(GET http:\/\/127\.0\.0\.1:\d+\/quota\)$/);
		assert.equal(server.requests('/quota').length, 1, 'the locked origin saw no second request');
	});

	test('a persistent 502 gives up after maxAttempts and advises contacting support', async () => {
		const url = server.script('/bad-gateway', {status: 502});
		const given = [];
		const {fetch, waits} = client({onGiveUp(decision) {
			given.push(decision.reason);
		}});
		const error = await rejection(fetch(url));
		assert.ok(error instanceof HttpError);
		assert.equal(error.attempts, 3);
		assert.equal(error.reason, 'max_attempts');
		assert.match(error.message, /^502 Bad Gateway; attempt 3 of 3; no attempts left \(GET .*\/bad-gateway\)\. If the problem persists, please get in touch with support\.$/);
		assert.deepEqual(given, ['max_attempts']);
		assert.deepEqual(waits, [100, 200]);
		assert.equal(server.requests('/bad-gateway').length, 3);
	});

	test('POST: a 502 is not retried without an Idempotency-Key, and retried with the same key', async () => {
		const url = server.script('/post502', {status: 502});
		const {fetch} = client();
		const error = await rejection(fetch(url, {method: 'POST', body: 'order'}));
		assert.equal(error.reason, 'not_idempotent');
		assert.doesNotMatch(error.message, /support/, 'it did not persist: it was tried once');
		assert.equal(server.requests('/post502').length, 1);
		const keyed = await rejection(fetch(url, {method: 'POST', body: 'order', headers: {'Idempotency-Key': 'k-1'}}));
		assert.equal(keyed.attempts, 3);
		const sent = server.requests('/post502').slice(1);
		assert.deepEqual(sent.map(r => [r.method, r.headers['idempotency-key'], r.body]), Array.from({length: 3}, () => ['POST', 'k-1', 'order']));
	});

	test('499 and other non-retryable statuses are tried once', async () => {
		const {fetch} = client();
		for (const status of [499, 403, 404, 501]) {
			const path = `/once-${status}`;
			const error = await rejection(fetch(server.script(path, {status})));
			assert.equal(error.response.status, status);
			assert.equal(server.requests(path).length, 1, String(status));
		}
	});

	test('init.retry: false sends once; an object overrides the client\'s options', async () => {
		const url = server.script('/override', {status: 503});
		const {fetch} = client();
		const once = await rejection(fetch(url, {retry: false}));
		assert.equal(once.attempts, 1);
		// A fresh client: five more 503s in a row would open this one's circuit breaker first.
		const five = await rejection(client().fetch(url, {retry: {maxAttempts: 5}}));
		assert.equal(five.attempts, 5);
		assert.equal(server.requests('/override').length, 6);
	});

	test('beforeRetry may change the next attempt (headers merged); the decision is passed in', async () => {
		const url = server.script('/before', [{status: 500}, {status: 200}]);
		const {fetch} = client({beforeRetry({attempt, request, decision, response}) {
			assert.equal(attempt, 2);
			assert.equal(request.headers.get('x-keep'), 'yes');
			assert.equal(response.status, 500);
			assert.equal(decision.reason, 'retryable_status');
			return {headers: {'x-retry': String(attempt)}};
		}});
		assert.equal((await fetch(url, {headers: {'x-keep': 'yes'}})).status, 200);
		assert.deepEqual(server.requests('/before').map(r => [r.headers['x-keep'], r.headers['x-retry']]), [['yes', undefined], ['yes', '2']]);
	});
	test('beforeRetry may return a Request: later attempts use its URL, method, headers and body', async () => {
		const url = server.script('/primary', {status: 503});
		const fallback = server.script('/fallback', {status: 200, body: 'from the fallback'});
		const {fetch} = client({beforeRetry: () => new Request(fallback, {method: 'PUT', headers: {'x-via': 'fallback'}, body: 'moved body'})});
		assert.equal(await (await fetch(url, {method: 'PUT', body: 'first body'})).text(), 'from the fallback');
		assert.deepEqual(server.requests('/primary').map(r => r.body), ['first body']);
		assert.deepEqual(server.requests('/fallback').map(r => [r.method, r.headers['x-via'], r.body]), [['PUT', 'fallback', 'moved body']]);
	});
});

describe('what ky and got users rely on', () => {
	test('a 413 with Retry-After is retried after the wait; without one it is final', async () => {
		const url = server.script('/too-large', [{status: 413, headers: {'retry-after': '2'}}, {status: 200, body: 'fits now'}]);
		const {fetch, waits} = client();
		assert.equal(await (await fetch(url)).text(), 'fits now');
		assert.equal(waits.length, 1);
		assert.ok(waits[0] >= 2000 && waits[0] <= 2200, String(waits));
		const final = server.script('/too-large-final', {status: 413});
		assert.equal((await rejection(client().fetch(final))).attempts, 1);
	});

	test('QUERY is safe: retried after a 503 like GET, with its body', async () => {
		const url = server.script('/query', [{status: 503}, {status: 200, body: 'rows'}]);
		const {fetch} = client();
		assert.equal(await (await fetch(url, {method: 'QUERY', body: 'select 1'})).text(), 'rows');
		assert.deepEqual(server.requests('/query').map(r => [r.method, r.body]), [['QUERY', 'select 1'], ['QUERY', 'select 1']]);
	});

	test('a 429 with only RateLimit-Reset waits for that reset; an epoch Retry-After is a time, not a quota', async () => {
		const url = server.script('/reset-only', [{status: 429, headers: {'ratelimit-reset': '4'}, body: 'slow down'}, {status: 200}]);
		const {fetch, waits} = client();
		assert.equal((await fetch(url)).status, 200);
		assert.ok(waits[0] >= 4000 && waits[0] <= 4400, String(waits));
		const epoch = server.script('/epoch', [{status: 429, headers: {date: new Date(1_800_000_000_000).toUTCString(), 'retry-after': '1800000003'}}, {status: 200}]);
		const second = client();
		assert.equal((await second.fetch(epoch)).status, 200, 'not a quota lock');
		assert.ok(second.waits[0] >= 3000 && second.waits[0] <= 3300, String(second.waits));
	});
});

describe('ky and got retry options', () => {
	test('methods, statusCodes, retryOnTimeout and capRetryAfter change what the core retries', async () => {
		const flaky = () => server.script(`/opt-${Math.random()}`, [{status: 503}, {status: 200, body: 'ok'}]);
		// `methods`: a PUT not listed is sent once; a listed POST is retried (the caller's opt-in).
		const {fetch} = client({methods: ['GET', 'POST']});
		const put = await rejection(fetch(flaky(), {method: 'PUT', body: 'x'}));
		assert.equal(put.reason, 'method_not_retried');
		assert.match(put.message, /^503 Service Unavailable; PUT is not among the methods to retry; not retried/);
		assert.equal((await fetch(flaky(), {method: 'POST', body: 'x'})).status, 200);
		// `statusCodes`: only those; 503 is not among them.
		const only = client({statusCodes: [500]});
		assert.equal((await rejection(only.fetch(flaky()))).attempts, 1);
		const five = server.script('/opt-500', [{status: 500}, {status: 200}]);
		assert.equal((await only.fetch(five)).status, 200);
		// `retryOnTimeout: false`: a timed-out attempt is final.
		const slow = server.script('/opt-slow', [{status: 200, delayMs: 2000}, {status: 200}]);
		const impatient = client({timeout: 30, retryOnTimeout: false});
		assert.equal((await rejection(impatient.fetch(slow))).attempts, 1);
		// `capRetryAfter`: an hour's Retry-After above maxRetryAfterMs is waited for 2 s, then retried.
		const long = server.script('/opt-long', [{status: 503, headers: {'retry-after': '3600'}}, {status: 200}]);
		const capped = client({capRetryAfter: true, maxRetryAfterMs: 2000});
		assert.equal((await capped.fetch(long)).status, 200);
		assert.ok(capped.waits[0] >= 2000 && capped.waits[0] <= 2200, String(capped.waits));
	});

	test('the new options are checked up front like every option', () => {
		const cases = [
			[{methods: 'GET'}, TypeError, /`methods`/],
			[{methods: ['GET', 'PROPFIND']}, RangeError, /`methods` to be a list of known method names/],
			[{statusCodes: [200]}, RangeError, /statusOverrides\[0\]\.status/],
			[{statusCodes: [500], statusOverrides: [{status: 502, retry: false}]}, TypeError, /either `statusCodes` or `statusOverrides`/],
			[{retryOnTimeout: 'no'}, TypeError, /`retryOnTimeout`/],
			[{capRetryAfter: 1}, TypeError, /`capRetryAfter`/],
		];
		for (const [options, type, message] of cases) {
			assert.throws(() => createFetch(options), error => error instanceof type && error.code === 'ERR_INVALID_OPTION' && message.test(error.message), JSON.stringify(options));
		}
	});
});

describe('shouldRetry and delay (ky\'s escape hatches)', () => {
	test('shouldRetry false declines a retry the policy would make: one request, reason declined', async () => {
		const url = server.script('/sr-decline', [{status: 503}, {status: 200}]);
		const {fetch} = client({shouldRetry: () => false});
		const error = await rejection(fetch(url));
		assert.ok(error instanceof HttpError);
		assert.equal(error.reason, 'declined');
		assert.equal(error.attempts, 1);
		assert.match(error.message, /^503 Service Unavailable; the caller's shouldRetry declined a retry; not retried/);
		assert.equal(server.requests('/sr-decline').length, 1);
	});

	test('shouldRetry true retries a 404 after the own backoff, and sees what the policy alone would decide', async () => {
		const url = server.script('/sr-force', [{status: 404, body: 'not yet'}, {status: 200, body: 'here'}]);
		const seen = [];
		const {fetch, waits} = client({shouldRetry(context) {
			seen.push(context);
			return context.verdict.status === 404;
		}});
		const response = await fetch(url);
		assert.equal(await response.text(), 'here');
		assert.deepEqual(waits, [100]);
		assert.equal(seen.length, 1, 'asked about failures only, not the 200');
		const [{request, verdict, decision, attempt, error, response: failed}] = seen;
		assert.equal(request.url, url);
		assert.equal(verdict.status, 404);
		assert.deepEqual([decision.retry, decision.reason], [false, 'not_retryable']);
		assert.equal(attempt, 1);
		assert.equal(error, undefined);
		assert.equal(failed.status, 404);
	});

	test('shouldRetry undefined leaves the decision to the policy; a network failure comes with its error', async () => {
		const url = server.script('/sr-reset', [{reset: 'before-headers'}, {status: 200}]);
		const errors = [];
		const {fetch, waits} = client({shouldRetry({error, response}) {
			errors.push([error?.name, response]);
		}});
		assert.equal((await fetch(url)).status, 200);
		assert.deepEqual(waits, [100]);
		assert.deepEqual(errors, [['TypeError', undefined]]);
	});

	test('shouldRetry true cannot retry a POST the server may have processed, nor wait less than the server asked', async () => {
		const {fetch, waits} = client({shouldRetry: () => true});
		const post = server.script('/sr-post', [{status: 502}, {status: 200}]);
		const error = await rejection(fetch(post, {method: 'POST', body: 'x'}));
		assert.equal(error.reason, 'not_idempotent');
		assert.equal(server.requests('/sr-post').length, 1);
		const hinted = server.script('/sr-hint', [{status: 400, headers: {'retry-after': '3'}}, {status: 200}]);
		assert.equal((await fetch(hinted)).status, 200);
		assert.ok(waits[0] >= 3000 && waits[0] <= 3300, String(waits));
	});

	test('a call\'s own retry.shouldRetry replaces the client\'s; a bad answer is a TypeError and frees the response', async () => {
		const url = () => server.script(`/sr-call-${Math.random()}`, [{status: 503}, {status: 200}]);
		const {fetch} = client({shouldRetry: () => false});
		assert.equal((await fetch(url(), {retry: {shouldRetry: () => undefined}})).status, 200);
		const bad = await rejection(fetch(url(), {retry: {shouldRetry: () => 'yes'}}));
		assert.ok(bad instanceof TypeError);
		assert.equal(bad.code, 'ERR_INVALID_RETURN_VALUE');
		assert.match(bad.message, /Expected `shouldRetry` to return true, false or undefined, got a string/);
		const thrown = await rejection(fetch(url(), {retry: {shouldRetry() {
			throw new Error('predicate failed');
		}}}));
		assert.equal(thrown.message, 'predicate failed');
		assert.throws(() => createFetch({shouldRetry: true}), error => error instanceof TypeError && error.code === 'ERR_INVALID_OPTION' && /`shouldRetry` to be a function/.test(error.message));
		await assert.rejects(fetch(url(), {retry: {shouldRetry: 1}}), error => error.code === 'ERR_INVALID_OPTION' && /`retry.shouldRetry`/.test(error.message));
	});

	test('delay(attempt) replaces the own backoff, never a longer server wait', async () => {
		const {fetch, waits} = client({delay: attempt => attempt * 1000});
		const url = server.script('/delay-own', [{status: 503, times: 2}, {status: 200}]);
		assert.equal((await fetch(url)).status, 200);
		assert.deepEqual(waits, [1000, 2000]);
		const hinted = server.script('/delay-hint', [{status: 503, headers: {'retry-after': '5'}}, {status: 200}]);
		assert.equal((await fetch(hinted, {retry: {delay: () => 10}})).status, 200);
		assert.ok(waits[2] >= 5000 && waits[2] <= 5500, String(waits));
		const bad = await rejection(fetch(server.script('/delay-bad', [{status: 503}, {status: 200}]), {retry: {delay: () => -1}}));
		assert.equal(bad.code, 'ERR_INVALID_RETURN_VALUE');
		assert.match(bad.message, /Expected `delay\(1\)` to return a non-negative number of milliseconds, got a number/);
		assert.throws(() => createFetch({delay: 100}), error => error instanceof TypeError && error.code === 'ERR_INVALID_OPTION' && /`delay` to be a function/.test(error.message));
	});
});

describe('messages', () => {
	test('400 carries the reply\'s message (JSON message, error, detail, else text)', async () => {
		const {fetch} = client();
		const bodies = [
			[{message: 'amount must be positive'}, 'amount must be positive'],
			[{error: 'invalid_currency'}, 'invalid_currency'],
			[{error: {message: 'nested reason'}}, 'nested reason'],
			[{detail: 'field `x` is required'}, 'field `x` is required'],
			['plain   text\nreason', 'plain text reason'],
			['<html><body>Bad</body></html>', null],
		];
		for (const [index, [body, said]] of bodies.entries()) {
			const path = `/bad-${index}`;
			const error = await rejection(fetch(server.script(path, {status: 400, body}), {method: 'POST', body: '{}'}));
			assert.ok(isHttpError(error));
			assert.equal(error.serverMessage, said);
			assert.equal(error.reason, 'not_retryable');
			if (said !== null) {
				assert.ok(error.message.endsWith(`The server said: ${said}`), error.message);
			}

			assert.equal(await error.response.text(), typeof body === 'string' ? body : JSON.stringify(body), 'the body is still readable');
			assert.equal(server.requests(path).length, 1);
		}
	});

	test('404 variants come from the body', async () => {
		const {fetch} = client();
		const route = await rejection(fetch(server.script('/r404', {status: 404, body: {message: 'Invalid route'}})));
		assert.equal(route.verdict.kind, 'invalid_route');
		const id = await rejection(fetch(server.script('/i404', {status: 404, body: 'Wrong identifier'})));
		assert.equal(id.verdict.kind, 'wrong_identifier');
		assert.equal(id.serverMessage, 'Wrong identifier');
	});

	test('a profile classifies every attempt (its body rules read the error reply)', async () => {
		const profile = createProfile({rules: [
			{status: 500, kind: 'bad_request', bodyIncludes: ['validation failed']},
			{status: 200, kind: 'throttled', header: {name: 'x-throttled', equals: 'yes'}},
		]});
		const url = server.script('/profiled', {status: 500, body: {message: 'validation failed: amount'}});
		const {fetch, verdicts, waits} = client({profile});
		const error = await rejection(fetch(url));
		assert.equal(error.verdict.kind, 'bad_request');
		assert.equal(error.reason, 'not_retryable');
		assert.equal(error.serverMessage, 'validation failed: amount');
		assert.equal(server.requests('/profiled').length, 1);
		const ok = server.script('/profiled-ok', [{status: 200, headers: {'x-throttled': 'yes'}}, {status: 200, body: 'done'}]);
		const response = await fetch(ok);
		assert.equal(await response.text(), 'done', 'a 200 the profile reads as a throttle is retried, as the throttle it is');
		assert.deepEqual(verdicts, ['bad_request', 'throttled', 'ok']);
		assert.equal(waits.length, 1);
	});

	test('GitHub\'s GraphQL rate limit, a 200 (http-verdict/presets): waits for x-ratelimit-reset, then delivers', async () => {
		const {clock, fetch, waits, verdicts} = client({profile: createProfile(githubGraphql)});
		// The reset is 30 s after the response's Date (the server's clock, which the wait counts from).
		const dateS = Math.floor(clock.nowMs / 1000);
		const limited = {
			status: 200,
			headers: {date: new Date(dateS * 1000).toUTCString(), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(dateS + 30)},
			body: {errors: [{type: 'RATE_LIMITED', message: 'API rate limit exceeded for user ID 1.'}]},
		};
		const url = server.script('/graphql', [limited, {status: 200, body: {data: {viewer: {login: 'octocat'}}}}]);
		const response = await fetch(url, {method: 'POST', body: '{"query":"{ viewer { login } }"}'});
		assert.deepEqual(await response.json(), {data: {viewer: {login: 'octocat'}}});
		assert.deepEqual(verdicts, ['throttled', 'ok']);
		// Until the reset, never earlier, plus at most 10 % (as every server wait).
		assert.equal(waits.length, 1);
		assert.ok(waits[0] >= 30_000 && waits[0] <= 33_000, `waited ${waits[0]} ms`);
		assert.equal(server.requests('/graphql').length, 2);

		// Spent for good: the caller gets the error with what the server said, after maxAttempts.
		const spent = server.script('/graphql-spent', {...limited});
		const error = await rejection(fetch(spent, {method: 'POST', body: '{}', retry: {maxAttempts: 2}}));
		assert.ok(isThrottledError(error) || isHttpError(error));
		assert.equal(error.verdict.kind, 'throttled');
		assert.match(error.message, /API rate limit exceeded/);

		// A 200 with data, and one of another API that mentions the words, are delivered at once.
		const data = server.script('/graphql-data', {status: 200, body: {data: {note: 'RATE_LIMITED is an enum value'}}});
		assert.equal((await fetch(data)).status, 200);
	});

	test('throwHttpErrors: false resolves with the final response; a function decides per status', async () => {
		const url = server.script('/soft', {status: 404});
		const {fetch} = client({throwHttpErrors: false});
		assert.equal((await fetch(url)).status, 404);
		const picky = client({throwHttpErrors: status => status >= 500}).fetch;
		assert.equal((await picky(url)).status, 404);
		assert.ok(isHttpError(await rejection(picky(server.script('/soft5', {status: 500})))));
	});
});

describe('conditional requests (cache)', () => {
	test('ETag and Last-Modified are sent back; a 304 is answered from the store, not retried', async () => {
		const url = server.script('/etag', {etag: '"v1"', lastModified: new Date('2024-01-02T03:04:05Z'), body: {v: 1}});
		const {fetch, waits, verdicts} = client({cache: true});
		const first = await fetch(url);
		assert.deepEqual(await first.json(), {v: 1});
		const second = await fetch(url);
		assert.equal(second.status, 200);
		assert.equal(second.fromCache, true);
		assert.equal(second.url, url);
		assert.equal(second.headers.get('etag'), '"v1"');
		assert.deepEqual(await second.json(), {v: 1});
		const third = await fetch(url);
		assert.deepEqual(await third.json(), {v: 1}, 'the stored body serves every 304');
		const sent = server.requests('/etag');
		assert.deepEqual(sent.map(r => r.outcome), [200, 304, 304]);
		assert.equal(sent[0].headers['if-none-match'], undefined);
		assert.equal(sent[1].headers['if-none-match'], '"v1"');
		assert.equal(sent[1].headers['if-modified-since'], 'Tue, 02 Jan 2024 03:04:05 GMT');
		assert.deepEqual(verdicts, ['ok', 'not_modified', 'not_modified']);
		assert.deepEqual(waits, []);
	});

	test('a pluggable store gets plain entries; 410 purges the entry; a 429 is never stored', async () => {
		const entries = new Map();
		const calls = [];
		const store = {
			get: async key => entries.get(key),
			async set(key, entry) {
				calls.push(['set', key]);
				entries.set(key, entry);
			},
			delete(key) {
				calls.push(['delete', key]);
				entries.delete(key);
			},
		};
		const url = server.script('/purge', [{etag: '"a"', body: 'first'}, {status: 410, body: 'Gone'}, {etag: '"b"', body: 'again'}]);
		const {fetch} = client({cache: store});
		assert.equal(await (await fetch(url)).text(), 'first');
		const entry = entries.get(url);
		assert.equal(entry.etag, '"a"');
		assert.equal(entry.status, 200);
		assert.equal(new TextDecoder().decode(entry.body), 'first');
		assert.ok(Array.isArray(entry.headers));
		const gone = await rejection(fetch(url));
		assert.equal(gone.response.status, 410);
		assert.equal(gone.verdict.action, 'purge_cache');
		assert.equal(entries.has(url), false);
		assert.equal(await (await fetch(url)).text(), 'again');
		const sent = server.requests('/purge');
		assert.equal(sent[1].headers['if-none-match'], '"a"');
		assert.equal(sent[2].headers['if-none-match'], undefined, 'nothing left to revalidate');
		assert.deepEqual(calls, [['set', url], ['delete', url], ['set', url]]);

		const throttled = server.script('/no429', {status: 429, headers: {etag: '"t"', 'retry-after': '1'}, body: 'Too Many Requests'});
		await rejection(fetch(throttled, {retry: false}));
		assert.equal(entries.has(throttled), false);
	});

	test('a caller\'s own If-None-Match gets the 304 as it is', async () => {
		const url = server.script('/own-inm', {etag: '"x"', body: 'x'});
		const {fetch} = client({cache: true});
		const response = await fetch(url, {headers: {'if-none-match': '"x"'}});
		assert.equal(response.status, 304);
	});

	test('a Range request, or one with the caller\'s own conditions, bypasses the store both ways', async () => {
		const url = server.script('/ranged', {etag: '"r"', body: 'abcdefghij'});
		const {fetch} = client({cache: true});
		assert.equal(await (await fetch(url)).text(), 'abcdefghij');
		for (const headers of [{range: 'bytes=0-3'}, {'if-match': '"r"'}, {'if-unmodified-since': 'Tue, 02 Jan 2024 03:04:05 GMT'}, {'if-range': '"r"', range: 'bytes=2-'}]) {
			const response = await fetch(url, {headers});
			assert.equal(response.fromCache, undefined, JSON.stringify(headers));
			await response.text();
		}

		const sent = server.requests('/ranged');
		assert.deepEqual(sent.map(r => r.headers['if-none-match']), [undefined, undefined, undefined, undefined, undefined], 'no validators added');
		assert.equal(sent[1].headers.range, 'bytes=0-3');
		const revalidated = await fetch(url);
		assert.equal(revalidated.fromCache, true, 'the stored entry is still the whole body');
		assert.equal(await revalidated.text(), 'abcdefghij');
	});
});

describe('redirects', () => {
	test('301 then 302: followed; the 301 is remembered and reported, later calls skip it', async () => {
		const target = server.script('/c', {body: 'here'});
		const moved = server.script('/b', {redirect: target, status: 302});
		const url = server.script('/a', {redirect: moved, status: 301});
		const {fetch, verdicts} = client();
		const response = await fetch(url);
		assert.equal(await response.text(), 'here');
		assert.equal(response.url, target);
		assert.equal(response.redirected, true);
		assert.equal(response.movedTo, moved);
		assert.deepEqual(verdicts, ['moved_permanently', 'temporary_redirect', 'ok']);
		const again = await fetch(url);
		assert.equal(again.movedTo, moved);
		assert.equal(await again.text(), 'here');
		assert.equal(server.requests('/a').length, 1, 'the old URL was not asked again');
		assert.equal(server.requests('/b').length, 2, 'the temporary redirect was followed each time');
	});

	test('a 302 chain is followed and not remembered', async () => {
		const end = server.script('/t3', {body: 'end'});
		const url = server.script('/t1', {redirect: server.script('/t2', {redirect: end, status: 307})});
		const {fetch} = client();
		for (let i = 0; i < 2; i++) {
			const response = await fetch(url);
			assert.equal(await response.text(), 'end');
			assert.equal(response.movedTo, undefined);
		}

		assert.equal(server.requests('/t1').length, 2);
	});

	test('Authorization and cookies never follow a redirect to another origin; same origin keeps them', async () => {
		const foreign = server.crossOrigin.script('/elsewhere', {body: 'foreign'});
		const local = server.script('/same', {redirect: foreign, status: 301});
		const url = server.script('/start', {redirect: local});
		const {fetch} = client();
		const headers = {authorization: 'Bearer secret', cookie: 'session=1', 'x-other': 'kept'};
		assert.equal(await (await fetch(url, {headers})).text(), 'foreign');
		assert.equal(server.requests('/same')[0].headers.authorization, 'Bearer secret');
		const [abroad] = server.crossOrigin.requests('/elsewhere');
		assert.equal(abroad.headers.authorization, undefined);
		assert.equal(abroad.headers.cookie, undefined);
		assert.equal(abroad.headers['x-other'], 'kept');
		// The remembered move goes abroad directly, still without credentials.
		assert.equal(await (await fetch(local, {headers})).text(), 'foreign');
		const [, direct] = server.crossOrigin.requests('/elsewhere');
		assert.equal(direct.headers.authorization, undefined);
		assert.equal(server.requests('/same').length, 1);
	});

	test('a 503 after a redirect retries the URL that failed, as got does, not the redirect again', async () => {
		const end = server.script('/flaky-end', [{status: 503}, {status: 503}, {body: 'ok'}]);
		const url = server.script('/flaky-start', {redirect: end});
		const {fetch} = client();
		const response = await fetch(url);
		assert.equal(await response.text(), 'ok');
		assert.equal(server.requests('/flaky-start').length, 1);
		assert.equal(server.requests('/flaky-end').length, 3);
		assert.equal(response.redirected, true);
	});

	test('a retry at a redirect target on another origin is sent without the credentials', async () => {
		const other = await startScriptedServer();
		try {
			const end = other.script('/elsewhere', [{status: 503}, {body: 'ok'}]);
			const url = server.script('/cross-start', {redirect: end});
			const {fetch} = client();
			assert.equal(await (await fetch(url, {headers: {authorization: 'Bearer secret', 'x-trace': '1'}})).text(), 'ok');
			const sent = other.requests('/elsewhere');
			assert.equal(sent.length, 2);
			assert.deepEqual(sent.map(r => [r.headers.authorization, r.headers['x-trace']]), [[undefined, '1'], [undefined, '1']]);
		} finally {
			await other.close();
		}
	});
});

describe('bad redirects end the call as fetch would: final, unremembered, no breaker failure', () => {
	for (const target of ['data:text/plain,hello', 'file:///etc/passwd', 'javascript:alert(1)']) {
		const scheme = target.slice(0, target.indexOf(':'));
		test(`a 301 to a ${scheme}: URL rejects with fetch's TypeError after one request, and is not remembered`, async () => {
			const path = `/to-${scheme}`;
			const url = server.script(path, {status: 301, redirect: target, times: 10});
			const {fetch, waits} = client();
			for (let call = 1; call <= 2; call++) {
				const error = await rejection(fetch(url));
				assert.equal(error.name, 'TypeError');
				assert.equal(error.message, 'fetch failed');
				assert.equal(error.cause.message, 'URL scheme must be a HTTP(S) scheme');
				assert.equal(server.requests(path).length, call, 'sent once per call: not retried, not answered from a remembered move');
			}

			assert.deepEqual(waits, []);
		});
	}

	test('a redirect loop stops after 20 hops like fetch (21 requests), is not retried, and opens no breaker', async () => {
		const url = server.script('/loop', {status: 302, redirect: '/loop', times: 1000});
		const state = new ClientState({circuitBreaker: {failFast: true, failureThreshold: 1}});
		const {fetch, waits} = client({state});
		for (let call = 1; call <= 2; call++) {
			const error = await rejection(fetch(url));
			assert.equal(error.name, 'TypeError');
			assert.equal(error.cause.message, 'redirect count exceeded');
			assert.equal(server.requests('/loop').length, 21 * call);
		}

		assert.deepEqual(waits, []);
		assert.equal(state.breakerState(new URL(url).origin), 'closed');
		const other = server.script('/after-loop', {body: 'fine'});
		assert.equal(await (await fetch(other)).text(), 'fine');
	});
});

describe('401', () => {
	test('onUnauthorized refreshes credentials and the request is sent once more', async () => {
		const url = server.script('/private', [{status: 401}, {status: 200, body: 'secret'}]);
		let refreshed = 0;
		const {fetch} = client({onUnauthorized({request, response}) {
			refreshed++;
			assert.equal(response.status, 401);
			assert.equal(request.headers.get('authorization'), 'Bearer old');
			return {headers: {authorization: 'Bearer new'}};
		}});
		assert.equal(await (await fetch(url, {headers: {authorization: 'Bearer old'}})).text(), 'secret');
		assert.equal(refreshed, 1);
		assert.deepEqual(server.requests('/private').map(r => r.headers.authorization), ['Bearer old', 'Bearer new']);
	});

	test('a second 401 is final; without the hook, or when it returns nothing, the first is', async () => {
		const url = server.script('/denied', {status: 401});
		let calls = 0;
		const {fetch} = client({onUnauthorized: () => ({headers: {authorization: `Bearer ${++calls}`}})});
		const error = await rejection(fetch(url));
		assert.equal(error.response.status, 401);
		assert.equal(error.attempts, 2);
		assert.equal(calls, 1);
		assert.equal((await rejection(client().fetch(url))).attempts, 1);
		assert.equal((await rejection(client({onUnauthorized() {}}).fetch(url))).attempts, 1);
		assert.equal(server.requests('/denied').length, 4);
	});
});

describe('shared state', () => {
	test('a throttling 429 makes the next request to the origin wait for the gate', async () => {
		const url = server.script('/gate', [{status: 429, headers: {'retry-after': '3'}, body: 'Too Many Requests'}, {status: 200}]);
		const {fetch, waits} = client();
		await rejection(fetch(url, {retry: false}));
		assert.deepEqual(waits, []);
		assert.equal((await fetch(url)).status, 200);
		assert.deepEqual(waits, [3000], 'the second call waited for the gate before sending');
	});

	test('with the defaults, a lone caller\'s every new call is sent and gets its own verdict, whatever failed before', async () => {
		const down = server.script('/lone/down', {status: 503});
		const input = server.script('/lone/refused-input', {status: 400, body: '{"message":"field `name` is required"}'});
		const missing = server.script('/lone/missing', {status: 404, body: 'No such user'});
		const ok = server.script('/lone/ok', {status: 200, body: 'fine'});
		const {fetch} = client();
		// Two failing calls: six 503s in a row, enough to open the breaker.
		for (let call = 0; call < 2; call++) {
			assert.ok(isHttpError(await rejection(fetch(down))));
		}

		const before = server.requests('/lone/down').length;
		const again = await rejection(fetch(down));
		assert.equal(again.verdict.status, 503, 'sent, and its own 503 came back');
		assert.equal(again.reason, 'circuit_open', 'but not retried while the breaker is open');
		assert.equal(server.requests('/lone/down').length, before + 1);
		const bad = await rejection(fetch(input, {method: 'POST', body: '{}'}));
		assert.equal(bad.verdict.status, 400);
		assert.equal(bad.serverMessage, 'field `name` is required');
		assert.equal((await rejection(fetch(missing))).verdict.status, 404);
		assert.equal(await (await fetch(ok)).text(), 'fine');
		// Those answers closed the breaker again: a 503 is retried as usual.
		assert.equal((await rejection(fetch(down))).attempts, 3);
	});

	test('an opted-in fail-fast breaker refuses with CircuitOpenError; a ClientState can be shared', async () => {
		const state = new ClientState({circuitBreaker: {failureThreshold: 2, failFast: true}});
		const url = server.script('/down', {status: 503});
		const one = client({state});
		const two = client({state});
		await rejection(one.fetch(url, {retry: false}));
		await rejection(two.fetch(url, {retry: false}));
		const error = await rejection(one.fetch(url));
		assert.ok(error instanceof CircuitOpenError);
		assert.ok(isCircuitOpenError(error));
		assert.equal(error.reason, 'circuit_open');
		assert.ok(error.retryInMs > 0);
		assert.match(error.message, /circuit breaker for this origin is open/);
		assert.equal(server.requests('/down').length, 2);
	});
});

describe('options and errors', () => {
	test('bad options throw up front, naming the option', () => {
		const cases = [
			[{timeot: 1}, TypeError, /Unknown createFetch option `timeot`/],
			[{timeout: -1}, RangeError, /`timeout`/],
			[{timeout: '1s'}, TypeError, /`timeout`/],
			[{totalTimeout: Number.NaN}, RangeError, /`totalTimeout`/],
			[{maxAttempts: 0}, RangeError, /maxAttempts/],
			[{jitter: 'random'}, RangeError, /jitter/],
			[{seed: 'x'}, TypeError, /seed/],
			[{cache: {}}, TypeError, /`cache`/],
			[{state: {}}, TypeError, /`state`/],
			[{onVerdict: 'log'}, TypeError, /`onVerdict`/],
			[{fetch: null}, TypeError, /`fetch`/],
			[{throwHttpErrors: 'yes'}, TypeError, /`throwHttpErrors`/],
			['fast', TypeError, /options/],
		];
		for (const [options, type, message] of cases) {
			assert.throws(() => createFetch(options), error => error instanceof type && error.code === 'ERR_INVALID_OPTION' && message.test(error.message), JSON.stringify(options));
		}
	});

	test('bad per-request options reject before sending', async () => {
		const {fetch} = client();
		const url = server.script('/never', {status: 200});
		await assert.rejects(fetch(url, {retry: 3}), {name: 'TypeError', code: 'ERR_INVALID_OPTION'});
		await assert.rejects(fetch(url, {retry: {maxAttempts: 0}}), {name: 'RangeError', code: 'ERR_INVALID_OPTION'});
		await assert.rejects(fetch(url, {timeout: 0}), {name: 'RangeError', code: 'ERR_INVALID_OPTION'});
		await assert.rejects(fetch('not a url'), TypeError);
		assert.equal(server.requests('/never').length, 0);
	});

	test('errors are real Error subclasses with literal names and codes; guards work across realms', () => {
		const classes = [
			[HttpError, isHttpError, 'ERR_HTTP_STATUS'],
			[NetworkError, isNetworkError, 'ERR_NETWORK'],
			[TimeoutError, isTimeoutError, 'ERR_TIMEOUT'],
			[QuotaExceededError, isQuotaExceededError, 'ERR_QUOTA_EXCEEDED'],
			[CircuitOpenError, isCircuitOpenError, 'ERR_CIRCUIT_OPEN'],
			[ThrottledError, isThrottledError, 'ERR_THROTTLED'],
		];
		for (const [Class, guard, code] of classes) {
			const cause = new Error('below');
			const error = new Class('message', {cause, attempts: 2});
			assert.ok(error instanceof Error);
			assert.equal(error.name, Class.name);
			assert.equal(error.code, code);
			assert.equal(error.cause, cause);
			assert.equal(error.attempts, 2);
			assert.ok(guard(error) && Class.is(error));
			const foreign = vm.runInNewContext(`const e = new Error('x'); e.name = '${Class.name}'; e.code = '${code}'; e`);
			assert.equal(foreign instanceof Error, false, 'really from another realm');
			assert.ok(guard(foreign), `${Class.name} guard across realms`);
			for (const other of [undefined, null, 'HttpError', {name: Class.name}, new Error('x')]) {
				assert.equal(guard(other), false);
			}
		}

		assert.equal(isTimeoutError(new DOMException('x', 'TimeoutError')), false, 'not the DOMException');
	});

	test('every attempt and give-up carries the core\'s reason and message', async () => {
		const url = server.script('/explained', {status: 503, headers: {'retry-after': '1'}});
		const messages = [];
		const {fetch} = client({
			beforeRetry({decision}) {
				messages.push(decision.message);
			},
			onGiveUp(decision) {
				messages.push(decision.message);
			},
		});
		const error = await rejection(fetch(url));
		assert.deepEqual(messages.map(message => message.replace(/ in [\d.]+ s$/, '')), [
			'503 Service Unavailable; Retry-After 1 s; attempt 2 of 3',
			'503 Service Unavailable; Retry-After 1 s; attempt 3 of 3',
			'503 Service Unavailable; attempt 3 of 3; no attempts left',
		]);
		assert.equal(error.decision.message, messages[2]);
		assert.equal(error.elapsedMs >= 2000, true, 'the fake clock moved through both waits');
		assert.equal(error.request.method, 'GET');
		assert.equal(error.request.url, url);
	});

	test('an invalid URL or a non-network failure rejects as fetch would, unwrapped and untried again', async () => {
		let calls = 0;
		const bug = new RangeError('a bug in a custom fetch');
		const {fetch} = client({fetch() {
			calls++;
			throw bug;
		}});
		assert.equal(await rejection(fetch('http://127.0.0.1:9/x')), bug);
		assert.equal(calls, 1);
	});
});
