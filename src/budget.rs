//! The retry budget: retries may only be a small share of a client's recent traffic.
//!
//! Per-request retry limits do not stop a fleet from multiplying load in an outage: with three
//! attempts each, every client triples its traffic exactly when the server can least take it. A
//! budget caps retries across the whole client instead, as Finagle's `RetryBudget` and gRPC's
//! retry throttling do. The model: over a sliding window (default 10 s, kept as ten one-second
//! slots), retries are allowed while `retries < min_retries + ratio × requests`, where `requests`
//! counts first attempts only. The ratio (default 0.2, Finagle's) bounds the extra load to 20 %;
//! the floor (default 10 per window, so one per second on average) lets a quiet client retry a lone
//! failure. Time is injected, so the budget is deterministic; a clock that steps back only makes
//! older slots count a little longer.

use serde::Deserialize;

use crate::error::InputError;
use crate::option_check::{
    check_numbers, pack, read_numbers, Check, NumberOption, ALL_GIVEN, MAX_SAFE, MILLISECONDS,
};

/// Number of slots the window is kept in: the budget forgets traffic a slot at a time.
const SLOTS: usize = 10;

/// How large the retry budget is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BudgetOptions {
    /// Retries allowed per first attempt in the window (default 0.2: Finagle's 20 %).
    pub ratio: f64,
    /// Retries always allowed per window, however quiet the client (default 10).
    pub min_retries: u32,
    /// Length of the sliding window in ms (default 10 000, Finagle's).
    pub window_ms: u64,
}

impl Default for BudgetOptions {
    fn default() -> Self {
        Self {
            ratio: 0.2,
            min_retries: 10,
            window_ms: 10_000,
        }
    }
}

impl BudgetOptions {
    /// Checks the options; errors name the option under `prefix` (like `retryBudget`).
    // NOTE: through the table that checks the numbers JavaScript passes, so each range and its
    // sentence are written once.
    pub fn validate(&self, prefix: &str) -> Result<(), InputError> {
        check_numbers(prefix, &CHECKS, ALL_GIVEN, &mut self.as_numbers())
    }

    /// The options as the numbers JavaScript passes (`enabled` first, on).
    pub(crate) fn as_numbers(&self) -> [f64; 4] {
        [
            1.0,
            self.ratio,
            f64::from(self.min_retries),
            self.window_ms as f64,
        ]
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Slot {
    /// Which slot of time this is, plus one (0: never used).
    epoch: u64,
    requests: u32,
    retries: u32,
}

/// A retry budget over a sliding window.
///
/// ```
/// use http_verdict::budget::{BudgetOptions, RetryBudget};
/// let mut budget = RetryBudget::new(BudgetOptions { ratio: 0.5, min_retries: 1, window_ms: 10_000 });
/// for _ in 0..4 {
///     budget.record_request(0);
/// }
/// assert_eq!(budget.available(0), 3); // 1 + 0.5 × 4
/// assert!(budget.try_retry(0) && budget.try_retry(0) && budget.try_retry(0));
/// assert!(!budget.try_retry(0));
/// assert_eq!(budget.available(10_000), 1); // the window moved on: only the floor is left
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RetryBudget {
    options: BudgetOptions,
    slots: [Slot; SLOTS],
}

impl RetryBudget {
    /// An empty budget (validate the options first with [`BudgetOptions::validate`]).
    pub fn new(options: BudgetOptions) -> Self {
        Self {
            options,
            slots: [Slot::default(); SLOTS],
        }
    }

    /// The options this budget was made with.
    pub fn options(&self) -> &BudgetOptions {
        &self.options
    }

    /// Counts a new request (its first attempt).
    pub fn record_request(&mut self, now_ms: u64) {
        if let Some(slot) = self.slot_mut(now_ms) {
            slot.requests = slot.requests.saturating_add(1);
        }
    }

    /// How many retries the budget allows right now.
    pub fn available(&self, now_ms: u64) -> u32 {
        let current = self.epoch(now_ms);
        let (requests, retries) = self
            .slots
            .iter()
            .filter(|slot| {
                slot.epoch != 0
                    && slot.epoch <= current
                    && current.saturating_sub(slot.epoch) < SLOTS as u64
            })
            .fold((0u32, 0u32), |(requests, retries), slot| {
                (
                    requests.saturating_add(slot.requests),
                    retries.saturating_add(slot.retries),
                )
            });
        let allowed =
            f64::from(self.options.min_retries) + self.options.ratio * f64::from(requests);
        // NOTE: float-to-int `as` saturates, so a huge ratio cannot wrap.
        (allowed as u32).saturating_sub(retries)
    }

    /// Spends one retry if the budget allows it; returns whether it did.
    pub fn try_retry(&mut self, now_ms: u64) -> bool {
        if self.available(now_ms) == 0 {
            return false;
        }
        if let Some(slot) = self.slot_mut(now_ms) {
            slot.retries = slot.retries.saturating_add(1);
        }
        true
    }

    /// Forgets all traffic.
    pub fn clear(&mut self) {
        self.slots = [Slot::default(); SLOTS];
    }

    fn epoch(&self, now_ms: u64) -> u64 {
        let slot_ms = (self.options.window_ms / SLOTS as u64).max(1);
        (now_ms / slot_ms).saturating_add(1)
    }

    /// The slot for `now_ms`, emptied first if it last held an older (or newer) stretch of time.
    fn slot_mut(&mut self, now_ms: u64) -> Option<&mut Slot> {
        let epoch = self.epoch(now_ms);
        let slot = self.slots.get_mut((epoch % SLOTS as u64) as usize)?;
        if slot.epoch != epoch {
            *slot = Slot {
                epoch,
                ..Slot::default()
            };
        }
        Some(slot)
    }
}

/// Retry budget options as JavaScript writes them.
#[derive(Clone, Copy, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct BudgetSpec {
    /// `false` turns the budget off (default `true`).
    pub enabled: Option<bool>,
    /// See [`BudgetOptions::ratio`].
    pub ratio: Option<f64>,
    /// See [`BudgetOptions::min_retries`].
    pub min_retries: Option<f64>,
    /// See [`BudgetOptions::window_ms`].
    pub window_ms: Option<f64>,
}

impl TryFrom<BudgetSpec> for BudgetOptions {
    type Error = InputError;

    fn try_from(spec: BudgetSpec) -> Result<Self, InputError> {
        // NOTE: `enabled` is the client state's to apply (`ClientStateSpec`), so it is not passed
        // here and the options always come back.
        let (numbers, given) = pack(&[None, spec.ratio, spec.min_retries, spec.window_ms]);
        Ok(BudgetOptions::from_numbers(&numbers, given)?.unwrap_or_default())
    }
}

// Where each budget option sits among the numbers JavaScript passes (pkg-template/policy.js,
// `BUDGET_NUMBERS`); slot 0 is `enabled`.
const RATIO: u8 = 1;
const MIN_RETRIES: u8 = 2;
const WINDOW_MS: u8 = 3;

/// The checks in the order users see errors in: the window's lower bound of 1 ms comes after the
/// ratio, as it always has (the window is first read as any duration, then the ratio is checked).
/// The options' parent in JavaScript, which errors name (`retryBudget.window…`).
pub(crate) const OPTION_PREFIX: &str = "retryBudget";

pub(crate) const CHECKS: [NumberOption; 4] = [
    NumberOption {
        slot: MIN_RETRIES,
        name: "minRetries",
        check: Check::Integer(0.0, u32::MAX as f64),
        problem: "an integer from 0 to 2^32 - 1",
    },
    NumberOption {
        slot: WINDOW_MS,
        name: "windowMs",
        check: Check::Millis(None),
        problem: MILLISECONDS,
    },
    NumberOption {
        slot: RATIO,
        name: "ratio",
        // NOTE: above 1 a "budget" would allow more retries than requests: no protection at all.
        check: Check::Number {
            min: 0.0,
            above: false,
            max: 1.0,
        },
        problem: "a number from 0 to 1",
    },
    NumberOption {
        slot: WINDOW_MS,
        name: "windowMs",
        check: Check::Integer(1.0, MAX_SAFE),
        problem: "a number of milliseconds from 1 to 2^53 - 1",
    },
];

impl BudgetOptions {
    /// Budget options as JavaScript passes them: `numbers` holds enabled (1 or 0), ratio,
    /// minRetries and windowMs, each given when its bit of `given` is set. `None` when `enabled`
    /// is 0; the other options are checked all the same, so a typo cannot hide behind it.
    pub(crate) fn from_numbers(numbers: &[f64], given: u32) -> Result<Option<Self>, InputError> {
        let mut values = BudgetOptions::default().as_numbers();
        read_numbers(OPTION_PREFIX, &CHECKS, numbers, given, &mut values)?;
        // NOTE: every value below passed its check, so each conversion is exact.
        let [enabled, ratio, min_retries, window_ms] = values;
        Ok((enabled != 0.0).then_some(BudgetOptions {
            ratio,
            min_retries: min_retries as u32,
            window_ms: window_ms as u64,
        }))
    }
}
