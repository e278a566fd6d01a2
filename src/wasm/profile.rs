//! Profiles from JavaScript: per-API rules, crossing in one call (`create`), validated once by the
//! core and kept in wasm memory.

use crate::error::InputError;
use crate::kind::Kind;
use crate::profile::{HeaderParts, Profile, ProfileBuilder, RuleParts};
use crate::text::split_byte;

/// Bits of a rule's third number: which header fields are among its strings.
const HEADER_NAME: u32 = 1;
const HEADER_EQUALS: u32 = 2;
const HEADER_INCLUDES: u32 = 4;

/// The profile these arguments describe, or why not: `rules` holds four numbers per rule (its
/// status, its kind's index in `Kind::ALL`, which header fields it has: bit 1 name, 2 equals, 4
/// includes, and how many body patterns); `texts` holds the rules' strings in order,
/// NUL-separated: the header fields it has, then its patterns. JS refuses strings that contain NUL. The rules are validated
/// straight from the strings given: nothing is copied before it is valid.
// NOTE: one call with two arguments instead of a class filled rule by rule and pattern by pattern:
// every method with optional strings had its own glue on both sides of the boundary.
pub(super) fn profile_from(rules: &[f64], texts: &str) -> Result<Profile, InputError> {
    let mut texts = split_byte(texts, 0);
    let mut builder = ProfileBuilder::new(rules.len() / 4)?;
    for rule in rules.chunks_exact(4) {
        let &[status, kind, fields, patterns] = rule else {
            break;
        };
        let fields = fields as u32;
        // NOTE: by index, so the package's wasm carries no kind ids (JavaScript has them).
        // Float-to-int `as` saturates: a hostile index is no kind.
        let kind = Kind::ALL.get(kind as usize).copied();
        let mut field = |bit: u32| {
            if fields & bit != 0 {
                texts.next()
            } else {
                None
            }
        };
        let name = field(HEADER_NAME);
        let equals = field(HEADER_EQUALS);
        let includes = field(HEADER_INCLUDES);
        let parts = RuleParts {
            status,
            kind,
            // NOTE: float-to-int `as` saturates: a hostile count is refused as too many patterns.
            pattern_count: patterns as usize,
            header: name.map(|name| HeaderParts {
                name,
                equals,
                includes,
            }),
        };
        builder.push(parts, &mut texts)?;
    }
    builder.finish()
}
