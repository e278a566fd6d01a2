//! The bindings: the only module that knows about JavaScript. It converts values and nothing else.
//!
//! The per-response path crosses the boundary with numbers and at most two strings, because every
//! object built here costs far more than the classification itself. A verdict leaves as a compact
//! key (kind, status, transport detail packed into one integer); the JS side turns each key into a
//! frozen verdict object once, via `describe`, and reuses it. Nested shapes (profiles, the code
//! table) cross once, through serde-wasm-bindgen.

use std::sync::atomic::{AtomicU64, Ordering};

use wasm_bindgen::prelude::*;

use crate::classify::{classify, classify_error, ResponseParts, Verdict};
use crate::headers::{HeaderBlock, CORE_HEADER_NAMES};
use crate::kind::Kind;
use crate::profile::{Profile, ProfileSpec};
use crate::status::status_from_number;
use crate::transport::{ErrorShape, TransportDetail};

// NOTE: key layout: bits 0–5 kind index, bits 6–15 status (0 = none), bits 16–20 detail index + 1.
const KIND_BITS: u32 = 6;
const STATUS_BITS: u32 = 10;

/// `None` for the last computed wait; any real wait is at most 2^53 - 1 ms.
const NO_WAIT: u64 = u64::MAX;

// NOTE: wasm is single-threaded here; the atomic only avoids `unsafe` for a plain global.
static LAST_WAIT_MS: AtomicU64 = AtomicU64::new(NO_WAIT);

fn verdict_key(verdict: &Verdict) -> u32 {
    let kind = verdict.kind.index() as u32;
    let status = u32::from(verdict.status.unwrap_or(0));
    let detail = verdict.detail.map_or(0, |detail| detail.index() as u32 + 1);
    kind | status << KIND_BITS | detail << (KIND_BITS + STATUS_BITS)
}

fn verdict_from_key(key: u32) -> Option<Verdict> {
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
fn epoch_ms(now_ms: f64) -> u64 {
    if now_ms.is_finite() && now_ms > 0.0 {
        // NOTE: float-to-int `as` saturates, so even absurd clocks cannot wrap.
        now_ms as u64
    } else {
        0
    }
}

fn error_with_code(error: js_sys::Error, code: &str) -> JsValue {
    let error = JsValue::from(error);
    // NOTE: setting a property on a fresh Error cannot fail; ignoring the Result keeps this total.
    let _ = js_sys::Reflect::set(&error, &JsValue::from_str("code"), &JsValue::from_str(code));
    error
}

/// Keys at or above this mean "not a status"; the JS side then asks `statusError` for the error.
// NOTE: a plain `u32` return is several times faster across the boundary than a `Result`, whose
// multi-value return allocates a JS array on every call.
const INVALID_STATUS_KEY: u32 = u32::MAX;

fn classify_to_key(
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
    match LAST_WAIT_MS.load(Ordering::Relaxed) {
        NO_WAIT => -1.0,
        wait_ms => wait_ms as f64,
    }
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

/// A validated classification profile (see `createProfile` in the JS API).
#[wasm_bindgen]
pub struct ClassifierProfile {
    inner: Profile,
}

#[wasm_bindgen]
impl ClassifierProfile {
    /// Validates a plain profile object; the TypeError names the offending field.
    #[wasm_bindgen(constructor)]
    pub fn new(spec: JsValue) -> Result<ClassifierProfile, JsValue> {
        let invalid = |message: String| {
            error_with_code(
                js_sys::TypeError::new(&message).into(),
                "ERR_INVALID_PROFILE",
            )
        };
        let deserializer = serde_wasm_bindgen::Deserializer::from(spec);
        let spec: ProfileSpec =
            serde_path_to_error::deserialize(deserializer).map_err(|error| {
                let field = error.path().to_string();
                // NOTE: serde-wasm-bindgen's errors are JS errors whose text starts with `Error: `.
                let problem = error.inner().to_string();
                let problem = problem.strip_prefix("Error: ").unwrap_or(&problem);
                invalid(format!("Invalid profile: `{field}` {problem}"))
            })?;
        let inner = Profile::new(spec).map_err(|error| invalid(error.to_string()))?;
        Ok(ClassifierProfile { inner })
    }

    /// `classifyResponse` with this profile's rules tried first.
    #[wasm_bindgen(js_name = classifyResponse)]
    pub fn classify_response(
        &self,
        status: f64,
        headers: Option<String>,
        body: Option<String>,
        now_ms: f64,
    ) -> u32 {
        classify_to_key(status, headers, body, now_ms, Some(&self.inner))
    }

    /// Header names the profile's rules read.
    #[wasm_bindgen(js_name = headerNames)]
    pub fn header_names(&self) -> Vec<String> {
        self.inner
            .header_names()
            .into_iter()
            .map(String::from)
            .collect()
    }
}
