//! The bindings: the only place that knows about JavaScript. They convert values and nothing else.
//!
//! Everything crosses the boundary as numbers and short strings, never as objects, because each
//! object built here costs far more than the decision itself and every kind of value that crosses
//! adds glue to the download. A verdict leaves as a compact key (kind, status, transport detail
//! packed into one integer); the JS side reads its text fields from the core's tables written at
//! build time (examples/core_tables.rs) once per key and reuses the frozen object it builds.
//! Results that do not fit in one number are left in result slots that JS reads through a view of
//! wasm memory right after the call. A rejected option or profile comes back as an object holding
//! only the core's sentence, which JS throws as its own `TypeError`/`RangeError` with a stable code.
//! Numeric options cross as one `Float64Array` with a bit per option given, read by each concept's
//! table of checks, so the core's checks are the only range checks.
//! One file per exported concern; the simulator's own bindings live in its crate (sim/).

mod classify;
mod object;
mod policy;
mod profile;
#[cfg(feature = "package")]
mod runtime;

use wasm_bindgen::prelude::*;

use core::sync::atomic::{AtomicU64, Ordering};

use crate::classify::Verdict;
use crate::kind::Kind;
use crate::transport::TransportDetail;
use crate::wait_source::WaitSource;

// NOTE: key layout: bits 0–5 kind index, bits 6–15 status (0 = none), bits 16–20 detail index + 1,
// bits 21–25 where the wait was read (`WaitSource::index`, whose label JS takes from the core's
// tables: no new export), bits 26–27 the server's retry verdict (0 none, 1 true, 2 false). The
// retry verdict on top is read back without a mask; the source is not read back at all.
const KIND_BITS: u32 = 6;
const STATUS_BITS: u32 = 10;
const DETAIL_BITS: u32 = 5;
const WAIT_SOURCE_BITS: u32 = 5;
const WAIT_SOURCE_SHIFT: u32 = KIND_BITS + STATUS_BITS + DETAIL_BITS;
const SERVER_RETRY_SHIFT: u32 = WAIT_SOURCE_SHIFT + WAIT_SOURCE_BITS;

/// The slots of [`RESULTS`], in the order `pkg-template/results.js` names them.
pub(crate) const RETRY_AFTER_SLOT: usize = 0;
pub(crate) const DELAY_SLOT: usize = 1;
pub(crate) const RETRY_SLOT: usize = 2;
pub(crate) const HINT_SLOT: usize = 3;
pub(crate) const LIMIT_SLOT: usize = 4;
pub(crate) const ADMISSION_SLOT: usize = 5;
pub(crate) const GATE_SLOT: usize = 6;
pub(crate) const QUOTA_SLOT: usize = 7;
pub(crate) const OPEN_SLOT: usize = 8;
pub(crate) const BREAKER_SLOT: usize = 9;
pub(crate) const BUDGET_SLOT: usize = 10;

/// Results that do not fit in a call's return value (the last classify's wait, the last
/// decision's delay, hint and limit, the last admission's wait, what `share` read of an origin),
/// as `f64` bits. JS reads them
/// through one `Float64Array` view of wasm memory right after the call: no call per value, and no
/// export (with its glue) per value either.
// NOTE: atomics only avoid `unsafe` for a plain `static mut`; wasm is single-threaded here. An
// `AtomicU64` has the size and alignment of an `f64`, so the array reads as a `Float64Array`.
pub(crate) static RESULTS: [AtomicU64; 11] = [const { AtomicU64::new(0) }; 11];

/// Stores a number in a result slot.
pub(crate) fn set_result(slot: usize, value: f64) {
    if let Some(cell) = RESULTS.get(slot) {
        cell.store(value.to_bits(), Ordering::Relaxed);
    }
}

/// Stores an optional wait in a result slot: -1 stands for none (any real wait is at most
/// 2^53 - 1 ms, exact as an `f64`).
pub(crate) fn set_wait(slot: usize, wait_ms: Option<u64>) {
    set_result(slot, wait_ms.map_or(-1.0, |ms| ms as f64));
}

/// Where [`RESULTS`] lives in wasm memory (a byte offset).
#[wasm_bindgen(js_name = resultSlots)]
pub fn result_slots() -> usize {
    RESULTS.as_ptr() as usize
}

pub(crate) fn verdict_key(verdict: &Verdict) -> u32 {
    let kind = verdict.kind.index() as u32;
    let status = u32::from(verdict.status.unwrap_or(0));
    let detail = verdict.detail.map_or(0, |detail| detail.index() as u32 + 1);
    let server_retry = verdict.server_retry.map_or(0, |retry| 2 - u32::from(retry));
    kind | status << KIND_BITS
        | detail << (KIND_BITS + STATUS_BITS)
        | server_retry << SERVER_RETRY_SHIFT
        | (verdict.wait_source.index() as u32) << WAIT_SOURCE_SHIFT
}

pub(crate) fn verdict_from_key(key: u32) -> Option<Verdict> {
    let kind = *Kind::ALL.get((key & ((1 << KIND_BITS) - 1)) as usize)?;
    let status = ((key >> KIND_BITS) & ((1 << STATUS_BITS) - 1)) as u16;
    let detail_index = ((key >> (KIND_BITS + STATUS_BITS)) & ((1 << DETAIL_BITS) - 1)) as usize;
    let detail = match detail_index {
        0 => None,
        index => Some(*TransportDetail::ALL.get(index - 1)?),
    };
    // NOTE: the wait's source is left out: only a decision's sentence reads it, and JavaScript
    // renders those.
    Some(Verdict {
        status: (status != 0).then_some(status),
        kind,
        retry_after_ms: None,
        wait_source: WaitSource::RETRY_AFTER,
        detail,
        server_retry: match key >> SERVER_RETRY_SHIFT {
            0 => None,
            1 => Some(true),
            2 => Some(false),
            _ => return None,
        },
    })
}

/// A JS number of epoch milliseconds as the core's `u64`; the JS layer has validated it already.
// NOTE: a call: inlined, its checks and saturating conversion were repeated for each of the dozen
// numbers the exports take (-65 B gzip, 0.9 KB raw).
#[inline(never)]
pub(crate) fn epoch_ms(now_ms: f64) -> u64 {
    if now_ms.is_finite() && now_ms > 0.0 {
        // NOTE: float-to-int `as` saturates, so even absurd clocks cannot wrap.
        now_ms as u64
    } else {
        0
    }
}

/// A JS number of milliseconds (a duration) as the core's `u64`: negative and NaN are 0.
pub(crate) fn duration_ms(value: f64) -> u64 {
    epoch_ms(value)
}

/// An optional wait from JS, where any negative number stands for none.
pub(crate) fn optional_ms(value: f64) -> Option<u64> {
    (value >= 0.0).then(|| duration_ms(value))
}
