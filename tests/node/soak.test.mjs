// Leaks under load: ten million decisions in a child process (run with --expose-gc) must leave the
// wasm memory where it was and the JS heap within a small margin. The figures are printed for the
// README.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../support/soak-decisions.mjs', import.meta.url));

test('10 million decisions: stable wasm memory and JS heap', async t => {
	const {stdout} = await run(process.execPath, ['--expose-gc', script, '10000000'], {timeout: 120_000});
	const report = JSON.parse(stdout);
	t.diagnostic(`10M decisions in ${report.seconds.toFixed(1)} s (${report.nsPerDecision.toFixed(0)} ns each); heap ${(report.before.heapUsedBytes / 1e6).toFixed(2)} → ${(report.after.heapUsedBytes / 1e6).toFixed(2)} MB; wasm memory ${(report.before.wasmMemoryBytes / 1e6).toFixed(2)} → ${(report.after.wasmMemoryBytes / 1e6).toFixed(2)} MB`);
	assert.equal(report.decisions, 10_000_000);
	assert.equal(report.after.wasmMemoryBytes, report.before.wasmMemoryBytes, 'the wasm memory did not grow');
	assert.ok(report.after.heapUsedBytes - report.before.heapUsedBytes < 2_000_000, `heap grew by ${report.after.heapUsedBytes - report.before.heapUsedBytes} bytes`);
});
