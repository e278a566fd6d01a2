//! Classifying what `fetch` throws when no response arrives.
//!
//! Every runtime words its failures differently, so the rules read the error's `name`, `message`
//! and `code`, and the same three of its `cause` (undici and Node put the system error there):
//!
//! | runtime | network failure looks like |
//! |---|---|
//! | Chrome | `TypeError: Failed to fetch` |
//! | Firefox | `TypeError: NetworkError when attempting to fetch resource.` |
//! | Safari | `TypeError: Load failed` |
//! | Node (undici) | `TypeError: fetch failed`, `cause.code` `ECONNREFUSED`, `ENOTFOUND`, `ECONNRESET`, `UND_ERR_SOCKET`… |
//! | Deno | `TypeError: error sending request for url (…): … Connection refused …` |
//! | Bun | `code` `ConnectionRefused`, `ConnectionClosed`, `FailedToOpenSocket` |
//! | workerd | `Error: Network connection lost.` (a refused connection too: read as `fetch_failed`) |
//!
//! A refused connection, a failed DNS lookup, an unreachable host and a failed TLS handshake prove
//! that the request never reached the server, so any method may be retried after them; a reset or a
//! browser's opaque failure does not prove it. `AbortError` is the caller's cancellation;
//! `TimeoutError` (from `AbortSignal.timeout`) and undici's header/body timeouts are timeouts.
//! Anything else (an invalid URL, a bug in a hook) is `unknown_error` and never retried.

use crate::kind::Kind;
use crate::text::{
    contains_any_ignore_case, contains_ignore_case, packed_groups, packed_tagged, tagged_words,
};

/// The parts of a thrown value the rules read. Empty strings stand for absent fields.
#[derive(Clone, Copy, Debug, Default)]
pub struct ErrorShape<'a> {
    pub name: &'a str,
    pub message: &'a str,
    pub code: &'a str,
    pub cause_name: &'a str,
    pub cause_message: &'a str,
    pub cause_code: &'a str,
}

/// What exactly failed, when the error says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TransportDetail {
    ConnectionRefused,
    DnsFailure,
    HostUnreachable,
    ConnectTimeout,
    TlsFailure,
    ConnectionReset,
    HeadersTimeout,
    BodyTimeout,
    /// A browser's deliberately vague failure: offline, CORS, mixed content or a reset.
    FetchFailed,
    Timeout,
    Aborted,
    Unrecognized,
    /// The request as given can never succeed: a scheme `fetch` does not speak, or a redirect loop
    /// past the runtime's hop limit. Never retried. (An invalid URL stays `Unrecognized`: it is the
    /// caller's bug, rethrown as `fetch` threw it.)
    InvalidRequest,
    /// The response broke the client's own limits (a header section over undici's 16 KB, or its
    /// maximum response size); it would every time. Never retried.
    OversizedResponse,
}

impl TransportDetail {
    /// Every detail, in declaration order (the bindings encode details by index).
    pub const ALL: &'static [TransportDetail] = &[
        TransportDetail::ConnectionRefused,
        TransportDetail::DnsFailure,
        TransportDetail::HostUnreachable,
        TransportDetail::ConnectTimeout,
        TransportDetail::TlsFailure,
        TransportDetail::ConnectionReset,
        TransportDetail::HeadersTimeout,
        TransportDetail::BodyTimeout,
        TransportDetail::FetchFailed,
        TransportDetail::Timeout,
        TransportDetail::Aborted,
        TransportDetail::Unrecognized,
        TransportDetail::InvalidRequest,
        TransportDetail::OversizedResponse,
    ];

    /// Position in [`TransportDetail::ALL`]: a compact id for crossing the wasm boundary.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Stable snake_case id, as JavaScript sees it.
    pub fn id(self) -> &'static str {
        match self {
            TransportDetail::ConnectionRefused => "connection_refused",
            TransportDetail::DnsFailure => "dns_failure",
            TransportDetail::HostUnreachable => "host_unreachable",
            TransportDetail::ConnectTimeout => "connect_timeout",
            TransportDetail::TlsFailure => "tls_failure",
            TransportDetail::ConnectionReset => "connection_reset",
            TransportDetail::HeadersTimeout => "headers_timeout",
            TransportDetail::BodyTimeout => "body_timeout",
            TransportDetail::FetchFailed => "fetch_failed",
            TransportDetail::Timeout => "timeout",
            TransportDetail::Aborted => "aborted",
            TransportDetail::Unrecognized => "unrecognized",
            TransportDetail::InvalidRequest => "invalid_request",
            TransportDetail::OversizedResponse => "oversized_response",
        }
    }

    /// The kind this detail belongs to.
    pub fn kind(self) -> Kind {
        match self {
            TransportDetail::HeadersTimeout
            | TransportDetail::BodyTimeout
            | TransportDetail::Timeout => Kind::Timeout,
            TransportDetail::Aborted => Kind::Aborted,
            TransportDetail::Unrecognized
            | TransportDetail::InvalidRequest
            | TransportDetail::OversizedResponse => Kind::UnknownError,
            _ => Kind::NetworkError,
        }
    }

    /// Whether the failure proves the request never reached the server (safe for any method).
    pub fn never_sent(self) -> bool {
        matches!(
            self,
            TransportDetail::ConnectionRefused
                | TransportDetail::DnsFailure
                | TransportDetail::HostUnreachable
                | TransportDetail::ConnectTimeout
                | TransportDetail::TlsFailure
        )
    }
}

/// Classifies a thrown value by its shape.
///
/// ```
/// use http_verdict::transport::{classify_error_shape, ErrorShape, TransportDetail};
/// let undici = ErrorShape { name: "TypeError", message: "fetch failed", cause_code: "ECONNREFUSED", ..Default::default() };
/// assert_eq!(classify_error_shape(&undici), TransportDetail::ConnectionRefused);
/// let chrome = ErrorShape { name: "TypeError", message: "Failed to fetch", ..Default::default() };
/// assert_eq!(classify_error_shape(&chrome), TransportDetail::FetchFailed);
/// ```
pub fn classify_error_shape(error: &ErrorShape) -> TransportDetail {
    for name in [error.name, error.cause_name] {
        if let Some(detail) = lookup(NAMES, name) {
            return detail;
        }
    }
    for code in [error.cause_code, error.code] {
        if let Some(detail) = detail_from_code(code) {
            return detail;
        }
    }
    for message in [error.cause_message, error.message] {
        if let Some(detail) = detail_from_message(message) {
            return detail;
        }
    }
    TransportDetail::Unrecognized
}

/// The detail of the first entry named `key` exactly.
// NOTE: tables scanned rather than `match` arms on strings: each arm compiled to its own length
// check and comparison, several times the bytes of a table row in the wasm.
fn lookup(table: &[u8], key: &str) -> Option<TransportDetail> {
    let (_, detail) = tagged_words(table).find(|(name, _)| *name == key.as_bytes())?;
    TransportDetail::ALL.get(usize::from(detail)).copied()
}

/// Error names (the thrown value's or its cause's): the DOM's, undici's.
const NAMES: &[u8] = packed_tagged![
    ("AbortError", TransportDetail::Aborted),
    ("TimeoutError", TransportDetail::Timeout),
    ("ConnectTimeoutError", TransportDetail::ConnectTimeout),
    ("HeadersTimeoutError", TransportDetail::HeadersTimeout),
    ("BodyTimeoutError", TransportDetail::BodyTimeout),
    ("HeadersOverflowError", TransportDetail::OversizedResponse),
    (
        "ResponseExceededMaxSizeError",
        TransportDetail::OversizedResponse,
    ),
];

/// Node system errors, undici's own codes and Bun's codes.
const CODES: &[u8] = packed_tagged![
    ("ECONNREFUSED", TransportDetail::ConnectionRefused),
    ("ConnectionRefused", TransportDetail::ConnectionRefused),
    ("ENOTFOUND", TransportDetail::DnsFailure),
    ("EAI_AGAIN", TransportDetail::DnsFailure),
    ("EAI_NONAME", TransportDetail::DnsFailure),
    ("EAI_FAIL", TransportDetail::DnsFailure),
    ("EAI_NODATA", TransportDetail::DnsFailure),
    ("EHOSTUNREACH", TransportDetail::HostUnreachable),
    ("ENETUNREACH", TransportDetail::HostUnreachable),
    ("EHOSTDOWN", TransportDetail::HostUnreachable),
    ("ENETDOWN", TransportDetail::HostUnreachable),
    ("EADDRNOTAVAIL", TransportDetail::HostUnreachable),
    ("FailedToOpenSocket", TransportDetail::HostUnreachable),
    ("UND_ERR_CONNECT_TIMEOUT", TransportDetail::ConnectTimeout),
    ("ECONNRESET", TransportDetail::ConnectionReset),
    ("EPIPE", TransportDetail::ConnectionReset),
    ("ECONNABORTED", TransportDetail::ConnectionReset),
    ("ETIMEDOUT", TransportDetail::ConnectionReset),
    ("UND_ERR_SOCKET", TransportDetail::ConnectionReset),
    ("UND_ERR_CLOSED", TransportDetail::ConnectionReset),
    ("ConnectionClosed", TransportDetail::ConnectionReset),
    (
        "ERR_STREAM_PREMATURE_CLOSE",
        TransportDetail::ConnectionReset,
    ),
    ("UND_ERR_HEADERS_TIMEOUT", TransportDetail::HeadersTimeout),
    ("UND_ERR_BODY_TIMEOUT", TransportDetail::BodyTimeout),
    ("ABORT_ERR", TransportDetail::Aborted),
    (
        "UND_ERR_HEADERS_OVERFLOW",
        TransportDetail::OversizedResponse,
    ),
    (
        "UND_ERR_RES_EXCEEDED_MAX_SIZE",
        TransportDetail::OversizedResponse,
    ),
    (
        "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
        TransportDetail::TlsFailure,
    ),
];

fn detail_from_code(code: &str) -> Option<TransportDetail> {
    let tls = code.starts_with("ERR_TLS_")
        || code.starts_with("ERR_SSL_")
        || code.starts_with("CERT_")
        || contains_ignore_case(code, "_cert");
    lookup(CODES, code).or(tls.then_some(TransportDetail::TlsFailure))
}

/// Messages, for runtimes that give no code (browsers, Deno).
fn detail_from_message(message: &str) -> Option<TransportDetail> {
    if message.is_empty() {
        return None;
    }
    let rules = packed_groups![
        // undici's causes, checked before its "fetch failed" that wraps them.
        (
            [
                "redirect count exceeded",
                "url scheme must be",
                "unknown scheme",
            ],
            TransportDetail::InvalidRequest,
        ),
        (["connection refused"], TransportDetail::ConnectionRefused),
        (
            [
                "dns error",
                "failed to lookup address",
                "name or service not known",
                "getaddrinfo",
            ],
            TransportDetail::DnsFailure,
        ),
        (
            ["network is unreachable", "no route to host"],
            TransportDetail::HostUnreachable,
        ),
        (
            ["certificate", "tls handshake"],
            TransportDetail::TlsFailure,
        ),
        (
            [
                "connection reset",
                "connection closed",
                "socket hang up",
                "other side closed",
            ],
            TransportDetail::ConnectionReset,
        ),
        (
            [
                "failed to fetch",
                "networkerror when attempting to fetch",
                "load failed",
                "network request failed",
                "fetch failed",
                "error sending request",
                // Safari's "The network connection was lost.", workerd's "Network connection lost."
                "network connection",
                "unable to connect",
            ],
            TransportDetail::FetchFailed,
        ),
    ];
    let (_, detail) =
        tagged_words(rules).find(|(phrases, _)| contains_any_ignore_case(message, phrases))?;
    TransportDetail::ALL.get(usize::from(detail)).copied()
}
