// The request a call sends: its URL (a move to another origin drops the credentials), its headers
// (copied before the first change, so the caller's object is never written to) and the Request that
// the hooks see.

const CREDENTIALS = ['authorization', 'cookie', 'proxy-authorization'];

export function withoutCredentials(headers) {
	headers = new Headers(headers);
	for (const name of CREDENTIALS) {
		headers.delete(name);
	}

	return headers;
}

export function setUrl(call, url) {
	call.url = url.href;
	call.origin = url.origin;
}

export function goTo(call, url) {
	const next = new URL(url);
	if (next.origin !== call.origin) {
		call.headers = withoutCredentials(call.headers);
		call.ownsHeaders = true;
	}

	setUrl(call, next);
}

/** The call's own Headers, to change: a copy of the caller's the first time. */
export function ownHeaders(call) {
	if (!call.ownsHeaders) {
		call.headers = new Headers(call.headers);
		call.ownsHeaders = true;
	}

	return call.headers;
}

/** The request as the hooks (onVerdict, beforeRetry, shouldRetry, onUnauthorized) and errors show it. */
export function describe(call) {
	return new Request(call.url, {method: call.init.method ?? call.method, headers: call.headers});
}
