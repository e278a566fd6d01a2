// One call: the loop of attempts (admit, send, judge, decide; then return, give up or wait and retry).
// A call is a plain object of state; its steps here, like the other concerns in the sibling files,
// are plain functions of it: a successful GET allocates nothing more for the split, and, minified,
// `call.x` reached through a one-letter parameter is shorter than `this.x` (-115 B gzip, measured).

import {typeError} from '../errors.js';
import {describeType, isPlainObject} from '../input.js';
import {classify as classifyResponse, classifyError} from '../verdict.js';
import {bufferSource, freshBody, isOneShot, isRequest, setBody} from './body.js';
import {failure, refusal, totalTimeout} from './failure.js';
import {policyFor, readTimeout} from './options.js';
import {applyMoves, follow, forgetMoves, mark} from './redirects.js';
import {describe, goTo, ownHeaders, setUrl} from './request.js';
import {bareVerdict, discard, peek} from './responses.js';
import {expire, followCaller, leftMs, unlink, untilOnline} from './signals.js';
import {addValidators, fromStore, storeResponse} from './store.js';

// The actions of the success and redirection kinds: a response below 400 is delivered when its verdict
// has one (the core's rule; a profile may read a 200 as a refusal, as GraphQL APIs answer their limits).
const DELIVERED = new Set(['deliver', 'follow_redirect', 'update_url', 'use_cache']);

/** The state of one call of `input` with `init`; throws what the caller passed wrong, or its abort. */
export function createCall(client, input, init) {
	if (init.signal?.aborted) {
		throw init.signal.reason;
	}

	const {policy, shouldRetry} = policyFor(client, init.retry);
	const timeoutMs = readTimeout(init.timeout, 'timeout', client.timeoutMs);
	let signal = init.signal ?? undefined;
	let url = input;
	if (isRequest(input)) {
		url = input.url;
		const {method, headers, credentials, cache, redirect, referrerPolicy, integrity, keepalive} = input;
		init = {method, headers, credentials, cache, redirect, referrerPolicy, integrity, keepalive, ...init};
		signal ??= input.signal;
	}

	// NOTE: the fields every call has, in one literal: a field added to an object later is slower to
	// read (-3% of createFetch's own time, measured).
	const call = {
		client,
		policy,
		shouldRetry,
		timeoutMs,
		signal,
		source: input,
		init,
		url: '',
		origin: '',
		method: 'GET',
		headers: init.headers,
		ownsHeaders: false,
		body: undefined,
		factory: undefined,
		replayable: true,
		bodyChanged: false,
		attempt: 0,
		previousDelayMs: 0,
		redirected: false,
		refreshed: false,
		timer: undefined,
		link: undefined,
		totalExpires: false,
		startMs: 0,
		salt: 0,
	};
	setUrl(call, new URL(url, globalThis.location?.href));
	if (init.method !== undefined) {
		call.method = String(init.method).toUpperCase();
	}

	if (call.headers !== undefined && typeof call.headers.has !== 'function' && !Array.isArray(call.headers) && !isPlainObject(call.headers)) {
		ownHeaders(call);
	}

	setBody(call, init.body);
	applyMoves(call);
	if (client.store !== undefined && call.method === 'GET' && init.cache !== 'no-store') {
		call.storeKey = call.url;
	}

	call.startMs = client.now();
	client.salt = (client.salt + 1) % Number.MAX_SAFE_INTEGER;
	call.salt = client.salt;
	return call;
}

async function prepare(call) {
	await bufferSource(call);
	if (call.storeKey !== undefined) {
		await addValidators(call);
	}
}

/** The call's attempts, until one is returned or the call gives up (rejecting with why). */
export async function run(call) {
	const {client} = call;
	if (call.storeKey !== undefined || (call.source?.body && call.body === undefined)) {
		await prepare(call);
	}

	for (;;) {
		const admitting = admit(call);
		if (admitting !== undefined) {
			await admitting;
		}

		if (leftMs(call) <= 0) {
			throw await totalTimeout(call);
		}

		call.attempt++;
		// The breaker ignores outcomes of attempts sent before it last changed state.
		call.sentMs = client.now();
		const init = attemptInit(call);
		if (call.factory !== undefined) {
			await freshBody(call, init);
		}

		call.response = undefined;
		call.error = undefined;
		let verdict;
		try {
			const fetch = client.fetch ?? globalThis.fetch;
			call.response = await fetch(call.url, init);
			const {status} = call.response;
			if (call.following && (status === 0 || (status > 300 && status < 400))) {
				await follow(call, fetch, init);
			}

			verdict = judge(call);
			if (verdict instanceof Promise) {
				verdict = await verdict;
			}
		} catch (error) {
			verdict = await judgeError(call, error);
		} finally {
			clearTimeout(call.timer);
			unlink(call);
		}

		const {response} = call;
		if (client.onVerdict !== undefined) {
			try {
				client.onVerdict(verdict, {attempt: call.attempt, request: describe(call), response, error: call.error});
			} catch (error) {
				// The caller never gets this response: free its connection now, not at garbage collection.
				discard(response);
				throw error;
			}
		}

		// A profile may read a 2xx as a refusal: then it is decided on like any failure.
		if (response?.status < 400 && DELIVERED.has(verdict.action)) {
			record(call, verdict);
			return call.storeKey === undefined && !call.redirected && call.movedTo === undefined ? response : deliver(call);
		}

		let decision = decide(call, verdict);
		if (decision instanceof Promise) {
			decision = await decision;
		}

		if (verdict.kind === 'unauthorized' && await reauthenticate(call)) {
			continue;
		}

		if (!decision.retry) {
			return giveUp(call, decision);
		}

		if (decision.reason === 'offline') {
			// The same attempt again once the device is back online: no attempt, budget or wait spent.
			await untilOnline(call);
			call.attempt--;
			continue;
		}

		discard(response);
		call.response = undefined;
		if (call.failedUrl !== undefined && call.failedUrl !== call.url) {
			// Retry the URL that failed (got's rule), never resending credentials across origins.
			goTo(call, call.failedUrl);
		}

		call.failedUrl = undefined;
		await wait(call, decision.delayMs);
		call.previousDelayMs = decision.delayMs;
		if (client.beforeRetry !== undefined) {
			await change(call, await client.beforeRetry({request: describe(call), attempt: call.attempt + 1, decision, error: call.error, response}));
		}
	}
}

function admit(call) {
	const nowMs = call.client.now();
	const admission = call.client.state.admit(call.policy, {origin: call.origin, nowMs, elapsedMs: nowMs - call.startMs, attempt: call.attempt + 1});
	if (!admission.allowed) {
		return admission.waitMs === null
			? refusal(call, admission.reason, admission.retryInMs).then(error => Promise.reject(error))
			: wait(call, admission.waitMs).then(() => admit(call));
	}
}

function attemptInit(call) {
	const {client} = call;
	const init = {...call.init};
	const timeLeftMs = leftMs(call);
	call.totalExpires = timeLeftMs < call.timeoutMs;
	const timerMs = Math.min(call.timeoutMs, timeLeftMs);
	if (call.signal !== undefined) {
		init.signal = call.signal;
	}

	if (timerMs !== Infinity) {
		const controller = new AbortController();
		call.controller = controller;
		call.timer = setTimeout(expire, timerMs, controller, timerMs);
		init.signal = controller.signal;
		call.link = call.signal === undefined ? undefined : followCaller(call.signal, controller);
	}

	if (call.ownsHeaders) {
		init.headers = call.headers;
	}

	if (call.bodyChanged) {
		init.body = call.body;
	}

	if (isOneShot(init.body)) {
		init.duplex ??= 'half';
	}

	call.following = client.showsRedirects && (call.method === 'GET' || call.method === 'HEAD') && (init.redirect ?? 'follow') === 'follow';
	if (call.following) {
		init.redirect = 'manual';
	}

	return init;
}

function judge(call) {
	const {status} = call.response;
	if (status === 0) {
		return bareVerdict(200);
	}

	return status >= 200 && status < 400 && call.client.profile === undefined ? bareVerdict(status) : classify(call);
}

async function classify(call) {
	const {response, client} = call;
	const {status} = response;
	call.text = undefined;
	// The statuses whose body the core reads: 400 for its message, 403 and 503 for a rate limit's,
	// 404 and 429 for their variants; with a profile, every error and any status it has a body
	// rule for.
	if (call.method !== 'HEAD' && response.body && (status >= 400 && (status === 400 || status === 403 || status === 404 || status === 429 || status === 503 || client.profile) || client.profile?.bodyStatuses.has(status))) {
		call.text = await peek(response);
	}

	if (call.signal?.aborted) {
		discard(response);
		throw call.signal.reason;
	}

	return classifyResponse({status, headers: response.headers, body: call.text}, {profile: client.profile, nowMs: client.now()});
}

async function judgeError(call, error) {
	call.error = error;
	// Whatever failed (the caller's signal, a status the core rejects, a redirect), the response
	// is not handed on: its body is cancelled so that its connection is freed at once.
	discard(call.response);
	if (call.signal?.aborted) {
		throw call.signal.reason;
	}

	call.response = undefined;
	if (call.totalExpires && call.controller.signal.aborted) {
		throw await totalTimeout(call);
	}

	const verdict = classifyError(error);
	if (verdict.kind === 'unknown_error') {
		throw error;
	}

	return verdict;
}

function record(call, verdict) {
	const nowMs = call.client.now();
	call.verdict = verdict;
	call.policy.decide({attempt: call.attempt, verdict, elapsedMs: nowMs - call.startMs, nowMs, sentMs: call.sentMs, origin: call.origin, salt: call.salt}, call.client.state);
}

function decide(call, verdict) {
	const nowMs = call.client.now();
	call.verdict = verdict;
	const outcome = {
		attempt: call.attempt,
		method: call.method,
		requestHeaders: call.headers,
		bodyReplayable: call.replayable,
		verdict,
		elapsedMs: nowMs - call.startMs,
		nowMs,
		sentMs: call.sentMs,
		previousDelayMs: call.previousDelayMs,
		origin: call.origin,
		salt: call.salt,
		// A browser that knows it is offline: the failure is the device's, not the origin's.
		offline: verdict.kind === 'network_error' && globalThis.navigator?.onLine === false,
	};
	return call.shouldRetry === undefined ? call.policy.decide(outcome, call.client.state) : ask(call, outcome);
}

// The caller's `shouldRetry` sees what the policy alone would decide (without the client state,
// which a preview must not change); its answer then goes into the one decision that counts.
async function ask(call, outcome) {
	const {verdict, attempt} = outcome;
	const decision = call.policy.decide(outcome);
	let answer;
	try {
		answer = await call.shouldRetry({request: describe(call), verdict, decision, attempt, error: call.error, response: call.response});
		if (answer !== undefined && typeof answer !== 'boolean') {
			throw typeError('ERR_INVALID_RETURN_VALUE', `Expected \`shouldRetry\` to return true, false or undefined, got ${describeType(answer)}.`);
		}
	} catch (error) {
		// The caller never gets this response: free its connection now.
		discard(call.response);
		throw error;
	}

	return call.policy.decide({...outcome, shouldRetry: answer}, call.client.state);
}

async function deliver(call) {
	let {response} = call;
	if (response.status === 304 && call.entry) {
		response = await fromStore(call, response);
	} else if (response.status === 200 && call.storeKey !== undefined) {
		storeResponse(call, response);
	}

	return mark(call, response);
}

async function reauthenticate(call) {
	const {client} = call;
	if (client.onUnauthorized === undefined || call.refreshed || !call.replayable) {
		return false;
	}

	call.refreshed = true;
	const changed = await client.onUnauthorized({request: describe(call), response: call.response});
	if (changed) {
		discard(call.response);
		await change(call, changed);
	}

	return Boolean(changed);
}

/** Applies what beforeRetry or onUnauthorized returned: a Request, or init fields to merge. */
async function change(call, changed) {
	if (isRequest(changed)) {
		call.init = {...call.init, method: changed.method, headers: changed.headers};
		call.headers = changed.headers;
		call.ownsHeaders = false;
		call.method = changed.method.toUpperCase();
		setBody(call, changed.body === null ? undefined : await changed.blob());
		call.bodyChanged = true;
		goTo(call, changed.url);
	} else if (typeof changed === 'object' && changed !== null) {
		const {headers, ...rest} = changed;
		for (const [name, value] of new Headers(headers)) {
			ownHeaders(call).set(name, value);
		}

		call.init = {...call.init, ...rest};
		call.method = String(call.init.method ?? 'GET').toUpperCase();
		if ('body' in rest) {
			setBody(call, rest.body);
			call.bodyChanged = true;
		}
	}
}

function wait(call, ms) {
	return call.client.sleep(ms, call.signal);
}

async function giveUp(call, decision) {
	const {client, response} = call;
	if (response?.status === 410) {
		forgetMoves(client.moved, call.url);
		await (call.storeKey && client.store.delete(call.storeKey));
	}

	await client.onGiveUp?.(decision);
	const throws = typeof client.throwHttpErrors === 'function' ? response && client.throwHttpErrors(response.status) : client.throwHttpErrors;
	if (response && !throws) {
		return mark(call, response);
	}

	throw failure(call, decision);
}
