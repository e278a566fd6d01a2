//! The client's own backoff: exponential growth, a per-wait cap and jitter.
//!
//! After attempt `n` fails, the un-jittered wait is `base · multiplier^(n−1)`, capped at the
//! per-wait maximum. Jitter then spreads clients apart, following Marc Brooker's "Exponential
//! Backoff And Jitter" (AWS Architecture Blog, 2015): `full` waits a uniform time up to that value
//! (the AWS SDKs' choice and the default here: it sheds load best), `equal` keeps at least half of
//! it, `decorrelated` draws between the base and three times the previous wait (so it ignores the
//! multiplier), `none` waits exactly that value. As in backon, a backoff is only data: it yields
//! waits and never sleeps. Randomness comes from a seed, addressed by attempt number
//! ([`crate::random`]), so the same seed always gives the same waits.

use alloc::vec::Vec;

use crate::float::powi;
use crate::random::SplitMix64;
use crate::retry_after::saturating_mul_by;

/// How waits are randomised.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Jitter {
    /// Uniform in `[0, ceiling]`: the AWS recommendation and the default.
    #[default]
    Full,
    /// Half the ceiling plus a uniform part of the other half.
    Equal,
    /// Uniform in `[base, 3 × previous wait]`, capped.
    Decorrelated,
    /// No randomness in own waits: exactly the ceiling (server waits keep their positive jitter).
    None,
}

impl Jitter {
    /// Every jitter, in declaration order.
    pub const ALL: &'static [Jitter] = &[
        Jitter::Full,
        Jitter::Equal,
        Jitter::Decorrelated,
        Jitter::None,
    ];

    /// Stable id, as the `jitter` option spells it.
    pub fn id(self) -> &'static str {
        match self {
            Jitter::Full => "full",
            Jitter::Equal => "equal",
            Jitter::Decorrelated => "decorrelated",
            Jitter::None => "none",
        }
    }

    /// The jitter with this id (exact, lower case).
    pub fn from_id(id: &str) -> Option<Jitter> {
        Jitter::ALL.iter().copied().find(|jitter| jitter.id() == id)
    }
}

/// Which random value of a decision a draw uses; each attempt has one of each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Draw {
    /// The client's own backoff.
    Backoff = 0,
    /// The positive jitter added to a server's wait.
    Hint = 1,
}

/// The random value in `[0, 1)` for a draw after `attempt`, from `seed` alone.
// NOTE: a call: its 64-bit constants were inlined into each of its three callers (-11 B gzip).
#[inline(never)]
pub(crate) fn unit(seed: u64, attempt: u32, draw: Draw) -> f64 {
    SplitMix64::nth_unit(seed, u64::from(attempt).saturating_mul(2) | draw as u64)
}

/// An exponential backoff with a cap and jitter. Fields are checked by [`crate::RetryPolicy`].
///
/// ```
/// use http_verdict::backoff::{Backoff, Jitter};
/// let backoff = Backoff { base_delay_ms: 300, multiplier: 2.0, max_delay_ms: 1_000, jitter: Jitter::None };
/// assert_eq!(backoff.plan(0, 5), vec![300, 600, 1_000, 1_000]);
/// let full = Backoff { jitter: Jitter::Full, ..backoff };
/// assert!(full.plan(42, 5).iter().zip(backoff.plan(0, 5)).all(|(wait, ceiling)| *wait <= ceiling));
/// assert_eq!(full.plan(42, 5), full.plan(42, 5));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backoff {
    /// The first wait before jitter, in ms.
    pub base_delay_ms: u64,
    /// Growth factor per attempt, at least 1.
    pub multiplier: f64,
    /// Cap on every wait, in ms.
    pub max_delay_ms: u64,
    /// How waits are randomised.
    pub jitter: Jitter,
}

impl Backoff {
    /// The wait after `attempt` (1-based) failed, before jitter: `base · multiplier^(attempt−1)`, capped.
    pub fn ceiling_ms(&self, attempt: u32) -> u64 {
        if self.base_delay_ms == 0 {
            return 0;
        }
        // NOTE: past 2^11 doublings every finite base is above any cap; powi saturates to infinity.
        let exponent = attempt.saturating_sub(1).min(2048);
        let ceiling = self.base_delay_ms as f64 * powi(self.multiplier, exponent);
        if ceiling < self.max_delay_ms as f64 {
            // NOTE: float-to-int `as` saturates and the value is below a u64 here.
            ceiling as u64
        } else {
            self.max_delay_ms
        }
    }

    /// The wait after `attempt` failed, given the previous wait (for decorrelated jitter; 0 when
    /// there was none) and a random `unit` in `[0, 1)`. Never above `max_delay_ms`.
    pub fn delay_ms(&self, attempt: u32, previous_delay_ms: u64, unit: f64) -> u64 {
        let unit = if (0.0..1.0).contains(&unit) {
            unit
        } else {
            0.0
        };
        // NOTE: above 2^53 the float product can round past `span`; `min` keeps the bound exact.
        let part = |span: u64| ((span as f64 * unit) as u64).min(span);
        match self.jitter {
            Jitter::None => self.ceiling_ms(attempt),
            Jitter::Full => part(self.ceiling_ms(attempt)),
            Jitter::Equal => {
                let ceiling = self.ceiling_ms(attempt);
                let half = ceiling / 2;
                half.saturating_add(part(ceiling.saturating_sub(half)))
            }
            Jitter::Decorrelated => {
                let low = self.base_delay_ms.min(self.max_delay_ms);
                let high =
                    saturating_mul_by::<3>(previous_delay_ms.max(low)).min(self.max_delay_ms);
                low.saturating_add(part(high.saturating_sub(low)))
            }
        }
    }

    /// The waits between `attempts` attempts (so `attempts − 1` of them) for `seed`: exactly the
    /// waits [`crate::RetryPolicy::decide`] picks when every attempt fails without a server hint.
    pub fn plan(&self, seed: u64, attempts: u32) -> Vec<u64> {
        let mut previous_delay_ms = 0;
        (1..attempts)
            .map(|attempt| {
                let unit = unit(seed, attempt, Draw::Backoff);
                previous_delay_ms = self.delay_ms(attempt, previous_delay_ms, unit);
                previous_delay_ms
            })
            .collect()
    }
}
