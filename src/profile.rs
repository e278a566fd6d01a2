//! User profiles: per-API rules that override the built-in variant detection.
//!
//! APIs word their errors differently, so a profile lets a user say "on this API, a 404 whose body
//! mentions `no such user` is `wrong_identifier`" or "a 429 with `x-quota-remaining: 0` is
//! `quota_exceeded`". A profile is validated once, up front, and every error names the offending
//! field (`rules[2].kind`), because a silently ignored rule is worse than a loud one.

use alloc::string::String;
use alloc::vec::Vec;

use serde::Deserialize;

use crate::headers::HeaderBlock;
use crate::kind::Kind;
use crate::status::status_from_number;
use crate::text::{contains_ignore_case, join, push_decimal, scan_window};

/// Most rules one profile may hold; profiles are meant to be short and hand-written.
pub const MAX_RULES: usize = 256;
/// Most patterns one rule may hold.
pub const MAX_PATTERNS_PER_RULE: usize = 64;
/// Longest pattern or header value a rule may compare, in bytes.
pub const MAX_PATTERN_BYTES: usize = 256;

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

/// A profile that failed validation: the path of the field and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileError {
    /// Path of the offending field, like `rules[0].kind`.
    pub field: String,
    /// What is wrong, as a sentence fragment.
    pub problem: String,
}

impl ProfileError {
    /// The sentence users see: ``Invalid profile: `rules[0].kind` is not a known kind id``.
    pub fn message(&self) -> String {
        join(&["Invalid profile: `", &self.field, "` ", &self.problem])
    }
}

impl core::fmt::Display for ProfileError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for ProfileError {}

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
/// # Ok::<(), http_verdict::profile::ProfileError>(())
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

fn invalid(field: String, problem: &str) -> ProfileError {
    ProfileError {
        field,
        problem: problem.into(),
    }
}

impl Profile {
    /// Validates a spec. The error names the first offending field.
    pub fn new(spec: ProfileSpec) -> Result<Profile, ProfileError> {
        if spec.rules.len() > MAX_RULES {
            return Err(invalid("rules".into(), "has more than 256 rules"));
        }
        let rules = spec
            .rules
            .into_iter()
            .enumerate()
            .map(|(index, rule)| Self::validate_rule(index, rule))
            .collect::<Result<_, _>>()?;
        Ok(Profile { rules })
    }

    fn validate_rule(index: usize, spec: RuleSpec) -> Result<Rule, ProfileError> {
        let field = |name: &str| rule_field(index, &[".", name]);
        let Ok(status) = status_from_number(spec.status) else {
            return Err(invalid(
                field("status"),
                "must be an integer HTTP status from 100 to 599",
            ));
        };
        let kind = match Kind::from_id(&spec.kind) {
            Some(kind) if !kind.is_transport() => kind,
            Some(_) => {
                return Err(invalid(
                    field("kind"),
                    "must be an HTTP kind, not a transport kind",
                ))
            }
            None => return Err(invalid(field("kind"), "is not a known kind id")),
        };
        let body_includes = spec.body_includes.unwrap_or_default();
        if body_includes.len() > MAX_PATTERNS_PER_RULE {
            return Err(invalid(field("bodyIncludes"), "has more than 64 patterns"));
        }
        for (pattern_index, pattern) in body_includes.iter().enumerate() {
            if pattern.trim().is_empty() || pattern.len() > MAX_PATTERN_BYTES {
                return Err(invalid(
                    {
                        let mut field = rule_field(index, &[".bodyIncludes["]);
                        push_decimal(&mut field, pattern_index as u64);
                        field.push(']');
                        field
                    },
                    "must be a non-blank string of at most 256 bytes",
                ));
            }
        }
        let header = spec
            .header
            .map(|header| Self::validate_header(index, header))
            .transpose()?;
        Ok(Rule {
            status,
            kind,
            body_includes: body_includes
                .into_iter()
                .map(|pattern| pattern.to_ascii_lowercase())
                .collect(),
            header,
        })
    }

    fn validate_header(index: usize, spec: HeaderRuleSpec) -> Result<HeaderRule, ProfileError> {
        let field = |name: &str| rule_field(index, &[".header.", name]);
        let is_token_char = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if spec.name.is_empty()
            || spec.name.len() > MAX_PATTERN_BYTES
            || !spec.name.chars().all(is_token_char)
        {
            return Err(invalid(field("name"), "must be a valid HTTP header name"));
        }
        let checked = |value: String, name: &str| {
            if value.len() > MAX_PATTERN_BYTES || value.contains(['\r', '\n']) {
                Err(invalid(
                    field(name),
                    "must be a single-line string of at most 256 bytes",
                ))
            } else {
                Ok(value.to_ascii_lowercase())
            }
        };
        let test = match (spec.equals, spec.includes) {
            (Some(_), Some(_)) => {
                return Err(invalid(
                    field("equals"),
                    "cannot be combined with `includes`",
                ))
            }
            (Some(value), None) => HeaderTest::Equals(checked(value, "equals")?),
            (None, Some(value)) => HeaderTest::Includes(checked(value, "includes")?),
            (None, None) => HeaderTest::Present,
        };
        Ok(HeaderRule {
            name: spec.name.to_ascii_lowercase(),
            test,
        })
    }

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
