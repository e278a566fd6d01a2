// Checking what callers pass before it reaches the wasm core. The core must never see a value that
// could throw while it is running (a throwing getter or a Proxy would unwind through wasm frames and
// leave the instance inconsistent), so nested option objects are copied into plain data here first.

import {typeError} from './errors.js';

const MAX_DEPTH = 8;
const MAX_ENTRIES = 10_000;

/**
 * The TypeError for a value of the wrong type or shape: "Expected `name` to be what, got a string."
 * One sentence shape for every argument and option check, built in one place.
 */
export function expectation(name, what, value, code = 'ERR_INVALID_ARGUMENT') {
	return typeError(code, `Expected \`${name}\` to be ${what}, got ${describeType(value)}.`);
}

/** A short description of a value's type for error messages: `a string`, `null`, `an array`. */
export function describeType(value) {
	if (value === null) {
		return 'null';
	}

	if (Array.isArray(value)) {
		return 'an array';
	}

	const type = typeof value;
	if (type === 'number' && Number.isNaN(value)) {
		return 'NaN';
	}

	return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

export function isPlainObject(value) {
	if (value === null || typeof value !== 'object') {
		return false;
	}

	const prototype = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}

/**
 * Copies `value` into plain JSON-like data (objects, arrays, strings, finite or non-finite numbers,
 * booleans, null), dropping `undefined` properties. Anything else is a TypeError naming its path.
 */
export function plainCopy(value, path, code, budget = {entries: 0}) {
	if (++budget.entries > MAX_ENTRIES) {
		throw typeError(code, `Expected \`${path}\` to be smaller: more than ${MAX_ENTRIES} values.`);
	}

	switch (typeof value) {
		case 'string':
		case 'number':
		case 'boolean': {
			return value;
		}

		case 'object': {
			if (value === null) {
				return null;
			}

			const depth = path.split(/[.[]/).length;
			if (depth > MAX_DEPTH) {
				throw typeError(code, `Expected \`${path}\` to be nested at most ${MAX_DEPTH} levels deep.`);
			}

			if (Array.isArray(value)) {
				return Array.from(value, (item, index) => plainCopy(item, `${path}[${index}]`, code, budget));
			}

			if (!isPlainObject(value)) {
				throw typeError(code, `Expected \`${path}\` to be plain data, got ${value.constructor?.name ?? 'an object'}.`);
			}

			const copy = {};
			for (const key of Object.keys(value)) {
				const item = value[key];
				if (item !== undefined) {
					copy[key] = plainCopy(item, `${path}.${key}`, code, budget);
				}
			}

			return copy;
		}

		default: {
			throw typeError(code, `Expected \`${path}\` to be plain data, got ${describeType(value)}.`);
		}
	}
}

/** Throws a TypeError naming the first key of `options` that is not in `known`. */
export function rejectUnknownKeys(options, known, what) {
	for (const key of Object.keys(options)) {
		if (!known.includes(key)) {
			throw typeError('ERR_INVALID_ARGUMENT', `Unknown ${what} \`${key}\`. Known: ${known.map(name => `\`${name}\``).join(', ')}.`);
		}
	}
}
