//! The scenarios: a fleet, a server model, a fault schedule and the time frame of a run.
//!
//! Every scenario runs the fleet of [`super::population::fleet`] (80 req/s at scale 1) with a
//! 10 s per-attempt timeout (the fetch wrapper's default) and stops issuing requests at
//! `duration_ms`, then lets retries drain for up to two minutes. Scaling multiplies client counts
//! and every server capacity (workers, rate limits, queue limits, quota) alike, so a scenario
//! keeps its shape at any scale; durations never scale. A congestible server's service slows by
//! 0.5 % per queued request per worker, up to 1.5 times (memory pressure, contention): with 20
//! workers of 100 ms (200 req/s, 2.5 times the normal load) a backlog still drains without
//! retries, but not against four attempts per request. The hedging scenarios' server has a heavy
//! tail (3 % of copies take 1–3 s); in `slow-tail-load` it also slows past 12 attempts in service
//! (scaled like a capacity), which it reaches only when clients add load in a spike.

use super::population::{fleet, scaled_count, Population};
use super::server::{
    Admission, Capacity, Crowding, FailureMix, Hints, Quota, ServerSpec, SlowTail, Window,
};
use super::{MAX_SCALE, MIN_SCALE};

/// One scenario, ready to run.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Its name (`spike`, `sweep-5`, …).
    pub name: &'static str,
    /// One line on what it tests.
    pub summary: &'static str,
    /// The client populations.
    pub fleet: Vec<Population>,
    /// The server model.
    pub server: ServerSpec,
    /// Requests are issued until then, in ms.
    pub duration_ms: u64,
    /// Retries may go on this long after, in ms; what is still open then has failed.
    pub drain_ms: u64,
    /// Start of the stretch the pre-fault success rate is measured on, in ms.
    pub warmup_ms: u64,
    /// The fault's window, when it has one.
    pub fault: Option<Window>,
    /// A traffic spike: arrival rates times the factor within the window.
    pub spike: Option<(Window, f64)>,
    /// Per-attempt timeout of every client, in ms.
    pub timeout_ms: u64,
}

/// Every scenario's name, in report order.
pub const SCENARIOS: &[&str] = &[
    "selfcheck",
    "spike",
    "spike-shed",
    "spike-throttle",
    "outage",
    "brownout",
    "sweep-0.1",
    "sweep-1",
    "sweep-5",
    "sweep-10",
    "sweep-20",
    "sweep-50",
    "non-retryable",
    "quota",
    "hostile-hints",
];

/// The latency tail of the hedging scenarios: 3 % of copies take 1–3 s.
const SLOW_TAIL: SlowTail = SlowTail {
    share: 0.03,
    min_ms: 1_000,
    max_ms: 3_000,
};

/// The traffic spike of the spike scenarios: six times the normal rate for 6 s from 60 s.
pub const SPIKE: (Window, f64) = (Window::seconds(60, 66), 6.0);

/// A congestible server of `workers` workers at scale 1.
fn congestible(workers: f64, scale: f64) -> ServerSpec {
    ServerSpec {
        capacity: Capacity::Queue {
            workers: scaled_count(workers, scale),
            service_ms: 100,
            slowdown_per_queued: 0.005,
            max_slowdown: 1.5,
        },
        ..ServerSpec::healthy()
    }
}

/// The scenario called `name` at `scale` (see [`SCENARIOS`], and the hedging scenarios
/// `slow-tail` and `slow-tail-load` of [`crate::HEDGE_SCENARIOS`], which the policy tables and the
/// demo page's list leave out); `None` for an unknown name or a scale outside
/// [`MIN_SCALE`]`..=`[`MAX_SCALE`].
pub fn scenario(name: &str, scale: f64) -> Option<Scenario> {
    if !(MIN_SCALE..=MAX_SCALE).contains(&scale) {
        return None;
    }
    let base = Scenario {
        name: "",
        summary: "",
        fleet: fleet(scale),
        server: ServerSpec::healthy(),
        duration_ms: 180_000,
        drain_ms: 120_000,
        warmup_ms: 10_000,
        fault: None,
        spike: None,
        timeout_ms: 10_000,
    };
    let sweep = |name: &'static str, summary: &'static str, rate: f64| Scenario {
        name,
        summary,
        server: ServerSpec {
            failure_rate: rate,
            ..ServerSpec::healthy()
        },
        duration_ms: 120_000,
        ..base.clone()
    };
    let scenario = match name {
        "selfcheck" => Scenario {
            name: "selfcheck",
            summary: "independent failures, p = 0.5, all 500: naive 4 attempts must give 1 + p + p² + p³ = 1.875",
            server: ServerSpec {
                failure_rate: 0.5,
                failure_mix: FailureMix::Internal,
                ..ServerSpec::healthy()
            },
            duration_ms: 300_000,
            ..base
        },
        "spike" => Scenario {
            name: "spike",
            summary: "congestible server (200 req/s), traffic ×6 for 6 s: queueing passes the 10 s timeout",
            server: congestible(20.0, scale),
            fault: Some(SPIKE.0),
            spike: Some(SPIKE),
            ..base
        },
        "spike-shed" => Scenario {
            name: "spike-shed",
            summary: "the same spike, admission control: fast 503 + Retry-After beyond 1 s of backlog",
            server: ServerSpec {
                admission: Some(Admission {
                    max_queued: Some(scaled_count(200.0, scale)),
                    rate_per_s: None,
                    burst: 0.0,
                    hints: Hints::RetryAfter,
                }),
                ..congestible(20.0, scale)
            },
            fault: Some(SPIKE.0),
            spike: Some(SPIKE),
            ..base
        },
        "spike-throttle" => Scenario {
            name: "spike-throttle",
            summary: "the same spike against a gateway rate limit of 120 req/s: fast 429 + RateLimit headers",
            server: ServerSpec {
                admission: Some(Admission {
                    max_queued: None,
                    rate_per_s: Some(120.0 * scale),
                    burst: f64::from(scaled_count(60.0, scale)),
                    hints: Hints::RateLimit,
                }),
                ..ServerSpec::healthy()
            },
            fault: Some(SPIKE.0),
            spike: Some(SPIKE),
            ..base
        },
        "outage" => Scenario {
            name: "outage",
            summary: "full outage for 30 s from 60 s: every connection refused",
            server: ServerSpec {
                outage: Some(Window::seconds(60, 90)),
                ..ServerSpec::healthy()
            },
            fault: Some(Window::seconds(60, 90)),
            ..base
        },
        "brownout" => Scenario {
            name: "brownout",
            summary: "congestible server (120 req/s) at half capacity, 75 % of the load, for 120 s from 60 s",
            server: ServerSpec {
                brownout: Some((Window::seconds(60, 180), 0.5)),
                ..congestible(12.0, scale)
            },
            duration_ms: 300_000,
            fault: Some(Window::seconds(60, 180)),
            ..base
        },
        "sweep-0.1" => sweep("sweep-0.1", "constant independent failures, 0.1 % (5xx mix and resets)", 0.001),
        "sweep-1" => sweep("sweep-1", "constant independent failures, 1 %", 0.01),
        "sweep-5" => sweep("sweep-5", "constant independent failures, 5 %", 0.05),
        "sweep-10" => sweep("sweep-10", "constant independent failures, 10 %", 0.10),
        "sweep-20" => sweep("sweep-20", "constant independent failures, 20 %", 0.20),
        "sweep-50" => sweep("sweep-50", "constant independent failures, 50 %", 0.50),
        "non-retryable" => Scenario {
            name: "non-retryable",
            summary: "20 % of requests get their own 400/403/404/405/410/501; 2 % of attempts a 503",
            server: ServerSpec {
                failure_rate: 0.02,
                failure_mix: FailureMix::Unavailable,
                non_retryable_share: 0.2,
                ..ServerSpec::healthy()
            },
            duration_ms: 120_000,
            ..base
        },
        "quota" => Scenario {
            name: "quota",
            summary: "the fleet's usage quota runs out at about 60 s and resets at 150 s (429 Limit Exceeded + reset)",
            server: ServerSpec {
                quota: Some(Quota {
                    limit: u64::from(scaled_count(60.0 * 80.0, scale)),
                    reset_ms: 150_000,
                }),
                ..ServerSpec::healthy()
            },
            duration_ms: 210_000,
            fault: Some(Window::seconds(60, 150)),
            ..base
        },
        "hostile-hints" => Scenario {
            name: "hostile-hints",
            summary: "traffic ×2 for 30 s against a 100 req/s rate limit whose 429s carry garbage, enormous and past Retry-After",
            server: ServerSpec {
                admission: Some(Admission {
                    max_queued: None,
                    rate_per_s: Some(100.0 * scale),
                    burst: f64::from(scaled_count(50.0, scale)),
                    hints: Hints::Hostile,
                }),
                ..ServerSpec::healthy()
            },
            fault: Some(Window::seconds(60, 90)),
            spike: Some((Window::seconds(60, 90), 2.0)),
            ..base
        },
        "slow-tail" => Scenario {
            name: "slow-tail",
            summary: "a healthy server with a heavy tail: 3 % of copies, independently, take 1–3 s",
            server: ServerSpec {
                slow_tail: Some(SLOW_TAIL),
                ..ServerSpec::healthy()
            },
            duration_ms: 120_000,
            ..base
        },
        "slow-tail-load" => Scenario {
            name: "slow-tail-load",
            summary: "the same tail on a server that slows with load (beyond 12 in service, processor sharing), traffic ×1.5 for 30 s from 60 s",
            server: ServerSpec {
                slow_tail: Some(SLOW_TAIL),
                crowding: Some(Crowding {
                    knee: scaled_count(12.0, scale),
                }),
                ..ServerSpec::healthy()
            },
            fault: Some(Window::seconds(60, 90)),
            spike: Some((Window::seconds(60, 90), 1.5)),
            ..base
        },
        _ => return None,
    };
    Some(scenario)
}
