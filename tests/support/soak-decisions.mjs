// Soak: N retry decisions (with headers, with shared state, with profiles created and dropped) in
// one process, reporting the JS heap and the wasm memory before and after, as JSON on stdout.
// Run with --expose-gc so that heap figures are taken after a full collection.
import {importWithInstance} from './wasm-instance.mjs';

const total = Number(process.argv[2] ?? 1_000_000);
// The package's own instance, memory included.
const {pkg: {classify, ClientState, createProfile, RetryPolicy}, wasm} = await importWithInstance();

function snapshot() {
	globalThis.gc?.();
	return {heapUsedBytes: process.memoryUsage().heapUsed, wasmMemoryBytes: wasm.memory.buffer.byteLength};
}

const policy = new RetryPolicy({seed: 1});
const state = new ClientState();
const headers = {'retry-after': '1', date: 'Tue, 24 Nov 2026 10:00:00 GMT', 'x-ratelimit-remaining': '0'};
const statuses = [503, 429, 500, 502, 504, 404, 200];
let sink = 0;
function work(count, offset) {
	for (let index = 0; index < count; index++) {
		const status = statuses[index % statuses.length];
		const decision = index % 4 === 0
			? policy.decide({attempt: (index % 3) + 1, status, responseHeaders: headers, origin: `https://o${index % 100}.test`, nowMs: 1e12 + offset + index}, state)
			: policy.decide({attempt: (index % 3) + 1, status, nowMs: 1e12 + offset + index});
		sink += decision.delayMs;
		if (index % 50_000 === 0) {
			sink += decision.message.length;
			// Objects holding wasm memory, dropped without free(): the finaliser must reclaim them.
			createProfile({rules: [{status: 404, kind: 'gone', bodyIncludes: ['x']}]});
			sink += classify({status: 404, body: 'x'}).status;
		}
	}
}

// Warm up so that lazily built tables and the allocator's first growth are in the baseline.
work(200_000, 0);
const before = snapshot();
const started = process.hrtime.bigint();
work(total, 200_000);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const after = snapshot();
console.log(JSON.stringify({decisions: total, seconds, nsPerDecision: (seconds * 1e9) / total, before, after, sink: sink > 0}));
