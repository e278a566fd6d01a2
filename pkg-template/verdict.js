// The classification API. It validates JavaScript input, forwards only the parts the core reads,
// and turns the core's compact verdict keys into frozen verdict objects that are built once per
// (status, kind) and then shared, so that classifying costs one wasm call and no allocation.

import * as core from './http_verdict.js';
import {result, RETRY_AFTER} from './results.js';
import CORE_TABLES from './tables.js';
import {rangeError, typeError} from './errors.js';
import {describeType, expectation, isPlainObject, plainCopy, rejectUnknownKeys} from './input.js';
import {jsonWindow} from './json-window.js';
import {useCore} from './ready.js';
import {none} from './stand-in.js';
import {checkProfileRules} from './checks.js';
import {checkShape, PROFILE_FIELDS} from './schema.js';

// The core ignores longer header values and reads only the start of a body; cutting them here
// keeps a hostile multi-megabyte reply from being copied into wasm memory at all.
const MAX_HEADER_VALUE_LENGTH = 4096;
// A flood of repeated header lines (10,000 `Retry-After` pairs) cost up to 0.7 s per classify and grew
// wasm memory for good; the core reads the first few values of a name only (MAX_LINES_PER_HEADER in
// src/headers.rs), and no block it is sent is much longer than this many characters.
const MAX_LINES_PER_HEADER = 8;
const MAX_HEADER_BLOCK_LENGTH = 16_384;
// Entries of a header list or object looked at: 10,000 pairs cost half a millisecond to scan in JS.
const MAX_HEADER_ENTRIES = 256;
const MAX_BODY_LENGTH = 4096;
const MAX_ERROR_TEXT_LENGTH = 512;

// Keys from here up say why a status is invalid (INVALID_STATUS_KEY in src/wasm/classify.rs), each
// with its sentence in the core's tables.
const INVALID_STATUS_KEY = 0xFF_FF_FF_FE;
// A verdict key's bits (src/wasm/mod.rs): the kind's index, the status, the transport detail's index + 1,
// where the wait was read (an index into the core tables' waitSources), then the server's retry verdict.
const KIND_BITS = 6;
const STATUS_BITS = 10;
const DETAIL_BITS = 5;
const WAIT_SOURCE_BITS = 5;
// A kind's retry scope in the vocabulary table: never retried, idempotent methods only, any method.
const SCOPE_NEVER = 0;
const SCOPE_ANY_METHOD = 2;
// Where a kind's documented status sits in its row of the core's tables (0: none).
const DOCUMENTED_STATUS = 6;

const templates = new Map();
// Verdicts of bare statuses (no headers, body or profile), by status: a pure function of the status,
// so the core is asked once per status and the answer reused.
// NOTE: preallocated, because assigning index 503 of an empty array makes it a slow sparse one.
const bareVerdicts = Array.from({length: 600});
let coreHeaderNames;
let documentedRows;

// Each verdict carries its core key under a symbol, so that a retry decision can hand the verdict
// back to the core without rebuilding it. Symbols stay out of JSON and Object.keys.
const KEY = Symbol('http-verdict.key');

// NOTE: an object literal with every field is several times faster to create than a spread plus
// defineProperty, and verdicts with a wait are made on every response that has one.
function makeVerdict(template, retryAfterMs, key) {
	return Object.freeze({
		status: template.status,
		kind: template.kind,
		family: template.family,
		title: template.title,
		description: template.description,
		retryable: template.retryable,
		action: template.action,
		retryAfterMs,
		neverProcessed: template.neverProcessed,
		detail: template.detail,
		[KEY]: key,
	});
}

/**
 * The fields of the verdict a core key stands for, from the core's own words (its tables, written by
 * examples/core_tables.rs at build time; tests/node/core-tables.test.mjs holds every field equal to
 * the core's description), so that the wasm carries none of them.
 */
function describe(key) {
	const [kind, kindFamily, kindTitle, description, scope, action, documentedStatus] = CORE_TABLES.kinds[key & ((1 << KIND_BITS) - 1)];
	const status = (key >>> KIND_BITS) & ((1 << STATUS_BITS) - 1) || null;
	const detail = CORE_TABLES.details[((key >>> (KIND_BITS + STATUS_BITS)) & ((1 << DETAIL_BITS) - 1)) - 1];
	return {
		status,
		kind,
		family: status === null ? kindFamily : CORE_TABLES.classes[Math.floor(status / 100) - 1],
		// The API's title at its documented status, else the status's reason phrase.
		title: status !== documentedStatus && CORE_TABLES.phrases[status] || kindTitle,
		description,
		retryable: scope !== SCOPE_NEVER,
		action,
		neverProcessed: scope === SCOPE_ANY_METHOD || Boolean(detail?.[1]),
		detail: detail?.[0] ?? null,
	};
}

function templateFor(key) {
	let template = templates.get(key);
	if (template === undefined) {
		template = makeVerdict(describe(key), null, key);
		templates.set(key, template);
	}

	return template;
}

/** The core key of a verdict made by this package, or undefined for any other object. */
export function verdictKey(verdict) {
	return verdict?.[KEY];
}

/** Where a verdict's wait was read: its index into the core tables' `waitSources` labels. */
export function waitSourceIndex(verdict) {
	return (verdict[KEY] >>> (KIND_BITS + STATUS_BITS + DETAIL_BITS)) & ((1 << WAIT_SOURCE_BITS) - 1);
}

function wantedHeaderNames() {
	coreHeaderNames ??= new Set(CORE_TABLES.headers);
	return coreHeaderNames;
}

function headerText(name, value) {
	if (typeof value === 'string') {
		return value;
	}

	try {
		return String(value);
	} catch (error) {
		throw Object.assign(typeError('ERR_INVALID_ARGUMENT', `Expected header \`${name}\` to have a string form, got ${describeType(value)}.`), {cause: error});
	}
}

function headerLine(name, value) {
	const text = headerText(name, value);
	if (text.length > MAX_HEADER_VALUE_LENGTH) {
		return '';
	}

	if (text.includes('\n') || text.includes('\r')) {
		throw typeError('ERR_INVALID_ARGUMENT', `Expected header \`${name}\` to be a single line.`);
	}

	// HTTP forbids NUL in a field value (RFC 9110, 5.5): such a value is left out, as an over-long one
	// is, and the NUL that ends the header block in `reply` stays unambiguous.
	if (text.includes('\0')) {
		return '';
	}

	return `${name}:${text}\n`;
}

/** Whether another line of `name` is within the cap; `counts` (per name) only for lists of pairs. */
function counted(name, counts) {
	if (counts === undefined) {
		return true;
	}

	const count = counts.get(name) ?? 0;
	counts.set(name, count + 1);
	return count < MAX_LINES_PER_HEADER;
}

/** The lines of one header given as a name and a value (or a list of values), within the caps. */
function pairLines(name, value, wanted, counts) {
	const lowerName = (typeof name === 'string' ? name : headerText('name', name)).toLowerCase();
	if (!wanted.has(lowerName) || value === undefined || value === null) {
		return '';
	}

	if (!Array.isArray(value)) {
		return counted(lowerName, counts) ? headerLine(lowerName, value) : '';
	}

	let lines = '';
	for (let index = 0; index < value.length && index < MAX_LINES_PER_HEADER && counted(lowerName, counts); index++) {
		lines += headerLine(lowerName, value[index]);
	}

	return lines;
}

/** The `name:value` lines of the headers the core (and the profile) read, or undefined for none. */
export function headerBlock(headers, wanted, field = 'headers') {
	if (headers === undefined || headers === null) {
		return undefined;
	}

	let block = '';
	if (typeof headers.get === 'function' && typeof headers.has === 'function') {
		// A Headers instance (any realm, any fetch implementation): ask for the few names we read.
		for (const name of wanted) {
			const value = headers.get(name);
			if (value !== null && value !== undefined) {
				block += headerLine(name, value);
				if (block.length > MAX_HEADER_BLOCK_LENGTH) {
					break;
				}
			}
		}
	} else if (Array.isArray(headers)) {
		const counts = new Map();
		for (const [index, pair] of headers.slice(0, MAX_HEADER_ENTRIES).entries()) {
			if (!Array.isArray(pair) || pair.length !== 2) {
				throw typeError('ERR_INVALID_ARGUMENT', `Expected \`${field}[${index}]\` to be a [name, value] pair.`);
			}

			block += pairLines(pair[0], pair[1], wanted, counts);
			if (block.length > MAX_HEADER_BLOCK_LENGTH) {
				break;
			}
		}
	} else if (isPlainObject(headers)) {
		// NOTE: no per-name count here: an object's keys are distinct, so only case variants of a name
		// repeat it, bounded by the entry and block caps.
		for (const name of Object.keys(headers).slice(0, MAX_HEADER_ENTRIES)) {
			block += pairLines(name, headers[name], wanted, undefined);
			if (block.length > MAX_HEADER_BLOCK_LENGTH) {
				break;
			}
		}
	} else {
		throw expectation(field, 'a Headers object, a plain object or an array of [name, value] pairs', headers);
	}

	return block === '' ? undefined : block;
}

/** What `classifyResponse` reads: the header block, then NUL and the body when there is one. */
function reply(headers = '', body) {
	return body === undefined ? headers : `${headers}\0${body}`;
}

function isResponseLike(input) {
	return typeof input.clone === 'function' && typeof input.text === 'function';
}

/** @internal The body text of a described response (undefined for a Response or no body). */
export function bodyText(input) {
	if (isResponseLike(input)) {
		// A Response's body is a stream that has not been read; the caller passes text explicitly.
		return undefined;
	}

	const {body} = input;
	if (body === undefined || body === null) {
		return undefined;
	}

	if (typeof body === 'string') {
		return body.length > MAX_BODY_LENGTH ? body.slice(0, MAX_BODY_LENGTH) : body;
	}

	if (isPlainObject(body) || Array.isArray(body)) {
		try {
			return jsonWindow(body, MAX_BODY_LENGTH);
		} catch (error) {
			throw Object.assign(typeError('ERR_INVALID_ARGUMENT', 'Expected `body` to be JSON-serialisable.'), {cause: error});
		}
	}

	throw typeError('ERR_INVALID_ARGUMENT', `Expected \`body\` to be the reply's text or its parsed JSON, got ${describeType(body)}. Read the body first, e.g. \`await response.text()\`.`);
}

const CLASSIFY_OPTIONS = ['profile', 'nowMs'];

// What no options read as: one object (only ever destructured), not one per call: classify({status})
// is the hottest path.
const NO_OPTIONS = Object.freeze({});

function readClassifyOptions(options) {
	if (options === undefined) {
		return NO_OPTIONS;
	}

	if (!isPlainObject(options)) {
		throw expectation('options', 'an object', options);
	}

	rejectUnknownKeys(options, CLASSIFY_OPTIONS, 'classify option');
	const {profile, nowMs} = options;
	if (profile !== undefined && !(profile instanceof Profile)) {
		throw typeError('ERR_INVALID_ARGUMENT', 'Expected `profile` to be a Profile from createProfile().');
	}

	if (nowMs !== undefined && (typeof nowMs !== 'number' || !Number.isFinite(nowMs) || nowMs < 0)) {
		throw expectation('nowMs', 'a non-negative finite number of epoch milliseconds', nowMs);
	}

	return {profile, nowMs};
}

/**
 * A validated set of per-API rules. Created by `createProfile`; holds wasm memory, released when the
 * profile is garbage-collected or `free()` is called.
 */
export class Profile {
	#rules;
	#headerNames;
	#bodyStatuses;

	constructor(rules, headerNames, bodyStatuses) {
		if (!(rules instanceof core.CoreObject)) {
			throw typeError('ERR_INVALID_ARGUMENT', 'Use createProfile() to make a Profile.');
		}

		this.#rules = rules;
		this.#headerNames = headerNames;
		this.#bodyStatuses = bodyStatuses;
	}

	/** @internal The statuses the profile has a body rule for: createFetch reads their bodies. */
	get bodyStatuses() {
		return this.#bodyStatuses;
	}

	/** @internal */
	classifyKey(status, headers, body, nowMs) {
		if (!(#rules in this)) {
			throw typeError('ERR_INVALID_ARGUMENT', 'Expected a Profile made by createProfile().');
		}

		if (this.#rules === undefined) {
			throw typeError('ERR_INVALID_ARGUMENT', 'This profile has been freed.');
		}

		return core.classifyResponse(status, reply(headers, body), nowMs, this.#rules);
	}

	/** @internal */
	get headerNames() {
		if (!(#headerNames in this)) {
			throw typeError('ERR_INVALID_ARGUMENT', 'Expected a Profile made by createProfile().');
		}

		return this.#headerNames;
	}

	/** Releases the profile's wasm memory now instead of at garbage collection. */
	free() {
		this.#rules?.free();
		this.#rules = undefined;
	}
}

export function createProfile(spec) {
	useCore();
	if (!isPlainObject(spec)) {
		throw expectation('profile', 'a plain object', spec, 'ERR_INVALID_PROFILE');
	}

	const plain = plainCopy(spec, 'profile', 'ERR_INVALID_PROFILE');
	checkShape(plain, PROFILE_FIELDS, 'ERR_INVALID_PROFILE', 'Invalid profile: ');
	// checkProfileRules checks the rules' values (statuses, kinds, patterns) with the core's tables;
	// they cross in one call: four numbers per rule (status, kind index, which header fields, how
	// many patterns) and its strings, NUL-separated (see profile_from in src/wasm/profile.rs), so no
	// string may hold a NUL.
	const numbers = [];
	const texts = [];
	const bodyStatuses = new Set();
	// The headers classify sends the core: its own and the rules'. Each rule's name is a valid token
	// once checkProfileRules accepts the rules, so its lowercase is the core's.
	const headerNames = new Set(wantedHeaderNames());
	for (const [index, {status, kind, header, bodyIncludes = []}] of (plain.rules ?? []).entries()) {
		const fields = [header?.name, header?.equals, header?.includes];
		const strings = [kind, ...fields.filter(text => text !== undefined), ...bodyIncludes];
		if (strings.some(text => text.includes('\0'))) {
			throw typeError('ERR_INVALID_PROFILE', `Invalid profile: \`rules[${index}]\` has a string with a NUL character.`);
		}

		numbers.push(status, CORE_TABLES.kinds.findIndex(([id]) => id === kind), fields.reduce((bits, text, bit) => bits | (text === undefined ? 0 : 1 << bit), 0), bodyIncludes.length);
		if (bodyIncludes.length > 0) {
			bodyStatuses.add(status);
		}

		if (header !== undefined) {
			headerNames.add(header.name.toLowerCase());
		}

		texts.push(...strings.slice(1));
	}

	checkProfileRules(plain.rules ?? []);
	return new Profile(core.create(2, numbers, 0, texts.join('\0')), headerNames, bodyStatuses);
}

export function classify(input, options) {
	useCore();
	if (input === null || typeof input !== 'object') {
		throw typeError('ERR_INVALID_ARGUMENT', `Expected a Response or an object with a \`status\`, got ${describeType(input)}.`);
	}

	const {status, method, headers, body} = input;
	if (method !== undefined && typeof method !== 'string') {
		throw expectation('method', 'a string', method);
	}

	const text = body === undefined ? undefined : bodyText(input);
	const {profile, nowMs} = readClassifyOptions(options);
	return classifyParts(status, headers, text, profile, nowMs);
}

/**
 * @internal Classifies a status with raw headers and a body already read; options already checked.
 * Shared with the retry policy, which must not pay for option parsing on every attempt.
 */
export function classifyParts(status, rawHeaders, body, profile, nowMs) {
	if (typeof status !== 'number') {
		throw expectation('status', 'a number', status, 'ERR_STATUS_TYPE');
	}

	const bare = rawHeaders === undefined && body === undefined && profile === undefined;
	if (bare) {
		const known = bareVerdicts[status];
		if (known !== undefined) {
			return known;
		}
	}

	const headers = headerBlock(rawHeaders, profile ? profile.headerNames : wantedHeaderNames());
	// The clock matters only for dated hints, so it is read only when there are headers to date.
	const now = headers === undefined ? 0 : (nowMs ?? Date.now());
	const key = profile
		? profile.classifyKey(status, headers, body, now)
		: core.classifyResponse(status, reply(headers, body), now, none());
	if (key >= INVALID_STATUS_KEY) {
		throw rangeError('ERR_STATUS_RANGE', CORE_TABLES.statusProblems[key - INVALID_STATUS_KEY]);
	}

	const template = templateFor(key);
	if (bare) {
		bareVerdicts[status] = template;
	}

	// A body can state the wait with no header the core reads in sight (a cross-origin reply in a
	// browser shows no `Date` unless the server exposes it): the wait is read then too.
	if (headers === undefined && body === undefined) {
		return template;
	}

	const retryAfterMs = result(RETRY_AFTER);
	return retryAfterMs < 0 ? template : makeVerdict(template, retryAfterMs, key);
}

function safeText(read) {
	try {
		const value = read();
		if (typeof value === 'string') {
			return value.slice(0, MAX_ERROR_TEXT_LENGTH);
		}

		return typeof value === 'number' ? String(value) : '';
	} catch {
		// A throwing getter on a thrown value tells us nothing; it must not escape either.
		return '';
	}
}

/** The parts of a thrown value as the core reads them: one string, NUL between the parts. */
function errorShape(parts) {
	return parts.map(part => part.replaceAll('\0', ' ')).join('\0');
}

export function classifyError(error) {
	useCore();
	if (error === undefined || error === null) {
		throw typeError('ERR_INVALID_ARGUMENT', `Expected the value that fetch threw, got ${describeType(error)}.`);
	}

	if (typeof error !== 'object' && typeof error !== 'function') {
		const key = core.classifyErrorShape(errorShape(['', safeText(() => String(error))]));
		return templateFor(key);
	}

	const cause = safeText(() => typeof error.cause) === 'object' ? error.cause : undefined;
	const key = core.classifyErrorShape(errorShape([
		safeText(() => error.name),
		safeText(() => error.message),
		safeText(() => error.code),
		safeText(() => cause?.name),
		safeText(() => cause?.message),
		// Happy-eyeballs failures wrap one system error per address in an AggregateError.
		safeText(() => cause?.code ?? cause?.errors?.[0]?.code),
	]));
	return templateFor(key);
}

export function codes() {
	useCore();
	documentedRows ??= CORE_TABLES.documented.map(index => templateFor(index | CORE_TABLES.kinds[index][DOCUMENTED_STATUS] << KIND_BITS));
	return [...documentedRows];
}
