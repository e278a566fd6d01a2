// Redirects and moves, followed here rather than by fetch so that each hop reaches onVerdict, a
// permanent move is remembered for the client's later calls, and credentials never change origin.

import {describe, goTo, withoutCredentials} from './request.js';
import {bareVerdict, define, discard} from './responses.js';
import {setLast} from './store.js';

// As fetch: a TypeError after this many hops.
const MAX_REDIRECTS = 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

// Browsers hide redirects from `redirect: 'manual'` (an opaque response); there fetch follows them.
export const runtimeShowsRedirects = typeof document === 'undefined' && typeof importScripts !== 'function';

export function applyMoves(call) {
	const {moved} = call.client;
	for (let hops = 0, target; (target = moved.get(call.url)) && hops < MAX_REDIRECTS; hops++) {
		call.movedTo = target;
		goTo(call, target);
	}
}

// After a 410 the moves from and to that URL are no longer true.
export function forgetMoves(moved, url) {
	for (const [from, to] of moved) {
		if (from === url || to === url) {
			moved.delete(from);
		}
	}
}

export async function follow(call, fetch, init) {
	let {response} = call;
	if (response.type === 'opaqueredirect') {
		call.client.showsRedirects = false;
		init.redirect = call.init.redirect;
		call.response = await fetch(call.url, init);
		return;
	}

	let url = call.url;
	let permanent = true;
	for (let hops = 0, location; (location = REDIRECTS.has(response.status) && response.headers.get('location')); hops++) {
		if (hops === MAX_REDIRECTS) {
			throw new TypeError('fetch failed', {cause: new Error('redirect count exceeded')});
		}

		const {status} = response;
		const next = new URL(location, url);
		if (next.protocol !== 'http:' && next.protocol !== 'https:') {
			// As fetch: a network error, which classifyError calls unknown (never retried, no breaker
			// failure), before anything is followed or remembered.
			throw new TypeError('fetch failed', {cause: new TypeError('URL scheme must be a HTTP(S) scheme')});
		}

		permanent &&= status === 301 || status === 308;
		if (status === 301 || status === 308) {
			setLast(call.client.moved, url, next.href, 256);
		}

		if (permanent) {
			call.movedTo = next.href;
		}

		call.client.onVerdict?.(bareVerdict(status), {attempt: call.attempt, request: describe(call), response});
		discard(response);
		if (next.origin !== call.origin && init.headers !== undefined) {
			init.headers = withoutCredentials(init.headers);
		}

		url = next.href;
		call.redirected = true;
		response = await fetch(url, init);
		call.response = response;
	}

	// Where a retry goes if this answer fails: the URL that failed, as got does, not the redirect again.
	call.failedUrl = url;
}

export function mark(call, response) {
	if (call.redirected) {
		define(response, 'redirected', true);
	}

	if (call.movedTo !== undefined) {
		define(response, 'movedTo', call.movedTo);
	}

	return response;
}
