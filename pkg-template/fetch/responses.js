// Response helpers the loop, redirects and the store share: dropping one (its body is cancelled so the
// connection is freed), peeking at an error reply without consuming it, and the wrapper's own fields.

import {classify} from '../verdict.js';

const MAX_PEEK_CHARS = 16_384;
export const PEEK_WAIT_MS = 1000;
const ignore = () => {};

// Without headers or body a verdict is a pure function of the status (classify keeps each one made).
export function bareVerdict(status) {
	return classify({status});
}

export function discard(response) {
	response?.body?.cancel().catch(ignore);
}

export function define(response, name, value) {
	Object.defineProperty(response, name, {value, enumerable: true, configurable: true});
}

/**
 * The start of an error reply's body, read from a clone (the response stays readable): at most
 * MAX_PEEK_CHARS, and only what arrives within PEEK_WAIT_MS, so that a body trickled or never
 * finished holds the call that long at most, with or without a `timeout`.
 */
export async function peek(response) {
	let text = '';
	let reader;
	let timer;
	const expired = new Promise(resolve => {
		timer = setTimeout(resolve, PEEK_WAIT_MS);
	});
	try {
		reader = response.clone().body.getReader();
		const decoder = new TextDecoder();
		for (let chunk; text.length < MAX_PEEK_CHARS && (chunk = await Promise.race([reader.read(), expired])) && !chunk.done;) {
			text += decoder.decode(chunk.value, {stream: true});
		}
	} catch {}

	clearTimeout(timer);
	reader?.cancel().catch(ignore);
	return text;
}
