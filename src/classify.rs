//! Classification: from a response (status, headers, body) or a thrown error to a [`Verdict`].

use crate::headers::HeaderBlock;
use crate::kind::{Action, Family, Kind, RetryScope};
use crate::profile::Profile;
use crate::rate_limit::rate_limit_hint;
use crate::retry_after::{retry_after_ms, MAX_WAIT_MS};
use crate::status::reason_phrase;
use crate::text::{contains_ignore_case, find_ignore_case, scan_window};
use crate::transport::{classify_error_shape, ErrorShape, TransportDetail};
use crate::variants::{
    forbidden_variant, not_found_variant, service_unavailable_variant, too_many_requests_variant,
};

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
    let ResponseParts {
        status,
        headers,
        body,
    } = *response;
    let kind = profile
        .and_then(|profile| profile.kind_for(status, &headers, body))
        .unwrap_or_else(|| match status {
            403 => forbidden_variant(body, &headers, now_ms),
            404 => not_found_variant(body),
            429 => too_many_requests_variant(body, &headers, now_ms),
            503 => service_unavailable_variant(body, &headers, now_ms),
            _ => Kind::for_status(status).unwrap_or(Kind::ClientError),
        });
    Verdict {
        status: Some(status),
        kind,
        retry_after_ms: server_wait_ms(status, &headers, now_ms)
            .or_else(|| body_wait_ms(status, body)),
        detail: None,
        server_retry: server_retry(&headers),
    }
}

/// The headers in which servers say whether a request should be retried: Stripe's, and the one
/// OpenAI's and Anthropic's SDKs honour.
const SHOULD_RETRY_HEADERS: [&str; 2] = ["stripe-should-retry", "x-should-retry"];

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

/// GitHub's secondary rate limit: "wait at least one minute" when the answer names no wait of its
/// own (docs.github.com, "Exceeding the rate limit").
const SECONDARY_LIMIT_WAIT_MS: u64 = 60_000;

/// The wait a 403 or 429 states in its reply when no header does: Google's `RetryInfo` (see
/// [`retry_info_ms`]), else GitHub's secondary rate limit ("secondary rate limit" in the reply),
/// whose documentation asks for [`SECONDARY_LIMIT_WAIT_MS`].
fn body_wait_ms(status: u16, body: Option<&str>) -> Option<u64> {
    let body = scan_window(body.filter(|_| matches!(status, 403 | 429))?);
    retry_info_ms(body).or_else(|| {
        contains_ignore_case(body, "secondary rate limit").then_some(SECONDARY_LIMIT_WAIT_MS)
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
    let at = find_ignore_case(body, "\"retrydelay\"", 0)? + "\"retrydelay\"".len();
    // Past the colon, the spaces and the opening quote: the digits.
    let start = at
        + body
            .bytes()
            .skip(at)
            .position(|byte| !matches!(byte, b':' | b' ' | b'\t' | b'"'))?;
    // Whole seconds, then thousandths from the first three fraction digits; a later non-zero
    // digit rounds up.
    let (mut whole, mut thousandths, mut digits, mut fraction, mut beyond) =
        (0u64, 0, 0, false, false);
    for byte in body.bytes().skip(start) {
        match byte {
            b'0'..=b'9' if fraction && digits >= 3 => beyond |= byte > b'0',
            b'0'..=b'9' if fraction => {
                thousandths = thousandths * 10 + u64::from(byte - b'0');
                digits += 1;
            }
            b'0'..=b'9' => {
                whole = whole
                    .saturating_mul(10)
                    .saturating_add(u64::from(byte - b'0'))
            }
            b'.' if !fraction => fraction = true,
            b's' => {
                for _ in digits..3 {
                    thousandths *= 10;
                }
                let wait_ms = whole.saturating_mul(1000).saturating_add(thousandths);
                return Some(wait_ms.saturating_add(u64::from(beyond)).min(MAX_WAIT_MS));
            }
            _ => return None,
        }
    }
    None
}

/// The server's requested wait: `Retry-After` wins; else rate-limit headers with nothing left. A
/// 429 says itself that the limit is spent, so there a stated reset counts unless the headers say
/// requests remain.
pub fn server_wait_ms(status: u16, headers: &HeaderBlock, now_ms: u64) -> Option<u64> {
    if headers.is_empty() {
        return None;
    }
    retry_after_ms(headers, now_ms).or_else(|| {
        let hint = rate_limit_hint(headers, now_ms)?;
        match hint.remaining {
            None if status == 429 => hint.reset_ms,
            _ => hint.exhausted_wait_ms(),
        }
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
        detail: Some(detail),
        server_retry: None,
    }
}
