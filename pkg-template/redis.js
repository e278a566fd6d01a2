// 'http-verdict/redis': ClientState's `share` over Redis, for a fleet of Node processes on many hosts.
// It only moves facts (src/shared.rs merges them): a fact learned here is written to Redis as keys
// whose PX expiry is the wait (a tiny script keeps the longer of the stored and the new wait) and
// published on one channel; every process hears it on its own subscriber connection, and a process
// that starts late reads the keys once (their PTTL is the wait left). Facts only ever travel as
// durations, so hosts whose clocks disagree still agree on when a wait ends. A request that meets no
// fact sends nothing to Redis, and Redis failing costs what a process without sharing pays: every
// call is bounded in time and its failure ignored. Duck-typed for node-redis (v4+) and ioredis, so the
// package keeps no runtime dependency; no wasm here, and not part of the main entry.

import {shareThrough} from './share.js';

const DAY_MS = 86_400_000;
// The payload version, in every key's value and message: other versions' facts are ignored.
const VERSION = 1;
const KINDS = ['gate', 'quota', 'open'];
// Origins remembered for states that attach later; a hostile or runaway fleet is cut here.
const MAX_ORIGINS = 256;
// Publishes still unanswered (Redis slow or away): past this many, new ones are dropped rather than
// queued in the client's offline queue without end. The states keep their facts either way.
const MAX_IN_FLIGHT = 8;
const MAX_MESSAGE_CHARS = 4096;
// How long `ready` waits for the subscription and the start-up read before it gives up.
const READY_BOUND_MS = 1000;
const RESUBSCRIBE_MS = 1000;
const REREAD_MS = 200;
const REREAD_TRIES = 10;

// KEYS: the origin's gate, quota and open keys. ARGV: their waits in ms (0: none), the value stored,
// the channel and the message. Each key keeps the longer of its wait left and the new one, and the
// fact is published only when one grew (a fact others already hold travels no further).
const PUBLISH_SCRIPT = `local grew = false
for i = 1, 3 do
	local ms = tonumber(ARGV[i])
	if ms > 0 and redis.call('PTTL', KEYS[i]) < ms then
		redis.call('SET', KEYS[i], ARGV[4], 'PX', ms)
		grew = true
	end
end
if grew then redis.call('PUBLISH', ARGV[5], ARGV[6]) end
return grew and 1 or 0`;

// ARGV: the MATCH pattern and the most keys to return. Returns key, PTTL, value, … for the keys
// found in a bounded number of SCAN rounds; a key of another type reads as no value.
const READ_SCRIPT = `local found, cursor, rounds = {}, '0', 0
repeat
	local page = redis.call('SCAN', cursor, 'MATCH', ARGV[1], 'COUNT', 200)
	cursor = page[1]
	for _, key in ipairs(page[2]) do
		if #found >= tonumber(ARGV[2]) * 3 then return found end
		local value = redis.pcall('GET', key)
		found[#found + 1] = key
		found[#found + 1] = redis.call('PTTL', key)
		found[#found + 1] = type(value) == 'string' and value or ''
	end
	rounds = rounds + 1
until cursor == '0' or rounds >= 50
return found`;

function optionError(message) {
	return Object.assign(new TypeError(message), {code: 'ERR_INVALID_OPTION'});
}

const ignore = () => {};

/**
 * Settles with what `call()` gives, or with undefined when it throws, rejects or takes more than
 * `timeoutMs`; `settled` runs when the call itself settles (however late), for the in-flight count.
 */
function bounded(call, timeoutMs, settled = ignore) {
	let pending;
	try {
		pending = Promise.resolve(call());
	} catch {
		settled();
		return Promise.resolve();
	}

	pending.then(settled, settled);
	return new Promise(resolve => {
		// A timer must not keep a process alive that has nothing else to do.
		const timer = setTimeout(resolve, timeoutMs);
		timer.unref?.();
		pending.then(value => {
			clearTimeout(timer);
			resolve(value);
		}, () => {
			clearTimeout(timer);
			resolve();
		});
	});
}

/** The glob-special characters of a prefix escaped, for SCAN's MATCH. */
function matchPattern(prefix) {
	return `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
}

/** A whole number of ms in (0, a day], or 0. */
function waitOf(value) {
	const ms = Number(value);
	return Number.isFinite(ms) && ms > 0 ? Math.min(Math.ceil(ms), DAY_MS) : 0;
}

/**
 * A `share` for `new ClientState({share})` over the caller's connected Redis client (node-redis v4+
 * or ioredis). The subscriber connection is `client.duplicate()`, made, connected and closed here;
 * `client` stays the caller's (never closed here).
 */
export function shareThroughRedis(client, options = {}) {
	const {prefix = 'http-verdict:', timeoutMs = 50, now = Date.now, ...unknown} = options ?? {};
	const unknownName = Object.keys(unknown)[0];
	if (unknownName !== undefined) {
		throw optionError(`Unknown option \`${unknownName}\`. Known: \`prefix\`, \`timeoutMs\`, \`now\`.`);
	}

	// ioredis sends a command with call(name, ...args), node-redis with sendCommand([name, ...args]).
	const ioredis = typeof client?.call === 'function';
	if (typeof client?.duplicate !== 'function' || (!ioredis && typeof client.sendCommand !== 'function')) {
		throw optionError('Expected `client` to be a node-redis (v4+) or ioredis client.');
	}

	if (typeof prefix !== 'string' || prefix.length === 0 || prefix.length > 200) {
		throw optionError('Expected `prefix` to be a non-empty string of at most 200 characters.');
	}

	if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || timeoutMs > 60_000) {
		throw optionError('Expected `timeoutMs` to be a positive number of at most 60000.');
	}

	if (typeof now !== 'function') {
		throw optionError('Expected `now` to be a function returning epoch milliseconds.');
	}

	const send = args => (ioredis ? client.call(...args) : client.sendCommand(args));
	// ioredis puts its `keyPrefix` option before every key it is given (the publish script's KEYS),
	// but not before what a script finds by SCAN: the start-up read looks for the keys as stored.
	const stored = `${ioredis && typeof client.options?.keyPrefix === 'string' ? client.options.keyPrefix : ''}${prefix}`;
	const channel = `${prefix}facts`;
	// Tells this process's own messages apart when they come back from Redis.
	const sender = Math.random().toString(36).slice(2, 14);
	const listeners = new Set();
	// Per origin, when each known wait ends on this process's clock, for states that attach later.
	const known = new Map();
	let inFlight = 0;
	let closed = false;

	const hand = (origin, waits) => {
		if (closed || waits.every(waitMs => waitMs === 0)) {
			return;
		}

		const nowMs = now();
		const ends = known.get(origin) ?? [0, 0, 0];
		known.delete(origin);
		if (known.size >= MAX_ORIGINS) {
			for (const [name, [gateEndMs, quotaEndMs, openEndMs]] of known) {
				if (Math.max(gateEndMs, quotaEndMs, openEndMs) <= nowMs || known.size >= MAX_ORIGINS) {
					known.delete(name);
				}
			}
		}

		known.set(origin, ends.map((endMs, index) => Math.max(endMs, nowMs + waits[index])));
		const [gateMs, quotaMs, openMs] = waits;
		for (const listener of listeners) {
			listener({origin, gateMs, quotaMs, openMs});
		}
	};

	const heard = message => {
		if (typeof message !== 'string' || message.length > MAX_MESSAGE_CHARS) {
			return;
		}

		let fact;
		try {
			fact = JSON.parse(message);
		} catch {
			return;
		}

		if (fact?.v === VERSION && fact.from !== sender && typeof fact.origin === 'string' && fact.origin.length > 0) {
			hand(fact.origin, [waitOf(fact.gateMs), waitOf(fact.quotaMs), waitOf(fact.openMs)]);
		}
	};

	// What Redis holds now: each key's PTTL is its wait left, whatever the hosts' clocks say.
	let reading;
	const read = () => {
		reading ??= bounded(() => send(['EVAL', READ_SCRIPT, '0', matchPattern(stored), String(MAX_ORIGINS)]), timeoutMs)
			.then(found => {
				const waits = new Map();
				for (let index = 0; Array.isArray(found) && index + 2 < found.length; index += 3) {
					const [key, ttlMs, value] = found.slice(index, index + 3);
					const rest = typeof key === 'string' && key.startsWith(stored) ? key.slice(stored.length) : '';
					const kind = KINDS.indexOf(rest.slice(0, rest.indexOf(':')));
					const origin = rest.slice(rest.indexOf(':') + 1);
					if (kind >= 0 && origin.length > 0 && String(value) === String(VERSION)) {
						waits.set(origin, waits.get(origin) ?? [0, 0, 0]);
						waits.get(origin)[kind] = waitOf(ttlMs);
					}
				}

				for (const [origin, originWaits] of waits) {
					hand(origin, originWaits);
				}

				reading = undefined;
				return Array.isArray(found);
			});
		return reading;
	};

	// The subscriber: its own connection, as Redis requires once it subscribes. Until it has
	// subscribed (Redis down at start-up: node-redis gives up on a first connect that fails, ioredis
	// on a command queued too long) it tries again every RESUBSCRIBE_MS.
	let subscriber;
	let subscribing;
	let subscribed = false;
	const subscribe = () => {
		if (closed || subscribed) {
			return Promise.resolve(subscribed);
		}

		subscribing ??= Promise.resolve()
			.then(() => (ioredis || subscriber.isOpen !== false ? undefined : subscriber.connect()))
			.then(() => (ioredis ? subscriber.subscribe(channel) : subscriber.subscribe(channel, heard)))
			.then(() => {
				subscribed = true;
				return read();
			}, () => {
				subscribing = undefined;
				const timer = setTimeout(subscribe, RESUBSCRIBE_MS);
				timer.unref?.();
				return false;
			});
		return subscribing;
	};

	let ready;
	try {
		subscriber = client.duplicate();
		// An 'error' event nobody listens to would crash the process (node-redis) or log each retry
		// (ioredis); a subscriber that cannot reach Redis shares nothing until it can.
		subscriber.on?.('error', ignore);
		if (ioredis) {
			subscriber.on?.('message', (from, message) => from === channel && heard(message));
		}

		// Both libraries reconnect and subscribe again by themselves once subscribed; facts published
		// while this process was away from Redis are read again when it is back (through `client`,
		// which may reconnect a little later than the subscriber: a few tries).
		let connections = 0;
		const reread = triesLeft => {
			if (!closed) {
				read().then(done => {
					if (!done && triesLeft > 1) {
						setTimeout(reread, REREAD_MS, triesLeft - 1).unref?.();
					}
				});
			}
		};

		subscriber.on?.('ready', () => {
			if (connections++ > 0 && subscribed) {
				reread(REREAD_TRIES);
			}
		});
		ready = bounded(subscribe, READY_BOUND_MS).then(done => done === true);
	} catch {
		ready = Promise.resolve(false);
	}

	const shared = shareThrough({
		publish({origin, gateMs, quotaMs, openMs}) {
			const waits = [waitOf(gateMs), waitOf(quotaMs), waitOf(openMs)];
			// Other states of this process hear it now, whatever Redis does.
			queueMicrotask(() => hand(origin, waits));
			if (closed || inFlight >= MAX_IN_FLIGHT) {
				return;
			}

			inFlight++;
			const message = JSON.stringify({v: VERSION, from: sender, origin, gateMs: waits[0], quotaMs: waits[1], openMs: waits[2]});
			const keys = KINDS.map(kind => `${prefix}${kind}:${origin}`);
			return bounded(() => send(['EVAL', PUBLISH_SCRIPT, '3', ...keys, ...waits.map(String), String(VERSION), channel, message]), timeoutMs, () => {
				inFlight--;
			});
		},

		subscribe(listener) {
			listeners.add(listener);
			const nowMs = now();
			for (const [origin, ends] of known) {
				const [gateMs, quotaMs, openMs] = ends.map(endMs => Math.max(0, endMs - nowMs));
				if (gateMs + quotaMs + openMs > 0) {
					listener({origin, gateMs, quotaMs, openMs});
				}
			}

			return () => listeners.delete(listener);
		},
	}, {now});

	shared.ready = ready;
	shared.close = () => {
		if (closed) {
			return Promise.resolve();
		}

		closed = true;
		listeners.clear();
		known.clear();
		return bounded(() => (typeof subscriber?.destroy === 'function' ? subscriber.destroy() : subscriber?.disconnect()), timeoutMs).then(ignore);
	};

	return shared;
}
