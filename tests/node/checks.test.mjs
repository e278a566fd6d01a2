// The package's wasm checks no option and no profile rule: its JavaScript does, with the core's own
// tables (pkg-template/checks.js; CHECKED_HERE in src/option_check.rs). examples/core_tables.rs
// writes samples.json's `refusals`: options and profiles at the edges of every range, and orders
// of several bad values, each with the sentence the core refuses it with natively (or null). The
// package must accept and refuse exactly the same, with the same sentence and code.

import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {ClientState, createProfile, RetryPolicy} from '../../pkg/node.js';

const {refusals} = JSON.parse(readFileSync(new URL('../../target/core-tables/samples.json', import.meta.url), 'utf8'));

const MAKE = {
	retry: options => new RetryPolicy({seed: 1, ...options}),
	state: options => new ClientState(options),
	profile: options => createProfile(options),
};
const CODES = {retry: 'ERR_INVALID_OPTION', state: 'ERR_INVALID_OPTION', profile: 'ERR_INVALID_PROFILE'};

test('the package accepts and refuses every sample as the core does natively', () => {
	assert.ok(refusals.length > 400, `${refusals.length} samples`);
	const refused = refusals.filter(sample => sample.message !== null);
	// Both outcomes are sampled for every concept.
	for (const concept of Object.keys(MAKE)) {
		assert.ok(refused.some(sample => sample.concept === concept), `a ${concept} refused`);
		assert.ok(refusals.some(sample => sample.concept === concept && sample.message === null), `a ${concept} accepted`);
	}

	for (const {concept, options, message} of refusals) {
		const where = `${concept} ${JSON.stringify(options).slice(0, 120)}`;
		if (message === null) {
			MAKE[concept](options).free();
			continue;
		}

		assert.throws(() => MAKE[concept](options), error => {
			assert.equal(error.message, message, where);
			assert.equal(error.code, CODES[concept], where);
			assert.equal(error.constructor, concept === 'profile' ? TypeError : RangeError, where);
			return true;
		}, where);
	}
});

test('values the core keeps are the checked ones: milliseconds rounded up, Infinity bounded', () => {
	// 0.5 ms of budget window is 1 ms after rounding up, which the window's lower bound accepts.
	new ClientState({retryBudget: {windowMs: 0.5}}).free();
	const policy = new RetryPolicy({seed: 1, jitter: 'none', baseDelayMs: 99.2, maxDelayMs: Infinity, multiplier: 10, maxAttempts: 4});
	assert.deepEqual(policy.plan(), [100, 1000, 10_000]);
	assert.throws(() => new RetryPolicy({baseDelayMs: Infinity}), {message: 'Expected `baseDelayMs` to be a number of milliseconds from 0 to 2^53 - 1.'});
	assert.throws(() => new RetryPolicy({baseDelayMs: Number.NaN}), {message: 'Expected `baseDelayMs` to be a number of milliseconds from 0 to 2^53 - 1.'});
	assert.throws(() => new ClientState({circuitBreaker: {failureRatio: Number.NaN}}), {message: 'Expected `circuitBreaker.failureRatio` to be a number above 0 and at most 1.'});
});
