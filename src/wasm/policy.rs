//! Retry policy and client state exports: options validated once, decisions per attempt.
//!
//! `decide` takes the attempt's verdict as its key plus its wait, so the verdict JS already built
//! is not rebuilt; the decision leaves as a reason index, with its delay and message in `last_*`
//! slots read right after the call.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use super::{duration_ms, epoch_ms, error_with_code, from_js, verdict_from_key};
use crate::client_state::{Admission, ClientState, ClientStateOptions};
use crate::decision::{Decision, Reason};
use crate::method::Method;
use crate::options::{ClientStateSpec, PolicyError, RetryOptionsSpec};
use crate::policy::{Outcome, RetryPolicy};

thread_local! {
    // NOTE: wasm here is single-threaded; this is the one decision JS reads right after `decide`.
    static LAST_DECISION: RefCell<Option<Decision>> = const { RefCell::new(None) };
    static LAST_ADMISSION_MS: RefCell<f64> = const { RefCell::new(-1.0) };
}

/// Admission codes: 0 allowed, 1 wait (`lastAdmissionMs`), 2 + reason index for a refusal.
const ADMISSION_ALLOWED: u32 = 0;
const ADMISSION_WAIT: u32 = 1;
const ADMISSION_REJECTED: u32 = 2;

fn option_type_error(problem: String) -> JsValue {
    error_with_code(
        js_sys::TypeError::new(&problem).into(),
        "ERR_INVALID_OPTION",
    )
}

fn option_range_error(error: PolicyError) -> JsValue {
    error_with_code(
        js_sys::RangeError::new(&error.to_string()).into(),
        error.code(),
    )
}

/// The stable ids of the decision reasons, by index.
#[wasm_bindgen(js_name = reasonIds)]
pub fn reason_ids() -> Vec<String> {
    Reason::ALL
        .iter()
        .map(|reason| reason.id().into())
        .collect()
}

/// The delay of the last decision, in ms.
#[wasm_bindgen(js_name = lastDecisionDelayMs)]
pub fn last_decision_delay_ms() -> f64 {
    LAST_DECISION.with_borrow(|decision| decision.map_or(0.0, |d| d.delay_ms as f64))
}

/// Whether the last decision was to retry.
#[wasm_bindgen(js_name = lastDecisionRetry)]
pub fn last_decision_retry() -> bool {
    LAST_DECISION.with_borrow(|decision| decision.is_some_and(|d| d.retry))
}

/// The server wait the last decision followed or refused, in ms, or -1.
#[wasm_bindgen(js_name = lastDecisionHintMs)]
pub fn last_decision_hint_ms() -> f64 {
    LAST_DECISION.with_borrow(|decision| {
        decision
            .and_then(|d| d.wait_hint_ms)
            .map_or(-1.0, |ms| ms as f64)
    })
}

/// The limit the last refusal referred to (deadline, `maxRetryAfterMs`), in ms, or -1.
#[wasm_bindgen(js_name = lastDecisionLimitMs)]
pub fn last_decision_limit_ms() -> f64 {
    LAST_DECISION.with_borrow(|decision| {
        decision
            .and_then(|d| d.limit_ms)
            .map_or(-1.0, |ms| ms as f64)
    })
}

/// The human sentence of a decision, rebuilt from its parts when JS first reads `message`.
// NOTE: building and decoding the sentence costs more than deciding, so it is deferred.
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen(js_name = decisionMessage)]
pub fn decision_message(
    reason_index: u32,
    delay_ms: f64,
    verdict_key: u32,
    retry_after_ms: f64,
    attempt: u32,
    max_attempts: u32,
    method_code: u32,
    method: Option<String>,
    wait_hint_ms: f64,
    limit_ms: f64,
) -> String {
    let (Some(reason), Some(mut verdict)) = (
        Reason::ALL.get(reason_index as usize),
        verdict_from_key(verdict_key),
    ) else {
        return String::new();
    };
    verdict.retry_after_ms = (retry_after_ms >= 0.0).then(|| duration_ms(retry_after_ms));
    let optional_ms = |ms: f64| (ms >= 0.0).then(|| duration_ms(ms));
    Decision {
        retry: reason.retries(),
        delay_ms: duration_ms(delay_ms),
        reason: *reason,
        verdict,
        attempt,
        max_attempts,
        method: Method::parse(method_name(method_code, &method)),
        wait_hint_ms: optional_ms(wait_hint_ms),
        limit_ms: optional_ms(limit_ms),
    }
    .message()
}

/// The wait of the last admission that said "wait", or the retry time of a refusal; -1 for none.
#[wasm_bindgen(js_name = lastAdmissionMs)]
pub fn last_admission_ms() -> f64 {
    LAST_ADMISSION_MS.with_borrow(|ms| *ms)
}

/// A validated retry policy (JS: wrapped by `RetryPolicy`).
#[wasm_bindgen]
pub struct CorePolicy {
    inner: RetryPolicy,
}

/// An outcome's fields as JS passes them.
/// Methods JS sends as a code instead of a string (the string costs an encode and a copy).
const METHOD_NAMES: [&str; 9] = [
    "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE", "POST", "PATCH", "CONNECT",
];

/// The method named by `code` (an index into `METHOD_NAMES`), else by `name`.
fn method_name(code: u32, name: &Option<String>) -> &str {
    match METHOD_NAMES.get(code as usize) {
        Some(known) => known,
        None => name.as_deref().unwrap_or(""),
    }
}

#[allow(clippy::too_many_arguments)]
fn outcome<'a>(
    verdict_key: u32,
    retry_after_ms: f64,
    attempt: u32,
    method: &'a str,
    has_idempotency_key: bool,
    body_replayable: bool,
    elapsed_ms: f64,
    now_ms: f64,
    previous_delay_ms: f64,
    origin: &'a str,
    salt: f64,
) -> Result<Outcome<'a>, JsValue> {
    let mut verdict = verdict_from_key(verdict_key).ok_or_else(|| {
        error_with_code(
            js_sys::TypeError::new("Unknown verdict key.").into(),
            "ERR_INVALID_ARGUMENT",
        )
    })?;
    verdict.retry_after_ms = (retry_after_ms >= 0.0).then(|| duration_ms(retry_after_ms));
    Ok(Outcome {
        attempt,
        method,
        has_idempotency_key,
        body_replayable,
        verdict,
        elapsed_ms: duration_ms(elapsed_ms),
        now_ms: epoch_ms(now_ms),
        previous_delay_ms: duration_ms(previous_delay_ms),
        origin,
        salt: duration_ms(salt),
    })
}

fn remember(decision: Decision) -> u32 {
    let reason = decision.reason.index() as u32;
    LAST_DECISION.with_borrow_mut(|last| *last = Some(decision));
    reason
}

fn admission_code(admission: Admission) -> u32 {
    let (code, ms) = match admission {
        Admission::Allowed => (ADMISSION_ALLOWED, -1.0),
        Admission::Wait { wait_ms } => (ADMISSION_WAIT, wait_ms as f64),
        Admission::Rejected {
            reason,
            retry_in_ms,
        } => (
            ADMISSION_REJECTED + reason.index() as u32,
            retry_in_ms.map_or(-1.0, |ms| ms as f64),
        ),
    };
    LAST_ADMISSION_MS.with_borrow_mut(|last| *last = ms);
    code
}

#[wasm_bindgen]
impl CorePolicy {
    /// Validates a plain options object: a TypeError for wrong types, a RangeError for bad values.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<CorePolicy, JsValue> {
        let spec: RetryOptionsSpec = from_js(options)
            .map_err(|problem| option_type_error(format!("Invalid retry options: {problem}")))?;
        let inner = RetryPolicy::from_spec(spec).map_err(option_range_error)?;
        Ok(CorePolicy { inner })
    }

    /// Decides about one attempt without shared state; returns the reason index.
    #[allow(clippy::too_many_arguments)]
    pub fn decide(
        &self,
        verdict_key: u32,
        retry_after_ms: f64,
        attempt: u32,
        method_code: u32,
        method: Option<String>,
        has_idempotency_key: bool,
        body_replayable: bool,
        elapsed_ms: f64,
        now_ms: f64,
        previous_delay_ms: f64,
        origin: Option<String>,
        salt: f64,
    ) -> Result<u32, JsValue> {
        let outcome = outcome(
            verdict_key,
            retry_after_ms,
            attempt,
            method_name(method_code, &method),
            has_idempotency_key,
            body_replayable,
            elapsed_ms,
            now_ms,
            previous_delay_ms,
            origin.as_deref().unwrap_or(""),
            salt,
        )?;
        Ok(remember(self.inner.decide(&outcome, None)))
    }

    /// The own-backoff waits the policy would use, in ms (at most 1000).
    pub fn plan(&self, attempts: Option<u32>) -> Vec<f64> {
        self.inner
            .plan(attempts)
            .into_iter()
            .map(|wait_ms| wait_ms as f64)
            .collect()
    }

    /// The maximum number of attempts.
    #[wasm_bindgen(getter, js_name = maxAttempts)]
    pub fn max_attempts(&self) -> u32 {
        self.inner.options().max_attempts
    }
}

/// Shared per-client state (JS: wrapped by `ClientState`).
#[wasm_bindgen]
pub struct CoreState {
    inner: ClientState,
}

#[wasm_bindgen]
impl CoreState {
    /// Validates a plain options object: a TypeError for wrong types, a RangeError for bad values.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<CoreState, JsValue> {
        let spec: ClientStateSpec = from_js(options).map_err(|problem| {
            option_type_error(format!("Invalid client state options: {problem}"))
        })?;
        let options = ClientStateOptions::try_from(spec).map_err(option_range_error)?;
        let inner = ClientState::new(options).map_err(option_range_error)?;
        Ok(CoreState { inner })
    }

    /// `CorePolicy.decide` that also reads and updates this state.
    #[allow(clippy::too_many_arguments)]
    pub fn decide(
        &mut self,
        policy: &CorePolicy,
        verdict_key: u32,
        retry_after_ms: f64,
        attempt: u32,
        method_code: u32,
        method: Option<String>,
        has_idempotency_key: bool,
        body_replayable: bool,
        elapsed_ms: f64,
        now_ms: f64,
        previous_delay_ms: f64,
        origin: Option<String>,
        salt: f64,
    ) -> Result<u32, JsValue> {
        let outcome = outcome(
            verdict_key,
            retry_after_ms,
            attempt,
            method_name(method_code, &method),
            has_idempotency_key,
            body_replayable,
            elapsed_ms,
            now_ms,
            previous_delay_ms,
            origin.as_deref().unwrap_or(""),
            salt,
        )?;
        Ok(remember(
            policy.inner.decide(&outcome, Some(&mut self.inner)),
        ))
    }

    /// Whether an attempt to `origin` may be sent now, under `policy`'s limits (admission code).
    pub fn admit(
        &mut self,
        policy: &CorePolicy,
        origin: &str,
        now_ms: f64,
        elapsed_ms: f64,
    ) -> u32 {
        admission_code(policy.inner.admit(
            &mut self.inner,
            origin,
            epoch_ms(now_ms),
            duration_ms(elapsed_ms),
        ))
    }

    /// The breaker state of `origin`: `closed`, `open` or `half_open`.
    #[wasm_bindgen(js_name = breakerState)]
    pub fn breaker_state(&self, origin: &str, now_ms: f64) -> String {
        self.inner
            .breaker_state(origin, epoch_ms(now_ms))
            .id()
            .into()
    }

    /// Retries the budget allows now, or -1 when the budget is off.
    #[wasm_bindgen(js_name = retriesAvailable)]
    pub fn retries_available(&self, now_ms: f64) -> f64 {
        self.inner
            .retries_available(epoch_ms(now_ms))
            .map_or(-1.0, f64::from)
    }

    /// Forgets every origin and the budget's history.
    pub fn clear(&mut self) {
        self.inner.clear();
    }
}
