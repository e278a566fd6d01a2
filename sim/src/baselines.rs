//! The policies other libraries use, re-implemented from their published parameters.
//!
//! None of this is their code; each is the behaviour their documentation states, reduced to what
//! the simulator can observe (status, `Retry-After`, network failure, timeout). Each client has its
//! own state, as each browser tab or SDK client instance does.
//!
//! | baseline | attempts | methods | retried | wait | fleet guard |
//! |---|---|---|---|---|---|
//! | naive | 4 | any | any non-2xx, any network failure or timeout | fixed 1 s, no jitter | none |
//! | ky-like | 3 | GET, PUT | 408 413 429 500 502 503 504, network failures (not timeouts) | full jitter of 300 ms × 2ⁿ⁻¹; `Retry-After` seconds on 413/429/503, capped at 10 s | none |
//! | AWS standard | 3 | any | 429 (throttling), 500 502 503 504 408, network failures, timeouts | full jitter of 2ⁿ × 100 ms (500 ms throttling), cap 20 s | token bucket of 500: a retry costs 5 (throttling) or 10; a success refunds its retry's cost, or 1 |
//! | gRPC throttling | 4 | any | `UNAVAILABLE`: 429 502 503 504, network failures | full jitter of min(100 ms × 2ⁿ⁻¹, 1 s) | tokens 10, −1 per retryable failure, +0.1 per success; retries only while tokens > 5 |
//! | SRE budget | 3 | GET, PUT | 408 429 500 502 503 504, network failures, timeouts | full jitter of 300 ms × 2ⁿ⁻¹ | retries < 10 % of the client's attempts over the last 60 s |
//!
//! The AWS and gRPC parameters are their standard mode's and gRFC A6's example configuration
//! (`maxAttempts 4, initialBackoff 0.1s, maxBackoff 1s, backoffMultiplier 2, maxTokens 10,
//! tokenRatio 0.1`); the AWS retry costs are the (the JS v3 SDK names its 10 the timeout
//! cost). AWS and gRPC retry any method: their APIs carry idempotency tokens, an HTTP POST does not.

use std::collections::BTreeMap;

use http_verdict::random::SplitMix64;

use super::strategy::{Gate, Next, RequestView, Seen, Strategy};

/// `base_ms × 2^(attempt - 1)`, capped.
fn exponential_ms(base_ms: f64, attempt: u32, cap_ms: f64) -> f64 {
    (base_ms * 2f64.powi(attempt.saturating_sub(1).min(60) as i32)).min(cap_ms)
}

/// A uniform draw below `ceiling_ms` (full jitter), in whole ms.
fn full_jitter(random: &mut SplitMix64, ceiling_ms: f64) -> u64 {
    (random.next_unit() * ceiling_ms) as u64
}

/// Delay-seconds of a `Retry-After` header as simple clients read it: digits only, else none.
fn retry_after_seconds(headers: &str) -> Option<u64> {
    let value = headers.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("retry-after")
            .then(|| value.trim())
    })?;
    if value.is_empty() || !value.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    Some(value.parse::<u64>().unwrap_or(u64::MAX))
}

/// Fixed retries without jitter on any method and any failure.
pub(crate) struct Naive;

impl Strategy for Naive {
    fn after(&mut self, request: &RequestView, seen: &Seen) -> Next {
        if seen.is_success() || request.attempt >= 4 {
            Next::Stop
        } else {
            Next::Retry(1_000)
        }
    }
}

/// ky's defaults with full jitter.
pub(crate) struct KyLike {
    random: SplitMix64,
}

impl KyLike {
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            random: SplitMix64::new(seed),
        }
    }
}

impl Strategy for KyLike {
    fn after(&mut self, request: &RequestView, seen: &Seen) -> Next {
        if seen.is_success() || request.attempt >= 3 || !request.method.is_idempotent() {
            return Next::Stop;
        }
        let retried = match seen.status() {
            Some(status) => [408, 413, 429, 500, 502, 503, 504].contains(&status),
            None => matches!(seen, Seen::Refused | Seen::Reset),
        };
        if !retried {
            return Next::Stop;
        }
        if matches!(seen.status(), Some(413 | 429 | 503)) {
            if let Some(seconds) = retry_after_seconds(seen.headers()) {
                return Next::Retry(seconds.saturating_mul(1_000).min(10_000));
            }
        }
        let ceiling_ms = exponential_ms(300.0, request.attempt, f64::MAX);
        Next::Retry(full_jitter(&mut self.random, ceiling_ms))
    }
}

/// The AWS SDKs' standard retry mode.
pub(crate) struct AwsStandard {
    random: SplitMix64,
    tokens: u32,
    /// The cost of each request's last retry, refunded when it succeeds.
    spent: BTreeMap<u64, u32>,
}

const AWS_BUCKET: u32 = 500;

impl AwsStandard {
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            random: SplitMix64::new(seed),
            tokens: AWS_BUCKET,
            spent: BTreeMap::new(),
        }
    }
}

impl Strategy for AwsStandard {
    fn after(&mut self, request: &RequestView, seen: &Seen) -> Next {
        let refund = self.spent.remove(&request.id);
        if seen.is_success() {
            self.tokens = (self.tokens + refund.unwrap_or(1)).min(AWS_BUCKET);
            return Next::Stop;
        }
        let throttling = seen.status() == Some(429);
        let transient = match seen.status() {
            Some(status) => [408, 500, 502, 503, 504].contains(&status),
            None => true,
        };
        if !(throttling || transient) || request.attempt >= 3 {
            return Next::Stop;
        }
        let cost = if throttling { 5 } else { 10 };
        if self.tokens < cost {
            return Next::Stop;
        }
        self.tokens -= cost;
        self.spent.insert(request.id, cost);
        let base_ms = if throttling { 500.0 } else { 100.0 };
        let ceiling_ms = (base_ms * 2f64.powi(request.attempt.min(60) as i32)).min(20_000.0);
        Next::Retry(full_jitter(&mut self.random, ceiling_ms))
    }
}

/// gRPC retries with retry throttling (gRFC A6).
pub(crate) struct GrpcThrottle {
    random: SplitMix64,
    tokens: f64,
}

impl GrpcThrottle {
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            random: SplitMix64::new(seed),
            tokens: 10.0,
        }
    }
}

impl Strategy for GrpcThrottle {
    fn after(&mut self, request: &RequestView, seen: &Seen) -> Next {
        if seen.is_success() {
            self.tokens = (self.tokens + 0.1).min(10.0);
            return Next::Stop;
        }
        let unavailable = match seen.status() {
            Some(status) => [429, 502, 503, 504].contains(&status),
            None => matches!(seen, Seen::Refused | Seen::Reset),
        };
        if !unavailable {
            return Next::Stop;
        }
        self.tokens = (self.tokens - 1.0).max(0.0);
        if request.attempt >= 4 || self.tokens <= 5.0 {
            return Next::Stop;
        }
        let ceiling_ms = exponential_ms(100.0, request.attempt, 1_000.0);
        Next::Retry(full_jitter(&mut self.random, ceiling_ms))
    }
}

/// Attempts and retries per second over the last minute.
const SRE_SLOTS: usize = 60;

/// A Google-SRE-style per-client retry budget: retries stay under 10 % of attempts.
pub(crate) struct SreBudget {
    random: SplitMix64,
    /// Per slot: (second it holds + 1, attempts, retries).
    slots: [(u64, u32, u32); SRE_SLOTS],
}

impl SreBudget {
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            random: SplitMix64::new(seed),
            slots: [(0, 0, 0); SRE_SLOTS],
        }
    }

    fn totals(&self, now_ms: u64) -> (u32, u32) {
        let second = now_ms / 1_000 + 1;
        self.slots
            .iter()
            .filter(|(at, _, _)| *at != 0 && *at <= second && second - *at < SRE_SLOTS as u64)
            .fold((0, 0), |(attempts, retries), (_, a, r)| {
                (attempts + a, retries + r)
            })
    }
}

impl Strategy for SreBudget {
    fn admit(&mut self, request: &RequestView) -> Gate {
        let second = request.now_ms / 1_000 + 1;
        if let Some(slot) = self.slots.get_mut((second % SRE_SLOTS as u64) as usize) {
            if slot.0 != second {
                *slot = (second, 0, 0);
            }
            slot.1 += 1;
            slot.2 += u32::from(request.attempt > 1);
        }
        Gate::Send
    }

    fn after(&mut self, request: &RequestView, seen: &Seen) -> Next {
        if seen.is_success() || request.attempt >= 3 || !request.method.is_idempotent() {
            return Next::Stop;
        }
        let retried = match seen.status() {
            Some(status) => [408, 429, 500, 502, 503, 504].contains(&status),
            None => true,
        };
        let (attempts, retries) = self.totals(request.now_ms);
        // "A request will only be retried as long as this ratio is below 10 %."
        if !retried || f64::from(retries) >= 0.1 * f64::from(attempts) {
            return Next::Stop;
        }
        let ceiling_ms = exponential_ms(300.0, request.attempt, f64::MAX);
        Next::Retry(full_jitter(&mut self.random, ceiling_ms))
    }
}

#[cfg(test)]
mod tests {
    use super::retry_after_seconds;

    #[test]
    fn simple_clients_read_only_digits() {
        assert_eq!(retry_after_seconds("Retry-After: 2"), Some(2));
        assert_eq!(retry_after_seconds("date: x\nretry-after: 007"), Some(7));
        assert_eq!(retry_after_seconds("retry-after: 1.5"), None);
        assert_eq!(retry_after_seconds("retry-after: -1"), None);
        assert_eq!(retry_after_seconds(""), None);
        assert_eq!(
            retry_after_seconds("retry-after: 99999999999999999999"),
            Some(u64::MAX)
        );
    }
}
