// The core's per-request work from JavaScript, through the wasm boundary, next to a plain JS
// function that does the same status switch. Run with `bash scripts/bench.sh` (which builds pkg/
// first) or `node benches/js-core.mjs`. Prints ns per call and the ratio to the plain switch.
import {classify, RetryPolicy} from '../pkg/node.js';

const STATUSES = [200, 503, 404, 500, 429, 301];
const NOW_MS = Date.UTC(2026, 10, 24, 10, 0, 0);

// The baseline: what a hand-written classifier does, returning a shared frozen object per status
// as `classify` does.
const plain = Object.fromEntries([
	[200, 'ok', 'deliver'], [301, 'moved_permanently', 'update_url'], [404, 'not_found', 'fail'],
	[429, 'throttled', 'retry'], [500, 'internal_server_error', 'retry'], [503, 'service_unavailable', 'retry'],
].map(([status, kind, action]) => [status, Object.freeze({status, kind, action})]));
const otherVerdict = Object.freeze({status: 0, kind: 'other', action: 'fail'});

function plainClassify(status) {
	switch (status) {
		case 200: {
			return plain[200];
		}

		case 301: {
			return plain[301];
		}

		case 404: {
			return plain[404];
		}

		case 429: {
			return plain[429];
		}

		case 500: {
			return plain[500];
		}

		case 503: {
			return plain[503];
		}

		default: {
			return otherVerdict;
		}
	}
}

/** Runs `body` for at least 300 ms after a warm-up; returns ns per call. */
function measure(body) {
	let sink = 0;
	for (let index = 0; index < 100_000; index++) {
		sink += body(index);
	}

	for (let iterations = 200_000; ; iterations *= 2) {
		const started = process.hrtime.bigint();
		for (let index = 0; index < iterations; index++) {
			sink += body(index);
		}

		const elapsedNs = Number(process.hrtime.bigint() - started);
		if (elapsedNs >= 300e6) {
			if (sink === -1) {
				console.log('unreachable');
			}

			return elapsedNs / iterations;
		}
	}
}

const policy = new RetryPolicy({seed: 1});
const headers = {'retry-after': '2', date: 'Tue, 24 Nov 2026 10:00:00 GMT'};
const inputs = STATUSES.map(status => ({status}));
const withHeaders = STATUSES.map(status => ({status, headers}));
const outcomes = STATUSES.map(status => ({attempt: 1, status, nowMs: NOW_MS}));
const outcomesWithHeaders = STATUSES.map(status => ({attempt: 1, status, responseHeaders: headers, nowMs: NOW_MS}));

const baseline = measure(index => plainClassify(STATUSES[index % 6]).kind.length);
const rows = [
	['plain JS switch (baseline)', baseline],
	['classify({status})', measure(index => classify(inputs[index % 6]).kind.length)],
	['classify({status, headers})', measure(index => classify(withHeaders[index % 6], {nowMs: NOW_MS}).kind.length)],
	['policy.decide({attempt, status})', measure(index => policy.decide(outcomes[index % 6]).delayMs)],
	['policy.decide(… with headers)', measure(index => policy.decide(outcomesWithHeaders[index % 6]).delayMs)],
];
console.log(`JS through wasm (Node ${process.version}):`);
for (const [name, ns] of rows) {
	console.log(`  ${name.padEnd(34)} ${ns.toFixed(1).padStart(8)} ns/call  ${(ns / baseline).toFixed(1).padStart(6)}× the plain switch`);
}
