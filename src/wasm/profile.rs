//! The profile export: per-API rules, built rule by rule from JS, validated once by the core and
//! kept in wasm memory.

use alloc::string::String;
use alloc::vec::Vec;

use wasm_bindgen::prelude::*;

use super::classify::classify_to_key;
use crate::profile::{HeaderRuleSpec, Profile, ProfileSpec, RuleSpec};

/// A classification profile (see `createProfile` in the JS API): filled with `rule` and `pattern`,
/// then `finish`ed, which validates it.
#[wasm_bindgen]
pub struct ClassifierProfile {
    spec: ProfileSpec,
    inner: Profile,
}

#[wasm_bindgen]
impl ClassifierProfile {
    /// An empty profile.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> ClassifierProfile {
        ClassifierProfile {
            spec: ProfileSpec::default(),
            inner: Profile::default(),
        }
    }

    /// Appends a rule; `header_name` absent means the rule has no header test.
    pub fn rule(
        &mut self,
        status: f64,
        kind: String,
        header_name: Option<String>,
        equals: Option<String>,
        includes: Option<String>,
    ) {
        self.spec.rules.push(RuleSpec {
            status,
            kind,
            body_includes: None,
            header: header_name.map(|name| HeaderRuleSpec {
                name,
                equals,
                includes,
            }),
        });
    }

    /// Appends a body pattern to the last rule.
    pub fn pattern(&mut self, pattern: String) {
        if let Some(rule) = self.spec.rules.last_mut() {
            rule.body_includes
                .get_or_insert_with(Vec::new)
                .push(pattern);
        }
    }

    /// Validates the rules added so far; the error names the offending field.
    pub fn finish(&mut self) -> Result<(), JsError> {
        self.inner = Profile::new(core::mem::take(&mut self.spec))
            .map_err(|error| JsError::new(&error.message()))?;
        Ok(())
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
}
