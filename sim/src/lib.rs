//! A deterministic retry-storm simulator: a fleet of clients, each deciding with a real retry
//! policy, against a model of a struggling server (issue 6).
//!
//! Retries that are right for one client can take a service down when thousands of clients do the
//! same. This module runs this crate's own engine ([`http_verdict::RetryPolicy`] with its defaults and a
//! [`http_verdict::ClientState`] per client, every outcome through the real [`http_verdict::classify()`] and
//! [`http_verdict::classify_error`]) for a fleet of browser tabs and a Node service, next to the policies
//! other libraries use, through spikes, outages, brownouts, failure-rate sweeps, quotas and
//! hostile hints, and measures what the server went through. Everything is virtual: time is an
//! event queue's clock, randomness is SplitMix64 from a seed, so a run is a pure function of
//! `(scenario, policy, seed, scale)`. It is behind the `sim` cargo feature; the report command is
//! `cargo run --release -p http-verdict-sim --example simulate`.
//!
//! ```
//! use http_verdict_sim::{run_scenario, PolicyKind};
//! let report = run_scenario("sweep-5", PolicyKind::Defaults, 1, 0.05)?;
//! assert!(report.all.success_rate > 0.95);
//! assert_eq!(report.compliance.total(), 0);
//! # Ok::<(), http_verdict_sim::SimError>(())
//! ```

mod baselines;
mod clock;
mod engine;
mod metrics;
mod population;
mod report;
mod scenario;
mod server;
mod strategy;
mod variants;
// The demo page's own wasm: the simulator's report crosses as an object (serde-wasm-bindgen).
#[cfg(target_arch = "wasm32")]
mod wasm;

use serde::Serialize;

use http_verdict::client_state::ClientStateOptions;
use http_verdict::options::RetryOptions;

pub use metrics::{
    Bucket, Compliance, Metrics, Recovery, RECOVERY_CONFIRM_S, RECOVERY_MARGIN, RECOVERY_WINDOW_S,
};
pub use population::{fleet, HttpMethod, Population, Runtime, SERVICE, TABS};
pub use report::{
    dominating, render_dominance, render_table, render_targets, runs_csv, self_check, series_csv,
    Dominating, SelfCheck, Summary,
};
pub use scenario::{scenario, Scenario, SCENARIOS, SPIKE};
pub use server::{
    Admission, Capacity, Crowding, FailureMix, Hints, Quota, ServerSpec, ServerStats, SlowTail,
    Window, EPOCH_MS,
};
pub use variants::{
    fleet_variants, hedge_variants, variants, Fleet, HedgeDelay, Hedging, Store, Variant,
    FLEET_SCENARIOS, HEDGE_FIXED_MS, HEDGE_MAX_SHARE, HEDGE_SCENARIOS, HEDGE_SHARE_WINDOW,
    VARIANT_SCENARIOS,
};

use strategy::Strategy;

/// Largest scale [`run_scenario`] accepts: a run stays well under a second in release builds.
pub const MAX_SCALE: f64 = 4.0;
/// Smallest scale [`run_scenario`] accepts.
pub const MIN_SCALE: f64 = 0.01;

/// The retry policy every client of a run uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum PolicyKind {
    /// This crate's defaults: `RetryPolicy` with default options (a seed per client) and a
    /// default `ClientState` per client.
    #[serde(rename = "defaults")]
    Defaults,
    /// The control: one attempt, never a retry.
    #[serde(rename = "none")]
    NoRetry,
    /// 4 attempts, a fixed 1 s wait, any method, any failure.
    #[serde(rename = "naive")]
    Naive,
    /// ky's defaults with full jitter: 2 retries of idempotent methods, 300 ms × 2.
    #[serde(rename = "ky")]
    Ky,
    /// The AWS SDKs' standard mode: 3 attempts and a 500-token retry bucket per client.
    #[serde(rename = "aws-standard")]
    AwsStandard,
    /// gRPC retries with retry throttling (maxTokens 10, tokenRatio 0.1).
    #[serde(rename = "grpc")]
    GrpcThrottle,
    /// A Google-SRE-style per-client budget: retries under 10 % of attempts.
    #[serde(rename = "sre-budget")]
    SreBudget,
    /// This crate's engine with options given to [`run_library`] (never in [`PolicyKind::ALL`];
    /// [`run_scenario`] runs it with the defaults).
    #[serde(rename = "tuned")]
    Tuned,
}

impl PolicyKind {
    /// Every policy, in report order.
    pub const ALL: &'static [PolicyKind] = &[
        PolicyKind::Defaults,
        PolicyKind::NoRetry,
        PolicyKind::Naive,
        PolicyKind::Ky,
        PolicyKind::AwsStandard,
        PolicyKind::GrpcThrottle,
        PolicyKind::SreBudget,
    ];

    /// Stable id (`defaults`, `none`, `naive`, `ky`, `aws-standard`, `grpc`, `sre-budget`).
    pub fn id(self) -> &'static str {
        match self {
            PolicyKind::Defaults => "defaults",
            PolicyKind::NoRetry => "none",
            PolicyKind::Naive => "naive",
            PolicyKind::Ky => "ky",
            PolicyKind::AwsStandard => "aws-standard",
            PolicyKind::GrpcThrottle => "grpc",
            PolicyKind::SreBudget => "sre-budget",
            PolicyKind::Tuned => "tuned",
        }
    }

    /// The policy with this id.
    pub fn from_id(id: &str) -> Option<PolicyKind> {
        PolicyKind::ALL
            .iter()
            .copied()
            .find(|policy| policy.id() == id)
    }
}

/// One client's strategy for `policy`.
fn make_strategy(policy: PolicyKind, seed: u64) -> Box<dyn Strategy> {
    match policy {
        PolicyKind::Defaults | PolicyKind::Tuned => Box::new(strategy::Library::new(
            &RetryOptions::default(),
            Some(ClientStateOptions::default()),
            seed,
        )),
        PolicyKind::NoRetry => Box::new(strategy::NoRetry),
        PolicyKind::Naive => Box::new(baselines::Naive),
        PolicyKind::Ky => Box::new(baselines::KyLike::new(seed)),
        PolicyKind::AwsStandard => Box::new(baselines::AwsStandard::new(seed)),
        PolicyKind::GrpcThrottle => Box::new(baselines::GrpcThrottle::new(seed)),
        PolicyKind::SreBudget => Box::new(baselines::SreBudget::new(seed)),
    }
}

/// What one run measured: plain numbers and a per-second series.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SimReport {
    /// The scenario's name.
    pub scenario: &'static str,
    /// The policy every client used.
    pub policy: PolicyKind,
    /// The seed.
    pub seed: u64,
    /// The fault's window, when the scenario has one.
    pub fault: Option<Window>,
    /// When arrivals stopped, in ms.
    pub duration_ms: u64,
    /// The whole fleet.
    pub all: Metrics,
    /// The browser tabs alone.
    pub tabs: Metrics,
    /// The Node service alone.
    pub service: Metrics,
    /// Attempts the Node service sent within the fault's window (0 without a fault): in the quota
    /// scenario, what it spent into the quota wall.
    pub service_attempts_fault: u64,
    /// The server's work.
    pub server: ServerStats,
    /// Hedges sent (each a second copy of a GET attempt; counted in `attempts` too).
    pub hedges: u64,
    /// Hedges whose outcome settled their attempt (the first copy lost).
    pub hedges_won: u64,
    /// Counters that must stay 0 for a safe policy.
    pub compliance: Compliance,
    /// Per second, the whole fleet: attempts sent, requests succeeded, requests given up.
    pub series: Vec<Bucket>,
}

/// A run that could not start.
#[derive(Clone, Debug, PartialEq)]
pub enum SimError {
    /// No scenario has this name (see [`SCENARIOS`]).
    UnknownScenario(String),
    /// The scale is not a number from [`MIN_SCALE`] to [`MAX_SCALE`].
    BadScale(f64),
}

impl core::fmt::Display for SimError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            SimError::UnknownScenario(name) => write!(
                f,
                "Unknown scenario `{name}`. Known: {}.",
                SCENARIOS.join(", ")
            ),
            SimError::BadScale(scale) => write!(
                f,
                "Expected `scale` to be a number from {MIN_SCALE} to {MAX_SCALE}, got {scale}."
            ),
        }
    }
}

impl std::error::Error for SimError {}

/// Runs the scenario called `name` with every client using `policy`: the entry point for the
/// bindings and the demo page. `scale` multiplies the number of clients and the server's capacity
/// (1.0: 1,000 tabs and 4 service clients).
///
/// ```
/// use http_verdict_sim::{run_scenario, PolicyKind, Recovery};
/// let report = run_scenario("outage", PolicyKind::Naive, 7, 0.05)?;
/// assert!(report.all.amplification_fault.unwrap_or(0.0) > 3.0);
/// assert_eq!(report.series.len(), 180);
/// assert!(run_scenario("meteor", PolicyKind::Naive, 7, 1.0).is_err());
/// # Ok::<(), http_verdict_sim::SimError>(())
/// ```
pub fn run_scenario(
    name: &str,
    policy: PolicyKind,
    seed: u64,
    scale: f64,
) -> Result<SimReport, SimError> {
    if !(MIN_SCALE..=MAX_SCALE).contains(&scale) {
        return Err(SimError::BadScale(scale));
    }
    let scenario =
        scenario::scenario(name, scale).ok_or_else(|| SimError::UnknownScenario(name.into()))?;
    Ok(run(&scenario, policy, seed))
}

/// Runs any scenario, including one built or changed by hand.
pub fn run(scenario: &Scenario, policy: PolicyKind, seed: u64) -> SimReport {
    engine::simulate(
        scenario,
        policy,
        seed,
        &|client_seed| make_strategy(policy, client_seed),
        0,
        None,
    )
}

/// Runs this crate's engine with other options, to weigh a default against its alternatives:
/// `retry` for every client (each with its own seed) and a `ClientState` made with `state` per
/// client, or none when `None`. The report's policy is [`PolicyKind::Tuned`]. Invalid options
/// fall back to the defaults (validate them first with [`RetryOptions::validate`]).
///
/// ```
/// use http_verdict_sim::{run_library, scenario};
/// use http_verdict::RetryOptions;
/// let outage = scenario("outage", 0.05).ok_or("no such scenario")?;
/// let two = RetryOptions { max_attempts: 2, ..RetryOptions::default() };
/// let report = run_library(&outage, &two, None, 1);
/// // Without shared state every client retries once during the outage.
/// assert!(report.all.amplification_fault.unwrap_or(0.0) > 1.5);
/// # Ok::<(), &str>(())
/// ```
pub fn run_library(
    scenario: &Scenario,
    retry: &RetryOptions,
    state: Option<ClientStateOptions>,
    seed: u64,
) -> SimReport {
    run_variant(
        scenario,
        &Variant {
            label: "",
            retry: retry.clone(),
            state,
            tabs_per_browser: 0,
            fleet: None,
            hedging: None,
        },
        seed,
    )
}

/// Runs this crate's engine as `variant` configures it, its browser tabs grouped
/// `variant.tabs_per_browser` to a browser whose tabs share their state's facts (the `share` option
/// with `shareAcrossTabs`), its service, with `variant.fleet`, as that many instances carrying
/// the same load, sharing through a store (`http-verdict/redis`) or not, and its GETs hedged as
/// `variant.hedging` says. The report's policy is [`PolicyKind::Tuned`].
///
/// ```
/// use http_verdict_sim::{run_variant, scenario, variants};
/// let quota = scenario("quota", 0.05).ok_or("no such scenario")?;
/// let shared = variants().into_iter().find(|v| v.tabs_per_browser > 1).ok_or("no variant")?;
/// assert!(run_variant(&quota, &shared, 1).all.requests > 0);
/// # Ok::<(), &str>(())
/// ```
pub fn run_variant(scenario: &Scenario, variant: &Variant, seed: u64) -> SimReport {
    let resized;
    let scenario = match variant.fleet {
        Some(fleet) => {
            let mut copy = scenario.clone();
            if let Some(service) = copy.fleet.get_mut(SERVICE) {
                let rate_per_ms = service.rate_per_ms();
                service.clients = fleet.instances.max(1);
                service.interval_ms = f64::from(service.clients) / rate_per_ms;
            }
            resized = copy;
            &resized
        }
        None => scenario,
    };
    engine::simulate(
        scenario,
        PolicyKind::Tuned,
        seed,
        &|client_seed| {
            Box::new(
                strategy::Library::new(&variant.retry, variant.state, client_seed)
                    .hedged(variant.hedging),
            )
        },
        variant.tabs_per_browser,
        variant.fleet.and_then(|fleet| fleet.store),
    )
}
