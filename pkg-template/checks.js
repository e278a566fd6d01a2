// The range checks of options and profile rules, run before they cross into the core: the package's
// wasm checks nothing itself (CHECKED_HERE in src/option_check.rs), which kept 2 KB gzip of checks
// and sentences out of the download. Every range, every check's order and every sentence comes
// from the core's own tables (tables.json `checks`, written by examples/core_tables.rs from the
// tables the Rust API checks with), so each is written once; this file only runs them, as the
// core's `check_numbers` and `ProfileBuilder` do (tests/node/checks.test.mjs holds them to it).

import {rangeError, typeError} from './errors.js';
import CORE_TABLES from './tables.js';

const {checks, kinds} = CORE_TABLES;

function optionError(field, problem) {
	return rangeError('ERR_INVALID_OPTION', `Expected \`${field}\` to be ${problem}.`);
}

function isGiven(given, slot) {
	return (given >>> slot & 1) === 1;
}

/**
 * The value the core keeps for `value` under row check `code` with bounds `a` and `b`, or
 * undefined when the value fails it (NaN fails every check). `values` are the concept's values so
 * far, which check 4 compares with.
 */
function kept(code, value, a, b, values) {
	switch (code) {
		case 0: {
			return Number.isInteger(value) && value >= a && value <= b ? value : undefined;
		}

		case 1: {
			if (value === Infinity) {
				return a === null ? undefined : Number(a);
			}

			return value >= 0 && value <= Number.MAX_SAFE_INTEGER ? Math.ceil(value) : undefined;
		}

		case 2: {
			return value > a && value <= b ? value : undefined;
		}

		case 3: {
			return value >= a && value <= b ? value : undefined;
		}

		default: {
			return value <= values[a] ? value : undefined;
		}
	}
}

/**
 * Checks a concept's numbers (`'retry'` or `'state'`) as the core would: each given one (bit
 * `slot` of `given`) in the rows' order, the first bad one thrown as a RangeError naming it. Each
 * value kept replaces its number (milliseconds rounded up, an allowed Infinity made the core's
 * bound). For a retry policy, `jitter` is the jitter's id if given, and the status overrides
 * follow the options in `numbers` as status, retry pairs.
 */
export function checkOptions(concept, numbers, given, jitter) {
	const {defaults, rows} = checks[concept];
	const values = defaults.map((value, slot) => (isGiven(given, slot) ? numbers[slot] : Number(value)));
	const statuses = [];
	for (let index = defaults.length; index < numbers.length; index += 2) {
		statuses.push(numbers[index]);
	}

	for (const [code, field, slot, a, b, problem] of rows) {
		let bad;
		if (code === 5) {
			bad = jitter !== undefined && !a.includes(jitter);
		} else if (code === 6 || code === 7) {
			// Each override's status is in range; then none repeats an earlier one.
			const index = statuses.findIndex((status, at) => (code === 6 ? kept(0, status, a, b) === undefined : statuses.indexOf(status) < at));
			if (index >= 0) {
				throw optionError(`${field}[${index}].status`, problem);
			}
		} else if (code === 4 || isGiven(given, slot)) {
			values[slot] = kept(code, values[slot], a, b, values);
			bad = values[slot] === undefined;
		}

		if (bad) {
			throw optionError(field, problem);
		}
	}

	for (const [slot, value] of values.entries()) {
		if (isGiven(given, slot)) {
			numbers[slot] = value;
		}
	}
}

/** The index of jitter id `jitter` in the core's list (`Jitter::ALL`), 0 when none is given. */
export function jitterIndex(jitter) {
	const [, , , ids] = checks.retry.rows.find(([code]) => code === 5);
	return Math.max(0, ids.indexOf(jitter));
}

const {limits: [maxRules, maxPatternsPerRule, maxPatternBytes, maxProfilePatternBytes], problems} = checks.profile;
// RFC 9110 §5.6.2 tokens, and the ASCII white space of Rust's `is_ascii_whitespace`.
const TOKEN = /^[\w!#$%&'*+.^`|~-]+$/;
const BLANK = /^[\t\n\f\r ]*$/;
const LINE_BREAK = /[\r\n]/;
let encoder;

function profileError(field, problem) {
	return typeError('ERR_INVALID_PROFILE', `Invalid profile: \`${field}\` ${problem}`);
}

/** The UTF-8 length of `text`, the core's measure of a pattern. */
function byteLength(text) {
	encoder ??= new TextEncoder();
	return encoder.encode(text).length;
}

/**
 * Checks a profile's rules (already of the right shape) as the core would; the first bad field is
 * thrown as a TypeError naming it (`rules[2].kind`).
 */
export function checkProfileRules(rules) {
	if (rules.length > maxRules) {
		throw profileError('rules', problems.ruleCount);
	}

	let patternBytes = 0;
	for (const [index, {status, kind, bodyIncludes = [], header}] of rules.entries()) {
		const field = name => `rules[${index}].${name}`;
		if (kept(0, status, 100, 599) === undefined) {
			throw profileError(field('status'), problems.status);
		}

		const row = kinds.find(([id]) => id === kind);
		if (row === undefined || row[1] === 'transport') {
			throw profileError(field('kind'), row ? problems.transportKind : problems.unknownKind);
		}

		if (bodyIncludes.length > maxPatternsPerRule) {
			throw profileError(field('bodyIncludes'), problems.patternCount);
		}

		for (const [at, pattern] of bodyIncludes.entries()) {
			const bytes = byteLength(pattern);
			if (BLANK.test(pattern) || bytes > maxPatternBytes) {
				throw profileError(field(`bodyIncludes[${at}]`), problems.pattern);
			}

			patternBytes += bytes;
		}

		if (header !== undefined) {
			const {name, equals, includes} = header;
			if (!TOKEN.test(name) || name.length > maxPatternBytes) {
				throw profileError(field('header.name'), problems.headerName);
			}

			if (equals !== undefined && includes !== undefined) {
				throw profileError(field('header.equals'), problems.headerBoth);
			}

			const value = equals ?? includes;
			const bytes = value === undefined ? 0 : byteLength(value);
			if (value !== undefined && (bytes > maxPatternBytes || LINE_BREAK.test(value))) {
				throw profileError(field(`header.${equals === undefined ? 'includes' : 'equals'}`), problems.headerValue);
			}

			// A header value is read up to twice the body's window, so its pattern counts twice.
			patternBytes += includes === undefined ? 0 : 2 * bytes;
		}
	}

	if (patternBytes > maxProfilePatternBytes) {
		throw profileError('rules', problems.patternBytes);
	}
}
