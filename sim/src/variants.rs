//! What-if variants: this crate's engine with one option changed at a time, to choose the defaults.
//!
//! Each variant changes one thing against the defaults, so that a table of them shows what each
//! default buys and what it costs. The report runs them on the scenarios where they matter.

use http_verdict::breaker::BreakerOptions;
use http_verdict::client_state::ClientStateOptions;
use http_verdict::options::RetryOptions;

/// One configuration of the engine.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// Short label for tables.
    pub label: &'static str,
    /// The retry options of every client.
    pub retry: RetryOptions,
    /// The shared state of each client; `None`: no `ClientState` at all.
    pub state: Option<ClientStateOptions>,
    /// Browser tabs per browser that share their state's facts (throttle gate, quota lock, open
    /// breaker) through `share: shareAcrossTabs()`; 0 or 1: each tab on its own.
    pub tabs_per_browser: u32,
}

/// The scenarios the variants are compared on.
pub const VARIANT_SCENARIOS: &[&str] = &[
    "spike",
    "spike-throttle",
    "outage",
    "brownout",
    "quota",
    "sweep-5",
    "sweep-20",
    "sweep-50",
];

/// The defaults, then one change each.
pub fn variants() -> Vec<Variant> {
    let retry = RetryOptions::default();
    let state = ClientStateOptions::default();
    let breaker = BreakerOptions::default();
    let with_breaker = |label, breaker| Variant {
        label,
        retry: RetryOptions::default(),
        state: Some(ClientStateOptions {
            circuit_breaker: Some(breaker),
            ..state
        }),
        tabs_per_browser: 0,
    };
    vec![
        Variant {
            label: "defaults",
            retry: retry.clone(),
            state: Some(state),
            tabs_per_browser: 0,
        },
        Variant {
            label: "tabs share, 4 per browser",
            retry: retry.clone(),
            state: Some(state),
            tabs_per_browser: 4,
        },
        Variant {
            label: "no ClientState",
            retry: retry.clone(),
            state: None,
            tabs_per_browser: 0,
        },
        Variant {
            label: "maxAttempts 2",
            retry: RetryOptions {
                max_attempts: 2,
                ..retry.clone()
            },
            state: Some(state),
            tabs_per_browser: 0,
        },
        Variant {
            label: "maxAttempts 4",
            retry: RetryOptions {
                max_attempts: 4,
                ..retry.clone()
            },
            state: Some(state),
            tabs_per_browser: 0,
        },
        Variant {
            label: "no retry budget",
            retry: retry.clone(),
            state: Some(ClientStateOptions {
                retry_budget: None,
                ..state
            }),
            tabs_per_browser: 0,
        },
        Variant {
            label: "no circuit breaker",
            retry: retry.clone(),
            state: Some(ClientStateOptions {
                circuit_breaker: None,
                ..state
            }),
            tabs_per_browser: 0,
        },
        with_breaker(
            "breaker failFast (opt-in)",
            BreakerOptions {
                fail_fast: true,
                ..breaker
            },
        ),
        with_breaker(
            "breaker: 10 in a row or 80 %",
            BreakerOptions {
                failure_threshold: 10,
                failure_ratio: 0.8,
                ..breaker
            },
        ),
        with_breaker(
            "breaker openMs 2 s",
            BreakerOptions {
                open_ms: 2_000,
                ..breaker
            },
        ),
        Variant {
            label: "deadlineMs 10 s (= attempt timeout)",
            retry: RetryOptions {
                deadline_ms: Some(10_000),
                ..retry
            },
            state: Some(state),
            tabs_per_browser: 0,
        },
    ]
}
