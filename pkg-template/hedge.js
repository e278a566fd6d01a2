// 'http-verdict/hedge': hedged requests. A transport for createFetch's `fetch` option that sends one
// more copy of a safe request (GET, HEAD, OPTIONS) whose response headers have not arrived after a
// delay (fixed, or the 95th percentile of that origin's recent answers), takes the first answer and
// aborts the other. Each hedge spends one retry from the client state's retry budget, so that a slow
// server is never sent more than the budget allows: when the budget refuses, no copy is sent. And at
// most `maxShare` of an origin's last 100 requests are hedged, with no floor: the budget's floor
// (10 retries per 10 s) is more than a browser tab's whole traffic, and the simulator showed tabs
// hedging at a fixed delay keeping a server that slows with load degraded (load 1.50 after a spike).
// Plain JS, no wasm of its own, not part of the main entry: a page that does not hedge never
// downloads it.

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// Latencies kept per origin for the percentile, requests counted for the hedged share, and origins
// remembered (oldest forgotten first).
const SAMPLES_PER_ORIGIN = 64;
const REQUESTS_PER_ORIGIN = 100;
const MAX_ORIGINS = 256;
const MAX_TIMER_MS = 2_147_483_647;

function optionError(message) {
	return Object.assign(new TypeError(message), {code: 'ERR_INVALID_OPTION'});
}

/** The 95th percentile of `samples` (nearest rank), or undefined below `minSamples`. */
function percentile95(samples, minSamples) {
	if (samples === undefined || samples.length < minSamples) {
		return undefined;
	}

	const sorted = [...samples].sort((a, b) => a - b);
	return sorted[Math.ceil(sorted.length * 0.95) - 1];
}

/**
 * A fetch that hedges. `afterMs`: a number of milliseconds, or 'p95' (the 95th percentile of the
 * origin's last 64 answers' header times, each copy timed from its own send; no hedge before
 * `minSamples` of them). `state`: the ClientState whose budget hedges draw from (the one given to
 * createFetch). `maxShare`: the most of an origin's last 100 requests that may be hedged (0.1).
 * `fetch`: the transport underneath (globalThis.fetch).
 */
export function hedged(options) {
	const {afterMs, state, maxShare = 0.1, fetch: transport = (...args) => globalThis.fetch(...args), now = Date.now, minSamples = 20, ...unknown} = options ?? {};
	const unknownName = Object.keys(unknown)[0];
	if (unknownName !== undefined) {
		throw optionError(`Unknown option \`${unknownName}\`. Known: \`afterMs\`, \`state\`, \`maxShare\`, \`fetch\`, \`now\`, \`minSamples\`.`);
	}

	if (typeof maxShare !== 'number' || !(maxShare >= 0 && maxShare <= 1)) {
		throw optionError('Expected `maxShare` to be a number from 0 to 1.');
	}

	if (afterMs !== 'p95' && !(typeof afterMs === 'number' && afterMs >= 0 && afterMs <= MAX_TIMER_MS)) {
		throw optionError(`Expected \`afterMs\` to be a number of milliseconds from 0 to ${MAX_TIMER_MS}, or 'p95'.`);
	}

	if (typeof state?.spendRetry !== 'function') {
		throw optionError('Expected `state` to be the ClientState given to createFetch: hedges spend its retry budget.');
	}

	if (typeof transport !== 'function' || typeof now !== 'function') {
		throw optionError('Expected `fetch` and `now` to be functions.');
	}

	if (!Number.isInteger(minSamples) || minSamples < 1 || minSamples > SAMPLES_PER_ORIGIN) {
		throw optionError(`Expected \`minSamples\` to be an integer from 1 to ${SAMPLES_PER_ORIGIN}.`);
	}

	// Per origin: its last answers' latencies, and its last requests (each `{hedged}`).
	const origins = new Map();
	const originOf = origin => {
		let known = origins.get(origin);
		if (known === undefined) {
			if (origins.size >= MAX_ORIGINS) {
				origins.delete(origins.keys().next().value);
			}

			known = {latencies: [], requests: []};
			origins.set(origin, known);
		}

		return known;
	};

	return function hedgedFetch(input, init = {}) {
		let origin;
		try {
			origin = new URL(input instanceof Request ? input.url : String(input), globalThis.location?.href).origin;
		} catch {
			return transport(input, init);
		}

		const method = String(init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
		// A copy is sent only of what can be sent twice: a safe method with no body, or a string.
		const repeatable = SAFE_METHODS.has(method) && (init.body == null || typeof init.body === 'string') && !(input instanceof Request && input.body);
		const known = originOf(origin);
		const request = {hedged: false};
		if (known.requests.push(request) > REQUESTS_PER_ORIGIN) {
			known.requests.shift();
		}

		const delayMs = afterMs === 'p95' ? percentile95(known.latencies, minSamples) : afterMs;
		const send = signal => {
			const sentMs = now();
			return transport(input, {...init, signal}).then(response => {
				if (known.latencies.push(Math.max(0, now() - sentMs)) > SAMPLES_PER_ORIGIN) {
					known.latencies.shift();
				}

				return response;
			});
		};

		if (!repeatable || delayMs === undefined) {
			return send(init.signal);
		}

		// Within the share first, so that a hedge the share refuses spends no budget.
		const mayHedge = () => {
			const hedges = known.requests.filter(counted => counted.hedged).length;
			request.hedged = hedges + 1 <= maxShare * known.requests.length && state.spendRetry(origin, now());
			return request.hedged;
		};

		return race(send, delayMs, init.signal, mayHedge);
	};
}

/**
 * Sends a copy with `send(signal)` now and, unless an answer or a failure came first, one more after
 * `delayMs` when `mayHedge()` allows it. Resolves with the first response (the other copy is
 * aborted, or its late response cancelled); rejects when every copy sent has failed, with the first
 * failure. The caller's `signal` aborts both.
 */
function race(send, delayMs, signal, mayHedge) {
	return new Promise((resolve, reject) => {
		const controllers = [];
		let pending = 0;
		let settled = false;
		let firstFailure;
		let timer;
		const abortAll = (reason, except) => {
			for (const controller of controllers) {
				if (controller !== except) {
					controller.abort(reason);
				}
			}
		};

		const onAbort = () => abortAll(signal.reason);
		const settle = () => {
			settled = true;
			clearTimeout(timer);
			signal?.removeEventListener('abort', onAbort);
		};

		const launch = () => {
			const controller = new AbortController();
			controllers.push(controller);
			pending++;
			send(controller.signal).then(response => {
				if (settled) {
					// Both answered: the later one is dropped, its connection freed.
					response.body?.cancel().catch(() => {});
					return;
				}

				settle();
				abortAll(new DOMException('Another copy of this hedged request answered first.', 'AbortError'), controller);
				resolve(response);
			}, error => {
				firstFailure ??= error;
				if (--pending === 0 && !settled) {
					settle();
					reject(firstFailure);
				}
			});
		};

		if (signal?.aborted) {
			reject(signal.reason);
			return;
		}

		signal?.addEventListener('abort', onAbort, {once: true});
		launch();
		timer = setTimeout(() => {
			let allowed = false;
			try {
				allowed = !settled && mayHedge();
			} catch {
				// A state that cannot answer (freed) allows no hedge; the first copy goes on.
			}

			if (allowed) {
				launch();
			}
		}, delayMs);
	});
}
