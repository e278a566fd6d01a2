//! Rate-limit headers: how much of the current window is left and when it resets.
//!
//! Servers state this in several dialects, read here per field in order of precedence (the first
//! source that states a field wins):
//! 1. the IETF draft (draft-ietf-httpapi-ratelimit-headers): the structured `RateLimit:
//!    "default";r=0;t=30` with `RateLimit-Policy: "default";q=100;w=60`, then the older
//!    `RateLimit: limit=100, remaining=0, reset=30`, then the older separate `RateLimit-Limit`,
//!    `RateLimit-Remaining` and `RateLimit-Reset` (delta seconds);
//! 2. the vendor `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`, or when none
//!    of them is read, the same three spelled `X-Rate-Limit-*` (X, Okta), else OpenAI's pairs
//!    `X-RateLimit-*-Requests` and `X-RateLimit-*-Tokens` (the exhausted one counts).
//!
//! `X-RateLimit-Reset` means different things at different vendors, so its magnitude decides: a
//! value of at least `1_000_000_000_000` is epoch milliseconds, at least `1_000_000_000` is epoch
//! seconds (September 2001 onwards; no real delay is 31 years long), anything smaller is delta
//! seconds. Epoch values become a wait from the caller's clock (a reset in the past means 0). It
//! alone may carry a fraction of up to three digits (`1.5`), rounded up to whole milliseconds.
//! A reset may also be written out: a Go duration (`6m0s`), an HTTP-date or an ISO 8601 instant
//! (Jira's `2026-12-07T10:05Z`).
//!
//! Everything else is non-negative ASCII-digit integers, saturating rather than overflowing; all ms
//! values are capped at [`MAX_WAIT_MS`]. A malformed field, or a repeated field whose repetitions
//! disagree, is ignored (treated as absent), never an error: a bad hint must not hide a good one.

use core::cmp::Reverse;

use crate::headers::{HeaderBlock, Values, MAX_LIST_MEMBERS};
use crate::http_date::{parse_http_date, parse_iso_instant};
use crate::retry_after::{
    agreed_header_value, agreed_integer, agreed_list_value, capped_wait_ms, delay_seconds_ms,
    fractional_seconds, parse_delay_seconds, parse_digits, saturating_mul_by, server_now_ms,
    trim_ows, EPOCH_MS_FROM, EPOCH_SECONDS_FROM, MAX_WAIT_MS,
};
use crate::text::{after_byte, before_byte, is_token_symbol, split_byte, split_once_byte};
use crate::wait_source::WaitSource;

/// What rate-limit headers say about the current window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RateLimitHint {
    /// Requests left in the current window, when stated.
    pub remaining: Option<u64>,
    /// Wait until the window resets, in ms, when stated.
    pub reset_ms: Option<u64>,
    /// Length of the window in ms, when stated (policy `w`).
    pub window_ms: Option<u64>,
    /// The quota per window, when stated (policy `q` or *-limit).
    pub limit: Option<u64>,
}

impl RateLimitHint {
    /// Whether the headers say nothing is left and give a reset: the wait before the next request is allowed.
    ///
    /// ```
    /// use http_verdict::rate_limit::RateLimitHint;
    /// let hint = RateLimitHint { remaining: Some(0), reset_ms: Some(30_000), ..Default::default() };
    /// assert_eq!(hint.exhausted_wait_ms(), Some(30_000));
    /// let hint = RateLimitHint { remaining: Some(3), reset_ms: Some(30_000), ..Default::default() };
    /// assert_eq!(hint.exhausted_wait_ms(), None);
    /// ```
    pub fn exhausted_wait_ms(&self) -> Option<u64> {
        match self.remaining {
            Some(0) => self.reset_ms,
            _ => None,
        }
    }

    /// Each field from `self` when stated, else from `fallback`.
    fn or(self, fallback: Self) -> Self {
        Self {
            remaining: self.remaining.or(fallback.remaining),
            reset_ms: self.reset_ms.or(fallback.reset_ms),
            window_ms: self.window_ms.or(fallback.window_ms),
            limit: self.limit.or(fallback.limit),
        }
    }
}

/// Reads the IETF draft RateLimit/RateLimit-Policy fields and the common vendor headers.
///
/// Returns `None` when no field could be read. With several `RateLimit` members (one per policy),
/// the most restrictive one counts: the fewest requests remaining, then the longest reset. Its
/// policy is the `RateLimit-Policy` member of the same name, else the first one.
///
/// ```
/// use http_verdict::headers::HeaderBlock;
/// use http_verdict::rate_limit::{rate_limit_hint, RateLimitHint};
/// let headers = HeaderBlock::new(
///     "RateLimit: \"burst\";r=5;t=1, \"daily\";r=0;t=3600\n\
///      RateLimit-Policy: \"burst\";q=10;w=1, \"daily\";q=1000;w=86400",
/// );
/// let hint = rate_limit_hint(&headers, 0).unwrap();
/// assert_eq!(hint.remaining, Some(0));
/// assert_eq!(hint.reset_ms, Some(3_600_000));
/// assert_eq!(hint.limit, Some(1000));
/// assert_eq!(hint.window_ms, Some(86_400_000));
/// assert_eq!(hint.exhausted_wait_ms(), Some(3_600_000));
///
/// let vendor = HeaderBlock::new("X-RateLimit-Remaining: 0\nX-RateLimit-Reset: 1.5");
/// assert_eq!(rate_limit_hint(&vendor, 0).unwrap().exhausted_wait_ms(), Some(1_500));
/// assert_eq!(rate_limit_hint(&HeaderBlock::new("X-RateLimit-Reset: -1"), 0), None);
/// ```
pub fn rate_limit_hint(headers: &HeaderBlock, now_ms: u64) -> Option<RateLimitHint> {
    rate_limit_reading(headers, now_ms).map(|(hint, _)| hint)
}

/// [`rate_limit_hint`] with the header its reset was read from (meaningful when it states one).
pub(crate) fn rate_limit_reading(
    headers: &HeaderBlock,
    now_ms: u64,
) -> Option<(RateLimitHint, WaitSource)> {
    let draft = structured_fields(headers, now_ms).or(old_ratelimit_field(headers, now_ms));
    let separate = old_separate_fields(headers, now_ms);
    let (vendor, family) = vendor_fields(headers, now_ms);
    let source = if draft.reset_ms.is_some() {
        WaitSource::RATE_LIMIT
    } else if separate.reset_ms.is_some() {
        WaitSource::RATE_LIMIT_RESET
    } else {
        WaitSource::vendor_family(family)
    };
    let hint = draft.or(separate).or(vendor);
    (hint != RateLimitHint::default()).then_some((hint, source))
}

/// One member of the structured `RateLimit` field.
struct Window<'a> {
    name: &'a str,
    remaining: Option<u64>,
    reset_s: Option<u64>,
}

/// One member of `RateLimit-Policy`; older drafts name no policy and give the quota as the item.
struct Policy<'a> {
    name: Option<&'a str>,
    quota: Option<u64>,
    window_s: Option<u64>,
}

/// The newer draft: `RateLimit` members with `r`/`t`, matched to `RateLimit-Policy` by name.
fn structured_fields(headers: &HeaderBlock, now_ms: u64) -> RateLimitHint {
    // Fewest remaining first (unstated counts as unlimited), then the longest reset; among equals
    // the first member stays.
    let order = |w: &Window| (w.remaining.unwrap_or(u64::MAX), Reverse(w.reset_s));
    let mut chosen: Option<Window> = None;
    for member in list_members(headers, "ratelimit") {
        let Some(window) = parse_window(member) else {
            continue;
        };
        if chosen
            .as_ref()
            .map_or(true, |best| order(&window) < order(best))
        {
            chosen = Some(window);
        }
    }
    let policy = policy_for(headers, "ratelimit-policy", chosen.as_ref().map(|w| w.name));
    RateLimitHint {
        remaining: chosen.as_ref().and_then(|w| w.remaining),
        // Delta seconds in the draft; an epoch instant is read as one (see `delay_seconds_ms`).
        reset_ms: chosen
            .and_then(|w| w.reset_s)
            .map(|reset_s| delay_seconds_ms(reset_s, || server_now_ms(headers, now_ms))),
        ..policy_hint(policy)
    }
}

/// The older draft's single field: `RateLimit: limit=100, remaining=0, reset=30`.
fn old_ratelimit_field(headers: &HeaderBlock, now_ms: u64) -> RateLimitHint {
    let mut hint = RateLimitHint::default();
    for member in list_members(headers, "ratelimit") {
        let Some((key, value)) = split_once_byte(member, b'=') else {
            continue;
        };
        // A structured member has its `=` inside a parameter; this form has it in the item.
        if split_once_byte(key, b';').is_some() {
            continue;
        }
        let Some(value) = parse_delay_seconds(value) else {
            continue;
        };
        let key = trim_ows(key);
        if key.eq_ignore_ascii_case("limit") {
            hint.limit = hint.limit.or(Some(value));
        } else if key.eq_ignore_ascii_case("remaining") {
            hint.remaining = hint.remaining.or(Some(value));
        } else if key.eq_ignore_ascii_case("reset") {
            hint.reset_ms = hint
                .reset_ms
                .or_else(|| Some(delay_seconds_ms(value, || server_now_ms(headers, now_ms))));
        }
    }
    hint
}

/// The older draft's separate fields; `RateLimit-Limit` may list policies (`10, 10;w=1`).
fn old_separate_fields(headers: &HeaderBlock, now_ms: u64) -> RateLimitHint {
    RateLimitHint {
        remaining: agreed_integer(headers, "ratelimit-remaining"),
        // Delta seconds in the drafts, but some servers send an epoch here too: read by magnitude.
        reset_ms: reset_ms(headers, "ratelimit-reset", false, now_ms),
        ..policy_hint(policy_for(headers, "ratelimit-limit", None))
    }
}

/// The vendor `X-RateLimit-*` headers, else (when none of them is read) the `X-Rate-Limit-*`
/// spelling of X and Okta (epoch seconds, read by magnitude alike), else OpenAI's
/// `X-RateLimit-*-Requests` and `X-RateLimit-*-Tokens` (resets as Go durations); with the index of
/// the family read in [`VENDOR_FAMILIES`].
fn vendor_fields(headers: &HeaderBlock, now_ms: u64) -> (RateLimitHint, usize) {
    let mut kept = (RateLimitHint::default(), 0);
    for (index, [remaining, reset, limit]) in VENDOR_FAMILIES.iter().enumerate() {
        let hint = RateLimitHint {
            remaining: agreed_integer(headers, remaining),
            reset_ms: reset_ms(headers, reset, true, now_ms),
            window_ms: None,
            limit: agreed_integer(headers, limit),
        };
        if hint == RateLimitHint::default() {
            continue;
        }
        // NOTE: a family that says something ends the search (each lookup scans the block), except
        // one of OpenAI's pair that is not exhausted: the other may be.
        if index < FIRST_PAIRED_FAMILY || hint.remaining == Some(0) {
            return (hint, index);
        }
        if kept.0 == RateLimitHint::default() {
            kept = (hint, index);
        }
    }
    kept
}

/// The vendor families, `[remaining, reset, limit]`, in the order they are looked up; a verdict
/// names the reset header of the family it waited for (see [`WaitSource`]).
pub(crate) const VENDOR_FAMILIES: [[&str; 3]; 4] = [
    [
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
        "x-ratelimit-limit",
    ],
    [
        "x-rate-limit-remaining",
        "x-rate-limit-reset",
        "x-rate-limit-limit",
    ],
    [
        "x-ratelimit-remaining-requests",
        "x-ratelimit-reset-requests",
        "x-ratelimit-limit-requests",
    ],
    [
        "x-ratelimit-remaining-tokens",
        "x-ratelimit-reset-tokens",
        "x-ratelimit-limit-tokens",
    ],
];
/// Families from this index on are OpenAI's two limits, of which the exhausted one counts.
const FIRST_PAIRED_FAMILY: usize = 2;

/// Interprets `X-RateLimit-Reset` by magnitude (see the module doc) as a wait in ms.
fn vendor_reset_ms(text: &str, now_ms: &mut impl FnMut() -> u64) -> Option<u64> {
    let text = trim_ows(text);
    // Thousandths of the unit, padded: "5" → 500, "25" → 250, "125" → 125.
    let (whole, thousandths) = match parse_digits(text) {
        Some(whole) => (whole, 0),
        None => match fractional_seconds(text) {
            Some(parts) => parts,
            None => return written_reset_ms(text, now_ms),
        },
    };
    let wait_ms = if whole >= EPOCH_MS_FROM {
        let epoch_ms = whole.saturating_add(u64::from(thousandths > 0));
        epoch_ms.saturating_sub(now_ms())
    } else if whole >= EPOCH_SECONDS_FROM {
        let epoch_ms = saturating_mul_by::<1000>(whole).saturating_add(thousandths);
        epoch_ms.saturating_sub(now_ms())
    } else {
        saturating_mul_by::<1000>(whole).saturating_add(thousandths)
    };
    Some(wait_ms.min(MAX_WAIT_MS))
}

/// A reset written out rather than as a number: a Go duration (OpenAI's `6m0s`, `20ms`), an
/// HTTP-date (`RateLimit-Reset` in draft-polli-00) or an ISO 8601 instant (Jira's
/// `2026-12-07T10:05Z`; see [`parse_iso_instant`]), as a wait in ms; an instant in the past means 0.
fn written_reset_ms(text: &str, now_ms: &mut impl FnMut() -> u64) -> Option<u64> {
    if let Some(wait_ms) = go_duration_ms(text) {
        return Some(wait_ms);
    }
    let now_ms = now_ms();
    let at_ms = parse_http_date(text, now_ms).or_else(|| parse_iso_instant(text))?;
    let wait_ms = u64::try_from(at_ms.saturating_sub(i64::try_from(now_ms).ok()?)).unwrap_or(0);
    Some(wait_ms.min(MAX_WAIT_MS))
}

/// A Go duration (`time.Duration`'s text: `1h2m3.5s`, `6m0s`, `20ms`, `750us`, `9ns`) in ms,
/// rounded up and capped at [`MAX_WAIT_MS`]; `None` for anything else, a bare number included
/// (that is seconds elsewhere).
///
/// ```
/// # use http_verdict::headers::HeaderBlock;
/// # use http_verdict::rate_limit::rate_limit_hint;
/// let reset = |value: &str| {
///     let headers = format!("x-ratelimit-remaining-tokens: 0\nx-ratelimit-reset-tokens: {value}");
///     rate_limit_hint(&HeaderBlock::new(&headers), 0).and_then(|hint| hint.reset_ms)
/// };
/// assert_eq!(reset("6m0s"), Some(360_000));
/// assert_eq!(reset("1h2m3.5s"), Some(3_723_500));
/// assert_eq!(reset("20ms"), Some(20));
/// assert_eq!(reset("0.1us"), Some(1));
/// assert_eq!(reset("6m0"), None);
/// assert_eq!(reset("m"), None);
/// ```
// NOTE: in f64, exact for every whole number of ms a server sends and the smallest code here; a
// hostile run of whole digits only makes a larger number (at worst infinity), capped.
fn go_duration_ms(text: &str) -> Option<u64> {
    let bytes = text.as_bytes();
    let (mut total_ms, mut at) = (0.0, 0);
    while at < bytes.len() {
        let (mut number, mut scale, mut has_digit, mut in_fraction) = (0.0, 1.0, false, false);
        while let Some(&byte) = bytes.get(at) {
            if byte.is_ascii_digit() {
                // Fraction digits past the ninth cannot matter in ms (and a flood of them would
                // make infinity over infinity).
                if !in_fraction || scale < 1e9 {
                    number = number * 10.0 + f64::from(byte - b'0');
                    scale *= if in_fraction { 10.0 } else { 1.0 };
                }
                has_digit = true;
            } else if byte == b'.' && !in_fraction {
                in_fraction = true;
            } else {
                break;
            }
            at += 1;
        }
        let rest = bytes.get(at..)?;
        let &(unit, unit_ms) = GO_UNITS.iter().find(|(unit, _)| rest.starts_with(unit))?;
        if !has_digit {
            return None;
        }
        at += unit.len();
        // NOTE: multiplied before divided: `16.1s` is 161 * 1000 / 10, exactly 16100, where
        // 161 / 10 * 1000 made 16100.000000000002 and so 16101 ms.
        total_ms += number * unit_ms / scale;
    }
    (at > 0).then(|| capped_wait_ms(total_ms))
}

/// Go's duration units in ms, the two-letter ones first (`ms` before `m`).
const GO_UNITS: [(&[u8], f64); 6] = [
    (b"ms", 1.0),
    (b"us", 0.001),
    (b"ns", 0.000_001),
    (b"h", 3_600_000.0),
    (b"m", 60_000.0),
    (b"s", 1_000.0),
];

/// Every list member of every line of header `name`, trimmed, up to [`MAX_LIST_MEMBERS`].
// NOTE: a quoted name containing a comma is split in two; both halves are then malformed and ignored.
fn list_members<'b, 'a: 'b>(headers: &'b HeaderBlock<'a>, name: &'b str) -> Members<'b, 'a> {
    Members {
        values: headers.get_all(name),
        rest: None,
        left: MAX_LIST_MEMBERS,
    }
}

/// The members of a list header's values (see [`list_members`]).
// NOTE: one plain iterator rather than flat_map + take + map, whose adapters were twice the code.
struct Members<'b, 'a> {
    values: Values<'b, 'a>,
    /// What is left of the value being split, if any.
    rest: Option<&'a str>,
    left: usize,
}

impl<'a> Iterator for Members<'_, 'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.left == 0 {
            return None;
        }
        let rest = match self.rest {
            Some(rest) => rest,
            None => self.values.next()?,
        };
        let (member, after) = match split_once_byte(rest, b',') {
            Some((member, after)) => (member, Some(after)),
            None => (rest, None),
        };
        self.rest = after;
        self.left -= 1;
        Some(trim_ows(member))
    }
}

/// Parses a `RateLimit` member; `None` when malformed or when it states neither `r` nor `t`.
fn parse_window(member: &str) -> Option<Window<'_>> {
    let (item, params) = split_item(member);
    let mut window = Window {
        name: parse_name(item)?,
        remaining: None,
        reset_s: None,
    };
    for (key, value) in params {
        match key {
            "r" => window.remaining = Some(parse_delay_seconds(value?)?),
            "t" => window.reset_s = Some(parse_delay_seconds(value?)?),
            _ => {}
        }
    }
    (window.remaining.is_some() || window.reset_s.is_some()).then_some(window)
}

/// Parses a policy member; `None` when malformed or when it states neither quota nor window.
fn parse_policy(member: &str) -> Option<Policy<'_>> {
    let (item, params) = split_item(member);
    let mut policy = match parse_delay_seconds(item) {
        Some(quota) => Policy {
            name: None,
            quota: Some(quota),
            window_s: None,
        },
        None => Policy {
            name: Some(parse_name(item)?),
            quota: None,
            window_s: None,
        },
    };
    for (key, value) in params {
        match key {
            "q" => policy.quota = Some(parse_delay_seconds(value?)?),
            "w" => policy.window_s = Some(parse_delay_seconds(value?)?),
            _ => {}
        }
    }
    (policy.quota.is_some() || policy.window_s.is_some()).then_some(policy)
}

/// The policy member named `name` in header `field`, else its first valid member.
fn policy_for<'a>(
    headers: &HeaderBlock<'a>,
    field: &'a str,
    name: Option<&str>,
) -> Option<Policy<'a>> {
    let mut first = None;
    for member in list_members(headers, field) {
        let Some(policy) = parse_policy(member) else {
            continue;
        };
        if name.is_some() && policy.name == name {
            return Some(policy);
        }
        if first.is_none() {
            first = Some(policy);
        }
    }
    first
}

/// The hint fields a policy states.
fn policy_hint(policy: Option<Policy>) -> RateLimitHint {
    RateLimitHint {
        limit: policy.as_ref().and_then(|p| p.quota),
        window_ms: policy.and_then(|p| p.window_s).map(seconds_to_ms),
        ..RateLimitHint::default()
    }
}

/// Splits a structured-field member into its item and its `;key[=value]` parameters.
fn split_item(member: &str) -> (&str, impl Iterator<Item = (&str, Option<&str>)>) {
    let mut parts = split_byte(member, b';');
    let item = trim_ows(parts.next().unwrap_or_default());
    let params = parts.map(|param| match split_once_byte(param, b'=') {
        Some((key, value)) => (trim_ows(key), Some(value)),
        None => (trim_ows(param), None),
    });
    (item, params)
}

/// A member name: an sf-string without escapes (`"default"`) or an sf-token (`default`).
fn parse_name(item: &str) -> Option<&str> {
    if let Some(quoted) = after_byte(item, b'"') {
        let inner = before_byte(quoted, b'"')?;
        let printable = inner
            .bytes()
            .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\');
        return printable.then_some(inner);
    }
    let first_ok = item
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'*');
    let rest_ok = item
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || is_token_symbol(b) || b == b':' || b == b'/');
    (first_ok && rest_ok).then_some(item)
}

/// A reset header read by magnitude (see [`vendor_reset_ms`]). An epoch is measured from the
/// response's `Date` when it has one (the server's clock, as for `Retry-After` dates), else `now_ms`.
/// `fractions`: whether `1.5` is allowed (the vendor form); the drafts' field takes whole seconds
/// (or, in draft-polli-00, an HTTP-date).
fn reset_ms(headers: &HeaderBlock, name: &str, fractions: bool, now_ms: u64) -> Option<u64> {
    // NOTE: the Date header is parsed only when an epoch needs it, and at most once.
    let mut reference = None;
    let mut server_now = || *reference.get_or_insert_with(|| server_now_ms(headers, now_ms));
    agreed_header_value(headers, name, &mut |value| {
        agreed_list_value(value, &mut |element| {
            if !fractions && fractional_seconds(trim_ows(element)).is_some() {
                return None;
            }
            vendor_reset_ms(element, &mut server_now)
        })
    })
}

/// Seconds to ms, saturating at [`MAX_WAIT_MS`].
fn seconds_to_ms(seconds: u64) -> u64 {
    saturating_mul_by::<1000>(seconds).min(MAX_WAIT_MS)
}
