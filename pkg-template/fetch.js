// createFetch: fetch that retries, revalidates and explains itself. Every decision is the core's
// (RetryPolicy.decide against the client's ClientState); this module does only what the core
// cannot: timers, abort signals, the redirects it can see, the conditional-request store, hooks,
// and turning the last outcome into an error. One Call object per request holds its state, so the
// success path allocates little beyond what fetch itself needs.

import {CircuitOpenError, HttpError, NetworkError, QuotaExceededError, rangeError, ThrottledError, TimeoutError, typeError} from './errors.js';
import {describeType, isPlainObject} from './input.js';
import {ClientState, RetryPolicy} from './policy.js';
import {RETRY_OPTION_FIELDS} from './schema.js';
import {classify, classifyError} from './verdict.js';

export {
	CircuitOpenError,
	HttpError,
	isCircuitOpenError,
	isHttpError,
	isNetworkError,
	isQuotaExceededError,
	isThrottledError,
	isTimeoutError,
	NetworkError,
	QuotaExceededError,
	ThrottledError,
	TimeoutError,
} from './errors.js';

const POLICY_OPTIONS = [...Object.keys(RETRY_OPTION_FIELDS), 'profile'];
const FUNCTION_OPTIONS = ['fetch', 'beforeRetry', 'onVerdict', 'onGiveUp', 'onUnauthorized', 'now', 'sleep'];
const OPTIONS = [...POLICY_OPTIONS, ...FUNCTION_OPTIONS, 'timeout', 'totalTimeout', 'throwHttpErrors', 'cache', 'state'];
const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_TIMER_MS = 2_147_483_647;
const MAX_REDIRECTS = 20;
const MAX_REMEMBERED_MOVES = 256;
const MAX_STORED = 500;
// Enough for a JSON error reply; the core itself reads only the first 2 KB.
const MAX_PEEK_CHARS = 16_384;
const EMPTY = Object.freeze({});
const CREDENTIALS = ['authorization', 'cookie', 'proxy-authorization'];
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const REFRESHED_HEADERS = ['etag', 'last-modified', 'date', 'cache-control', 'expires'];
// Reasons meaning the wrapper would have retried but ran out of room: the failure persisted.
const EXHAUSTED = new Set(['max_attempts', 'deadline', 'budget_exhausted', 'circuit_open', 'retry_after_too_long']);
const SUPPORT_ADVICE = 'If the problem persists, please get in touch with support.';
const ignore = () => {};

// Browsers answer `redirect: 'manual'` with an opaque response that hides the target, so there fetch
// follows redirects itself. Pages and workers are detected here; any other runtime that turns out
// to hide them too is noticed at its first opaque answer.
const runtimeShowsRedirects = typeof document === 'undefined' && typeof importScripts !== 'function';

const linkSignals = typeof AbortSignal.any === 'function'
	? (caller, controller) => AbortSignal.any([caller, controller.signal])
	: (caller, controller) => {
		// NOTE: without AbortSignal.any the listener stays on the caller's signal until it aborts.
		caller.addEventListener('abort', () => controller.abort(caller.reason), {once: true});
		return controller.signal;
	};

function optionError(message) {
	return typeError('ERR_INVALID_OPTION', message);
}

function readTimeout(value, name, fallback) {
	if (value === undefined) {
		return fallback;
	}

	if (value === false || value === Infinity) {
		return Infinity;
	}

	if (typeof value !== 'number') {
		throw optionError(`Expected \`${name}\` to be a positive number of milliseconds or false, got ${describeType(value)}.`);
	}

	if (!(value > 0 && value <= MAX_TIMER_MS)) {
		throw rangeError('ERR_INVALID_OPTION', `Expected \`${name}\` to be a positive number of milliseconds up to ${MAX_TIMER_MS}, or false, got ${value}.`);
	}

	return value;
}

function memoryStore() {
	const entries = new Map();
	return {
		get(key) {
			const entry = entries.get(key);
			if (entry !== undefined) {
				entries.delete(key);
				entries.set(key, entry);
			}

			return entry;
		},
		set(key, entry) {
			entries.delete(key);
			entries.set(key, entry);
			if (entries.size > MAX_STORED) {
				entries.delete(entries.keys().next().value);
			}
		},
		delete(key) {
			entries.delete(key);
		},
	};
}

function readStore(cache) {
	if (cache === undefined || cache === false) {
		return undefined;
	}

	if (cache === true) {
		return memoryStore();
	}

	if (typeof cache?.get === 'function' && typeof cache.set === 'function' && typeof cache.delete === 'function') {
		return cache;
	}

	throw optionError(`Expected \`cache\` to be a boolean or a store with get(key), set(key, entry) and delete(key) methods, got ${describeType(cache)}.`);
}

function defaultSleep(ms, signal) {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) {
			reject(signal.reason);
			return;
		}

		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve(ms > MAX_TIMER_MS ? defaultSleep(ms - MAX_TIMER_MS, signal) : undefined);
		}, Math.min(ms, MAX_TIMER_MS));
		function onAbort() {
			clearTimeout(timer);
			reject(signal.reason);
		}

		signal?.addEventListener('abort', onAbort, {once: true});
	});
}

// An injected sleep may ignore the signal; the caller's abort must still end the wait at once.
function untilAborted(promise, signal) {
	return new Promise((resolve, reject) => {
		const onAbort = () => reject(signal.reason);
		if (signal.aborted) {
			onAbort();
			return;
		}

		signal.addEventListener('abort', onAbort, {once: true});
		Promise.resolve(promise).then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
	});
}

function expire(controller, ms) {
	controller.abort(new DOMException(`The attempt timed out after ${ms} ms.`, 'TimeoutError'));
}

function isRequest(value) {
	return typeof value === 'object' && value !== null && typeof value.url === 'string' && typeof value.clone === 'function' && typeof value.method === 'string';
}

function isOneShot(body) {
	return typeof body === 'object' && body !== null && (typeof body.getReader === 'function' || typeof body[Symbol.asyncIterator] === 'function');
}

function discard(response) {
	response?.body?.cancel().catch(ignore);
}

function define(response, name, value) {
	Object.defineProperty(response, name, {value, enumerable: true, configurable: true});
}

/** The start of a response's text, read from a clone so that the caller can still read it; never throws. */
async function peek(response) {
	let reader;
	let text = '';
	try {
		reader = response.clone().body.getReader();
		const decoder = new TextDecoder();
		while (text.length < MAX_PEEK_CHARS) {
			// eslint-disable-next-line no-await-in-loop
			const {done, value} = await reader.read();
			if (done) {
				break;
			}

			text += decoder.decode(value, {stream: true});
		}
	} catch {
		// A reply that breaks off is classified on what arrived.
	}

	reader?.cancel().catch(ignore);
	return text;
}

function pickMessage(data, depth = 0) {
	for (const key of ['message', 'error', 'detail']) {
		const value = data?.[key];
		if (typeof value === 'string' && value.trim() !== '') {
			return value.trim();
		}

		if (typeof value === 'object' && depth < 2) {
			const inner = pickMessage(value, depth + 1);
			if (inner !== undefined) {
				return inner;
			}
		}
	}
}

/** The reply's own message: JSON `message` / `error` / `detail`, else its text (not HTML). */
function serverMessage(text) {
	if (!text) {
		return null;
	}

	try {
		const message = pickMessage(JSON.parse(text));
		if (message !== undefined) {
			return message.slice(0, 500);
		}
	} catch {}

	const plain = text.trim().replaceAll(/\s+/g, ' ');
	return plain === '' || plain.startsWith('<') ? null : plain.slice(0, 500);
}

function formatMs(ms) {
	return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 100) / 10} s`;
}

const REFUSALS = {
	quota_exceeded: ms => `The origin's quota is exhausted${ms === null ? '' : `; it resets in ${formatMs(ms)}`}; not sent`,
	circuit_open: ms => `The circuit breaker for this origin is open after repeated failures${ms === null ? '' : `; it probes again in ${formatMs(ms)}`}; not sent`,
	retry_after_too_long: ms => `The origin asked clients to wait ${formatMs(ms)}, longer than maxRetryAfterMs; not sent`,
	deadline: ms => `Waiting ${formatMs(ms)} for the origin's throttle gate would pass the deadline; not sent`,
};

/**
 * Creates a fetch function that retries, revalidates and explains itself. Types and docs: fetch.d.ts.
 */
export function createFetch(options = {}) {
	if (!isPlainObject(options)) {
		throw optionError(`Expected \`options\` to be a plain object, got ${describeType(options)}.`);
	}

	for (const key of Object.keys(options)) {
		if (!OPTIONS.includes(key)) {
			throw optionError(`Unknown createFetch option \`${key}\`. Known: ${OPTIONS.map(name => `\`${name}\``).join(', ')}.`);
		}
	}

	for (const name of FUNCTION_OPTIONS) {
		if (options[name] !== undefined && typeof options[name] !== 'function') {
			throw optionError(`Expected \`${name}\` to be a function, got ${describeType(options[name])}.`);
		}
	}

	const {throwHttpErrors = true, state = new ClientState()} = options;
	if (typeof throwHttpErrors !== 'boolean' && typeof throwHttpErrors !== 'function') {
		throw optionError(`Expected \`throwHttpErrors\` to be a boolean or a function, got ${describeType(throwHttpErrors)}.`);
	}

	if (!(state instanceof ClientState)) {
		throw optionError('Expected `state` to be a ClientState.');
	}

	const policyOptions = {};
	for (const name of POLICY_OPTIONS) {
		if (options[name] !== undefined) {
			policyOptions[name] = options[name];
		}
	}

	const totalTimeoutMs = readTimeout(options.totalTimeout, 'totalTimeout', Infinity);
	if (totalTimeoutMs !== Infinity && policyOptions.deadlineMs === undefined) {
		// The core then refuses any wait that would cross it (reason `deadline`).
		policyOptions.deadlineMs = totalTimeoutMs;
	}

	const client = {
		policy: new RetryPolicy(policyOptions),
		policyOptions,
		policies: new WeakMap(),
		noRetryPolicy: undefined,
		profile: options.profile,
		state,
		fetch: options.fetch,
		timeoutMs: readTimeout(options.timeout, 'timeout', DEFAULT_TIMEOUT_MS),
		totalTimeoutMs,
		throwHttpErrors,
		beforeRetry: options.beforeRetry,
		onVerdict: options.onVerdict,
		onGiveUp: options.onGiveUp,
		onUnauthorized: options.onUnauthorized,
		store: readStore(options.cache),
		now: options.now ?? Date.now,
		sleep: options.sleep ?? defaultSleep,
		salt: 0,
		moved: new Map(),
		showsRedirects: runtimeShowsRedirects,
	};
	return function verdictFetch(input, init) {
		return new Call(client, init ?? EMPTY).run(input);
	};
}

function policyFor(client, retry) {
	if (retry === undefined) {
		return client.policy;
	}

	if (retry === false) {
		client.noRetryPolicy ??= new RetryPolicy({...client.policyOptions, maxAttempts: 1});
		return client.noRetryPolicy;
	}

	if (!isPlainObject(retry)) {
		throw optionError(`Expected \`retry\` to be false or an object of retry options, got ${describeType(retry)}.`);
	}

	let policy = client.policies.get(retry);
	if (policy === undefined) {
		policy = new RetryPolicy({...client.policyOptions, ...retry});
		client.policies.set(retry, policy);
	}

	return policy;
}

function remember(client, from, to) {
	const {moved} = client;
	moved.delete(from);
	moved.set(from, to);
	if (moved.size > MAX_REMEMBERED_MOVES) {
		moved.delete(moved.keys().next().value);
	}
}

class Call {
	constructor(client, init) {
		this.client = client;
		this.init = init;
		this.policy = client.policy;
		this.url = '';
		this.origin = '';
		this.method = 'GET';
		this.headers = init.headers;
		this.ownsHeaders = false;
		this.body = init.body;
		this.factory = undefined;
		this.replayable = true;
		this.signal = init.signal ?? undefined;
		this.timeoutMs = client.timeoutMs;
		this.timer = undefined;
		this.controller = undefined;
		this.totalExpires = false;
		this.attempt = 0;
		this.startMs = 0;
		this.previousDelayMs = 0;
		this.salt = 0;
		this.response = undefined;
		this.error = undefined;
		this.verdict = undefined;
		this.text = undefined;
		this.storeKey = undefined;
		this.entry = undefined;
		this.movedTo = undefined;
		this.redirected = false;
		this.refreshed = false;
	}

	async run(input) {
		await this.prepare(input);
		const {client} = this;
		for (;;) {
			// eslint-disable-next-line no-await-in-loop
			await this.admit();
			this.attempt++;
			// eslint-disable-next-line no-await-in-loop
			const verdict = await this.send();
			client.onVerdict?.(verdict, {attempt: this.attempt, request: this.describe(), response: this.response, error: this.error});
			const decision = this.decide(verdict);
			const {response} = this;
			if (response !== undefined && response.status < 400) {
				return this.deliver();
			}

			// eslint-disable-next-line no-await-in-loop
			if (verdict.kind === 'unauthorized' && await this.reauthenticate()) {
				continue;
			}

			if (!decision.retry) {
				return this.giveUp(decision);
			}

			discard(response);
			this.response = undefined;
			// eslint-disable-next-line no-await-in-loop
			await this.wait(decision.delayMs);
			this.previousDelayMs = decision.delayMs;
			if (client.beforeRetry !== undefined) {
				// eslint-disable-next-line no-await-in-loop
				await this.change(await client.beforeRetry({request: this.describe(), attempt: this.attempt + 1, decision, error: this.error, response}));
			}
		}
	}

	async prepare(input) {
		const {client, init} = this;
		if (this.signal?.aborted) {
			throw this.signal.reason;
		}

		this.policy = policyFor(client, init.retry);
		this.timeoutMs = readTimeout(init.timeout, 'timeout', client.timeoutMs);
		let source;
		if (isRequest(input)) {
			source = input;
			this.init = {
				method: source.method,
				headers: source.headers,
				credentials: source.credentials,
				cache: source.cache,
				redirect: source.redirect,
				referrerPolicy: source.referrerPolicy,
				integrity: source.integrity,
				keepalive: source.keepalive,
				...init,
			};
			this.headers = this.init.headers;
			this.signal ??= source.signal;
		}

		this.setUrl(new URL(source?.url ?? input, globalThis.location?.href));
		this.method = String(this.init.method ?? 'GET').toUpperCase();
		if (this.headers !== undefined && typeof this.headers.has !== 'function' && !Array.isArray(this.headers) && !isPlainObject(this.headers)) {
			// Any other iterable of pairs (a Map): normalised once, as the policy reads only these forms.
			this.ownHeaders();
		}

		if (source !== undefined && source.body !== null && init.body === undefined) {
			// Read once, so that every attempt can send it again.
			this.body = await source.blob();
		}

		this.setBody(this.body);
		let target = client.moved.get(this.url);
		for (let hops = 0; target !== undefined && hops < MAX_REDIRECTS; hops++) {
			this.movedTo = target;
			this.goTo(target);
			target = client.moved.get(target);
		}

		const {store} = client;
		if (store !== undefined && this.method === 'GET' && this.init.cache !== 'no-store') {
			this.ownHeaders();
			this.storeKey = this.url;
			// A caller who sends validators of their own gets the 304 as it is.
			if (!this.headers.has('if-none-match') && !this.headers.has('if-modified-since')) {
				const entry = await store.get(this.storeKey);
				if (entry) {
					this.entry = entry;
					if (entry.etag) {
						this.headers.set('if-none-match', entry.etag);
					}

					if (entry.lastModified) {
						this.headers.set('if-modified-since', entry.lastModified);
					}
				}
			}
		}

		this.startMs = client.now();
		client.salt = (client.salt + 1) % Number.MAX_SAFE_INTEGER;
		this.salt = client.salt;
	}

	setUrl(url) {
		this.url = url.href;
		this.origin = url.origin;
	}

	/** Sends later attempts to `url`; Authorization and cookies never follow to another origin. */
	goTo(url) {
		const next = new URL(url);
		if (next.origin !== this.origin) {
			this.stripCredentials();
		}

		this.setUrl(next);
	}

	ownHeaders() {
		if (!this.ownsHeaders) {
			this.headers = new Headers(this.headers);
			this.ownsHeaders = true;
		}

		return this.headers;
	}

	stripCredentials() {
		const headers = this.ownHeaders();
		for (const name of CREDENTIALS) {
			headers.delete(name);
		}
	}

	setBody(body) {
		this.body = body;
		this.factory = typeof body === 'function' ? body : undefined;
		this.replayable = this.factory !== undefined || !isOneShot(body);
	}

	/** Asks the shared state before an attempt: wait for a throttle gate, or fail fast. */
	async admit() {
		const {client} = this;
		for (;;) {
			const nowMs = client.now();
			const admission = client.state.admit(this.policy, {origin: this.origin, nowMs, elapsedMs: nowMs - this.startMs});
			if (admission.allowed) {
				return;
			}

			if (admission.waitMs === null) {
				throw await this.refusal(admission.reason, admission.retryInMs);
			}

			// eslint-disable-next-line no-await-in-loop
			await this.wait(admission.waitMs);
		}
	}

	/** One attempt, redirects it follows included; returns the verdict of its outcome. */
	async send() {
		const {client} = this;
		let timerMs = this.timeoutMs;
		if (client.totalTimeoutMs !== Infinity) {
			const leftMs = client.totalTimeoutMs - (client.now() - this.startMs);
			if (leftMs <= 0) {
				this.attempt--;
				throw await this.totalTimeout();
			}

			this.totalExpires = leftMs < timerMs;
			timerMs = Math.min(timerMs, leftMs);
		}

		let {signal} = this;
		if (timerMs !== Infinity) {
			const controller = new AbortController();
			this.controller = controller;
			this.timer = setTimeout(expire, timerMs, controller, timerMs);
			signal = signal === undefined ? controller.signal : linkSignals(signal, controller);
		}

		const init = {...this.init, signal};
		if (this.ownsHeaders) {
			init.headers = this.headers;
		}

		init.body = this.factory === undefined ? this.body : await this.factory();
		if (isOneShot(init.body)) {
			init.duplex ??= 'half';
		}

		const manual = client.showsRedirects && (this.method === 'GET' || this.method === 'HEAD') && (init.redirect === undefined || init.redirect === 'follow');
		if (manual) {
			init.redirect = 'manual';
		}

		this.response = undefined;
		this.error = undefined;
		try {
			const fetch = client.fetch ?? globalThis.fetch;
			this.response = await fetch(this.url, init);
			if (manual) {
				await this.follow(fetch, init);
			}

			return await this.judge();
		} catch (error) {
			this.error = error;
			return await this.judgeError();
		} finally {
			clearTimeout(this.timer);
		}
	}

	/** Follows redirects itself (GET and HEAD, where the runtime shows them), remembering 301 and 308. */
	async follow(fetch, init) {
		let {response} = this;
		if (response.type === 'opaqueredirect') {
			this.client.showsRedirects = false;
			init.redirect = this.init.redirect;
			this.response = await fetch(this.url, init);
			return;
		}

		let url = this.url;
		let permanent = true;
		for (let hops = 0; ; hops++) {
			const {status} = response;
			const location = REDIRECTS.has(status) ? response.headers.get('location') : null;
			if (location === null) {
				return;
			}

			if (hops === MAX_REDIRECTS) {
				throw new TypeError('fetch failed', {cause: new Error('redirect count exceeded')});
			}

			const next = new URL(location, url);
			if (status === 301 || status === 308) {
				remember(this.client, url, next.href);
				if (permanent) {
					this.movedTo = next.href;
				}
			} else {
				permanent = false;
			}

			this.client.onVerdict?.(classify({status}), {attempt: this.attempt, request: this.describe(), response, error: undefined});
			discard(response);
			if (next.origin !== this.origin && init.headers !== undefined) {
				const headers = new Headers(init.headers);
				for (const name of CREDENTIALS) {
					headers.delete(name);
				}

				init.headers = headers;
			}

			url = next.href;
			this.redirected = true;
			// eslint-disable-next-line no-await-in-loop
			response = await fetch(url, init);
			this.response = response;
		}
	}

	/** Classifies the response, reading the start of its body only where the verdict or the error needs it. */
	async judge() {
		const {response, client} = this;
		const {status} = response;
		if (status >= 200 && status < 400) {
			return client.profile === undefined ? classify({status}) : classify({status, headers: response.headers}, {profile: client.profile, nowMs: client.now()});
		}

		if (status === 0) {
			// An opaque response (no-cors): nothing to classify, delivered as it is.
			return classify({status: 200});
		}

		this.text = undefined;
		if (this.method !== 'HEAD' && response.body !== null && (status === 400 || status === 404 || status === 429 || client.profile !== undefined)) {
			this.text = await peek(response);
		}

		if (this.signal?.aborted) {
			discard(response);
			throw this.signal.reason;
		}

		return classify({status, headers: response.headers, body: this.text}, {profile: client.profile, nowMs: client.now()});
	}

	async judgeError() {
		if (this.signal?.aborted) {
			discard(this.response);
			throw this.signal.reason;
		}

		if (this.totalExpires && this.controller.signal.aborted) {
			throw await this.totalTimeout();
		}

		const verdict = classifyError(this.error);
		if (verdict.kind === 'unknown_error') {
			// Not a network failure (an invalid URL, a bug): as fetch itself would reject.
			throw this.error;
		}

		return verdict;
	}

	decide(verdict) {
		this.verdict = verdict;
		const nowMs = this.client.now();
		return this.policy.decide({
			attempt: this.attempt,
			method: this.method,
			requestHeaders: this.headers,
			bodyReplayable: this.replayable,
			verdict,
			elapsedMs: nowMs - this.startMs,
			nowMs,
			previousDelayMs: this.previousDelayMs,
			origin: this.origin,
			salt: this.salt,
		}, this.client.state);
	}

	async deliver() {
		let {response} = this;
		if (response.status === 304 && this.entry !== undefined) {
			response = await this.fromStore(response);
		} else if (response.status === 200 && this.storeKey !== undefined) {
			await this.store(response);
		}

		return this.mark(response);
	}

	mark(response) {
		if (this.redirected) {
			define(response, 'redirected', true);
		}

		if (this.movedTo !== undefined) {
			define(response, 'movedTo', this.movedTo);
		}

		return response;
	}

	async store(response) {
		const {headers} = response;
		const etag = headers.get('etag');
		const lastModified = headers.get('last-modified');
		if ((etag === null && lastModified === null) || /no-store/i.test(headers.get('cache-control') ?? '')) {
			return;
		}

		let body;
		try {
			body = await response.clone().arrayBuffer();
		} catch {
			// A body that breaks off is not stored; the caller meets the same failure reading it.
			return;
		}

		await this.client.store.set(this.storeKey, {
			url: response.url || this.url,
			status: response.status,
			statusText: response.statusText,
			headers: [...headers].filter(([name]) => name !== 'set-cookie'),
			body,
			etag,
			lastModified,
			storedAtMs: this.client.now(),
		});
	}

	async fromStore(notModified) {
		const {entry} = this;
		const headers = new Headers(entry.headers);
		let changed = false;
		for (const name of REFRESHED_HEADERS) {
			const value = notModified.headers.get(name);
			if (value !== null && value !== headers.get(name)) {
				headers.set(name, value);
				changed = true;
			}
		}

		if (changed) {
			await this.client.store.set(this.storeKey, {...entry, headers: [...headers], etag: headers.get('etag'), lastModified: headers.get('last-modified')});
		}

		const response = new Response(this.method === 'HEAD' ? null : entry.body, {status: entry.status, statusText: entry.statusText, headers});
		define(response, 'url', entry.url);
		define(response, 'fromCache', true);
		return response;
	}

	async reauthenticate() {
		const {client} = this;
		if (client.onUnauthorized === undefined || this.refreshed || !this.replayable) {
			return false;
		}

		this.refreshed = true;
		const change = await client.onUnauthorized({request: this.describe(), response: this.response});
		if (!change) {
			return false;
		}

		discard(this.response);
		this.response = undefined;
		await this.change(change);
		return true;
	}

	/** Applies what a hook returned: a Request replaces the request, an init-like object is merged. */
	async change(change) {
		if (isRequest(change)) {
			this.init = {...this.init, method: change.method, headers: change.headers};
			this.headers = change.headers;
			this.ownsHeaders = false;
			this.method = change.method.toUpperCase();
			this.setBody(change.body === null ? undefined : await change.blob());
			this.goTo(change.url);
			return;
		}

		if (change === null || typeof change !== 'object') {
			return;
		}

		const {headers, ...rest} = change;
		if (headers !== undefined) {
			const own = this.ownHeaders();
			for (const [name, value] of new Headers(headers)) {
				own.set(name, value);
			}
		}

		this.init = {...this.init, ...rest};
		if (rest.method !== undefined) {
			this.method = String(rest.method).toUpperCase();
		}

		if ('body' in rest) {
			this.setBody(rest.body);
		}
	}

	async wait(ms) {
		const {signal, client} = this;
		if (client.sleep === defaultSleep) {
			await defaultSleep(ms, signal);
		} else {
			const sleeping = client.sleep(ms, signal);
			await (signal === undefined ? sleeping : untilAborted(sleeping, signal));
		}
	}

	async giveUp(decision) {
		const {client, response} = this;
		if (response?.status === 410) {
			await this.purge();
		}

		await client.onGiveUp?.(decision);
		if (response !== undefined) {
			const throws = typeof client.throwHttpErrors === 'function' ? client.throwHttpErrors(response.status) : client.throwHttpErrors;
			if (!throws) {
				return this.mark(response);
			}
		}

		throw this.failure(decision);
	}

	/** 410: the resource is gone; its stored copy and every remembered move to or from it go too. */
	async purge() {
		const {moved, store} = this.client;
		for (const [from, to] of moved) {
			if (from === this.url || to === this.url) {
				moved.delete(from);
			}
		}

		if (this.storeKey !== undefined) {
			await store.delete(this.storeKey);
		}
	}

	fields(decision) {
		const nowMs = this.client.now();
		return {
			verdict: decision.verdict,
			decision,
			attempts: this.attempt,
			elapsedMs: nowMs - this.startMs,
			nowMs,
			request: this.describe(),
			response: this.response,
			cause: this.error,
		};
	}

	/** Where the message says the request went: no query or fragment, which may hold secrets. */
	where() {
		const url = new URL(this.url);
		return `(${this.method} ${url.origin}${url.pathname})`;
	}

	failure(decision) {
		const {response} = this;
		const fields = this.fields(decision);
		let message = `${decision.message} ${this.where()}`;
		if (response === undefined) {
			return decision.verdict.kind === 'timeout' ? new TimeoutError(message, fields) : new NetworkError(message, fields);
		}

		if (decision.reason === 'quota_exceeded') {
			const resetInMs = decision.verdict.kind === 'quota_exceeded' ? decision.verdict.retryAfterMs : null;
			return new QuotaExceededError(message + (resetInMs === null ? '' : `; resets at ${new Date(fields.nowMs + resetInMs).toISOString()}`), {...fields, resetInMs});
		}

		const said = serverMessage(this.text);
		if (said !== null) {
			message += `. The server said: ${said}`;
		}

		if (response.status === 502 && EXHAUSTED.has(decision.reason)) {
			message += `. ${SUPPORT_ADVICE}`;
		}

		return new HttpError(message, {...fields, serverMessage: said});
	}

	/** The error for an attempt the shared state refused to send. */
	async refusal(reason, retryInMs) {
		const decision = Object.freeze({retry: false, delayMs: 0, reason, message: `${REFUSALS[reason](retryInMs)} ${this.where()}`, verdict: this.verdict ?? null});
		await this.client.onGiveUp?.(decision);
		const fields = {...this.fields(decision), resetInMs: retryInMs, retryInMs};
		if (reason === 'quota_exceeded') {
			return new QuotaExceededError(decision.message, fields);
		}

		return reason === 'circuit_open' ? new CircuitOpenError(decision.message, fields) : new ThrottledError(decision.message, fields);
	}

	async totalTimeout() {
		const verdict = classifyError(new DOMException('', 'TimeoutError'));
		const when = this.controller?.signal.aborted ? `during attempt ${this.attempt}` : `before attempt ${this.attempt + 1}`;
		const message = `Timeout; the totalTimeout of ${formatMs(this.client.totalTimeoutMs)} passed ${when}; not retried ${this.where()}`;
		const decision = Object.freeze({retry: false, delayMs: 0, reason: 'deadline', message, verdict});
		await this.client.onGiveUp?.(decision);
		this.response = undefined;
		return new TimeoutError(decision.message, this.fields(decision));
	}

	/** The request as hooks and errors see it: URL, method and headers (the body stays with the wrapper). */
	describe() {
		return new Request(this.url, {method: this.init.method ?? this.method, headers: this.headers});
	}
}
