//! Classification exports: responses and thrown values to verdict keys, keys to verdict objects.

use std::sync::atomic::Ordering;

use wasm_bindgen::prelude::*;

use super::{
    epoch_ms, error_with_code, verdict_from_key, verdict_key, wait_to_js, LAST_WAIT_MS, NO_WAIT,
};
use crate::classify::{classify, classify_error, ResponseParts, Verdict};
use crate::headers::{HeaderBlock, CORE_HEADER_NAMES};
use crate::kind::Kind;
use crate::profile::Profile;
use crate::status::status_from_number;
use crate::transport::ErrorShape;

/// Keys at or above this mean "not a status"; the JS side then asks `statusError` for the error.
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
    LAST_WAIT_MS.store(verdict.retry_after_ms.unwrap_or(NO_WAIT), Ordering::Relaxed);
    verdict_key(&verdict)
}

/// Classifies a response and returns its verdict key (or `INVALID_STATUS_KEY`); the wait goes to
/// `lastRetryAfterMs`.
#[wasm_bindgen(js_name = classifyResponse)]
pub fn classify_response(
    status: f64,
    headers: Option<String>,
    body: Option<String>,
    now_ms: f64,
) -> u32 {
    classify_to_key(status, headers, body, now_ms, None)
}

/// The RangeError explaining why `status` is not an HTTP status (`undefined` if it is one).
#[wasm_bindgen(js_name = statusError)]
pub fn status_error(status: f64) -> JsValue {
    match status_from_number(status) {
        Ok(_) => JsValue::UNDEFINED,
        Err(error) => error_with_code(
            js_sys::RangeError::new(error.message()).into(),
            error.code(),
        ),
    }
}

/// The server's requested wait found by the last `classifyResponse`, in ms, or -1 for none.
#[wasm_bindgen(js_name = lastRetryAfterMs)]
pub fn last_retry_after_ms() -> f64 {
    wait_to_js(&LAST_WAIT_MS)
}

/// Classifies the parts of a thrown value and returns its verdict key.
#[wasm_bindgen(js_name = classifyErrorShape)]
pub fn classify_error_shape(
    name: &str,
    message: &str,
    code: &str,
    cause_name: &str,
    cause_message: &str,
    cause_code: &str,
) -> u32 {
    let shape = ErrorShape {
        name,
        message,
        code,
        cause_name,
        cause_message,
        cause_code,
    };
    verdict_key(&classify_error(&shape))
}

/// Builds the verdict object JavaScript sees (without a wait; the JS side adds one per response).
///
/// NOTE: built with `Reflect.set` rather than serde: it runs once per distinct verdict, and serde's
/// serializer would add several KB of gzip to every download for no gain.
fn verdict_object(verdict: &Verdict) -> JsValue {
    let object = JsValue::from(js_sys::Object::new());
    let status = verdict.status.map_or(JsValue::NULL, JsValue::from);
    let detail = verdict
        .detail
        .map_or(JsValue::NULL, |detail| JsValue::from_str(detail.id()));
    let fields: [(&str, JsValue); 10] = [
        ("status", status),
        ("kind", JsValue::from_str(verdict.kind.id())),
        ("family", JsValue::from_str(verdict.family().id())),
        ("title", JsValue::from_str(verdict.title())),
        ("description", JsValue::from_str(verdict.description())),
        ("retryable", JsValue::from_bool(verdict.retryable())),
        ("action", JsValue::from_str(verdict.action().id())),
        ("retryAfterMs", JsValue::NULL),
        (
            "neverProcessed",
            JsValue::from_bool(verdict.never_processed()),
        ),
        ("detail", detail),
    ];
    for (name, value) in fields {
        // NOTE: defining a property on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(name), &value);
    }
    object
}

/// The verdict object (without a wait) for a key returned by the classifiers.
#[wasm_bindgen]
pub fn describe(key: u32) -> Result<JsValue, JsValue> {
    let verdict = verdict_from_key(key).ok_or_else(|| {
        error_with_code(
            js_sys::RangeError::new("Unknown verdict key.").into(),
            "ERR_INVALID_ARGUMENT",
        )
    })?;
    Ok(verdict_object(&verdict))
}

/// The documented table: one row per documented code and per transport kind.
#[wasm_bindgen]
pub fn codes() -> js_sys::Array {
    Kind::documented()
        .map(|kind| {
            verdict_object(&Verdict {
                status: kind.documented_status(),
                kind,
                retry_after_ms: None,
                detail: None,
            })
        })
        .collect()
}

/// Names of the headers the built-in rules read; the JS side forwards only these.
#[wasm_bindgen(js_name = coreHeaderNames)]
pub fn core_header_names() -> Vec<String> {
    CORE_HEADER_NAMES
        .iter()
        .map(|name| (*name).into())
        .collect()
}
