// How a ClientState shares through a store that moves facts (publish, subscribe): what the state
// learns from its own answers is published when one of its waits got longer, and what others
// published is handed to the core, which merges it (src/shared.rs owns the rules: a fact only ever
// lengthens a wait, capped at a day). Bundled into the 'http-verdict/share' subpath (and any other
// store's), never into the main entry: a page that does not share does not download it.

// Origins remembered as published; past this many the memory starts again (republishing a fact
// lengthens nothing anywhere).
const MAX_PUBLISHED_ORIGINS = 256;

/** A wait from a fact: a positive number of ms, else 0 (the core caps it at a day). */
function waitOf(value) {
	return typeof value === 'number' && value > 0 ? Math.min(value, Number.MAX_SAFE_INTEGER) : 0;
}

/**
 * Attaches a store to one state. `exchange(origin, nowMs, gateMs, quotaMs, openMs)` is the state's
 * door to the core: it merges the waits given (zeros: none) and returns the state's own
 * `[gateMs, quotaMs, openMs]` for the origin (undefined once the state is freed).
 */
export function attach(store, exchange, now) {
	// Per origin, when each wait this state last published or learned ends: [gate, quota, open].
	const published = new Map();
	const remember = (origin, nowMs, waits) => {
		if (published.size >= MAX_PUBLISHED_ORIGINS && !published.has(origin)) {
			published.clear();
		}

		published.set(origin, waits.map(waitMs => nowMs + waitMs));
	};

	const learn = fact => {
		const origin = fact?.origin;
		if (typeof origin !== 'string' || origin.length === 0 || origin.length > 2048) {
			return;
		}

		const nowMs = now();
		const waits = exchange(origin, nowMs, waitOf(fact.gateMs), waitOf(fact.quotaMs), waitOf(fact.openMs));
		if (waits !== undefined) {
			remember(origin, nowMs, waits);
		}
	};

	let unsubscribe;
	try {
		unsubscribe = store.subscribe(learn);
	} catch {
		// A store that cannot listen shares nothing; the state works on its own.
	}

	return {
		/** After a decision about `origin`: publishes the state's facts when a wait got longer. */
		told(origin, nowMs) {
			const waits = exchange(origin, nowMs, 0, 0, 0);
			const known = published.get(origin) ?? [0, 0, 0];
			if (waits === undefined || !waits.some((waitMs, index) => waitMs > 0 && nowMs + waitMs > known[index] + 1)) {
				return;
			}

			remember(origin, nowMs, waits);
			const [gateMs, quotaMs, openMs] = waits;
			try {
				// A store that fails must never fail the request that learned the fact.
				Promise.resolve(store.publish({origin, gateMs, quotaMs, openMs})).catch(() => {});
			} catch {}
		},

		close() {
			try {
				unsubscribe?.();
			} catch {}
		},
	};
}
