// Two builds of the package side by side in one process: the core's per-request calls (classify with
// and without headers, rate-limit headers, decide with and without headers) alternated over rounds so
// that drift hits both alike; prints the median ns per call of each and the ratio B/A.
// Usage: node benches/compare-packages.mjs DIR_A DIR_B [rounds]   (each DIR holds a built pkg/, e.g. a
// copy of pkg/ made before a change: `cp -r pkg /tmp/pkg-before`).
import {resolve} from 'node:path';
import {pathToFileURL} from 'node:url';

const [dirA, dirB, roundsText = '11'] = process.argv.slice(2);
if (!dirA || !dirB) {
	console.error('usage: node benches/compare-packages.mjs DIR_A DIR_B [rounds]');
	process.exit(2);
}

const load = dir => import(pathToFileURL(resolve(dir, 'node.js')).href);
const [a, b] = [await load(dirA), await load(dirB)];
const rounds = Number(roundsText);
const ITERATIONS = 60_000;
const STATUSES = [200, 503, 404, 500, 429, 301];
const NOW_MS = Date.UTC(2026, 10, 24, 10, 0, 0);
const headers = {'retry-after': '2', date: 'Tue, 24 Nov 2026 10:00:00 GMT'};
const rateLimit = {'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1795000000', ratelimit: 'limit=10, remaining=0, reset=5', date: 'Tue, 24 Nov 2026 10:00:00 GMT'};

function cases(pkg) {
	const policy = new pkg.RetryPolicy({seed: 1});
	const each = make => STATUSES.map(status => make(status));
	const bare = each(status => ({status}));
	const withHeaders = each(status => ({status, headers}));
	const withRateLimit = each(status => ({status, headers: rateLimit}));
	const outcomes = each(status => ({attempt: 1, status, nowMs: NOW_MS}));
	const outcomesWithHeaders = each(status => ({attempt: 1, status, responseHeaders: headers, nowMs: NOW_MS}));
	return {
		'classify({status})': index => pkg.classify(bare[index % 6]).kind.length,
		'classify + Retry-After, Date': index => pkg.classify(withHeaders[index % 6], {nowMs: NOW_MS}).kind.length,
		'classify + rate-limit headers': index => pkg.classify(withRateLimit[index % 6], {nowMs: NOW_MS}).kind.length,
		'policy.decide': index => policy.decide(outcomes[index % 6]).delayMs,
		'policy.decide + headers': index => policy.decide(outcomesWithHeaders[index % 6]).delayMs,
	};
}

/** ns per call of `body` over ITERATIONS calls, after a warm-up. */
function measure(body) {
	let sink = 0;
	for (let index = 0; index < 20_000; index++) {
		sink += body(index);
	}

	const started = process.hrtime.bigint();
	for (let index = 0; index < ITERATIONS; index++) {
		sink += body(index);
	}

	const ns = Number(process.hrtime.bigint() - started) / ITERATIONS;
	return sink === -1 ? Number.NaN : ns;
}

const [casesA, casesB] = [cases(a), cases(b)];
const samples = Object.fromEntries(Object.keys(casesA).map(name => [name, [[], []]]));
for (let round = 0; round < rounds; round++) {
	for (const name of Object.keys(casesA)) {
		samples[name][0].push(measure(casesA[name]));
		samples[name][1].push(measure(casesB[name]));
	}
}

const median = values => values.toSorted((x, y) => x - y)[values.length >> 1];
console.log(`A = ${dirA}, B = ${dirB}; Node ${process.version}, ${rounds} alternating rounds, median ns per call`);
for (const [name, [timesA, timesB]] of Object.entries(samples)) {
	const [medianA, medianB] = [median(timesA), median(timesB)];
	console.log(`  ${name.padEnd(32)} A ${medianA.toFixed(1).padStart(8)}  B ${medianB.toFixed(1).padStart(8)}  B/A ${(medianB / medianA).toFixed(2)}×`);
}
