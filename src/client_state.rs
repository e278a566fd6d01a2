//! State shared by every request of one client, per origin: a retry budget, a circuit breaker, a
//! throttle gate and a quota lock.
//!
//! One request's failures say something about the requests that follow: a throttling 429 means
//! every request to that origin should wait for its `Retry-After`, else the policy's
//! `throttle_fallback_ms` (the throttle gate); a `quota_exceeded` means every request will fail
//! until the quota resets (the quota lock); repeated 5xx mean the origin is down (the breaker);
//! and a burst of retries to an origin means an outage in which retries only add load (the
//! budget; one per origin, so that one origin's outage leaves another's retries alone). [`crate::RetryPolicy::decide`] records every outcome here when given the state, so the
//! wrapper calls it for successes too; the wrapper asks [`ClientState::before_attempt`] (or
//! [`crate::RetryPolicy::admit`]) before each attempt. Time is always passed in. At most `max_origins` origins are tracked; when a new one arrives, the least
//! recently used idle origin (else the least recently used one) is forgotten.

use alloc::string::String;
use alloc::vec::Vec;

use crate::breaker::{BreakerOptions, BreakerSpec, BreakerState, CircuitBreaker, Health};
use crate::budget::{BudgetOptions, BudgetSpec, RetryBudget};
use crate::classify::Verdict;
use crate::deadline::Deadline;
use crate::decision::Reason;
use crate::kind::Kind;
use crate::pace::Pace;
use crate::shared::SharedFacts;
use serde::Deserialize;

use crate::error::InputError;
use crate::option_check::{
    check_numbers, pack, read_numbers, Check, CheckStep, NumberOption, ALL_GIVEN, MILLISECONDS,
};

/// Most origins a client state may be configured to track.
pub const MAX_ORIGINS_LIMIT: u32 = 4_096;

/// What the shared state holds and how it behaves.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClientStateOptions {
    /// The retry budget; `None` turns it off. Default on, with [`BudgetOptions::default`].
    pub retry_budget: Option<BudgetOptions>,
    /// The per-origin circuit breaker; `None` turns it off. Default on, with [`BreakerOptions::default`].
    pub circuit_breaker: Option<BreakerOptions>,
    /// How long a quota lock lasts when the server gives no reset time, in ms. Default 60 000: a
    /// burst of doomed requests fails fast, and the quota is tried again each minute.
    pub quota_lock_ms: u64,
    /// Most origins tracked at once, 1–4096. Default 64: plenty for one client, and lookups stay
    /// a short linear scan.
    pub max_origins: u32,
}

impl Default for ClientStateOptions {
    fn default() -> Self {
        Self {
            retry_budget: Some(BudgetOptions::default()),
            circuit_breaker: Some(BreakerOptions::default()),
            quota_lock_ms: 60_000,
            max_origins: 64,
        }
    }
}

impl ClientStateOptions {
    /// Checks every option; the error names the first bad one.
    pub fn validate(&self) -> Result<(), InputError> {
        if let Some(budget) = &self.retry_budget {
            budget.validate("retryBudget")?;
        }
        if let Some(breaker) = &self.circuit_breaker {
            breaker.validate("circuitBreaker")?;
        }
        // NOTE: the same table as the numbers JavaScript passes: each range is written once.
        let mut values = [self.quota_lock_ms as f64, f64::from(self.max_origins)];
        check_numbers("", &CHECKS, ALL_GIVEN, &mut values)
    }
}

/// The longest a `quota_exceeded` locks its origin, whatever the server says: one day.
pub const MAX_QUOTA_LOCK_MS: u64 = 24 * 60 * 60 * 1000;

/// Whether an attempt may be sent now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    /// Send it.
    Allowed,
    /// The origin's throttle gate is closed: wait this long, then ask again.
    Wait {
        /// The remaining wait, in ms.
        wait_ms: u64,
    },
    /// Do not send it: fail with this reason (`quota_exceeded`, `circuit_open`, or from
    /// [`crate::RetryPolicy::admit`] also `retry_after_too_long` or `deadline`).
    Rejected {
        /// Why.
        reason: Reason,
        /// When asking again may succeed, in ms from now, if known.
        retry_in_ms: Option<u64>,
    },
}

#[derive(Clone, Debug, PartialEq)]
struct OriginState {
    origin: String,
    /// Retries may only be a share of this origin's recent requests (`None`: budget off).
    budget: Option<RetryBudget>,
    breaker: CircuitBreaker,
    /// Requests to the origin wait for it (a 429 asked for it).
    gate: Deadline,
    /// After a throttle, sends to the origin go one per interval (see [`Pace`]).
    pace: Pace,
    /// Requests to the origin fail until it passes (its quota is exhausted).
    quota: Deadline,
    last_used_ms: u64,
}

impl OriginState {
    /// Whether forgetting this origin loses anything that still matters at `now_ms`.
    // NOTE: out of line: -8 B gzip (measured).
    #[inline(never)]
    fn is_active(&self, now_ms: u64) -> bool {
        self.gate.remaining_ms(now_ms) > 0
            || self.quota.remaining_ms(now_ms) > 0
            || !self.breaker.is_healthy()
    }
}

/// The state one client shares across its requests.
///
/// ```
/// use http_verdict::{classify, Admission, ClientState, HeaderBlock, Reason, ResponseParts, Outcome, RetryPolicy};
/// let mut state = ClientState::default();
/// let policy = RetryPolicy::default();
/// let response = ResponseParts { status: 429, headers: HeaderBlock::new("retry-after: 5"), body: None };
/// let outcome = Outcome { origin: "https://api.example", now_ms: 1_000, ..Outcome::new("GET", classify(&response, 1_000, None)) };
/// let decision = policy.decide(&outcome, Some(&mut state));
/// assert!(decision.retry && decision.delay_ms >= 5_000);
/// // Another request to the same origin now waits for the gate too.
/// assert_eq!(state.before_attempt("https://api.example", 2_000), Admission::Wait { wait_ms: 4_000 });
/// assert_eq!(state.before_attempt("https://other.example", 2_000), Admission::Allowed);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ClientState {
    options: ClientStateOptions,
    origins: Vec<OriginState>,
}

impl Default for ClientState {
    fn default() -> Self {
        Self::from_valid(ClientStateOptions::default())
    }
}

impl ClientState {
    /// Empty state with checked options.
    pub fn new(options: ClientStateOptions) -> Result<Self, InputError> {
        options.validate()?;
        Ok(Self::from_valid(options))
    }

    /// Empty state with options as JavaScript passes them (see
    /// [`ClientStateOptions::from_numbers`]).
    // NOTE: only the bindings pass numbers; Rust callers have `new`. The numbers are fully checked
    // as they are read, so `validate` would only repeat those checks.
    #[cfg(target_arch = "wasm32")]
    pub(crate) fn from_numbers(numbers: &[f64], given: u32) -> Result<Self, InputError> {
        ClientStateOptions::from_numbers(numbers, given).map(Self::from_valid)
    }

    fn from_valid(options: ClientStateOptions) -> Self {
        Self {
            options,
            origins: Vec::new(),
        }
    }

    /// The options this state was made with.
    pub fn options(&self) -> &ClientStateOptions {
        &self.options
    }

    /// Whether an attempt to `origin` may be sent at `now_ms`: refused while its quota is locked
    /// or (with a fail-fast breaker) its breaker is open, told to wait while its throttle gate is
    /// closed, else allowed (and, when a fail-fast breaker is half-open, admitted as its single
    /// probe). By default the breaker never refuses an attempt here: it only refuses retries.
    /// First attempts are never paced (see [`ClientState::before_retry`]).
    pub fn before_attempt(&mut self, origin: &str, now_ms: u64) -> Admission {
        self.admission(origin, now_ms, false)
    }

    /// [`ClientState::before_attempt`] for a retry: after a throttle, retries to the origin also
    /// wait for their slot in its pace (one per interval once the gate opens), so that a burst that
    /// was throttled is not sent again all at once.
    pub fn before_retry(&mut self, origin: &str, now_ms: u64) -> Admission {
        self.admission(origin, now_ms, true)
    }

    pub(crate) fn admission(&mut self, origin: &str, now_ms: u64, retry: bool) -> Admission {
        let breaker_options = self
            .options
            .circuit_breaker
            .filter(|options| options.fail_fast);
        let Some(entry) = self.origins.iter_mut().find(|entry| entry.origin == origin) else {
            return Admission::Allowed;
        };
        let quota_ms = entry.quota.remaining_ms(now_ms);
        if quota_ms > 0 {
            return Admission::Rejected {
                reason: Reason::QuotaExceeded,
                retry_in_ms: Some(quota_ms),
            };
        }
        if let Some(options) = &breaker_options {
            if entry.breaker.state(now_ms) == BreakerState::Open {
                return circuit_open(entry.breaker.admit(options, now_ms).err());
            }
        }
        let gate_ms = entry.gate.remaining_ms(now_ms);
        if gate_ms > 0 {
            return Admission::Wait { wait_ms: gate_ms };
        }
        let pace_ms = if retry { entry.pace.admit(now_ms) } else { 0 };
        if pace_ms > 0 {
            return Admission::Wait { wait_ms: pace_ms };
        }
        if let Some(options) = &breaker_options {
            if let Err(retry_in_ms) = entry.breaker.admit(options, now_ms) {
                return circuit_open(Some(retry_in_ms));
            }
        }
        Admission::Allowed
    }

    /// The breaker phase of `origin` at `now_ms` (closed when untracked or breakers are off).
    pub fn breaker_state(&self, origin: &str, now_ms: u64) -> BreakerState {
        match (self.options.circuit_breaker, self.entry(origin)) {
            (Some(_), Some(entry)) => entry.breaker.state(now_ms),
            _ => BreakerState::Closed,
        }
    }

    /// How long requests to `origin` must still wait for its throttle gate, in ms (0: open).
    pub fn throttle_wait_ms(&self, origin: &str, now_ms: u64) -> u64 {
        self.entry(origin)
            .map_or(0, |entry| entry.gate.remaining_ms(now_ms))
    }

    /// How long `origin`'s quota stays locked, in ms (0: not locked).
    pub fn quota_wait_ms(&self, origin: &str, now_ms: u64) -> u64 {
        self.entry(origin)
            .map_or(0, |entry| entry.quota.remaining_ms(now_ms))
    }

    /// How many retries `origin`'s budget allows at `now_ms` (an untracked origin has the whole
    /// floor); `None` when the budget is off.
    pub fn retries_available(&self, origin: &str, now_ms: u64) -> Option<u32> {
        let options = self.options.retry_budget?;
        Some(
            match self.entry(origin).and_then(|entry| entry.budget.as_ref()) {
                Some(budget) => budget.available(now_ms),
                None => RetryBudget::new(options).available(now_ms),
            },
        )
    }

    /// What this state knows about `origin` at `now_ms` that other clients' states should know too
    /// (see [`crate::shared`]); empty for an untracked origin.
    pub fn facts(&self, origin: &str, now_ms: u64) -> SharedFacts {
        self.entry(origin)
            .map_or(SharedFacts::default(), |entry| self.facts_of(entry, now_ms))
    }

    fn facts_of(&self, entry: &OriginState, now_ms: u64) -> SharedFacts {
        SharedFacts {
            gate_ms: entry.gate.remaining_ms(now_ms),
            quota_ms: entry.quota.remaining_ms(now_ms),
            open_ms: match self.options.circuit_breaker {
                Some(_) => entry.breaker.open_remaining_ms(now_ms),
                None => 0,
            },
        }
    }

    /// Merges what another client learned about `origin` at `now_ms` and returns what this state
    /// now knows of it: each wait is kept when it ends later than this state's own (capped at a
    /// day; a breaker's at its own `openMs`, and only when breakers are on). Nothing is ever
    /// shortened, and empty facts change nothing.
    pub fn learn(&mut self, origin: &str, told: SharedFacts, now_ms: u64) -> SharedFacts {
        let told = told.capped();
        if !told.is_empty() {
            let breaker_options = self.options.circuit_breaker;
            if let Some(entry) = self.entry_mut(origin, now_ms) {
                entry.gate.extend(now_ms, told.gate_ms);
                entry.quota.extend(now_ms, told.quota_ms);
                if let Some(options) = &breaker_options {
                    entry.breaker.open_for(options, told.open_ms, now_ms);
                }
            }
        }
        self.facts(origin, now_ms)
    }

    /// How many origins are tracked.
    pub fn tracked_origins(&self) -> usize {
        self.origins.len()
    }

    /// Forgets everything: budgets, breakers, gates and locks.
    pub fn clear(&mut self) {
        self.origins.clear();
    }

    /// Records the outcome of one attempt, sent at `sent_ms`: a new request for the budget (first
    /// attempts), the origin's health for its breaker, a quota lock (`quota_exceeded`), a throttle
    /// gate (`throttle_wait_ms`) and the origin's pace. Returns whether the attempt belongs to the
    /// burst that started the origin's pace (see [`Pace::started_after`]).
    pub(crate) fn record(
        &mut self,
        origin: &str,
        verdict: &Verdict,
        first_attempt: bool,
        throttle_wait_ms: Option<u64>,
        sent_ms: u64,
        now_ms: u64,
    ) -> bool {
        let breaker_options = self.options.circuit_breaker;
        let quota_lock_ms = self.options.quota_lock_ms;
        let Some(entry) = self.entry_mut(origin, now_ms) else {
            return false;
        };
        if first_attempt {
            if let Some(budget) = &mut entry.budget {
                budget.record_request(now_ms);
            }
        }
        if let Some(options) = &breaker_options {
            entry
                .breaker
                .record(options, Health::of(verdict), sent_ms, now_ms);
        }
        if verdict.kind == Kind::QuotaExceeded {
            // NOTE: capped, so that a hostile or mistaken reset cannot lock the origin for years;
            // after the cap one request reaches the server again and renews the lock if needed.
            let lock_ms = verdict
                .retry_after_ms
                .unwrap_or(quota_lock_ms)
                .min(MAX_QUOTA_LOCK_MS);
            entry.quota = Deadline::new(now_ms, lock_ms);
        }
        if let Some(wait_ms) = throttle_wait_ms {
            // The gate keeps the longer of its remaining wait and the new one; a throttle of a
            // request sent at the origin's pace slows the pace instead.
            let closes_gate = entry.pace.throttled(wait_ms, sent_ms, now_ms);
            if closes_gate {
                entry.gate.extend(now_ms, wait_ms);
            }
        } else if verdict.status.is_some()
            && !matches!(verdict.kind, Kind::Throttled | Kind::QuotaExceeded)
        {
            entry.pace.succeeded(sent_ms, now_ms);
        }
        entry.pace.started_after(sent_ms)
    }

    /// Spends one retry from `origin`'s budget; always true when the budget is off. A retry's
    /// decision spends its own; a hedge (a second copy of a slow request) spends one here, so that a
    /// slow server is never sent more than the budget allows.
    // NOTE: not inlined: a decision and a hedge both call it, one copy in the wasm.
    #[inline(never)]
    pub fn try_retry(&mut self, origin: &str, now_ms: u64) -> bool {
        self.entry_mut(origin, now_ms)
            .and_then(|entry| entry.budget.as_mut())
            .map_or(true, |budget| budget.try_retry(now_ms))
    }

    fn entry(&self, origin: &str) -> Option<&OriginState> {
        self.origins.iter().find(|entry| entry.origin == origin)
    }

    /// The entry of `origin`, created (evicting another if full) when missing.
    fn entry_mut(&mut self, origin: &str, now_ms: u64) -> Option<&mut OriginState> {
        let index = match self.origins.iter().position(|entry| entry.origin == origin) {
            Some(index) => index,
            None => {
                let fresh = OriginState {
                    origin: origin.into(),
                    budget: self.options.retry_budget.map(RetryBudget::new),
                    breaker: CircuitBreaker::default(),
                    gate: Deadline::default(),
                    pace: Pace::default(),
                    quota: Deadline::default(),
                    last_used_ms: now_ms,
                };
                let full = self.origins.len() >= self.options.max_origins as usize;
                match self.eviction_candidate(now_ms).filter(|_| full) {
                    Some(index) => {
                        *self.origins.get_mut(index)? = fresh;
                        index
                    }
                    None => {
                        self.origins.push(fresh);
                        self.origins.len().saturating_sub(1)
                    }
                }
            }
        };
        let entry = self.origins.get_mut(index)?;
        entry.last_used_ms = now_ms;
        Some(entry)
    }

    /// The least recently used idle origin, else the least recently used one.
    fn eviction_candidate(&self, now_ms: u64) -> Option<usize> {
        self.origins
            .iter()
            .enumerate()
            .min_by_key(|(_, entry)| (entry.is_active(now_ms), entry.last_used_ms))
            .map(|(index, _)| index)
    }
}

fn circuit_open(retry_in_ms: Option<u64>) -> Admission {
    Admission::Rejected {
        reason: Reason::CircuitOpen,
        retry_in_ms,
    }
}

/// Shared client state options as JavaScript writes them.
///
/// ```
/// use http_verdict::client_state::ClientStateOptions;
/// use http_verdict::options::{BreakerSpec, ClientStateSpec};
/// let spec = ClientStateSpec {
///     circuit_breaker: Some(BreakerSpec { enabled: Some(false), ..Default::default() }),
///     ..Default::default()
/// };
/// let options = ClientStateOptions::try_from(spec)?;
/// assert!(options.circuit_breaker.is_none() && options.retry_budget.is_some());
/// # Ok::<(), http_verdict::InputError>(())
/// ```
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct ClientStateSpec {
    /// The retry budget (see [`BudgetOptions`]).
    pub retry_budget: Option<BudgetSpec>,
    /// The per-origin circuit breaker (see [`BreakerOptions`]).
    pub circuit_breaker: Option<BreakerSpec>,
    /// See [`ClientStateOptions::quota_lock_ms`].
    pub quota_lock_ms: Option<f64>,
    /// See [`ClientStateOptions::max_origins`].
    pub max_origins: Option<f64>,
}

impl TryFrom<ClientStateSpec> for ClientStateOptions {
    type Error = InputError;

    fn try_from(spec: ClientStateSpec) -> Result<Self, InputError> {
        let budget = spec.retry_budget.unwrap_or_default();
        let breaker = spec.circuit_breaker.unwrap_or_default();
        let flag = |enabled: Option<bool>| enabled.map(f64::from);
        let (numbers, given) = pack(&[
            flag(budget.enabled),
            budget.ratio,
            budget.min_retries,
            budget.window_ms,
            flag(breaker.enabled),
            breaker.failure_threshold,
            breaker.failure_ratio,
            breaker.window,
            breaker.min_calls,
            breaker.open_ms,
            flag(breaker.fail_fast),
            spec.quota_lock_ms,
            spec.max_origins,
        ]);
        ClientStateOptions::from_numbers(&numbers, given)
    }
}

// Where each part's numbers start among those JavaScript passes (`create`; pkg-template/
// policy.js packs them in this order): the budget's, the breaker's, then the state's own two.
const BUDGET_AT: usize = 0;
const BREAKER_AT: usize = 4;
const OWN_AT: usize = 11;

/// The state's own checks, in the order users see errors in (after the budget's and the breaker's).
pub(crate) const CHECKS: [NumberOption; 2] = [
    NumberOption {
        slot: 0,
        name: "quotaLockMs",
        check: Check::Millis(None),
        problem: MILLISECONDS,
    },
    NumberOption {
        slot: 1,
        name: "maxOrigins",
        check: Check::Integer(1.0, MAX_ORIGINS_LIMIT as f64),
        problem: "an integer from 1 to 4096",
    },
];

/// The client state's checks in the order users see errors in (the order `from_numbers` runs them).
pub const STATE_CHECKS: [CheckStep; 3] = [
    CheckStep::Numbers {
        prefix: crate::budget::OPTION_PREFIX,
        at: BUDGET_AT as u8,
        table: &crate::budget::CHECKS,
    },
    CheckStep::Numbers {
        prefix: crate::breaker::OPTION_PREFIX,
        at: BREAKER_AT as u8,
        table: &crate::breaker::CHECKS,
    },
    CheckStep::Numbers {
        prefix: "",
        at: OWN_AT as u8,
        table: &CHECKS,
    },
];

/// The client state's defaults as the numbers JavaScript passes, in slot order (see
/// [`ClientStateOptions::from_numbers`]).
pub fn state_defaults() -> [f64; 13] {
    let defaults = ClientStateOptions::default();
    let mut numbers = [0.0; 13];
    let parts = BudgetOptions::default()
        .as_numbers()
        .into_iter()
        .chain(BreakerOptions::default().as_numbers())
        .chain([
            defaults.quota_lock_ms as f64,
            f64::from(defaults.max_origins),
        ]);
    for (number, value) in numbers.iter_mut().zip(parts) {
        *number = value;
    }
    numbers
}

impl ClientStateOptions {
    /// Client state options as JavaScript passes them: the budget's four numbers (see
    /// [`BudgetOptions`]), the breaker's seven (see [`BreakerOptions`]), then quotaLockMs and
    /// maxOrigins, each given when its bit of `given` is set. A part given as `{}` and a part not
    /// given at all mean the same: on, with its defaults.
    // NOTE: inlined, so that the package's wasm sees it cannot fail there (see `read_numbers`).
    #[inline]
    pub(crate) fn from_numbers(numbers: &[f64], given: u32) -> Result<Self, InputError> {
        let part = |at: usize| numbers.get(at..).unwrap_or_default();
        let retry_budget = BudgetOptions::from_numbers(part(BUDGET_AT), given >> BUDGET_AT)?;
        let circuit_breaker = BreakerOptions::from_numbers(part(BREAKER_AT), given >> BREAKER_AT)?;
        let defaults = ClientStateOptions::default();
        let mut values = [
            defaults.quota_lock_ms as f64,
            f64::from(defaults.max_origins),
        ];
        read_numbers("", &CHECKS, part(OWN_AT), given >> OWN_AT, &mut values)?;
        // NOTE: both values passed their checks, so the conversions are exact.
        let [quota_lock_ms, max_origins] = values;
        Ok(ClientStateOptions {
            retry_budget,
            circuit_breaker,
            quota_lock_ms: quota_lock_ms as u64,
            max_origins: max_origins as u32,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(spec: ClientStateSpec) -> Option<String> {
        ClientStateOptions::try_from(spec)
            .err()
            .map(|error| error.message())
    }

    fn budget(budget: BudgetSpec) -> ClientStateSpec {
        ClientStateSpec {
            retry_budget: Some(budget),
            ..Default::default()
        }
    }

    #[test]
    fn numbers_are_read_part_by_part() {
        // Budget off, breaker window 8 with minCalls 4, maxOrigins 16; quotaLockMs set, not given.
        let numbers = [
            0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 8.0, 4.0, 0.0, 0.0, 5.0, 16.0,
        ];
        let given = 1 | 1 << 7 | 1 << 8 | 1 << 12;
        let options = ClientStateOptions::from_numbers(&numbers, given).expect("valid numbers");
        assert_eq!(
            options,
            ClientStateOptions {
                retry_budget: None,
                circuit_breaker: Some(BreakerOptions {
                    window: 8,
                    min_calls: 4,
                    ..BreakerOptions::default()
                }),
                max_origins: 16,
                ..ClientStateOptions::default()
            }
        );
    }

    #[test]
    fn the_first_bad_option_is_named_in_the_order_checks_always_ran() {
        // A window of 0 ms (after rounding) is refused after the ratio, a negative one before it.
        let spec = budget(BudgetSpec {
            ratio: Some(2.0),
            window_ms: Some(0.0),
            ..Default::default()
        });
        assert!(error(spec).is_some_and(|message| message.contains("`retryBudget.ratio`")));
        let spec = budget(BudgetSpec {
            ratio: Some(2.0),
            window_ms: Some(-1.0),
            ..Default::default()
        });
        let message = error(spec).unwrap_or_default();
        assert!(message.contains("`retryBudget.windowMs`") && message.contains("from 0 to"));
        let spec = budget(BudgetSpec {
            window_ms: Some(0.0),
            ..Default::default()
        });
        let message = error(spec).unwrap_or_default();
        assert!(message.contains("`retryBudget.windowMs`") && message.contains("from 1 to"));
        // A window below the default `minCalls` names `minCalls`, after the ratio.
        let breaker = |breaker: BreakerSpec| ClientStateSpec {
            circuit_breaker: Some(breaker),
            ..Default::default()
        };
        let spec = breaker(BreakerSpec {
            window: Some(5.0),
            ..Default::default()
        });
        assert_eq!(
            error(spec).as_deref(),
            Some("Expected `circuitBreaker.minCalls` to be an integer from 1 to the window size.")
        );
        let spec = breaker(BreakerSpec {
            window: Some(5.0),
            failure_ratio: Some(0.0),
            ..Default::default()
        });
        assert!(
            error(spec).is_some_and(|message| message.contains("`circuitBreaker.failureRatio`"))
        );
        // Every part comes before the state's own options.
        let spec = ClientStateSpec {
            max_origins: Some(0.0),
            ..breaker(BreakerSpec {
                open_ms: Some(f64::NAN),
                ..Default::default()
            })
        };
        assert!(error(spec).is_some_and(|message| message.contains("`circuitBreaker.openMs`")));
    }
}
