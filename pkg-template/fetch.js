// createFetch: the I/O around the core's decisions. A success costs one admit and one decide (the
// shared state counts successes for its breaker and budget).

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
const FUNCTIONS = ['fetch', 'beforeRetry', 'onVerdict', 'onGiveUp', 'onUnauthorized', 'now', 'sleep'];
const OPTIONS = [...POLICY_OPTIONS, ...FUNCTIONS, 'timeout', 'totalTimeout', 'throwHttpErrors', 'cache', 'state'];
const MAX_TIMER_MS = 2_147_483_647;
const MAX_REDIRECTS = 20;
const MAX_PEEK_CHARS = 16_384;
const EMPTY = Object.freeze({});
const CREDENTIALS = ['authorization', 'cookie', 'proxy-authorization'];
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const REFRESHED = ['etag', 'last-modified', 'date', 'cache-control', 'expires'];
const EXHAUSTED = new Set(['max_attempts', 'deadline', 'budget_exhausted', 'circuit_open', 'retry_after_too_long']);
const ignore = () => {};
const bareVerdicts = [];

// Browsers hide redirects from `redirect: 'manual'` (an opaque response); there fetch follows them.
const runtimeShowsRedirects = typeof document === 'undefined' && typeof importScripts !== 'function';

// A timed attempt's own controller follows the caller's signal: one listener per caller signal, and
// a set of the controllers following it.
// NOTE: not AbortSignal.any: Node 20 keeps an entry in the caller's signal for every signal ever
// combined with it, until it aborts (nodejs/node#55351): about 90 bytes an attempt with a long-lived
// signal. A controller stops following when its attempt ends without a response, else when that
// response is collected: until then the caller's abort still stops its body, as with fetch.
const followers = new WeakMap();
const unfollowLater = new FinalizationRegistry(unfollowCaller);

function followCaller(caller, controller) {
	if (caller.aborted) {
		controller.abort(caller.reason);
		return undefined;
	}

	let following = followers.get(caller);
	if (following === undefined) {
		following = new Set();
		followers.set(caller, following);
		caller.addEventListener('abort', () => {
			for (const follower of following) {
				follower.abort(caller.reason);
			}

			following.clear();
		}, {once: true});
	}

	following.add(controller);
	return {caller, controller};
}

function unfollowCaller(link) {
	followers.get(link.caller)?.delete(link.controller);
}

function optionError(message) {
	return typeError('ERR_INVALID_OPTION', message);
}

function check(valid, name, expected, value) {
	if (!valid) {
		throw optionError(`Expected \`${name}\` to be ${expected}, got ${describeType(value)}.`);
	}
}

function readTimeout(value, name, fallback) {
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

function setLast(map, key, value, limit) {
	map.delete(key);
	map.set(key, value);
	if (map.size > limit) {
		map.delete(map.keys().next().value);
	}
}

function readStore(cache) {
	if (cache === true) {
		const entries = new Map();
		return {
			get: key => entries.get(key),
			set: (key, entry) => setLast(entries, key, entry, 500),
			delete: key => entries.delete(key),
		};
	}

	check(!cache || ['get', 'set', 'delete'].every(name => typeof cache[name] === 'function'), 'cache', 'a boolean or a store with get, set and delete methods', cache);
	return cache || undefined;
}

function defaultSleep(ms, signal) {
	return new Promise((resolve, reject) => {
		const onAbort = () => {
			clearTimeout(timer);
			reject(signal.reason);
		};

		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve(ms > MAX_TIMER_MS && defaultSleep(ms - MAX_TIMER_MS, signal));
		}, Math.min(ms, MAX_TIMER_MS));
		if (signal?.aborted) {
			onAbort();
		}

		signal?.addEventListener('abort', onAbort, {once: true});
	});
}

function expire(controller, ms) {
	controller.abort(new DOMException(`The attempt timed out after ${ms} ms.`, 'TimeoutError'));
}

function isRequest(value) {
	return typeof value?.url === 'string' && typeof value.clone === 'function' && typeof value.method === 'string';
}

function isOneShot(body) {
	return typeof body?.getReader === 'function' || typeof body?.[Symbol.asyncIterator] === 'function';
}

function bareVerdict(status) {
	bareVerdicts[status] ??= classify({status});
	return bareVerdicts[status];
}

function discard(response) {
	response?.body?.cancel().catch(ignore);
}

function define(response, name, value) {
	Object.defineProperty(response, name, {value, enumerable: true, configurable: true});
}

function withoutCredentials(headers) {
	headers = new Headers(headers);
	for (const name of CREDENTIALS) {
		headers.delete(name);
	}

	return headers;
}

async function peek(response) {
	let text = '';
	let reader;
	try {
		reader = response.clone().body.getReader();
		const decoder = new TextDecoder();
		for (let chunk; text.length < MAX_PEEK_CHARS && !(chunk = await reader.read()).done;) {
			text += decoder.decode(chunk.value, {stream: true});
		}
	} catch {}

	reader?.cancel().catch(ignore);
	return text;
}

function pickMessage(data, depth = 0) {
	for (const key of ['message', 'error', 'detail']) {
		const value = data?.[key];
		const message = typeof value === 'string' ? value.trim() : depth < 2 && pickMessage(value, depth + 1);
		if (message) {
			return message;
		}
	}
}

function serverMessage(text) {
	let message;
	try {
		message = pickMessage(JSON.parse(text));
	} catch {}

	message ||= text?.trim().replaceAll(/\s+/g, ' ');
	return message && !message.startsWith('<') ? message.slice(0, 500) : null;
}

function formatMs(ms) {
	return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 100) / 10} s`;
}

const REFUSALS = {
	quota_exceeded: 'The quota of this origin is exhausted',
	circuit_open: 'The circuit breaker for this origin is open',
	retry_after_too_long: 'This origin asked clients to wait longer than maxRetryAfterMs',
	deadline: 'Waiting for the throttle gate of this origin would pass the deadline',
};

export function createFetch(options = {}) {
	check(isPlainObject(options), 'options', 'a plain object', options);
	for (const key of Object.keys(options)) {
		if (!OPTIONS.includes(key)) {
			throw optionError(`Unknown createFetch option \`${key}\`. Known: ${OPTIONS.join(', ')}.`);
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

	const client = {
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
		showsRedirects: runtimeShowsRedirects,
	};
	return function verdictFetch(input, init) {
		try {
			return new Call(client, input, init ?? EMPTY).run();
		} catch (error) {
			return Promise.reject(error);
		}
	};
}

function policyFor(client, retry) {
	if (retry === undefined) {
		return client.policy;
	}

	check(retry === false || isPlainObject(retry), 'retry', 'false or an object of retry options', retry);

	const key = retry || client;
	let policy = client.policies.get(key);
	if (policy === undefined) {
		policy = new RetryPolicy({...client.policyOptions, ...(retry || {maxAttempts: 1})});
		client.policies.set(key, policy);
	}

	return policy;
}

class Call {
	constructor(client, input, init) {
		if (init.signal?.aborted) {
			throw init.signal.reason;
		}

		this.client = client;
		this.policy = policyFor(client, init.retry);
		this.timeoutMs = readTimeout(init.timeout, 'timeout', client.timeoutMs);
		this.signal = init.signal ?? undefined;
		this.source = input;
		let url = input;
		if (isRequest(input)) {
			url = input.url;
			const {method, headers, credentials, cache, redirect, referrerPolicy, integrity, keepalive} = input;
			init = {method, headers, credentials, cache, redirect, referrerPolicy, integrity, keepalive, ...init};
			this.signal ??= input.signal;
		}

		this.init = init;
		this.setUrl(new URL(url, globalThis.location?.href));
		this.method = init.method === undefined ? 'GET' : String(init.method).toUpperCase();
		this.headers = init.headers;
		this.ownsHeaders = false;
		if (this.headers !== undefined && typeof this.headers.has !== 'function' && !Array.isArray(this.headers) && !isPlainObject(this.headers)) {
			this.ownHeaders();
		}

		this.setBody(init.body);
		this.bodyChanged = false;
		this.attempt = 0;
		this.previousDelayMs = 0;
		this.redirected = false;
		this.refreshed = false;
		this.timer = undefined;
		this.link = undefined;
		this.totalExpires = false;
		for (let hops = 0, target; (target = client.moved.get(this.url)) && hops < MAX_REDIRECTS; hops++) {
			this.movedTo = target;
			this.goTo(target);
		}

		if (client.store !== undefined && this.method === 'GET' && init.cache !== 'no-store') {
			this.storeKey = this.url;
		}

		this.startMs = client.now();
		client.salt = (client.salt + 1) % Number.MAX_SAFE_INTEGER;
		this.salt = client.salt;
	}

	async prepare() {
		if (isRequest(this.source) && this.source.body !== null && this.bodyChanged === false && this.body === undefined) {
			this.setBody(await this.source.blob());
			this.bodyChanged = true;
		}

		const headers = this.storeKey && this.ownHeaders();
		if (!headers || headers.has('if-none-match') || headers.has('if-modified-since')) {
			return;
		}

		this.entry = await this.client.store.get(this.storeKey);
		if (this.entry?.etag) {
			headers.set('if-none-match', this.entry.etag);
		}

		if (this.entry?.lastModified) {
			headers.set('if-modified-since', this.entry.lastModified);
		}
	}

	async run() {
		const {client} = this;
		if (this.storeKey !== undefined || (this.source?.body && this.body === undefined)) {
			await this.prepare();
		}

		for (;;) {
			const admitting = this.admit();
			if (admitting !== undefined) {
				await admitting;
			}

			if (client.now() - this.startMs >= client.totalTimeoutMs) {
				throw await this.totalTimeout();
			}

			this.attempt++;
			const init = this.attemptInit();
			if (this.factory !== undefined) {
				init.body = await this.factory();
				if (isOneShot(init.body)) {
					init.duplex ??= 'half';
				}
			}

			this.response = undefined;
			this.error = undefined;
			let verdict;
			try {
				const fetch = client.fetch ?? globalThis.fetch;
				this.response = await fetch(this.url, init);
				const {status} = this.response;
				if (this.following && (status === 0 || (status > 300 && status < 400))) {
					await this.follow(fetch, init);
				}

				verdict = this.judge();
				if (verdict instanceof Promise) {
					verdict = await verdict;
				}
			} catch (error) {
				verdict = await this.judgeError(error);
			} finally {
				clearTimeout(this.timer);
				this.unlink();
			}

			const {response} = this;
			client.onVerdict?.(verdict, {attempt: this.attempt, request: this.describe(), response, error: this.error});
			if (response?.status < 400) {
				this.record(verdict);
				return this.storeKey === undefined && !this.redirected && this.movedTo === undefined ? response : this.deliver();
			}

			const decision = this.decide(verdict);
			if (verdict.kind === 'unauthorized' && await this.reauthenticate()) {
				continue;
			}

			if (!decision.retry) {
				return this.giveUp(decision);
			}

			discard(response);
			this.response = undefined;
			await this.wait(decision.delayMs);
			this.previousDelayMs = decision.delayMs;
			if (client.beforeRetry !== undefined) {
				await this.change(await client.beforeRetry({request: this.describe(), attempt: this.attempt + 1, decision, error: this.error, response}));
			}
		}
	}

	setUrl(url) {
		this.url = url.href;
		this.origin = url.origin;
	}

	goTo(url) {
		const next = new URL(url);
		if (next.origin !== this.origin) {
			this.headers = withoutCredentials(this.headers);
			this.ownsHeaders = true;
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

	setBody(body) {
		this.body = body;
		this.factory = typeof body === 'function' ? body : undefined;
		this.replayable = this.factory !== undefined || !isOneShot(body);
	}

	admit() {
		const nowMs = this.client.now();
		const admission = this.client.state.admit(this.policy, {origin: this.origin, nowMs, elapsedMs: nowMs - this.startMs});
		if (!admission.allowed) {
			return admission.waitMs === null
				? this.refusal(admission.reason, admission.retryInMs).then(error => Promise.reject(error))
				: this.wait(admission.waitMs).then(() => this.admit());
		}
	}

	attemptInit() {
		const {client} = this;
		const init = {...this.init};
		const leftMs = client.totalTimeoutMs - (client.now() - this.startMs);
		this.totalExpires = leftMs < this.timeoutMs;
		const timerMs = Math.min(this.timeoutMs, leftMs);
		if (this.signal !== undefined) {
			init.signal = this.signal;
		}

		if (timerMs !== Infinity) {
			const controller = new AbortController();
			this.controller = controller;
			this.timer = setTimeout(expire, timerMs, controller, timerMs);
			init.signal = controller.signal;
			this.link = this.signal === undefined ? undefined : followCaller(this.signal, controller);
		}

		if (this.ownsHeaders) {
			init.headers = this.headers;
		}

		if (this.bodyChanged) {
			init.body = this.body;
		}

		if (isOneShot(init.body)) {
			init.duplex ??= 'half';
		}

		this.following = client.showsRedirects && (this.method === 'GET' || this.method === 'HEAD') && (init.redirect ?? 'follow') === 'follow';
		if (this.following) {
			init.redirect = 'manual';
		}

		return init;
	}

	/** After an attempt: its controller stops following the caller's signal once nothing needs it. */
	unlink() {
		const {link, response} = this;
		if (link === undefined) {
			return;
		}

		this.link = undefined;
		if (response === undefined) {
			unfollowCaller(link);
		} else {
			unfollowLater.register(response, link);
		}
	}

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
		for (let hops = 0, location; (location = REDIRECTS.has(response.status) && response.headers.get('location')); hops++) {
			if (hops === MAX_REDIRECTS) {
				throw new TypeError('fetch failed', {cause: new Error('redirect count exceeded')});
			}

			const {status} = response;
			const next = new URL(location, url);
			permanent &&= status === 301 || status === 308;
			if (status === 301 || status === 308) {
				setLast(this.client.moved, url, next.href, 256);
			}

			if (permanent) {
				this.movedTo = next.href;
			}

			this.client.onVerdict?.(bareVerdict(status), {attempt: this.attempt, request: this.describe(), response});
			discard(response);
			if (next.origin !== this.origin && init.headers !== undefined) {
				init.headers = withoutCredentials(init.headers);
			}

			url = next.href;
			this.redirected = true;
			response = await fetch(url, init);
			this.response = response;
		}
	}

	judge() {
		const {status} = this.response;
		if (status === 0) {
			return bareVerdict(200);
		}

		return status >= 200 && status < 400 && this.client.profile === undefined ? bareVerdict(status) : this.classify();
	}

	async classify() {
		const {response, client} = this;
		const {status} = response;
		this.text = undefined;
		if (status >= 400 && this.method !== 'HEAD' && response.body && (status === 400 || status === 404 || status === 429 || client.profile)) {
			this.text = await peek(response);
		}

		if (this.signal?.aborted) {
			discard(response);
			throw this.signal.reason;
		}

		return classify({status, headers: response.headers, body: this.text}, {profile: client.profile, nowMs: client.now()});
	}

	async judgeError(error) {
		this.error = error;
		if (this.signal?.aborted) {
			discard(this.response);
			throw this.signal.reason;
		}

		this.response = undefined;
		if (this.totalExpires && this.controller.signal.aborted) {
			throw await this.totalTimeout();
		}

		const verdict = classifyError(error);
		if (verdict.kind === 'unknown_error') {
			throw error;
		}

		return verdict;
	}

	record(verdict) {
		const nowMs = this.client.now();
		this.verdict = verdict;
		this.policy.decide({attempt: this.attempt, verdict, elapsedMs: nowMs - this.startMs, nowMs, origin: this.origin, salt: this.salt}, this.client.state);
	}

	decide(verdict) {
		const nowMs = this.client.now();
		this.verdict = verdict;
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
		if (response.status === 304 && this.entry) {
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
		if ((etag ?? lastModified) === null || /no-store/i.test(headers.get('cache-control'))) {
			return;
		}

		let body;
		try {
			body = await response.clone().arrayBuffer();
		} catch {
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
		for (const name of REFRESHED) {
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
		if (change) {
			discard(this.response);
			await this.change(change);
		}

		return Boolean(change);
	}

	async change(change) {
		if (isRequest(change)) {
			this.init = {...this.init, method: change.method, headers: change.headers};
			this.headers = change.headers;
			this.ownsHeaders = false;
			this.method = change.method.toUpperCase();
			this.setBody(change.body === null ? undefined : await change.blob());
			this.bodyChanged = true;
			this.goTo(change.url);
		} else if (typeof change === 'object' && change !== null) {
			const {headers, ...rest} = change;
			for (const [name, value] of new Headers(headers)) {
				this.ownHeaders().set(name, value);
			}

			this.init = {...this.init, ...rest};
			this.method = String(this.init.method ?? 'GET').toUpperCase();
			if ('body' in rest) {
				this.setBody(rest.body);
				this.bodyChanged = true;
			}
		}
	}

	wait(ms) {
		return this.client.sleep(ms, this.signal);
	}

	async giveUp(decision) {
		const {client, response} = this;
		if (response?.status === 410) {
			for (const [from, to] of client.moved) {
				if (from === this.url || to === this.url) {
					client.moved.delete(from);
				}
			}

			await (this.storeKey && client.store.delete(this.storeKey));
		}

		await client.onGiveUp?.(decision);
		const throws = typeof client.throwHttpErrors === 'function' ? response && client.throwHttpErrors(response.status) : client.throwHttpErrors;
		if (response && !throws) {
			return this.mark(response);
		}

		throw this.failure(decision);
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

	where() {
		const url = new URL(this.url);
		return `(${this.method} ${url.origin}${url.pathname})`;
	}

	failure(decision) {
		const {response} = this;
		const fields = this.fields(decision);
		let message = `${decision.message} ${this.where()}`;
		if (!response) {
			return new (decision.verdict.kind === 'timeout' ? TimeoutError : NetworkError)(message, fields);
		}

		if (decision.reason === 'quota_exceeded') {
			const resetInMs = decision.verdict.kind === 'quota_exceeded' ? decision.verdict.retryAfterMs : null;
			return new QuotaExceededError(message + (resetInMs === null ? '' : `; resets at ${new Date(fields.nowMs + resetInMs).toISOString()}`), {...fields, resetInMs});
		}

		const said = serverMessage(this.text);
		if (said) {
			message += `. The server said: ${said}`;
		}

		if (response.status === 502 && EXHAUSTED.has(decision.reason)) {
			message += '. If the problem persists, please get in touch with support.';
		}

		return new HttpError(message, {...fields, serverMessage: said});
	}

	async refusal(reason, retryInMs) {
		const message = `${REFUSALS[reason]}${retryInMs === null ? '' : `; it may be tried again in ${formatMs(retryInMs)}`}; not sent ${this.where()}`;
		const decision = Object.freeze({retry: false, delayMs: 0, reason, message, verdict: this.verdict ?? null});
		await this.client.onGiveUp?.(decision);
		const fields = {...this.fields(decision), resetInMs: retryInMs, retryInMs};
		const Class = {quota_exceeded: QuotaExceededError, circuit_open: CircuitOpenError}[reason] ?? ThrottledError;
		return new Class(message, fields);
	}

	async totalTimeout() {
		const during = this.controller?.signal.aborted;
		const message = `Timeout; the totalTimeout of ${formatMs(this.client.totalTimeoutMs)} passed ${during ? 'during' : 'before'} attempt ${during ? this.attempt : this.attempt + 1}; not retried ${this.where()}`;
		const decision = Object.freeze({retry: false, delayMs: 0, reason: 'deadline', message, verdict: classifyError(new DOMException('', 'TimeoutError'))});
		await this.client.onGiveUp?.(decision);
		this.response = undefined;
		return new TimeoutError(message, this.fields(decision));
	}

	describe() {
		return new Request(this.url, {method: this.init.method ?? this.method, headers: this.headers});
	}
}
