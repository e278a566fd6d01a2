//! Options of a retry policy: defaults, validation and the plain
//! objects JavaScript passes.
//!
//! Rust callers fill [`RetryOptions`] (typed, with `Default`); JavaScript callers pass a plain
//! object that serde reads into [`RetryOptionsSpec`] (camelCase names, unknown names rejected,
//! every number an `f64` as JS has it) and that is then checked into the same `RetryOptions`.
//! Either way a bad value is a [`PolicyError`] naming the option by its JS name, because a
//! silently clamped option is worse than a loud one. The defaults follow what users of ky, got and
//! the AWS SDKs already expect; each is justified where it is declared.

use alloc::string::String;
use alloc::vec::Vec;

use serde::Deserialize;

use crate::backoff::{Backoff, Jitter};
pub use crate::breaker::BreakerSpec;
pub use crate::budget::BudgetSpec;
pub use crate::client_state::ClientStateSpec;
pub use crate::option_error::PolicyError;
use crate::option_error::{
    duration, integer, invalid, invalid_item, millis, safe_integer, MILLISECONDS,
};
use crate::retry_after::MAX_WAIT_MS;

/// Most attempts a policy may allow; beyond this, bound retries with `deadline_ms` instead.
pub const MAX_ATTEMPTS_LIMIT: u32 = 1_000;

/// The seed when none is given. Any fixed value does; the JS wrapper passes a random one.
pub const DEFAULT_SEED: u64 = 0x5EED_F00D_DEC1_DE00;

/// A per-status override of the retry rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StatusOverride {
    /// An error status, 400–599.
    pub status: u16,
    /// `true`: retry it like a 5xx (idempotency rules still apply); `false`: never retry it.
    pub retry: bool,
}

/// How a policy retries. Build a [`crate::RetryPolicy`] from it to validate it.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryOptions {
    /// Total attempts, the first included: 1–1000. Default 3, as in the AWS SDKs' standard mode
    /// and ky's and got's two retries.
    pub max_attempts: u32,
    /// The first backoff before jitter, in ms. Default 300: ky's first wait.
    pub base_delay_ms: u64,
    /// Growth per attempt, at least 1. Default 2: ky, got and the AWS SDKs all double.
    pub multiplier: f64,
    /// Cap on each of the client's own waits, in ms. Default 10 000: longer guesses rarely help an
    /// interactive client. Server hints are not lowered to it (see `max_retry_after_ms`).
    pub max_delay_ms: u64,
    /// How own waits are randomised. Default full jitter: AWS's recommendation, best at spreading load.
    pub jitter: Jitter,
    /// Total time allowed since the first attempt started, in ms; no wait may cross it. Default
    /// none, like ky and got (a caller's timeout or signal bounds the whole call).
    pub deadline_ms: Option<u64>,
    /// The longest server-requested wait to honour, in ms; a longer one fails at once and is
    /// surfaced. Default 60 000: a minute is as long as a caller can be expected to sit waiting.
    pub max_retry_after_ms: u64,
    /// Retry non-idempotent requests even when they may have been processed. Default false
    /// (RFC 9110 §9.2.2; ky and got do not retry POST either).
    pub retry_non_idempotent: bool,
    /// Per-status overrides, each status at most once.
    pub status_overrides: Vec<StatusOverride>,
    /// Seed of the jitter. Default [`DEFAULT_SEED`]; give each client its own.
    pub seed: u64,
    /// Wait for a throttling 429 that names none, in ms. Default 1 000: the API's rate is per second.
    pub throttle_fallback_ms: u64,
}

impl Default for RetryOptions {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay_ms: 300,
            multiplier: 2.0,
            max_delay_ms: 10_000,
            jitter: Jitter::Full,
            deadline_ms: None,
            max_retry_after_ms: 60_000,
            retry_non_idempotent: false,
            status_overrides: Vec::new(),
            seed: DEFAULT_SEED,
            throttle_fallback_ms: 1_000,
        }
    }
}

impl RetryOptions {
    /// Checks every option; the error names the first bad one.
    pub fn validate(&self) -> Result<(), PolicyError> {
        if !(1..=MAX_ATTEMPTS_LIMIT).contains(&self.max_attempts) {
            return Err(invalid("", "maxAttempts", "an integer from 1 to 1000"));
        }
        if !(self.multiplier.is_finite() && self.multiplier >= 1.0) {
            return Err(invalid("", "multiplier", "a finite number of at least 1"));
        }
        let durations = [
            ("baseDelayMs", Some(self.base_delay_ms)),
            ("maxDelayMs", Some(self.max_delay_ms)),
            ("deadlineMs", self.deadline_ms),
            ("maxRetryAfterMs", Some(self.max_retry_after_ms)),
            ("throttleFallbackMs", Some(self.throttle_fallback_ms)),
        ];
        if let Some((name, _)) = durations
            .iter()
            .find(|(_, value)| value.is_some_and(|ms| ms > MAX_WAIT_MS))
        {
            return Err(invalid("", name, MILLISECONDS));
        }
        for (index, rule) in self.status_overrides.iter().enumerate() {
            let problem = if !(400..=599).contains(&rule.status) {
                "an error status from 400 to 599"
            } else if self
                .status_overrides
                .get(..index)
                .is_some_and(|earlier| earlier.iter().any(|other| other.status == rule.status))
            {
                "a status not listed earlier"
            } else {
                continue;
            };
            return Err(invalid_item("statusOverrides", index, "status", problem));
        }
        Ok(())
    }

    /// The client's own backoff these options describe.
    pub fn backoff(&self) -> Backoff {
        Backoff {
            base_delay_ms: self.base_delay_ms,
            multiplier: self.multiplier,
            max_delay_ms: self.max_delay_ms,
            jitter: self.jitter,
        }
    }

    /// The override for `status`, if any: `Some(true)` forces retrying, `Some(false)` forbids it.
    pub fn status_override(&self, status: u16) -> Option<bool> {
        self.status_overrides
            .iter()
            .find(|rule| rule.status == status)
            .map(|rule| rule.retry)
    }
}

/// Retry options as JavaScript writes them (`new RetryPolicy({ maxAttempts: 5 })`).
///
/// ```
/// use http_verdict::options::{RetryOptions, RetryOptionsSpec};
/// let spec = RetryOptionsSpec { max_attempts: Some(5.0), jitter: Some("none".into()), ..Default::default() };
/// let options = RetryOptions::try_from(spec)?;
/// assert_eq!(options.max_attempts, 5);
/// let bad = RetryOptionsSpec { multiplier: Some(0.5), ..Default::default() };
/// let error = RetryOptions::try_from(bad).unwrap_err();
/// assert_eq!(error.to_string(), "Expected `multiplier` to be a finite number of at least 1.");
/// # Ok::<(), http_verdict::PolicyError>(())
/// ```
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct RetryOptionsSpec {
    /// See [`RetryOptions::max_attempts`].
    pub max_attempts: Option<f64>,
    /// See [`RetryOptions::base_delay_ms`].
    pub base_delay_ms: Option<f64>,
    /// See [`RetryOptions::multiplier`].
    pub multiplier: Option<f64>,
    /// See [`RetryOptions::max_delay_ms`]; `Infinity` means no cap.
    pub max_delay_ms: Option<f64>,
    /// `"full"`, `"equal"`, `"decorrelated"` or `"none"`.
    pub jitter: Option<String>,
    /// See [`RetryOptions::deadline_ms`]; `Infinity` or `null` means none.
    pub deadline_ms: Option<f64>,
    /// See [`RetryOptions::max_retry_after_ms`]; `Infinity` means any wait is honoured.
    pub max_retry_after_ms: Option<f64>,
    /// See [`RetryOptions::retry_non_idempotent`].
    pub retry_non_idempotent: Option<bool>,
    /// See [`RetryOptions::status_overrides`].
    pub status_overrides: Option<Vec<StatusOverrideSpec>>,
    /// See [`RetryOptions::seed`]: an integer from 0 to 2^53 - 1.
    pub seed: Option<f64>,
    /// See [`RetryOptions::throttle_fallback_ms`].
    pub throttle_fallback_ms: Option<f64>,
}

/// One status override as JavaScript writes it: `{ status: 503, retry: false }`.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusOverrideSpec {
    /// An error status, 400–599.
    pub status: f64,
    /// Whether to retry it.
    pub retry: bool,
}

impl TryFrom<RetryOptionsSpec> for RetryOptions {
    type Error = PolicyError;

    fn try_from(spec: RetryOptionsSpec) -> Result<Self, PolicyError> {
        let defaults = RetryOptions::default();
        let max_attempts = match spec.max_attempts {
            None => defaults.max_attempts,
            Some(value) => integer(value, 1, MAX_ATTEMPTS_LIMIT)
                .ok_or_else(|| invalid("", "maxAttempts", "an integer from 1 to 1000"))?,
        };
        let jitter = match spec.jitter.as_deref() {
            None => defaults.jitter,
            Some(id) => Jitter::from_id(id).ok_or_else(|| {
                invalid(
                    "",
                    "jitter",
                    "one of \"full\", \"equal\", \"decorrelated\" or \"none\"",
                )
            })?,
        };
        let deadline_ms = match spec.deadline_ms {
            None => None,
            Some(value) => Some(millis(value, Some(u64::MAX)).ok_or_else(|| {
                invalid(
                    "",
                    "deadlineMs",
                    "a number of milliseconds from 0 to 2^53 - 1, or Infinity",
                )
            })?)
            .filter(|ms| *ms != u64::MAX),
        };
        let status_overrides = spec
            .status_overrides
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(index, rule)| {
                let status = integer(rule.status, 400, 599).ok_or_else(|| {
                    invalid_item(
                        "statusOverrides",
                        index,
                        "status",
                        "an error status from 400 to 599",
                    )
                })?;
                Ok(StatusOverride {
                    // NOTE: at most 599 here, so the conversion is exact.
                    status: status as u16,
                    retry: rule.retry,
                })
            })
            .collect::<Result<_, PolicyError>>()?;
        let seed = match spec.seed {
            None => defaults.seed,
            Some(value) => safe_integer(value)
                .ok_or_else(|| invalid("", "seed", "an integer from 0 to 2^53 - 1"))?,
        };
        let options = RetryOptions {
            max_attempts,
            base_delay_ms: duration(
                "",
                "baseDelayMs",
                spec.base_delay_ms,
                defaults.base_delay_ms,
                None,
            )?,
            multiplier: spec.multiplier.unwrap_or(defaults.multiplier),
            max_delay_ms: duration(
                "",
                "maxDelayMs",
                spec.max_delay_ms,
                defaults.max_delay_ms,
                Some(MAX_WAIT_MS),
            )?,
            jitter,
            deadline_ms,
            max_retry_after_ms: duration(
                "",
                "maxRetryAfterMs",
                spec.max_retry_after_ms,
                defaults.max_retry_after_ms,
                Some(MAX_WAIT_MS),
            )?,
            retry_non_idempotent: spec
                .retry_non_idempotent
                .unwrap_or(defaults.retry_non_idempotent),
            status_overrides,
            seed,
            throttle_fallback_ms: duration(
                "",
                "throttleFallbackMs",
                spec.throttle_fallback_ms,
                defaults.throttle_fallback_ms,
                None,
            )?,
        };
        options.validate()?;
        Ok(options)
    }
}
