//! The simulator export, compiled only into the demo page's own wasm (this crate's), never into the
//! npm package: the page runs whole fleets in the browser, the package stays small.

use wasm_bindgen::prelude::*;

use crate::{run_scenario as run, PolicyKind, SCENARIOS};

/// Runs one scenario for one policy and returns its report (metrics and a per-second series).
#[wasm_bindgen(js_name = runScenario)]
pub fn run_scenario(name: &str, policy: &str, seed: f64, scale: f64) -> Result<JsValue, JsValue> {
    let invalid = |message: String| {
        let error = JsValue::from(js_sys::RangeError::new(&message));
        // NOTE: setting a property on a fresh Error cannot fail; ignoring the Result keeps this total.
        let _ = js_sys::Reflect::set(&error, &"code".into(), &"ERR_INVALID_ARGUMENT".into());
        error
    };
    let policy = PolicyKind::from_id(policy)
        .ok_or_else(|| invalid(format!("Unknown policy `{policy}`.")))?;
    if !(seed.is_finite() && seed >= 0.0 && seed.fract() == 0.0) {
        return Err(invalid(
            "Expected `seed` to be a non-negative integer.".into(),
        ));
    }
    // NOTE: the checks above make this conversion exact up to 2^53; larger seeds saturate.
    let report =
        run(name, policy, seed as u64, scale).map_err(|error| invalid(error.to_string()))?;
    let serializer = serde_wasm_bindgen::Serializer::new()
        .serialize_missing_as_null(true)
        .serialize_maps_as_objects(true);
    serde::Serialize::serialize(&report, &serializer).map_err(|error| invalid(error.to_string()))
}

/// The scenarios `runScenario` knows.
#[wasm_bindgen(js_name = scenarioNames)]
pub fn scenario_names() -> Vec<String> {
    SCENARIOS.iter().map(|name| (*name).into()).collect()
}

/// The policies `runScenario` knows, by id.
#[wasm_bindgen(js_name = policyIds)]
pub fn policy_ids() -> Vec<String> {
    PolicyKind::ALL
        .iter()
        .map(|policy| policy.id().into())
        .collect()
}
