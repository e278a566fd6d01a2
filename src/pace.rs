//! The pace of an origin that throttled: after its wait, retries go one per interval instead of all
//! at once.
//!
//! A throttling answer says the origin's rate is spent. Holding every request until the wait ends
//! and then sending them together only repeats the burst: a limiter that serves 5 requests a second
//! takes one of them and throttles the rest again (nginx's `limit_req` answers every refusal with the
//! same `Retry-After`). So the first throttle starts a pace, the way the AWS SDK's adaptive mode
//! meters its sends: once the throttle gate opens, one retry is admitted per interval. First
//! attempts are not held by it: they are new work, and the gate already holds them while the origin
//! asks for a wait.
//!
//! The interval starts at the average gap between the origin's recent successes (the rate it was
//! serving this client), at most a quarter of the wait. A throttle of a retry sent at this pace
//! slows it by a quarter (never beyond the wait the server asked for); each success sent at this
//! pace (first attempts' too: the origin's own traffic ends its pace) speeds it up by a sixty-fourth,
//! and below [`MIN_INTERVAL_MS`] the pace ends. Slow to speed up, quick to slow down: 30 concurrent
//! GETs through nginx's `limit_req` at 5 requests a second are all delivered, in about 7.7 s and
//! 60 requests (README "Bursts against a rate limiter"). Throttles of requests sent before the pace
//! last slowed (the rest of the burst that started it) say nothing about the pace.

use crate::deadline::Deadline;

/// Below this interval an origin is no longer paced: sends that close together are not a burst.
const MIN_INTERVAL_MS: u64 = 10;

/// Gaps between successes count up to this much: an idle minute says nothing about the rate.
const MAX_GAP_MS: u64 = 1_000;

/// A throttle asking for a shorter wait (none, or a date already past) neither starts nor slows a
/// pace: it gives the pace no scale, and a pace at its floor only bunches retries (the simulator's `hostile-hints`, whose
/// past `Retry-After` dates did that, never recovered at a quarter scale).
const MIN_PACED_WAIT_MS: u64 = 100;

/// How sends to one origin are spaced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Pace {
    /// Time between two sends in ms; 0 when the origin is not paced.
    interval_ms: u64,
    /// When the next send may go.
    next: Deadline,
    /// When the pace started or last slowed: throttles of requests sent no later than this (clocks
    /// tick in whole milliseconds, and a loopback reply can arrive in the millisecond it was sent)
    /// are stragglers.
    changed_ms: u64,
    /// When the pace started: the requests sent before it are the burst that started it.
    started_ms: u64,
    /// When the last success arrived (0: none yet).
    success_ms: u64,
    /// The average gap between successes in ms (0: not known yet), a moving average of 1/8.
    gap_ms: u64,
}

impl Pace {
    /// Whether sends to the origin are paced.
    pub(crate) fn is_on(&self) -> bool {
        self.interval_ms > 0
    }

    /// How long a send must wait at `now_ms` for its slot, in ms; 0 admits it and takes the slot.
    pub(crate) fn admit(&mut self, now_ms: u64) -> u64 {
        if !self.is_on() {
            return 0;
        }
        let wait_ms = self.next.remaining_ms(now_ms);
        if wait_ms == 0 {
            self.next = Deadline::new(now_ms, self.interval_ms);
        }
        wait_ms
    }

    /// A throttle asking for `wait_ms`, of a request sent at `sent_ms`. Returns whether every
    /// request must now wait for it (the throttle gate): not when it only slowed the pace.
    pub(crate) fn throttled(&mut self, wait_ms: u64, sent_ms: u64, now_ms: u64) -> bool {
        if wait_ms < MIN_PACED_WAIT_MS {
            return true;
        }
        if !self.is_on() {
            // The rate the origin was serving this client, if known, else a quarter of the wait.
            let start_ms = match self.gap_ms {
                0 => wait_ms / 4,
                gap_ms => gap_ms.min(wait_ms / 4),
            };
            self.interval_ms = start_ms.max(MIN_INTERVAL_MS);
            self.changed_ms = now_ms;
            self.started_ms = now_ms;
            return true;
        }
        if sent_ms <= self.changed_ms {
            return true;
        }
        let slower_ms = self.interval_ms.saturating_add(self.interval_ms / 4);
        self.interval_ms = slower_ms.min(wait_ms.max(MIN_INTERVAL_MS));
        self.next = Deadline::new(now_ms, self.interval_ms);
        self.changed_ms = now_ms;
        false
    }

    /// Whether a request sent at `sent_ms` belongs to the burst that started the pace (sent no later
    /// than its first throttle came back): its retry is the one the pace exists for.
    pub(crate) fn started_after(&self, sent_ms: u64) -> bool {
        self.is_on() && sent_ms <= self.started_ms
    }

    /// A success of a request sent at `sent_ms`: a pace speeds up a little (ending below
    /// [`MIN_INTERVAL_MS`]).
    pub(crate) fn succeeded(&mut self, sent_ms: u64, now_ms: u64) {
        if self.success_ms > 0 {
            let gap_ms = now_ms.saturating_sub(self.success_ms).min(MAX_GAP_MS);
            self.gap_ms = match self.gap_ms {
                0 => gap_ms,
                average_ms => (average_ms * 7 + gap_ms) / 8,
            };
        }
        self.success_ms = now_ms;
        if self.is_on() && sent_ms > self.changed_ms {
            self.interval_ms -= (self.interval_ms / 64).max(1);
            if self.interval_ms < MIN_INTERVAL_MS {
                self.interval_ms = 0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_throttle_paces_retries_at_a_quarter_of_its_wait() {
        let mut pace = Pace::default();
        assert_eq!(pace.admit(0), 0, "not paced");
        assert!(
            pace.throttled(1_000, 0, 10),
            "the first throttle closes the gate"
        );
        // After the gate: one send per 250 ms.
        assert_eq!(pace.admit(1_000), 0);
        assert_eq!(pace.admit(1_000), 250);
        assert_eq!(pace.admit(1_200), 50);
        assert_eq!(pace.admit(1_250), 0);
        assert_eq!(pace.admit(1_251), 249);
    }

    #[test]
    fn stragglers_close_the_gate_and_a_paced_throttle_slows_by_a_quarter() {
        let mut pace = Pace::default();
        pace.throttled(1_000, 0, 10);
        assert!(
            pace.throttled(1_000, 5, 20),
            "sent before the pace: the gate"
        );
        assert_eq!(pace.interval_ms, 250);
        assert!(
            !pace.throttled(1_000, 1_010, 1_020),
            "sent at the pace: slower"
        );
        assert_eq!(pace.interval_ms, 312);
        assert_eq!(pace.admit(1_020), 312, "the next slot is an interval away");
        for now_ms in 1_100..1_120 {
            pace.throttled(1_000, now_ms, now_ms);
        }
        assert_eq!(pace.interval_ms, 1_000, "never slower than the wait asked");
    }

    #[test]
    fn successes_speed_the_pace_up_until_it_ends() {
        let mut pace = Pace::default();
        pace.throttled(800, 0, 0);
        assert_eq!(pace.interval_ms, 200);
        pace.succeeded(1, 5);
        assert_eq!(pace.interval_ms, 197, "sent at the pace");
        let mut now_ms = 10;
        while pace.is_on() {
            pace.succeeded(now_ms, now_ms);
            now_ms += 1;
        }
        // 200 ms to under 10 ms by a sixty-fourth a success: about 190 successes.
        assert!((150..250).contains(&(now_ms - 10)), "{now_ms}");
        assert_eq!(pace.admit(now_ms), 0);
    }

    #[test]
    fn a_busy_origin_is_paced_at_the_gap_between_its_successes() {
        let mut pace = Pace::default();
        for now_ms in (0..1_000).step_by(20) {
            pace.succeeded(now_ms, now_ms);
        }
        pace.throttled(1_000, 990, 1_000);
        assert_eq!(pace.interval_ms, 20);
        assert_eq!(pace.admit(1_000), 0);
        assert_eq!(pace.admit(1_000), 20);
    }

    #[test]
    fn a_throttle_without_a_real_wait_neither_starts_nor_slows_a_pace() {
        let mut pace = Pace::default();
        assert!(pace.throttled(0, 0, 10), "the gate's business");
        assert!(!pace.is_on());
        pace.throttled(1_000, 20, 30);
        assert!(pace.throttled(99, 2_000, 2_010));
        assert_eq!(pace.interval_ms, 250);
    }
}
