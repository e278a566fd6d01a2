// Test, bench and example code may unwrap, panic and index (the package's code may not: Cargo.toml [lints]).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

mod common;
use common::{policy, response_at, state, NOW_MS};

// Wall clocks step back (NTP corrections, a laptop waking up, a user fixing the date) and callers
// pass absurd clocks. Every wait the shared state stores remembers the length it was learned
// with, so whatever the clock does, a remaining wait never exceeds that length (and never
// `MAX_WAIT_MS`): a clock that steps back may restart a wait, never lengthen it.

use http_verdict::breaker::{BreakerOptions, BreakerState, CircuitBreaker, Health};
use http_verdict::client_state::MAX_QUOTA_LOCK_MS;
use http_verdict::retry_after::MAX_WAIT_MS;
use http_verdict::{
    Admission, ClientState, ClientStateOptions, Decision, Kind, Outcome, Reason, RetryOptions,
    RetryPolicy, Verdict,
};

const T0: u64 = NOW_MS;
const HOUR_MS: u64 = 60 * 60 * 1000;
const DAY_MS: u64 = 24 * HOUR_MS;
const API: &str = "https://api.example";

fn decide_at(
    policy: &RetryPolicy,
    state: &mut ClientState,
    origin: &str,
    verdict: Verdict,
    now_ms: u64,
) -> Decision {
    let outcome = Outcome {
        origin,
        now_ms,
        ..Outcome::new("GET", verdict)
    };
    policy.decide(&outcome, Some(state))
}

/// The wait an admission reports, if any.
fn admission_ms(admission: Admission) -> Option<u64> {
    match admission {
        Admission::Allowed => None,
        Admission::Wait { wait_ms } => Some(wait_ms),
        Admission::Rejected { retry_in_ms, .. } => retry_in_ms,
    }
}

#[test]
fn a_quota_lock_outlasts_neither_its_length_nor_its_cap_after_a_ten_day_step_back() {
    let policy = RetryPolicy::default();
    let mut state = ClientState::default();
    // No reset given: the default lock, 60 s.
    let quota = response_at(429, "", Some(r#"{"message":"Limit Exceeded"}"#), T0);
    assert_eq!(quota.kind, Kind::QuotaExceeded);
    decide_at(&policy, &mut state, API, quota, T0);
    let back_ms = T0 - 10 * DAY_MS;
    assert_eq!(state.quota_wait_ms(API, back_ms), 60_000);
    assert_eq!(
        state.before_attempt(API, back_ms),
        Admission::Rejected {
            reason: Reason::QuotaExceeded,
            retry_in_ms: Some(60_000)
        }
    );

    // A reset beyond the cap locks for the cap, and no step back makes that longer.
    let mut state = ClientState::default();
    let quota = response_at(429, "retry-after: 172800", Some("Limit Exceeded"), T0);
    decide_at(&policy, &mut state, API, quota, T0);
    assert_eq!(state.quota_wait_ms(API, T0), MAX_QUOTA_LOCK_MS);
    assert_eq!(state.quota_wait_ms(API, back_ms), MAX_QUOTA_LOCK_MS);
    assert_eq!(
        admission_ms(state.before_attempt(API, back_ms)),
        Some(MAX_QUOTA_LOCK_MS)
    );
    // Halfway through, a step back restarts the lock at most: never past its length.
    assert_eq!(state.quota_wait_ms(API, T0 + DAY_MS / 2), DAY_MS / 2);
    assert!(state.quota_wait_ms(API, T0 + DAY_MS / 2 - 10 * DAY_MS) <= MAX_QUOTA_LOCK_MS);
    assert_eq!(state.quota_wait_ms(API, T0 + DAY_MS), 0);
}

#[test]
fn an_open_breaker_retries_within_open_ms_after_a_one_hour_step_back() {
    let options = BreakerOptions {
        failure_threshold: 1,
        open_ms: 10_000,
        fail_fast: true,
        ..Default::default()
    };
    let mut state = state(ClientStateOptions {
        retry_budget: None,
        circuit_breaker: Some(options),
        ..Default::default()
    });
    decide_at(
        &RetryPolicy::default(),
        &mut state,
        API,
        response_at(502, "", None, T0),
        T0,
    );
    let back_ms = T0 - HOUR_MS;
    assert_eq!(state.breaker_state(API, back_ms), BreakerState::Open);
    assert_eq!(
        state.before_attempt(API, back_ms),
        Admission::Rejected {
            reason: Reason::CircuitOpen,
            retry_in_ms: Some(10_000)
        }
    );

    // The breaker on its own, and the probe's slot: both at most `open_ms`.
    let mut breaker = CircuitBreaker::default();
    breaker.record(&options, Health::Failure, T0, T0);
    assert_eq!(breaker.admit(&options, back_ms), Err(10_000));
    assert_eq!(breaker.admit(&options, T0 + 15_000), Ok(()));
    // The probe was admitted at T0 + 15 s; the clock steps back 3 s (still past the cool-down).
    assert_eq!(breaker.state(T0 + 12_000), BreakerState::HalfOpen);
    assert_eq!(breaker.admit(&options, T0 + 12_000), Err(10_000));
    assert_eq!(breaker.admit(&options, T0 + 20_000), Err(5_000));
}

#[test]
fn after_a_step_back_the_breaker_still_hears_news_from_attempts_sent_after_it() {
    // The breaker ignores attempts sent before it last changed state; after the clock steps back,
    // every new send time is "before" that change, and they must not all be ignored as stragglers.
    let options = BreakerOptions {
        failure_threshold: 1,
        ..Default::default()
    };
    let mut breaker = CircuitBreaker::default();
    breaker.record(&options, Health::Failure, T0, T0);
    assert_eq!(breaker.state(T0), BreakerState::Open);
    let back_ms = T0 - HOUR_MS;
    breaker.record(&options, Health::Success, back_ms, back_ms + 50);
    assert_eq!(breaker.state(back_ms + 50), BreakerState::Closed);
}

#[test]
fn a_throttle_gate_waits_at_most_its_length_after_a_one_hour_step_back() {
    let policy = RetryPolicy::default();
    let mut state = ClientState::default();
    let throttled = response_at(429, "retry-after: 5", Some("Too Many Requests"), T0);
    decide_at(&policy, &mut state, API, throttled, T0);
    let back_ms = T0 - HOUR_MS;
    assert_eq!(state.throttle_wait_ms(API, back_ms), 5_000);
    assert_eq!(
        state.before_attempt(API, back_ms),
        Admission::Wait { wait_ms: 5_000 }
    );
    // Before the fix the gate claimed an hour: above `max_retry_after_ms`, so it refused.
    assert_eq!(
        policy.admit(&mut state, API, back_ms, 0),
        Admission::Wait { wait_ms: 5_000 }
    );
    let decision = decide_at(
        &policy,
        &mut state,
        API,
        response_at(503, "", None, back_ms),
        back_ms,
    );
    assert!(decision.retry, "{decision:?}");
    assert!(decision.delay_ms <= 5_000, "{decision:?}");
    assert!(decision.wait_hint_ms.unwrap_or(0) <= 5_000, "{decision:?}");
}

#[test]
fn every_wait_stays_safe_when_the_clock_jumps_from_the_largest_safe_integer_to_zero() {
    let policy = policy(RetryOptions {
        max_attempts: 1_000,
        max_retry_after_ms: MAX_WAIT_MS,
        ..Default::default()
    });
    let options = BreakerOptions {
        failure_threshold: 1,
        open_ms: MAX_WAIT_MS,
        ..Default::default()
    };
    let mut state = state(ClientStateOptions {
        circuit_breaker: Some(options),
        quota_lock_ms: MAX_WAIT_MS,
        ..Default::default()
    });
    let late_ms = MAX_WAIT_MS;
    let gated = "https://gated.example";
    let locked = "https://locked.example";
    let broken = "https://broken.example";
    // A gate of the longest wait a policy may accept; a quota lock; an open breaker.
    let forever = response_at(429, "retry-after: 99999999999999999999", None, late_ms);
    assert_eq!(forever.retry_after_ms, Some(MAX_WAIT_MS));
    decide_at(&policy, &mut state, gated, forever, late_ms);
    let quota = response_at(429, "", Some("Limit Exceeded"), late_ms);
    decide_at(&policy, &mut state, locked, quota, late_ms);
    decide_at(
        &policy,
        &mut state,
        broken,
        response_at(500, "", None, late_ms),
        late_ms,
    );
    let mut breaker = CircuitBreaker::default();
    breaker.record(&options, Health::Failure, late_ms, late_ms);

    for now_ms in [0, 1, late_ms / 2, late_ms, late_ms + 1, u64::MAX] {
        for origin in [gated, locked, broken] {
            assert!(state.throttle_wait_ms(origin, now_ms) <= MAX_WAIT_MS);
            assert!(state.quota_wait_ms(origin, now_ms) <= MAX_QUOTA_LOCK_MS);
            let admitted = state.before_attempt(origin, now_ms);
            assert!(
                admission_ms(admitted).unwrap_or(0) <= MAX_WAIT_MS,
                "{origin} at {now_ms}: {admitted:?}"
            );
            let admitted = policy.admit(&mut state, origin, now_ms, 0);
            assert!(
                admission_ms(admitted).unwrap_or(0) <= MAX_WAIT_MS,
                "{origin} at {now_ms}: {admitted:?}"
            );
            let decision = decide_at(
                &policy,
                &mut state,
                origin,
                response_at(503, "", None, now_ms),
                now_ms,
            );
            for wait_ms in [decision.delay_ms, decision.wait_hint_ms.unwrap_or(0)] {
                assert!(wait_ms <= MAX_WAIT_MS, "{origin} at {now_ms}: {decision:?}");
            }
        }
        let retry_in_ms = breaker.admit(&options, now_ms).err().unwrap_or(0);
        assert!(retry_in_ms <= MAX_WAIT_MS, "breaker at {now_ms}");
    }
}

#[test]
fn a_caller_verdict_with_an_enormous_hint_reports_a_safe_wait() {
    // A verdict built by the caller (JS passes its own `retryAfterMs`) is not bounded by the parsers.
    let mut verdict = response_at(503, "", None, T0);
    verdict.retry_after_ms = Some(u64::MAX);
    let decision = RetryPolicy::default().decide(&Outcome::new("GET", verdict), None);
    assert_eq!(decision.reason, Reason::RetryAfterTooLong);
    assert_eq!(decision.wait_hint_ms, Some(MAX_WAIT_MS));
    let mut quota = response_at(429, "", Some("Limit Exceeded"), T0);
    quota.retry_after_ms = Some(u64::MAX);
    let decision = RetryPolicy::default().decide(&Outcome::new("GET", quota), None);
    assert_eq!(decision.reason, Reason::QuotaExceeded);
    assert_eq!(decision.wait_hint_ms, Some(MAX_WAIT_MS));
}

#[test]
fn waits_never_exceed_what_was_learned_whatever_the_clock_does() {
    // A deterministic walk: forward, back by up to ten days, jumps to the ends of the range.
    let policy = policy(RetryOptions {
        max_attempts: 1_000,
        ..Default::default()
    });
    let options = BreakerOptions {
        failure_threshold: 2,
        open_ms: 10_000,
        ..Default::default()
    };
    let mut state = state(ClientStateOptions {
        circuit_breaker: Some(options),
        ..Default::default()
    });
    let gate_limit_ms = policy.options().max_retry_after_ms;
    let verdicts = [
        response_at(429, "retry-after: 5", Some("Too Many Requests"), T0),
        response_at(429, "retry-after: 30", Some("Too Many Requests"), T0),
        response_at(429, "", Some("Limit Exceeded"), T0),
        response_at(503, "", None, T0),
        response_at(200, "", None, T0),
    ];
    let mut now_ms = T0;
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    for step in 0..5_000u64 {
        // xorshift: a fixed sequence, so a failure reproduces.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        now_ms = match seed % 8 {
            0 => now_ms.saturating_sub(seed % (10 * DAY_MS)),
            1 => now_ms.saturating_sub(seed % 20_000),
            2 if step % 97 == 0 => [0, MAX_WAIT_MS, u64::MAX][(seed % 3) as usize],
            _ => now_ms.saturating_add(seed % 3_000),
        };
        let origin = if seed % 3 == 0 {
            API
        } else {
            "https://b.example"
        };
        let verdict = verdicts[(seed % verdicts.len() as u64) as usize];
        let decision = decide_at(&policy, &mut state, origin, verdict, now_ms);
        assert!(decision.delay_ms <= MAX_WAIT_MS);
        assert!(state.throttle_wait_ms(origin, now_ms) <= gate_limit_ms);
        assert!(state.quota_wait_ms(origin, now_ms) <= 60_000);
        match state.before_attempt(origin, now_ms) {
            Admission::Wait { wait_ms } => assert!(wait_ms <= gate_limit_ms, "step {step}"),
            Admission::Rejected {
                reason: Reason::QuotaExceeded,
                retry_in_ms,
            } => assert!(retry_in_ms.unwrap_or(0) <= 60_000, "step {step}"),
            Admission::Rejected {
                reason: Reason::CircuitOpen,
                retry_in_ms,
            } => assert!(retry_in_ms.unwrap_or(0) <= options.open_ms, "step {step}"),
            admission => assert_eq!(admission, Admission::Allowed, "step {step}"),
        }
    }
}
