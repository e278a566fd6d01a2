// Random values of every JS type thrown at every export, for a bounded number of calls: each call
// returns or throws a documented error (a TypeError or RangeError with a known code), never
// anything else, and after a million calls the wasm instance still answers correctly. A seeded
// generator keeps failures reproducible (FUZZ_SEED=n).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {classify, classifyError, ClientState, codes, createProfile, plan, RetryPolicy} from '../../pkg/node.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_124);
const DOCUMENTED_CODES = new Set(['ERR_STATUS_TYPE', 'ERR_STATUS_RANGE', 'ERR_INVALID_ARGUMENT', 'ERR_INVALID_PROFILE', 'ERR_INVALID_OPTION']);

function generator(seed) {
	let state = BigInt(seed);
	return () => {
		// SplitMix64, so that a failing seed replays exactly.
		state = (state + 0x9E_37_79_B9_7F_4A_7C_15n) & 0xFF_FF_FF_FF_FF_FF_FF_FFn;
		let z = state;
		z = ((z ^ (z >> 30n)) * 0xBF_58_47_6D_1C_E4_E5_B9n) & 0xFF_FF_FF_FF_FF_FF_FF_FFn;
		z = ((z ^ (z >> 27n)) * 0x94_D0_49_BB_13_31_11_EBn) & 0xFF_FF_FF_FF_FF_FF_FF_FFn;
		return Number((z ^ (z >> 31n)) >> 11n) / 2 ** 53;
	};
}

const random = generator(SEED);
const pick = items => items[Math.floor(random() * items.length)];

const STRINGS = ['', '503', 'GET', 'post', 'retry-after', '1', '-1', '1.5', 'Tue, 24 Nov 2026 10:00:00 GMT', 'Limit Exceeded', 'Cannot GET /x', '\u0000', '😀', '\r\n', 'x'.repeat(70_000), 'constructor', '__proto__', 'toString'];
const NUMBERS = [0, -0, 1, 99, 100, 200, 404, 429, 503, 599, 600, 1.5, -1, Number.NaN, Infinity, -Infinity, 2 ** 31, 2 ** 32, 2 ** 53, Number.MAX_VALUE, Number.MIN_VALUE];

function value(depth = 0) {
	switch (Math.floor(random() * 12)) {
		case 0: {
			return pick(NUMBERS);
		}

		case 1: {
			return pick(STRINGS);
		}

		case 2: {
			return pick([undefined, null, true, false]);
		}

		case 3: {
			return BigInt(Math.floor(random() * 1000));
		}

		case 4: {
			return Symbol('fuzz');
		}

		case 5: {
			return () => 1;
		}

		case 6: {
			return depth > 2 ? [] : Array.from({length: Math.floor(random() * 4)}, () => value(depth + 1));
		}

		case 7: {
			return depth > 2 ? {} : plainObject(depth + 1);
		}

		case 8: {
			return pick([new Headers({'retry-after': '1'}), new Map([['a', 1]]), new Date(0), /regex/, new Uint8Array(3), new Error('boom')]);
		}

		case 9: {
			return new Proxy({}, {get() {
				throw new Error('proxy trap');
			}, ownKeys() {
				throw new Error('proxy trap');
			}});
		}

		case 10: {
			const throwing = {};
			Object.defineProperty(throwing, pick(['status', 'headers', 'body', 'rules', 'maxAttempts', 'attempt', 'name']), {enumerable: true, get() {
				throw new Error('getter');
			}});
			return throwing;
		}

		default: {
			return Math.floor(random() * 700);
		}
	}
}

const KEYS = ['status', 'method', 'headers', 'body', 'profile', 'nowMs', 'rules', 'kind', 'bodyIncludes', 'header', 'name', 'maxAttempts', 'baseDelayMs', 'multiplier', 'jitter', 'seed', 'deadlineMs', 'statusOverrides', 'attempt', 'error', 'verdict', 'responseHeaders', 'elapsedMs', 'origin', 'retryBudget', 'circuitBreaker', 'extra'];

function plainObject(depth) {
	const object = {};
	for (let index = Math.floor(random() * 4); index > 0; index--) {
		object[pick(KEYS)] = value(depth);
	}

	return object;
}

function call(operation) {
	try {
		operation();
		return 'returned';
	} catch (error) {
		if ((error instanceof TypeError || error instanceof RangeError) && DOCUMENTED_CODES.has(error.code)) {
			return 'documented';
		}

		// A user's own getter or Proxy may throw its own error; it must pass through untouched.
		if (error instanceof Error && (error.message === 'getter' || error.message === 'proxy trap')) {
			return 'user error';
		}

		throw new Error(`undocumented throw: ${error?.name}: ${error?.message} (code ${error?.code})`, {cause: error});
	}
}

function assertHealthy() {
	assert.equal(classify({status: 503, headers: {'retry-after': '2'}}).retryAfterMs, 2000);
	assert.equal(classify({status: 404, body: 'Cannot GET /x'}).kind, 'invalid_route');
	assert.equal(new RetryPolicy({seed: 1, jitter: 'none'}).decide({attempt: 1, status: 503}).delayMs, 300);
	assert.ok(codes().length > 20);
}

test('random arguments to every export: documented errors only, and the instance survives', () => {
	const policy = new RetryPolicy({seed: 1});
	const state = new ClientState();
	const operations = [
		() => classify(value(), random() < 0.5 ? undefined : value()),
		() => classify({status: value(), headers: value(), body: value(), method: value()}),
		() => classify(plainObject(0), plainObject(0)),
		() => classifyError(value()),
		() => createProfile(random() < 0.5 ? value() : {rules: [plainObject(0)]}),
		() => new RetryPolicy(random() < 0.5 ? value() : plainObject(0)).free(),
		() => new ClientState(random() < 0.5 ? value() : plainObject(0)).free(),
		() => plan(plainObject(0), random() < 0.5 ? undefined : value()),
		() => policy.decide(random() < 0.3 ? value() : plainObject(0), random() < 0.8 ? undefined : state),
		() => policy.decide({attempt: Math.ceil(random() * 5), status: value(), responseHeaders: value(), body: value(), method: pick(['GET', 'POST', value()])}, state),
		() => state.admit(policy, random() < 0.5 ? value() : plainObject(0)),
	];
	const tally = {returned: 0, documented: 0, 'user error': 0};
	for (let index = 0; index < 30_000; index++) {
		tally[call(pick(operations))]++;
	}

	assert.ok(tally.returned > 1000 && tally.documented > 1000, JSON.stringify(tally));
	assertHealthy();
});

test('a million calls, valid and invalid, leave the module working', () => {
	const statuses = NUMBERS.concat([200, 301, 404, 429, 500, 503]);
	let thrown = 0;
	for (let index = 0; index < 1_000_000; index++) {
		const status = statuses[index % statuses.length];
		try {
			classify(index % 7 === 0 ? {status, headers: {'retry-after': String(index % 100)}} : {status});
		} catch (error) {
			assert.ok(error instanceof RangeError && error.code === 'ERR_STATUS_RANGE');
			thrown++;
		}
	}

	assert.ok(thrown > 100_000);
	assertHealthy();
});
