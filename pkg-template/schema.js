// The shape of every nested option object, checked in JavaScript before the options cross into the
// core as numbers: a misspelt or mistyped field is named here, with its path, in a TypeError. Then
// checks.js checks every value's range with the core's tables (src/option_check.rs and the
// concepts' modules, written to tables.json).
// These shapes mirror the core's ProfileSpec, RetryOptionsSpec and ClientStateSpec (tests pin them).
//
// A shape maps each field to a type name (`'number'`, `'string'`, `'boolean'`, or one of them with
// `|null`), a nested shape (an object) or `[shape]` (a list). A nested shape may list its required
// fields under the key REQUIRED.

import {typeError} from './errors.js';
import {describeType, isPlainObject} from './input.js';

const REQUIRED = Symbol('required');

export const PROFILE_FIELDS = {
	rules: [{
		[REQUIRED]: ['status', 'kind'],
		status: 'number',
		kind: 'string',
		bodyIncludes: ['string'],
		header: {[REQUIRED]: ['name'], name: 'string', equals: 'string', includes: 'string'},
	}],
};

export const RETRY_OPTION_FIELDS = {
	maxAttempts: 'number',
	baseDelayMs: 'number',
	multiplier: 'number',
	maxDelayMs: 'number',
	jitter: 'string',
	deadlineMs: 'number|null',
	maxRetryAfterMs: 'number',
	retryNonIdempotent: 'boolean',
	statusOverrides: [{[REQUIRED]: ['status', 'retry'], status: 'number', retry: 'boolean'}],
	seed: 'number',
	throttleFallbackMs: 'number',
	retryOnTimeout: 'boolean',
	capRetryAfter: 'boolean',
	methods: ['string'],
	statusCodes: ['number'],
};

export const CLIENT_STATE_FIELDS = {
	retryBudget: {enabled: 'boolean', ratio: 'number', minRetries: 'number', windowMs: 'number'},
	circuitBreaker: {enabled: 'boolean', failureThreshold: 'number', failureRatio: 'number', window: 'number', minCalls: 'number', openMs: 'number', failFast: 'boolean'},
	quotaLockMs: 'number',
	maxOrigins: 'number',
};

function expected(typeNames) {
	return typeNames.split('|').map(name => (name === 'null' ? 'null' : `a ${name}`)).join(' or ');
}

/**
 * Throws a TypeError naming the first field of `value` (at any depth) that `shape` does not know or
 * whose type is wrong.
 */
export function checkShape(value, shape, code, prefix, path = '') {
	const where = path === '' ? 'it' : `\`${path}\``;
	if (typeof shape === 'string') {
		if (!shape.split('|').includes(value === null ? 'null' : typeof value)) {
			throw typeError(code, `${prefix}expected ${where} to be ${expected(shape)}, got ${describeType(value)}.`);
		}

		return;
	}

	if (Array.isArray(shape)) {
		if (!Array.isArray(value)) {
			throw typeError(code, `${prefix}expected ${where} to be an array, got ${describeType(value)}.`);
		}

		for (const [index, item] of value.entries()) {
			checkShape(item, shape[0], code, prefix, `${path}[${index}]`);
		}

		return;
	}

	if (!isPlainObject(value)) {
		throw typeError(code, `${prefix}expected ${where} to be an object, got ${describeType(value)}.`);
	}

	for (const key of Object.keys(value)) {
		const field = path === '' ? key : `${path}.${key}`;
		if (!Object.hasOwn(shape, key)) {
			const known = Object.keys(shape).map(name => `\`${name}\``).join(', ');
			throw typeError(code, `${prefix}\`${field}\` is not a known field; expected one of ${known}.`);
		}

		checkShape(value[key], shape[key], code, prefix, field);
	}

	for (const key of shape[REQUIRED] ?? []) {
		if (!Object.hasOwn(value, key)) {
			throw typeError(code, `${prefix}\`${path === '' ? key : `${path}.${key}`}\` is required.`);
		}
	}
}
