/**
 * http-verdict: one vocabulary for every HTTP response and fetch failure, and what to do about it.
 *
 * @example
 * ```js
 * import {classify} from 'http-verdict';
 *
 * const response = await fetch('https://api.example.com/v1/orders/42');
 * const verdict = classify(response);
 * if (verdict.action === 'retry') {
 *   console.log(`retry in ${verdict.retryAfterMs ?? 1000} ms: ${verdict.title}`);
 * }
 * ```
 */

/** Kinds of the API's documented codes. */
export type DocumentedKind =
	| 'ok'
	| 'moved_permanently'
	| 'temporary_redirect'
	| 'not_modified'
	| 'bad_request'
	| 'unauthorized'
	| 'forbidden'
	| 'invalid_route'
	| 'wrong_identifier'
	| 'not_found'
	| 'method_not_allowed'
	| 'request_timeout'
	| 'gone'
	| 'throttled'
	| 'quota_exceeded'
	| 'client_closed_request'
	| 'internal_server_error'
	| 'bad_gateway'
	| 'service_unavailable'
	| 'gateway_timeout';

/** Kinds of outcomes where no response arrived. */
export type TransportKind = 'network_error' | 'timeout' | 'aborted' | 'unknown_error';

/** Kinds of statuses the API does not document, by family and RFC 9110. */
export type GenericKind =
	| 'informational'
	| 'success'
	| 'redirect'
	| 'client_error'
	| 'server_error'
	| 'not_implemented'
	| 'http_version_not_supported';

/** Stable snake_case id of an outcome. */
export type Kind = DocumentedKind | TransportKind | GenericKind;

/** The class of an outcome: the status's hundreds digit, or `transport` when no response came. */
export type Family = 'informational' | 'success' | 'redirection' | 'client_error' | 'server_error' | 'transport';

/** What the caller should do about an outcome. */
export type Action =
	| 'deliver'
	| 'follow_redirect'
	| 'update_url'
	| 'use_cache'
	| 'fix_request'
	| 'reauthenticate'
	| 'fail'
	| 'retry'
	| 'purge_cache'
	| 'wait_for_quota'
	| 'cancel';

/** What exactly failed below HTTP. */
export type TransportDetail =
	| 'connection_refused'
	| 'dns_failure'
	| 'host_unreachable'
	| 'connect_timeout'
	| 'tls_failure'
	| 'connection_reset'
	| 'headers_timeout'
	| 'body_timeout'
	| 'fetch_failed'
	| 'timeout'
	| 'aborted'
	| 'unrecognized'
	| 'invalid_request'
	| 'oversized_response';

/** The meaning of one outcome and what to do about it. Verdicts are frozen. */
export interface Verdict {
	/** The HTTP status, or `null` for a transport outcome. */
	readonly status: number | null;
	/** Stable classification id. */
	readonly kind: Kind;
	readonly family: Family;
	/** Short human title (the API's own for documented codes). */
	readonly title: string;
	/** Human description (the API's own wording for documented codes). */
	readonly description: string;
	/** Whether an idempotent request may be retried after this outcome. */
	readonly retryable: boolean;
	/** What the caller should do. */
	readonly action: Action;
	/** The server's requested wait in ms (`Retry-After`, else exhausted rate-limit headers), or `null`. */
	readonly retryAfterMs: number | null;
	/**
	 * Whether the outcome proves the server never processed the request (408, a throttling 429, a
	 * refused connection, a DNS failure), so that even a POST may be retried.
	 */
	readonly neverProcessed: boolean;
	/** For transport outcomes, what exactly failed; `null` for responses. */
	readonly detail: TransportDetail | null;
}

/** Anything `classify` accepts as headers. */
export type HeadersInput =
	| Headers
	| Record<string, string | number | readonly string[] | undefined>
	| ReadonlyArray<readonly [string, string]>;

/** A response described by hand, e.g. from a non-fetch client or a test. */
export interface ResponseDescription {
	/** Integer HTTP status, 100–599. */
	status: number;
	/** Accepted for symmetry with retry decisions; the verdict is the same for every method. */
	method?: string;
	headers?: HeadersInput;
	/** The reply's text, or its parsed JSON, used to tell the 404 and 429 variants apart. */
	body?: string | Record<string, unknown> | unknown[] | null;
}

/** Something with a status and headers, like fetch's `Response` (its unread body is ignored). */
export interface ResponseLike {
	readonly status: number;
	readonly headers: Headers;
	clone(): unknown;
	text(): Promise<string>;
}

export interface ClassifyOptions {
	/** Per-API rules tried before the built-in ones. */
	profile?: Profile;
	/**
	 * The current time in epoch ms, for `Retry-After` dates when the response has no `Date` header.
	 * @default Date.now()
	 */
	nowMs?: number;
}

/**
 * Classifies a response.
 *
 * @throws {TypeError} `ERR_STATUS_TYPE` when `status` is not a number; `ERR_INVALID_ARGUMENT` for other bad input.
 * @throws {RangeError} `ERR_STATUS_RANGE` when `status` is not an integer from 100 to 599 (NaN, 1.5, 0, 600).
 *
 * @example
 * ```js
 * classify({status: 429, body: {message: 'Limit Exceeded'}}).kind; //=> 'quota_exceeded'
 * classify({status: 503, headers: {'retry-after': '2'}}).retryAfterMs; //=> 2000
 * ```
 */
export function classify(input: ResponseLike | ResponseDescription, options?: ClassifyOptions): Verdict;

/**
 * Classifies a value thrown by `fetch` (Chrome, Firefox, Safari, Node/undici, Deno, Bun shapes).
 *
 * @throws {TypeError} `ERR_INVALID_ARGUMENT` for `undefined` or `null`.
 *
 * @example
 * ```js
 * try {
 *   await fetch(url);
 * } catch (error) {
 *   classifyError(error).kind; //=> 'network_error', 'timeout', 'aborted' or 'unknown_error'
 * }
 * ```
 */
export function classifyError(error: unknown): Verdict;

/** The documented table as data: one row per documented code and per transport kind. */
export function codes(): Verdict[];

/** A header test in a profile rule. Without `equals` or `includes` it tests presence. */
export interface HeaderRule {
	/** Header name, case-insensitive. */
	name: string;
	/** Exact value, ignoring ASCII case. */
	equals?: string;
	/** Substring of the value, ignoring ASCII case. */
	includes?: string;
}

/** One profile rule: a response with this status that matches every given test gets `kind`. */
export interface ProfileRule {
	/** Integer HTTP status, 100–599. */
	status: number;
	/** The kind to give (any kind except the transport kinds). */
	kind: Exclude<Kind, TransportKind>;
	/** Matches when the body contains any of these strings, ignoring ASCII case. */
	bodyIncludes?: string[];
	header?: HeaderRule;
}

export interface ProfileSpec {
	/** Tried in order; the first match wins, else the built-in rules apply. */
	rules?: ProfileRule[];
}

/** A validated profile. Pass it as `classify(input, {profile})`. */
export class Profile {
	private constructor();
	/** Releases its wasm memory now rather than at garbage collection. */
	free(): void;
}

/**
 * Validates per-API rules up front. No string of a profile may contain a NUL character.
 *
 * @throws {TypeError} `ERR_INVALID_PROFILE`, with a message naming the field (`rules[0].kind`).
 *
 * @example
 * ```js
 * const profile = createProfile({rules: [
 *   {status: 404, kind: 'wrong_identifier', bodyIncludes: ['no such order']},
 *   {status: 429, kind: 'quota_exceeded', header: {name: 'x-quota-remaining', equals: '0'}},
 * ]});
 * classify({status: 404, body: 'No such order: 42'}, {profile}).kind; //=> 'wrong_identifier'
 * ```
 */
export function createProfile(spec: ProfileSpec): Profile;

/** How own-backoff waits are randomised. */
export type Jitter = 'full' | 'equal' | 'decorrelated' | 'none';

/** Options of a retry policy. Every field is optional; unknown fields are rejected. */
export interface RetryPolicyOptions {
	/**
	 * Total attempts, the first included (1–1000).
	 * @default 3
	 */
	maxAttempts?: number;
	/**
	 * The first own-backoff wait before jitter, in ms.
	 * @default 300
	 */
	baseDelayMs?: number;
	/**
	 * Growth of the own backoff per attempt (at least 1).
	 * @default 2
	 */
	multiplier?: number;
	/**
	 * Cap of one own-backoff wait, in ms (`Infinity` for none). Server hints are not lowered to it.
	 * @default 10000
	 */
	maxDelayMs?: number;
	/** @default 'full' */
	jitter?: Jitter;
	/**
	 * Total time since the first attempt that no scheduled wait may cross, in ms; `null` or
	 * `Infinity` for none.
	 * @default null
	 */
	deadlineMs?: number | null;
	/**
	 * Above this server wait (Retry-After, rate-limit reset), give up at once and surface the hint.
	 * @default 60000
	 */
	maxRetryAfterMs?: number;
	/**
	 * Retry POST/PATCH even when the outcome may have been processed: the explicit opt-in.
	 * @default false
	 */
	retryNonIdempotent?: boolean;
	/** Per-status overrides for 400–599: force retrying (idempotency rules still apply) or never. */
	statusOverrides?: Array<{status: number; retry: boolean}>;
	/**
	 * Seed of the jitter (an integer 0 … 2^53 − 1): the same seed gives the same decisions.
	 * @default a random seed per policy
	 */
	seed?: number;
	/**
	 * Wait after a throttling 429 that names no wait, in ms.
	 * @default 1000
	 */
	throttleFallbackMs?: number;
	/**
	 * Retry after a per-attempt timeout (got's default; ky's `retryOnTimeout` defaults to false).
	 * @default true
	 */
	retryOnTimeout?: boolean;
	/**
	 * A server wait above `maxRetryAfterMs`: `false` gives up at once (got), `true` waits
	 * `maxRetryAfterMs` and retries (ky's `maxRetryAfter`).
	 * @default false
	 */
	capRetryAfter?: boolean;
	/**
	 * The only methods retried (ky's `methods`), ASCII case ignored; a listed non-idempotent method
	 * (POST, PATCH) counts as an explicit opt-in. Unknown names are a RangeError.
	 * @default every method, within the idempotency rules
	 */
	methods?: string[];
	/**
	 * The only statuses retried (ky's and got's `statusCodes`); POST still needs its own opt-in.
	 * Not together with `statusOverrides`.
	 */
	statusCodes?: number[];
	/**
	 * Your own backoff (ky's `delay`): the wait in ms after failed attempt `attempt` (1-based),
	 * instead of `baseDelayMs`, `multiplier` and `jitter` (`maxDelayMs` does not cap it). A longer
	 * wait the server asked for still wins. Asked about failures only, and by `plan`. A return
	 * that is not a non-negative number throws a TypeError (`ERR_INVALID_RETURN_VALUE`).
	 */
	delay?: (attempt: number) => number;
	/** Per-API classification rules used when the policy classifies an outcome itself. */
	profile?: Profile;
}

/** Stable id of why a decision was made. */
export type DecisionReason =
	| 'retry_after'
	| 'rate_limited'
	| 'retryable_status'
	| 'network_error'
	| 'timeout'
	| 'success'
	| 'not_retryable'
	| 'aborted'
	| 'quota_exceeded'
	| 'not_idempotent'
	| 'body_not_replayable'
	| 'max_attempts'
	| 'retry_after_too_long'
	| 'deadline'
	| 'budget_exhausted'
	| 'circuit_open'
	| 'method_not_retried'
	| 'declined'
	| 'offline'
	| 'server_declined';

/** What happened to one attempt. Give exactly one of `verdict`, `response`, `status` or `error`. */
export interface Outcome {
	/**
	 * The attempt that just finished, 1-based.
	 * @default 1
	 */
	attempt?: number;
	/** @default 'GET' */
	method?: string;
	/** The request's headers: an `Idempotency-Key` makes a POST retryable. */
	requestHeaders?: HeadersInput;
	/**
	 * Whether the body can be sent again (false for a `ReadableStream`).
	 * @default true
	 */
	bodyReplayable?: boolean;
	/** A verdict from `classify` or `classifyError`. */
	verdict?: Verdict;
	/** The response (its status and headers are read). */
	response?: ResponseLike;
	/** The status, with `responseHeaders` and `body`. */
	status?: number;
	responseHeaders?: HeadersInput;
	/** The reply's text or parsed JSON, when known. */
	body?: string | Record<string, unknown> | unknown[] | null;
	/** What `fetch` threw. */
	error?: unknown;
	/**
	 * Time since the first attempt started, in ms.
	 * @default 0
	 */
	elapsedMs?: number;
	/** @default Date.now() */
	nowMs?: number;
	/**
	 * When the attempt was sent, epoch ms. The breaker ignores outcomes of attempts sent before it
	 * last opened or closed (stragglers); `createFetch` passes it for every attempt.
	 * @default nowMs
	 */
	sentMs?: number;
	/**
	 * The previous wait of this request (decorrelated jitter grows from it).
	 * @default 0
	 */
	previousDelayMs?: number;
	/**
	 * The request's origin, the key of the per-origin state.
	 * @default ''
	 */
	origin?: string;
	/**
	 * A per-request number so that concurrent requests get different jitter; 0 gives the waits of `plan`.
	 * @default 0
	 */
	salt?: number;
	/**
	 * Your own answer (what createFetch's `shouldRetry` returned): `false` declines any retry
	 * (reason `declined`); `true` retries an outcome the policy would not (a 404, a method outside
	 * `methods`, a timeout with `retryOnTimeout: false`), still within every other rule: a replayable
	 * body, idempotency or an explicit opt-in, `maxAttempts`, the server's wait, the deadline, the
	 * budget and the breaker; never a success, an abort or an exhausted quota.
	 */
	shouldRetry?: boolean;
	/**
	 * The device was offline when the attempt failed (`navigator.onLine === false`; `createFetch`
	 * passes it). A network failure is then the device's: the decision is `offline` (retry the same
	 * attempt once back online), spending no attempt, budget or breaker count.
	 * @default false
	 */
	offline?: boolean;
}

/** What to do after an attempt, and why. Frozen. */
export interface Decision {
	readonly retry: boolean;
	/** Wait before the next attempt, in ms; 0 when not retrying. */
	readonly delayMs: number;
	readonly reason: DecisionReason;
	/**
	 * One sentence, e.g. `503 Service Unavailable; Retry-After 2 s; attempt 2 of 3 in 2.1 s`. A server's
	 * wait is named by the header or reply field it was read from (`x-ratelimit-reset 30 s`,
	 * `retryDelay 17.4 s`), or as `the origin's throttle gate`.
	 */
	readonly message: string;
	readonly verdict: Verdict;
}

/**
 * A retry policy: options validated once, then one deterministic decision per finished attempt.
 *
 * @throws {TypeError} `ERR_INVALID_OPTION` for unknown or ill-typed options (the message names it).
 * @throws {RangeError} `ERR_INVALID_OPTION` for out-of-range values.
 *
 * @example
 * ```js
 * const policy = new RetryPolicy({maxAttempts: 4, seed: 1});
 * const decision = policy.decide({attempt: 1, method: 'GET', status: 503, responseHeaders: {'retry-after': '2'}});
 * decision.retry; //=> true
 * decision.delayMs; //=> 2000 plus a small positive jitter
 * decision.message; //=> '503 Service Unavailable; Retry-After 2 s; attempt 2 of 4 in 2.1 s'
 * ```
 */
export class RetryPolicy {
	constructor(options?: RetryPolicyOptions);
	readonly maxAttempts: number;
	/** Decides about one finished attempt; with `state`, also applies and updates the shared state. */
	decide(outcome: Outcome, state?: ClientState): Decision;
	/** The own-backoff waits, in ms (server hints aside), for `attempts` attempts (default `maxAttempts`). */
	plan(attempts?: number): number[];
	/** Releases its wasm memory now rather than at garbage collection. */
	free(): void;
}

/** Options of the shared client state. */
export interface ClientStateOptions {
	/** Retries stay below `minRetries + ratio × first attempts` over the window. */
	retryBudget?: {
		/** @default true */
		enabled?: boolean;
		/** @default 0.2 */
		ratio?: number;
		/** @default 10 */
		minRetries?: number;
		/** @default 10000 */
		windowMs?: number;
	};
	/**
	 * Per origin: opens after `failureThreshold` failures in a row, 2 unreachable outcomes (network
	 * failures, timeouts) in a row, or `failureRatio` of the last `window` outcomes. While open it
	 * refuses *retries* only: every caller's first attempt is still sent, and a success closes it.
	 * With `failFast: true` it refuses every attempt unsent for `openMs`, then admits one probe.
	 */
	circuitBreaker?: {
		/** @default true */
		enabled?: boolean;
		/**
		 * Refuse every attempt (not only retries) while open, Polly/resilience4j style.
		 * @default false
		 */
		failFast?: boolean;
		/**
		 * Consecutive failures that open it.
		 * @default 5
		 */
		failureThreshold?: number;
		/**
		 * Failure share of the last `window` outcomes that opens it.
		 * @default 0.5
		 */
		failureRatio?: number;
		/** @default 20 */
		window?: number;
		/** @default 10 */
		minCalls?: number;
		/** @default 10000 */
		openMs?: number;
	};
	/**
	 * How long a `quota_exceeded` locks its origin when the server gives no reset time, in ms.
	 * @default 60000
	 */
	quotaLockMs?: number;
	/** @default 64 */
	maxOrigins?: number;
	/**
	 * Share what this state learns (throttle gates, quota locks, open breakers, per origin) with other
	 * states: `shareAcrossTabs()` from `'http-verdict/share'` for the tabs and workers of one browser
	 * origin, or `shareThrough(store)` for a store of yours. A fact only ever makes a state wait
	 * longer, capped at a day.
	 */
	share?: ShareStore;
}

/** What one client state tells others about an origin: each wait left, in ms (0: none). */
export interface SharedFact {
	readonly origin: string;
	/** Until the throttle gate opens: requests to the origin wait. */
	readonly gateMs: number;
	/** Until the quota resets: requests to the origin fail unsent. */
	readonly quotaMs: number;
	/** Until the circuit breaker's cool-down ends (at most the receiver's `openMs`). */
	readonly openMs: number;
}

/** A `share` made by `'http-verdict/share'` (`shareAcrossTabs`, `shareThrough`). */
export interface ShareStore {
	/** @internal Connects one state to the store. */
	attach(exchange: (origin: string, nowMs: number, gateMs: number, quotaMs: number, openMs: number) => [number, number, number] | undefined): {told(origin: string, nowMs: number): void; close(): void};
}

/** Whether an attempt may be sent now. */
export interface Admission {
	readonly allowed: boolean;
	/** The throttle gate's remaining wait (or, for a retry, the wait for its slot in the origin's pace), when told to wait. */
	readonly waitMs: number | null;
	readonly reason: 'throttled' | 'quota_exceeded' | 'circuit_open' | 'retry_after_too_long' | 'deadline' | null;
	/** When asking again may succeed, in ms from now, if known. */
	readonly retryInMs: number | null;
}

/**
 * State shared by the requests of one client: a retry budget, and per origin a circuit breaker, a
 * throttle gate and a quota lock. Time is always passed in.
 *
 * @example
 * ```js
 * const state = new ClientState();
 * policy.decide({status: 429, responseHeaders: {'retry-after': '5'}, origin: 'https://api.example'}, state);
 * state.admit(policy, {origin: 'https://api.example'}); //=> {allowed: false, waitMs: 5000, reason: 'throttled', …}
 * ```
 */
export class ClientState {
	constructor(options?: ClientStateOptions);
	/**
	 * Asks before sending attempt `attempt` (default 1) to `origin`. After the origin throttled,
	 * retries (`attempt` above 1) also wait for their slot in its pace: one per interval once its
	 * wait is over, instead of all at once.
	 */
	admit(policy: RetryPolicy, at?: {origin?: string; nowMs?: number; elapsedMs?: number; attempt?: number}): Admission;
	breakerState(origin: string, nowMs?: number): 'closed' | 'open' | 'half_open';
	/** Retries `origin`'s budget allows now (`Infinity` when the budget is off). */
	retriesAvailable(origin: string, nowMs?: number): number;
	/**
	 * Spends one retry of `origin`'s budget: `true` when the budget allowed it (or is off). What a hedge
	 * (`http-verdict/hedge`) pays; createFetch's own retries spend theirs when they are decided.
	 */
	spendRetry(origin: string, nowMs?: number): boolean;
	/** Forgets every origin: budgets, breakers, gates and locks. */
	clear(): void;
	free(): void;
}

/**
 * The own-backoff waits a policy with these options would use, for previews.
 *
 * @example
 * ```js
 * plan({seed: 1, jitter: 'none', baseDelayMs: 100}); //=> [100, 200]
 * ```
 */
export function plan(options?: RetryPolicyOptions, attempts?: number): number[];

/** Codes of the errors thrown for bad arguments (on `error.code`). */
export type ArgumentErrorCode = 'ERR_STATUS_TYPE' | 'ERR_STATUS_RANGE' | 'ERR_INVALID_ARGUMENT' | 'ERR_INVALID_PROFILE' | 'ERR_INVALID_OPTION';
export * from './fetch.js';
