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
use common::{response, state, NOW_MS};

// Facts shared between client states (src/shared.rs): what one state learned, told to another as
// the waits left, merged so that a wait only ever gets longer, capped at a day.

use http_verdict::breaker::{BreakerOptions, BreakerState};
use http_verdict::{
    Admission, ClientState, ClientStateOptions, Outcome, Reason, RetryPolicy, SharedFacts,
};

const T0: u64 = NOW_MS;
const API: &str = "https://api.example";
const DAY_MS: u64 = 86_400_000;

fn facts(gate_ms: u64, quota_ms: u64, open_ms: u64) -> SharedFacts {
    SharedFacts {
        gate_ms,
        quota_ms,
        open_ms,
    }
}

#[test]
fn a_throttle_learned_by_one_state_gates_the_other() {
    let (mut a, mut b) = (ClientState::default(), ClientState::default());
    let throttled = response(429, "retry-after: 5", None);
    let outcome = Outcome {
        origin: API,
        now_ms: T0,
        ..Outcome::new("GET", throttled)
    };
    RetryPolicy::default().decide(&outcome, Some(&mut a));
    let told = a.facts(API, T0);
    assert_eq!(told, facts(5_000, 0, 0));

    // What B learns 1 s later: the wait left, from B's own clock.
    assert_eq!(b.learn(API, told, T0 + 1_000), facts(5_000, 0, 0));
    assert_eq!(
        b.before_attempt(API, T0 + 2_000),
        Admission::Wait { wait_ms: 4_000 }
    );
    assert_eq!(b.before_attempt(API, T0 + 6_000), Admission::Allowed);
    assert_eq!(
        b.before_attempt("https://other.example", T0 + 2_000),
        Admission::Allowed
    );
}

#[test]
fn a_quota_lock_told_makes_the_other_state_fail_fast() {
    let mut b = ClientState::default();
    b.learn(API, facts(0, 60_000, 0), T0);
    assert_eq!(
        b.before_attempt(API, T0 + 10_000),
        Admission::Rejected {
            reason: Reason::QuotaExceeded,
            retry_in_ms: Some(50_000)
        }
    );
}

#[test]
fn a_fact_never_shortens_a_wait_and_repeating_it_changes_nothing() {
    let mut state = ClientState::default();
    state.learn(API, facts(10_000, 20_000, 0), T0);
    // A shorter gate and lock told later: the longer ones stay.
    assert_eq!(
        state.learn(API, facts(1_000, 1_000, 0), T0 + 1_000),
        facts(9_000, 19_000, 0)
    );
    // The same fact again, as a late or repeated message.
    assert_eq!(
        state.learn(API, facts(10_000, 20_000, 0), T0),
        facts(10_000, 20_000, 0)
    );
    // Empty facts only ask.
    assert_eq!(
        state.learn(API, SharedFacts::default(), T0 + 5_000),
        facts(5_000, 15_000, 0)
    );
    assert_eq!(state.tracked_origins(), 1);
    let mut fresh = ClientState::default();
    assert_eq!(
        fresh.learn(API, SharedFacts::default(), T0),
        SharedFacts::default()
    );
    assert_eq!(fresh.tracked_origins(), 0, "asking tracks nothing");
}

#[test]
fn hostile_waits_are_capped_at_a_day() {
    let mut state = ClientState::default();
    let year_ms = 365 * DAY_MS;
    assert_eq!(
        state.learn(API, facts(year_ms, u64::MAX, 0), T0),
        facts(DAY_MS, DAY_MS, 0)
    );
}

#[test]
fn an_open_breaker_told_opens_this_one_for_at_most_its_own_open_ms() {
    let options = BreakerOptions {
        open_ms: 10_000,
        ..Default::default()
    };
    let mut state = state(ClientStateOptions {
        circuit_breaker: Some(options),
        ..Default::default()
    });
    assert_eq!(
        state.learn(API, facts(0, 0, DAY_MS), T0),
        facts(0, 0, 10_000)
    );
    assert_eq!(state.breaker_state(API, T0 + 5_000), BreakerState::Open);
    assert_eq!(
        state.breaker_state(API, T0 + 10_000),
        BreakerState::HalfOpen
    );
    // A shorter cool-down told while open changes nothing.
    assert_eq!(
        state.learn(API, facts(0, 0, 1_000), T0 + 1_000).open_ms,
        9_000
    );

    // With breakers off, an open breaker elsewhere says nothing here.
    let mut without = state_without_breaker();
    assert_eq!(
        without.learn(API, facts(0, 0, 5_000), T0),
        SharedFacts::default()
    );
    assert_eq!(without.breaker_state(API, T0), BreakerState::Closed);
}

fn state_without_breaker() -> ClientState {
    state(ClientStateOptions {
        circuit_breaker: None,
        ..Default::default()
    })
}
