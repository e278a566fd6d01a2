//! Classification: from a response (status, headers, body) or a thrown error to a [`Verdict`].

use crate::headers::HeaderBlock;
use crate::kind::{Action, Family, Kind, RetryScope};
use crate::profile::Profile;
use crate::rate_limit::rate_limit_reading;
use crate::retry_after::{capped_wait_ms, retry_after_wait};
use crate::status::reason_phrase;
use crate::text::{contains_ignore_case, find_ignore_case, scan_window};
use crate::transport::{classify_error_shape, ErrorShape, TransportDetail};
use crate::variants::{
    forbidden_variant, not_found_variant, service_unavailable_variant, too_many_requests_variant,
};
use crate::wait_source::WaitSource;

/// What a response is made of, as far as classification cares.
#[derive(Clone, Copy, Debug)]
pub struct ResponseParts<'a> {
    /// The HTTP status, 100–599 (see [`crate::status::status_from_number`]).
    pub status: u16,
    /// The response headers the rules read.
    pub headers: HeaderBlock<'a>,
    /// The reply body, when the caller has read it.
    pub body: Option<&'a str>,
}

/// The meaning of one outcome and what to do about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// The HTTP status, or `None` for a transport outcome.
    pub status: Option<u16>,
    /// The stable classification.
    pub kind: Kind,
    /// The server's requested wait, from `Retry-After` or exhausted rate-limit headers.
    pub retry_after_ms: Option<u64>,
    /// The header or reply field `retry_after_ms` was read from, which a decision's sentence names;
    /// [`WaitSource::RETRY_AFTER`] when there is no wait.
    pub wait_source: WaitSource,
    /// For transport outcomes, what exactly failed.
    pub detail: Option<TransportDetail>,
    /// The server's own word on retrying this request: `Stripe-Should-Retry` or `x-should-retry`
    /// (OpenAI, Anthropic), `true` or `false`; `None` when it said nothing.
    pub server_retry: Option<bool>,
}

impl Verdict {
    /// The family: the status's class, or `Transport`.
    pub fn family(&self) -> Family {
        self.status
            .and_then(Family::of_status)
            .unwrap_or(self.kind.family())
    }

    /// Human title: the API's for documented codes, else RFC 9110's reason phrase.
    pub fn title(&self) -> &'static str {
        match self.status {
            Some(status) if self.kind.documented_status() != Some(status) => {
                reason_phrase(status).unwrap_or(self.kind.title())
            }
            _ => self.kind.title(),
        }
    }

    /// Human description: the API's own wording for documented codes.
    pub fn description(&self) -> &'static str {
        self.kind.description()
    }

    /// Whether an idempotent request may be retried after this outcome.
    pub fn retryable(&self) -> bool {
        self.kind.retry_scope() != RetryScope::Never
    }

    /// Whether the outcome proves the request was never processed, so that any method may be
    /// retried (RFC 9110 §9.2.2; contract §2 (b)): 408, a throttling 429, a refused connection, DNS.
    pub fn never_processed(&self) -> bool {
        self.kind.retry_scope() == RetryScope::AnyMethod
            || self.detail.is_some_and(TransportDetail::never_sent)
    }

    /// What the caller should do.
    pub fn action(&self) -> Action {
        self.kind.action()
    }
}

/// Classifies a response. `now_ms` (Unix ms) dates `Retry-After` when the response has no `Date`.
///
/// ```
/// use http_verdict::classify::{classify, ResponseParts};
/// use http_verdict::{headers::HeaderBlock, kind::{Action, Kind}};
/// let response = ResponseParts { status: 503, headers: HeaderBlock::new("retry-after: 2"), body: None };
/// let verdict = classify(&response, 0, None);
/// assert_eq!(verdict.kind, Kind::ServiceUnavailable);
/// assert_eq!(verdict.action(), Action::Retry);
/// assert_eq!(verdict.retry_after_ms, Some(2000));
/// ```
pub fn classify(response: &ResponseParts, now_ms: u64, profile: Option<&Profile>) -> Verdict {
    // NOTE: the headers by reference: the block is a few hundred bytes, and classify runs per response.
    let ResponseParts {
        status,
        ref headers,
        body,
    } = *response;
    let kind = profile
        .and_then(|profile| profile.kind_for(status, headers, body))
        .unwrap_or_else(|| match status {
            403 => forbidden_variant(body, headers, now_ms),
            404 => not_found_variant(body),
            429 => too_many_requests_variant(body, headers, now_ms),
            503 => service_unavailable_variant(body, headers, now_ms),
            _ => Kind::for_status(status).unwrap_or(Kind::ClientError),
        });
    let (retry_after_ms, wait_source) =
        match server_wait(status, headers, now_ms).or_else(|| body_wait(status, kind, body)) {
            Some((wait_ms, source)) => (Some(wait_ms), source),
            None => (None, WaitSource::RETRY_AFTER),
        };
    Verdict {
        status: Some(status),
        kind,
        retry_after_ms,
        wait_source,
        detail: None,
        server_retry: server_retry(headers),
    }
}

/// The headers in which servers say whether a request should be retried: Stripe's, and the one
/// OpenAI's and Anthropic's SDKs honour.
pub(crate) const SHOULD_RETRY_HEADERS: [&str; 2] = ["stripe-should-retry", "x-should-retry"];

/// The server's explicit verdict on retrying: `true` or `false` (ASCII case ignored) in the first
/// of [`SHOULD_RETRY_HEADERS`] present; anything else is no verdict.
fn server_retry(headers: &HeaderBlock) -> Option<bool> {
    let value = SHOULD_RETRY_HEADERS
        .iter()
        .find_map(|name| headers.get_consistent(name))?;
    if value.eq_ignore_ascii_case("true") {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Limits a reply names (ASCII case ignored) without stating a wait, and the wait their API
/// documents, `(phrase, wait in ms)`, first match wins:
/// - GitHub's secondary rate limit: "wait at least one minute" when the answer names no wait of
///   its own (docs.github.com, "Exceeding the rate limit");
/// - HubSpot's `TEN_SECONDLY_ROLLING` policy (its 429's `policyName`, and its message "You have
///   reached your ten_secondly_rolling limit."): a rolling window of ten seconds (the length its
///   `X-HubSpot-RateLimit-Interval-Milliseconds` states, 10000), out of which every request counted
///   now has rolled ten seconds later; HubSpot documents no wait (developers.hubspot.com, "API
///   usage details"), and its official @hubspot/api-client waits those ten seconds.
// NOTE: HubSpot's reading as a phrase here, not as a header family (the interval header as the
// reset of an exhausted `X-HubSpot-RateLimit-Remaining`): +46 B gzip against +117 B, and no
// header lookups on every response.
const NAMED_LIMIT_WAITS: [(&str, u64); 2] = [
    ("secondary rate limit", 60_000),
    ("ten_secondly_rolling", 10_000),
];
/// How a sentence names each of [`NAMED_LIMIT_WAITS`]: its phrase as its API writes it.
// NOTE: apart from the phrases, which are matched in lowercase, so that the wasm (which renders no
// sentence) carries no second copy of them; a test holds each equal to its phrase, case aside.
pub(crate) const NAMED_LIMIT_LABELS: [&str; NAMED_LIMIT_WAITS.len()] =
    ["secondary rate limit", "TEN_SECONDLY_ROLLING"];

/// The wait a 403 or 429, or any answer read as a throttle (a 200 a profile reads so: Shopify's
/// GraphQL), states in its reply when no header does: Google's `RetryInfo` (see
/// [`retry_info_ms`]), else Shopify's query cost (see [`query_cost_wait_ms`]), else the documented
/// wait of a limit the reply names (see [`NAMED_LIMIT_WAITS`]); with where it was read.
fn body_wait(status: u16, kind: Kind, body: Option<&str>) -> Option<(u64, WaitSource)> {
    let body =
        scan_window(body.filter(|_| matches!(status, 403 | 429) || kind == Kind::Throttled)?);
    let stated = |wait_ms: Option<u64>, source| wait_ms.map(|wait_ms| (wait_ms, source));
    stated(retry_info_ms(body), WaitSource::RETRY_DELAY)
        .or_else(|| stated(query_cost_wait_ms(body), WaitSource::QUERY_COST))
        .or_else(|| {
            let index = NAMED_LIMIT_WAITS
                .iter()
                .position(|(phrase, _)| contains_ignore_case(body, phrase))?;
            let (_, wait_ms) = NAMED_LIMIT_WAITS.get(index)?;
            Some((*wait_ms, WaitSource::named_limit(index)))
        })
}

/// Google's `google.rpc.RetryInfo` in a JSON error reply, `"retryDelay": "17.412816s"` (a protobuf
/// Duration: seconds, up to nine fraction digits), in ms rounded up; `None` when absent or
/// malformed. Read from the bounded scan window like every body rule, never parsed as a whole.
///
/// ```
/// # use http_verdict::classify::{classify, ResponseParts};
/// # use http_verdict::headers::HeaderBlock;
/// let body = r#"{"error":{"details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"17.412816s"}]}}"#;
/// let response = ResponseParts { status: 429, headers: HeaderBlock::empty(), body: Some(body) };
/// assert_eq!(classify(&response, 0, None).retry_after_ms, Some(17_413));
/// ```
fn retry_info_ms(body: &str) -> Option<u64> {
    let (wait_ms, unit) = decimal_after(body, "\"retrydelay\"")?;
    // NOTE: false for NaN (a fraction of hundreds of digits: infinity over infinity).
    (unit == b's' && wait_ms >= 0.0).then(|| capped_wait_ms(wait_ms))
}

/// Shopify's GraphQL throttle: the reply's `extensions.cost` says what the query needs
/// (`requestedQueryCost`), what the bucket holds (`throttleStatus.currentlyAvailable`) and how fast
/// it refills (`throttleStatus.restoreRate`, points per second), so the wait until it holds the
/// query again is `(requestedQueryCost - currentlyAvailable) / restoreRate` seconds, in ms rounded
/// up. `None` when a field is absent or malformed, or when the bucket already holds the query.
/// Read from the bounded scan window like every body rule, never parsed as a whole.
///
/// ```
/// # use http_verdict::classify::{classify, ResponseParts};
/// # use http_verdict::headers::HeaderBlock;
/// let body = r#"{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],
///   "extensions":{"cost":{"requestedQueryCost":202,"actualQueryCost":null,
///   "throttleStatus":{"maximumAvailable":1000.0,"currentlyAvailable":118,"restoreRate":50.0}}}}"#;
/// let response = ResponseParts { status: 429, headers: HeaderBlock::empty(), body: Some(body) };
/// assert_eq!(classify(&response, 0, None).retry_after_ms, Some(1_680));
/// ```
fn query_cost_wait_ms(body: &str) -> Option<u64> {
    let missing =
        json_number(body, "\"requestedquerycost\"")? - json_number(body, "\"currentlyavailable\"")?;
    let wait_ms = missing * 1000.0 / json_number(body, "\"restorerate\"")?;
    // NOTE: false for NaN too (a hostile pair of infinities); a restore rate of 0 makes infinity,
    // capped like any wait.
    (wait_ms > 0.0).then(|| capped_wait_ms(wait_ms))
}

/// The JSON number after `key` (see [`decimal_after`]), in thousandths, when a delimiter follows it
/// (`,`, `}`, `]` or white space: a number cut off by the scan window is no number).
fn json_number(body: &str, key: &str) -> Option<f64> {
    let (thousandths, after) = decimal_after(body, key)?;
    matches!(after, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n').then_some(thousandths)
}

/// The decimal after the first `key` (a quoted member name, lowercase) in `body`, past its colon,
/// white space and an opening quote: digits with an optional fraction, in thousandths, with the
/// byte after it; `None` without a digit, or at the end of `body`.
// NOTE: in f64, whole digits times 1000 over the fraction's scale: exact for every value with at
// most three fraction digits, and correctly rounded (then rounded up by the callers) for longer
// ones; a hostile run of digits only makes a larger number, at worst infinity (or NaN, which the
// callers reject).
fn decimal_after(body: &str, key: &str) -> Option<(f64, u8)> {
    let bytes = body.as_bytes();
    let mut at = find_ignore_case(body, key, 0)? + key.len();
    while matches!(bytes.get(at)?, b':' | b' ' | b'\t' | b'\r' | b'\n' | b'"') {
        at += 1;
    }
    let (mut number, mut scale, mut has_digit, mut in_fraction) = (0.0, 1.0, false, false);
    loop {
        let byte = *bytes.get(at)?;
        match byte {
            b'0'..=b'9' => {
                number = number * 10.0 + f64::from(byte - b'0');
                if in_fraction {
                    scale *= 10.0;
                }
                has_digit = true;
            }
            b'.' if !in_fraction => in_fraction = true,
            _ => return has_digit.then(|| (number * 1000.0 / scale, byte)),
        }
        at += 1;
    }
}

/// The server's requested wait: `Retry-After` wins; else rate-limit headers with nothing left. A
/// 429 says itself that the limit is spent, so there a stated reset counts unless the headers say
/// requests remain.
pub fn server_wait_ms(status: u16, headers: &HeaderBlock, now_ms: u64) -> Option<u64> {
    server_wait(status, headers, now_ms).map(|(wait_ms, _)| wait_ms)
}

/// [`server_wait_ms`] with the header it was read from.
fn server_wait(status: u16, headers: &HeaderBlock, now_ms: u64) -> Option<(u64, WaitSource)> {
    if headers.is_empty() {
        return None;
    }
    retry_after_wait(headers, now_ms).or_else(|| {
        let (hint, source) = rate_limit_reading(headers, now_ms)?;
        let wait_ms = match hint.remaining {
            None if status == 429 => hint.reset_ms,
            _ => hint.exhausted_wait_ms(),
        }?;
        Some((wait_ms, source))
    })
}

/// Classifies something `fetch` threw (see [`crate::transport`] for the rules).
///
/// ```
/// use http_verdict::classify::classify_error;
/// use http_verdict::{kind::Kind, transport::ErrorShape};
/// let verdict = classify_error(&ErrorShape { name: "AbortError", ..Default::default() });
/// assert_eq!(verdict.kind, Kind::Aborted);
/// assert!(!verdict.retryable());
/// ```
pub fn classify_error(error: &ErrorShape) -> Verdict {
    let detail = classify_error_shape(error);
    Verdict {
        status: None,
        kind: detail.kind(),
        retry_after_ms: None,
        wait_source: WaitSource::RETRY_AFTER,
        detail: Some(detail),
        server_retry: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_named_limit_is_labelled_with_its_own_phrase() {
        for ((phrase, _), label) in NAMED_LIMIT_WAITS.iter().zip(NAMED_LIMIT_LABELS) {
            assert!(label.eq_ignore_ascii_case(phrase), "{label} for {phrase}");
        }
    }
}
