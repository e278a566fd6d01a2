//! The circuit breaker: stop retrying (or, opted in, sending) to an origin that keeps failing.
//!
//! Closed (normal) → open after `failure_threshold` consecutive failures, or when at least
//! `failure_ratio` of the last `window` outcomes failed (once `min_calls` outcomes are known).
//!
//! By default an open breaker only refuses *retries*: every caller's first attempt is still sent
//! and gets its own verdict (a 404 stays a 404), as in ky, got and the AWS SDK, which throttle
//! retries under trouble but never refuse a first attempt. Such an attempt is also the probe: its
//! success closes the breaker at once, its failure after `open_ms` opens it again.
//!
//! With `fail_fast` (opt-in, like Polly's and resilience4j's breakers) an open breaker refuses every
//! attempt unsent for `open_ms`; then half-open admits a single probe: its success closes the
//! breaker, its failure opens it again for another `open_ms`. A probe that never reports back (the
//! caller went away) frees the slot after `open_ms`, so a breaker cannot stay stuck half-open.
//!
//! Attempts carry their send time: an outcome of an attempt sent before the breaker last changed
//! state (a straggler, such as a timeout of a request queued before the breaker opened) says nothing
//! about the origin now and is ignored, so stragglers neither reopen a recovered origin nor close
//! an open one.
//!
//! Only the origin's health counts: 5xx (except 501 and 505, which are answers, not breakdowns),
//! network failures and timeouts are failures; any other response, 4xx included, is a success,
//! since the origin answered. Throttling, quota, 408 and cancellations count as neither. The
//! defaults are smaller than server-side breakers' (resilience4j's 50 % of 100 calls) because one
//! client sees far less traffic: 5 consecutive failures, or half of the last 20 with at least 10
//! known, and 10 s open, short enough for an interactive client to recover quickly, long enough to
//! give a struggling origin air. Outcomes are a 64-bit history, so a breaker is a few words.

use crate::classify::Verdict;
use crate::deadline::Deadline;
use crate::kind::{Family, Kind};
use serde::Deserialize;

use crate::error::InputError;
use crate::option_check::{
    check_numbers, pack, read_numbers, Check, NumberOption, ALL_GIVEN, MILLISECONDS,
};

/// Consecutive unreachable outcomes (network failures, timeouts) that open the breaker, whatever
/// `failure_threshold` says. An origin that answers 5xx is up and a retry often succeeds; one
/// that cannot be reached twice in a row is most likely down or drowning, and retrying it only
/// adds load (Envoy's outlier detection likewise counts gateway failures apart from 5xx). Chosen
/// with the simulator (README "Fleet safety"): against the former 5-in-a-row rule alone, spike
/// recovery 27.9 → 13.2 s and independent tabs' load in an outage 2.36 → 1.54, with success at
/// 5 % independent failures unchanged (99.62 %).
pub const UNREACHABLE_THRESHOLD: u32 = 2;

/// Longest outcome history a breaker keeps (one bit each).
pub const MAX_WINDOW: u32 = 64;

/// When a breaker opens and for how long.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BreakerOptions {
    /// Consecutive failures that open the breaker (default 5; 0 turns this rule off).
    pub failure_threshold: u32,
    /// Share of failures in the window that opens the breaker, in `(0, 1]` (default 0.5).
    pub failure_ratio: f64,
    /// Number of recent outcomes the ratio looks at, 1–64 (default 20).
    pub window: u32,
    /// Outcomes needed in the window before the ratio applies, 1–`window` (default 10).
    pub min_calls: u32,
    /// How long the breaker stays open before probing, in ms (default 10 000).
    pub open_ms: u64,
    /// Whether an open breaker refuses every attempt unsent (default `false`: only retries).
    pub fail_fast: bool,
}

impl Default for BreakerOptions {
    fn default() -> Self {
        Self {
            failure_threshold: 5,
            failure_ratio: 0.5,
            window: 20,
            min_calls: 10,
            open_ms: 10_000,
            fail_fast: false,
        }
    }
}

impl BreakerOptions {
    /// Checks the options; errors name the option under `prefix` (like `circuitBreaker`).
    // NOTE: through the table that checks the numbers JavaScript passes, so each range and its
    // sentence are written once.
    pub fn validate(&self, prefix: &str) -> Result<(), InputError> {
        check_numbers(prefix, &CHECKS, ALL_GIVEN, &mut self.as_numbers())
    }

    /// The options as the numbers JavaScript passes (`enabled` first, on).
    pub(crate) fn as_numbers(&self) -> [f64; 7] {
        [
            1.0,
            f64::from(self.failure_threshold),
            self.failure_ratio,
            f64::from(self.window),
            f64::from(self.min_calls),
            self.open_ms as f64,
            f64::from(self.fail_fast),
        ]
    }
}

/// What an outcome says about an origin's health.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Health {
    /// The origin answered.
    Success,
    /// The origin answered that it is failing: a 5xx.
    Failure,
    /// The origin could not be reached or did not answer in time: a network failure or a timeout.
    Unreachable,
    /// Says nothing about the origin: throttling, quota, 408, cancellation, unknown errors.
    Neutral,
}

impl Health {
    /// The health signal of a verdict.
    pub fn of(verdict: &Verdict) -> Health {
        match verdict.kind {
            Kind::NetworkError | Kind::Timeout => Health::Unreachable,
            Kind::NotImplemented | Kind::HttpVersionNotSupported => Health::Success,
            Kind::Aborted
            | Kind::ClientClosedRequest
            | Kind::UnknownError
            | Kind::Throttled
            | Kind::QuotaExceeded
            | Kind::RequestTimeout => Health::Neutral,
            _ if verdict.family() == Family::ServerError => Health::Failure,
            _ => Health::Success,
        }
    }
}

/// The phase of a breaker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BreakerState {
    /// Requests flow.
    Closed,
    /// Requests fail fast until the cool-down ends.
    Open,
    /// One probe may go through.
    HalfOpen,
}

impl BreakerState {
    /// Every state, in the order of their indices (the package's JavaScript names them by index).
    pub const ALL: [BreakerState; 3] = [
        BreakerState::Closed,
        BreakerState::Open,
        BreakerState::HalfOpen,
    ];

    /// Stable snake_case id, as JavaScript sees it.
    pub fn id(self) -> &'static str {
        match self {
            BreakerState::Closed => "closed",
            BreakerState::Open => "open",
            BreakerState::HalfOpen => "half_open",
        }
    }
}

/// One origin's circuit breaker. The options are passed in, so a breaker is only its state.
///
/// ```
/// use http_verdict::breaker::{BreakerOptions, BreakerState, CircuitBreaker, Health};
/// let options = BreakerOptions { failure_threshold: 2, fail_fast: true, ..Default::default() };
/// let mut breaker = CircuitBreaker::default();
/// breaker.record(&options, Health::Failure, 0, 0);
/// breaker.record(&options, Health::Failure, 0, 0);
/// assert_eq!(breaker.state(1_000), BreakerState::Open);
/// assert_eq!(breaker.admit(&options, 1_000), Err(9_000)); // fails fast, retry in 9 s
/// assert_eq!(breaker.admit(&options, 10_000), Ok(())); // the single probe
/// assert!(breaker.admit(&options, 10_001).is_err()); // no second probe
/// breaker.record(&options, Health::Success, 10_000, 10_050);
/// assert_eq!(breaker.state(10_050), BreakerState::Closed);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CircuitBreaker {
    /// Failures in a row while closed.
    consecutive_failures: u32,
    /// Of those, how many in a row were unreachable (network failures, timeouts).
    consecutive_unreachable: u32,
    /// Recent outcomes while closed, newest in bit 0: 1 = failure.
    history: u64,
    /// How many outcomes `history` holds (at most 64).
    calls: u32,
    /// While open or half-open: the cool-down.
    open: Option<Deadline>,
    /// While half-open: how long the probe in flight holds the single slot.
    probe: Option<Deadline>,
    /// When the breaker last opened or closed, epoch ms: outcomes of attempts sent before it are
    /// stragglers.
    changed_ms: u64,
}

impl CircuitBreaker {
    /// The phase at `now_ms`.
    pub fn state(&self, now_ms: u64) -> BreakerState {
        match self.open {
            None => BreakerState::Closed,
            Some(open) if open.remaining_ms(now_ms) > 0 => BreakerState::Open,
            Some(_) => BreakerState::HalfOpen,
        }
    }

    /// What is left of the cool-down at `now_ms`, in ms (0: not open).
    // NOTE: out of line, like `Deadline::remaining_ms`: -20 B gzip (measured).
    #[inline(never)]
    pub fn open_remaining_ms(&self, now_ms: u64) -> u64 {
        self.open.map_or(0, |open| open.remaining_ms(now_ms))
    }

    /// Opens the breaker for `open_ms` (at most `options.open_ms`) from `now_ms`, as another
    /// client's breaker for the origin is; a breaker already open longer stays as it is, and 0
    /// changes nothing.
    pub fn open_for(&mut self, options: &BreakerOptions, open_ms: u64, now_ms: u64) {
        let open_ms = open_ms.min(options.open_ms);
        if open_ms > self.open_remaining_ms(now_ms) {
            self.open(
                &BreakerOptions {
                    open_ms,
                    ..*options
                },
                now_ms,
            );
        }
    }

    /// Whether the breaker is closed with no failure on record: forgetting it would lose nothing.
    pub fn is_healthy(&self) -> bool {
        self.open.is_none() && self.history == 0
    }

    /// Whether an attempt may be sent now; `Err` holds the ms until the breaker may admit one.
    /// Half-open, the first caller becomes the probe and later ones are refused.
    pub fn admit(&mut self, options: &BreakerOptions, now_ms: u64) -> Result<(), u64> {
        match self.state(now_ms) {
            BreakerState::Closed => Ok(()),
            BreakerState::Open => Err(self.open.map_or(0, |open| open.remaining_ms(now_ms))),
            BreakerState::HalfOpen => {
                match self.probe.map_or(0, |probe| probe.remaining_ms(now_ms)) {
                    0 => {
                        self.probe = Some(Deadline::new(now_ms, options.open_ms));
                        Ok(())
                    }
                    probe_ms => Err(probe_ms),
                }
            }
        }
    }

    /// Records the outcome of an attempt sent at `sent_ms` and finished at `now_ms`.
    pub fn record(&mut self, options: &BreakerOptions, health: Health, sent_ms: u64, now_ms: u64) {
        // NOTE: only when the clock has not stepped back past the change: after a step back every
        // send time would look older than the change, and the breaker would ignore all news.
        if sent_ms < self.changed_ms && self.changed_ms <= now_ms {
            return;
        }
        match (self.state(now_ms), health) {
            (_, Health::Neutral) if self.open.is_none() => {}
            (BreakerState::Closed, health) => {
                let failed = health != Health::Success;
                self.history = self.history << 1 | u64::from(failed);
                self.calls = self.calls.saturating_add(1).min(MAX_WINDOW);
                let count =
                    |counter: u32, counts: bool| if counts { counter.saturating_add(1) } else { 0 };
                self.consecutive_failures = count(self.consecutive_failures, failed);
                self.consecutive_unreachable =
                    count(self.consecutive_unreachable, health == Health::Unreachable);
                if failed && self.should_open(options) {
                    self.open(options, now_ms);
                }
            }
            // Fail-fast, nothing but the probe is sent once open; a first attempt sent while open
            // (the default mode) that succeeds shows the origin answering again.
            (BreakerState::Open, Health::Success) if !options.fail_fast => self.close(now_ms),
            (BreakerState::Open, _) => {}
            (BreakerState::HalfOpen, Health::Success) => self.close(now_ms),
            (BreakerState::HalfOpen, Health::Neutral) => self.probe = None,
            // Fail-fast, only the probe's failure reopens it; with no probe admitted yet, a
            // failure is a straggler whose send time the caller did not know.
            (BreakerState::HalfOpen, _) if options.fail_fast && self.probe.is_none() => {}
            (BreakerState::HalfOpen, _) => self.open(options, now_ms),
        }
    }

    fn should_open(&self, options: &BreakerOptions) -> bool {
        let reached = |threshold: u32, count: u32| threshold > 0 && count >= threshold;
        if reached(options.failure_threshold, self.consecutive_failures)
            || reached(UNREACHABLE_THRESHOLD, self.consecutive_unreachable)
        {
            return true;
        }
        let window = options.window.clamp(1, MAX_WINDOW);
        let calls = self.calls.min(window);
        let mask = u64::MAX >> MAX_WINDOW.saturating_sub(window);
        let failures = (self.history & mask).count_ones();
        calls >= options.min_calls.max(1)
            && f64::from(failures) >= options.failure_ratio * f64::from(calls)
    }

    fn open(&mut self, options: &BreakerOptions, now_ms: u64) {
        *self = Self {
            open: Some(Deadline::new(now_ms, options.open_ms)),
            changed_ms: now_ms,
            ..Self::default()
        };
    }

    fn close(&mut self, now_ms: u64) {
        *self = Self {
            changed_ms: now_ms,
            ..Self::default()
        };
    }
}

/// Circuit breaker options as JavaScript writes them.
#[derive(Clone, Copy, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct BreakerSpec {
    /// `false` turns the breaker off (default `true`).
    pub enabled: Option<bool>,
    /// See [`BreakerOptions::failure_threshold`].
    pub failure_threshold: Option<f64>,
    /// See [`BreakerOptions::failure_ratio`].
    pub failure_ratio: Option<f64>,
    /// See [`BreakerOptions::window`].
    pub window: Option<f64>,
    /// See [`BreakerOptions::min_calls`].
    pub min_calls: Option<f64>,
    /// See [`BreakerOptions::open_ms`].
    pub open_ms: Option<f64>,
    /// See [`BreakerOptions::fail_fast`].
    pub fail_fast: Option<bool>,
}

impl TryFrom<BreakerSpec> for BreakerOptions {
    type Error = InputError;

    fn try_from(spec: BreakerSpec) -> Result<Self, InputError> {
        // NOTE: `enabled` is the client state's to apply (`ClientStateSpec`), so it is not passed
        // here and the options always come back.
        let (numbers, given) = pack(&[
            None,
            spec.failure_threshold,
            spec.failure_ratio,
            spec.window,
            spec.min_calls,
            spec.open_ms,
            spec.fail_fast.map(f64::from),
        ]);
        Ok(BreakerOptions::from_numbers(&numbers, given)?.unwrap_or_default())
    }
}

// Where each breaker option sits among the numbers JavaScript passes (pkg-template/policy.js,
// `BREAKER_NUMBERS`); slot 0 is `enabled`.
const FAILURE_THRESHOLD: u8 = 1;
const FAILURE_RATIO: u8 = 2;
const WINDOW: u8 = 3;
const MIN_CALLS: u8 = 4;
const OPEN_MS: u8 = 5;
// Slot 6 is `failFast`: like `enabled`, a flag that JavaScript has checked to be a boolean.

const MIN_CALLS_PROBLEM: &str = "an integer from 1 to the window size";

/// The checks in the order users see errors in: the ratio and `minCalls` against the window come
/// last, as they always have. That last check applies to the default `minCalls` too, so a window
/// below 10 alone is refused by naming `minCalls`.
/// The options' parent in JavaScript, which errors name (`circuitBreaker.window…`).
pub(crate) const OPTION_PREFIX: &str = "circuitBreaker";

pub(crate) const CHECKS: [NumberOption; 6] = [
    NumberOption {
        slot: FAILURE_THRESHOLD,
        name: "failureThreshold",
        check: Check::Integer(0.0, u32::MAX as f64),
        problem: "an integer from 0 to 2^32 - 1",
    },
    NumberOption {
        slot: WINDOW,
        name: "window",
        check: Check::Integer(1.0, MAX_WINDOW as f64),
        problem: "an integer from 1 to 64",
    },
    NumberOption {
        slot: MIN_CALLS,
        name: "minCalls",
        check: Check::Integer(1.0, MAX_WINDOW as f64),
        problem: MIN_CALLS_PROBLEM,
    },
    NumberOption {
        slot: OPEN_MS,
        name: "openMs",
        check: Check::Millis(None),
        problem: MILLISECONDS,
    },
    NumberOption {
        slot: FAILURE_RATIO,
        name: "failureRatio",
        check: Check::Number {
            min: 0.0,
            above: true,
            max: 1.0,
        },
        problem: "a number above 0 and at most 1",
    },
    NumberOption {
        slot: MIN_CALLS,
        name: "minCalls",
        check: Check::AtMost(WINDOW),
        problem: MIN_CALLS_PROBLEM,
    },
];

impl BreakerOptions {
    /// Breaker options as JavaScript passes them: `numbers` holds enabled (1 or 0),
    /// failureThreshold, failureRatio, window, minCalls, openMs and failFast (1 or 0), each given when its bit of
    /// `given` is set. `None` when `enabled` is 0; the other options are checked all the same, so a
    /// typo cannot hide behind it.
    // NOTE: inlined, so that the package's wasm sees it cannot fail there (see `read_numbers`).
    #[inline]
    pub(crate) fn from_numbers(numbers: &[f64], given: u32) -> Result<Option<Self>, InputError> {
        let mut values = BreakerOptions::default().as_numbers();
        read_numbers(OPTION_PREFIX, &CHECKS, numbers, given, &mut values)?;
        // NOTE: every value below passed its check, so each conversion is exact.
        let [enabled, failure_threshold, failure_ratio, window, min_calls, open_ms, fail_fast] =
            values;
        Ok((enabled != 0.0).then_some(BreakerOptions {
            failure_threshold: failure_threshold as u32,
            failure_ratio,
            window: window as u32,
            min_calls: min_calls as u32,
            open_ms: open_ms as u64,
            fail_fast: fail_fast != 0.0,
        }))
    }
}
