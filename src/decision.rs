//! The answer of the decision engine: retry or not, how long to wait, and why.
//!
//! Every decision carries a stable reason code (never renamed: users switch on them) and can say
//! itself in one sentence, such as `503 Service Unavailable; Retry-After 2 s; attempt 2 of 3 in
//! 2.1 s`. The sentence is built on demand by [`Decision::message`], so deciding stays cheap when
//! nobody reads it.

use core::fmt::Write;

use crate::classify::Verdict;
use crate::kind::Kind;
use crate::method::Method;

macro_rules! reasons {
    ($( $(#[$doc:meta])* $variant:ident = $id:literal, $retries:literal; )*) => {
        /// Why a decision was taken: a stable snake_case id per case.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Reason {
            $( $(#[$doc])* $variant, )*
        }

        impl Reason {
            /// Every reason, in declaration order (the bindings encode reasons by index).
            pub const ALL: &'static [Reason] = &[ $( Reason::$variant, )* ];

            /// Stable snake_case id, relied on by users: never rename one.
            pub fn id(self) -> &'static str {
                match self { $( Reason::$variant => $id, )* }
            }

            /// The reason with this id.
            pub fn from_id(id: &str) -> Option<Reason> {
                match id { $( $id => Some(Reason::$variant), )* _ => None }
            }

            /// Whether a decision with this reason retries.
            pub fn retries(self) -> bool {
                match self { $( Reason::$variant => $retries, )* }
            }
        }
    };
}

reasons! {
    /// Retrying after the server's requested wait (`Retry-After` or exhausted rate-limit headers).
    RetryAfter = "retry_after", true;
    /// Retrying a throttling 429 that named no wait, after the policy's `throttle_fallback_ms`.
    RateLimited = "rate_limited", true;
    /// Retrying a retryable status (5xx, 408, or one forced by a status override) after backoff.
    RetryableStatus = "retryable_status", true;
    /// Retrying after a network failure, after backoff.
    NetworkError = "network_error", true;
    /// Retrying after a per-attempt timeout, after backoff.
    Timeout = "timeout", true;
    /// Not an error (2xx, 3xx): nothing to retry.
    Success = "success", false;
    /// The outcome is not retryable (most 4xx, 501, 505, unknown errors, or a status override).
    NotRetryable = "not_retryable", false;
    /// The caller cancelled (an aborted signal or a 499): never retried.
    Aborted = "aborted", false;
    /// A usage quota is exhausted (now, or per the origin's quota lock): never retried.
    QuotaExceeded = "quota_exceeded", false;
    /// A non-idempotent request that may have been processed, without key or opt-in.
    NotIdempotent = "not_idempotent", false;
    /// The request body was a one-shot stream and cannot be sent again.
    BodyNotReplayable = "body_not_replayable", false;
    /// The attempt that failed was the last one allowed.
    MaxAttempts = "max_attempts", false;
    /// The server asked for a wait above `max_retry_after_ms`: failing now instead of sleeping.
    RetryAfterTooLong = "retry_after_too_long", false;
    /// The wait would cross the total deadline.
    Deadline = "deadline", false;
    /// Retries are over their share of recent traffic (the client's retry budget).
    BudgetExhausted = "budget_exhausted", false;
    /// The origin's circuit breaker is open.
    CircuitOpen = "circuit_open", false;
}

impl Reason {
    /// Position in [`Reason::ALL`]: a compact id for crossing the wasm boundary.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// What to do after an attempt, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    /// Whether to send the request again.
    pub retry: bool,
    /// How long to wait before the next attempt, in ms; 0 when not retrying.
    pub delay_ms: u64,
    /// Why, as a stable code.
    pub reason: Reason,
    /// The verdict of the attempt the decision is about.
    pub verdict: Verdict,
    /// The attempt that just finished (1-based).
    pub attempt: u32,
    /// The policy's maximum number of attempts.
    pub max_attempts: u32,
    /// The request's method.
    pub method: Method,
    /// The server's wait this decision followed or refused: the verdict's, or an origin's throttle gate.
    pub wait_hint_ms: Option<u64>,
    /// The limit a refusal refers to: the deadline (`deadline`) or `max_retry_after_ms` (`retry_after_too_long`).
    pub limit_ms: Option<u64>,
}

impl Decision {
    /// One human sentence: the outcome, the cause and what happens next.
    ///
    /// ```
    /// use http_verdict::{classify, HeaderBlock, Outcome, ResponseParts, RetryPolicy, RetryOptions};
    /// use http_verdict::backoff::Jitter;
    /// let response = ResponseParts { status: 503, headers: HeaderBlock::new("retry-after: 2"), body: None };
    /// let policy = RetryPolicy::new(RetryOptions { jitter: Jitter::None, ..Default::default() })?;
    /// let outcome = Outcome { attempt: 1, ..Outcome::new("GET", classify(&response, 0, None)) };
    /// let message = policy.decide(&outcome, None).message();
    /// assert!(message.starts_with("503 Service Unavailable; Retry-After 2 s; attempt 2 of 3 in 2"));
    /// # Ok::<(), http_verdict::PolicyError>(())
    /// ```
    pub fn message(&self) -> String {
        let mut out = String::with_capacity(96);
        // NOTE: writing to a String cannot fail; ignoring the fmt::Result keeps this total.
        let _ = self.write_message(&mut out);
        out
    }

    fn write_message(&self, out: &mut String) -> core::fmt::Result {
        let subject = Subject(&self.verdict);
        let hint = Wait(self.wait_hint_ms.unwrap_or(0));
        let limit = Wait(self.limit_ms.unwrap_or(0));
        let next = self.attempt.saturating_add(1);
        let (max, delay) = (self.max_attempts, Wait(self.delay_ms));
        match self.reason {
            Reason::RetryAfter => write!(
                out,
                "{subject}; Retry-After {hint}; attempt {next} of {max} in {delay}"
            ),
            Reason::RateLimited => write!(
                out,
                "{subject}; no wait given; attempt {next} of {max} in {delay}"
            ),
            Reason::RetryableStatus | Reason::NetworkError | Reason::Timeout => {
                write!(out, "{subject}; attempt {next} of {max} in {delay}")
            }
            Reason::Success => write!(out, "{subject}; done after attempt {}", self.attempt),
            Reason::NotRetryable => write!(out, "{subject} is not retryable; not retried"),
            Reason::Aborted => write!(out, "{subject}; cancelled by the client; not retried"),
            Reason::QuotaExceeded if self.verdict.kind != Kind::QuotaExceeded => write!(
                out,
                "{subject}; the origin's quota is exhausted; not retried"
            ),
            Reason::QuotaExceeded if self.wait_hint_ms.is_some() => {
                write!(out, "{subject}; the quota resets in {hint}; not retried")
            }
            Reason::QuotaExceeded => write!(
                out,
                "{subject}; the quota is exhausted until it resets; not retried"
            ),
            Reason::NotIdempotent => write!(
                out,
                "{} is not idempotent and {subject} may have been processed; not retried",
                self.method.name().unwrap_or("The request method")
            ),
            Reason::BodyNotReplayable => write!(
                out,
                "{subject}; the request body was a one-shot stream and cannot be sent again; not retried"
            ),
            Reason::MaxAttempts => write!(
                out,
                "{subject}; attempt {} of {max}; no attempts left",
                self.attempt
            ),
            Reason::RetryAfterTooLong => write!(
                out,
                "{subject}; Retry-After {hint} is above the {limit} limit; not retried"
            ),
            Reason::Deadline => write!(
                out,
                "{subject}; the next wait would pass the {limit} deadline; not retried"
            ),
            Reason::BudgetExhausted => {
                write!(out, "{subject}; the retry budget is exhausted; not retried")
            }
            Reason::CircuitOpen => write!(
                out,
                "{subject}; the circuit breaker for this origin is open; not retried"
            ),
        }
    }
}

/// A verdict as the subject of a sentence: `503 Service Unavailable`, `Network Error (dns_failure)`.
struct Subject<'a>(&'a Verdict);

impl core::fmt::Display for Subject<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let verdict = self.0;
        if let Some(status) = verdict.status {
            write!(f, "{status} ")?;
        }
        f.write_str(verdict.title())?;
        match verdict.detail {
            Some(detail) if verdict.kind == Kind::NetworkError => write!(f, " ({})", detail.id()),
            _ => Ok(()),
        }
    }
}

/// A wait for people: `450 ms`, `2 s`, `2.1 s`, `1.5 min`, `24 h` (one decimal at most).
struct Wait(u64);

impl core::fmt::Display for Wait {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        const UNITS: [(u64, &str); 3] = [(3_600_000, "h"), (60_000, "min"), (1_000, "s")];
        let ms = self.0;
        let Some((unit_ms, unit)) = UNITS.iter().find(|(unit_ms, _)| ms >= *unit_ms) else {
            return write!(f, "{ms} ms");
        };
        // Tenths of the unit, rounded to nearest.
        let tenths = ms.saturating_add(unit_ms / 20) / (unit_ms / 10);
        match tenths % 10 {
            0 => write!(f, "{} {unit}", tenths / 10),
            digit => write!(f, "{}.{digit} {unit}", tenths / 10),
        }
    }
}
