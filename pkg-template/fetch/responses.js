// Response helpers the loop, redirects and the store share: dropping one (its body is cancelled so the
// connection is freed), peeking at an error reply without consuming it, and the wrapper's own fields.

import {classify} from '../verdict.js';

const MAX_PEEK_CHARS = 16_384;
const bareVerdicts = [];

const ignore = () => {};

// Without headers or body a verdict is a pure function of the status.
export function bareVerdict(status) {
	bareVerdicts[status] ??= classify({status});
	return bareVerdicts[status];
}

export function discard(response) {
	response?.body?.cancel().catch(ignore);
}

export function define(response, name, value) {
	Object.defineProperty(response, name, {value, enumerable: true, configurable: true});
}

export async function peek(response) {
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
