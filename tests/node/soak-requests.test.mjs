// Leaks under load, in a child process run with --expose-gc, against a node:http server on
// 127.0.0.1 in this process (tests/support/soak-requests.mjs): 100,000 requests through one
// createFetch client (its defaults; a tenth retried once after a 503, with an injected zero-delay
// sleep), then 30,000 with a per-attempt timeout and one long-lived caller signal. The wasm memory
// must not grow and the JS heap only by a small margin. The figures are printed for the README.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {after, before, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {startSoakServer} from '../support/soak-requests.mjs';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../support/soak-requests.mjs', import.meta.url));
const MB = 1e6;

let server;
before(async () => {
	server = await startSoakServer();
});
after(() => server.close());

async function soak(t, total, mode) {
	const requestsBefore = server.counts.requests;
	const {stdout} = await run(process.execPath, ['--expose-gc', script, String(total), mode, server.origin], {timeout: 120_000});
	const report = JSON.parse(stdout);
	const {before, after} = report;
	t.diagnostic(`${mode}: ${report.requests} requests (${report.attempts} attempts, ${report.retried} retried after a 503) in ${report.seconds.toFixed(1)} s (${report.usPerRequest.toFixed(0)} µs each, ${report.concurrency} in flight); heap ${(before.heapUsedBytes / MB).toFixed(2)} → ${(after.heapUsedBytes / MB).toFixed(2)} MB; wasm memory ${(before.wasmMemoryBytes / MB).toFixed(2)} → ${(after.wasmMemoryBytes / MB).toFixed(2)} MB`);
	assert.equal(report.lastError, null);
	assert.equal(report.requests, total);
	assert.equal(report.ok, total, 'every request resolved');
	assert.equal(report.failed, 0);
	assert.equal(report.retried, total / report.flakyEvery, 'every 503 was retried once');
	assert.equal(report.attempts, total + report.retried);
	assert.equal(report.bytes, total * 'hello world'.length, 'every body was read');
	// The server saw the warm-up and the measured run: one request per attempt, nothing more.
	const warmAttempts = report.warmUp + report.warmUp / report.flakyEvery;
	assert.equal(server.counts.requests - requestsBefore, report.attempts + warmAttempts);
	assert.equal(after.wasmMemoryBytes, before.wasmMemoryBytes, 'the wasm memory did not grow');
	return report;
}

const heapGrowth = ({before, after}) => after.heapUsedBytes - before.heapUsedBytes;

test('100,000 wrapped requests (defaults): stable wasm memory and JS heap', async t => {
	const report = await soak(t, 100_000, 'defaults');
	assert.ok(heapGrowth(report) < 3 * MB, `heap grew by ${heapGrowth(report)} bytes`);
});

test('30,000 requests with a per-attempt timeout and one long-lived caller signal: nothing accumulates on the signal', async t => {
	const report = await soak(t, 30_000, 'signal');
	t.diagnostic(`the caller's signal holds ${report.callerSignal.abortListeners} abort listener(s) and ${report.callerSignal.dependantSignals} combined signal(s)`);
	// Combining the caller's signal with AbortSignal.any left an entry in it per attempt on Node 20
	// (38,500 here, about 90 bytes each); a listener per attempt would be the same leak.
	assert.ok(report.callerSignal.abortListeners <= 1, `${report.callerSignal.abortListeners} abort listeners`);
	assert.ok(report.callerSignal.dependantSignals <= report.concurrency, `${report.callerSignal.dependantSignals} combined signals`);
	assert.ok(heapGrowth(report) < 2 * MB, `heap grew by ${heapGrowth(report)} bytes`);
});
