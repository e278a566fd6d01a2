//! Metrics of a run: load amplification, success, recovery, latency and compliance.
//!
//! Amplification is attempts sent in a stretch of time per logical request issued in it, so
//! during a fault it is the load the fleet puts on the server relative to what its users asked
//! for (below 1 when clients fail fast without sending). Success and latency count logical
//! requests by the time they were issued. Recovery looks at the success rate of the requests
//! issued in each 5-second window after the fault: the fleet has recovered once every later
//! window is within 5 points of the pre-fault rate, and "never" when that has not happened 10 s
//! before arrivals stop. The compliance counters check what clients did against what the server
//! really said (see [`Compliance`]).

use serde::Serialize;

use super::server::Window;

/// Width of a recovery window, in s.
pub const RECOVERY_WINDOW_S: u64 = 5;
/// How far below the pre-fault success rate a window may fall and still count as recovered.
pub const RECOVERY_MARGIN: f64 = 0.05;
/// Good windows needed before arrivals stop for a recovery to count, in s.
pub const RECOVERY_CONFIRM_S: u64 = 10;

/// Time to recover after the fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Recovery {
    /// The scenario has no fault that ends.
    NoFault,
    /// Recovered this long after the fault ended.
    AfterMs(u64),
    /// Not recovered before the run ended.
    Never,
}

/// What one population (or the whole fleet) experienced.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Metrics {
    /// Logical requests issued.
    pub requests: u64,
    /// Attempts sent.
    pub attempts: u64,
    /// Attempts per logical request over the whole run.
    pub amplification: f64,
    /// The same for the fault window.
    pub amplification_fault: Option<f64>,
    /// The same from the fault's end until arrivals stop.
    pub amplification_after: Option<f64>,
    /// Share of logical requests that succeeded.
    pub success_rate: f64,
    /// The same for requests issued during the fault.
    pub success_rate_fault: Option<f64>,
    /// The same for requests that are safe to retry (idempotent, or POST with a key).
    pub success_rate_retry_safe: f64,
    /// Time to recover after the fault.
    pub recovery: Recovery,
    /// Median time from issue to success, in ms.
    pub latency_p50_ms: Option<u64>,
    /// 99th percentile of the same.
    pub latency_p99_ms: Option<u64>,
    /// Median time from issue to success of GET requests (the ones hedging may touch), in ms.
    pub get_latency_p50_ms: Option<u64>,
    /// 99th percentile of the same.
    pub get_latency_p99_ms: Option<u64>,
    /// Median time from issue to giving up, in ms.
    pub give_up_p50_ms: Option<u64>,
    /// 99th percentile of the same.
    pub give_up_p99_ms: Option<u64>,
}

/// Things a safe client never does; each must stay 0 for this crate's engine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Compliance {
    /// Retries sent before a valid server wait (`Retry-After`, exhausted rate-limit headers) passed.
    pub early_retries: u64,
    /// Retries sent after an outcome of a non-retryable class (4xx but 408 and throttling, 501,
    /// 505, quota).
    pub non_retryable_retries: u64,
    /// Extra executions of POST requests without an `Idempotency-Key` on the server.
    pub duplicate_posts: u64,
    /// Attempts sent while the client had been told that the quota is exhausted.
    pub locked_quota_attempts: u64,
}

impl Compliance {
    /// Their sum.
    pub fn total(&self) -> u64 {
        self.early_retries
            .saturating_add(self.non_retryable_retries)
            .saturating_add(self.duplicate_posts)
            .saturating_add(self.locked_quota_attempts)
    }
}

/// One second of the run, for plotting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Bucket {
    /// Start of the second, in s.
    pub second: u64,
    /// Attempts sent.
    pub attempts: u32,
    /// Logical requests that succeeded.
    pub successes: u32,
    /// Logical requests that gave up.
    pub failures: u32,
}

/// A finished logical request.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RequestRecord {
    pub population: usize,
    pub issued_ms: u64,
    pub end_ms: u64,
    pub success: bool,
    pub retry_safe: bool,
    pub get: bool,
}

/// An attempt sent.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AttemptRecord {
    pub population: usize,
    pub sent_ms: u64,
}

/// The time frame of a run.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame {
    pub warmup_ms: u64,
    pub fault: Option<Window>,
    pub arrivals_end_ms: u64,
}

fn ratio(numerator: u64, denominator: u64) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 / denominator as f64)
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[u64], quantile: f64) -> Option<u64> {
    let rank = (quantile * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.max(1) - 1).copied()
}

/// The metrics of one population (`Some(index)`) or of the whole fleet (`None`).
pub(crate) fn summarize(
    requests: &[RequestRecord],
    attempts: &[AttemptRecord],
    population: Option<usize>,
    frame: Frame,
) -> Metrics {
    let requests: Vec<&RequestRecord> = requests
        .iter()
        .filter(|request| population.map_or(true, |index| request.population == index))
        .collect();
    let attempts: Vec<u64> = attempts
        .iter()
        .filter(|attempt| population.map_or(true, |index| attempt.population == index))
        .map(|attempt| attempt.sent_ms)
        .collect();
    let amplification_in = |window: Window| {
        let sent = attempts.iter().filter(|at| window.contains(**at)).count() as u64;
        let issued = requests
            .iter()
            .filter(|request| window.contains(request.issued_ms))
            .count() as u64;
        ratio(sent, issued)
    };
    let success_in = |window: Window| {
        let (succeeded, issued) = requests
            .iter()
            .filter(|request| window.contains(request.issued_ms))
            .fold((0u64, 0u64), |(ok, all), request| {
                (ok + u64::from(request.success), all + 1)
            });
        ratio(succeeded, issued)
    };
    let after = frame.fault.map(|fault| Window {
        start_ms: fault.end_ms,
        end_ms: frame.arrivals_end_ms,
    });
    let succeeded = requests.iter().filter(|request| request.success).count() as u64;
    let (safe_ok, safe_all) = requests
        .iter()
        .filter(|request| request.retry_safe)
        .fold((0u64, 0u64), |(ok, all), request| {
            (ok + u64::from(request.success), all + 1)
        });
    let mut latencies: Vec<u64> = Vec::new();
    let mut get_latencies: Vec<u64> = Vec::new();
    let mut give_ups: Vec<u64> = Vec::new();
    for request in &requests {
        let took_ms = request.end_ms.saturating_sub(request.issued_ms);
        if request.success {
            latencies.push(took_ms);
            if request.get {
                get_latencies.push(took_ms);
            }
        } else {
            give_ups.push(took_ms);
        }
    }
    latencies.sort_unstable();
    get_latencies.sort_unstable();
    give_ups.sort_unstable();
    Metrics {
        requests: requests.len() as u64,
        attempts: attempts.len() as u64,
        amplification: ratio(attempts.len() as u64, requests.len() as u64).unwrap_or(0.0),
        amplification_fault: frame.fault.and_then(amplification_in),
        amplification_after: after.and_then(amplification_in),
        success_rate: ratio(succeeded, requests.len() as u64).unwrap_or(0.0),
        success_rate_fault: frame.fault.and_then(success_in),
        success_rate_retry_safe: ratio(safe_ok, safe_all).unwrap_or(0.0),
        recovery: recovery(&requests, frame),
        latency_p50_ms: percentile(&latencies, 0.5),
        latency_p99_ms: percentile(&latencies, 0.99),
        get_latency_p50_ms: percentile(&get_latencies, 0.5),
        get_latency_p99_ms: percentile(&get_latencies, 0.99),
        give_up_p50_ms: percentile(&give_ups, 0.5),
        give_up_p99_ms: percentile(&give_ups, 0.99),
    }
}

/// Time to recover after the fault (see the module documentation).
fn recovery(requests: &[&RequestRecord], frame: Frame) -> Recovery {
    let Some(fault) = frame.fault else {
        return Recovery::NoFault;
    };
    let seconds = (frame.arrivals_end_ms / 1_000) as usize;
    let mut issued = vec![0u64; seconds];
    let mut succeeded = vec![0u64; seconds];
    for request in requests {
        let second = (request.issued_ms / 1_000) as usize;
        if let (Some(all), Some(ok)) = (issued.get_mut(second), succeeded.get_mut(second)) {
            *all += 1;
            *ok += u64::from(request.success);
        }
    }
    let rate = |from: usize, to: usize| {
        let all: u64 = issued.get(from..to).map_or(0, |slice| slice.iter().sum());
        let ok: u64 = succeeded
            .get(from..to)
            .map_or(0, |slice| slice.iter().sum());
        ratio(ok, all)
    };
    let baseline = rate(
        (frame.warmup_ms / 1_000) as usize,
        (fault.start_ms / 1_000) as usize,
    )
    .unwrap_or(1.0);
    let threshold = baseline - RECOVERY_MARGIN;
    let width = RECOVERY_WINDOW_S as usize;
    let first = fault.end_ms.div_ceil(1_000) as usize;
    let last_bad = (first..seconds.saturating_sub(width - 1))
        .rev()
        .find(|start| rate(*start, start + width).is_some_and(|rate| rate < threshold));
    let Some(last_bad) = last_bad else {
        return Recovery::AfterMs(0);
    };
    let recovered_s = (last_bad + width) as u64;
    if recovered_s + RECOVERY_CONFIRM_S > seconds as u64 {
        Recovery::Never
    } else {
        Recovery::AfterMs((recovered_s * 1_000).saturating_sub(fault.end_ms))
    }
}

/// Per-second attempts, successes and failures of the whole fleet.
pub(crate) fn series(
    requests: &[RequestRecord],
    attempts: &[AttemptRecord],
    end_ms: u64,
) -> Vec<Bucket> {
    let mut buckets: Vec<Bucket> = (0..end_ms.div_ceil(1_000))
        .map(|second| Bucket {
            second,
            ..Bucket::default()
        })
        .collect();
    for attempt in attempts {
        if let Some(bucket) = buckets.get_mut((attempt.sent_ms / 1_000) as usize) {
            bucket.attempts += 1;
        }
    }
    for request in requests {
        if let Some(bucket) = buckets.get_mut((request.end_ms / 1_000) as usize) {
            if request.success {
                bucket.successes += 1;
            } else {
                bucket.failures += 1;
            }
        }
    }
    buckets
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(issued_s: u64, success: bool) -> RequestRecord {
        RequestRecord {
            population: 0,
            issued_ms: issued_s * 1_000 + 10,
            end_ms: issued_s * 1_000 + 500,
            success,
            retry_safe: true,
            get: true,
        }
    }

    #[test]
    fn recovery_is_the_end_of_the_last_bad_window() {
        // A fault from 10 to 20 s; failures go on until 24 s.
        let requests: Vec<RequestRecord> = (0..60)
            .flat_map(|second| (0..10).map(move |_| request(second, !(10..25).contains(&second))))
            .collect();
        let frame = Frame {
            warmup_ms: 0,
            fault: Some(Window::seconds(10, 20)),
            arrivals_end_ms: 60_000,
        };
        let metrics = summarize(&requests, &[], None, frame);
        // The window starting at 24 s is the last bad one; from 29 s on all are good.
        assert_eq!(metrics.recovery, Recovery::AfterMs(9_000));
        assert_eq!(metrics.success_rate_fault, Some(0.0));
        let broken: Vec<RequestRecord> = (0..60)
            .flat_map(|second| (0..10).map(move |_| request(second, second < 10)))
            .collect();
        assert_eq!(
            summarize(&broken, &[], None, frame).recovery,
            Recovery::Never
        );
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let values: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile(&values, 0.5), Some(50));
        assert_eq!(percentile(&values, 0.99), Some(99));
        assert_eq!(percentile(&[], 0.5), None);
        assert_eq!(percentile(&[7], 0.99), Some(7));
    }
}
