//! The error every option check returns, and the readers that turn a JS number into a checked value.
//!
//! Options arrive from JavaScript as plain numbers (`f64`), so each concept (retry policy, budget,
//! breaker, client state) reads its own fields with these helpers and names the field when a value is
//! wrong. Messages are assembled by concatenation rather than `format!`, so the wasm module carries no
//! formatting machinery for them.

use alloc::string::String;

use crate::float::{ceil_to_u64, is_integer};
use crate::retry_after::MAX_WAIT_MS;
use crate::text::{join, push_decimal};

/// An option that failed validation: its name (JS spelling, with a path inside lists) and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyError {
    /// The option, like `maxAttempts` or `statusOverrides[2].status`.
    pub option: String,
    /// What a valid value is, like `an integer from 1 to 1000`.
    pub problem: &'static str,
}

impl PolicyError {
    /// Stable code shared with the JavaScript errors.
    pub fn code(&self) -> &'static str {
        "ERR_INVALID_OPTION"
    }

    /// The sentence users see: ``Expected `maxAttempts` to be an integer from 1 to 1000.``
    pub fn message(&self) -> String {
        join(&["Expected `", &self.option, "` to be ", self.problem, "."])
    }
}

impl core::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for PolicyError {}

/// The error for option `name` under `prefix` (empty for top-level options).
pub(crate) fn invalid(prefix: &str, name: &str, problem: &'static str) -> PolicyError {
    let option = if prefix.is_empty() {
        name.into()
    } else {
        join(&[prefix, ".", name])
    };
    PolicyError { option, problem }
}

/// The error for field `name` of item `index` of the list option `list`: `statusOverrides[2].status`.
pub(crate) fn invalid_item(
    list: &str,
    index: usize,
    name: &str,
    problem: &'static str,
) -> PolicyError {
    let mut option = String::with_capacity(list.len() + name.len() + 8);
    option.push_str(list);
    option.push('[');
    push_decimal(&mut option, index as u64);
    option.push_str("].");
    option.push_str(name);
    PolicyError { option, problem }
}

/// What a valid duration option is.
pub(crate) const MILLISECONDS: &str = "a number of milliseconds from 0 to 2^53 - 1";

/// Largest integer a JS number holds exactly, as a float.
const MAX_SAFE: f64 = MAX_WAIT_MS as f64;

/// An integer in `min..=max` from a JS number.
pub(crate) fn integer(value: f64, min: u32, max: u32) -> Option<u32> {
    // NOTE: the range check makes the conversion exact.
    (is_integer(value) && value >= f64::from(min) && value <= f64::from(max))
        .then_some(value as u32)
}

/// An integer from 0 to 2^53 - 1 from a JS number.
pub(crate) fn safe_integer(value: f64) -> Option<u64> {
    // NOTE: the check makes the conversion exact.
    (is_integer(value) && (0.0..=MAX_SAFE).contains(&value)).then_some(value as u64)
}

/// Milliseconds from a JS number: fractions round up; `Infinity` is `unbounded` when allowed.
pub(crate) fn millis(value: f64, unbounded: Option<u64>) -> Option<u64> {
    if value == f64::INFINITY {
        return unbounded;
    }
    // NOTE: finite, non-negative and at most 2^53 - 1 here, so the conversion is exact.
    (0.0..=MAX_SAFE)
        .contains(&value)
        .then(|| ceil_to_u64(value))
}

/// Reads an optional duration option, naming it on error.
pub(crate) fn duration(
    prefix: &str,
    name: &str,
    value: Option<f64>,
    default: u64,
    unbounded: Option<u64>,
) -> Result<u64, PolicyError> {
    let problem = if unbounded.is_some() {
        "a number of milliseconds from 0 to 2^53 - 1, or Infinity"
    } else {
        MILLISECONDS
    };
    value.map_or(Ok(default), |value| {
        millis(value, unbounded).ok_or_else(|| invalid(prefix, name, problem))
    })
}

/// Reads an optional count option, naming it on error.
pub(crate) fn count(
    prefix: &str,
    name: &str,
    value: Option<f64>,
    default: u32,
    (min, max): (u32, u32),
    problem: &'static str,
) -> Result<u32, PolicyError> {
    value.map_or(Ok(default), |value| {
        integer(value, min, max).ok_or_else(|| invalid(prefix, name, problem))
    })
}
