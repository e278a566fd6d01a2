// One call: the loop of attempts (admit, send, judge, decide; then return, give up or wait and retry).
// The other concerns are plain functions of the call in the sibling files, not objects of their own,
// so that a successful GET allocates nothing more for the split.

import {typeError} from '../errors.js';
import {describeType, isPlainObject} from '../input.js';
import {classify, classifyError} from '../verdict.js';
import {bufferSource, freshBody, isOneShot, isRequest, setBody} from './body.js';
import {failure, refusal, totalTimeout} from './failure.js';
import {policyFor, readTimeout} from './options.js';
import {applyMoves, follow, forgetMoves, mark, withoutCredentials} from './redirects.js';
import {bareVerdict, discard, peek} from './responses.js';
import {expire, followCaller, MAX_TIMER_MS, unlink} from './signals.js';
import {addValidators, fromStore, storeResponse} from './store.js';

// The actions of the success and redirection kinds: a response below 400 is delivered when its verdict
// has one (the core's rule; a profile may read a 200 as a refusal, as GraphQL APIs answer their limits).
const DELIVERED = new Set(['deliver', 'follow_redirect', 'update_url', 'use_cache']);

export class Call {
	constructor(client, input, init) {
		if (init.signal?.aborted) {
			throw init.signal.reason;
		}

		this.client = client;
		({policy: this.policy, shouldRetry: this.shouldRetry} = policyFor(client, init.retry));
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

		setBody(this, init.body);
		this.bodyChanged = false;
		this.attempt = 0;
		this.previousDelayMs = 0;
		this.redirected = false;
		this.refreshed = false;
		this.timer = undefined;
		this.link = undefined;
		this.totalExpires = false;
		applyMoves(this);
		if (client.store !== undefined && this.method === 'GET' && init.cache !== 'no-store') {
			this.storeKey = this.url;
		}

		this.startMs = client.now();
		client.salt = (client.salt + 1) % Number.MAX_SAFE_INTEGER;
		this.salt = client.salt;
	}

	async prepare() {
		await bufferSource(this);
		if (this.storeKey !== undefined) {
			await addValidators(this);
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
				throw await totalTimeout(this);
			}

			this.attempt++;
			// The breaker ignores outcomes of attempts sent before it last changed state.
			this.sentMs = client.now();
			const init = this.attemptInit();
			if (this.factory !== undefined) {
				await freshBody(this, init);
			}

			this.response = undefined;
			this.error = undefined;
			let verdict;
			try {
				const fetch = client.fetch ?? globalThis.fetch;
				this.response = await fetch(this.url, init);
				const {status} = this.response;
				if (this.following && (status === 0 || (status > 300 && status < 400))) {
					await follow(this, fetch, init);
				}

				verdict = this.judge();
				if (verdict instanceof Promise) {
					verdict = await verdict;
				}
			} catch (error) {
				verdict = await this.judgeError(error);
			} finally {
				clearTimeout(this.timer);
				unlink(this);
			}

			const {response} = this;
			if (client.onVerdict !== undefined) {
				try {
					client.onVerdict(verdict, {attempt: this.attempt, request: this.describe(), response, error: this.error});
				} catch (error) {
					// The caller never gets this response: free its connection now, not at garbage collection.
					discard(response);
					throw error;
				}
			}

			// A profile may read a 2xx as a refusal: then it is decided on like any failure.
			if (response?.status < 400 && DELIVERED.has(verdict.action)) {
				this.record(verdict);
				return this.storeKey === undefined && !this.redirected && this.movedTo === undefined ? response : this.deliver();
			}

			let decision = this.decide(verdict);
			if (decision instanceof Promise) {
				decision = await decision;
			}

			if (verdict.kind === 'unauthorized' && await this.reauthenticate()) {
				continue;
			}

			if (!decision.retry) {
				return this.giveUp(decision);
			}

			if (decision.reason === 'offline') {
				// The same attempt again once the device is back online: no attempt, budget or wait spent.
				await this.untilOnline();
				this.attempt--;
				continue;
			}

			discard(response);
			this.response = undefined;
			if (this.failedUrl !== undefined && this.failedUrl !== this.url) {
				// Retry the URL that failed (got's rule), never resending credentials across origins.
				this.goTo(this.failedUrl);
			}

			this.failedUrl = undefined;
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

	admit() {
		const nowMs = this.client.now();
		const admission = this.client.state.admit(this.policy, {origin: this.origin, nowMs, elapsedMs: nowMs - this.startMs, attempt: this.attempt + 1});
		if (!admission.allowed) {
			return admission.waitMs === null
				? refusal(this, admission.reason, admission.retryInMs).then(error => Promise.reject(error))
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
		// The statuses whose body the core reads: 400 for its message, 403 and 503 for a rate limit's,
		// 404 and 429 for their variants; with a profile, every error and any status it has a body
		// rule for.
		if (this.method !== 'HEAD' && response.body && (status >= 400 && (status === 400 || status === 403 || status === 404 || status === 429 || status === 503 || client.profile) || client.profile?.bodyStatuses.has(status))) {
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
		// Whatever failed (the caller's signal, a status the core rejects, a redirect), the response
		// is not handed on: its body is cancelled so that its connection is freed at once.
		discard(this.response);
		if (this.signal?.aborted) {
			throw this.signal.reason;
		}

		this.response = undefined;
		if (this.totalExpires && this.controller.signal.aborted) {
			throw await totalTimeout(this);
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
		this.policy.decide({attempt: this.attempt, verdict, elapsedMs: nowMs - this.startMs, nowMs, sentMs: this.sentMs, origin: this.origin, salt: this.salt}, this.client.state);
	}

	decide(verdict) {
		const nowMs = this.client.now();
		this.verdict = verdict;
		const outcome = {
			attempt: this.attempt,
			method: this.method,
			requestHeaders: this.headers,
			bodyReplayable: this.replayable,
			verdict,
			elapsedMs: nowMs - this.startMs,
			nowMs,
			sentMs: this.sentMs,
			previousDelayMs: this.previousDelayMs,
			origin: this.origin,
			salt: this.salt,
			// A browser that knows it is offline: the failure is the device's, not the origin's.
			offline: verdict.kind === 'network_error' && globalThis.navigator?.onLine === false,
		};
		return this.shouldRetry === undefined ? this.policy.decide(outcome, this.client.state) : this.ask(outcome);
	}

	// The caller's `shouldRetry` sees what the policy alone would decide (without the client state,
	// which a preview must not change); its answer then goes into the one decision that counts.
	async ask(outcome) {
		const {verdict, attempt} = outcome;
		const decision = this.policy.decide(outcome);
		let answer;
		try {
			answer = await this.shouldRetry({request: this.describe(), verdict, decision, attempt, error: this.error, response: this.response});
			if (answer !== undefined && typeof answer !== 'boolean') {
				throw typeError('ERR_INVALID_RETURN_VALUE', `Expected \`shouldRetry\` to return true, false or undefined, got ${describeType(answer)}.`);
			}
		} catch (error) {
			// The caller never gets this response: free its connection now.
			discard(this.response);
			throw error;
		}

		return this.policy.decide({...outcome, shouldRetry: answer}, this.client.state);
	}

	async deliver() {
		let {response} = this;
		if (response.status === 304 && this.entry) {
			response = await fromStore(this, response);
		} else if (response.status === 200 && this.storeKey !== undefined) {
			storeResponse(this, response);
		}

		return mark(this, response);
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
			setBody(this, change.body === null ? undefined : await change.blob());
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
				setBody(this, rest.body);
				this.bodyChanged = true;
			}
		}
	}

	wait(ms) {
		return this.client.sleep(ms, this.signal);
	}

	/**
	 * Resolves when the browser says it is online again, or when what is left of the totalTimeout has
	 * passed (the loop then ends with a TimeoutError); rejects when the caller aborts.
	 */
	untilOnline() {
		const {client, signal} = this;
		const leftMs = client.totalTimeoutMs - (client.now() - this.startMs);
		return new Promise((resolve, reject) => {
			const done = () => {
				clearTimeout(timer);
				removeEventListener('online', done);
				signal?.removeEventListener('abort', aborted);
				resolve();
			};

			const aborted = () => {
				done();
				reject(signal.reason);
			};

			// NOTE: a real timer, not the injectable sleep: a sleep that returns at once (tests, a
			// caller's own) would spin a loop of offline attempts. Only browsers and workers report
			// themselves offline, and their global scope has the `online` event.
			const timer = leftMs < MAX_TIMER_MS ? setTimeout(done, leftMs) : undefined;
			addEventListener('online', done);
			if (signal?.aborted) {
				aborted();
			} else {
				signal?.addEventListener('abort', aborted);
			}
		});
	}

	async giveUp(decision) {
		const {client, response} = this;
		if (response?.status === 410) {
			forgetMoves(client.moved, this.url);
			await (this.storeKey && client.store.delete(this.storeKey));
		}

		await client.onGiveUp?.(decision);
		const throws = typeof client.throwHttpErrors === 'function' ? response && client.throwHttpErrors(response.status) : client.throwHttpErrors;
		if (response && !throws) {
			return mark(this, response);
		}

		throw failure(this, decision);
	}

	describe() {
		return new Request(this.url, {method: this.init.method ?? this.method, headers: this.headers});
	}
}
