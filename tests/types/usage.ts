// Compile-only: the public types as a user writes against them. Each `@ts-expect-error` line is a
// mistake the types must reject; tsc fails if one of them stops being an error.
import { classify, classifyError, codes, createProfile } from 'http-verdict';
import type { Action, ArgumentErrorCode, Family, Kind, Profile, Verdict } from 'http-verdict';

const fromObject: Verdict = classify({ status: 503, headers: { 'retry-after': '2' } });
const fromResponse: Verdict = classify(new Response(null, { status: 429 }), { nowMs: Date.now() });
const withMethod = classify({ status: 500, method: 'POST', body: { message: 'oops' } });
const fromHeaders = classify({ status: 429, headers: new Headers({ 'retry-after': '1' }) });

const kind: Kind = fromObject.kind;
const action: Action = fromResponse.action;
const family: Family = fromHeaders.family;
const wait: number | null = fromObject.retryAfterMs;
const retryable: boolean = withMethod.retryable;
const neverProcessed: boolean = fromHeaders.neverProcessed;
const title: string = fromObject.title;
const status: number | null = classifyError(new TypeError('Failed to fetch')).status;

const profile: Profile = createProfile({
  rules: [
    { status: 429, kind: 'quota_exceeded', bodyIncludes: ['Limit Exceeded'] },
    { status: 404, kind: 'invalid_route', header: { name: 'x-error-type', equals: 'InvalidRoute' } },
  ],
});
const profiled: Verdict = classify({ status: 429, body: 'Limit Exceeded' }, { profile });

for (const row of codes()) {
  const rowKind: Kind = row.kind;
  const rowStatus: number | null = row.status;
  void [rowKind, rowStatus];
}

try {
  classify({ status: 600 });
} catch (error) {
  const code = (error as { code?: ArgumentErrorCode }).code;
  void code;
}

// @ts-expect-error a bare string is not a response
classify('x');
// @ts-expect-error status must be a number
classify({ status: '503' });
// @ts-expect-error kinds are a closed set of ids
const badKind: Kind = 'teapot';
// @ts-expect-error a profile rule has no such field
createProfile({ rules: [{ status: 429, kind: 'throttled', bodyMatches: ['x'] }] });
// @ts-expect-error bodyIncludes is a list of strings
createProfile({ rules: [{ status: 429, kind: 'throttled', bodyIncludes: 'x' }] });
// @ts-expect-error a profile cannot assign a transport kind to a response
createProfile({ rules: [{ status: 504, kind: 'timeout' }] });
// @ts-expect-error verdicts are frozen
fromObject.kind = 'ok';
// @ts-expect-error options are checked too
classify({ status: 200 }, { nowMS: 0 });

void [kind, action, family, wait, retryable, neverProcessed, title, status, profiled, badKind];

// ---- retry decisions ----------------------------------------------------------------------------
import {ClientState, plan, RetryPolicy, type Decision, type DecisionReason, type Jitter} from 'http-verdict';

const jitter: Jitter = 'decorrelated';
const policy = new RetryPolicy({maxAttempts: 4, jitter, deadlineMs: null, statusOverrides: [{status: 503, retry: false}], seed: 1});
const state = new ClientState({retryBudget: {ratio: 0.1}, circuitBreaker: {openMs: 5000}});
const decision: Decision = policy.decide({attempt: 1, method: 'POST', status: 503, responseHeaders: {'retry-after': '2'}, requestHeaders: {'idempotency-key': 'k'}}, state);
const reason: DecisionReason = decision.reason;
const waits: number[] = plan({seed: 1}, 3).concat(policy.plan());
const admission = state.admit(policy, {origin: 'https://api.example', nowMs: 0});
const allowed: boolean = admission.allowed && decision.retry && waits.length > 0 && reason.length > 0;
void allowed;
// @ts-expect-error jitter is a closed set
new RetryPolicy({jitter: 'random'});
// @ts-expect-error unknown options are rejected
new RetryPolicy({maxAttemps: 3});
// @ts-expect-error a decision is read-only
decision.delayMs = 0;
// ky/got-style options, the opt-in fail-fast breaker and an attempt's send time.
const kyLike = new RetryPolicy({methods: ['GET', 'POST'], statusCodes: [500, 503], retryOnTimeout: false, capRetryAfter: true, delay: attempt => attempt * 300});
const answered: Decision = kyLike.decide({status: 404, shouldRetry: true});
const declinedReason: DecisionReason = 'declined';
const failFast = new ClientState({circuitBreaker: {failFast: true}});
const methodReason: DecisionReason = 'method_not_retried';
void [kyLike.decide({status: 503, sentMs: 0, nowMs: 10}, failFast), methodReason];
// @ts-expect-error methods are names
new RetryPolicy({methods: [1]});
// @ts-expect-error failFast is a boolean
new ClientState({circuitBreaker: {failFast: 'yes'}});

// ---- sharing ------------------------------------------------------------------------------------
import {shareAcrossTabs, shareThrough, type ShareAcrossTabsOptions} from 'http-verdict/share';
import type {SharedFact} from 'http-verdict';

const tabsOptions: ShareAcrossTabsOptions = {channel: 'app', storage: {get: () => null, set() {}}, now: Date.now};
const tabs = shareAcrossTabs(tabsOptions);
const sharedState = new ClientState({share: tabs, circuitBreaker: {openMs: 5000}});
const facts: SharedFact[] = [];
const custom = new ClientState({share: shareThrough({publish: fact => void facts.push(fact), subscribe: () => () => {}})});
tabs.close();
void [sharedState, custom];
// @ts-expect-error a store with publish and subscribe goes through shareThrough()
new ClientState({share: {publish() {}, subscribe() {}}});

// ---- createFetch --------------------------------------------------------------------------------
import {
  createFetch,
  HttpError,
  isHttpError,
  isQuotaExceededError,
  isTimeoutError,
  QuotaExceededError,
  type CacheEntry,
  type CacheStore,
  type Refusal,
  type VerdictFetch,
  type VerdictFetchError,
  type VerdictResponse,
} from 'http-verdict';

const entries = new Map<string, CacheEntry>();
const store: CacheStore = {
  get: async (key) => entries.get(key),
  set: (key, entry) => entries.set(key, entry),
  delete: (key) => entries.delete(key),
};
const api: VerdictFetch = createFetch({
  maxAttempts: 4,
  seed: 1,
  timeout: 10_000,
  totalTimeout: false,
  cache: store,
  state,
  throwHttpErrors: (status) => status >= 500,
  fetch: (input, init) => fetch(input, init),
  now: () => Date.now(),
  sleep: (ms, signal) => new Promise((resolve) => setTimeout(resolve, ms, signal)),
  onVerdict: (verdict, {attempt, request}) => console.log(attempt, request.url, verdict.kind),
  beforeRetry: ({attempt, decision}) => ({headers: {'x-attempt': `${attempt} ${decision.reason}`}}),
  onGiveUp: (given: Decision | Refusal) => console.log(given.message),
  onUnauthorized: async ({response}) => (response.status === 401 ? {headers: {authorization: 'Bearer new'}} : undefined),
});
createFetch();
createFetch({cache: true});
const kyPort: VerdictFetch = createFetch({
  shouldRetry: ({verdict, decision, attempt}) => (verdict.status === 404 && attempt < 3 ? true : decision.retry ? undefined : false),
  delay: (attempt) => 0.3 * 2 ** (attempt - 1) * 1000,
});
kyPort('https://api.example/v1/items', {retry: {shouldRetry: async ({error}) => error === undefined}});
// @ts-expect-error shouldRetry answers with a boolean or undefined
createFetch({shouldRetry: () => 'yes'});

async function useFetch(): Promise<void> {
  const response: VerdictResponse = await api('https://api.example/v1/orders', {
    method: 'POST',
    headers: {'idempotency-key': 'k-1'},
    body: () => new Blob(['{}']).stream(),
    retry: {maxAttempts: 2, jitter: 'none'},
    timeout: false,
    signal: AbortSignal.timeout(5000),
  });
  const movedTo: string | undefined = response.movedTo;
  const fromCache: boolean | undefined = response.fromCache;
  const viaRequest = await api(new Request('https://api.example/'), {retry: false});
  void [movedTo, fromCache, viaRequest.status];
  try {
    await api(new URL('https://api.example/v1/orders/42'));
  } catch (error) {
    if (isHttpError(error)) {
      const status: number = error.response.status;
      const said: string | null = error.serverMessage;
      const attempts: number = error.attempts;
      void [status, said, attempts, error.verdict?.kind, error.decision?.message, error.reason];
    } else if (isQuotaExceededError(error)) {
      const resetAt: Date | null = error.resetAt;
      void resetAt;
    } else if (isTimeoutError(error) || QuotaExceededError.is(error) || HttpError.is(error)) {
      const code: VerdictFetchError['code'] = error.code;
      void code;
    }
  }
}
void useFetch;
// @ts-expect-error unknown createFetch options are rejected
createFetch({timout: 1000});
// @ts-expect-error retry overrides are retry options or false
api('https://api.example/', {retry: true});
// @ts-expect-error a profile is per client, not per request
api('https://api.example/', {retry: {profile}});
// @ts-expect-error the cache store needs delete()
createFetch({cache: {get: () => undefined, set: () => undefined}});
// @ts-expect-error error codes are literal
const wrongCode: HttpError['code'] = 'ERR_NETWORK';
void wrongCode;

// ---- presets ------------------------------------------------------------------------------------
import {githubGraphql, shopifyGraphql} from 'http-verdict/presets';

const graphqlProfile: Profile = createProfile({rules: [...githubGraphql.rules ?? [], ...shopifyGraphql.rules ?? []]});
void graphqlProfile;
// @ts-expect-error presets are read-only
githubGraphql.rules = [];

// ---- hedging ------------------------------------------------------------------------------------
import {hedged} from 'http-verdict/hedge';

const hedgeState = new ClientState();
const hedgingFetch = createFetch({state: hedgeState, fetch: hedged({state: hedgeState, afterMs: 'p95', minSamples: 10})});
const spentOne: boolean = hedgeState.spendRetry('https://api.example');
void [hedgingFetch, spentOne];
// @ts-expect-error afterMs is a number or 'p95'
hedged({state: hedgeState, afterMs: 'p99'});
