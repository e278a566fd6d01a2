import type {ClientState, Decision, DecisionReason, RetryPolicyOptions, Verdict} from './index.js';

/** The retry options a single request may override: any `RetryPolicyOptions` but `profile`, and `shouldRetry`. */
export type RetryOverrides = Omit<RetryPolicyOptions, 'profile'> & {shouldRetry?: ShouldRetry};

/** Context of `shouldRetry`: one failed attempt, and what the policy alone would decide about it. */
export interface ShouldRetryContext {
	/** The request (URL, method, headers). */
	request: Request;
	verdict: Verdict;
	/** The policy's decision without the client state's budget and breaker (a preview changes no state). */
	decision: Decision;
	/** The attempt that failed, 1-based. */
	attempt: number;
	/** What `fetch` threw, for a transport failure. */
	error: unknown;
	/** The failed response (its body not yet released). */
	response: Response | undefined;
}

/**
 * ky's `shouldRetry`: `true` retries, `false` does not, `undefined` leaves it to the policy (see
 * `Outcome.shouldRetry` for what `true` cannot override). Asked about every failed attempt (status
 * 400 or more, a network failure, a timeout); an unknown error is never retried.
 */
export type ShouldRetry = (context: ShouldRetryContext) => boolean | undefined | Promise<boolean | undefined>;

/** A request body, or a function giving a fresh one per attempt (so that a stream can be retried). */
export type VerdictBody = BodyInit | null | (() => BodyInit | null | Promise<BodyInit | null>);

/** `fetch`'s init, plus the per-request options of `createFetch`. */
export interface VerdictRequestInit extends Omit<RequestInit, 'body'> {
	/**
	 * Strings, `ArrayBuffer`s, typed arrays, `Blob`s, `URLSearchParams` and `FormData` are sent again on
	 * retry. A `ReadableStream` is sent once (a failure is not retried: `body_not_replayable`) unless it
	 * comes from a function that makes a fresh one per attempt.
	 */
	body?: VerdictBody;
	/** `false` sends the request once; an object overrides the client's retry options for this request. */
	retry?: false | RetryOverrides;
	/** Per-attempt timeout for this request, in ms; `false` for none. */
	timeout?: number | false;
	/** Needed by Node for a stream body; set for you when the body is a stream. */
	duplex?: 'half';
}

/** The response `createFetch` resolves with: fetch's `Response`, with what the wrapper learnt. */
export type VerdictResponse = Response & {
	/**
	 * Where the resource moved for good (a 301 or 308 the wrapper followed or remembered): update
	 * stored links to it. Only where the runtime shows redirects (Node, Deno, Bun; not browsers).
	 */
	readonly movedTo?: string;
	/** True when a 304 was answered from the cache store (the status is then the stored one). */
	readonly fromCache?: boolean;
};

/** A `fetch` with retries, conditional requests and explanations. */
export type VerdictFetch = (input: string | URL | Request, init?: VerdictRequestInit) => Promise<VerdictResponse>;

/** What a hook returns to change the next attempt: a new `Request`, or init fields merged in (headers one by one). */
export type RequestChange = Request | VerdictRequestInit;

/** A refusal to send an attempt (the shared state said no, or `totalTimeout` passed), shaped like a decision. */
export interface Refusal {
	readonly retry: false;
	readonly delayMs: 0;
	readonly reason: 'quota_exceeded' | 'circuit_open' | 'retry_after_too_long' | 'deadline';
	/** E.g. `The circuit breaker for this origin is open; it may be tried again in 9.8 s; not sent (GET https://api.example/v1/orders)`. */
	readonly message: string;
	/** The verdict of the previous attempt, if there was one. */
	readonly verdict: Verdict | null;
}

/** Context of `onVerdict`. */
export interface AttemptContext {
	/** The attempt, 1-based; redirects the wrapper follows are part of their attempt. */
	attempt: number;
	request: Request;
	response?: Response;
	/** What `fetch` threw. */
	error?: unknown;
}

/** Context of `beforeRetry`. */
export interface RetryContext {
	/** The request so far (URL, method, headers; the body stays with the wrapper). */
	request: Request;
	/** The attempt about to be sent (2 for the first retry). */
	attempt: number;
	decision: Decision;
	/** What `fetch` threw, for a transport failure. */
	error: unknown;
	/** The failed response, its body already released. */
	response: Response | undefined;
}

/** One stored response: plain data, so that any store can keep it. */
export interface CacheEntry {
	url: string;
	status: number;
	statusText: string;
	headers: Array<[string, string]>;
	body: ArrayBuffer;
	etag: string | null;
	lastModified: string | null;
	storedAtMs: number;
}

/** A pluggable conditional-request store; methods may be async. Keys are request URLs. */
export interface CacheStore {
	get(key: string): CacheEntry | undefined | Promise<CacheEntry | undefined>;
	set(key: string, entry: CacheEntry): unknown;
	delete(key: string): unknown;
}

/** Options of `createFetch`: the retry policy's, plus the wrapper's own. */
export interface CreateFetchOptions extends RetryPolicyOptions {
	/**
	 * Per-attempt timeout in ms (until the response headers arrive; a timed-out attempt is retried
	 * like a network failure); `false` for none.
	 * @default false
	 */
	timeout?: number | false;
	/**
	 * Limit of the whole call (attempts and waits) in ms; also the policy's `deadlineMs` unless that is given.
	 * @default false
	 */
	totalTimeout?: number | false;
	/**
	 * The `fetch` to wrap. It must honour `init.signal`.
	 * @default globalThis.fetch (read at each call)
	 */
	fetch?: (input: string, init: RequestInit) => Promise<Response>;
	/**
	 * Whether a final response with a status of 400 or more rejects with an `HttpError`; a function
	 * decides per status. When not, the response resolves (after its retries).
	 * @default true
	 */
	throwHttpErrors?: boolean | ((status: number) => boolean);
	/** Your own say on each failed attempt (ky's `shouldRetry`); a call's `retry.shouldRetry` replaces it. */
	shouldRetry?: ShouldRetry;
	/** Called before each retry, after the wait; may return a change for the next attempts. */
	beforeRetry?: (context: RetryContext) => RequestChange | undefined | void | Promise<RequestChange | undefined | void>;
	/** Called with the verdict of every attempt, and of every redirect the wrapper follows. Synchronous; its result is ignored. */
	onVerdict?: (verdict: Verdict, context: AttemptContext) => void;
	/** Called once when the wrapper gives up on a failure (not on the caller's abort). */
	onGiveUp?: (decision: Decision | Refusal) => void | Promise<void>;
	/**
	 * Called on a 401, once per request: refresh the credentials and return the change (new headers),
	 * and the request is sent once more; return nothing to let the 401 stand.
	 */
	onUnauthorized?: (context: {request: Request; response: Response}) => RequestChange | false | null | undefined | void | Promise<RequestChange | false | null | undefined | void>;
	/**
	 * Conditional requests for GET: `true` for an in-memory store (the 500 most recently stored
	 * responses), or your own store.
	 * @default false
	 */
	cache?: boolean | CacheStore;
	/**
	 * State shared with other clients (retry budget, circuit breakers, throttle gates, quota locks).
	 * @default a new ClientState per client
	 */
	state?: ClientState;
	/**
	 * The clock, in epoch ms (tests pass a fake one).
	 * @default Date.now
	 */
	now?: () => number;
	/**
	 * Waits `ms`; must reject with `signal.reason` as soon as the signal aborts.
	 * @default a setTimeout that is cleared on abort
	 */
	sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<unknown>;
}

/** Fields every `createFetch` error carries. */
declare abstract class RequestFailure extends Error {
	readonly code: string;
	/** The verdict of the last attempt, or `null` when none was made. */
	readonly verdict: Verdict | null;
	/** Why the wrapper gave up. */
	readonly decision: Decision | Refusal | null;
	readonly reason: DecisionReason | null;
	/** Attempts sent. */
	readonly attempts: number;
	readonly elapsedMs: number;
	/** The request (URL, method, headers). */
	readonly request: Request | undefined;
	/** The last response, still readable, where there is one. */
	readonly response: Response | undefined;
}

/**
 * A final response with a status of 400 or more. The message is the core's decision, the request
 * (without its query) and, where the reply has one, the server's message.
 *
 * @example
 * ```js
 * try {
 *   await api('https://api.example/v1/orders', {method: 'POST', body});
 * } catch (error) {
 *   if (isHttpError(error) && error.response.status === 400) {
 *     console.log(error.serverMessage); //=> 'amount must be positive'
 *   }
 * }
 * ```
 */
export class HttpError extends RequestFailure {
	constructor(message: string, fields?: object);
	readonly name: 'HttpError';
	readonly code: 'ERR_HTTP_STATUS';
	readonly response: Response;
	/** The reply's own message (JSON `message` / `error` / `detail`, else its text), when it was read (400, 403, 404, 429, 503). */
	readonly serverMessage: string | null;
	/** Works across realms and copies of the package (compares `name` and `code`). */
	static is(value: unknown): value is HttpError;
}

/** The network failed (refused, reset, DNS, CORS) on every attempt allowed. `cause` is what fetch threw. */
export class NetworkError extends RequestFailure {
	constructor(message: string, fields?: object);
	readonly name: 'NetworkError';
	readonly code: 'ERR_NETWORK';
	static is(value: unknown): value is NetworkError;
}

/** The per-attempt `timeout` passed on every attempt allowed, or `totalTimeout` passed (reason `deadline`). */
export class TimeoutError extends RequestFailure {
	constructor(message: string, fields?: object);
	readonly name: 'TimeoutError';
	readonly code: 'ERR_TIMEOUT';
	static is(value: unknown): value is TimeoutError;
}

/** A usage quota is exhausted (a 429 `quota_exceeded`, or the origin's quota lock): never retried. */
export class QuotaExceededError extends RequestFailure {
	constructor(message: string, fields?: object);
	readonly name: 'QuotaExceededError';
	readonly code: 'ERR_QUOTA_EXCEEDED';
	/** When the quota resets, in ms from the error, if known. */
	readonly resetInMs: number | null;
	readonly resetAt: Date | null;
	static is(value: unknown): value is QuotaExceededError;
}

/** The origin's circuit breaker is open: the request was not sent. */
export class CircuitOpenError extends RequestFailure {
	constructor(message: string, fields?: object);
	readonly name: 'CircuitOpenError';
	readonly code: 'ERR_CIRCUIT_OPEN';
	readonly retryInMs: number | null;
	static is(value: unknown): value is CircuitOpenError;
}

/** The origin's throttle gate asks for a wait above `maxRetryAfterMs` or past the deadline: not sent. */
export class ThrottledError extends RequestFailure {
	constructor(message: string, fields?: object);
	readonly name: 'ThrottledError';
	readonly code: 'ERR_THROTTLED';
	readonly retryInMs: number | null;
	static is(value: unknown): value is ThrottledError;
}

/** Any error `createFetch` makes (it also rejects with the caller's abort reason and with what fetch throws for bad input). */
export type VerdictFetchError = HttpError | NetworkError | TimeoutError | QuotaExceededError | CircuitOpenError | ThrottledError;

export function isHttpError(value: unknown): value is HttpError;
export function isNetworkError(value: unknown): value is NetworkError;
export function isTimeoutError(value: unknown): value is TimeoutError;
export function isQuotaExceededError(value: unknown): value is QuotaExceededError;
export function isCircuitOpenError(value: unknown): value is CircuitOpenError;
export function isThrottledError(value: unknown): value is ThrottledError;

/**
 * Creates a `fetch` that retries what is safe to retry, honours the server's waits, revalidates
 * with ETags, remembers permanent moves and explains every decision. Options are validated here.
 *
 * @throws {TypeError} `ERR_INVALID_OPTION` for an unknown or ill-typed option (the message names it).
 * @throws {RangeError} `ERR_INVALID_OPTION` for a value out of range.
 *
 * @example
 * ```js
 * import {createFetch, isHttpError} from 'http-verdict';
 *
 * const api = createFetch({maxAttempts: 4, timeout: 10_000, cache: true});
 * const response = await api('https://api.example/v1/orders/42');
 * const order = await response.json();
 *
 * // A POST is retried only when it is safe: with an Idempotency-Key, every retry sends the same one.
 * await api('https://api.example/v1/orders', {
 *   method: 'POST',
 *   headers: {'idempotency-key': crypto.randomUUID()},
 *   body: JSON.stringify(order),
 * });
 * ```
 */
export function createFetch(options?: CreateFetchOptions): VerdictFetch;
