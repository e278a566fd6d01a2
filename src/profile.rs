//! User profiles: per-API rules that override the built-in variant detection.
//!
//! APIs word their errors differently, so a profile lets a user say "on this API, a 404 whose body
//! mentions `no such user` is `wrong_identifier`" or "a 429 with `x-quota-remaining: 0` is
//! `quota_exceeded`". A profile is validated once, up front, and every error names the offending
//! field (`rules[2].kind`), because a silently ignored rule is worse than a loud one.

use alloc::string::String;
use alloc::vec::Vec;

use serde::Deserialize;

use crate::error::InputError;
use crate::headers::HeaderBlock;
use crate::kind::Kind;
use crate::option_check::CHECKED_HERE;
use crate::status::status_problem;
use crate::text::{contains_ignore_case, is_token_symbol, push_decimal, scan_window};

/// Most rules one profile may hold; profiles are meant to be short and hand-written.
pub const MAX_RULES: usize = 256;
/// Most patterns one rule may hold.
pub const MAX_PATTERNS_PER_RULE: usize = 64;
/// Longest pattern or header value a rule may compare, in bytes.
pub const MAX_PATTERN_BYTES: usize = 256;
/// Most bytes of patterns one profile may search for, over all its rules: every `bodyIncludes`
/// pattern, and every `header.includes` value counted twice (a header value is read up to 4096
/// bytes, twice the body's 2048).
///
/// Matching is naive (each pattern compared at every offset, ignoring ASCII case), so this bounds
/// the work of one classify: at most 2048 × 4096 byte comparisons (about 8.4 million), with one
/// line per header a rule reads, as `fetch` joins repeated headers. The other limits alone allow
/// 256 × 64 patterns of 256 bytes: billions of comparisons against a 2 KB body that almost
/// matches, seconds per classify.
pub const MAX_PROFILE_PATTERN_BYTES: usize = 4096;

/// A profile as the user writes it (JS: a plain object). Unknown fields are rejected.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileSpec {
    /// Rules in priority order: the first that matches a response decides its kind.
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
}

/// One rule: for a status, a body pattern and/or a header test → a kind.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RuleSpec {
    /// The status the rule applies to (an integer from 100 to 599). A float, because that is what
    /// JavaScript sends; a fraction or a value out of range is an error naming the field.
    pub status: f64,
    /// The kind id to give a matching response (any non-transport kind).
    pub kind: String,
    /// Matches when the reply body contains any of these, ignoring ASCII case.
    #[serde(default)]
    pub body_includes: Option<Vec<String>>,
    /// Matches on one response header.
    #[serde(default)]
    pub header: Option<HeaderRuleSpec>,
}

/// A header test: present (no `equals`/`includes`), equal to a value, or containing one.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderRuleSpec {
    /// Header name, case-insensitive.
    pub name: String,
    /// Exact value, compared ignoring ASCII case.
    #[serde(default)]
    pub equals: Option<String>,
    /// Substring of the value, compared ignoring ASCII case.
    #[serde(default)]
    pub includes: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum HeaderTest {
    Present,
    Equals(String),
    Includes(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct HeaderRule {
    name: String,
    test: HeaderTest,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Rule {
    status: u16,
    kind: Kind,
    body_includes: Vec<String>,
    header: Option<HeaderRule>,
}

/// A validated profile, ready to classify with.
///
/// ```
/// use http_verdict::{headers::HeaderBlock, kind::Kind};
/// use http_verdict::profile::{Profile, ProfileSpec, RuleSpec};
/// let spec = ProfileSpec { rules: vec![RuleSpec {
///     status: 404.0, kind: "wrong_identifier".into(),
///     body_includes: Some(vec!["no such user".into()]), header: None,
/// }] };
/// let profile = Profile::new(spec)?;
/// assert_eq!(profile.kind_for(404, &HeaderBlock::empty(), Some("No such user: 7")), Some(Kind::WrongIdentifier));
/// assert_eq!(profile.kind_for(404, &HeaderBlock::empty(), Some("Not Found")), None);
/// # Ok::<(), http_verdict::InputError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    rules: Vec<Rule>,
}

/// `rules[index]` followed by `rest` (like `.kind` or `.bodyIncludes[2]`), without `format!`.
fn rule_field(index: usize, rest: &[&str]) -> String {
    let mut field = String::from("rules[");
    push_decimal(&mut field, index as u64);
    field.push(']');
    for part in rest {
        field.push_str(part);
    }
    field
}

fn invalid(field: String, problem: &'static str) -> InputError {
    InputError::profile(field, problem)
}

/// One rule's fields, borrowed from a [`RuleSpec`] or from the strings the bindings receive, so that
/// both are validated by the same code and neither is copied before it is valid.
pub(crate) struct RuleParts<'a> {
    pub(crate) status: f64,
    /// The kind its id names, if any.
    pub(crate) kind: Option<Kind>,
    /// How many `bodyIncludes` patterns the rule has (0 for none).
    pub(crate) pattern_count: usize,
    pub(crate) header: Option<HeaderParts<'a>>,
}

/// A header test's fields, borrowed (see [`RuleParts`]).
pub(crate) struct HeaderParts<'a> {
    pub(crate) name: &'a str,
    pub(crate) equals: Option<&'a str>,
    pub(crate) includes: Option<&'a str>,
}

// What a rule's field must be (the end of the sentence after its name), written to tables.json for
// the package's JavaScript, which checks profiles before they cross (see `CHECKED_HERE`).
/// `rules[i].status`.
pub const STATUS_PROBLEM: &str = "must be an integer HTTP status from 100 to 599";
/// `rules[i].kind` names a transport kind.
pub const TRANSPORT_KIND_PROBLEM: &str = "must be an HTTP kind, not a transport kind";
/// `rules[i].kind` names no kind.
pub const UNKNOWN_KIND_PROBLEM: &str = "is not a known kind id";
/// `rules[i].bodyIncludes` is too long.
pub const PATTERN_COUNT_PROBLEM: &str = "has more than 64 patterns";
/// `rules[i].bodyIncludes[j]`.
pub const PATTERN_PROBLEM: &str = "must be a non-blank string of at most 256 bytes";
/// `rules[i].header.name`.
pub const HEADER_NAME_PROBLEM: &str = "must be a valid HTTP header name";
/// `rules[i].header.equals` or `.includes`.
pub const HEADER_VALUE_PROBLEM: &str = "must be a single-line string of at most 256 bytes";
/// `rules[i].header.equals` given with `includes`.
pub const HEADER_BOTH_PROBLEM: &str = "cannot be combined with `includes`";
/// `rules` is too long.
pub const RULE_COUNT_PROBLEM: &str = "has more than 256 rules";
/// `rules` search for too many bytes in all.
pub const PATTERN_BYTES_PROBLEM: &str =
    "has patterns of more than 4096 bytes in all (bodyIncludes, and header.includes counted twice)";

/// Checks a rule's header test; errors name `rules[index].header.*`.
fn check_header(index: usize, parts: &HeaderParts) -> Result<(), InputError> {
    let field = |name: &str| rule_field(index, &[".header.", name]);
    // NOTE: bytes, not chars: a token is ASCII, and std's char patterns cost the wasm module KBs.
    let is_token_byte = |byte: u8| byte.is_ascii_alphanumeric() || is_token_symbol(byte);
    if parts.name.is_empty()
        || parts.name.len() > MAX_PATTERN_BYTES
        || !parts.name.bytes().all(is_token_byte)
    {
        return Err(invalid(field("name"), HEADER_NAME_PROBLEM));
    }
    let single_line = |value: &str| {
        value.len() <= MAX_PATTERN_BYTES
            && !value.bytes().any(|byte| byte == b'\r' || byte == b'\n')
    };
    match (parts.equals, parts.includes) {
        (Some(_), Some(_)) => Err(invalid(field("equals"), HEADER_BOTH_PROBLEM)),
        (Some(value), None) if !single_line(value) => {
            Err(invalid(field("equals"), HEADER_VALUE_PROBLEM))
        }
        (None, Some(value)) if !single_line(value) => {
            Err(invalid(field("includes"), HEADER_VALUE_PROBLEM))
        }
        _ => Ok(()),
    }
}

/// `text` in ASCII lowercase, as a rule keeps its strings.
// NOTE: a call, so that the four strings of a rule share one copy of the allocation and the loop
// (-85 B gzip).
#[inline(never)]
fn lowercased(text: &str) -> String {
    text.to_ascii_lowercase()
}

/// A rule's header test, checked.
fn header_rule(parts: HeaderParts) -> HeaderRule {
    let test = match (parts.equals, parts.includes) {
        (Some(value), _) => HeaderTest::Equals(lowercased(value)),
        (None, Some(value)) => HeaderTest::Includes(lowercased(value)),
        (None, None) => HeaderTest::Present,
    };
    HeaderRule {
        name: lowercased(parts.name),
        test,
    }
}

/// Validates rules one by one into a [`Profile`]; the error names the first offending field.
pub(crate) struct ProfileBuilder {
    rules: Vec<Rule>,
}

impl ProfileBuilder {
    /// A builder for `count` rules: more than [`MAX_RULES`] is refused before any is read.
    // NOTE: inlined, so that the package's wasm sees it cannot fail there (see `read_numbers`).
    #[inline]
    pub(crate) fn new(count: usize) -> Result<Self, InputError> {
        if CHECKED_HERE && count > MAX_RULES {
            return Err(invalid("rules".into(), RULE_COUNT_PROBLEM));
        }
        Ok(Self {
            rules: Vec::with_capacity(count.min(MAX_RULES)),
        })
    }

    /// Validates the next rule; `patterns` yields its `pattern_count` body patterns.
    pub(crate) fn push<'a>(
        &mut self,
        parts: RuleParts<'a>,
        patterns: impl Iterator<Item = &'a str>,
    ) -> Result<(), InputError> {
        let index = self.rules.len();
        let field = |name: &str| rule_field(index, &[".", name]);
        // NOTE: the problem without the error: the package's wasm builds no error here.
        let status = status_problem(parts.status);
        let kind = parts.kind;
        if CHECKED_HERE {
            if status.is_err() {
                return Err(invalid(field("status"), STATUS_PROBLEM));
            }
            match kind {
                Some(kind) if kind.is_transport() => {
                    return Err(invalid(field("kind"), TRANSPORT_KIND_PROBLEM))
                }
                Some(_) => {}
                None => return Err(invalid(field("kind"), UNKNOWN_KIND_PROBLEM)),
            }
            if parts.pattern_count > MAX_PATTERNS_PER_RULE {
                return Err(invalid(field("bodyIncludes"), PATTERN_COUNT_PROBLEM));
            }
        }
        let mut body_includes = Vec::new();
        for pattern in patterns.take(parts.pattern_count.min(MAX_PATTERNS_PER_RULE)) {
            if CHECKED_HERE
                && (pattern.bytes().all(|byte| byte.is_ascii_whitespace())
                    || pattern.len() > MAX_PATTERN_BYTES)
            {
                let mut field = rule_field(index, &[".bodyIncludes["]);
                push_decimal(&mut field, body_includes.len() as u64);
                field.push(']');
                return Err(invalid(field, PATTERN_PROBLEM));
            }
            body_includes.push(lowercased(pattern));
        }
        let header = match parts.header {
            Some(header) => {
                if CHECKED_HERE {
                    check_header(index, &header)?;
                }
                Some(header_rule(header))
            }
            None => None,
        };
        self.rules.push(Rule {
            // NOTE: checked (here or, in the package, by JavaScript); whatever it is given, a
            // status outside 100-599 would only be a rule that never matches.
            status: status.unwrap_or_default(),
            kind: kind.unwrap_or(Kind::BadRequest),
            body_includes,
            header,
        });
        Ok(())
    }

    /// The profile of the rules pushed, unless their patterns are too long in all.
    pub(crate) fn finish(self) -> Result<Profile, InputError> {
        // NOTE: at most 256 × (64 + 2) × 256 here, so the sum cannot overflow. Summed only when
        // checked: the optimiser kept the unused loops in the package's wasm (-60 B gzip).
        let pattern_bytes = || self.rules.iter().map(Rule::pattern_bytes).sum::<usize>();
        if CHECKED_HERE && pattern_bytes() > MAX_PROFILE_PATTERN_BYTES {
            return Err(invalid("rules".into(), PATTERN_BYTES_PROBLEM));
        }
        Ok(Profile { rules: self.rules })
    }
}

impl Profile {
    /// Validates a spec. The error names the first offending field.
    pub fn new(spec: ProfileSpec) -> Result<Profile, InputError> {
        let mut builder = ProfileBuilder::new(spec.rules.len())?;
        for rule in &spec.rules {
            let patterns = rule.body_includes.as_deref().unwrap_or_default();
            let parts = RuleParts {
                status: rule.status,
                kind: Kind::from_id(&rule.kind),
                pattern_count: patterns.len(),
                header: rule.header.as_ref().map(|header| HeaderParts {
                    name: &header.name,
                    equals: header.equals.as_deref(),
                    includes: header.includes.as_deref(),
                }),
            };
            builder.push(parts, patterns.iter().map(String::as_str))?;
        }
        builder.finish()
    }
}

impl Profile {
    /// The kind the first matching rule gives this response, if any rule matches.
    pub fn kind_for(&self, status: u16, headers: &HeaderBlock, body: Option<&str>) -> Option<Kind> {
        self.rules
            .iter()
            .find(|rule| rule.matches(status, headers, body))
            .map(|rule| rule.kind)
    }

    /// Names of the headers the rules read, so that callers forward them (lowercase, no repeats).
    pub fn header_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for header in self.rules.iter().filter_map(|rule| rule.header.as_ref()) {
            if !names.contains(&header.name.as_str()) {
                names.push(&header.name);
            }
        }
        names
    }

    /// Whether the profile has no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

impl Rule {
    /// What the rule's patterns count against [`MAX_PROFILE_PATTERN_BYTES`].
    fn pattern_bytes(&self) -> usize {
        let header_bytes = match &self.header {
            Some(HeaderRule {
                test: HeaderTest::Includes(part),
                ..
            }) => part.len(),
            _ => 0,
        };
        self.body_includes.iter().map(String::len).sum::<usize>() + 2 * header_bytes
    }

    fn matches(&self, status: u16, headers: &HeaderBlock, body: Option<&str>) -> bool {
        if self.status != status {
            return false;
        }
        if !self.body_includes.is_empty() {
            let Some(body) = body.map(scan_window) else {
                return false;
            };
            if !self
                .body_includes
                .iter()
                .any(|pattern| contains_ignore_case(body, pattern))
            {
                return false;
            }
        }
        match &self.header {
            None => true,
            Some(rule) => headers.get_all(&rule.name).any(|value| match &rule.test {
                HeaderTest::Present => true,
                HeaderTest::Equals(expected) => value.eq_ignore_ascii_case(expected),
                HeaderTest::Includes(part) => contains_ignore_case(value, part),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::MAX_BODY_SCAN_BYTES;
    use alloc::string::ToString;
    use alloc::vec;

    fn body_rule(patterns: Vec<String>) -> RuleSpec {
        RuleSpec {
            status: 404.0,
            kind: "wrong_identifier".into(),
            body_includes: Some(patterns),
            header: None,
        }
    }

    fn includes_rule(part: String) -> RuleSpec {
        RuleSpec {
            status: 404.0,
            kind: "wrong_identifier".into(),
            body_includes: None,
            header: Some(HeaderRuleSpec {
                name: "x-error".into(),
                equals: None,
                includes: Some(part),
            }),
        }
    }

    /// `total_bytes` of body patterns of `pattern_bytes` each (the last one shorter), each
    /// `a…ab`, packed into rules of at most 64 patterns.
    fn near_miss_rules(total_bytes: usize, pattern_bytes: usize) -> Vec<RuleSpec> {
        let mut patterns = Vec::new();
        let mut left = total_bytes;
        while left > 0 {
            let bytes = left.min(pattern_bytes);
            patterns.push("a".repeat(bytes - 1) + "b");
            left -= bytes;
        }
        patterns
            .chunks(MAX_PATTERNS_PER_RULE)
            .map(|chunk| body_rule(chunk.to_vec()))
            .collect()
    }

    fn check(rules: Vec<RuleSpec>) -> Result<Profile, InputError> {
        Profile::new(ProfileSpec { rules })
    }

    /// Byte comparisons the naive matcher makes for `profile` against a body of `body_bytes` and
    /// one header line of `header_bytes` that no pattern matches but every window almost does:
    /// one window per offset, each compared over the whole pattern before it fails on the last
    /// byte (`find_ignore_case` compares a window with `eq_ignore_ascii_case`).
    fn near_miss_comparisons(profile: &Profile, body_bytes: usize, header_bytes: usize) -> usize {
        let cost = |text_bytes: usize, pattern: &str| {
            let windows = (text_bytes + 1).saturating_sub(pattern.len());
            windows * pattern.len()
        };
        let body_bytes = body_bytes.min(MAX_BODY_SCAN_BYTES);
        profile
            .rules
            .iter()
            .map(|rule| {
                let body: usize = rule
                    .body_includes
                    .iter()
                    .map(|pattern| cost(body_bytes, pattern))
                    .sum();
                let header = match &rule.header {
                    Some(HeaderRule {
                        test: HeaderTest::Includes(part),
                        ..
                    }) => cost(header_bytes, part),
                    _ => 0,
                };
                body + header
            })
            .sum()
    }

    const BUDGET_MESSAGE: &str = "Invalid profile: `rules` has patterns of more than 4096 bytes in all (bodyIncludes, and header.includes counted twice)";

    #[test]
    fn patterns_up_to_the_budget_are_accepted_and_one_byte_more_is_not() {
        let at_budget = near_miss_rules(MAX_PROFILE_PATTERN_BYTES, MAX_PATTERN_BYTES);
        assert_eq!(at_budget.len(), 1);
        assert!(check(at_budget.clone()).is_ok());
        let mut over = at_budget;
        over.push(body_rule(vec!["x".into()]));
        let error = check(over).expect_err("one byte over the budget");
        assert_eq!(error.field, "rules");
        assert_eq!(error.message(), BUDGET_MESSAGE);
        // Spread over many rules, the total is what counts.
        assert!(check(near_miss_rules(MAX_PROFILE_PATTERN_BYTES, 1)).is_ok());
        let error = check(near_miss_rules(MAX_PROFILE_PATTERN_BYTES + 1, 1)).expect_err("over");
        assert_eq!(error.message(), BUDGET_MESSAGE);
    }

    #[test]
    fn header_includes_values_count_twice_against_the_budget() {
        // 8 values of 256 bytes: 2048 bytes, counted as 4096.
        let half = MAX_PROFILE_PATTERN_BYTES / 2 / MAX_PATTERN_BYTES;
        let at_budget: Vec<RuleSpec> = (0..half)
            .map(|_| includes_rule("a".repeat(MAX_PATTERN_BYTES)))
            .collect();
        assert!(check(at_budget.clone()).is_ok());
        let mut over = at_budget.clone();
        over.push(body_rule(vec!["x".into()]));
        assert_eq!(check(over).expect_err("over").message(), BUDGET_MESSAGE);
        // `equals` compares one value once, so it costs no more than its length and is not counted.
        let mut with_equals = at_budget;
        with_equals.push(RuleSpec {
            header: Some(HeaderRuleSpec {
                name: "x-error".into(),
                equals: Some("a".repeat(MAX_PATTERN_BYTES)),
                includes: None,
            }),
            ..body_rule(vec![])
        });
        assert!(check(with_equals).is_ok());
    }

    #[test]
    fn field_errors_are_reported_before_the_budget() {
        let mut rules = near_miss_rules(MAX_PROFILE_PATTERN_BYTES + 1, MAX_PATTERN_BYTES);
        rules.push(RuleSpec {
            kind: "nope".into(),
            ..body_rule(vec!["x".into()])
        });
        let field = check(rules).expect_err("invalid").field;
        assert_eq!(field, "rules[1].kind");
    }

    #[test]
    fn the_worst_accepted_profile_stays_within_the_comparison_bound() {
        let bound = MAX_BODY_SCAN_BYTES * MAX_PROFILE_PATTERN_BYTES;
        let body = "a".repeat(MAX_BODY_SCAN_BYTES + 1_000);
        let header_value = "a".repeat(crate::headers::MAX_HEADER_VALUE_BYTES);
        let headers_text = "x-error: ".to_string() + &header_value;
        let headers = HeaderBlock::new(&headers_text);
        let mut worst = 0;
        for pattern_bytes in [1, 2, 8, 100, 255, MAX_PATTERN_BYTES] {
            // Body patterns alone, then half the budget in header `includes` (one per rule, and
            // rules left for the body patterns) with body patterns filling the rest.
            let includes = (MAX_PROFILE_PATTERN_BYTES / 2 / pattern_bytes).min(MAX_RULES / 2);
            let mut header_heavy: Vec<RuleSpec> = (0..includes)
                .map(|_| includes_rule("a".repeat(pattern_bytes - 1) + "b"))
                .collect();
            let left = MAX_PROFILE_PATTERN_BYTES - 2 * includes * pattern_bytes;
            header_heavy.extend(near_miss_rules(left, pattern_bytes));
            for rules in [
                near_miss_rules(MAX_PROFILE_PATTERN_BYTES, pattern_bytes),
                header_heavy,
            ] {
                let profile = check(rules).expect("at the budget");
                // Every rule is tried and none matches: the most work a classify can do.
                assert_eq!(profile.kind_for(404, &headers, Some(&body)), None);
                let comparisons = near_miss_comparisons(&profile, body.len(), header_value.len());
                assert!(
                    comparisons <= bound,
                    "{pattern_bytes}-byte patterns: {comparisons}"
                );
                worst = worst.max(comparisons);
            }
        }
        // The bound is nearly reached, so it is the right one to state.
        assert!(worst > bound / 10 * 9, "{worst}");
        // What the other limits alone allowed: hundreds of times more.
        // NOTE: u64, because the product overflows a 32-bit usize (the wasm32 test build).
        let unbounded = [
            MAX_RULES,
            MAX_PATTERNS_PER_RULE,
            MAX_BODY_SCAN_BYTES + 1 - MAX_PATTERN_BYTES,
            MAX_PATTERN_BYTES,
        ]
        .iter()
        .map(|&factor| factor as u64)
        .product::<u64>();
        assert!(unbounded > 800 * bound as u64, "{unbounded}");
    }
}
