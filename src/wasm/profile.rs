//! The profile export: per-API rules, crossing in one call, validated once by the core and kept in
//! wasm memory.

use alloc::string::String;
use alloc::vec::Vec;

use wasm_bindgen::prelude::*;

use super::object::CoreObject;
use crate::error::InputError;
use crate::profile::{HeaderRuleSpec, Profile, ProfileSpec, RuleSpec};
use crate::text::split_byte;

/// Bits of a rule's second number: which header fields follow its kind among the strings.
const HEADER_NAME: u32 = 1;
const HEADER_EQUALS: u32 = 2;
const HEADER_INCLUDES: u32 = 4;

/// Builds and validates a profile; the error names the offending field. `rules` holds three numbers
/// per rule: its status, which header fields it has (bit 1 name, 2 equals, 4 includes) and how many
/// body patterns. `texts` holds the rules' strings in order, NUL-separated: the kind, the header
/// fields it has, then its patterns. JS refuses strings that contain NUL.
// NOTE: one call with two arguments instead of a class filled rule by rule and pattern by pattern:
// every method with optional strings had its own glue on both sides of the boundary.
/// `None` when a rule is invalid: `rejection` then names it.
#[wasm_bindgen(js_name = createProfile)]
pub fn create_profile(rules: &[f64], texts: &str) -> Option<CoreObject> {
    profile_from(rules, texts).ok().map(CoreObject::profile)
}

/// The profile these arguments describe (see `create_profile`), or why not.
pub(super) fn profile_from(rules: &[f64], texts: &str) -> Result<Profile, InputError> {
    let mut texts = split_byte(texts, 0);
    let mut next = || texts.next().map(String::from);
    let mut spec = ProfileSpec::default();
    for rule in rules.chunks(3) {
        let &[status, fields, patterns] = rule else {
            break;
        };
        let fields = fields as u32;
        let kind = next().unwrap_or_default();
        let mut field = |bit: u32| if fields & bit != 0 { next() } else { None };
        let name = field(HEADER_NAME);
        let equals = field(HEADER_EQUALS);
        let includes = field(HEADER_INCLUDES);
        let header = name.map(|name| HeaderRuleSpec {
            name,
            equals,
            includes,
        });
        let body_includes: Vec<String> = (0..patterns as usize).map_while(|_| next()).collect();
        spec.rules.push(RuleSpec {
            status,
            kind,
            body_includes: (patterns > 0.0).then_some(body_includes),
            header,
        });
    }
    Profile::new(spec)
}
