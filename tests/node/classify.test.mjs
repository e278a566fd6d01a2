// The classification API through the built package (pkg/node.js): every documented row, the
// variants, hints, and every kind of bad input, asserted on what users see.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {classify, codes, createProfile, RetryPolicy} from '../../pkg/node.js';

// The contract §1 table: status, kind, family, retryable, action, neverProcessed.
const documentedRows = [
	[200, 'ok', 'success', false, 'deliver', false],
	[301, 'moved_permanently', 'redirection', false, 'update_url', false],
	[302, 'temporary_redirect', 'redirection', false, 'follow_redirect', false],
	[304, 'not_modified', 'redirection', false, 'use_cache', false],
	[400, 'bad_request', 'client_error', false, 'fix_request', false],
	[401, 'unauthorized', 'client_error', false, 'reauthenticate', false],
	[403, 'forbidden', 'client_error', false, 'fail', false],
	[405, 'method_not_allowed', 'client_error', false, 'fix_request', false],
	[408, 'request_timeout', 'client_error', true, 'retry', true],
	[410, 'gone', 'client_error', false, 'purge_cache', false],
	[499, 'client_closed_request', 'client_error', false, 'cancel', false],
	[500, 'internal_server_error', 'server_error', true, 'retry', false],
	[502, 'bad_gateway', 'server_error', true, 'retry', false],
	[503, 'service_unavailable', 'server_error', true, 'retry', false],
	[504, 'gateway_timeout', 'server_error', true, 'retry', false],
];

function assertRow(verdict, [status, kind, family, retryable, action, neverProcessed], retryAfterMs = null) {
	assert.deepEqual(
		{status: verdict.status, kind: verdict.kind, family: verdict.family, retryable: verdict.retryable, action: verdict.action, neverProcessed: verdict.neverProcessed, retryAfterMs: verdict.retryAfterMs},
		{status, kind, family, retryable, action, neverProcessed, retryAfterMs},
	);
}

describe('documented codes', () => {
	for (const row of documentedRows) {
		test(`${row[0]} → ${row[1]}`, () => {
			assertRow(classify({status: row[0]}), row);
			// A server wait changes no row's kind, except that a 403 with one is a rate limit (GitHub).
			const waited = row[0] === 403 ? [403, 'throttled', 'client_error', true, 'retry', true] : row;
			assertRow(classify({status: row[0], headers: {'retry-after': '7'}}), waited, 7000);
		});
	}

	test('a 403 is a rate limit when its headers or its message say so (GitHub\'s primary and secondary limits)', () => {
		const date = 'Tue, 24 Nov 2026 10:00:00 GMT';
		const reset = String(Date.parse(date) / 1000 + 42);
		const primary = classify({status: 403, headers: {date, 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset}, body: {message: 'API rate limit exceeded for 203.0.113.7.'}});
		assertRow(primary, [403, 'throttled', 'client_error', true, 'retry', true], 42_000);
		assert.equal(classify({status: 403, body: {message: 'You have exceeded a secondary rate limit.'}}).kind, 'throttled');
		assert.equal(classify({status: 403, headers: {'x-ratelimit-remaining': '5'}, body: {message: 'Must have admin rights to Repository.'}}).kind, 'forbidden');
	});

	test('404 variants: invalid route, wrong identifier, not found', () => {
		assertRow(classify({status: 404, body: 'Cannot GET /v2/usres'}), [404, 'invalid_route', 'client_error', false, 'fix_request', false]);
		assertRow(classify({status: 404, body: {message: 'Wrong identifier'}}), [404, 'wrong_identifier', 'client_error', false, 'fail', false]);
		assertRow(classify({status: 404, body: 'Not Found'}), [404, 'not_found', 'client_error', false, 'fail', false]);
		assert.equal(classify({status: 404, body: {message: 'Invalid route'}}).description, 'Invalid route');
		assert.equal(classify({status: 404, body: {message: 'Wrong identifier'}}).description, 'Wrong identifier');
	});

	test('429 variants: throttled and quota exceeded', () => {
		assertRow(classify({status: 429, body: {message: 'Too Many Requests'}, headers: {'retry-after': '1'}}), [429, 'throttled', 'client_error', true, 'retry', true], 1000);
		assertRow(classify({status: 429, body: {message: 'Limit Exceeded'}}), [429, 'quota_exceeded', 'client_error', false, 'wait_for_quota', false]);
		assert.equal(classify({status: 429, body: {message: 'Limit Exceeded'}}).title, 'Quota Exceeded');
		assert.equal(classify({status: 429}).title, 'Throttled');
	});

	test('titles and descriptions are the API\'s own wording', () => {
		assert.equal(classify({status: 302}).title, 'Temporary Redirect');
		assert.equal(classify({status: 499}).title, 'Client Closed the Request');
		assert.equal(classify({status: 400}).description, 'A variable in the request is incorrect, check the reply message for details');
		assert.match(classify({status: 502}).description, /please get in touch with support/);
	});

	test('codes() returns the documented table as data', () => {
		const rows = codes();
		const kinds = rows.map(row => row.kind);
		for (const [, kind] of documentedRows) {
			assert.ok(kinds.includes(kind), kind);
		}

		for (const kind of ['invalid_route', 'wrong_identifier', 'not_found', 'throttled', 'quota_exceeded', 'network_error', 'timeout', 'aborted']) {
			assert.ok(kinds.includes(kind), kind);
		}

		assert.equal(rows.filter(row => row.status === 404).length, 3);
		assert.equal(rows.filter(row => row.status === 429).length, 2);
		assert.ok(rows.every(row => Object.isFrozen(row)));
		rows.pop();
		assert.equal(codes().length, rows.length + 1, 'callers get their own array');
	});

	test('codes() rows are verdicts: the same fields as classify(), usable in a decision', () => {
		const fields = Object.keys(classify({status: 503}));
		for (const row of codes()) {
			assert.deepEqual(Object.keys(row), fields, row.kind);
			assert.equal(row.retryAfterMs, null, row.kind);
		}

		const throttled = codes().find(row => row.kind === 'throttled');
		assert.equal(new RetryPolicy({seed: 1}).decide({verdict: throttled}).reason, 'rate_limited');
	});
});

describe('other statuses follow RFC 9110', () => {
	test('every status from 100 to 599 gets its family', () => {
		const families = {1: 'informational', 2: 'success', 3: 'redirection', 4: 'client_error', 5: 'server_error'};
		for (let status = 100; status <= 599; status++) {
			const verdict = classify({status});
			assert.equal(verdict.status, status);
			assert.equal(verdict.family, families[Math.floor(status / 100)], String(status));
		}
	});

	test('501 and 505 are not retryable; other 5xx are', () => {
		assert.equal(classify({status: 501}).retryable, false);
		assert.equal(classify({status: 505}).retryable, false);
		assert.equal(classify({status: 507}).kind, 'server_error');
		assert.equal(classify({status: 507}).retryable, true);
		assert.equal(classify({status: 418}).action, 'fail');
		assert.equal(classify({status: 418}).retryable, false);
		assert.equal(classify({status: 308}).kind, 'moved_permanently');
		assert.equal(classify({status: 308}).title, 'Permanent Redirect');
		assert.equal(classify({status: 201}).action, 'deliver');
	});
});

describe('wait hints', () => {
	const nowMs = Date.UTC(2026, 10, 24, 10, 0, 0);

	test('Retry-After as seconds and as an HTTP-date relative to the Date header', () => {
		assert.equal(classify({status: 503, headers: {'Retry-After': '120'}}).retryAfterMs, 120_000);
		const headers = new Headers({'retry-after': 'Tue, 24 Nov 2026 10:00:30 GMT', date: 'Tue, 24 Nov 2026 10:00:00 GMT'});
		// The client clock is an hour off; the Date header keeps the wait right.
		assert.equal(classify({status: 503, headers}, {nowMs: nowMs + 3_600_000}).retryAfterMs, 30_000);
		assert.equal(classify({status: 503, headers: [['retry-after', 'Tue, 24 Nov 2026 10:00:05 GMT']]}, {nowMs}).retryAfterMs, 5000);
	});

	test('garbage and hostile Retry-After values count as absent; huge ones saturate', () => {
		// Seconds with a fraction (Shopify's 2.0) and OpenAI's millisecond hint are read.
		assert.equal(classify({status: 429, headers: {'retry-after': '2.0'}}).retryAfterMs, 2000);
		assert.equal(classify({status: 429, headers: {'retry-after-ms': '1500', 'retry-after': '2'}}).retryAfterMs, 1500);
		for (const value of ['-1', '1.5555', '5s', 'soon', '2026-11-24T10:00:00Z', '', '0x10', 'Tue, 30 Feb 2026 10:00:00 GMT', '1, 2']) {
			assert.equal(classify({status: 503, headers: {'retry-after': value}}).retryAfterMs, null, JSON.stringify(value));
		}

		assert.equal(classify({status: 503, headers: {'retry-after': '9'.repeat(40)}}).retryAfterMs, Number.MAX_SAFE_INTEGER);
		assert.equal(classify({status: 503, headers: {'retry-after': 'Sun, 06 Nov 1994 08:49:37 GMT'}}, {nowMs}).retryAfterMs, 0);
	});

	test('rate-limit headers fill the wait when Retry-After is absent; Retry-After wins', () => {
		assert.equal(classify({status: 429, headers: {ratelimit: '"default";r=0;t=30'}}).retryAfterMs, 30_000);
		assert.equal(classify({status: 429, headers: {ratelimit: '"default";r=0;t=30', 'retry-after': '2'}}).retryAfterMs, 2000);
		assert.equal(classify({status: 429, headers: {'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(nowMs / 1000 + 90)}}, {nowMs}).retryAfterMs, 90_000);
		assert.equal(classify({status: 429, headers: {'x-ratelimit-remaining': '5', 'x-ratelimit-reset': '30'}}).retryAfterMs, null);
	});

	test('a wait stated in the body is read without any header the core reads (a cross-origin reply shows no Date)', () => {
		const retryInfo = {error: {details: [{'@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '3s'}]}};
		assert.equal(classify({status: 429, body: retryInfo}).retryAfterMs, 3000);
		assert.equal(classify({status: 429, headers: {'content-type': 'application/json'}, body: JSON.stringify(retryInfo)}).retryAfterMs, 3000);
		assert.equal(classify({status: 403, body: {message: 'You have exceeded a secondary rate limit.'}}).retryAfterMs, 60_000);
		assert.equal(classify({status: 429, body: {status: 'error', policyName: 'TEN_SECONDLY_ROLLING'}}).retryAfterMs, 10_000);
		const shopify = {errors: [{message: 'Throttled', extensions: {code: 'THROTTLED'}}], extensions: {cost: {requestedQueryCost: 202, throttleStatus: {currentlyAvailable: 118, restoreRate: 50}}}};
		const profile = createProfile({rules: [{status: 200, kind: 'throttled', bodyIncludes: ['"THROTTLED"']}]});
		assert.equal(classify({status: 200, body: shopify}, {profile}).retryAfterMs, 1680);
		assert.equal(classify({status: 200, body: shopify}).retryAfterMs, null, 'a success has no wait');
		assert.equal(classify({status: 429, body: {message: 'Too Many Requests'}}).retryAfterMs, null);
	});

	test('a real Response from fetch is classified with its headers', async () => {
		const response = new Response('{"message":"Too Many Requests"}', {status: 429, headers: {'retry-after': '3'}});
		const verdict = classify(response);
		assert.equal(verdict.kind, 'throttled');
		assert.equal(verdict.retryAfterMs, 3000);
		assert.equal(await response.text(), '{"message":"Too Many Requests"}', 'the body is left unread');
	});
});

describe('bad input is a clear error, never a trap', () => {
	test('impossible statuses are RangeErrors with ERR_STATUS_RANGE', () => {
		for (const status of [0, 99, 600, 1.5, Number.NaN, Infinity, -Infinity, -200, 2 ** 53, 1e300]) {
			assert.throws(() => classify({status}), error => error instanceof RangeError && error.code === 'ERR_STATUS_RANGE' && /100 to 599/.test(error.message), String(status));
		}
	});

	test('non-number statuses are TypeErrors with ERR_STATUS_TYPE', () => {
		for (const status of ['503', undefined, null, {}, [], true, 10n, Symbol('s'), () => 503]) {
			assert.throws(() => classify({status}), error => error instanceof TypeError && error.code === 'ERR_STATUS_TYPE', String(typeof status));
		}
	});

	test('wrong argument and option types name what is wrong', () => {
		for (const input of [undefined, null, 503, 'x']) {
			assert.throws(() => classify(input), {name: 'TypeError', code: 'ERR_INVALID_ARGUMENT'});
		}

		assert.throws(() => classify({status: 200}, {nowMs: 'now'}), {code: 'ERR_INVALID_ARGUMENT', message: /`nowMs`/});
		assert.throws(() => classify({status: 200}, {nowMs: -1}), {code: 'ERR_INVALID_ARGUMENT', message: /`nowMs`/});
		assert.throws(() => classify({status: 200}, {profil: {}}), {code: 'ERR_INVALID_ARGUMENT', message: /`profil`/});
		assert.throws(() => classify({status: 200}, {profile: {rules: []}}), {code: 'ERR_INVALID_ARGUMENT', message: /createProfile/});
		assert.throws(() => classify({status: 200, headers: 'retry-after: 1'}), {code: 'ERR_INVALID_ARGUMENT', message: /`headers`/});
		assert.throws(() => classify({status: 200, headers: [['a']]}), {code: 'ERR_INVALID_ARGUMENT', message: /headers\[0\]/});
		assert.throws(() => classify({status: 200, headers: {'retry-after': '1\r\nx: y'}}), {code: 'ERR_INVALID_ARGUMENT', message: /retry-after/});
		assert.throws(() => classify({status: 404, body: new ReadableStream()}), {code: 'ERR_INVALID_ARGUMENT', message: /`body`/});
		assert.throws(() => classify({status: 404, body: 42}), {code: 'ERR_INVALID_ARGUMENT', message: /`body`/});
		const cyclic = {};
		cyclic.self = cyclic;
		assert.throws(() => classify({status: 404, body: cyclic}), {code: 'ERR_INVALID_ARGUMENT', message: /`body`/});
		assert.throws(() => classify({status: 200, method: 5}), {code: 'ERR_INVALID_ARGUMENT', message: /`method`/});
	});

	test('hostile sizes are bounded and the module keeps working', () => {
		const huge = 'x'.repeat(5_000_000);
		assert.equal(classify({status: 404, body: huge}).kind, 'not_found');
		assert.equal(classify({status: 503, headers: {'retry-after': huge}}).retryAfterMs, null);
		assert.equal(classify({status: 429, body: `${huge}Limit Exceeded`}).kind, 'throttled', 'only the start of a body is read');
		assert.equal(classify({status: 503, headers: {'retry-after': '1'}}).retryAfterMs, 1000);
	});

	test('a NUL in a header value leaves that header out; a NUL in a body is read past', () => {
		// HTTP forbids NUL in a field value; such a value must neither be read nor end the headers early.
		assert.equal(classify({status: 503, headers: {'retry-after': '7\0'}}).retryAfterMs, null);
		assert.equal(classify({status: 503, headers: [['retry-after', '7\0'], ['retry-after-ms', '1500']]}).retryAfterMs, 1500);
		const nulBody = {status: 429, headers: {date: 'Tue, 24 Nov 2026 10:00:00 GMT'}, body: 'a\0b\0Limit Exceeded'};
		assert.equal(classify(nulBody).kind, 'quota_exceeded', 'the body past its NULs is read');
		assert.equal(classify({...nulBody, body: 'a\0b\0'}).kind, 'throttled');
		assert.equal(classify({status: 403, headers: {'retry-after': '\0'}, body: '\0secondary rate limit'}).retryAfterMs, 60_000);
	});

	test('after thousands of bad calls the instance still classifies', () => {
		for (let index = 0; index < 5000; index++) {
			assert.throws(() => classify({status: index % 2 ? 600 : Number.NaN}));
		}

		assert.equal(classify({status: 503, headers: {'retry-after': '4'}}).retryAfterMs, 4000);
	});
});

describe('verdicts are values', () => {
	test('frozen, and equal verdicts without a wait are shared', () => {
		const first = classify({status: 500});
		assert.ok(Object.isFrozen(first));
		assert.equal(classify({status: 500}), first);
		const withWait = classify({status: 500, headers: {'retry-after': '1'}});
		assert.ok(Object.isFrozen(withWait));
		assert.notEqual(withWait, first);
		assert.equal(first.retryAfterMs, null);
	});
});

describe('profiles', () => {
	test('rules override the built-in variant rules; the first match wins', () => {
		const profile = createProfile({rules: [
			{status: 404, kind: 'wrong_identifier', bodyIncludes: ['no such user']},
			{status: 429, kind: 'quota_exceeded', header: {name: 'X-Quota-Remaining', equals: '0'}},
			{status: 429, kind: 'throttled', header: {name: 'X-Quota-Remaining'}},
			{status: 503, kind: 'gone', bodyIncludes: ['decommissioned']},
		]});
		assert.equal(classify({status: 404, body: 'No Such User here'}, {profile}).kind, 'wrong_identifier');
		assert.equal(classify({status: 404, body: 'Cannot GET /x'}, {profile}).kind, 'invalid_route', 'falls back to the built-in rules');
		assert.equal(classify({status: 429, body: 'Too Many Requests', headers: {'x-quota-remaining': '0'}}, {profile}).kind, 'quota_exceeded');
		assert.equal(classify({status: 429, body: 'Limit Exceeded', headers: {'x-quota-remaining': '3'}}, {profile}).kind, 'throttled');
		const gone = classify({status: 503, body: 'This API was decommissioned', headers: {'retry-after': '5'}}, {profile});
		assert.equal(gone.kind, 'gone');
		assert.equal(gone.action, 'purge_cache');
		assert.equal(gone.retryAfterMs, 5000);
		// Rules with and without header fields and patterns cross in one call and stay aligned.
		const mixed = createProfile({rules: [
			{status: 409, kind: 'gone', header: {name: 'x-a', includes: 'old'}, bodyIncludes: ['one', 'two']},
			{status: 409, kind: 'wrong_identifier', bodyIncludes: ['three']},
			{status: 409, kind: 'invalid_route', header: {name: 'x-b', equals: ''}},
		]});
		assert.equal(classify({status: 409, headers: {'x-a': 'too OLD'}, body: 'x two x'}, {profile: mixed}).kind, 'gone');
		assert.equal(classify({status: 409, headers: {'x-a': 'new'}, body: 'x three'}, {profile: mixed}).kind, 'wrong_identifier');
		assert.equal(classify({status: 409, headers: {'x-b': ''}, body: 'none'}, {profile: mixed}).kind, 'invalid_route');
		assert.equal(classify({status: 409, body: 'two'}, {profile: mixed}).kind, 'client_error');
		profile.free();
		assert.throws(() => classify({status: 404}, {profile}), {code: 'ERR_INVALID_ARGUMENT', message: /freed/});
	});

	test('bad profiles are rejected up front, naming the field', () => {
		const cases = [
			[{rules: [{status: 404, kind: 'nope'}]}, /`rules\[0\]\.kind`/],
			[{rules: [{status: 404, kind: 'timeout'}]}, /`rules\[0\]\.kind`/],
			[{rules: [{status: 404, kind: 'gone', extra: 1}]}, /`rules\[0\]\.extra`/],
			[{rule: []}, /`rule`/],
			[{rules: [{status: '404', kind: 'gone'}]}, /`rules\[0\]\.status`/],
			[{rules: [{status: 404.5, kind: 'gone'}]}, /`rules\[0\]\.status`/],
			[{rules: [{status: 600, kind: 'gone'}]}, /`rules\[0\]\.status`/],
			[{rules: [{kind: 'gone'}]}, /status/],
			[{rules: [{status: 404, kind: 'gone'}, {status: 404, kind: 'gone', bodyIncludes: 'x'}]}, /`rules\[1\]\.bodyIncludes`/],
			[{rules: [{status: 404, kind: 'gone', bodyIncludes: ['']}]}, /`rules\[0\]\.bodyIncludes\[0\]`/],
			[{rules: [{status: 404, kind: 'gone', header: {name: 'bad name'}}]}, /`rules\[0\]\.header\.name`/],
			[{rules: [{status: 404, kind: 'gone', header: {name: 'x', equals: 'a', includes: 'b'}}]}, /`rules\[0\]\.header\.equals`/],
			[{rules: [{status: 404, kind: 'gone', header: {name: 'x', value: 'a'}}]}, /`rules\[0\]\.header\.value`/],
			[{rules: [{status: 404, kind: 'gone', bodyIncludes: [/regex/]}]}, /`profile\.rules\[0\]\.bodyIncludes\[0\]`/],
			[{rules: [{status: 404, kind: 'gone', bodyIncludes: [() => 1]}]}, /bodyIncludes\[0\]/],
			[{rules: 'all'}, /`rules`/],
			[{rules: [{status: 404, kind: 'gone'}, {status: 404, kind: 'gone', bodyIncludes: ['a\0b']}]}, /`rules\[1\]` has a string with a NUL character/],
			[{rules: [{status: 404, kind: 'gone', header: {name: 'x', includes: 'a\0b'}}]}, /`rules\[0\]` has a string with a NUL/],
		];
		for (const [spec, message] of cases) {
			assert.throws(() => createProfile(spec), error => error instanceof TypeError && error.code === 'ERR_INVALID_PROFILE' && message.test(error.message), JSON.stringify(spec) ?? String(spec));
		}

		for (const spec of [undefined, null, 'x', [], new Map()]) {
			assert.throws(() => createProfile(spec), {name: 'TypeError', code: 'ERR_INVALID_PROFILE'});
		}
	});

	test('a throwing getter in a profile is a clear error, not a broken instance', () => {
		const rule = {status: 404, kind: 'gone'};
		Object.defineProperty(rule, 'bodyIncludes', {enumerable: true, get() {
			throw new Error('getter');
		}});
		assert.throws(() => createProfile({rules: [rule]}), {message: 'getter'});
		assert.equal(classify({status: 503, headers: {'retry-after': '1'}}).retryAfterMs, 1000);
	});
});
