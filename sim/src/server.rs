//! Server models: how the server answers each attempt, and what really happened (ground truth).
//!
//! A server is a capacity model plus layers in front of it, checked in this order: a full outage
//! (connections refused), a usage quota (`429 Limit Exceeded` with the reset time), admission
//! control (a token-bucket rate limit answering a fast `429`, and a queue limit answering a fast
//! `503`, either with optional wait hints), then the capacity model. `Unbounded` serves every
//! attempt at once after a short random latency; `Queue` is a FIFO served by a fixed number of
//! workers whose service time grows with the backlog (memory pressure, lock contention) and
//! doubles in a brownout. Nothing is cancelled when a client gives up: a completion after the
//! client's timeout (or of a hedge's losing copy) is wasted work. Two optional layers shape latency
//! for the hedging scenarios: a slow tail (a share of attempts, drawn per copy, take seconds) and
//! crowding (every service started while more than a knee of attempts are in service takes longer,
//! in proportion: processor sharing, fixed when the service starts). Served attempts then fail independently with a probability
//! (a mix of 5xx and resets) or get their request's own non-retryable answer (a bad request stays
//! bad). Every reply carries the truth the compliance counters are checked against: whether the
//! side effect happened, whether the class is retryable per contract §1, the valid server wait it
//! stated and the quota reset. Randomness is addressed by request and attempt, so the same
//! request meets the same luck whatever the policy (common random numbers).

use std::collections::VecDeque;
use std::fmt::Write;

use serde::Serialize;

use http_verdict::random::{mix, SplitMix64};

/// The epoch time of virtual time 0: 2026-01-01T00:00:00Z (a Thursday).
pub const EPOCH_MS: u64 = 1_767_225_600_000;

/// Time a fast rejection takes at the server, in ms.
pub(crate) const FAST_REPLY_MS: u64 = 2;

/// A stretch of virtual time, `start_ms..end_ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Window {
    /// First ms inside.
    pub start_ms: u64,
    /// First ms after.
    pub end_ms: u64,
}

impl Window {
    /// The window from `start_s` to `end_s` seconds.
    pub const fn seconds(start_s: u64, end_s: u64) -> Self {
        Self {
            start_ms: start_s * 1_000,
            end_ms: end_s * 1_000,
        }
    }

    /// Whether `at_ms` lies inside.
    pub fn contains(&self, at_ms: u64) -> bool {
        (self.start_ms..self.end_ms).contains(&at_ms)
    }
}

/// How fast the server works.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Capacity {
    /// Every attempt is served at once, in `min_ms..max_ms`: a server that never congests.
    Unbounded {
        /// Shortest service, in ms.
        min_ms: u64,
        /// Longest service, in ms.
        max_ms: u64,
    },
    /// `workers` serve a FIFO queue; a service takes `service_ms` (uniformly ±50 %) times
    /// `1 + slowdown_per_queued × queued / workers`, at most `max_slowdown` times.
    Queue {
        /// Requests served at once.
        workers: u32,
        /// Mean service time without backlog, in ms.
        service_ms: u64,
        /// Slowdown per queued request per worker.
        slowdown_per_queued: f64,
        /// Largest slowdown factor.
        max_slowdown: f64,
    },
}

/// Which failures a failing attempt gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureMix {
    /// Always `500 Internal Server Error` (the self-check).
    Internal,
    /// 40 % `503`, 30 % `500`, 20 % `502`, 10 % connection resets.
    Mixed,
    /// Always `503 Service Unavailable` without hints.
    Unavailable,
}

/// What wait hints fast rejections carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hints {
    /// None.
    None,
    /// `Retry-After: <seconds>`, the time the backlog or the rate limit needs.
    RetryAfter,
    /// `RateLimit: "default";r=0;t=<seconds>` with its `RateLimit-Policy` (IETF draft).
    RateLimit,
    /// 30 % garbage, 20 % enormous, 20 % HTTP-dates in the past, 30 % valid 1–2 s.
    Hostile,
}

/// Admission control in front of the capacity model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Admission {
    /// A fast `503` once this many attempts are queued.
    pub max_queued: Option<u32>,
    /// A fast `429` when a token bucket of this rate (per s) is empty.
    pub rate_per_s: Option<f64>,
    /// The token bucket's size.
    pub burst: f64,
    /// Hints on both kinds of rejection.
    pub hints: Hints,
}

/// A usage quota shared by the whole fleet (one API key), reset once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quota {
    /// Attempts allowed before the reset.
    pub limit: u64,
    /// When it resets (then it is unlimited), in ms; a whole second.
    pub reset_ms: u64,
}

/// A heavy latency tail: each copy of each attempt, independently, is slow with probability
/// `share`, its service then uniform in `min_ms..max_ms` (a cold cache, a slow replica, a GC pause).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SlowTail {
    /// Probability that one copy is slow.
    pub share: f64,
    /// Shortest slow service, in ms.
    pub min_ms: u64,
    /// Longest slow service, in ms.
    pub max_ms: u64,
}

/// Load-dependent slowness: a service that starts while `in_service` attempts (itself included)
/// are being served takes `max(1, in_service / knee)` times as long, as under processor sharing,
/// so that every extra request in flight slows all of them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Crowding {
    /// Attempts in service the server handles at full speed.
    pub knee: u32,
}

/// Everything a server model is made of.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ServerSpec {
    /// How fast it works.
    pub capacity: Capacity,
    /// Probability that a served attempt fails transiently.
    pub failure_rate: f64,
    /// Which failures.
    pub failure_mix: FailureMix,
    /// Share of requests whose answer is a non-retryable error, the same on every attempt.
    pub non_retryable_share: f64,
    /// Optional admission control.
    pub admission: Option<Admission>,
    /// Optional usage quota.
    pub quota: Option<Quota>,
    /// A full outage: every connection is refused.
    pub outage: Option<Window>,
    /// A brownout: capacity times the factor.
    pub brownout: Option<(Window, f64)>,
    /// A heavy latency tail.
    pub slow_tail: Option<SlowTail>,
    /// Load-dependent slowness.
    pub crowding: Option<Crowding>,
}

impl ServerSpec {
    /// A healthy, never congested server.
    pub const fn healthy() -> Self {
        Self {
            capacity: Capacity::Unbounded {
                min_ms: 20,
                max_ms: 80,
            },
            failure_rate: 0.0,
            failure_mix: FailureMix::Mixed,
            non_retryable_share: 0.0,
            admission: None,
            quota: None,
            outage: None,
            brownout: None,
            slow_tail: None,
            crowding: None,
        }
    }
}

/// What reaches the client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Wire {
    /// An HTTP response.
    Response {
        status: u16,
        headers: String,
        body: &'static str,
    },
    /// The connection was refused: nothing was sent.
    Refused,
    /// The connection broke after the request was sent.
    Reset,
}

/// What really happened, for the compliance counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Truth {
    /// The request's side effect happened.
    pub processed: bool,
    /// The outcome's class is retryable per contract §1 (for some method).
    pub retryable_class: bool,
    /// The server's valid wait, in ms (a garbage hint is none; a past date is 0).
    pub valid_wait_ms: Option<u64>,
    /// The quota is exhausted until then (virtual ms).
    pub quota_reset_ms: Option<u64>,
}

/// One reply and its truth.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Reply {
    pub wire: Wire,
    pub truth: Truth,
}

/// What the server does with an arriving attempt.
pub(crate) enum Intake {
    /// Answers at once (after [`FAST_REPLY_MS`]).
    Reply(Reply),
    /// Starts serving it; the service takes this long.
    Serve { service_ms: u64 },
    /// Queues it.
    Queued,
}

/// The attempt as the server needs to know it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Job {
    /// The attempt's id (for the queue and service-time draws).
    pub attempt: u32,
    /// The logical request's id.
    pub request: u64,
    /// 1-based attempt number.
    pub number: u32,
    /// 0 for an attempt's first copy, 1 for its hedge.
    pub copy: u32,
}

/// What the server did, summed over a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerStats {
    /// Service time spent, in ms.
    pub busy_ms: u64,
    /// Service time spent on attempts whose client had already given up, in ms.
    pub wasted_ms: u64,
    /// `wasted_ms / busy_ms` (0 when idle).
    pub wasted_share: f64,
    /// Attempts answered by a fast rejection (quota, rate limit, queue limit, outage).
    pub rejected: u64,
    /// Most attempts in service at once.
    pub peak_in_service: u32,
}

/// Streams of the server's random draws.
const SERVICE_DRAW: u64 = 0x5E41_71CE;
const FAILURE_DRAW: u64 = 0xFA11_0BAD;
const STICKY_DRAW: u64 = 0x571C_C0DE;
const HINT_DRAW: u64 = 0x4144_7200;
const TAIL_DRAW: u64 = 0x7A11_5A0E;
const TAIL_LENGTH_DRAW: u64 = 0x7A11_1E6E;

/// A running server.
pub(crate) struct Server {
    spec: ServerSpec,
    seed: u64,
    busy: u32,
    /// Attempts being served now (whatever the capacity model), for crowding.
    in_service: u32,
    queue: VecDeque<Job>,
    tokens: f64,
    tokens_at_ms: u64,
    quota_used: u64,
    hints_given: u64,
    pub(crate) stats: ServerStats,
}

impl Server {
    /// An idle server.
    pub(crate) fn new(spec: ServerSpec, seed: u64) -> Self {
        Self {
            tokens: spec.admission.map_or(0.0, |admission| admission.burst),
            spec,
            seed: mix(seed ^ 0x005E_4EE4),
            busy: 0,
            in_service: 0,
            queue: VecDeque::new(),
            tokens_at_ms: 0,
            quota_used: 0,
            hints_given: 0,
            stats: ServerStats::default(),
        }
    }

    fn unit(&self, stream: u64, index: u64) -> f64 {
        SplitMix64::nth_unit(self.seed ^ stream, index)
    }

    /// An attempt arrives.
    pub(crate) fn intake(&mut self, now_ms: u64, job: Job) -> Intake {
        if self
            .spec
            .outage
            .is_some_and(|window| window.contains(now_ms))
        {
            return self.reject(Reply {
                wire: Wire::Refused,
                truth: Truth::transient(false),
            });
        }
        if let Some(quota) = self.spec.quota {
            if now_ms < quota.reset_ms {
                if self.quota_used >= quota.limit {
                    return self.reject(quota_reply(quota, now_ms));
                }
                self.quota_used = self.quota_used.saturating_add(1);
            }
        }
        if let Some(admission) = self.spec.admission {
            if let Some(rate_per_s) = admission.rate_per_s {
                let elapsed_ms = now_ms.saturating_sub(self.tokens_at_ms) as f64;
                self.tokens =
                    (self.tokens + elapsed_ms * rate_per_s / 1_000.0).min(admission.burst);
                self.tokens_at_ms = now_ms;
                if self.tokens < 1.0 {
                    let wait_s = ((1.0 - self.tokens) / rate_per_s).ceil().max(1.0) as u64;
                    let reply = self.rejection(429, wait_s, admission, now_ms);
                    return self.reject(reply);
                }
                self.tokens -= 1.0;
            }
            if let Some(max_queued) = admission.max_queued {
                if self.queue.len() >= max_queued as usize {
                    let wait_s = self.backlog_seconds();
                    let reply = self.rejection(503, wait_s, admission, now_ms);
                    return self.reject(reply);
                }
            }
        }
        match self.spec.capacity {
            Capacity::Unbounded { .. } => Intake::Serve {
                service_ms: self.service_ms(now_ms, job),
            },
            Capacity::Queue { workers, .. } if self.busy < workers => {
                self.busy = self.busy.saturating_add(1);
                Intake::Serve {
                    service_ms: self.service_ms(now_ms, job),
                }
            }
            Capacity::Queue { .. } => {
                self.queue.push_back(job);
                Intake::Queued
            }
        }
    }

    /// A service ends; `wasted` when its client had already given up. Returns the queued
    /// attempt that starts now, with its service time.
    pub(crate) fn release(
        &mut self,
        now_ms: u64,
        service_ms: u64,
        wasted: bool,
    ) -> Option<(u32, u64)> {
        if wasted {
            self.stats.wasted_ms = self.stats.wasted_ms.saturating_add(service_ms);
        }
        self.in_service = self.in_service.saturating_sub(1);
        if !matches!(self.spec.capacity, Capacity::Queue { .. }) {
            return None;
        }
        match self.queue.pop_front() {
            Some(job) => Some((job.attempt, self.service_ms(now_ms, job))),
            None => {
                self.busy = self.busy.saturating_sub(1);
                None
            }
        }
    }

    /// The answer to a served attempt.
    pub(crate) fn answer(&self, job: Job) -> Reply {
        let spec = &self.spec;
        if spec.non_retryable_share > 0.0 {
            let draw = self.unit(STICKY_DRAW, job.request);
            if draw < spec.non_retryable_share {
                return sticky_reply(draw / spec.non_retryable_share);
            }
        }
        let index = job.request.saturating_mul(64) | u64::from(job.number.min(63));
        let draw = self.unit(FAILURE_DRAW, index);
        if draw < spec.failure_rate {
            return failure_reply(spec.failure_mix, draw / spec.failure_rate);
        }
        Reply {
            wire: Wire::Response {
                status: 200,
                headers: String::new(),
                body: r#"{"ok":true}"#,
            },
            truth: Truth {
                processed: true,
                retryable_class: false,
                valid_wait_ms: None,
                quota_reset_ms: None,
            },
        }
    }

    /// Counts the rejection and answers fast.
    fn reject(&mut self, reply: Reply) -> Intake {
        self.stats.rejected = self.stats.rejected.saturating_add(1);
        Intake::Reply(reply)
    }

    /// How long the backlog takes to clear, in whole seconds (at least 1).
    fn backlog_seconds(&self) -> u64 {
        match self.spec.capacity {
            Capacity::Queue {
                workers,
                service_ms,
                ..
            } => {
                let ms = self.queue.len() as u64 * service_ms / u64::from(workers.max(1));
                ms.div_ceil(1_000).max(1)
            }
            Capacity::Unbounded { .. } => 1,
        }
    }

    /// The service time of an attempt starting now, and its cost to the server.
    fn service_ms(&mut self, now_ms: u64, job: Job) -> u64 {
        self.in_service = self.in_service.saturating_add(1);
        self.stats.peak_in_service = self.stats.peak_in_service.max(self.in_service);
        let draw = self.unit(SERVICE_DRAW, u64::from(job.attempt));
        let mut base_ms = match self.spec.capacity {
            Capacity::Unbounded { min_ms, max_ms } => {
                min_ms as f64 + draw * max_ms.saturating_sub(min_ms) as f64
            }
            Capacity::Queue {
                workers,
                service_ms,
                slowdown_per_queued,
                max_slowdown,
            } => {
                let queued = self.queue.len() as f64 / f64::from(workers.max(1));
                let slowdown = (1.0 + slowdown_per_queued * queued).min(max_slowdown);
                service_ms as f64 * (0.5 + draw) * slowdown
            }
        };
        if let Some(tail) = self.spec.slow_tail {
            // NOTE: addressed by request, attempt and copy (not by the attempt's slot), so that a
            // request meets the same luck with hedging on or off, and a hedge its own.
            let index = job.request.saturating_mul(128)
                | u64::from(job.number.min(63)) << 1
                | u64::from(job.copy.min(1));
            if self.unit(TAIL_DRAW, index) < tail.share {
                let length = self.unit(TAIL_LENGTH_DRAW, index);
                base_ms =
                    tail.min_ms as f64 + length * tail.max_ms.saturating_sub(tail.min_ms) as f64;
            }
        }
        if let Some(crowding) = self.spec.crowding {
            let load = f64::from(self.in_service) / f64::from(crowding.knee.max(1));
            base_ms *= load.max(1.0);
        }
        let factor = match self.spec.brownout {
            Some((window, factor)) if window.contains(now_ms) && factor > 0.0 => factor,
            _ => 1.0,
        };
        let service_ms = (base_ms / factor).round().max(1.0) as u64;
        self.stats.busy_ms = self.stats.busy_ms.saturating_add(service_ms);
        service_ms
    }

    /// A fast `429` (rate limit) or `503` (queue limit) with the configured hints.
    fn rejection(&mut self, status: u16, wait_s: u64, admission: Admission, now_ms: u64) -> Reply {
        let (headers, valid_wait_ms) = match admission.hints {
            Hints::None => (String::new(), None),
            Hints::RetryAfter => (format!("retry-after: {wait_s}"), Some(wait_s * 1_000)),
            Hints::RateLimit => (
                format!(
                    "ratelimit: \"default\";r=0;t={wait_s}\nratelimit-policy: \"default\";q={};w=1",
                    admission.burst.max(1.0) as u64
                ),
                Some(wait_s * 1_000),
            ),
            Hints::Hostile => {
                let draw = self.unit(HINT_DRAW, self.hints_given);
                self.hints_given = self.hints_given.saturating_add(1);
                hostile_hint(draw, now_ms)
            }
        };
        let body = if status == 429 {
            r#"{"message":"Too Many Requests"}"#
        } else {
            r#"{"message":"Service Unavailable"}"#
        };
        Reply {
            wire: Wire::Response {
                status,
                headers,
                body,
            },
            truth: Truth {
                valid_wait_ms,
                ..Truth::transient(false)
            },
        }
    }
}

impl Truth {
    /// A retryable failure, with or without side effect.
    fn transient(processed: bool) -> Self {
        Self {
            processed,
            retryable_class: true,
            valid_wait_ms: None,
            quota_reset_ms: None,
        }
    }
}

/// The usage plan's answer once the quota is gone: the API's `Limit Exceeded` with vendor headers
/// naming the reset (epoch seconds).
fn quota_reply(quota: Quota, now_ms: u64) -> Reply {
    let reset_epoch_s = (EPOCH_MS + quota.reset_ms) / 1_000;
    Reply {
        wire: Wire::Response {
            status: 429,
            headers: format!(
                "x-ratelimit-limit: {}\nx-ratelimit-remaining: 0\nx-ratelimit-reset: {reset_epoch_s}",
                quota.limit
            ),
            body: r#"{"message":"Limit Exceeded"}"#,
        },
        truth: Truth {
            processed: false,
            retryable_class: false,
            valid_wait_ms: Some(quota.reset_ms.saturating_sub(now_ms)),
            quota_reset_ms: Some(quota.reset_ms),
        },
    }
}

/// A transient failure from `mix`, chosen by `draw` in `[0, 1)`.
fn failure_reply(mix: FailureMix, draw: f64) -> Reply {
    let status = match mix {
        FailureMix::Internal => 500,
        FailureMix::Unavailable => 503,
        FailureMix::Mixed if draw < 0.4 => 503,
        FailureMix::Mixed if draw < 0.7 => 500,
        FailureMix::Mixed if draw < 0.9 => 502,
        FailureMix::Mixed => {
            return Reply {
                wire: Wire::Reset,
                truth: Truth::transient(true),
            }
        }
    };
    let body = match status {
        500 => r#"{"message":"Internal server error"}"#,
        502 => r#"{"message":"Bad Gateway"}"#,
        _ => r#"{"message":"Service Unavailable"}"#,
    };
    Reply {
        wire: Wire::Response {
            status,
            headers: String::new(),
            body,
        },
        // NOTE: a 503 from an overloaded app refused the work; 500 and 502 may have done it.
        truth: Truth::transient(status != 503),
    }
}

/// A request's own non-retryable answer, chosen by `draw` in `[0, 1)`.
fn sticky_reply(draw: f64) -> Reply {
    let (status, body) = match draw {
        d if d < 0.40 => (400, r#"{"message":"Bad request: missing field name"}"#),
        d if d < 0.55 => (404, r#"{"message":"Wrong identifier"}"#),
        d if d < 0.65 => (404, r#"{"message":"Invalid route"}"#),
        d if d < 0.80 => (403, r#"{"message":"Forbidden"}"#),
        d if d < 0.88 => (405, r#"{"message":"Method Not Allowed"}"#),
        d if d < 0.94 => (410, r#"{"message":"Gone"}"#),
        _ => (501, r#"{"message":"Not Implemented"}"#),
    };
    Reply {
        wire: Wire::Response {
            status,
            headers: String::new(),
            body,
        },
        truth: Truth {
            processed: false,
            retryable_class: false,
            valid_wait_ms: None,
            quota_reset_ms: None,
        },
    }
}

/// Garbage `Retry-After` values: each must count as absent (contract §3).
const GARBAGE: &[&str] = &[
    "retry-after: soon",
    "retry-after: -1",
    "retry-after: 1.5",
    "retry-after: 5s",
    "retry-after: 2026-01-01T00:00:10Z",
    "retry-after: Sat, 31 Feb 2026 00:00:00 GMT",
    "retry-after: 2\nretry-after: 7",
];

/// A hostile hint chosen by `draw`, with its valid wait.
fn hostile_hint(draw: f64, now_ms: u64) -> (String, Option<u64>) {
    if draw < 0.3 {
        let index = ((draw / 0.3) * GARBAGE.len() as f64) as usize;
        let text = GARBAGE.get(index).copied().unwrap_or("retry-after: soon");
        (text.to_owned(), None)
    } else if draw < 0.5 {
        // NOTE: more than u64 can hold: the parser must saturate, not wrap.
        (
            "retry-after: 99999999999999999999".to_owned(),
            Some(u64::MAX),
        )
    } else if draw < 0.7 {
        let now = EPOCH_MS + now_ms;
        let text = format!(
            "date: {}\nretry-after: {}",
            http_date(now),
            http_date(now.saturating_sub(60_000))
        );
        (text, Some(0))
    } else {
        let seconds = if draw < 0.85 { 1 } else { 2 };
        (format!("retry-after: {seconds}"), Some(seconds * 1_000))
    }
}

/// An IMF-fixdate (`Thu, 01 Jan 2026 00:00:00 GMT`) for epoch ms.
pub(crate) fn http_date(epoch_ms: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let seconds = epoch_ms / 1_000;
    let days = seconds / 86_400;
    let (year, month, day) = civil_from_days(days);
    let of_day = seconds % 86_400;
    let mut text = String::with_capacity(29);
    let _ = write!(
        text,
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        DAYS.get((days % 7) as usize).copied().unwrap_or("Thu"),
        MONTHS
            .get(month.saturating_sub(1) as usize)
            .copied()
            .unwrap_or("Jan"),
        of_day / 3_600,
        of_day / 60 % 60,
        of_day % 60
    );
    text
}

/// Year, month (1–12) and day of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_are_imf_fixdates() {
        assert_eq!(http_date(EPOCH_MS), "Thu, 01 Jan 2026 00:00:00 GMT");
        assert_eq!(http_date(951_782_400_000), "Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(
            http_date(EPOCH_MS + 86_399_000),
            "Thu, 01 Jan 2026 23:59:59 GMT"
        );
    }
}
