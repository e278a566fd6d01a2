//! Telling apart the two 404s and the two 429s that the API documents under one status each.
//!
//! The rules read the reply's wording first (the API's own words are the strongest signal), then
//! headers, and fall back to the neutral kind. They are deliberately simple substring rules so that
//! users can predict them; a profile overrides them per API.
//!
//! 404:
//! - a fixed route phrase (`Invalid route`, `No route`, `Cannot GET /x`, `Unrecognized request URL`,
//!   `Unknown endpoint`, `Path not found`) → `invalid_route`;
//! - wording naming a resource or id (`Wrong identifier`, `No such order`, `... does not exist`, the
//!   word `id`) → `wrong_identifier`; `No such webhook endpoint: we_1` is an id, not a route;
//! - the word `route` or `endpoint` anywhere else → `invalid_route`;
//! - `<something specific> not found` or `Not found: <something>` (`User 42 not found`) →
//!   `wrong_identifier`;
//! - anything else, including a bare `Not Found` or `The requested resource was not found` →
//!   `not_found`.
//!
//! 429:
//! - throttling wording (`Too Many Requests`, `throttled`, `rate limit`, `slow down`) → `throttled`;
//! - quota wording (`Limit Exceeded`, `quota`, `usage plan`) → `quota_exceeded`;
//! - AWS `x-amzn-ErrorType` naming `LimitExceeded` → quota, `TooManyRequests` → throttled;
//! - a `Retry-After` of an hour or more → `quota_exceeded`, shorter → `throttled`;
//! - rate-limit headers with nothing remaining: a window of an hour or more, or else a reset an hour or
//!   more away → `quota_exceeded`; a shorter reset → `throttled`;
//! - no signal at all → `throttled`.
//!
//! 403 and 503 are read as a 429 when they are a rate limit's (see [`forbidden_variant`] and
//! [`service_unavailable_variant`]): GitHub's 403, AWS S3's `SlowDown` 503, nginx's `limit_req`.

use crate::headers::HeaderBlock;
use crate::kind::Kind;
use crate::rate_limit::rate_limit_hint;
use crate::retry_after::retry_after_ms;
use crate::text::{
    after_byte, contains_any_ignore_case, contains_ignore_case, find_ignore_case, is_word_char,
    packed, packed_words, scan_window,
};

/// A wait at least this long means a quota window rather than a per-second throttle.
pub const QUOTA_WAIT_THRESHOLD_MS: u64 = 60 * 60 * 1000;

/// Phrases that can only mean a missing route; checked before anything else.
const ROUTE_PHRASES: &[u8] = packed![
    "invalid route",
    "no route",
    "unknown route",
    "no such route",
    "route not found",
    "no such endpoint",
    "unknown endpoint",
    "endpoint not found",
    "invalid endpoint",
    "no handler",
    "path not found",
    "unknown path",
    "invalid path",
    "no such path",
    "request url",
    "unknown url",
    "invalid url",
    "url not found",
    "cannot get /",
    "cannot head /",
    "cannot post /",
    "cannot put /",
    "cannot patch /",
    "cannot delete /",
    "cannot options /",
];

/// Phrases that name a missing resource or id.
const IDENTIFIER_PHRASES: &[u8] = packed![
    "identifier",
    "no such",
    "does not exist",
    "doesn't exist",
    "could not find",
    "couldn't find",
];

/// Words that name a route in less fixed wording (`The endpoint /v3/x is not available`).
const ROUTE_WORDS: &[u8] = packed!["route", "routes", "endpoint", "endpoints"];

/// Words that name an id in less fixed wording (`Unknown user id 42`).
const IDENTIFIER_WORDS: &[u8] = packed!["id", "ids", "uuid", "identifier"];

/// Words that say nothing about which resource was missing ("The requested resource was not found").
const GENERIC_WORDS: &[u8] = packed![
    "the",
    "a",
    "an",
    "requested",
    "resource",
    "resources",
    "page",
    "file",
    "url",
    "uri",
    "was",
    "is",
    "has",
    "been",
    "be",
    "could",
    "error",
    "http",
    "status",
    "message",
    "detail",
    "title",
    "sorry",
    "not",
];

const THROTTLE_WORDING: &[u8] = packed![
    "too many requests",
    "throttl",
    "rate limit",
    "ratelimit",
    "rate-limit",
    "rate exceeded",
    "slow down",
    "slowdown",
    "reduce your request rate",
    "per second",
];

const QUOTA_WORDING: &[u8] = packed![
    "limit exceeded",
    "quota",
    "usage plan",
    // Anthropic's monthly spend cap: "You have reached your monthly usage limit."
    "usage limit",
    "daily limit",
    "monthly limit",
    "limit reached",
];

/// Which 404 this is, from the reply's wording.
///
/// ```
/// use http_verdict::{kind::Kind, variants::not_found_variant};
/// assert_eq!(not_found_variant(Some("Cannot GET /v2/users")), Kind::InvalidRoute);
/// assert_eq!(not_found_variant(Some(r#"{"message":"User 42 not found"}"#)), Kind::WrongIdentifier);
/// assert_eq!(not_found_variant(Some("Not Found")), Kind::NotFound);
/// ```
pub fn not_found_variant(body: Option<&str>) -> Kind {
    let Some(body) = body.map(scan_window) else {
        return Kind::NotFound;
    };
    if contains_any_ignore_case(body, ROUTE_PHRASES) {
        Kind::InvalidRoute
    } else if contains_any_ignore_case(body, IDENTIFIER_PHRASES) || has_word(body, IDENTIFIER_WORDS)
    {
        Kind::WrongIdentifier
    } else if has_word(body, ROUTE_WORDS) {
        Kind::InvalidRoute
    } else if names_missing_thing(body) {
        Kind::WrongIdentifier
    } else {
        Kind::NotFound
    }
}

/// The next run of word characters holding a letter in `text` at or after byte `*at`, moving `*at`
/// past it; `None` after the last.
// NOTE: one pass over `char_indices`, each character decoded once: finding a word's start, its end
// and then a letter in it decoded the text three times, three copies of the UTF-8 decoder in the
// wasm (-123 B gzip). A plain loop rather than an iterator adapter chain (`split` with a closure,
// `from_fn`, `chain`, `any`): those were about 2.5 KB of the wasm module.
fn next_word<'a>(text: &'a str, at: &mut usize) -> Option<&'a str> {
    let rest = text.get(*at..)?;
    let mut chars = rest.char_indices();
    let mut start = None;
    let mut has_letter = false;
    loop {
        let next = chars.next();
        match next {
            Some((offset, c)) if is_word_char(c) => {
                if start.is_none() {
                    start = Some(offset);
                    has_letter = false;
                }
                // NOTE: the word characters that are no letters are ASCII digits and `_`.
                has_letter |= !(c.is_ascii_digit() || c == '_');
            }
            _ => {
                let end = next.map_or(rest.len(), |(offset, _)| offset);
                if let Some(start) = start.take() {
                    if has_letter {
                        *at += end;
                        return rest.get(start..end);
                    }
                }
                next?;
            }
        }
    }
}

/// Whether some word of `text` is (`listed`) or is not (`!listed`) one of `words`, ignoring case.
fn has_word_where(text: &str, words: &[u8], listed: bool) -> bool {
    let mut at = 0;
    while let Some(word) = next_word(text, &mut at) {
        if packed_words(words).any(|w| w.eq_ignore_ascii_case(word.as_bytes())) == listed {
            return true;
        }
    }
    false
}

fn has_word(text: &str, wanted: &[u8]) -> bool {
    has_word_where(text, wanted, true)
}

/// Whether some `... not found` in the text names a specific thing (`User 42 not found`,
/// `Resource 'users/42' not found`, `Not found: order 7`), rather than only generic words
/// (`The requested resource was not found`).
fn names_missing_thing(text: &str) -> bool {
    let mut from = 0;
    while let Some(at) = find_ignore_case(text, "not found", from) {
        from = at + 1;
        let before = text.get(..at).unwrap_or("");
        // The phrase's subject starts after the last delimiter of a clause or a JSON value.
        let subject_start = before
            .bytes()
            .rposition(|byte| {
                matches!(byte, b':' | b'.' | b'{' | b',' | b'\n' | b'>' | b'(' | b'=')
            })
            .map_or(0, |index| index + 1);
        let subject = before.get(subject_start..).unwrap_or("");
        let after = text.get(at + "not found".len()..).unwrap_or("");
        let object = after_byte(after, b':').unwrap_or("");
        let object = object
            .bytes()
            .position(|byte| matches!(byte, b'"' | b'.' | b',' | b'}' | b'\n'))
            .and_then(|end| object.get(..end))
            .unwrap_or(object);
        if has_word_where(subject, GENERIC_WORDS, false)
            || has_word_where(object, GENERIC_WORDS, false)
        {
            return true;
        }
    }
    false
}

/// Which 429 this is, from the reply's wording, AWS's error type and the wait hints.
///
/// ```
/// use http_verdict::{headers::HeaderBlock, kind::Kind, variants::too_many_requests_variant};
/// let none = HeaderBlock::empty();
/// assert_eq!(too_many_requests_variant(Some(r#"{"message":"Limit Exceeded"}"#), &none, 0), Kind::QuotaExceeded);
/// assert_eq!(too_many_requests_variant(Some("Too Many Requests"), &none, 0), Kind::Throttled);
/// assert_eq!(too_many_requests_variant(None, &HeaderBlock::new("retry-after: 86400"), 0), Kind::QuotaExceeded);
/// assert_eq!(too_many_requests_variant(None, &none, 0), Kind::Throttled);
/// ```
pub fn too_many_requests_variant(body: Option<&str>, headers: &HeaderBlock, now_ms: u64) -> Kind {
    if let Some(body) = body.map(scan_window) {
        if contains_any_ignore_case(body, THROTTLE_WORDING) {
            return Kind::Throttled;
        }
        if contains_any_ignore_case(body, QUOTA_WORDING) {
            return Kind::QuotaExceeded;
        }
    }
    if headers.is_empty() {
        return Kind::Throttled;
    }
    if let Some(error_type) = headers.get("x-amzn-errortype") {
        if contains_ignore_case(error_type, "limitexceeded") {
            return Kind::QuotaExceeded;
        }
        if contains_any_ignore_case(error_type, packed!["toomanyrequests", "throttl"]) {
            return Kind::Throttled;
        }
    }
    if let Some(wait_ms) = retry_after_ms(headers, now_ms) {
        return kind_for_wait(wait_ms);
    }
    if let Some(hint) = rate_limit_hint(headers, now_ms) {
        // On a 429 an unstated `remaining` means none: the status says the limit is spent.
        if hint.remaining.unwrap_or(0) == 0 {
            // A long window with nothing left is a quota even when it resets soon (contract §1).
            if hint
                .window_ms
                .is_some_and(|window| window >= QUOTA_WAIT_THRESHOLD_MS)
            {
                return Kind::QuotaExceeded;
            }
            if let Some(wait_ms) = hint.reset_ms {
                return kind_for_wait(wait_ms);
            }
        }
    }
    Kind::Throttled
}

/// Which 403 this is: a rate limit when the rate-limit headers say nothing is left and when it
/// resets, the server gave a `Retry-After`, or the reply words a throttle ("rate limit", "too many
/// requests", …), then read as a 429 is; else `forbidden`. GitHub answers its primary and secondary limits with a 403
/// as often as with a 429.
///
/// ```
/// use http_verdict::{headers::HeaderBlock, kind::Kind, variants::forbidden_variant};
/// let github = HeaderBlock::new("x-ratelimit-remaining: 0\nx-ratelimit-reset: 60");
/// assert_eq!(forbidden_variant(None, &github, 0), Kind::Throttled);
/// assert_eq!(forbidden_variant(Some("Must have admin rights"), &HeaderBlock::empty(), 0), Kind::Forbidden);
/// ```
pub fn forbidden_variant(body: Option<&str>, headers: &HeaderBlock, now_ms: u64) -> Kind {
    let hinted = !headers.is_empty() && headers.get("retry-after").is_some();
    if hinted || rate_limit_evidence(body, headers, now_ms) {
        too_many_requests_variant(body, headers, now_ms)
    } else {
        Kind::Forbidden
    }
}

/// Which 503 this is: a rate limiter's refusal when the reply words a throttle (AWS S3's
/// `SlowDown`: "Please reduce your request rate") or is nginx's own error page, then read as a 429
/// is; else `service_unavailable`. nginx answers a 503 of its own making from `limit_req` and
/// `limit_conn` (their default status); an upstream's 503 passes through with the upstream's body.
/// Headers are no evidence here: servers in maintenance send a `Retry-After`, and reading every
/// rate-limit dialect on every 503 made a 503 with headers 1.15 times slower to classify.
///
/// ```
/// use http_verdict::{headers::HeaderBlock, kind::Kind, variants::service_unavailable_variant};
/// let nginx = "<html><head><title>503 Service Temporarily Unavailable</title></head>\n<body>\n\
///     <center><h1>503 Service Temporarily Unavailable</h1></center>\n<hr><center>nginx/1.22.1</center>";
/// let none = HeaderBlock::empty();
/// assert_eq!(service_unavailable_variant(Some(nginx), &none, 0), Kind::Throttled);
/// assert_eq!(service_unavailable_variant(Some("Down for maintenance"), &HeaderBlock::new("retry-after: 60"), 0), Kind::ServiceUnavailable);
/// ```
pub fn service_unavailable_variant(body: Option<&str>, headers: &HeaderBlock, now_ms: u64) -> Kind {
    let limiter = body.map(scan_window).is_some_and(|body| {
        contains_ignore_case(body, NGINX_PAGE_SIGNATURE)
            || contains_any_ignore_case(body, THROTTLE_WORDING)
    });
    if limiter {
        too_many_requests_variant(body, headers, now_ms)
    } else {
        Kind::ServiceUnavailable
    }
}

/// The signature line of the error pages nginx makes itself (`<hr><center>nginx/1.22.1</center>`,
/// or `nginx` alone with `server_tokens off`).
const NGINX_PAGE_SIGNATURE: &str = "<center>nginx";

/// Whether a 403 says a rate limit: the rate-limit headers say nothing is left and when it
/// resets, the reply words a throttle, or it is in Google's `usageLimits` error domain (its daily
/// quotas and its rate limits alike: `dailyLimitExceeded`, `userRateLimitExceeded`).
fn rate_limit_evidence(body: Option<&str>, headers: &HeaderBlock, now_ms: u64) -> bool {
    let exhausted = !headers.is_empty()
        && rate_limit_hint(headers, now_ms).is_some_and(|hint| hint.exhausted_wait_ms().is_some());
    exhausted
        || body.map(scan_window).is_some_and(|body| {
            contains_any_ignore_case(body, THROTTLE_WORDING)
                || contains_ignore_case(body, "usagelimits")
        })
}

fn kind_for_wait(wait_ms: u64) -> Kind {
    if wait_ms >= QUOTA_WAIT_THRESHOLD_MS {
        Kind::QuotaExceeded
    } else {
        Kind::Throttled
    }
}
