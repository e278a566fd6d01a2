//! A wait that survives the wall clock stepping back: the throttle gate's, the quota lock's and the
//! breaker's cool-down all end at an instant and are capped by the length they were learned with.

use crate::retry_after::MAX_WAIT_MS;

/// A wait that ends at `until_ms`, with the length it was learned with.
///
/// Wall clocks step back (an NTP correction, a machine waking up, a user fixing the date), so the
/// remaining wait is capped by that length: a clock an hour behind must not hold requests an hour
/// longer than the server or the options asked, and no wait exceeds [`MAX_WAIT_MS`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Deadline {
    until_ms: u64,
    length_ms: u64,
}

impl Deadline {
    /// A wait of `length_ms` (at most [`MAX_WAIT_MS`]) from `now_ms`.
    pub(crate) fn new(now_ms: u64, length_ms: u64) -> Self {
        let length_ms = length_ms.min(MAX_WAIT_MS);
        Self {
            until_ms: now_ms.saturating_add(length_ms),
            length_ms,
        }
    }

    /// Waits `length_ms` from `now_ms` instead when that ends later than what is left.
    // NOTE: a call, for the same reason as `remaining_ms` (-17 B gzip).
    #[inline(never)]
    pub(crate) fn extend(&mut self, now_ms: u64, length_ms: u64) {
        if length_ms > self.remaining_ms(now_ms) {
            *self = Self::new(now_ms, length_ms);
        }
    }

    /// What is left of the wait at `now_ms`, in ms (0: over).
    // NOTE: a call, not a copy in each of its seventeen callers across the state's exports: -146 B
    // gzip.
    #[inline(never)]
    pub(crate) fn remaining_ms(&self, now_ms: u64) -> u64 {
        self.until_ms.saturating_sub(now_ms).min(self.length_ms)
    }
}
