// Options: createFetch's are checked once into the client its calls share, a call's own `retry` and
// `timeout` on each call; checked here so that the request loop can trust what it reads.

import {rangeError, typeError} from '../errors.js';
import {expectation, isPlainObject} from '../input.js';
import {ClientState, RetryPolicy} from '../policy.js';
import {RETRY_OPTION_FIELDS} from '../schema.js';
import {runtimeShowsRedirects} from './redirects.js';
import {defaultSleep, MAX_TIMER_MS} from './signals.js';
import {memoryStore} from './store.js';

const POLICY_OPTIONS = [...Object.keys(RETRY_OPTION_FIELDS), 'profile', 'delay'];
const FUNCTIONS = ['fetch', 'beforeRetry', 'onVerdict', 'onGiveUp', 'onUnauthorized', 'now', 'sleep', 'shouldRetry'];
const OPTIONS = [...POLICY_OPTIONS, ...FUNCTIONS, 'timeout', 'totalTimeout', 'throwHttpErrors', 'cache', 'state'];

function check(valid, name, expected, value) {
	if (!valid) {
		throw expectation(name, expected, value, 'ERR_INVALID_OPTION');
	}
}

export function readTimeout(value, name, fallback) {
	if (value === undefined) {
		return fallback;
	}

	if (value === false || value === Infinity) {
		return Infinity;
	}

	const expected = `a positive number of milliseconds up to ${MAX_TIMER_MS}, or false`;
	check(typeof value === 'number', name, expected, value);
	if (!(value > 0 && value <= MAX_TIMER_MS)) {
		throw rangeError('ERR_INVALID_OPTION', `Expected \`${name}\` to be ${expected}, got ${value}.`);
	}

	return value;
}

function readStore(cache) {
	if (cache === true) {
		return memoryStore();
	}

	check(!cache || ['get', 'set', 'delete'].every(name => typeof cache[name] === 'function'), 'cache', 'a boolean or a store with get, set and delete methods', cache);
	return cache || undefined;
}

export function readClient(options) {
	check(isPlainObject(options), 'options', 'a plain object', options);
	for (const key of Object.keys(options)) {
		if (!OPTIONS.includes(key)) {
			throw typeError('ERR_INVALID_OPTION', `Unknown createFetch option \`${key}\`. Known: ${OPTIONS.join(', ')}.`);
		}
	}

	for (const name of FUNCTIONS) {
		check(options[name] === undefined || typeof options[name] === 'function', name, 'a function', options[name]);
	}

	const {throwHttpErrors = true, state = new ClientState()} = options;
	check(typeof throwHttpErrors === 'boolean' || typeof throwHttpErrors === 'function', 'throwHttpErrors', 'a boolean or a function', throwHttpErrors);
	check(state instanceof ClientState, 'state', 'a ClientState', state);

	const policyOptions = {};
	for (const name of POLICY_OPTIONS) {
		if (options[name] !== undefined) {
			policyOptions[name] = options[name];
		}
	}

	const totalTimeoutMs = readTimeout(options.totalTimeout, 'totalTimeout', Infinity);
	if (totalTimeoutMs !== Infinity) {
		policyOptions.deadlineMs ??= totalTimeoutMs;
	}

	return {
		...options,
		policy: new RetryPolicy(policyOptions),
		policyOptions,
		policies: new WeakMap(),
		state,
		throwHttpErrors,
		// NOTE: no default timeout: in Node the signal a timer needs costs fetch more than this module.
		timeoutMs: readTimeout(options.timeout, 'timeout', Infinity),
		totalTimeoutMs,
		store: readStore(options.cache),
		now: options.now ?? Date.now,
		sleep: options.sleep ?? defaultSleep,
		salt: 0,
		moved: new Map(),
		storing: new Map(),
		showsRedirects: runtimeShowsRedirects,
	};
}

// One policy per `retry` object (and one for `retry: false`): a reused object costs nothing per call.
// A `retry` object may carry its own `shouldRetry`, which is the wrapper's, not the policy's.
export function policyFor(client, retry) {
	if (retry === undefined) {
		return client;
	}

	check(retry === false || isPlainObject(retry), 'retry', 'false or an object of retry options', retry);

	const key = retry || client;
	let chosen = client.policies.get(key);
	if (chosen === undefined) {
		const {shouldRetry = client.shouldRetry, ...options} = retry || {maxAttempts: 1};
		check(typeof shouldRetry === 'function' || shouldRetry === undefined, 'retry.shouldRetry', 'a function', shouldRetry);
		chosen = {policy: new RetryPolicy({...client.policyOptions, ...options}), shouldRetry};
		client.policies.set(key, chosen);
	}

	return chosen;
}
