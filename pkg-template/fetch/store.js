// The revalidation store (`cache`): a GET's 200 with a validator is kept and a later 304 answered from
// it. It saves the transfer, never the request, so nothing here decides freshness.

import {define} from './responses.js';

const REFRESHED = ['etag', 'last-modified', 'date', 'cache-control', 'expires'];

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
	const headers = call.ownHeaders();
	if (headers.has('if-none-match') || headers.has('if-modified-since')) {
		return;
	}

	call.entry = await call.client.store.get(call.storeKey);
	if (call.entry?.etag) {
		headers.set('if-none-match', call.entry.etag);
	}

	if (call.entry?.lastModified) {
		headers.set('if-modified-since', call.entry.lastModified);
	}
}

export async function storeResponse(call, response) {
	const {headers} = response;
	const etag = headers.get('etag');
	const lastModified = headers.get('last-modified');
	if ((etag ?? lastModified) === null || /no-store/i.test(headers.get('cache-control'))) {
		return;
	}

	let body;
	try {
		body = await response.clone().arrayBuffer();
	} catch {
		return;
	}

	await call.client.store.set(call.storeKey, {
		url: response.url || call.url,
		status: response.status,
		statusText: response.statusText,
		headers: [...headers].filter(([name]) => name !== 'set-cookie'),
		body,
		etag,
		lastModified,
		storedAtMs: call.client.now(),
	});
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
