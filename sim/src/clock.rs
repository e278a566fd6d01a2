//! The virtual clock and its event queue: time is a count of milliseconds that only events move.
//!
//! Events fire in time order; events due at the same millisecond fire in the order they were
//! scheduled (a sequence number breaks ties), so a run never depends on how the heap happens to
//! order equal keys. Nothing here reads a real clock.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// One event waiting for its time.
struct Scheduled<E> {
    at_ms: u64,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Scheduled<E> {
    fn eq(&self, other: &Self) -> bool {
        (self.at_ms, self.seq) == (other.at_ms, other.seq)
    }
}

impl<E> Eq for Scheduled<E> {}

impl<E> Ord for Scheduled<E> {
    fn cmp(&self, other: &Self) -> Ordering {
        // NOTE: reversed, so that the max-heap pops the earliest event first.
        (other.at_ms, other.seq).cmp(&(self.at_ms, self.seq))
    }
}

impl<E> PartialOrd for Scheduled<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A discrete-event queue with its virtual clock.
pub(crate) struct EventQueue<E> {
    heap: BinaryHeap<Scheduled<E>>,
    next_seq: u64,
    now_ms: u64,
}

impl<E> EventQueue<E> {
    /// An empty queue at time 0.
    pub(crate) fn new() -> Self {
        Self {
            heap: BinaryHeap::new(),
            next_seq: 0,
            now_ms: 0,
        }
    }

    /// The current virtual time, in ms.
    pub(crate) fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// Schedules `event` at `at_ms` (never in the past: an earlier time means now).
    pub(crate) fn at(&mut self, at_ms: u64, event: E) {
        let seq = self.next_seq;
        self.next_seq = self.next_seq.saturating_add(1);
        self.heap.push(Scheduled {
            at_ms: at_ms.max(self.now_ms),
            seq,
            event,
        });
    }

    /// Schedules `event` `delay_ms` from now.
    pub(crate) fn after(&mut self, delay_ms: u64, event: E) {
        self.at(self.now_ms.saturating_add(delay_ms), event);
    }

    /// The next event due no later than `limit_ms`, advancing the clock to it.
    pub(crate) fn pop_until(&mut self, limit_ms: u64) -> Option<E> {
        if self.heap.peek()?.at_ms > limit_ms {
            return None;
        }
        let next = self.heap.pop()?;
        self.now_ms = next.at_ms;
        Some(next.event)
    }
}

#[cfg(test)]
mod tests {
    use super::EventQueue;

    #[test]
    fn events_fire_in_time_then_schedule_order() {
        let mut queue = EventQueue::new();
        queue.at(20, "c");
        queue.at(10, "a");
        queue.at(10, "b");
        queue.at(99, "late");
        let mut fired = Vec::new();
        while let Some(event) = queue.pop_until(50) {
            fired.push((queue.now_ms(), event));
        }
        assert_eq!(fired, vec![(10, "a"), (10, "b"), (20, "c")]);
        queue.after(0, "now");
        assert_eq!(queue.pop_until(50), Some("now"));
    }
}
