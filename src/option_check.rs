//! The readers that turn a JS number into a checked option value, naming the option when it is wrong.
//!
//! Options arrive from JavaScript as plain numbers (`f64`), so each concept (retry policy, budget,
//! breaker, client state) describes its numeric fields in a small table that [`read_numbers`]
//! walks; a wrong value is an [`InputError`] with the code `ERR_INVALID_OPTION`.
//!
//! The tables are public so that `examples/core_tables.rs` can write them for the npm package,
//! whose JavaScript runs the same checks before the numbers cross (see [`CHECKED_HERE`]).

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::InputError;
use crate::float::{ceil_to_u64, is_integer};
use crate::retry_after::MAX_WAIT_MS;
use crate::text::{join, push_decimal};

/// Whether the core checks the numbers and strings it is given. The npm package's wasm does not:
/// its JavaScript checks every option and profile rule first, with these same tables and
/// sentences (`tables.json`, written by `examples/core_tables.rs`; pkg-template/checks.js), so
/// the download carries the checks once. Natively (the Rust API, the tests) every check runs.
// NOTE: a constant rather than `cfg` on each check: the code stays one, and the package's
// optimiser removes the checks and their sentences (1.2 KB gzip of wasm for the options alone).
pub(crate) const CHECKED_HERE: bool = !cfg!(feature = "package");

/// The error for option `name` under `prefix` (empty for top-level options).
pub(crate) fn invalid(prefix: &str, name: &str, problem: &'static str) -> InputError {
    let option = if prefix.is_empty() {
        name.into()
    } else {
        join(&[prefix, ".", name])
    };
    InputError::option(option, problem)
}

/// The error for field `name` of item `index` of the list option `list`: `statusOverrides[2].status`.
pub(crate) fn invalid_item(
    list: &str,
    index: usize,
    name: &str,
    problem: &'static str,
) -> InputError {
    let mut option = String::with_capacity(list.len() + name.len() + 8);
    option.push_str(list);
    option.push('[');
    push_decimal(&mut option, index as u64);
    option.push_str("].");
    option.push_str(name);
    InputError::option(option, problem)
}

/// What a valid duration option is.
pub(crate) const MILLISECONDS: &str = "a number of milliseconds from 0 to 2^53 - 1";

/// What a valid duration option that may also be unbounded is.
pub(crate) const MILLISECONDS_OR_INFINITY: &str =
    "a number of milliseconds from 0 to 2^53 - 1, or Infinity";

/// Largest integer a JS number holds exactly, as a float.
pub(crate) const MAX_SAFE: f64 = MAX_WAIT_MS as f64;

/// How one numeric option is checked. NaN passes none of them.
#[derive(Clone, Copy, Debug)]
pub enum Check {
    /// An integer from the first bound to the second; kept as is.
    Integer(f64, f64),
    /// Milliseconds from 0 to 2^53 - 1, fractions rounded up; `Infinity` becomes the value given,
    /// if any, else is refused.
    Millis(Option<f64>),
    /// A number above `min` (or equal to it, unless `above`) and at most `max`; kept as is.
    Number {
        /// The lower bound.
        min: f64,
        /// Whether `min` itself is refused.
        above: bool,
        /// The upper bound, included.
        max: f64,
    },
    /// At most the value (checked or default) of the option in this slot. Unlike the others it
    /// applies to the default too: it relates two options, and either alone may break it.
    AtMost(u8),
}

impl Check {
    /// The value to keep for `value`, or `None` when it fails the check; `values` holds the values
    /// kept so far (or defaults), which `AtMost` compares with.
    pub fn apply(self, value: f64, values: &[f64]) -> Option<f64> {
        let valid = match self {
            Check::Integer(min, max) => is_integer(value) && value >= min && value <= max,
            Check::Millis(unbounded) if value == f64::INFINITY => return unbounded,
            // NOTE: finite, non-negative and at most 2^53 - 1 here, so the ceiling is exact.
            Check::Millis(_) => {
                return (0.0..=MAX_SAFE)
                    .contains(&value)
                    .then(|| ceil_to_u64(value) as f64)
            }
            Check::Number { min, above, max } => {
                (value > min || (!above && value == min)) && value <= max
            }
            Check::AtMost(slot) => values
                .get(usize::from(slot))
                .is_some_and(|bound| value <= *bound),
        };
        valid.then_some(value)
    }
}

/// One numeric option of a concept's table: where its value sits among the numbers JS passes, its
/// JS name, its check and what a valid value is (the end of the error sentence).
#[derive(Clone, Copy, Debug)]
pub struct NumberOption {
    /// Index of the value, and bit of the presence mask.
    pub slot: u8,
    /// The option's JS name, like `maxAttempts`.
    pub name: &'static str,
    /// How the value is checked and converted.
    pub check: Check,
    /// What a valid value is, like `an integer from 1 to 1000`.
    pub problem: &'static str,
}

/// One step of checking a concept's options, in the order users see errors in.
#[derive(Clone, Copy, Debug)]
pub enum CheckStep {
    /// Numeric options: errors name them under `prefix` (like `circuitBreaker`); their slots count
    /// from `at` among the numbers JavaScript passes.
    Numbers {
        /// The options' parent, empty for top-level options.
        prefix: &'static str,
        /// Where the table's slot 0 sits among the concept's numbers.
        at: u8,
        /// The checks.
        table: &'static [NumberOption],
    },
    /// The retry policy's `jitter`: one of the ids of [`crate::Jitter::ALL`].
    Jitter,
    /// Each status override's status: an error status (`statusOverrides[i].status`).
    StatusOverrides,
    /// No status listed by two overrides.
    RepeatedStatus,
}

/// Every option given: how the Rust API's typed options, which always have a value, are checked.
pub(crate) const ALL_GIVEN: u32 = u32::MAX;

/// Whether bit `slot` of `given` is set: the option in that slot was given.
pub(crate) fn is_given(given: u32, slot: usize) -> bool {
    given.checked_shr(slot as u32).unwrap_or(0) & 1 == 1
}

/// Replaces each default in `values` whose option was given (bit `slot` of `given`) with
/// `numbers[slot]`, unchecked.
#[inline(never)]
pub(crate) fn overlay_given(numbers: &[f64], given: u32, values: &mut [f64]) {
    for (slot, value) in values.iter_mut().enumerate() {
        if let Some(number) = numbers.get(slot).filter(|_| is_given(given, slot)) {
            *value = *number;
        }
    }
}

/// Reads one concept's options from the numbers JS passes: `values` holds the defaults, and each
/// `numbers[slot]` given (bit `slot` of `given`) replaces its default; then the checks of `table`
/// run (see [`check_numbers`]).
// NOTE: inlined, so that the package's wasm sees that it always succeeds there (`CHECKED_HERE`):
// behind a call its callers kept their error paths. With the concepts' `from_numbers` inlined for
// the same reason, -644 B gzip (measured); `overlay_given` is the call.
pub(crate) fn read_numbers(
    prefix: &str,
    table: &[NumberOption],
    numbers: &[f64],
    given: u32,
    values: &mut [f64],
) -> Result<(), InputError> {
    overlay_given(numbers, given, values);
    check_numbers(prefix, table, given, values)
}

/// Runs the checks of `table` in order, which is the order users see errors in, each on the current
/// value of its option in `values`, which it replaces with the value to keep; options not given
/// keep their defaults unchecked (except `AtMost`). The error names the first bad option under
/// `prefix`. An option may appear twice in `table` when a later check must wait for another
/// option's; a concept whose checks interleave with others (a string, a list) calls this once per
/// stretch after [`read_numbers`].
pub(crate) fn check_numbers(
    prefix: &str,
    table: &[NumberOption],
    given: u32,
    values: &mut [f64],
) -> Result<(), InputError> {
    // NOTE: tested here, before the call: see `read_numbers`.
    if !CHECKED_HERE {
        return Ok(());
    }
    check_each(prefix, table, given, values)
}

/// [`check_numbers`] when the core checks.
// NOTE: one loop over data rather than code per option: the option constructors were the largest
// functions of the wasm module when every option had its own inlined checks and error sentence.
#[inline(never)]
fn check_each(
    prefix: &str,
    table: &[NumberOption],
    given: u32,
    values: &mut [f64],
) -> Result<(), InputError> {
    for option in table {
        let slot = usize::from(option.slot);
        if !is_given(given, slot) && !matches!(option.check, Check::AtMost(_)) {
            continue;
        }
        let checked = values
            .get(slot)
            .and_then(|value| option.check.apply(*value, values))
            .ok_or_else(|| invalid(prefix, option.name, option.problem))?;
        if let Some(value) = values.get_mut(slot) {
            *value = checked;
        }
    }
    Ok(())
}

/// A spec's optional fields as the numbers and presence bits [`read_numbers`] reads, for the Rust
/// API, whose specs keep the shape of the JS objects.
pub(crate) fn pack(fields: &[Option<f64>]) -> (Vec<f64>, u32) {
    let mut given = 0;
    let numbers = (0..)
        .zip(fields)
        .map(|(slot, field)| {
            given |= u32::from(field.is_some()).checked_shl(slot).unwrap_or(0);
            field.unwrap_or(0.0)
        })
        .collect();
    (numbers, given)
}
