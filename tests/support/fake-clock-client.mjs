// A createFetch client on a fake clock for the wrapper's tests: every sleep it asks for is recorded
// in `waits` and moves the clock instead of waiting, so timing is asserted exactly, without sleeps.
import assert from 'node:assert/strict';
import {setImmediate as tick} from 'node:timers/promises';
import {createFetch} from '../../pkg/node.js';

/**
 * @param {object} [options] createFetch options, overriding the seeded, jitter-free defaults here.
 * @param {(verdict) => unknown} [recordVerdict] what `verdicts` keeps of each attempt's verdict.
 * @param {{startMs?: number, checkWait?: (ms: number) => void}} [clockOptions] where the clock
 *   starts, and a check every wait asked for must pass.
 * @returns {{fetch, waits: number[], verdicts: unknown[], clock: {nowMs: number}}}
 */
export function fakeClockClient(options = {}, recordVerdict = verdict => verdict, {startMs = Date.now(), checkWait} = {}) {
	const clock = {nowMs: startMs};
	const waits = [];
	const verdicts = [];
	const fetch = createFetch({
		seed: 7,
		jitter: 'none',
		baseDelayMs: 100,
		now: () => clock.nowMs,
		// Concurrent sleeps end where the latest of them does, after a turn of the event loop (so
		// that the other requests in flight move on first), as they would on a real clock.
		async sleep(ms, signal) {
			signal?.throwIfAborted();
			checkWait?.(ms);
			waits.push(ms);
			const wakeMs = clock.nowMs + ms;
			await tick();
			signal?.throwIfAborted();
			clock.nowMs = Math.max(clock.nowMs, wakeMs);
		},
		onVerdict(verdict) {
			verdicts.push(recordVerdict(verdict));
		},
		...options,
	});
	return {fetch, waits, verdicts, clock};
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejection(promise) {
	try {
		await promise;
	} catch (error) {
		return error;
	}

	assert.fail('expected a rejection');
}
