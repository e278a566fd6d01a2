//! The profile export: per-API rules validated once and kept in wasm memory.

use wasm_bindgen::prelude::*;

use super::classify::classify_to_key;
use super::{error_with_code, from_js};
use crate::profile::{Profile, ProfileSpec};

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
        let spec: ProfileSpec =
            from_js(spec).map_err(|problem| invalid(format!("Invalid profile: {problem}")))?;
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
