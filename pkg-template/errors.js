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

// The errors createFetch rejects with: one class per concern, data in properties, the original
// failure as `cause`. The guards compare `name` and `code` instead of using instanceof, so that
// they recognise errors from another realm or another copy of this package; the code also keeps
// TimeoutError apart from the DOMException of the same name.

const is = (value, name, code) => value?.name === name && value.code === code;

class RequestFailure extends Error {
	constructor(name, code, message, fields = {}) {
		super(message, fields.cause === undefined ? undefined : {cause: fields.cause});
		this.name = name;
		this.code = code;
		this.verdict = fields.verdict ?? null;
		this.decision = fields.decision ?? null;
		this.reason = this.decision?.reason ?? null;
		this.attempts = fields.attempts ?? 0;
		this.elapsedMs = fields.elapsedMs ?? 0;
		this.request = fields.request;
		this.response = fields.response;
	}
}

export class HttpError extends RequestFailure {
	constructor(message, fields) {
		super('HttpError', 'ERR_HTTP_STATUS', message, fields);
		this.serverMessage = fields?.serverMessage ?? null;
	}

	static is(value) {
		return is(value, 'HttpError', 'ERR_HTTP_STATUS');
	}
}

export class NetworkError extends RequestFailure {
	constructor(message, fields) {
		super('NetworkError', 'ERR_NETWORK', message, fields);
	}

	static is(value) {
		return is(value, 'NetworkError', 'ERR_NETWORK');
	}
}

export class TimeoutError extends RequestFailure {
	constructor(message, fields) {
		super('TimeoutError', 'ERR_TIMEOUT', message, fields);
	}

	static is(value) {
		return is(value, 'TimeoutError', 'ERR_TIMEOUT');
	}
}

export class QuotaExceededError extends RequestFailure {
	constructor(message, fields) {
		super('QuotaExceededError', 'ERR_QUOTA_EXCEEDED', message, fields);
		this.resetInMs = fields?.resetInMs ?? null;
		this.resetAt = this.resetInMs === null ? null : new Date((fields.nowMs ?? Date.now()) + this.resetInMs);
	}

	static is(value) {
		return is(value, 'QuotaExceededError', 'ERR_QUOTA_EXCEEDED');
	}
}

export class CircuitOpenError extends RequestFailure {
	constructor(message, fields) {
		super('CircuitOpenError', 'ERR_CIRCUIT_OPEN', message, fields);
		this.retryInMs = fields?.retryInMs ?? null;
	}

	static is(value) {
		return is(value, 'CircuitOpenError', 'ERR_CIRCUIT_OPEN');
	}
}

export class ThrottledError extends RequestFailure {
	constructor(message, fields) {
		super('ThrottledError', 'ERR_THROTTLED', message, fields);
		this.retryInMs = fields?.retryInMs ?? null;
	}

	static is(value) {
		return is(value, 'ThrottledError', 'ERR_THROTTLED');
	}
}

export const isHttpError = value => HttpError.is(value);
export const isNetworkError = value => NetworkError.is(value);
export const isTimeoutError = value => TimeoutError.is(value);
export const isQuotaExceededError = value => QuotaExceededError.is(value);
export const isCircuitOpenError = value => CircuitOpenError.is(value);
export const isThrottledError = value => ThrottledError.is(value);
