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
	| 'unrecognized';

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
 * Validates per-API rules up front.
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

/** Codes of the errors thrown for bad arguments (on `error.code`). */
export type ArgumentErrorCode = 'ERR_STATUS_TYPE' | 'ERR_STATUS_RANGE' | 'ERR_INVALID_ARGUMENT' | 'ERR_INVALID_PROFILE';
export * from './fetch.js';
