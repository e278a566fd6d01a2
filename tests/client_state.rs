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
use common::{response, state, status, NOW_MS};

// Shared per-client state (contract §4): the retry budget, the circuit breaker, the throttle gate and
// the quota lock per origin, driven through `RetryPolicy::decide` and `ClientState::before_attempt`
// with an injected clock.

use http_verdict::breaker::{BreakerOptions, BreakerState, CircuitBreaker, Health};
use http_verdict::budget::{BudgetOptions, RetryBudget};
use http_verdict::options::{BreakerSpec, BudgetSpec, ClientStateSpec};
use http_verdict::{
    classify_error, Admission, ClientState, ClientStateOptions, Decision, ErrorShape, InputError,
    Outcome, Reason, RetryOptions, RetryPolicy, Verdict,
};

const T0: u64 = NOW_MS;
const API: &str = "https://api.example";
const OTHER: &str = "https://other.example";

fn refused() -> Verdict {
    classify_error(&ErrorShape {
        name: "TypeError",
        cause_code: "ECONNREFUSED",
        ..Default::default()
    })
}

fn aborted() -> Verdict {
    classify_error(&ErrorShape {
        name: "AbortError",
        ..Default::default()
    })
}

/// Only the part under test: the others are off so they cannot interfere.
fn only_budget(budget: BudgetOptions) -> ClientState {
    state(ClientStateOptions {
        retry_budget: Some(budget),
        circuit_breaker: None,
        ..Default::default()
    })
}

fn only_breaker(breaker: BreakerOptions) -> ClientState {
    state(ClientStateOptions {
        retry_budget: None,
        circuit_breaker: Some(breaker),
        ..Default::default()
    })
}

fn neither() -> ClientState {
    state(ClientStateOptions {
        retry_budget: None,
        circuit_breaker: None,
        ..Default::default()
    })
}

fn many_attempts() -> RetryPolicy {
    match RetryPolicy::new(RetryOptions {
        max_attempts: 1_000,
        ..Default::default()
    }) {
        Ok(policy) => policy,
        Err(error) => panic!("{error}"),
    }
}

/// Decides one outcome of `attempt` to `origin` at `now_ms`, recording it in `state`.
fn decide_at(
    state: &mut ClientState,
    origin: &str,
    attempt: u32,
    verdict: Verdict,
    now_ms: u64,
) -> Decision {
    decide_from(state, origin, attempt, verdict, now_ms, now_ms)
}
/// Decides one outcome of `attempt` to [`API`], sent at `sent_ms` and finished at `now_ms`.
fn decide_sent(
    state: &mut ClientState,
    attempt: u32,
    verdict: Verdict,
    sent_ms: u64,
    now_ms: u64,
) -> Decision {
    decide_from(state, API, attempt, verdict, sent_ms, now_ms)
}
fn decide_from(
    state: &mut ClientState,
    origin: &str,
    attempt: u32,
    verdict: Verdict,
    sent_ms: u64,
    now_ms: u64,
) -> Decision {
    let outcome = Outcome {
        attempt,
        origin,
        now_ms,
        sent_ms: Some(sent_ms),
        ..Outcome::new("GET", verdict)
    };
    many_attempts().decide(&outcome, Some(state))
}
fn fail_fast(options: BreakerOptions) -> BreakerOptions {
    BreakerOptions {
        fail_fast: true,
        ..options
    }
}

fn is_circuit_open(admission: Admission) -> bool {
    matches!(
        admission,
        Admission::Rejected {
            reason: Reason::CircuitOpen,
            ..
        }
    )
}

// ---- Retry budget ------------------------------------------------------------------------------

#[test]
fn a_quiet_client_can_still_retry_a_lone_failure() {
    let mut state = ClientState::default();
    assert_eq!(state.retries_available(API, T0), Some(10));
    let decision = decide_at(&mut state, API, 1, status(503), T0);
    assert!(decision.retry, "{}", decision.message());
    assert_eq!(state.retries_available(API, T0), Some(9));
}

/// Budgets belong to an origin, like breakers and gates: a storm of retries to one origin leaves
/// another origin's budget whole.
#[test]
fn each_origin_has_its_own_budget() {
    let mut state = only_budget(BudgetOptions::default());
    while decide_at(&mut state, API, 1, status(503), T0).retry {}
    assert_eq!(state.retries_available(API, T0), Some(0));
    assert_eq!(state.retries_available(OTHER, T0), Some(10));
    let elsewhere = decide_at(&mut state, OTHER, 1, status(503), T0);
    assert!(elsewhere.retry, "{}", elsewhere.message());
}

#[test]
fn retries_stay_a_fraction_of_recent_requests() {
    let mut state = only_budget(BudgetOptions::default());
    // 100 new requests in one second, each failing: the floor of 10 plus 20 % of 100.
    let granted = (0..100)
        .filter(|_| decide_at(&mut state, API, 1, status(503), T0).retry)
        .count();
    assert_eq!(granted, 30);
    let decision = decide_at(&mut state, API, 1, status(503), T0);
    // The 101st request adds 0.2 of a retry: still nothing left.
    assert_eq!(decision.reason, Reason::BudgetExhausted);
    assert!(!decision.retry);
    assert_eq!(
        decision.message(),
        "503 Service Unavailable; the retry budget is exhausted; not retried"
    );
}

#[test]
fn only_first_attempts_count_as_requests() {
    let mut state = only_budget(BudgetOptions {
        ratio: 1.0,
        min_retries: 0,
        window_ms: 10_000,
    });
    assert!(decide_at(&mut state, API, 1, status(503), T0).retry);
    // Attempt 2 is a retry of the same request: it deposits nothing, so there is nothing left.
    let second = decide_at(&mut state, API, 2, status(503), T0);
    assert_eq!(second.reason, Reason::BudgetExhausted);
}

#[test]
fn the_budget_window_slides() {
    let mut budget = RetryBudget::new(BudgetOptions {
        ratio: 0.0,
        min_retries: 2,
        window_ms: 10_000,
    });
    assert!(budget.try_retry(T0));
    assert!(budget.try_retry(T0 + 5_000));
    assert!(!budget.try_retry(T0 + 9_000));
    // The first retry's slot leaves the window after 10 s; the second's 5 s later.
    assert_eq!(budget.available(T0 + 10_999), 1);
    assert_eq!(budget.available(T0 + 15_999), 2);
    // A clock that steps back does not panic or refund.
    assert_eq!(budget.available(T0 - 60_000), 2);
    budget.record_request(0);
    budget.record_request(u64::MAX);
    assert!(budget.available(u64::MAX) >= 2);
}

#[test]
fn a_disabled_budget_never_refuses() {
    let mut state = neither();
    assert_eq!(state.retries_available(API, T0), None);
    for _ in 0..500 {
        assert!(decide_at(&mut state, API, 2, status(503), T0).retry);
    }
}

// ---- Circuit breaker ---------------------------------------------------------------------------

#[test]
fn the_breaker_opens_after_consecutive_failures_and_fails_fast_when_opted_in() {
    let mut state = only_breaker(fail_fast(BreakerOptions::default()));
    for attempt in 1..5 {
        assert!(decide_at(&mut state, API, attempt, status(503), T0).retry);
        assert_eq!(state.breaker_state(API, T0), BreakerState::Closed);
    }
    let fifth = decide_at(&mut state, API, 5, status(503), T0 + 100);
    assert_eq!(fifth.reason, Reason::CircuitOpen);
    assert_eq!(
        fifth.message(),
        "503 Service Unavailable; the circuit breaker for this origin is open; not retried"
    );
    assert_eq!(state.breaker_state(API, T0 + 100), BreakerState::Open);
    assert_eq!(
        state.before_attempt(API, T0 + 2_100),
        Admission::Rejected {
            reason: Reason::CircuitOpen,
            retry_in_ms: Some(8_000)
        }
    );
    // Other origins are not affected.
    assert_eq!(state.before_attempt(OTHER, T0 + 2_100), Admission::Allowed);
    assert_eq!(state.breaker_state(OTHER, T0), BreakerState::Closed);
}

#[test]
fn by_default_an_open_breaker_refuses_retries_but_sends_every_first_attempt() {
    let mut state = only_breaker(BreakerOptions::default());
    for attempt in 1..5 {
        assert!(decide_at(&mut state, API, attempt, status(503), T0).retry);
    }
    let fifth = decide_at(&mut state, API, 5, status(503), T0 + 100);
    assert_eq!(fifth.reason, Reason::CircuitOpen);
    assert_eq!(state.breaker_state(API, T0 + 100), BreakerState::Open);
    // A new call is sent: nothing another request learned refuses it unsent.
    assert_eq!(state.before_attempt(API, T0 + 200), Admission::Allowed);
    // Its failure is not retried while the breaker is open ...
    let next = decide_at(&mut state, API, 1, status(503), T0 + 300);
    assert_eq!((next.retry, next.reason), (false, Reason::CircuitOpen));
    // ... and its own verdict reaches the caller: a 404 stays a 404.
    let missing = decide_at(&mut state, API, 1, status(404), T0 + 400);
    assert_eq!(missing.reason, Reason::NotRetryable);
    assert_eq!(missing.verdict.status, Some(404));
    // A 404 is an answer: the origin is up again, so the breaker closes and retries resume.
    assert_eq!(state.breaker_state(API, T0 + 400), BreakerState::Closed);
    assert!(decide_at(&mut state, API, 1, status(503), T0 + 500).retry);
}

#[test]
fn two_unreachable_outcomes_in_a_row_open_the_breaker_but_two_5xx_do_not() {
    let mut state = only_breaker(BreakerOptions::default());
    assert!(decide_at(&mut state, API, 1, status(503), T0).retry);
    assert!(decide_at(&mut state, API, 2, status(502), T0).retry);
    assert_eq!(state.breaker_state(API, T0), BreakerState::Closed);
    assert!(decide_at(&mut state, API, 3, refused(), T0).retry);
    let second = decide_at(&mut state, API, 4, refused(), T0);
    assert_eq!(second.reason, Reason::CircuitOpen);
    // A 5xx between two network failures breaks the unreachable run (not the failure run).
    let mut state = only_breaker(BreakerOptions::default());
    assert!(decide_at(&mut state, API, 1, refused(), T0).retry);
    assert!(decide_at(&mut state, API, 2, status(503), T0).retry);
    assert!(decide_at(&mut state, API, 3, refused(), T0).retry);
    assert_eq!(state.breaker_state(API, T0), BreakerState::Closed);
}

#[test]
fn stragglers_sent_before_the_breaker_changed_state_are_ignored() {
    let options = BreakerOptions {
        failure_threshold: 2,
        ..Default::default()
    };
    let mut state = only_breaker(options);
    // Opened at T0 + 100 by two failures.
    decide_sent(&mut state, 1, status(503), T0, T0 + 50);
    decide_sent(&mut state, 1, status(503), T0 + 10, T0 + 100);
    assert_eq!(state.breaker_state(API, T0 + 100), BreakerState::Open);
    // A success of an attempt sent before it opened does not close it.
    decide_sent(&mut state, 1, status(200), T0 + 20, T0 + 150);
    assert_eq!(state.breaker_state(API, T0 + 150), BreakerState::Open);
    // A success sent after it opened does, at T0 + 300.
    decide_sent(&mut state, 1, status(200), T0 + 200, T0 + 300);
    assert_eq!(state.breaker_state(API, T0 + 300), BreakerState::Closed);
    // Timeouts of attempts sent while it was open (before T0 + 300) do not reopen it.
    for finished_ms in [T0 + 10_000, T0 + 10_001, T0 + 10_002] {
        decide_sent(&mut state, 1, status(504), T0 + 250, finished_ms);
    }
    assert_eq!(state.breaker_state(API, T0 + 10_002), BreakerState::Closed);
    // Fresh failures still count.
    decide_sent(&mut state, 1, status(504), T0 + 10_100, T0 + 10_200);
    decide_sent(&mut state, 1, status(504), T0 + 10_100, T0 + 10_300);
    assert_eq!(state.breaker_state(API, T0 + 10_300), BreakerState::Open);
}

#[test]
fn a_success_resets_the_consecutive_count() {
    let mut state = only_breaker(BreakerOptions {
        failure_ratio: 1.0,
        ..Default::default()
    });
    for round in 0..10 {
        for _ in 0..4 {
            decide_at(&mut state, API, 1, refused(), T0 + round);
        }
        decide_at(&mut state, API, 1, status(200), T0 + round);
    }
    assert_eq!(state.breaker_state(API, T0 + 10), BreakerState::Closed);
}

#[test]
fn the_breaker_opens_on_a_failure_ratio() {
    let options = BreakerOptions {
        failure_threshold: 0,
        ..Default::default()
    };
    let mut breaker = CircuitBreaker::default();
    // Alternating failures: half of the calls fail, never two in a row.
    for call in 0..9 {
        let health = if call % 2 == 0 {
            Health::Failure
        } else {
            Health::Success
        };
        breaker.record(&options, health, T0, T0);
        assert_eq!(breaker.state(T0), BreakerState::Closed, "call {call}");
    }
    breaker.record(&options, Health::Success, T0, T0);
    assert_eq!(breaker.state(T0), BreakerState::Closed, "4 of 10 failed");
    breaker.record(&options, Health::Failure, T0, T0);
    assert_eq!(breaker.state(T0), BreakerState::Open, "5 of 10 failed");
}

#[test]
fn half_open_admits_a_single_probe() {
    let options = fail_fast(BreakerOptions {
        failure_threshold: 1,
        ..Default::default()
    });
    let mut state = only_breaker(options);
    decide_at(&mut state, API, 1, status(502), T0);
    assert_eq!(state.breaker_state(API, T0 + 9_999), BreakerState::Open);
    assert!(is_circuit_open(state.before_attempt(API, T0 + 9_999)));
    assert_eq!(
        state.breaker_state(API, T0 + 10_000),
        BreakerState::HalfOpen
    );
    assert_eq!(state.before_attempt(API, T0 + 10_000), Admission::Allowed);
    assert!(is_circuit_open(state.before_attempt(API, T0 + 10_001)));
    // The probe succeeds: closed again.
    decide_at(&mut state, API, 1, status(200), T0 + 10_050);
    assert_eq!(state.breaker_state(API, T0 + 10_050), BreakerState::Closed);
    assert_eq!(state.before_attempt(API, T0 + 10_060), Admission::Allowed);

    // A failing probe reopens it for another cool-down.
    decide_at(&mut state, API, 1, status(502), T0 + 20_000);
    assert_eq!(state.before_attempt(API, T0 + 30_000), Admission::Allowed);
    let probe = decide_at(&mut state, API, 1, refused(), T0 + 30_100);
    assert_eq!(probe.reason, Reason::CircuitOpen);
    assert_eq!(state.breaker_state(API, T0 + 30_100), BreakerState::Open);
    assert_eq!(
        state.before_attempt(API, T0 + 35_100),
        Admission::Rejected {
            reason: Reason::CircuitOpen,
            retry_in_ms: Some(5_000)
        }
    );
}

#[test]
fn a_lost_probe_does_not_keep_the_breaker_half_open_forever() {
    let options = fail_fast(BreakerOptions {
        failure_threshold: 1,
        ..Default::default()
    });
    let mut state = only_breaker(options);
    decide_at(&mut state, API, 1, status(500), T0);
    assert_eq!(state.before_attempt(API, T0 + 10_000), Admission::Allowed);
    // The probe never reports back: after another cool-down a new probe is admitted.
    assert!(is_circuit_open(state.before_attempt(API, T0 + 19_999)));
    assert_eq!(state.before_attempt(API, T0 + 20_000), Admission::Allowed);
    // A cancelled probe frees the slot at once.
    decide_at(&mut state, API, 1, aborted(), T0 + 20_010);
    assert_eq!(state.before_attempt(API, T0 + 20_020), Admission::Allowed);
}

#[test]
fn only_the_origins_health_counts() {
    let failure = [
        status(500),
        status(502),
        status(503),
        status(504),
        status(599),
    ];
    for verdict in failure {
        assert_eq!(Health::of(&verdict), Health::Failure, "{verdict:?}");
    }
    assert_eq!(Health::of(&refused()), Health::Unreachable);
    let success = [
        status(200),
        status(304),
        status(400),
        status(404),
        status(501),
        status(505),
    ];
    for verdict in success {
        assert_eq!(Health::of(&verdict), Health::Success, "{verdict:?}");
    }
    let neutral = [
        status(408),
        status(429),
        status(499),
        response(429, "", Some("Limit Exceeded")),
        aborted(),
    ];
    for verdict in neutral {
        assert_eq!(Health::of(&verdict), Health::Neutral, "{verdict:?}");
    }
    // Neutral outcomes do not break a run of failures either.
    let mut state = only_breaker(BreakerOptions::default());
    for _ in 0..4 {
        decide_at(&mut state, API, 1, status(503), T0);
        decide_at(&mut state, API, 1, status(429), T0);
    }
    decide_at(&mut state, API, 1, status(503), T0);
    assert_eq!(state.breaker_state(API, T0), BreakerState::Open);
}

#[test]
fn a_disabled_breaker_never_opens() {
    let mut state = neither();
    for _ in 0..100 {
        decide_at(&mut state, API, 1, status(503), T0);
    }
    assert_eq!(state.breaker_state(API, T0), BreakerState::Closed);
    assert_eq!(state.before_attempt(API, T0), Admission::Allowed);
}

// ---- Throttle gate -----------------------------------------------------------------------------

#[test]
fn a_429_with_a_wait_gates_the_whole_origin() {
    let mut state = ClientState::default();
    let throttled = response(429, "retry-after: 5", Some("Too Many Requests"));
    let decision = decide_at(&mut state, API, 1, throttled, T0);
    assert_eq!(decision.reason, Reason::RetryAfter);
    assert!(decision.delay_ms >= 5_000);
    assert_eq!(state.throttle_wait_ms(API, T0 + 1_000), 4_000);
    assert_eq!(
        state.before_attempt(API, T0 + 1_000),
        Admission::Wait { wait_ms: 4_000 }
    );
    assert_eq!(state.before_attempt(OTHER, T0 + 1_000), Admission::Allowed);
    assert_eq!(state.before_attempt(API, T0 + 5_000), Admission::Allowed);
    assert_eq!(state.throttle_wait_ms(API, T0 + 5_000), 0);
}

#[test]
fn a_429_without_a_wait_gates_for_the_fallback() {
    let mut state = ClientState::default();
    decide_at(&mut state, API, 1, status(429), T0);
    assert_eq!(
        state.before_attempt(API, T0),
        Admission::Wait { wait_ms: 1_000 }
    );
}

#[test]
fn other_failing_requests_wait_for_the_gate_too() {
    let mut state = ClientState::default();
    decide_at(
        &mut state,
        API,
        1,
        response(429, "retry-after: 20", None),
        T0,
    );
    // Another request's 503 would back off for at most 300 ms; the gate says 19 s.
    let decision = decide_at(&mut state, API, 1, status(503), T0 + 1_000);
    assert_eq!(decision.reason, Reason::RetryAfter);
    assert_eq!(decision.delay_ms, 19_000);
    assert_eq!(decision.wait_hint_ms, Some(19_000));
    // The gate keeps the furthest wait it was given.
    decide_at(
        &mut state,
        API,
        1,
        response(429, "retry-after: 1", None),
        T0 + 2_000,
    );
    assert_eq!(state.throttle_wait_ms(API, T0 + 2_000), 18_000);
}

/// The admissions of retries asking at `now_ms` until one is allowed: the time it went.
fn next_retry(state: &mut ClientState, now_ms: u64) -> u64 {
    match state.before_retry(API, now_ms) {
        Admission::Allowed => now_ms,
        Admission::Wait { wait_ms } => next_retry(state, now_ms + wait_ms),
        other => panic!("{other:?}"),
    }
}

#[test]
fn after_a_throttled_burst_retries_go_one_per_interval_and_first_attempts_are_not_held() {
    let mut state = ClientState::default();
    let throttled = || response(429, "retry-after: 1", Some("Too Many Requests"));
    // A burst of 20, all sent at T0, all throttled: the first refusal starts the pace, the rest
    // of the wave (sent before it) only hold the gate.
    for index in 0..20 {
        let decision = decide_sent(&mut state, 1, throttled(), T0, T0 + 10 + index);
        assert!(decision.retry, "{}", decision.message());
        assert_eq!(decision.reason, Reason::RetryAfter);
    }
    // The gate: the last refusal's wait.
    assert_eq!(
        state.before_retry(API, T0 + 500),
        Admission::Wait { wait_ms: 529 }
    );
    // After it, the retries go one per interval: a quarter of the wait, not all at once.
    let sent: Vec<u64> = (0..4).map(|_| next_retry(&mut state, T0 + 1_029)).collect();
    assert_eq!(sent, [T0 + 1_029, T0 + 1_279, T0 + 1_529, T0 + 1_779]);
    // A first attempt is new work: the gate holds it, the pace does not.
    assert_eq!(state.before_attempt(API, T0 + 1_030), Admission::Allowed);
}

#[test]
fn a_throttled_retry_at_the_pace_slows_it_and_does_not_close_the_gate() {
    let mut state = ClientState::default();
    let throttled = || response(429, "retry-after: 1", Some("Too Many Requests"));
    decide_sent(&mut state, 1, throttled(), T0, T0 + 10);
    let first = next_retry(&mut state, T0 + 1_010);
    // Refused again: the limiter is slower than the pace.
    let decision = decide_sent(&mut state, 2, throttled(), first, first + 5);
    assert!(decision.retry);
    assert_eq!(state.throttle_wait_ms(API, first + 5), 0, "no gate");
    assert_eq!(state.before_attempt(API, first + 5), Admission::Allowed);
    // The next retry waits a quarter longer than the pace's 250 ms.
    assert_eq!(next_retry(&mut state, first + 5), first + 5 + 312);
}

#[test]
fn the_first_retry_of_a_paced_throttle_spends_no_budget() {
    let mut state = only_budget(BudgetOptions {
        min_retries: 2,
        ratio: 0.0,
        ..Default::default()
    });
    let throttled = || response(429, "retry-after: 1", Some("Too Many Requests"));
    // Ten requests throttled at once: ten first retries, with a budget of two.
    for index in 0..10 {
        let decision = decide_sent(&mut state, 1, throttled(), T0, T0 + 10 + index);
        assert!(decision.retry, "{index}: {}", decision.message());
    }
    assert_eq!(state.retries_available(API, T0 + 100), Some(2));
    // Their second throttles spend it, like any other retry.
    let at = T0 + 2_000;
    assert!(decide_sent(&mut state, 2, throttled(), at, at + 1).retry);
    assert!(decide_sent(&mut state, 2, throttled(), at, at + 2).retry);
    let third = decide_sent(&mut state, 2, throttled(), at, at + 3);
    assert_eq!(third.reason, Reason::BudgetExhausted);
    // A 503 is not a throttle: it spends the budget from its first retry.
    let mut other = only_budget(BudgetOptions {
        min_retries: 0,
        ratio: 0.0,
        ..Default::default()
    });
    assert_eq!(
        decide_sent(&mut other, 1, status(503), T0, T0 + 1).reason,
        Reason::BudgetExhausted
    );
}

#[test]
fn a_gate_respects_the_policys_limits() {
    let mut state = ClientState::default();
    let short_policy = match RetryPolicy::new(RetryOptions {
        max_retry_after_ms: 10_000,
        deadline_ms: Some(30_000),
        ..Default::default()
    }) {
        Ok(policy) => policy,
        Err(error) => panic!("{error}"),
    };
    // Set by a request whose policy accepts long waits.
    decide_at(
        &mut state,
        API,
        1,
        response(429, "retry-after: 40", None),
        T0,
    );
    assert_eq!(
        short_policy.admit(&mut state, API, T0 + 10_000, 0),
        Admission::Rejected {
            reason: Reason::RetryAfterTooLong,
            retry_in_ms: Some(30_000)
        }
    );
    assert_eq!(
        short_policy.admit(&mut state, API, T0 + 32_000, 25_000),
        Admission::Rejected {
            reason: Reason::Deadline,
            retry_in_ms: Some(8_000)
        }
    );
    assert_eq!(
        short_policy.admit(&mut state, API, T0 + 32_000, 0),
        Admission::Wait { wait_ms: 8_000 }
    );
    let outcome = Outcome {
        origin: API,
        now_ms: T0 + 1_000,
        ..Outcome::new("GET", status(503))
    };
    let decision = short_policy.decide(&outcome, Some(&mut state));
    assert_eq!(decision.reason, Reason::RetryAfterTooLong);
    assert_eq!(decision.wait_hint_ms, Some(39_000));
    assert_eq!(
        short_policy.admit(&mut state, OTHER, T0, 0),
        Admission::Allowed
    );
}

// ---- Quota lock --------------------------------------------------------------------------------

#[test]
fn quota_exceeded_locks_the_origin_until_the_reset() {
    let mut state = ClientState::default();
    let quota = response(
        429,
        "ratelimit: \"day\";r=0;t=7200\nratelimit-policy: \"day\";q=1000;w=86400",
        None,
    );
    let decision = decide_at(&mut state, API, 1, quota, T0);
    assert_eq!(decision.reason, Reason::QuotaExceeded);
    assert_eq!(state.quota_wait_ms(API, T0 + 1), 7_199_999);
    assert_eq!(
        state.before_attempt(API, T0 + 3_600_000),
        Admission::Rejected {
            reason: Reason::QuotaExceeded,
            retry_in_ms: Some(3_600_000)
        }
    );
    assert_eq!(state.before_attempt(OTHER, T0), Admission::Allowed);
    assert_eq!(
        state.before_attempt(API, T0 + 7_200_000),
        Admission::Allowed
    );
    // While locked, other failures on that origin are not retried either.
    let mut state = ClientState::default();
    decide_at(&mut state, API, 1, quota, T0);
    let decision = decide_at(&mut state, API, 1, status(503), T0 + 10);
    assert_eq!(decision.reason, Reason::QuotaExceeded);
    assert_eq!(
        decision.message(),
        "503 Service Unavailable; the origin's quota is exhausted; not retried"
    );
}

#[test]
fn a_quota_without_a_reset_locks_for_the_default_period() {
    let quota = response(429, "", Some(r#"{"message":"Limit Exceeded"}"#));
    let mut state = ClientState::default();
    decide_at(&mut state, API, 1, quota, T0);
    assert_eq!(state.quota_wait_ms(API, T0), 60_000);
    let mut custom = state_with_quota_lock(5_000);
    decide_at(&mut custom, API, 1, quota, T0);
    assert_eq!(custom.quota_wait_ms(API, T0 + 1_000), 4_000);
    assert_eq!(custom.before_attempt(API, T0 + 5_000), Admission::Allowed);
}

fn state_with_quota_lock(quota_lock_ms: u64) -> ClientState {
    state(ClientStateOptions {
        quota_lock_ms,
        ..Default::default()
    })
}

// ---- Origins -----------------------------------------------------------------------------------

#[test]
fn tracked_origins_are_bounded_and_active_ones_survive() {
    let mut state = state(ClientStateOptions {
        max_origins: 3,
        ..Default::default()
    });
    // An origin with a gate (active) and two idle ones.
    decide_at(&mut state, "https://gated", 1, status(429), T0);
    decide_at(&mut state, "https://a", 1, status(200), T0 + 1);
    decide_at(&mut state, "https://b", 1, status(200), T0 + 2);
    decide_at(&mut state, "https://c", 1, status(200), T0 + 3);
    assert_eq!(state.tracked_origins(), 3);
    // The idle least recently used (`a`) went, not the older but active gate.
    assert_eq!(state.throttle_wait_ms("https://gated", T0 + 3), 997);
    for index in 0..100u64 {
        let origin = format!("https://host-{index}");
        decide_at(&mut state, &origin, 1, status(200), T0 + 4 + index);
    }
    assert_eq!(state.tracked_origins(), 3);
    state.clear();
    assert_eq!(state.tracked_origins(), 0);
    assert_eq!(
        state.before_attempt("https://gated", T0),
        Admission::Allowed
    );
}

#[test]
fn when_every_origin_is_active_the_least_recently_used_goes() {
    let mut state = state(ClientStateOptions {
        max_origins: 2,
        ..Default::default()
    });
    decide_at(&mut state, "https://one", 1, status(429), T0);
    decide_at(&mut state, "https://two", 1, status(429), T0 + 1);
    decide_at(&mut state, "https://three", 1, status(429), T0 + 2);
    assert_eq!(state.throttle_wait_ms("https://one", T0 + 2), 0);
    assert!(state.throttle_wait_ms("https://two", T0 + 2) > 0);
    assert!(state.throttle_wait_ms("https://three", T0 + 2) > 0);
}

// ---- Options -----------------------------------------------------------------------------------

fn rejected(options: ClientStateOptions) -> InputError {
    match ClientState::new(options) {
        Ok(_) => panic!("invalid options accepted"),
        Err(error) => error,
    }
}

#[test]
fn invalid_state_options_are_named() {
    let budget = |budget: BudgetOptions| ClientStateOptions {
        retry_budget: Some(budget),
        ..Default::default()
    };
    let breaker = |breaker: BreakerOptions| ClientStateOptions {
        circuit_breaker: Some(breaker),
        ..Default::default()
    };
    let cases = [
        (
            budget(BudgetOptions {
                ratio: -0.1,
                ..Default::default()
            }),
            "retryBudget.ratio",
        ),
        (
            budget(BudgetOptions {
                ratio: f64::NAN,
                ..Default::default()
            }),
            "retryBudget.ratio",
        ),
        (
            budget(BudgetOptions {
                window_ms: 0,
                ..Default::default()
            }),
            "retryBudget.windowMs",
        ),
        (
            breaker(BreakerOptions {
                failure_ratio: 0.0,
                ..Default::default()
            }),
            "circuitBreaker.failureRatio",
        ),
        (
            breaker(BreakerOptions {
                failure_ratio: 1.5,
                ..Default::default()
            }),
            "circuitBreaker.failureRatio",
        ),
        (
            breaker(BreakerOptions {
                window: 0,
                ..Default::default()
            }),
            "circuitBreaker.window",
        ),
        (
            breaker(BreakerOptions {
                window: 65,
                ..Default::default()
            }),
            "circuitBreaker.window",
        ),
        (
            breaker(BreakerOptions {
                min_calls: 21,
                ..Default::default()
            }),
            "circuitBreaker.minCalls",
        ),
        (
            breaker(BreakerOptions {
                open_ms: u64::MAX,
                ..Default::default()
            }),
            "circuitBreaker.openMs",
        ),
        (
            ClientStateOptions {
                quota_lock_ms: u64::MAX,
                ..Default::default()
            },
            "quotaLockMs",
        ),
        (
            ClientStateOptions {
                max_origins: 0,
                ..Default::default()
            },
            "maxOrigins",
        ),
        (
            ClientStateOptions {
                max_origins: 5_000,
                ..Default::default()
            },
            "maxOrigins",
        ),
    ];
    for (options, option) in cases {
        assert_eq!(rejected(options).field, option);
    }
}

#[test]
fn js_state_options_are_checked_and_named() {
    let convert = |spec: ClientStateSpec| ClientStateOptions::try_from(spec);
    assert_eq!(
        convert(ClientStateSpec::default()),
        Ok(ClientStateOptions::default())
    );
    let spec = ClientStateSpec {
        retry_budget: Some(BudgetSpec {
            ratio: Some(0.1),
            min_retries: Some(3.0),
            window_ms: Some(60_000.0),
            ..Default::default()
        }),
        circuit_breaker: Some(BreakerSpec {
            enabled: Some(false),
            ..Default::default()
        }),
        quota_lock_ms: Some(1_000.0),
        max_origins: Some(8.0),
    };
    let expected = ClientStateOptions {
        retry_budget: Some(BudgetOptions {
            ratio: 0.1,
            min_retries: 3,
            window_ms: 60_000,
        }),
        circuit_breaker: None,
        quota_lock_ms: 1_000,
        max_origins: 8,
    };
    assert_eq!(convert(spec), Ok(expected));
    let option = |spec: ClientStateSpec| convert(spec).map_err(|error| error.field);
    let budget = |budget: BudgetSpec| ClientStateSpec {
        retry_budget: Some(budget),
        ..Default::default()
    };
    let breaker = |breaker: BreakerSpec| ClientStateSpec {
        circuit_breaker: Some(breaker),
        ..Default::default()
    };
    assert_eq!(
        option(budget(BudgetSpec {
            min_retries: Some(-1.0),
            ..Default::default()
        })),
        Err("retryBudget.minRetries".into())
    );
    assert_eq!(
        option(budget(BudgetSpec {
            window_ms: Some(f64::NAN),
            ..Default::default()
        })),
        Err("retryBudget.windowMs".into())
    );
    // A disabled part is still checked.
    assert_eq!(
        option(breaker(BreakerSpec {
            enabled: Some(false),
            window: Some(100.0),
            ..Default::default()
        })),
        Err("circuitBreaker.window".into())
    );
    assert_eq!(
        option(breaker(BreakerSpec {
            failure_threshold: Some(2.5),
            ..Default::default()
        })),
        Err("circuitBreaker.failureThreshold".into())
    );
    assert_eq!(
        option(ClientStateSpec {
            max_origins: Some(0.0),
            ..Default::default()
        }),
        Err("maxOrigins".into())
    );
    assert_eq!(
        option(ClientStateSpec {
            quota_lock_ms: Some(-5.0),
            ..Default::default()
        }),
        Err("quotaLockMs".into())
    );
}

#[test]
fn a_refused_enormous_retry_after_does_not_close_the_gate() {
    let mut state = neither();
    let hostile = response(
        429,
        "retry-after: 99999999999999999999",
        Some("Too Many Requests"),
    );
    let decision = decide_at(&mut state, API, 1, hostile, T0);
    assert_eq!(decision.reason, Reason::RetryAfterTooLong);
    assert_eq!(state.before_attempt(API, T0 + 1), Admission::Allowed);
    // A wait the policy honours still closes it.
    decide_at(
        &mut state,
        API,
        1,
        response(429, "retry-after: 5", None),
        T0,
    );
    assert_eq!(
        state.before_attempt(API, T0 + 1_000),
        Admission::Wait { wait_ms: 4_000 }
    );
}

#[test]
fn a_quota_lock_lasts_at_most_a_day() {
    let mut state = neither();
    let quota = response(
        429,
        "retry-after: 99999999999999999999",
        Some("Limit Exceeded"),
    );
    decide_at(&mut state, API, 1, quota, T0);
    assert_eq!(state.quota_wait_ms(API, T0), 24 * 60 * 60 * 1000);
    assert_eq!(
        state.before_attempt(API, T0 + 24 * 60 * 60 * 1000),
        Admission::Allowed
    );
}

#[test]
fn half_open_ignores_a_failure_sent_before_its_probe() {
    let options = fail_fast(BreakerOptions {
        failure_threshold: 1,
        open_ms: 1_000,
        ..BreakerOptions::default()
    });
    let mut breaker = CircuitBreaker::default();
    breaker.record(&options, Health::Failure, T0, T0);
    assert_eq!(breaker.state(T0 + 1_000), BreakerState::HalfOpen);
    // A straggler's failure before any probe was admitted changes nothing.
    breaker.record(&options, Health::Failure, T0 + 1_001, T0 + 1_001);
    assert_eq!(breaker.state(T0 + 1_001), BreakerState::HalfOpen);
    assert_eq!(breaker.admit(&options, T0 + 1_002), Ok(()));
    // The probe's failure reopens it.
    breaker.record(&options, Health::Failure, T0 + 1_050, T0 + 1_050);
    assert_eq!(breaker.state(T0 + 1_050), BreakerState::Open);
}

/// The package's JavaScript names a breaker state by its index in `BreakerState::ALL`
/// (`ClientState.breakerState` in pkg-template/policy.js lists the ids in this order).
#[test]
fn breaker_states_are_indexed_in_the_order_javascript_names_them() {
    let ids: Vec<&str> = BreakerState::ALL.iter().map(|state| state.id()).collect();
    assert_eq!(ids, ["closed", "open", "half_open"]);
    for (index, state) in BreakerState::ALL.iter().enumerate() {
        assert_eq!(*state as usize, index);
    }
}
