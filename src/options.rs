//! Options of a retry policy: defaults, validation and the plain
//! objects JavaScript passes.
//!
//! Rust callers fill [`RetryOptions`] (typed, with `Default`) or, with the names and the `f64`
//! numbers of JS, [`RetryOptionsSpec`] (serde reads it, camelCase names, unknown names rejected);
//! the wasm bindings pass the same numbers as one array, checked from a table into the same
//! `RetryOptions`.
//! Either way a bad value is an [`InputError`] naming the option by its JS name, because a
//! silently clamped option is worse than a loud one. The defaults follow what users of ky, got and
//! the AWS SDKs already expect; each is justified where it is declared.

use alloc::string::String;
use alloc::vec::Vec;

use serde::Deserialize;

use crate::backoff::{Backoff, Jitter};
pub use crate::breaker::BreakerSpec;
pub use crate::budget::BudgetSpec;
pub use crate::client_state::ClientStateSpec;
use crate::error::InputError;
use crate::method::Method;
use crate::option_check::{
    check_numbers, invalid, invalid_item, is_given, overlay_given, pack, Check, CheckStep,
    NumberOption, CHECKED_HERE, MAX_SAFE, MILLISECONDS, MILLISECONDS_OR_INFINITY,
};

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
    /// Retry after a per-attempt timeout. Default true (got's default; ky's is false).
    pub retry_on_timeout: bool,
    /// A server wait above `max_retry_after_ms`: `false` (default) gives up at once, as got does;
    /// `true` waits `max_retry_after_ms` and retries, as ky does.
    pub cap_retry_after: bool,
    /// The methods that may be retried at all, as a bit per index of [`Method::KNOWN`]; `None` (the
    /// default) for every method, within the idempotency rules. A listed non-idempotent method
    /// counts as opted in (ky's `methods`).
    pub methods: Option<u16>,
    /// Only statuses with an override that retries them are retried (ky's and got's
    /// `statusCodes`, which JavaScript turns into overrides with this flag).
    pub only_listed_statuses: bool,
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
            retry_on_timeout: true,
            cap_retry_after: false,
            methods: None,
            only_listed_statuses: false,
        }
    }
}

impl RetryOptions {
    /// Checks every option; the error names the first bad one.
    // NOTE: the typed values go through the tables that check the numbers JavaScript passes, so
    // each range and its sentence are written once. The seed (any `u64`), the jitter (an enum) and
    // the flags cannot be wrong, so they are not given.
    pub fn validate(&self) -> Result<(), InputError> {
        let (mut numbers, given) = pack(&[
            Some(f64::from(self.max_attempts)),
            Some(self.base_delay_ms as f64),
            Some(self.multiplier),
            Some(self.max_delay_ms as f64),
            self.deadline_ms.map(|ms| ms as f64),
            Some(self.max_retry_after_ms as f64),
            None,
            None,
            Some(self.throttle_fallback_ms as f64),
            None,
            None,
            self.methods.map(f64::from),
            None,
        ]);
        for rule in &self.status_overrides {
            numbers.extend([f64::from(rule.status), f64::from(rule.retry)]);
        }
        RetryOptions::from_numbers(&numbers, given, None).map(drop)
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

    /// Whether `methods` (when given) lists `method`.
    pub fn lists_method(&self, method: Method) -> Option<bool> {
        let index = Method::KNOWN.iter().position(|known| *known == method);
        self.methods
            .map(|mask| index.is_some_and(|index| mask & (1 << index) != 0))
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
/// # Ok::<(), http_verdict::InputError>(())
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
    /// See [`RetryOptions::retry_on_timeout`].
    pub retry_on_timeout: Option<bool>,
    /// See [`RetryOptions::cap_retry_after`].
    pub cap_retry_after: Option<bool>,
    /// Method names (see [`RetryOptions::methods`]); an unknown name is an error.
    pub methods: Option<Vec<String>>,
    /// The only statuses to retry (turned into overrides that retry them).
    pub status_codes: Option<Vec<f64>>,
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
    type Error = InputError;

    fn try_from(spec: RetryOptionsSpec) -> Result<Self, InputError> {
        let methods = match &spec.methods {
            None => None,
            Some(names) => Some(method_mask(names)?),
        };
        let (mut numbers, given) = pack(&[
            spec.max_attempts,
            spec.base_delay_ms,
            spec.multiplier,
            spec.max_delay_ms,
            spec.deadline_ms,
            spec.max_retry_after_ms,
            spec.retry_non_idempotent.map(f64::from),
            spec.seed,
            spec.throttle_fallback_ms,
            spec.retry_on_timeout.map(f64::from),
            spec.cap_retry_after.map(f64::from),
            methods.map(f64::from),
            spec.status_codes.as_ref().map(|_| 1.0),
        ]);
        for rule in spec.status_overrides.iter().flatten() {
            numbers.extend([rule.status, f64::from(rule.retry)]);
        }
        for status in spec.status_codes.iter().flatten() {
            numbers.extend([*status, 1.0]);
        }
        let jitter = spec.jitter.as_deref().map(Jitter::from_id);
        RetryOptions::from_numbers(&numbers, given, jitter)
    }
}

// Where each retry option sits among the numbers JavaScript passes (`create`, in the order of
// `RETRY_NUMBERS` in pkg-template/policy.js); the status overrides follow, two numbers each.
const MAX_ATTEMPTS: u8 = 0;
const BASE_DELAY_MS: u8 = 1;
const MULTIPLIER: u8 = 2;
const MAX_DELAY_MS: u8 = 3;
const DEADLINE_MS: u8 = 4;
const MAX_RETRY_AFTER_MS: u8 = 5;
const RETRY_NON_IDEMPOTENT: u8 = 6;
const SEED: u8 = 7;
const THROTTLE_FALLBACK_MS: u8 = 8;
const RETRY_ON_TIMEOUT: u8 = 9;
const CAP_RETRY_AFTER: u8 = 10;
const METHODS: u8 = 11;
const ONLY_LISTED_STATUSES: u8 = 12;
/// How many numbers come before the status overrides.
const RETRY_NUMBERS: usize = 13;

/// What a status override's status must be.
pub const STATUS_PROBLEM: &str = "an error status from 400 to 599";
/// What a status override's status must be when an earlier one lists it.
pub const REPEATED_STATUS_PROBLEM: &str = "a status not listed earlier";
/// What `jitter` must be.
pub const JITTER_PROBLEM: &str = "one of \"full\", \"equal\", \"decorrelated\" or \"none\"";
/// The range of a status override's status.
pub const OVERRIDE_STATUS_CHECK: Check = Check::Integer(400.0, 599.0);

// The checks in the order users see errors in. The jitter (a string) comes between the first two
// groups and the status overrides (a list) between the last two, so there are three tables.
const MAX_ATTEMPTS_CHECK: [NumberOption; 1] = [NumberOption {
    slot: MAX_ATTEMPTS,
    name: "maxAttempts",
    check: Check::Integer(1.0, MAX_ATTEMPTS_LIMIT as f64),
    problem: "an integer from 1 to 1000",
}];
const DEADLINE_CHECK: [NumberOption; 1] = [NumberOption {
    slot: DEADLINE_MS,
    name: "deadlineMs",
    // NOTE: infinite stays infinite: no deadline.
    check: Check::Millis(Some(f64::INFINITY)),
    problem: MILLISECONDS_OR_INFINITY,
}];
const OTHER_CHECKS: [NumberOption; 7] = [
    NumberOption {
        slot: SEED,
        name: "seed",
        check: Check::Integer(0.0, MAX_SAFE),
        problem: "an integer from 0 to 2^53 - 1",
    },
    NumberOption {
        slot: BASE_DELAY_MS,
        name: "baseDelayMs",
        check: Check::Millis(None),
        problem: MILLISECONDS,
    },
    NumberOption {
        slot: MAX_DELAY_MS,
        name: "maxDelayMs",
        check: Check::Millis(Some(MAX_SAFE)),
        problem: MILLISECONDS_OR_INFINITY,
    },
    NumberOption {
        slot: MAX_RETRY_AFTER_MS,
        name: "maxRetryAfterMs",
        check: Check::Millis(Some(MAX_SAFE)),
        problem: MILLISECONDS_OR_INFINITY,
    },
    NumberOption {
        slot: THROTTLE_FALLBACK_MS,
        name: "throttleFallbackMs",
        check: Check::Millis(None),
        problem: MILLISECONDS,
    },
    NumberOption {
        slot: METHODS,
        name: "methods",
        check: Check::Integer(0.0, ((1 << Method::KNOWN.len()) - 1) as f64),
        problem: "a list of known method names",
    },
    NumberOption {
        slot: MULTIPLIER,
        name: "multiplier",
        check: Check::Number {
            min: 1.0,
            above: false,
            max: f64::MAX,
        },
        problem: "a finite number of at least 1",
    },
];

/// The retry options' checks in the order users see errors in: the jitter (a string) comes between
/// the first two groups of numbers and the status overrides (a list) between the last two.
pub const RETRY_CHECKS: [CheckStep; 6] = [
    CheckStep::Numbers {
        prefix: "",
        at: 0,
        table: &MAX_ATTEMPTS_CHECK,
    },
    CheckStep::Jitter,
    CheckStep::Numbers {
        prefix: "",
        at: 0,
        table: &DEADLINE_CHECK,
    },
    CheckStep::StatusOverrides,
    CheckStep::Numbers {
        prefix: "",
        at: 0,
        table: &OTHER_CHECKS,
    },
    CheckStep::RepeatedStatus,
];

/// The retry options' defaults as the numbers JavaScript passes, in slot order (an unbounded
/// deadline is infinite; the default seed does not fit a float and is taken when none is given).
pub fn retry_defaults() -> [f64; RETRY_NUMBERS] {
    let defaults = RetryOptions::default();
    [
        f64::from(defaults.max_attempts),
        defaults.base_delay_ms as f64,
        defaults.multiplier,
        defaults.max_delay_ms as f64,
        f64::INFINITY,
        defaults.max_retry_after_ms as f64,
        0.0,
        0.0,
        defaults.throttle_fallback_ms as f64,
        1.0,
        0.0,
        0.0,
        0.0,
    ]
}

impl RetryOptions {
    /// Retry options as JavaScript passes them: `numbers` holds maxAttempts, baseDelayMs,
    /// multiplier, maxDelayMs, deadlineMs, maxRetryAfterMs, retryNonIdempotent (1 or 0), seed and
    /// throttleFallbackMs, each given when its bit of `given` is set, then the status overrides as
    /// status, retry (1 or 0), …; `jitter`, when given, is the jitter its id names (`None`: an
    /// unknown id). The error names the first bad option, in the order the spec's conversion has
    /// always checked them (it now goes through here too).
    // NOTE: always inlined, so that the package's wasm sees it cannot fail there (`CHECKED_HERE`):
    // behind a call, `create` kept its error path (-138 B gzip; `#[inline]` was not enough).
    #[inline(always)]
    pub(crate) fn from_numbers(
        numbers: &[f64],
        given: u32,
        jitter: Option<Option<Jitter>>,
    ) -> Result<Self, InputError> {
        let defaults = RetryOptions::default();
        let mut values = retry_defaults();
        overlay_given(numbers, given, &mut values);
        let flat_overrides = numbers.get(RETRY_NUMBERS..).unwrap_or_default();
        if CHECKED_HERE {
            for step in RETRY_CHECKS {
                check_retry_step(step, given, jitter, flat_overrides, &mut values)?;
            }
        }
        let jitter = jitter.flatten().unwrap_or(defaults.jitter);
        // NOTE: a slice pattern rather than `chunks_exact(2).map(…).collect()`, whose length
        // arithmetic brought a division panic and its location into the package's wasm.
        let mut status_overrides = Vec::new();
        let mut rest = flat_overrides;
        while let [status, retry, tail @ ..] = rest {
            status_overrides.push(StatusOverride {
                // NOTE: checked to be 400-599 (here or, in the package, by JavaScript); `as`
                // saturates whatever it is given.
                status: *status as u16,
                retry: *retry != 0.0,
            });
            rest = tail;
        }
        // NOTE: every value below passed its check, so each conversion is exact.
        let value = |slot: u8| values.get(usize::from(slot)).copied().unwrap_or_default();
        let deadline_ms = value(DEADLINE_MS);
        Ok(RetryOptions {
            max_attempts: value(MAX_ATTEMPTS) as u32,
            base_delay_ms: value(BASE_DELAY_MS) as u64,
            multiplier: value(MULTIPLIER),
            max_delay_ms: value(MAX_DELAY_MS) as u64,
            jitter,
            deadline_ms: deadline_ms.is_finite().then_some(deadline_ms as u64),
            max_retry_after_ms: value(MAX_RETRY_AFTER_MS) as u64,
            retry_non_idempotent: value(RETRY_NON_IDEMPOTENT) != 0.0,
            status_overrides,
            seed: if is_given(given, usize::from(SEED)) {
                value(SEED) as u64
            } else {
                defaults.seed
            },
            throttle_fallback_ms: value(THROTTLE_FALLBACK_MS) as u64,
            retry_on_timeout: value(RETRY_ON_TIMEOUT) != 0.0,
            cap_retry_after: value(CAP_RETRY_AFTER) != 0.0,
            methods: is_given(given, usize::from(METHODS)).then(|| value(METHODS) as u16),
            only_listed_statuses: value(ONLY_LISTED_STATUSES) != 0.0,
        })
    }
}

/// The bit mask of `names` over [`Method::KNOWN`] (ASCII case ignored); the error names the first
/// unknown one.
fn method_mask(names: &[String]) -> Result<u16, InputError> {
    let mut mask = 0u16;
    for (index, name) in names.iter().enumerate() {
        let method = Method::parse(name);
        let Some(bit) = Method::KNOWN.iter().position(|known| *known == method) else {
            let mut error = invalid_item("methods", index, "", "a known method name");
            // `methods[2]`, not `methods[2].`: the item itself is the option.
            error.field.pop();
            return Err(error);
        };
        mask |= 1 << bit;
    }
    Ok(mask)
}

/// Runs one step of [`RETRY_CHECKS`] on the values read so far; `flat_overrides` holds the status
/// overrides as status, retry (1 or 0), ….
fn check_retry_step(
    step: CheckStep,
    given: u32,
    jitter: Option<Option<Jitter>>,
    flat_overrides: &[f64],
    values: &mut [f64],
) -> Result<(), InputError> {
    let statuses = || flat_overrides.iter().step_by(2);
    match step {
        CheckStep::Numbers { prefix, table, .. } => check_numbers(prefix, table, given, values),
        CheckStep::Jitter => match jitter {
            Some(None) => Err(invalid("", "jitter", JITTER_PROBLEM)),
            _ => Ok(()),
        },
        CheckStep::StatusOverrides => match statuses()
            .position(|status| OVERRIDE_STATUS_CHECK.apply(*status, &[]).is_none())
        {
            Some(index) => Err(invalid_item(
                "statusOverrides",
                index,
                "status",
                STATUS_PROBLEM,
            )),
            None => Ok(()),
        },
        CheckStep::RepeatedStatus => {
            let repeated = statuses().enumerate().position(|(index, status)| {
                statuses().take(index).any(|earlier| earlier == status)
            });
            match repeated {
                Some(index) => Err(invalid_item(
                    "statusOverrides",
                    index,
                    "status",
                    REPEATED_STATUS_PROBLEM,
                )),
                None => Ok(()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retry_after::MAX_WAIT_MS;
    use alloc::vec;

    fn spec_error(spec: RetryOptionsSpec) -> Option<String> {
        RetryOptions::try_from(spec)
            .err()
            .map(|error| error.message())
    }

    #[test]
    fn numbers_are_read_by_slot_and_presence_bit() {
        // maxAttempts 5 and retryNonIdempotent given; baseDelayMs set but not given; one override.
        let numbers = [
            5.0, 7.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 503.0, 0.0,
        ];
        let options = RetryOptions::from_numbers(&numbers, 1 | 1 << 6, Some(Some(Jitter::None)))
            .expect("valid numbers");
        assert_eq!(
            options,
            RetryOptions {
                max_attempts: 5,
                retry_non_idempotent: true,
                jitter: Jitter::None,
                status_overrides: vec![StatusOverride {
                    status: 503,
                    retry: false
                }],
                ..RetryOptions::default()
            }
        );
    }

    #[test]
    fn durations_round_up_and_infinity_means_unbounded() {
        let spec = RetryOptionsSpec {
            base_delay_ms: Some(0.5),
            deadline_ms: Some(1.5),
            max_delay_ms: Some(f64::INFINITY),
            ..Default::default()
        };
        let options = RetryOptions::try_from(spec).expect("valid spec");
        assert_eq!(options.base_delay_ms, 1);
        assert_eq!(options.deadline_ms, Some(2));
        assert_eq!(options.max_delay_ms, MAX_WAIT_MS);
        let unbounded = RetryOptionsSpec {
            deadline_ms: Some(f64::INFINITY),
            ..Default::default()
        };
        assert_eq!(
            RetryOptions::try_from(unbounded).map(|o| o.deadline_ms),
            Ok(None)
        );
    }

    #[test]
    fn the_first_bad_option_is_named_in_the_order_checks_always_ran() {
        let rule = |status| StatusOverrideSpec {
            status,
            retry: true,
        };
        // Every override's range comes before `seed`; repeats come after `multiplier`.
        let spec = RetryOptionsSpec {
            status_overrides: Some(vec![rule(503.0), rule(503.0), rule(700.0)]),
            seed: Some(-1.0),
            ..Default::default()
        };
        assert_eq!(
            spec_error(spec).as_deref(),
            Some("Expected `statusOverrides[2].status` to be an error status from 400 to 599.")
        );
        let spec = RetryOptionsSpec {
            status_overrides: Some(vec![rule(503.0), rule(503.0)]),
            multiplier: Some(0.5),
            ..Default::default()
        };
        assert_eq!(
            spec_error(spec).as_deref(),
            Some("Expected `multiplier` to be a finite number of at least 1.")
        );
        let spec = RetryOptionsSpec {
            status_overrides: Some(vec![rule(503.0), rule(503.0)]),
            ..Default::default()
        };
        assert_eq!(
            spec_error(spec).as_deref(),
            Some("Expected `statusOverrides[1].status` to be a status not listed earlier.")
        );
        // The jitter sits between `maxAttempts` and `deadlineMs`.
        let spec = RetryOptionsSpec {
            jitter: Some("random".into()),
            deadline_ms: Some(-1.0),
            ..Default::default()
        };
        assert!(spec_error(spec).is_some_and(|message| message.contains("`jitter`")));
        let spec = RetryOptionsSpec {
            max_attempts: Some(0.0),
            jitter: Some("random".into()),
            ..Default::default()
        };
        assert!(spec_error(spec).is_some_and(|message| message.contains("`maxAttempts`")));
    }
}
