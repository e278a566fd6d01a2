//! Classification exports: responses and thrown values to verdict keys.

use wasm_bindgen::prelude::*;

use super::object::CoreObject;
use super::{epoch_ms, set_wait, verdict_key, RETRY_AFTER_SLOT};
use crate::classify::{classify, classify_error, ResponseParts};
use crate::headers::HeaderBlock;
use crate::profile::Profile;
use crate::status::{status_problem, OUT_OF_RANGE};
use crate::text::{split_byte, split_once_byte};
use crate::transport::ErrorShape;

/// Keys at or above this mean "not a status": this one a non-integer number, the next one out of
/// range (the order of the sentences in the package's core tables, examples/core_tables.rs).
// NOTE: a plain `u32` return is several times faster across the boundary than a `Result`, whose
// multi-value return allocates a JS array on every call.
const INVALID_STATUS_KEY: u32 = u32::MAX - 1;

fn invalid_status_key(problem: &str) -> u32 {
    INVALID_STATUS_KEY + u32::from(problem == OUT_OF_RANGE)
}

fn classify_to_key(
    status: f64,
    headers: &str,
    body: &str,
    now_ms: f64,
    profile: Option<&Profile>,
) -> u32 {
    let status = match status_problem(status) {
        Ok(status) => status,
        Err(problem) => return invalid_status_key(problem),
    };
    let response = ResponseParts {
        status,
        headers: HeaderBlock::new(headers),
        // NOTE: an empty body reads as no body: every rule that looks at a body finds nothing in
        // either.
        body: (!body.is_empty()).then_some(body),
    };
    let verdict = classify(&response, epoch_ms(now_ms), profile);
    set_wait(RETRY_AFTER_SLOT, verdict.retry_after_ms);
    verdict_key(&verdict)
}

/// Classifies a response, with `profile`'s rules tried first when it is a profile (JS passes the
/// no-state stand-in for none), and returns its verdict key (or `INVALID_STATUS_KEY`); the wait
/// goes to the `RETRY_AFTER_SLOT` result. `reply` is the header block, then NUL and the body when
/// there is one: header lines never hold a NUL (JS leaves such a value out, as HTTP forbids it), so
/// the first NUL ends them. No headers and no body cross as an empty string.
// NOTE: one string rather than two (or two `Option<String>`): each string argument is a malloc and a
// free in wasm plus its glue on both sides, a tenth of a classify with headers.
#[wasm_bindgen(js_name = classifyResponse)]
pub fn classify_response(status: f64, reply: &str, now_ms: f64, profile: &CoreObject) -> u32 {
    let (headers, body) = split_once_byte(reply, 0).unwrap_or((reply, ""));
    classify_to_key(status, headers, body, now_ms, profile.as_profile())
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
