//! The decision engine: given what happened to an attempt, whether to retry, when, and why.
//!
//! [`RetryPolicy::decide`] applies, in this order (the first rule that refuses gives the reason):
//! 1. a cancelled request (aborted, 499) is never retried;
//! 2. a success or redirect needs nothing (by its kind: a 200 that a profile reads as `throttled`,
//!    as GraphQL APIs answer their rate limits, is judged as a throttle);
//! 3. `quota_exceeded` is never retried (and locks the origin's quota in the shared state);
//! 4. the outcome must be retryable (a 413 is when it carries a server wait), after the per-status
//!    overrides (which cannot touch 1–3);
//! 5. a one-shot body cannot be sent again;
//! 6. an outcome that may have been processed is retried only for idempotent methods, requests
//!    with an `Idempotency-Key`, or with `retry_non_idempotent` (contract §2);
//! 7. attempts never exceed `max_attempts`;
//! 8. a server wait above `max_retry_after_ms` fails at once rather than sleeping;
//! 9. the wait: a server hint plus a small positive jitter (never earlier than the hint, not
//!    lowered to the per-wait cap), a hint-less throttling 429's `throttle_fallback_ms`, else the
//!    own backoff;
//! 10. no wait may cross the deadline;
//! 11. with shared state: the origin's quota lock and open breaker refuse, its throttle gate
//!     lengthens the wait (re-checked against 8 and 10), and the retry budget must allow it.
//!
//! A decision is a pure function of the policy, the outcome and the state: jitter comes from the
//! seed, the attempt number and the outcome's `salt`, never from a clock or a global generator.

use alloc::vec::Vec;

use crate::backoff::{unit, Backoff, Draw};
use crate::classify::Verdict;
use crate::client_state::{Admission, ClientState};
use crate::decision::{Decision, Reason};
use crate::error::InputError;
use crate::kind::{Family, Kind, RetryScope};
use crate::method::Method;
use crate::options::{RetryOptions, RetryOptionsSpec, MAX_ATTEMPTS_LIMIT};
use crate::random::mix;
use crate::retry_after::MAX_WAIT_MS;

/// The longest positive jitter added to a server's wait, in ms (and at most a tenth of it).
pub const MAX_HINT_JITTER_MS: u64 = 1_000;

/// What happened to one attempt, as the policy needs to know it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome<'a> {
    /// The attempt that just finished, 1-based (0 counts as 1).
    pub attempt: u32,
    /// The request method (`GET`, `POST`, …), ASCII case ignored.
    pub method: &'a str,
    /// Whether the request carries an `Idempotency-Key` header (every retry resends the same key).
    pub has_idempotency_key: bool,
    /// Whether the body can be sent again: false for a one-shot stream.
    pub body_replayable: bool,
    /// The attempt's verdict, from [`crate::classify()`] or [`crate::classify_error`].
    pub verdict: Verdict,
    /// Time since the first attempt started, in ms.
    pub elapsed_ms: u64,
    /// The current time, epoch ms (for the shared state's clocks).
    pub now_ms: u64,
    /// The previous wait of this request, in ms (0 before the first retry): decorrelated jitter grows from it.
    pub previous_delay_ms: u64,
    /// When the attempt was sent, epoch ms; `None` for `now_ms`. The breaker ignores outcomes of
    /// attempts sent before it last opened or closed (stragglers).
    pub sent_ms: Option<u64>,
    /// The request's origin (`https://api.example:8443`), the key of the per-origin state.
    pub origin: &'a str,
    /// Distinguishes concurrent requests of one client so that their jitter differs (the wrapper
    /// passes a per-request number); 0 gives exactly the waits of [`RetryPolicy::plan`].
    pub salt: u64,
    /// The caller's own answer to "retry this?" (createFetch's `shouldRetry`), `None` to leave it
    /// to the policy. `Some(false)` declines any retry; `Some(true)` retries a verdict the policy
    /// would not (a 404, a method outside `methods`, a timeout with `retry_on_timeout` off), still
    /// within every other rule: a replayable body, idempotency or an explicit opt-in, the attempt
    /// limit, the server's wait, the deadline, the budget and the breaker. Never a success, an
    /// abort or an exhausted quota.
    pub should_retry: Option<bool>,
    /// The caller's own backoff before the next attempt in ms (createFetch's `delay`), instead of
    /// the policy's `base_delay_ms`, `multiplier` and jitter; a longer wait the server asked for
    /// still wins.
    pub backoff_ms: Option<u64>,
    /// Whether the device was offline when the attempt failed (a browser's `navigator.onLine`
    /// false). A network failure then says nothing about the origin: the same attempt is sent again
    /// once the device is back online (reason `offline`), spending no attempt, no retry budget and
    /// no breaker count.
    pub offline: bool,
}

impl<'a> Outcome<'a> {
    /// The first attempt of a `method` request with a replayable body, at time 0, with no origin.
    pub fn new(method: &'a str, verdict: Verdict) -> Self {
        Self {
            attempt: 1,
            method,
            has_idempotency_key: false,
            body_replayable: true,
            verdict,
            elapsed_ms: 0,
            now_ms: 0,
            previous_delay_ms: 0,
            sent_ms: None,
            origin: "",
            salt: 0,
            should_retry: None,
            backoff_ms: None,
            offline: false,
        }
    }
}

/// A validated retry policy.
///
/// ```
/// use http_verdict::{classify_error, ErrorShape, Outcome, Reason, RetryOptions, RetryPolicy};
/// let policy = RetryPolicy::new(RetryOptions { max_attempts: 2, ..Default::default() })?;
/// let refused = classify_error(&ErrorShape { name: "TypeError", cause_code: "ECONNREFUSED", ..Default::default() });
/// // A refused connection never reached the server, so even a POST may be retried.
/// let decision = policy.decide(&Outcome::new("POST", refused), None);
/// assert!(decision.retry);
/// assert_eq!(decision.reason, Reason::NetworkError);
/// assert!(decision.delay_ms <= 300);
/// let last = policy.decide(&Outcome { attempt: 2, ..Outcome::new("POST", refused) }, None);
/// assert_eq!((last.retry, last.reason), (false, Reason::MaxAttempts));
/// # Ok::<(), http_verdict::InputError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RetryPolicy {
    options: RetryOptions,
}

/// A refusal or a wait: the reason, the wait, the server's wait involved and the limit crossed.
struct Step {
    reason: Reason,
    delay_ms: u64,
    wait_hint_ms: Option<u64>,
    limit_ms: Option<u64>,
}

impl Step {
    /// A step with a reason and nothing else: no wait, no hint, no limit.
    fn only(reason: Reason) -> Self {
        Self {
            reason,
            delay_ms: 0,
            wait_hint_ms: None,
            limit_ms: None,
        }
    }
}

impl RetryPolicy {
    /// A policy from checked options.
    pub fn new(options: RetryOptions) -> Result<Self, InputError> {
        options.validate()?;
        Ok(Self { options })
    }

    /// A policy from the plain object JavaScript passes.
    pub fn from_spec(spec: RetryOptionsSpec) -> Result<Self, InputError> {
        Ok(Self {
            options: RetryOptions::try_from(spec)?,
        })
    }

    /// A policy from the numbers JavaScript passes (see [`RetryOptions::from_numbers`]).
    // NOTE: only the bindings pass numbers; Rust callers have `new` and `from_spec`.
    #[cfg(target_arch = "wasm32")]
    pub(crate) fn from_numbers(
        numbers: &[f64],
        given: u32,
        jitter: Option<Option<crate::backoff::Jitter>>,
    ) -> Result<Self, InputError> {
        Ok(Self {
            options: RetryOptions::from_numbers(numbers, given, jitter)?,
        })
    }

    /// The policy's options.
    pub fn options(&self) -> &RetryOptions {
        &self.options
    }

    /// The client's own backoff.
    pub fn backoff(&self) -> Backoff {
        self.options.backoff()
    }

    /// The own-backoff waits between `attempts` attempts (default `max_attempts`, at most 1000):
    /// what the policy waits when every attempt fails without a server hint, for previews.
    ///
    /// ```
    /// use http_verdict::{backoff::Jitter, RetryOptions, RetryPolicy};
    /// let policy = RetryPolicy::new(RetryOptions { jitter: Jitter::None, ..Default::default() })?;
    /// assert_eq!(policy.plan(None), vec![300, 600]);
    /// assert_eq!(policy.plan(Some(7)), vec![300, 600, 1_200, 2_400, 4_800, 9_600]);
    /// # Ok::<(), http_verdict::InputError>(())
    /// ```
    pub fn plan(&self, attempts: Option<u32>) -> Vec<u64> {
        let attempts = attempts
            .unwrap_or(self.options.max_attempts)
            .min(MAX_ATTEMPTS_LIMIT);
        self.backoff().plan(self.options.seed, attempts)
    }

    /// One step of [`RetryPolicy::plan`]: the own wait after attempt `attempt` when the wait before
    /// it was `previous_delay_ms` (the plan is these steps in a row). The bindings build plans from
    /// it (see `planStep`).
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub(crate) fn plan_step(&self, attempt: u32, previous_delay_ms: u64) -> u64 {
        let unit = unit(self.options.seed, attempt, Draw::Backoff);
        self.backoff().delay_ms(attempt, previous_delay_ms, unit)
    }

    /// Decides what to do after an attempt; records the outcome into `state` when given one.
    ///
    /// ```
    /// use http_verdict::{classify, HeaderBlock, Outcome, Reason, ResponseParts, RetryPolicy};
    /// let policy = RetryPolicy::default();
    /// let response = ResponseParts { status: 502, headers: HeaderBlock::empty(), body: None };
    /// let verdict = classify(&response, 0, None);
    /// let get = policy.decide(&Outcome::new("GET", verdict), None);
    /// assert_eq!((get.retry, get.reason), (true, Reason::RetryableStatus));
    /// let post = policy.decide(&Outcome::new("POST", verdict), None);
    /// assert_eq!((post.retry, post.reason), (false, Reason::NotIdempotent));
    /// assert_eq!(
    ///     post.message(),
    ///     "POST is not idempotent and 502 Bad Gateway may have been processed; not retried",
    /// );
    /// let keyed = Outcome { has_idempotency_key: true, ..Outcome::new("POST", verdict) };
    /// assert!(policy.decide(&keyed, None).retry);
    /// ```
    pub fn decide(&self, outcome: &Outcome, state: Option<&mut ClientState>) -> Decision {
        self.decide_for(outcome, Method::parse(outcome.method), state)
    }

    /// [`RetryPolicy::decide`] with the outcome's method already known (its `method` unread): the
    /// bindings pass a method as its index in [`Method::KNOWN`], so the package's wasm carries
    /// neither the names nor their comparison.
    pub(crate) fn decide_for(
        &self,
        outcome: &Outcome,
        method: Method,
        state: Option<&mut ClientState>,
    ) -> Decision {
        let attempt = outcome.attempt.max(1);
        let verdict = outcome.verdict;
        let step = match state {
            None => self.judge(outcome, attempt, method),
            // NOTE: the device's own failure: nothing to record about the origin.
            Some(_) if is_offline(outcome) => self.judge(outcome, attempt, method),
            Some(state) => {
                // NOTE: a wait this policy refuses to honour (above `max_retry_after_ms`) must not
                // close the gate either: one hostile `Retry-After: 99999999999` would otherwise
                // lock every request to the origin out for millennia.
                let throttle_wait_ms = (verdict.kind == Kind::Throttled)
                    .then(|| {
                        verdict
                            .retry_after_ms
                            .unwrap_or(self.options.throttle_fallback_ms)
                    })
                    .filter(|wait_ms| *wait_ms <= self.options.max_retry_after_ms);
                let burst = state.record(
                    outcome.origin,
                    &verdict,
                    attempt == 1,
                    throttle_wait_ms,
                    outcome.sent_ms.unwrap_or(outcome.now_ms),
                    outcome.now_ms,
                );
                let step = self.judge(outcome, attempt, method);
                if step.reason.retries() {
                    self.consult(state, outcome, step, burst)
                } else {
                    step
                }
            }
        };
        let retry = step.reason.retries();
        Decision {
            retry,
            delay_ms: if retry { step.delay_ms } else { 0 },
            reason: step.reason,
            verdict,
            attempt,
            max_attempts: self.options.max_attempts,
            method,
            // NOTE: the parsers' hints saturate at MAX_WAIT_MS, but a caller's own verdict may carry
            // any (JS passes `retryAfterMs` through), and every wait reported must be a safe integer.
            wait_hint_ms: step.wait_hint_ms.map(|hint_ms| hint_ms.min(MAX_WAIT_MS)),
            limit_ms: step.limit_ms,
        }
    }

    /// Whether a first attempt to `origin` may be sent now: [`ClientState::before_attempt`], with a
    /// throttle wait above `max_retry_after_ms` or past the deadline turned into a refusal.
    pub fn admit(
        &self,
        state: &mut ClientState,
        origin: &str,
        now_ms: u64,
        elapsed_ms: u64,
    ) -> Admission {
        self.admission(state, origin, now_ms, elapsed_ms, false)
    }

    /// [`RetryPolicy::admit`] for a retry, which also waits for its slot in the origin's pace
    /// ([`ClientState::before_retry`]).
    pub fn admit_retry(
        &self,
        state: &mut ClientState,
        origin: &str,
        now_ms: u64,
        elapsed_ms: u64,
    ) -> Admission {
        self.admission(state, origin, now_ms, elapsed_ms, true)
    }

    /// [`RetryPolicy::admit`] or, for a `retry`, [`RetryPolicy::admit_retry`].
    pub(crate) fn admission(
        &self,
        state: &mut ClientState,
        origin: &str,
        now_ms: u64,
        elapsed_ms: u64,
        retry: bool,
    ) -> Admission {
        match state.admission(origin, now_ms, retry) {
            Admission::Wait { wait_ms } => {
                let reason = if wait_ms > self.options.max_retry_after_ms {
                    Reason::RetryAfterTooLong
                } else if self.crosses_deadline(elapsed_ms, wait_ms) {
                    Reason::Deadline
                } else {
                    return Admission::Wait { wait_ms };
                };
                Admission::Rejected {
                    reason,
                    retry_in_ms: Some(wait_ms),
                }
            }
            admission => admission,
        }
    }

    /// Rules 1–10 of the module documentation: everything that needs no shared state.
    fn judge(&self, outcome: &Outcome, attempt: u32, method: Method) -> Step {
        let options = &self.options;
        let verdict = &outcome.verdict;
        let kind = verdict.kind;
        if matches!(kind, Kind::Aborted | Kind::ClientClosedRequest) {
            return Step::only(Reason::Aborted);
        }
        if matches!(kind.family(), Family::Success | Family::Redirection) {
            return Step::only(Reason::Success);
        }
        if kind == Kind::QuotaExceeded {
            return Step {
                wait_hint_ms: verdict.retry_after_ms,
                ..Step::only(Reason::QuotaExceeded)
            };
        }
        if outcome.should_retry == Some(false) {
            return Step::only(Reason::Declined);
        }
        // The server knows best whether its own failure is worth another try (Stripe: a retry with
        // the same Idempotency-Key would replay the saved answer).
        if verdict.server_retry == Some(false) {
            return Step::only(Reason::ServerDeclined);
        }
        let forced = outcome.should_retry == Some(true) || verdict.server_retry == Some(true);
        let scope = self.scope(verdict);
        let not_retryable =
            scope == RetryScope::Never || (kind == Kind::Timeout && !options.retry_on_timeout);
        if not_retryable && !forced {
            return Step::only(Reason::NotRetryable);
        }
        if !outcome.body_replayable {
            return Step::only(Reason::BodyNotReplayable);
        }
        let listed = options.lists_method(method);
        if listed == Some(false) && !forced {
            return Step::only(Reason::MethodNotRetried);
        }
        let repeatable = scope == RetryScope::AnyMethod
            || method.is_idempotent()
            || outcome.has_idempotency_key
            || options.retry_non_idempotent
            // Listing a method in `methods` is the caller's explicit opt-in, a server's
            // `should-retry: true` the server's.
            || listed == Some(true)
            || verdict.server_retry == Some(true)
            || verdict.never_processed();
        if !repeatable {
            return Step::only(Reason::NotIdempotent);
        }
        if is_offline(outcome) {
            return self.within_deadline(outcome.elapsed_ms, Step::only(Reason::Offline));
        }
        if attempt >= options.max_attempts {
            return Step::only(Reason::MaxAttempts);
        }
        let seed = options.seed ^ mix(outcome.salt);
        let backoff = || {
            outcome.backoff_ms.map_or_else(
                || {
                    let unit = unit(seed, attempt, Draw::Backoff);
                    self.backoff()
                        .delay_ms(attempt, outcome.previous_delay_ms, unit)
                },
                |backoff_ms| backoff_ms.min(MAX_WAIT_MS),
            )
        };
        let step = match verdict.retry_after_ms {
            // ky's rule, opted in: wait the longest the policy allows, then try again.
            Some(hint_ms) if hint_ms > options.max_retry_after_ms && options.cap_retry_after => {
                let cap_ms = options.max_retry_after_ms;
                Step {
                    reason: Reason::RetryAfter,
                    delay_ms: cap_ms.saturating_add(hint_jitter(cap_ms, seed, attempt)),
                    wait_hint_ms: Some(hint_ms),
                    limit_ms: None,
                }
            }
            Some(hint_ms) if hint_ms > options.max_retry_after_ms => {
                return Step {
                    wait_hint_ms: Some(hint_ms),
                    limit_ms: Some(options.max_retry_after_ms),
                    ..Step::only(Reason::RetryAfterTooLong)
                };
            }
            Some(hint_ms) => Step {
                reason: Reason::RetryAfter,
                delay_ms: hint_ms.saturating_add(hint_jitter(hint_ms, seed, attempt)),
                wait_hint_ms: Some(hint_ms),
                limit_ms: None,
            },
            None if kind == Kind::Throttled => {
                let fallback_ms = options.throttle_fallback_ms;
                let delay_ms = fallback_ms
                    .saturating_add(hint_jitter(fallback_ms, seed, attempt))
                    .max(backoff());
                Step {
                    delay_ms,
                    ..Step::only(Reason::RateLimited)
                }
            }
            None => Step {
                delay_ms: backoff(),
                ..Step::only(match kind {
                    Kind::NetworkError => Reason::NetworkError,
                    Kind::Timeout => Reason::Timeout,
                    _ => Reason::RetryableStatus,
                })
            },
        };
        self.within_deadline(outcome.elapsed_ms, step)
    }

    /// Rule 11: the shared state's say on a retry that the policy alone would allow.
    /// `burst`: whether the attempt belongs to the burst that started its origin's pace (what
    /// `record` returned).
    fn consult(
        &self,
        state: &mut ClientState,
        outcome: &Outcome,
        mut step: Step,
        burst: bool,
    ) -> Step {
        let (origin, now_ms) = (outcome.origin, outcome.now_ms);
        if state.quota_wait_ms(origin, now_ms) > 0 {
            return Step::only(Reason::QuotaExceeded);
        }
        if state.breaker_state(origin, now_ms) == crate::breaker::BreakerState::Open {
            return Step::only(Reason::CircuitOpen);
        }
        let gate_ms = state.throttle_wait_ms(origin, now_ms);
        if gate_ms > step.delay_ms {
            if gate_ms > self.options.max_retry_after_ms {
                return Step {
                    wait_hint_ms: Some(gate_ms),
                    limit_ms: Some(self.options.max_retry_after_ms),
                    ..Step::only(Reason::RetryAfterTooLong)
                };
            }
            step = self.within_deadline(
                outcome.elapsed_ms,
                Step {
                    reason: Reason::RetryAfter,
                    delay_ms: gate_ms,
                    wait_hint_ms: Some(gate_ms),
                    limit_ms: None,
                },
            );
            if !step.reason.retries() {
                return step;
            }
        }
        // NOTE: a throttled request was not processed, and the retries of the burst that started
        // the origin's pace go out at the rate the origin accepts: the budget, meant for failures
        // that cost the server work, is not spent on them. Only that burst: throttles during the pace
        // spend it as usual, so that a sustained overload cannot feed itself on free retries (the
        // simulator's `hostile-hints` at a quarter scale never recovered when every paced throttle
        // was free).
        let paced_throttle = burst && outcome.verdict.kind == Kind::Throttled;
        if !paced_throttle && !state.try_retry(origin, now_ms) {
            return Step::only(Reason::BudgetExhausted);
        }
        step
    }

    /// The step, or a `deadline` refusal when its wait would cross the deadline.
    fn within_deadline(&self, elapsed_ms: u64, step: Step) -> Step {
        let delay_ms = step.delay_ms.min(MAX_WAIT_MS);
        if self.crosses_deadline(elapsed_ms, delay_ms) {
            return Step {
                wait_hint_ms: step.wait_hint_ms,
                limit_ms: self.options.deadline_ms,
                ..Step::only(Reason::Deadline)
            };
        }
        Step { delay_ms, ..step }
    }

    fn crosses_deadline(&self, elapsed_ms: u64, delay_ms: u64) -> bool {
        self.options
            .deadline_ms
            .is_some_and(|deadline_ms| elapsed_ms.saturating_add(delay_ms) > deadline_ms)
    }

    /// The verdict's retry scope after the per-status overrides.
    fn scope(&self, verdict: &Verdict) -> RetryScope {
        let forced = verdict
            .status
            .and_then(|status| self.options.status_override(status));
        // ky's and got's `statusCodes`: a status not listed is not retried.
        if self.options.only_listed_statuses && verdict.status.is_some() && forced != Some(true) {
            return RetryScope::Never;
        }
        let scope = match verdict.kind.retry_scope() {
            // RFC 9110 §15.5.14: a 413 with `Retry-After` says the condition is temporary (ky and
            // got retry it too); without one it is the request that is too large.
            RetryScope::Never
                if verdict.status == Some(413) && verdict.retry_after_ms.is_some() =>
            {
                RetryScope::IdempotentOnly
            }
            scope => scope,
        };
        match forced {
            Some(false) => RetryScope::Never,
            Some(true) if scope == RetryScope::Never => RetryScope::IdempotentOnly,
            _ => scope,
        }
    }
}

/// Whether the attempt failed below HTTP while the device was offline (see [`Outcome::offline`]).
fn is_offline(outcome: &Outcome) -> bool {
    outcome.offline && outcome.verdict.kind == Kind::NetworkError
}

/// The positive jitter on a server's wait: up to a tenth of it, at most [`MAX_HINT_JITTER_MS`].
fn hint_jitter(hint_ms: u64, seed: u64, attempt: u32) -> u64 {
    let span_ms = (hint_ms / 10).min(MAX_HINT_JITTER_MS);
    (span_ms as f64 * unit(seed, attempt, Draw::Hint)) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backoff::Jitter;

    #[test]
    fn plan_steps_in_a_row_are_the_plan() {
        for jitter in [
            Jitter::Full,
            Jitter::Equal,
            Jitter::Decorrelated,
            Jitter::None,
        ] {
            let options = RetryOptions {
                jitter,
                max_attempts: 9,
                seed: 7,
                ..RetryOptions::default()
            };
            let policy = RetryPolicy::new(options).unwrap();
            let mut previous_delay_ms = 0;
            let steps: Vec<u64> = (1..9)
                .map(|attempt| {
                    previous_delay_ms = policy.plan_step(attempt, previous_delay_ms);
                    previous_delay_ms
                })
                .collect();
            assert_eq!(steps, policy.plan(None), "{jitter:?}");
        }
    }
}
