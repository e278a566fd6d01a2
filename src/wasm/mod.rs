//! The bindings: the only place that knows about JavaScript. They convert values and nothing else.
//!
//! The per-request paths cross the boundary with numbers and at most a few strings, because every
//! object built here costs far more than the decision itself. A verdict leaves as a compact key
//! (kind, status, transport detail packed into one integer); the JS side turns each key into a frozen
//! verdict object once, via `describe`, and reuses it. Results that do not fit in one number are left
//! in `last_*` slots that JS reads right after the call. Nested shapes (profiles, options) cross once,
//! through serde-wasm-bindgen. One file per exported concern.

mod classify;
mod policy;
mod profile;
#[cfg(feature = "sim")]
mod sim;

use std::sync::atomic::{AtomicU64, Ordering};

use wasm_bindgen::prelude::*;

use crate::classify::Verdict;
use crate::kind::Kind;
use crate::transport::TransportDetail;

// NOTE: key layout: bits 0–5 kind index, bits 6–15 status (0 = none), bits 16–20 detail index + 1.
const KIND_BITS: u32 = 6;
const STATUS_BITS: u32 = 10;

/// `None` for the last computed wait; any real wait is at most 2^53 - 1 ms.
pub(crate) const NO_WAIT: u64 = u64::MAX;

// NOTE: wasm is single-threaded here; the atomic only avoids `unsafe` for a plain global.
pub(crate) static LAST_WAIT_MS: AtomicU64 = AtomicU64::new(NO_WAIT);

pub(crate) fn verdict_key(verdict: &Verdict) -> u32 {
    let kind = verdict.kind.index() as u32;
    let status = u32::from(verdict.status.unwrap_or(0));
    let detail = verdict.detail.map_or(0, |detail| detail.index() as u32 + 1);
    kind | status << KIND_BITS | detail << (KIND_BITS + STATUS_BITS)
}

pub(crate) fn verdict_from_key(key: u32) -> Option<Verdict> {
    let kind = *Kind::ALL.get((key & ((1 << KIND_BITS) - 1)) as usize)?;
    let status = ((key >> KIND_BITS) & ((1 << STATUS_BITS) - 1)) as u16;
    let detail_index = (key >> (KIND_BITS + STATUS_BITS)) as usize;
    let detail = match detail_index {
        0 => None,
        index => Some(*TransportDetail::ALL.get(index - 1)?),
    };
    Some(Verdict {
        status: (status != 0).then_some(status),
        kind,
        retry_after_ms: None,
        detail,
    })
}

/// A JS number of epoch milliseconds as the core's `u64`; the JS layer has validated it already.
pub(crate) fn epoch_ms(now_ms: f64) -> u64 {
    if now_ms.is_finite() && now_ms > 0.0 {
        // NOTE: float-to-int `as` saturates, so even absurd clocks cannot wrap.
        now_ms as u64
    } else {
        0
    }
}

pub(crate) fn error_with_code(error: js_sys::Error, code: &str) -> JsValue {
    let error = JsValue::from(error);
    // NOTE: setting a property on a fresh Error cannot fail; ignoring the Result keeps this total.
    let _ = js_sys::Reflect::set(&error, &JsValue::from_str("code"), &JsValue::from_str(code));
    error
}

/// A JS number of milliseconds (a duration) as the core's `u64`: negative and NaN are 0.
pub(crate) fn duration_ms(value: f64) -> u64 {
    epoch_ms(value)
}

/// Reads a wait slot: -1 stands for none on the JS side.
pub(crate) fn wait_to_js(slot: &AtomicU64) -> f64 {
    match slot.load(Ordering::Relaxed) {
        NO_WAIT => -1.0,
        wait_ms => wait_ms as f64,
    }
}

/// Deserializes a plain JS object with serde.
///
/// NOTE: the JS side has already checked every field's name and type against the same shape, naming
/// the offending field; this error is the backstop and carries serde's own sentence.
pub(crate) fn from_js<T: serde::de::DeserializeOwned>(value: JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value).map_err(|error| {
        let problem = error.to_string();
        // NOTE: serde-wasm-bindgen's errors are JS errors whose text starts with `Error: `.
        problem
            .strip_prefix("Error: ")
            .unwrap_or(&problem)
            .to_owned()
    })
}
