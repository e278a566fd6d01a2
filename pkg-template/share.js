// 'http-verdict/share': what ClientState's `share` option takes. shareAcrossTabs() moves facts between
// the tabs and workers of one browser origin (BroadcastChannel; in Node, between worker_threads), and
// optionally keeps them across reloads (localStorage, or any synchronous {get, set}); shareThrough()
// wraps any store with publish(fact) and subscribe(listener). They only move facts: the core merges
// them (src/shared.rs), so a lost or stale message costs at most what a tab without sharing pays.
// No wasm here, and not part of the main entry: a page that does not share never downloads it.

import {attach} from './sharing.js';

const DAY_MS = 86_400_000;
// Stored origins read at start-up; a hostile or runaway store is cut here.
const MAX_STORED_ORIGINS = 256;

function optionError(message) {
	return Object.assign(new TypeError(message), {code: 'ERR_INVALID_OPTION'});
}

/** The storage's `getItem`/`setItem` (Web Storage) or `get`/`set`, bound; undefined for none. */
function storageOf(storage) {
	if (storage === undefined) {
		return undefined;
	}

	for (const [get, set] of [['getItem', 'setItem'], ['get', 'set']]) {
		if (typeof storage?.[get] === 'function' && typeof storage[set] === 'function') {
			return {get: key => storage[get](key), set: (key, value) => storage[set](key, value)};
		}
	}

	throw optionError('Expected `storage` to be localStorage or an object with synchronous get(key) and set(key, value).');
}

/**
 * The stored facts: per origin, when its gate, quota lock and breaker's cool-down end (epoch ms).
 * Anything unreadable reads as nothing; entries that ended, or that end more than a day away, go.
 */
function readStored(storage, key, nowMs) {
	let stored;
	try {
		stored = JSON.parse(storage.get(key) ?? '{}');
	} catch {
		return {};
	}

	const kept = {};
	if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) {
		return kept;
	}

	for (const [origin, ends] of Object.entries(stored).slice(0, MAX_STORED_ORIGINS)) {
		const valid = Array.isArray(ends) && ends.length === 3
			&& ends.every(endMs => typeof endMs === 'number' && endMs <= nowMs + DAY_MS);
		if (valid && ends.some(endMs => endMs > nowMs)) {
			kept[origin] = ends;
		}
	}

	return kept;
}

/**
 * What `new ClientState({share})` takes, from a store that moves facts: `publish(fact)` is called
 * when a wait the state knows got longer, `subscribe(listener)` once per state (it may return an
 * unsubscribe function). Errors and rejections of either are ignored.
 */
export function shareThrough(store, {now = Date.now} = {}) {
	if (typeof store?.publish !== 'function' || typeof store.subscribe !== 'function') {
		throw optionError('Expected a store with publish(fact) and subscribe(listener).');
	}

	if (typeof now !== 'function') {
		throw optionError('Expected `now` to be a function returning epoch milliseconds.');
	}

	return {
		/** @internal Called by ClientState with its door to the core. */
		attach: exchange => attach(store, exchange, now),
	};
}

/**
 * Shares between the tabs and workers of one browser origin (`BroadcastChannel`), and with `storage`
 * across reloads.
 * @param {{channel?: string, storage?: object, now?: () => number}} [options]
 */
export function shareAcrossTabs(options = {}) {
	const {channel = 'http-verdict', storage: given, now = Date.now, ...unknown} = options ?? {};
	const unknownName = Object.keys(unknown)[0];
	if (unknownName !== undefined) {
		throw optionError(`Unknown option \`${unknownName}\`. Known: \`channel\`, \`storage\`, \`now\`.`);
	}

	if (typeof channel !== 'string' || channel.length === 0 || channel.length > 200) {
		throw optionError('Expected `channel` to be a non-empty string of at most 200 characters.');
	}

	const storage = storageOf(given);
	const key = `http-verdict:${channel}`;
	const listeners = new Set();
	const broadcast = typeof BroadcastChannel === 'function' ? new BroadcastChannel(key) : undefined;
	if (broadcast !== undefined) {
		broadcast.onmessage = ({data}) => {
			for (const listener of listeners) {
				listener(data);
			}
		};

		// Node keeps a process alive while a channel listens; sharing must not.
		broadcast.unref?.();
	}

	const shared = shareThrough({
		publish(fact) {
			broadcast?.postMessage(fact);
			if (storage !== undefined) {
				const nowMs = now();
				const stored = readStored(storage, key, nowMs);
				const waits = [fact.gateMs, fact.quotaMs, fact.openMs];
				const ends = stored[fact.origin] ?? [0, 0, 0];
				stored[fact.origin] = ends.map((endMs, index) => Math.max(endMs, nowMs + waits[index]));
				try {
					storage.set(key, JSON.stringify(stored));
				} catch {
					// A full or forbidden storage loses the reload, not the request.
				}
			}
		},

		subscribe(listener) {
			listeners.add(listener);
			if (storage !== undefined) {
				const nowMs = now();
				for (const [origin, [gateEndMs, quotaEndMs, openEndMs]] of Object.entries(readStored(storage, key, nowMs))) {
					listener({origin, gateMs: gateEndMs - nowMs, quotaMs: quotaEndMs - nowMs, openMs: openEndMs - nowMs});
				}
			}

			return () => listeners.delete(listener);
		},
	}, {now});

	/** Stops listening and closes the channel, for every state attached. */
	shared.close = () => {
		listeners.clear();
		broadcast?.close();
	};

	return shared;
}
