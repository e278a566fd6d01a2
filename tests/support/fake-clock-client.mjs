// A createFetch client on a fake clock for the wrapper's tests: every sleep it asks for is recorded
// in `waits` and moves the clock instead of waiting, so timing is asserted exactly, without sleeps.
import assert from 'node:assert/strict';
import {createFetch} from '../../pkg/node.js';

/**
 * @param {object} [options] createFetch options, overriding the seeded, jitter-free defaults here.
 * @param {(verdict) => unknown} [recordVerdict] what `verdicts` keeps of each attempt's verdict.
 */
export function fakeClockClient(options = {}, recordVerdict = verdict => verdict) {
	let nowMs = Date.now();
	const waits = [];
	const verdicts = [];
	const fetch = createFetch({
		seed: 7,
		jitter: 'none',
		baseDelayMs: 100,
		now: () => nowMs,
		async sleep(ms, signal) {
			signal?.throwIfAborted();
			waits.push(ms);
			nowMs += ms;
		},
		onVerdict(verdict) {
			verdicts.push(recordVerdict(verdict));
		},
		...options,
	});
	return {fetch, waits, verdicts};
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
