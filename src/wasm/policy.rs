//! Retry policy and client state exports: options validated once, decisions per attempt.
//!
//! `decide` takes the attempt's verdict as its key plus its wait, so the verdict JS already built
//! is not rebuilt; the decision leaves as a reason index, with its delay, hint and limit in the
//! result slots (see `RESULTS`) read right after the call. One `decide` serves both the stateless and the shared-state
//! case: the state is an optional argument.

use alloc::string::String;

use wasm_bindgen::prelude::*;

use super::object::CoreObject;
use super::profile::profile_from;
use super::{
    duration_ms, epoch_ms, optional_ms, set_result, set_wait, verdict_from_key, ADMISSION_SLOT,
    BREAKER_SLOT, BUDGET_SLOT, DELAY_SLOT, GATE_SLOT, HINT_SLOT, LIMIT_SLOT, OPEN_SLOT, QUOTA_SLOT,
    RETRY_SLOT,
};
use crate::backoff::Jitter;
use crate::breaker::BreakerState;
use crate::client_state::{Admission, ClientState};
use crate::error::InputError;
use crate::method::Method;
use crate::policy::{Outcome, RetryPolicy};
use crate::shared::SharedFacts;

/// Admission codes: 0 allowed, 1 wait (`lastAdmissionMs`), 2 + reason index for a refusal.
const ADMISSION_ALLOWED: u32 = 0;
const ADMISSION_WAIT: u32 = 1;
const ADMISSION_REJECTED: u32 = 2;

/// The bits of `decide`'s `flags`: the request carries an `Idempotency-Key`, its body can be sent
/// again, and the caller's own answer (`Outcome::should_retry`): retry, or do not.
// NOTE: one number rather than a boolean argument each: every argument has its own glue.
const HAS_IDEMPOTENCY_KEY: u32 = 1;
const BODY_REPLAYABLE: u32 = 2;
const CALLER_RETRIES: u32 = 4;
const CALLER_DECLINES: u32 = 8;
/// The bit of `decide`'s `flags` that says the device was offline (`Outcome::offline`).
const OFFLINE: u32 = 16;

/// The bit of `create`'s `given` for a policy that says a jitter was given (above the numeric
/// options'), and where its index in `Jitter::ALL` sits (two bits), so that no id crosses.
const JITTER_GIVEN: u32 = 1 << 31;
const JITTER_INDEX_SHIFT: u32 = 24;
/// The bit of `create`'s `given` for a state that asks for no state at all (decisions read and record
/// nothing).
const NO_STATE: u32 = 1 << 31;

/// Makes the core object of `concept` (0 a retry policy, 1 a client state, else a profile) from
/// its options as numbers. In the npm package they arrive checked by its JavaScript, with the
/// core's own tables (see `CHECKED_HERE`); elsewhere (the wasm32 tests) a value out of range
/// makes an object that holds only why (its `rejection`), which every export takes as none.
/// - A retry policy: one slot per numeric option, present when its bit of `given` is set, then the
///   status overrides as status, retry pairs (see `RetryOptions::from_numbers`); the jitter, when
///   bit `JITTER_GIVEN` is set, is the one whose index sits at `JITTER_INDEX_SHIFT`.
/// - A client state (see `ClientState::from_numbers`); `given` with bit `NO_STATE` makes the
///   stand-in for "no state" that `decide` takes when the caller passed none.
/// - A profile: `numbers` are its rules and `text` their strings (see `profile_from`).
// NOTE: one export for the three: every export has its own glue on both sides of the boundary,
// and a static constructor per kind had its own too. Options cross as one array rather than an
// argument each for the same reason, and the jitter as bits of `given` (its id would bring the
// ids and their comparison into the module). No `Result`: a
// thrown error brings JS values (and their table and glue) into a module that otherwise takes only
// numbers and strings; the refusal rides in the object instead.
#[wasm_bindgen]
pub fn create(concept: u32, numbers: &[f64], given: u32, text: &str) -> CoreObject {
    let made = match concept {
        0 => policy_from(numbers, given).map(CoreObject::policy),
        1 if given & NO_STATE != 0 => Ok(CoreObject::state(None)),
        1 => state_from(numbers, given).map(|state| CoreObject::state(Some(state))),
        _ => profile_from(numbers, text).map(CoreObject::profile),
    };
    made.unwrap_or_else(CoreObject::rejected)
}

fn policy_from(numbers: &[f64], given: u32) -> Result<RetryPolicy, InputError> {
    let index = (given >> JITTER_INDEX_SHIFT & 3) as usize;
    let jitter = (given & JITTER_GIVEN != 0).then(|| Jitter::ALL.get(index).copied());
    RetryPolicy::from_numbers(numbers, given, jitter)
}

fn admission_code(admission: Admission) -> u32 {
    let (code, wait_ms) = match admission {
        Admission::Allowed => (ADMISSION_ALLOWED, None),
        Admission::Wait { wait_ms } => (ADMISSION_WAIT, Some(wait_ms)),
        Admission::Rejected {
            reason,
            retry_in_ms,
        } => (ADMISSION_REJECTED + reason.index() as u32, retry_in_ms),
    };
    set_wait(ADMISSION_SLOT, wait_ms);
    code
}

/// Decides about one attempt, reading and updating `state` unless it is the no-state stand-in; returns
/// the reason index, or `u32::MAX` for a key that no classifier made (or a `policy` that is not one). `sent_ms` is when the attempt
/// was sent (negative: unknown, taken as `now_ms`); `backoff_ms` the caller's own backoff (negative:
/// none, the policy's).
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen]
pub fn decide(
    policy: &CoreObject,
    state: &mut CoreObject,
    verdict_key: u32,
    retry_after_ms: f64,
    attempt: u32,
    method_code: u32,
    flags: u32,
    elapsed_ms: f64,
    now_ms: f64,
    sent_ms: f64,
    previous_delay_ms: f64,
    origin: Option<String>,
    salt: f64,
    backoff_ms: f64,
) -> u32 {
    let (Some(policy), Some(mut verdict)) = (policy.as_policy(), verdict_from_key(verdict_key))
    else {
        return u32::MAX;
    };
    verdict.retry_after_ms = optional_ms(retry_after_ms);
    let outcome = Outcome {
        attempt,
        // NOTE: unread: `decide_for` takes the method by its index (see `method`).
        method: "",
        has_idempotency_key: flags & HAS_IDEMPOTENCY_KEY != 0,
        body_replayable: flags & BODY_REPLAYABLE != 0,
        verdict,
        elapsed_ms: duration_ms(elapsed_ms),
        now_ms: epoch_ms(now_ms),
        previous_delay_ms: duration_ms(previous_delay_ms),
        sent_ms: optional_ms(sent_ms),
        // NOTE: optional, not `&str` with '' for none: a string argument is copied into wasm
        // memory on every call, which made a decision without an origin 1.25 times slower.
        origin: origin.as_deref().unwrap_or(""),
        salt: duration_ms(salt),
        should_retry: match flags & (CALLER_RETRIES | CALLER_DECLINES) {
            CALLER_RETRIES => Some(true),
            CALLER_DECLINES => Some(false),
            _ => None,
        },
        backoff_ms: optional_ms(backoff_ms),
        offline: flags & OFFLINE != 0,
    };
    // Any other code is a method the table does not know (not idempotent, whatever its name, which
    // only JavaScript's sentence needs).
    let method = Method::KNOWN
        .get(method_code as usize)
        .copied()
        .unwrap_or(Method::Other);
    let decision = policy.decide_for(&outcome, method, state.as_state_mut());
    set_result(RETRY_SLOT, f64::from(u8::from(decision.retry)));
    set_result(DELAY_SLOT, decision.delay_ms as f64);
    set_wait(HINT_SLOT, decision.wait_hint_ms);
    set_wait(LIMIT_SLOT, decision.limit_ms);
    decision.reason.index() as u32
}

fn state_from(numbers: &[f64], given: u32) -> Result<ClientState, InputError> {
    ClientState::from_numbers(numbers, given)
}

#[wasm_bindgen]
impl CoreObject {
    /// One step of the policy's plan: its own wait after attempt `attempt` when the wait before it
    /// was `previous_delay_ms`; -1 when `bounded` and the policy allows no attempt after it (or for
    /// another kind). JS builds a plan from these steps, and counts them for `maxAttempts`.
    // NOTE: a number per call instead of the plan as an array: a returned array brings its own
    // glue on both sides, and plans are short and rare.
    #[wasm_bindgen(js_name = planStep)]
    pub fn plan_step(&self, attempt: u32, previous_delay_ms: f64, bounded: bool) -> f64 {
        match self.as_policy() {
            Some(policy) if !bounded || attempt < policy.options().max_attempts => {
                policy.plan_step(attempt, duration_ms(previous_delay_ms)) as f64
            }
            _ => -1.0,
        }
    }

    /// Whether an attempt to `origin` may be sent now, under `policy`'s limits (admission code);
    /// `retry` for any attempt after the first, which also waits for its slot in the origin's pace.
    pub fn admit(
        &mut self,
        policy: &CoreObject,
        origin: &str,
        now_ms: f64,
        elapsed_ms: f64,
        retry: bool,
    ) -> u32 {
        admission_code(match (self.as_state_mut(), policy.as_policy()) {
            (Some(state), Some(policy)) => {
                let (now_ms, elapsed_ms) = (epoch_ms(now_ms), duration_ms(elapsed_ms));
                policy.admission(state, origin, now_ms, elapsed_ms, retry)
            }
            _ => Admission::Allowed,
        })
    }

    /// Merges the facts another client told about `origin` (waits left in ms; all 0 when only
    /// asking), spends one retry from its budget when `spend_retry` (a hedge's: 1 in `RETRY_SLOT`
    /// when the budget allowed it or is off, else 0), then leaves what this state knows of it in the
    /// results: the facts in `GATE_SLOT`, `QUOTA_SLOT` and `OPEN_SLOT`, the breaker's phase as its
    /// index in `BreakerState::ALL` (0 closed, 1 open, 2 half-open) in `BREAKER_SLOT`, and the retries
    /// its budget allows in `BUDGET_SLOT` (-1: the budget is off). All 0 (and -1) for the no-state
    /// stand-in, which has no budget to refuse a hedge.
    // NOTE: one export for all of it: every export has its own glue on both sides of the boundary.
    pub fn share(
        &mut self,
        origin: &str,
        now_ms: f64,
        gate_ms: f64,
        quota_ms: f64,
        open_ms: f64,
        spend_retry: bool,
    ) {
        let told = SharedFacts {
            gate_ms: duration_ms(gate_ms),
            quota_ms: duration_ms(quota_ms),
            open_ms: duration_ms(open_ms),
        };
        let now_ms = epoch_ms(now_ms);
        let mut spent = true;
        let (facts, breaker, budget) = match self.as_state_mut() {
            Some(state) => {
                spent = !spend_retry || state.try_retry(origin, now_ms);
                (
                    state.learn(origin, told, now_ms),
                    state.breaker_state(origin, now_ms),
                    state.retries_available(origin, now_ms),
                )
            }
            None => (SharedFacts::default(), BreakerState::Closed, None),
        };
        set_result(RETRY_SLOT, f64::from(u8::from(spent)));
        set_result(GATE_SLOT, facts.gate_ms as f64);
        set_result(QUOTA_SLOT, facts.quota_ms as f64);
        set_result(OPEN_SLOT, facts.open_ms as f64);
        set_result(BREAKER_SLOT, f64::from(breaker as u8));
        set_result(BUDGET_SLOT, budget.map_or(-1.0, f64::from));
    }
}
