// Error construction for bad arguments. Errors are the built-in TypeError / RangeError (what
// callers already catch) with a stable `code`, like Node's own argument errors.

export function typeError(code, message) {
	const error = new TypeError(message);
	error.code = code;
	return error;
}

export function rangeError(code, message) {
	const error = new RangeError(message);
	error.code = code;
	return error;
}

// The errors createFetch rejects with. Guards compare `name` and `code`, not the class, so that they
// recognise errors from another realm or another copy of the package, and tell TimeoutError from the
// DOMException of that name.

class RequestFailure extends Error {
	constructor(message, fields = {}) {
		super(message, fields.cause === undefined ? undefined : {cause: fields.cause});
		this.name = this.constructor.name;
		this.code = this.constructor.code;
		this.verdict = fields.verdict ?? null;
		this.decision = fields.decision ?? null;
		this.reason = this.decision?.reason ?? null;
		this.attempts = fields.attempts ?? 0;
		this.elapsedMs = fields.elapsedMs ?? 0;
		this.request = fields.request;
		this.response = fields.response;
	}

	static is(value) {
		return value?.name === this.name && value.code === this.code;
	}
}

export class HttpError extends RequestFailure {
	// Literal, as minifiers rename classes.
	static name = 'HttpError';
	static code = 'ERR_HTTP_STATUS';

	constructor(message, fields) {
		super(message, fields);
		this.serverMessage = fields?.serverMessage ?? null;
	}
}

export class NetworkError extends RequestFailure {
	static name = 'NetworkError';
	static code = 'ERR_NETWORK';
}

export class TimeoutError extends RequestFailure {
	static name = 'TimeoutError';
	static code = 'ERR_TIMEOUT';
}

export class QuotaExceededError extends RequestFailure {
	static name = 'QuotaExceededError';
	static code = 'ERR_QUOTA_EXCEEDED';

	constructor(message, fields) {
		super(message, fields);
		this.resetInMs = fields?.resetInMs ?? null;
		this.resetAt = this.resetInMs === null ? null : new Date((fields.nowMs ?? Date.now()) + this.resetInMs);
	}
}

export class CircuitOpenError extends RequestFailure {
	static name = 'CircuitOpenError';
	static code = 'ERR_CIRCUIT_OPEN';

	constructor(message, fields) {
		super(message, fields);
		this.retryInMs = fields?.retryInMs ?? null;
	}
}

export class ThrottledError extends RequestFailure {
	static name = 'ThrottledError';
	static code = 'ERR_THROTTLED';

	constructor(message, fields) {
		super(message, fields);
		this.retryInMs = fields?.retryInMs ?? null;
	}
}

export const isHttpError = value => HttpError.is(value);
export const isNetworkError = value => NetworkError.is(value);
export const isTimeoutError = value => TimeoutError.is(value);
export const isQuotaExceededError = value => QuotaExceededError.is(value);
export const isCircuitOpenError = value => CircuitOpenError.is(value);
export const isThrottledError = value => ThrottledError.is(value);
