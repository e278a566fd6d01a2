// Compile-only: the public types as a user writes against them. Each `@ts-expect-error` line is a
// mistake the types must reject; tsc fails if one of them stops being an error.
import { classify, classifyError, codes, createProfile } from 'http-verdict';
import type { Action, Kind, Verdict } from 'http-verdict';

const fromObject: Verdict = classify({ status: 503, headers: { 'retry-after': '2' } });
const fromResponse: Verdict = classify(new Response(null, { status: 429 }), { nowMs: Date.now() });
const withMethod = classify({ status: 500, method: 'POST', body: 'oops' });

const kind: Kind = fromObject.kind;
const action: Action = fromResponse.action;
const wait: number | null = fromObject.retryAfterMs;
const retryable: boolean = withMethod.retryable;
const title: string = fromObject.title;
const status: number | null = classifyError(new TypeError('Failed to fetch')).status;

const profile = createProfile({
  rules: [
    { status: 429, kind: 'quota_exceeded', bodyIncludes: 'Limit Exceeded' },
    { status: 404, kind: 'invalid_route', header: { name: 'x-error-type', equals: 'InvalidRoute' } },
  ],
});
const profiled: Verdict = classify({ status: 429, body: 'Limit Exceeded' }, { profile });

for (const row of codes()) {
  const rowKind: Kind = row.kind;
  const rowStatus: number | null = row.status;
  void rowKind;
  void rowStatus;
}

// @ts-expect-error a bare string is not a response
classify('x');
// @ts-expect-error status must be a number
classify({ status: '503' });
// @ts-expect-error kinds are a closed set of ids
const badKind: Kind = 'teapot';
// @ts-expect-error a profile rule has no such field
createProfile({ rules: [{ status: 429, kind: 'throttled', bodyMatches: 'x' }] });

void [kind, action, wait, retryable, title, status, profiled, badKind];
