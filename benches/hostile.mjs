// The worst `classify` a hostile reply can cause within the limits (SECURITY.md "Limits"), side by side
// with an ordinary one, in one run: `node benches/hostile.mjs` after `bash scripts/build.sh`. Prints µs
// per call and the ratio to the ordinary case. Figures, not pass/fail (the bounds themselves are tested
// in tests/node/hostile.test.mjs and the core's tests).
import {classify, createProfile} from '../pkg/node.js';

const NOW_MS = Date.UTC(2026, 10, 24, 10, 0, 0);
const DATE = 'Tue, 24 Nov 2026 10:00:00 GMT';
const VALUE_CHARS = 4096;

/** Runs `body` for at least 200 ms after a warm-up; returns µs per call. */
function measure(body) {
	for (let index = 0; index < 20; index++) {
		body();
	}

	for (let iterations = 50; ; iterations *= 2) {
		const started = process.hrtime.bigint();
		for (let index = 0; index < iterations; index++) {
			body();
		}

		const elapsedNs = Number(process.hrtime.bigint() - started);
		if (elapsedNs >= 200e6) {
			return elapsedNs / iterations / 1000;
		}
	}
}

// Every header the core reads, each at the longest value it still parses, each a near miss.
const longList = 'a=1, '.repeat(VALUE_CHARS / 5).slice(0, VALUE_CHARS);
const longestHeaders = {
	'retry-after': `${'9'.repeat(VALUE_CHARS - 1)}x`,
	date: `${'Tue, 24 Nov 2026 10:00:00 GMT,'.repeat(200)}`.slice(0, VALUE_CHARS),
	ratelimit: longList,
	'ratelimit-policy': longList,
	'ratelimit-reset': `${'1'.repeat(VALUE_CHARS - 1)}x`,
	'ratelimit-remaining': longList,
	'ratelimit-limit': longList,
	'x-ratelimit-remaining': longList,
	'x-ratelimit-reset': `${'1.'.repeat(VALUE_CHARS / 2)}`,
	'x-ratelimit-limit': longList,
	'x-amzn-errortype': 'x'.repeat(VALUE_CHARS),
};
const flood = Array.from({length: 10_000}, (_, index) => [index % 2 ? 'ratelimit' : 'retry-after', index % 2 ? 'limit=10, remaining=0, reset=3' : '2']);
// A body of near misses of the route and quota phrases, longer than the window the core reads.
const nearMissBody = 'invalid rout quota exceede throttle no such endpoin '.repeat(200);
const hugeJsonBody = {message: 'x'.repeat(50 * 1024 * 1024)};

// The worst profile the limits accept: 4096 pattern bytes of `a…ab` against a body and header of `a`.
const pattern = `${'a'.repeat(255)}b`;
const worstProfile = createProfile({rules: [
	{status: 404, kind: 'invalid_route', bodyIncludes: Array.from({length: 16}, () => pattern)},
]});
const worstHeaderProfile = createProfile({rules: [
	{status: 404, kind: 'invalid_route', header: {name: 'x-route', includes: pattern}},
	...Array.from({length: 7}, () => ({status: 404, kind: 'wrong_identifier', header: {name: 'x-route', includes: pattern}})),
]});
const allA = 'a'.repeat(VALUE_CHARS);

const cases = [
	['ordinary: 429 with Retry-After, Date and a body', () => classify({status: 429, headers: {'retry-after': '2', date: DATE}, body: 'Too many requests'}, {nowMs: NOW_MS})],
	['every core header at its longest, near misses', () => classify({status: 429, headers: longestHeaders}, {nowMs: NOW_MS})],
	['10,000 header lines (Retry-After, RateLimit)', () => classify({status: 429, headers: flood}, {nowMs: NOW_MS})],
	['404 with an 8 KB body of near-miss phrases', () => classify({status: 404, body: nearMissBody})],
	['429 with a parsed 50 MB JSON message', () => classify({status: 429, body: hugeJsonBody})],
	['worst profile: 4 KB of body patterns, near miss', () => classify({status: 404, body: allA}, {profile: worstProfile})],
	['worst profile: header includes, near miss', () => classify({status: 404, headers: {'x-route': allA}}, {profile: worstHeaderProfile})],
];

const rows = cases.map(([name, body]) => [name, measure(body)]);
const ordinaryUs = rows[0][1];
console.log(`classify under hostile input (Node ${process.version}), µs per call:`);
for (const [name, us] of rows) {
	console.log(`  ${name.padEnd(50)} ${us.toFixed(1).padStart(9)} µs  ${(us / ordinaryUs).toFixed(1).padStart(7)}× ordinary`);
}
