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
    /// The Node service as a fleet of instances, sharing through a store or not; `None`: the
    /// scenario's service as it is, each client on its own.
    pub fleet: Option<Fleet>,
}

/// The Node service run as `instances` instances carrying the scenario's service load between them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fleet {
    /// How many instances (each one client with its own `ClientState`).
    pub instances: u32,
    /// The store they share their state's facts through (`http-verdict/redis`); `None`: each
    /// instance on its own.
    pub store: Option<Store>,
}

/// A store between instances: what one publishes reaches each other instance `latency_ms` later,
/// unless that copy is lost.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Store {
    /// From publish to delivery, in ms (the facts' waits are not shortened by it: a receiver waits
    /// that much longer than the publisher, as with pub/sub).
    pub latency_ms: u64,
    /// Probability that one copy of a message is lost.
    pub loss: f64,
}

/// The scenarios the fleet variants are compared on.
pub const FLEET_SCENARIOS: &[&str] = &["outage", "quota"];

/// A service of 40 instances (the service's load, 1 req/s each at scale 1) on their own, then
/// sharing through a store: a fast one, and a slow one that loses a fifth of its messages.
pub fn fleet_variants() -> Vec<Variant> {
    let fleet = |label, store| Variant {
        label,
        retry: RetryOptions::default(),
        state: Some(ClientStateOptions::default()),
        tabs_per_browser: 0,
        fleet: Some(Fleet {
            instances: 40,
            store,
        }),
    };
    vec![
        fleet("40 instances, each on its own", None),
        fleet(
            "40 instances sharing (store: 5 ms)",
            Some(Store {
                latency_ms: 5,
                loss: 0.0,
            }),
        ),
        fleet(
            "40 instances sharing (store: 50 ms, 20 % lost)",
            Some(Store {
                latency_ms: 50,
                loss: 0.2,
            }),
        ),
    ]
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
        fleet: None,
    };
    vec![
        Variant {
            label: "defaults",
            retry: retry.clone(),
            state: Some(state),
            tabs_per_browser: 0,
            fleet: None,
        },
        Variant {
            label: "tabs share, 4 per browser",
            retry: retry.clone(),
            state: Some(state),
            tabs_per_browser: 4,
            fleet: None,
        },
        Variant {
            label: "no ClientState",
            retry: retry.clone(),
            state: None,
            tabs_per_browser: 0,
            fleet: None,
        },
        Variant {
            label: "maxAttempts 2",
            retry: RetryOptions {
                max_attempts: 2,
                ..retry.clone()
            },
            state: Some(state),
            tabs_per_browser: 0,
            fleet: None,
        },
        Variant {
            label: "maxAttempts 4",
            retry: RetryOptions {
                max_attempts: 4,
                ..retry.clone()
            },
            state: Some(state),
            tabs_per_browser: 0,
            fleet: None,
        },
        Variant {
            label: "no retry budget",
            retry: retry.clone(),
            state: Some(ClientStateOptions {
                retry_budget: None,
                ..state
            }),
            tabs_per_browser: 0,
            fleet: None,
        },
        Variant {
            label: "no circuit breaker",
            retry: retry.clone(),
            state: Some(ClientStateOptions {
                circuit_breaker: None,
                ..state
            }),
            tabs_per_browser: 0,
            fleet: None,
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
            fleet: None,
        },
    ]
}
