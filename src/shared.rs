//! What one client state tells others about an origin, and how a state merges what it is told.
//!
//! Tabs of one browser, workers of one process or of a fleet each keep their own
//! [`ClientState`](crate::ClientState); what one of them learned from a server's answers (wait
//! until the throttle gate opens, the quota is exhausted until it resets, the origin is failing)
//! holds for all of them. A fact travels as what is left of a wait, never as one machine's
//! wall-clock instant, so clocks that disagree still agree on the wait. Merging is a maximum:
//! a fact only ever makes a state wait longer, up to the caps below, so a lost, late or repeated
//! message costs at most what a state without sharing pays, and a hostile one at most the caps.

use crate::client_state::MAX_QUOTA_LOCK_MS;

/// The facts about one origin, each as the wait left in ms (0: nothing to wait for).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SharedFacts {
    /// Until the throttle gate opens: every request to the origin waits.
    pub gate_ms: u64,
    /// Until the quota resets: every request to the origin fails unsent.
    pub quota_ms: u64,
    /// Until the circuit breaker's cool-down ends (at most the receiver's own `openMs`).
    pub open_ms: u64,
}

impl SharedFacts {
    /// Whether there is nothing to tell.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The facts with each wait capped at one day (the quota lock's cap), so that a hostile or
    /// mistaken message cannot lock an origin for longer than a server's own answer could.
    pub fn capped(self) -> Self {
        Self {
            gate_ms: self.gate_ms.min(MAX_QUOTA_LOCK_MS),
            quota_ms: self.quota_ms.min(MAX_QUOTA_LOCK_MS),
            open_ms: self.open_ms.min(MAX_QUOTA_LOCK_MS),
        }
    }
}
