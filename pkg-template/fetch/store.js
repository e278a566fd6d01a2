// The revalidation store (`cache`): a GET's 200 with a validator is kept and a later 304 answered from
// it. It saves the transfer, never the request, so nothing here decides freshness.

import {ownHeaders} from './request.js';
import {define} from './responses.js';
import {leftMs} from './signals.js';

const REFRESHED = ['etag', 'last-modified', 'date', 'cache-control', 'expires'];
// A copy for the store is bounded in bytes and time: a gzip bomb or an endless body behind an ETag
// once took a process to 1 GB, or held the call forever, before it resolved.
export const MAX_STORED_BYTES = 1024 * 1024;
export const STORE_WAIT_MS = 5000;

// Maps keep insertion order, so the first key is the oldest (the moved map is bounded this way too).
export function setLast(map, key, value, limit) {
	map.delete(key);
	map.set(key, value);
	if (map.size > limit) {
		map.delete(map.keys().next().value);
	}
}

export function memoryStore() {
	const entries = new Map();
	return {
		get: key => entries.get(key),
		set: (key, entry) => setLast(entries, key, entry, 500),
		delete: key => entries.delete(key),
	};
}

export async function addValidators(call) {
	const headers = ownHeaders(call);
	// A range, or the caller's own conditions (`If-*`), ask for an answer the stored whole body is
	// not: such a request goes to the server as sent, and its answer is not stored.
	if ([...headers.keys()].some(name => name === 'range' || name.startsWith('if-'))) {
		call.storeKey = undefined;
		return;
	}

	await call.client.storing.get(call.storeKey);
	call.entry = await call.client.store.get(call.storeKey);
	if (call.entry?.etag) {
		headers.set('if-none-match', call.entry.etag);
	}

	if (call.entry?.lastModified) {
		headers.set('if-modified-since', call.entry.lastModified);
	}
}

/**
 * The whole of `body` if it ends within `maxBytes` and `waitMs`, else undefined; the stream is
 * cancelled either way, and nothing past `maxBytes` is kept.
 */
async function readWithin(body, maxBytes, waitMs) {
	if (body === null) {
		return new ArrayBuffer(0);
	}

	const reader = body.getReader();
	let timer;
	const expired = new Promise(resolve => {
		timer = setTimeout(resolve, waitMs);
		// A copy for the store never keeps a Node process alive by itself.
		timer.unref?.();
	});
	const chunks = [];
	let size = 0;
	try {
		for (;;) {
			const chunk = await Promise.race([reader.read(), expired]);
			if (chunk === undefined) {
				return undefined;
			}

			if (chunk.done) {
				return await new Blob(chunks).arrayBuffer();
			}

			size += chunk.value.byteLength;
			if (size > maxBytes) {
				return undefined;
			}

			chunks.push(chunk.value);
		}
	} catch {
		return undefined;
	} finally {
		clearTimeout(timer);
		reader.cancel().catch(() => {});
	}
}

/**
 * Keeps a copy of a 200 with a validator, read from a clone while the caller reads the response:
 * delivery never waits for it, and only a body of at most MAX_STORED_BYTES that ends within
 * STORE_WAIT_MS (and before the call's `totalTimeout`) is kept. A later call to the same URL waits
 * for a copy still being read, so that it can revalidate it.
 */
export function storeResponse(call, response) {
	const {headers} = response;
	const etag = headers.get('etag');
	const lastModified = headers.get('last-modified');
	const declaredBytes = Number(headers.get('content-length') ?? 0);
	if ((etag ?? lastModified) === null || /no-store/i.test(headers.get('cache-control')) || !(declaredBytes <= MAX_STORED_BYTES)) {
		return;
	}

	const {client, storeKey} = call;
	const storing = readWithin(response.clone().body, MAX_STORED_BYTES, Math.min(STORE_WAIT_MS, leftMs(call)))
		.then(body => body && client.store.set(storeKey, entryOf(call, response, body, etag, lastModified)))
		.catch(() => {})
		.finally(() => {
			if (client.storing.get(storeKey) === storing) {
				client.storing.delete(storeKey);
			}
		});
	client.storing.set(storeKey, storing);
}

function entryOf(call, response, body, etag, lastModified) {
	const {headers} = response;
	return {
		url: response.url || call.url,
		status: response.status,
		statusText: response.statusText,
		headers: [...headers].filter(([name]) => name !== 'set-cookie'),
		body,
		etag,
		lastModified,
		storedAtMs: call.client.now(),
	};
}

export async function fromStore(call, notModified) {
	const {entry} = call;
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
		await call.client.store.set(call.storeKey, {...entry, headers: [...headers], etag: headers.get('etag'), lastModified: headers.get('last-modified')});
	}

	const response = new Response(call.method === 'HEAD' ? null : entry.body, {status: entry.status, statusText: entry.statusText, headers});
	define(response, 'url', entry.url);
	define(response, 'fromCache', true);
	return response;
}
