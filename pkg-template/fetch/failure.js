// The errors a call ends with. In one place so that all carry the same fields and messages the same
// shape: the decision, the method and URL without query or fragment (they may hold secrets, and
// messages get logged), and what the server said, so that a log line alone says what failed.

import {CircuitOpenError, HttpError, NetworkError, QuotaExceededError, ThrottledError, TimeoutError} from '../errors.js';
// Waits read as in decisions (`450 ms`, `9.8 s`, `1.5 min`, `1 h`): one formatter for every sentence;
// the core's waits are whole ms already.
import {formatWait} from '../sentences.js';
import {classifyError} from '../verdict.js';
import {describe} from './request.js';

// After these a 502 has persisted through the retries.
const EXHAUSTED = new Set(['max_attempts', 'deadline', 'budget_exhausted', 'circuit_open', 'retry_after_too_long']);

const MAX_QUOTA_LOCK_MS = 24 * 60 * 60 * 1000;

const REFUSALS = {
	quota_exceeded: 'The quota of this origin is exhausted',
	circuit_open: 'The circuit breaker for this origin is open',
	retry_after_too_long: 'This origin asked clients to wait longer than maxRetryAfterMs',
	deadline: 'Waiting for the throttle gate of this origin would pass the deadline',
};

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

function errorFields(call, decision) {
	const nowMs = call.client.now();
	return {
		verdict: decision.verdict,
		decision,
		attempts: call.attempt,
		elapsedMs: nowMs - call.startMs,
		nowMs,
		request: describe(call),
		response: call.response,
		cause: call.error,
	};
}

function where(call) {
	const url = new URL(call.url);
	return `(${call.method} ${url.origin}${url.pathname})`;
}

export function failure(call, decision) {
	const {response} = call;
	const fields = errorFields(call, decision);
	let message = `${decision.message} ${where(call)}`;
	if (decision.reason === 'deadline') {
		// Out of time (the next wait would pass totalTimeout or deadlineMs): the error table's
		// TimeoutError, whatever the last attempt got, which stays in `verdict` and `response`.
		return new TimeoutError(message, fields);
	}

	if (!response) {
		return new (decision.verdict.kind === 'timeout' ? TimeoutError : NetworkError)(message, fields);
	}

	if (decision.reason === 'quota_exceeded') {
		// The lock the client applied, which the core caps at a day (MAX_QUOTA_LOCK_MS in
		// src/client_state.rs), not a hostile reset years away that no Date can even print.
		const resetInMs = decision.verdict.kind === 'quota_exceeded' && decision.verdict.retryAfterMs !== null ? Math.min(decision.verdict.retryAfterMs, MAX_QUOTA_LOCK_MS) : null;
		return new QuotaExceededError(message + (resetInMs === null ? '' : `; resets at ${new Date(fields.nowMs + resetInMs).toISOString()}`), {...fields, resetInMs});
	}

	const said = serverMessage(call.text);
	if (said) {
		message += `. The server said: ${said}`;
	}

	if (response.status === 502 && EXHAUSTED.has(decision.reason)) {
		message += '. If the problem persists, please get in touch with support.';
	}

	return new HttpError(message, {...fields, serverMessage: said});
}

/**
 * The fields of an error that ends a call on a decision made here rather than by the core (nothing
 * was sent, or the totalTimeout passed), after onGiveUp has seen that decision.
 */
async function endedHere(call, reason, message, verdict) {
	const decision = Object.freeze({retry: false, delayMs: 0, reason, message, verdict});
	await call.client.onGiveUp?.(decision);
	return errorFields(call, decision);
}

export async function refusal(call, reason, retryInMs) {
	const message = `${REFUSALS[reason]}${retryInMs === null ? '' : `; it may be tried again in ${formatWait(retryInMs)}`}; not sent ${where(call)}`;
	const fields = await endedHere(call, reason, message, call.verdict ?? null);
	const Class = {quota_exceeded: QuotaExceededError, circuit_open: CircuitOpenError}[reason] ?? ThrottledError;
	return new Class(message, {...fields, resetInMs: retryInMs, retryInMs});
}

export async function totalTimeout(call) {
	const during = call.controller?.signal.aborted;
	const message = `Timeout; the totalTimeout of ${formatWait(Math.round(call.client.totalTimeoutMs))} passed ${during ? 'during' : 'before'} attempt ${during ? call.attempt : call.attempt + 1}; not retried ${where(call)}`;
	// The error carries no response: none is handed on.
	call.response = undefined;
	return new TimeoutError(message, await endedHere(call, 'deadline', message, classifyError(new DOMException('', 'TimeoutError'))));
}
