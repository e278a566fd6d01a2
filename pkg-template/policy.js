// Retry decisions. RetryPolicy checks its options' types here and their ranges with the core's tables
// (checks.js), then they cross as one Float64Array with a bit per option given; it decides about each
// attempt in one wasm call with plain numbers and two short strings; the verdict travels as its core
// key, so nothing is classified twice.

import * as core from './http_verdict.js';
import {ADMISSION, BREAKER, BUDGET, DELAY, GATE, HINT, LIMIT, OPEN, QUOTA, result, RETRY} from './results.js';
import {decisionSentence} from './sentences.js';
import CORE_TABLES from './tables.js';
import {typeError} from './errors.js';
import {describeType, expectation, isPlainObject, plainCopy} from './input.js';
import {useCore} from './ready.js';
import {none} from './stand-in.js';
import {checkOptions, jitterIndex} from './checks.js';
import {checkShape, CLIENT_STATE_FIELDS, RETRY_OPTION_FIELDS} from './schema.js';
import {bodyText, classifyError, classifyParts, headerBlock, Profile, verdictKey} from './verdict.js';

const MAX_SAFE_SEED = Number.MAX_SAFE_INTEGER;
const OUTCOME_FIELDS = new Set(['attempt', 'method', 'requestHeaders', 'bodyReplayable', 'verdict', 'response', 'status', 'responseHeaders', 'body', 'error', 'elapsedMs', 'nowMs', 'sentMs', 'previousDelayMs', 'origin', 'salt', 'shouldRetry', 'offline']);
const OTHER_METHOD = 255;
const IDEMPOTENCY_KEY = new Set(['idempotency-key']);
// Admission codes of the core (src/wasm/policy.rs; tests/boundary_codes.rs pins every code and bit
// below to it): 0 allowed, 1 wait, 2 + reason index refused.
const ADMISSION_WAIT = 1;
const ADMISSION_REJECTED = 2;
// The numeric options in the order of their slots in the core (src/options.rs, src/budget.rs,
// src/breaker.rs, src/client_state.rs); a boolean crosses as 1 or 0.
const RETRY_NUMBERS = ['maxAttempts', 'baseDelayMs', 'multiplier', 'maxDelayMs', 'deadlineMs', 'maxRetryAfterMs', 'retryNonIdempotent', 'seed', 'throttleFallbackMs', 'retryOnTimeout', 'capRetryAfter', 'methods', 'onlyListedStatuses'];
const BUDGET_NUMBERS = ['enabled', 'ratio', 'minRetries', 'windowMs'];
const BREAKER_NUMBERS = ['enabled', 'failureThreshold', 'failureRatio', 'window', 'minCalls', 'openMs', 'failFast'];
const STATE_NUMBERS = ['quotaLockMs', 'maxOrigins'];
// The bit of a policy's `given` (core.create) that says a jitter was given, and where its index in
// the core's list sits (JITTER_GIVEN, JITTER_INDEX_SHIFT in src/wasm/policy.rs).
const JITTER_GIVEN = 1 << 31;
const JITTER_INDEX_SHIFT = 24;
// The bits of decide's `flags` (src/wasm/policy.rs): an Idempotency-Key, a replayable body, and the
// caller's own answer, retry or not.
const HAS_IDEMPOTENCY_KEY = 1;
const BODY_REPLAYABLE = 2;
const CALLER_RETRIES = 4;
const CALLER_DECLINES = 8;
const OFFLINE = 16;

const {methods: methodNames, reasons: reasonIds} = CORE_TABLES;
let methodCodes;

function reasonId(index) {
	return reasonIds[index];
}

/** The index of `method` in the core's method table (names match ignoring case), or OTHER_METHOD. */
function methodCode(method) {
	methodCodes ??= new Map(methodNames.map((name, index) => [name, index]));
	return methodCodes.get(method) ?? methodCodes.get(method.toUpperCase()) ?? OTHER_METHOD;
}

/**
 * Makes the core's retry policy (`concept` 0) or client state (1) from options as numbers, which
 * `checkOptions` has checked: the core takes them as they are.
 */
function construct(concept, numbers, given, text) {
	useCore();
	return core.create(concept, numbers, given, text);
}

/**
 * Writes `source[name]` for each of `names` into `numbers` from `slot` on; returns the bits of the
 * slots given (`undefined` and `null` are not).
 */
function pack(source = {}, names, numbers, slot) {
	let given = 0;
	for (const name of names) {
		const value = source[name];
		if (value !== undefined && value !== null) {
			numbers[slot] = value;
			given |= 1 << slot;
		}

		slot++;
	}

	return given;
}

function optionError(message) {
	return typeError('ERR_INVALID_OPTION', message);
}

function readOptions(options, fields, what) {
	if (options === undefined) {
		return {};
	}

	if (!isPlainObject(options)) {
		throw optionError(`Expected ${what} options to be a plain object, got ${describeType(options)}.`);
	}

	const {profile, delay, share, ...rest} = options;
	const plain = plainCopy(rest, 'options', 'ERR_INVALID_OPTION');
	checkShape(plain, fields, 'ERR_INVALID_OPTION', `Invalid ${what} options: `);
	return {profile, delay, share, plain};
}

function nonNegative(value, name, fallback) {
	if (value === undefined) {
		return fallback;
	}

	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
		throw expectation(name, 'a non-negative finite number', value);
	}

	return value;
}

function rejectUnknownOutcomeFields(outcome) {
	for (const key in outcome) {
		if (!OUTCOME_FIELDS.has(key)) {
			throw typeError('ERR_INVALID_ARGUMENT', `Unknown outcome field \`${key}\`. Known: ${[...OUTCOME_FIELDS].map(name => `\`${name}\``).join(', ')}.`);
		}
	}
}

function outcomeVerdict(outcome, profile, nowMs) {
	const {verdict, response, status, error} = outcome;
	const sources = (verdict !== undefined) + (response !== undefined) + (status !== undefined) + (error !== undefined);
	if (sources !== 1) {
		const given = ['verdict', 'response', 'status', 'error'].filter(name => outcome[name] !== undefined);
		throw typeError('ERR_INVALID_ARGUMENT', `Expected the outcome to have exactly one of \`verdict\`, \`response\`, \`status\` or \`error\`, got ${given.length === 0 ? 'none' : given.map(name => `\`${name}\``).join(' and ')}.`);
	}

	if (verdict !== undefined) {
		if (verdictKey(verdict) === undefined) {
			throw typeError('ERR_INVALID_ARGUMENT', 'Expected `verdict` to come from classify() or classifyError().');
		}

		return verdict;
	}

	if (status !== undefined) {
		return classifyParts(status, outcome.responseHeaders, bodyText(outcome), profile, nowMs);
	}

	if (response !== undefined) {
		if (response === null || typeof response !== 'object') {
			throw expectation('response', 'a Response', response);
		}

		return classifyParts(response.status, response.headers, bodyText(outcome), profile, nowMs);
	}

	return classifyError(error);
}

/**
 * Asks a client state's core what it knows of `origin` (into the result slots), after spending one
 * retry of its budget when `spendRetry`.
 */
function readOrigin(stateCore, origin, nowMs, spendRetry = false) {
	stateCore.share(String(origin), nonNegative(nowMs, 'nowMs', 0), 0, 0, 0, spendRetry);
}

/**
 * What to do after an attempt. A class rather than a literal so that `message`, which costs more to
 * build than the decision itself, is built on first read from the parts the core returned.
 */
class Decision {
	#parts;
	#message;

	constructor(retry, reason, verdict, parts) {
		this.retry = retry;
		this.delayMs = parts[2];
		this.reason = reason;
		this.verdict = verdict;
		this.#parts = parts;
		Object.freeze(this);
	}

	get message() {
		this.#message ??= decisionSentence(...this.#parts);
		return this.#message;
	}

	toJSON() {
		return {retry: this.retry, delayMs: this.delayMs, reason: this.reason, message: this.message, verdict: this.verdict};
	}

	[Symbol.for('nodejs.util.inspect.custom')]() {
		return this.toJSON();
	}
}

/**
 * A retry policy: options validated once, then one decision per finished attempt.
 */
export class RetryPolicy {
	#core;
	#profile;
	// Read once: it never changes, and asking the core on every decision was a wasm call each.
	#maxAttempts;
	#delay;

	constructor(options) {
		const {profile, delay, share, plain = {}} = readOptions(options, RETRY_OPTION_FIELDS, 'retry');
		if (share !== undefined) {
			throw optionError('Invalid retry option: `share` is a ClientState option.');
		}

		if (profile !== undefined && !(profile instanceof Profile)) {
			throw optionError('Expected `profile` to be a Profile from createProfile().');
		}

		if (delay !== undefined && typeof delay !== 'function') {
			throw expectation('delay', 'a function', delay, 'ERR_INVALID_OPTION');
		}

		// An unseeded policy gets a random seed, so that a fleet of clients does not share one
		// jitter sequence; tests and the simulator pass a seed to make every decision reproducible.
		plain.seed ??= Math.floor(Math.random() * MAX_SAFE_SEED);
		useCore();
		const {jitter, methods, statusCodes} = plain;
		if (statusCodes !== undefined && plain.statusOverrides !== undefined) {
			throw optionError('Expected either `statusCodes` or `statusOverrides`, not both.');
		}

		// The status overrides follow the options: status, then 1 to retry or 0. ky's `statusCodes`
		// are overrides that retry, with the flag that no other status is retried.
		const rules = statusCodes === undefined ? plain.statusOverrides ?? [] : statusCodes.map(status => ({status, retry: true}));
		const overrides = rules.flatMap(rule => [rule.status, rule.retry]);
		const numbers = new Float64Array(RETRY_NUMBERS.length + overrides.length);
		numbers.set(overrides, RETRY_NUMBERS.length);
		// `methods` crosses as a bit per index of the core's method table; an unknown name sets a bit
		// past it, which the core's range check names.
		const methodMask = methods?.reduce((mask, name) => mask | 2 ** Math.min(methodCode(name), 16), 0);
		const given = pack({...plain, methods: methodMask, onlyListedStatuses: statusCodes === undefined ? undefined : true}, RETRY_NUMBERS, numbers, 0) | (jitter === undefined ? 0 : JITTER_GIVEN);
		checkOptions('retry', numbers, given, jitter);
		this.#core = construct(0, numbers, given | jitterIndex(jitter) << JITTER_INDEX_SHIFT, '');
		// The attempts allowed, counted as the core's plan steps (one fewer than the attempts, at most
		// 999), so that the core needs no export to say how many.
		let attempts = 1;
		for (let previousMs = 0; (previousMs = this.#core.planStep(attempts, previousMs, true)) >= 0;) {
			attempts++;
		}

		this.#maxAttempts = attempts;
		this.#profile = profile;
		this.#delay = delay;
	}

	/** The caller's `delay(attempt)`, checked: a number of milliseconds the core can wait. */
	#ownDelayMs(attempt) {
		const delayMs = this.#delay(attempt);
		if (typeof delayMs !== 'number' || !(delayMs >= 0 && delayMs <= Number.MAX_SAFE_INTEGER)) {
			throw typeError('ERR_INVALID_RETURN_VALUE', `Expected \`delay(${attempt})\` to return a non-negative number of milliseconds, got ${describeType(delayMs)}.`);
		}

		return delayMs;
	}

	/** @internal */
	get core() {
		// A forged instance (`Object.create(RetryPolicy.prototype)`) has no core: a coded error, not
		// the engine's own TypeError about private members.
		if (!(#core in this)) {
			throw typeError('ERR_INVALID_ARGUMENT', 'Expected a RetryPolicy made by `new RetryPolicy()`.');
		}

		if (this.#core === undefined) {
			throw typeError('ERR_INVALID_ARGUMENT', 'This retry policy has been freed.');
		}

		return this.#core;
	}

	/** @internal */
	get profile() {
		return this.core && this.#profile;
	}

	get maxAttempts() {
		return this.core && this.#maxAttempts;
	}

	decide(outcome, state) {
		const policyCore = this.core;
		if (!isPlainObject(outcome)) {
			throw expectation('outcome', 'a plain object', outcome);
		}

		rejectUnknownOutcomeFields(outcome);
		if (state !== undefined && !(state instanceof ClientState)) {
			throw typeError('ERR_INVALID_ARGUMENT', 'Expected `state` to be a ClientState.');
		}

		const {attempt = 1, method = 'GET', bodyReplayable = true, origin = '', shouldRetry, offline = false} = outcome;
		if (!Number.isInteger(attempt) || attempt < 1 || attempt > 0xFF_FF_FF_FF) {
			throw expectation('attempt', 'a positive integer', attempt);
		}

		if (typeof method !== 'string' || method.length === 0 || method.length > 32) {
			throw expectation('method', 'an HTTP method name', method);
		}

		if (typeof bodyReplayable !== 'boolean') {
			throw expectation('bodyReplayable', 'a boolean', bodyReplayable);
		}

		if (shouldRetry !== undefined && typeof shouldRetry !== 'boolean') {
			throw expectation('shouldRetry', 'a boolean', shouldRetry);
		}

		if (typeof offline !== 'boolean') {
			throw expectation('offline', 'a boolean', offline);
		}

		if (typeof origin !== 'string' || origin.length > 2048) {
			throw expectation('origin', 'a string', origin);
		}

		const elapsedMs = nonNegative(outcome.elapsedMs, 'elapsedMs', 0);
		const nowMs = nonNegative(outcome.nowMs, 'nowMs', undefined) ?? Date.now();
		const previousDelayMs = nonNegative(outcome.previousDelayMs, 'previousDelayMs', 0);
		const salt = nonNegative(outcome.salt, 'salt', 0);
		const sentMs = nonNegative(outcome.sentMs, 'sentMs', -1);
		const verdict = outcomeVerdict(outcome, this.#profile, nowMs);
		const code = methodCode(method);
		const key = verdictKey(verdict);
		const retryAfterMs = verdict.retryAfterMs ?? -1;
		// The request's headers are read as a response's are (the same shapes, bounds and errors).
		const flags = (headerBlock(outcome.requestHeaders, IDEMPOTENCY_KEY, 'requestHeaders') === undefined ? 0 : HAS_IDEMPOTENCY_KEY)
			| (bodyReplayable ? BODY_REPLAYABLE : 0)
			| (shouldRetry === undefined ? 0 : (shouldRetry ? CALLER_RETRIES : CALLER_DECLINES))
			| (offline ? OFFLINE : 0);
		// The caller's `delay` is asked only about a failure, the only outcome that may wait.
		const backoffMs = this.#delay === undefined || verdict.status < 400 && verdict.status !== null ? -1 : this.#ownDelayMs(attempt);
		const reasonIndex = core.decide(policyCore, state === undefined ? none() : state.core, key, retryAfterMs, attempt, code, flags, elapsedMs, nowMs, sentMs, previousDelayMs, origin === '' ? undefined : origin, salt, backoffMs);
		const reason = reasonId(reasonIndex);
		const parts = [reason, verdict, result(DELAY), attempt, this.#maxAttempts, methodNames[code], result(HINT), result(LIMIT)];
		const decision = new Decision(result(RETRY) === 1, reason, verdict, parts);
		if (origin !== '' && state?.sharing) {
			try {
				state.sharing.told(origin, nowMs);
			} catch {}
		}

		return decision;
	}

	plan(attempts) {
		const {core} = this;
		if (attempts !== undefined && (!Number.isInteger(attempts) || attempts < 1 || attempts > 1000)) {
			throw expectation('attempts', 'an integer from 1 to 1000', attempts);
		}

		const waits = [];
		for (let attempt = 1, previousMs = 0; attempt < (attempts ?? this.#maxAttempts); attempt++) {
			previousMs = core.planStep(attempt, previousMs, false);
			waits.push(this.#delay === undefined ? previousMs : this.#ownDelayMs(attempt));
		}

		return waits;
	}

	/** Releases the policy's wasm memory now instead of at garbage collection. */
	free() {
		this.#core?.free();
		this.#core = undefined;
	}
}

/**
 * State shared by the requests of one client: retry budget, circuit breakers, throttle gates and
 * quota locks per origin.
 */
export class ClientState {
	#core;
	// The options as the core took them: `clear()` makes a fresh state from them.
	#made;
	#sharing;

	constructor(options) {
		const {profile, delay, share, plain = {}} = readOptions(options, CLIENT_STATE_FIELDS, 'client state');
		if (profile !== undefined || delay !== undefined) {
			throw optionError(`Invalid client state option: \`${profile === undefined ? 'delay' : 'profile'}\` is not a known field.`);
		}

		if (share !== undefined && typeof share?.attach !== 'function') {
			throw optionError(`Expected \`share\` from http-verdict/share, got ${describeType(share)}.`);
		}

		const numbers = new Float64Array(BUDGET_NUMBERS.length + BREAKER_NUMBERS.length + STATE_NUMBERS.length);
		const given = pack(plain.retryBudget, BUDGET_NUMBERS, numbers, 0)
			| pack(plain.circuitBreaker, BREAKER_NUMBERS, numbers, BUDGET_NUMBERS.length)
			| pack(plain, STATE_NUMBERS, numbers, BUDGET_NUMBERS.length + BREAKER_NUMBERS.length);
		checkOptions('state', numbers, given);
		this.#made = [1, numbers, given, ''];
		this.#core = construct(...this.#made);
		// The store's door to the core: merge what it was told, say what this state knows.
		this.#sharing = share?.attach((origin, nowMs, gateMs, quotaMs, openMs) => {
			this.#core?.share(origin, nowMs, gateMs, quotaMs, openMs, false);
			return this.#core && [result(GATE), result(QUOTA), result(OPEN)];
		});
	}

	/** @internal What the state shares through its `share` store, if it has one. */
	get sharing() {
		return this.#sharing;
	}

	/** @internal */
	get core() {
		if (!(#core in this)) {
			throw typeError('ERR_INVALID_ARGUMENT', 'Expected a ClientState made by `new ClientState()`.');
		}

		if (this.#core === undefined) {
			throw typeError('ERR_INVALID_ARGUMENT', 'This client state has been freed.');
		}

		return this.#core;
	}

	admit(policy, at = {}) {
		if (!(policy instanceof RetryPolicy)) {
			throw typeError('ERR_INVALID_ARGUMENT', 'Expected `policy` to be a RetryPolicy.');
		}

		if (!isPlainObject(at)) {
			throw typeError('ERR_INVALID_ARGUMENT', `Expected the second argument to be {origin, nowMs, elapsedMs, attempt}, got ${describeType(at)}.`);
		}

		const {origin = '', nowMs = Date.now(), elapsedMs = 0, attempt = 1} = at;

		if (typeof origin !== 'string') {
			throw expectation('origin', 'a string', origin);
		}

		if (!Number.isInteger(attempt) || attempt < 1) {
			throw expectation('attempt', 'a positive integer', attempt);
		}

		// A retry (any attempt after the first) also waits for its slot in the origin's pace.
		const code = this.core.admit(policy.core, origin, nonNegative(nowMs, 'nowMs', 0), nonNegative(elapsedMs, 'elapsedMs', 0), attempt > 1);
		const ms = result(ADMISSION);
		if (code === 0) {
			return {allowed: true, waitMs: 0, reason: null, retryInMs: null};
		}

		if (code === ADMISSION_WAIT) {
			return {allowed: false, waitMs: ms, reason: 'throttled', retryInMs: ms};
		}

		return {allowed: false, waitMs: null, reason: reasonId(code - ADMISSION_REJECTED), retryInMs: ms < 0 ? null : ms};
	}

	breakerState(origin, nowMs = Date.now()) {
		readOrigin(this.core, origin, nowMs);
		// The core answers with the state's index in `BreakerState::ALL` (src/breaker.rs).
		return ['closed', 'open', 'half_open'][result(BREAKER)];
	}

	/**
	 * Spends one retry from `origin`'s budget: true when the budget allowed it (or is off). For a
	 * hedge (http-verdict/hedge): a second copy of a slow request costs what a retry costs.
	 */
	spendRetry(origin, nowMs = Date.now()) {
		readOrigin(this.core, origin, nowMs, true);
		return result(RETRY) === 1;
	}

	retriesAvailable(origin, nowMs = Date.now()) {
		readOrigin(this.core, origin, nowMs);
		const available = result(BUDGET);
		return available < 0 ? Infinity : available;
	}

	clear() {
		this.core.free();
		this.#core = construct(...this.#made);
	}

	/** Releases the state's wasm memory now instead of at garbage collection, and stops sharing. */
	free() {
		this.#sharing?.close?.();
		this.#core?.free();
		this.#core = undefined;
	}
}

/** The own-backoff waits a policy with these options would use, for previews. */
export function plan(options, attempts) {
	const policy = new RetryPolicy(options);
	try {
		return policy.plan(attempts);
	} finally {
		policy.free();
	}
}
