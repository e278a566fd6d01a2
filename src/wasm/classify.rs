//! Classification exports: responses and thrown values to verdict keys, keys to their text.

use alloc::string::String;
use alloc::vec::Vec;

use wasm_bindgen::prelude::*;

use super::{epoch_ms, lines, set_wait, verdict_from_key, verdict_key, RETRY_AFTER_SLOT};
use crate::classify::{classify, classify_error, ResponseParts};
use crate::headers::{HeaderBlock, CORE_HEADER_NAMES};
use crate::kind::Kind;
use crate::profile::Profile;
use crate::status::status_from_number;
use crate::text::{push_decimal, split_byte};
use crate::transport::ErrorShape;

/// Keys at or above this mean "not a status"; the JS side then asks `statusProblem` why.
// NOTE: a plain `u32` return is several times faster across the boundary than a `Result`, whose
// multi-value return allocates a JS array on every call.
const INVALID_STATUS_KEY: u32 = u32::MAX;

pub(crate) fn classify_to_key(
    status: f64,
    headers: Option<String>,
    body: Option<String>,
    now_ms: f64,
    profile: Option<&Profile>,
) -> u32 {
    let Ok(status) = status_from_number(status) else {
        return INVALID_STATUS_KEY;
    };
    let headers = headers
        .as_deref()
        .map_or(HeaderBlock::empty(), HeaderBlock::new);
    let response = ResponseParts {
        status,
        headers,
        body: body.as_deref(),
    };
    let verdict = classify(&response, epoch_ms(now_ms), profile);
    set_wait(RETRY_AFTER_SLOT, verdict.retry_after_ms);
    verdict_key(&verdict)
}

/// Classifies a response and returns its verdict key (or `INVALID_STATUS_KEY`); the wait goes to
/// the `RETRY_AFTER_SLOT` result.
#[wasm_bindgen(js_name = classifyResponse)]
pub fn classify_response(
    status: f64,
    headers: Option<String>,
    body: Option<String>,
    now_ms: f64,
) -> u32 {
    classify_to_key(status, headers, body, now_ms, None)
}

/// Why `status` is not an HTTP status, or an empty string when it is one.
#[wasm_bindgen(js_name = statusProblem)]
pub fn status_problem(status: f64) -> String {
    status_from_number(status).map_or_else(|error| error.message().into(), |_| String::new())
}

/// Classifies the parts of a thrown value and returns its verdict key. The parts cross as one
/// string, separated by NUL in the order of [`ErrorShape`]'s fields (name, message, code, and the
/// same three of the cause); missing parts are empty.
// NOTE: one string instead of six: each string argument had its own glue on both sides.
#[wasm_bindgen(js_name = classifyErrorShape)]
pub fn classify_error_shape(parts: &str) -> u32 {
    let mut parts = split_byte(parts, 0);
    let mut next = || parts.next().unwrap_or("");
    let shape = ErrorShape {
        name: next(),
        message: next(),
        code: next(),
        cause_name: next(),
        cause_message: next(),
        cause_code: next(),
    };
    verdict_key(&classify_error(&shape))
}

/// The fields of the verdict for `key`, tab-separated in the order JS reads them: status (empty for
/// none), kind, family, title, description, retryable (`1`/`0`), action, neverProcessed (`1`/`0`),
/// detail (empty for none). Empty for an unknown key.
// NOTE: one string, not an object: building objects from Rust needs js-sys glue in every download,
// and this runs once per distinct verdict.
#[wasm_bindgen]
pub fn describe(key: u32) -> String {
    let Some(verdict) = verdict_from_key(key) else {
        return String::new();
    };
    let flag = |on: bool| if on { "1" } else { "0" };
    let mut fields = String::with_capacity(160);
    if let Some(status) = verdict.status {
        push_decimal(&mut fields, u64::from(status));
    }
    for field in [
        verdict.kind.id(),
        verdict.family().id(),
        verdict.title(),
        verdict.description(),
        flag(verdict.retryable()),
        verdict.action().id(),
        flag(verdict.never_processed()),
        verdict.detail.map_or("", |detail| detail.id()),
    ] {
        fields.push('\t');
        fields.push_str(field);
    }
    fields
}

/// The keys of the documented table: one row per documented code and per transport kind.
#[wasm_bindgen(js_name = documentedKeys)]
pub fn documented_keys() -> Vec<u32> {
    Kind::documented()
        .map(|kind| {
            verdict_key(&crate::classify::Verdict {
                status: kind.documented_status(),
                kind,
                retry_after_ms: None,
                detail: None,
            })
        })
        .collect()
}

/// Names of the headers the built-in rules read, one per line; the JS side forwards only these.
#[wasm_bindgen(js_name = coreHeaderNames)]
pub fn core_header_names() -> String {
    lines(CORE_HEADER_NAMES.iter().copied())
}
