//! The answer of the decision engine: retry or not, how long to wait, and why.
//!
//! Every decision carries a stable reason code (never renamed: users switch on them) and can say
//! itself in one sentence, such as `503 Service Unavailable; Retry-After 2 s; attempt 2 of 3 in
//! 2.1 s`. The sentence is built on demand by [`Decision::message`], so deciding stays cheap when
//! nobody reads it.

use alloc::string::String;

use crate::classify::Verdict;
use crate::kind::Kind;
use crate::method::Method;
use crate::retry_after::MAX_WAIT_MS;
use crate::text::{push_decimal, split_once_byte};
use crate::wait_source::WaitSource;

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
    /// The request's method is not among the policy's `methods`.
    MethodNotRetried = "method_not_retried", false;
    /// The caller declined the retry (`Outcome::should_retry`, createFetch's `shouldRetry`).
    Declined = "declined", false;
    /// The device is offline: the same attempt is sent again once it is back online.
    Offline = "offline", true;
    /// The server said not to retry (`Stripe-Should-Retry: false`, `x-should-retry: false`).
    ServerDeclined = "server_declined", false;
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
    /// # Ok::<(), http_verdict::InputError>(())
    /// ```
    pub fn message(&self) -> String {
        let mut out = Sentence(String::with_capacity(96));
        self.write_message(&mut out);
        out.0
    }

    /// The key of this decision's template in `sentences.txt`: the reason id, with a variant
    /// where one reason reads differently.
    pub fn template_key(&self) -> &'static str {
        match self.reason {
            Reason::QuotaExceeded if self.verdict.kind != Kind::QuotaExceeded => {
                "quota_exceeded+origin"
            }
            // NOTE: a reset from `Retry-After` keeps the sentence it had before sentences named
            // their source.
            Reason::QuotaExceeded if self.wait_hint_ms.is_some() => {
                if self.wait_source() == WaitSource::RETRY_AFTER {
                    "quota_exceeded+reset"
                } else {
                    "quota_exceeded+source"
                }
            }
            reason => reason.id(),
        }
    }

    /// Where the wait this decision names (`wait_hint_ms`) was read: the verdict's source when it
    /// is the verdict's wait, else [`WaitSource::ORIGIN_GATE`] (a longer wait that the origin's
    /// throttle gate holds from an earlier answer, the only other wait a decision follows).
    // NOTE: told apart by value, so that the package's JavaScript, which has both waits, tells them
    // apart the same way without another number crossing from the wasm.
    pub fn wait_source(&self) -> WaitSource {
        let verdict_wait = self.verdict.retry_after_ms.map(|ms| ms.min(MAX_WAIT_MS));
        if self.wait_hint_ms == verdict_wait {
            self.verdict.wait_source
        } else {
            WaitSource::ORIGIN_GATE
        }
    }

    // NOTE: assembled with `push_str` and a small number writer, not `write!`: `core::fmt` would add
    // several KB to a wasm module for sentences that are only ever this simple.
    fn write_message(&self, out: &mut Sentence) {
        let key = self.template_key();
        let template = SENTENCES
            .lines()
            .find_map(|line| {
                split_once_byte(line, b'\t').and_then(|(id, text)| (id == key).then_some(text))
            })
            .unwrap_or("{subject}");
        let mut rest = template;
        while let Some((text, after)) = split_once_byte(rest, b'{') {
            out.text(text);
            let Some((name, tail)) = split_once_byte(after, b'}') else {
                break;
            };
            self.placeholder(out, name);
            rest = tail;
        }
        out.text(rest);
    }

    fn placeholder(&self, out: &mut Sentence, name: &str) {
        let attempt = u64::from(self.attempt);
        match name {
            "subject" => out.subject(&self.verdict),
            "method" => out.text(self.method.name().unwrap_or("The request method")),
            "attempt" => out.number(attempt),
            "next" => out.number(attempt.saturating_add(1)),
            "max" => out.number(u64::from(self.max_attempts)),
            "delay" => out.wait(self.delay_ms),
            "hint" => out.wait(self.wait_hint_ms.unwrap_or(0)),
            "source" => out.text(self.wait_source().label()),
            "limit" => out.wait(self.limit_ms.unwrap_or(0)),
            _ => out,
        };
    }
}

/// The sentence templates, shared with the package's JavaScript (see the file's header).
const SENTENCES: &str = include_str!("sentences.txt");

/// A sentence being assembled: text, numbers, waits and verdict subjects.
struct Sentence(String);

impl Sentence {
    fn text(&mut self, text: &str) -> &mut Self {
        self.0.push_str(text);
        self
    }

    fn number(&mut self, value: u64) -> &mut Self {
        push_decimal(&mut self.0, value);
        self
    }

    /// A verdict as the subject of a sentence: `503 Service Unavailable`, `Network Error (dns_failure)`.
    fn subject(&mut self, verdict: &Verdict) -> &mut Self {
        if let Some(status) = verdict.status {
            self.number(u64::from(status)).text(" ");
        }
        self.text(verdict.title());
        match verdict.detail {
            Some(detail) if verdict.kind == Kind::NetworkError => {
                self.text(" (").text(detail.id()).text(")")
            }
            _ => self,
        }
    }

    /// A wait for people: `450 ms`, `2 s`, `2.1 s`, `1.5 min`, `24 h` (one decimal at most).
    fn wait(&mut self, ms: u64) -> &mut Self {
        const UNITS: [(u64, &str); 3] = [(3_600_000, "h"), (60_000, "min"), (1_000, "s")];
        let Some((unit_ms, unit)) = UNITS.iter().find(|(unit_ms, _)| ms >= *unit_ms) else {
            return self.number(ms).text(" ms");
        };
        // Tenths of the unit, rounded to nearest.
        let tenths = ms.saturating_add(unit_ms / 20) / (unit_ms / 10);
        self.number(tenths / 10);
        if tenths % 10 != 0 {
            self.text(".").number(tenths % 10);
        }
        self.text(" ").text(unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_and_variant_has_a_template_with_known_placeholders() {
        let keys: alloc::vec::Vec<&str> = SENTENCES
            .lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| split_once_byte(line, b'\t').map(|(key, _)| key))
            .collect();
        for reason in Reason::ALL {
            assert!(keys.contains(&reason.id()), "{}", reason.id());
        }
        for variant in [
            "quota_exceeded+reset",
            "quota_exceeded+source",
            "quota_exceeded+origin",
        ] {
            assert!(keys.contains(&variant));
        }
        let known = [
            "subject", "method", "attempt", "next", "max", "delay", "hint", "limit", "source",
        ];
        for line in SENTENCES.lines().filter(|line| !line.starts_with('#')) {
            for piece in line.split('{').skip(1) {
                let name = piece.split('}').next().unwrap_or_default();
                assert!(known.contains(&name), "{line}");
            }
        }
    }
}
