import type {ClientState} from './index.js';

/** Options of {@link hedged}. */
export interface HedgeOptions {
	/**
	 * When to send the second copy if no response headers have arrived: a number of milliseconds, or
	 * `'p95'`: the 95th percentile of the origin's last 64 answers (no hedge before `minSamples`).
	 */
	afterMs: number | 'p95';
	/** The ClientState given to createFetch: each hedge spends one retry of its budget, or is not sent. */
	state: ClientState;
	/**
	 * The most of an origin's last 100 requests that may be hedged, 0 to 1, with no floor (a client
	 * that sent 9 requests hedges none at 0.1). @default 0.1
	 */
	maxShare?: number;
	/** The transport underneath. @default globalThis.fetch */
	fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
	/** The clock latencies are measured with, ms. @default Date.now */
	now?: () => number;
	/** Answers an origin needs before `'p95'` hedges, 1 to 64. @default 20 */
	minSamples?: number;
}

/**
 * A fetch for createFetch's `fetch` option that hedges safe requests (GET, HEAD, OPTIONS without a
 * stream body): when no response headers have arrived after `afterMs`, one more copy is sent (if the
 * retry budget allows), the first response is taken and the other copy aborted.
 *
 * @example
 * import {ClientState, createFetch} from 'http-verdict';
 * import {hedged} from 'http-verdict/hedge';
 * const state = new ClientState();
 * const fetch = createFetch({state, fetch: hedged({state, afterMs: 'p95'})});
 */
export function hedged(options: HedgeOptions): (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
