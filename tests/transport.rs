// Test, bench and example code may unwrap, panic and index (the package's code may not: Cargo.toml [lints]).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

// contract §1 and §2: what `fetch` throws in each runtime, classified by `classify_error`. A refused
// connection, a DNS failure, an unreachable host, a TLS failure and a connect timeout prove that
// the request was never sent (any method may be retried); a reset or a browser's opaque failure
// does not.

use http_verdict::transport::classify_error_shape;
use http_verdict::{classify_error, ErrorShape, Kind, TransportDetail, Verdict};

/// Classifies `error` and checks the parts every transport verdict shares.
fn check(error: ErrorShape, kind: Kind, detail: TransportDetail) -> Verdict {
    let verdict = classify_error(&error);
    assert_eq!(verdict.kind, kind, "kind of {error:?}");
    assert_eq!(verdict.detail, Some(detail), "detail of {error:?}");
    assert_eq!(classify_error_shape(&error), detail);
    assert_eq!(detail.kind(), kind);
    assert_eq!(verdict.status, None);
    assert_eq!(verdict.family().id(), "transport");
    assert_eq!(verdict.retry_after_ms, None);
    verdict
}

/// A network failure: retryable (idempotent requests), action retry; `never_sent` as given.
fn network(error: ErrorShape, detail: TransportDetail, never_sent: bool) {
    let verdict = check(error, Kind::NetworkError, detail);
    assert!(verdict.retryable(), "{error:?}");
    assert_eq!(verdict.action().id(), "retry");
    assert_eq!(
        verdict.never_processed(),
        never_sent,
        "never_processed of {error:?}"
    );
    assert_eq!(detail.never_sent(), never_sent);
}

fn timeout(error: ErrorShape, detail: TransportDetail) {
    let verdict = check(error, Kind::Timeout, detail);
    assert!(verdict.retryable());
    assert_eq!(verdict.action().id(), "retry");
    // The server may have received and processed the request.
    assert!(!verdict.never_processed());
}

fn unknown(error: ErrorShape) {
    let verdict = check(error, Kind::UnknownError, TransportDetail::Unrecognized);
    assert!(!verdict.retryable(), "{error:?} is not retried");
    assert!(!verdict.never_processed());
    assert_eq!(verdict.action().id(), "fail");
}

/// undici's `TypeError: fetch failed` with a system error as its cause.
fn undici<'a>(cause_name: &'a str, cause_message: &'a str, cause_code: &'a str) -> ErrorShape<'a> {
    ErrorShape {
        name: "TypeError",
        message: "fetch failed",
        code: "",
        cause_name,
        cause_message,
        cause_code,
    }
}

fn type_error(message: &str) -> ErrorShape<'_> {
    ErrorShape {
        name: "TypeError",
        message,
        ..Default::default()
    }
}

// ---- browsers --------------------------------------------------------------------------------------

#[test]
fn chrome_failed_to_fetch() {
    network(
        type_error("Failed to fetch"),
        TransportDetail::FetchFailed,
        false,
    );
}

#[test]
fn firefox_network_error() {
    network(
        type_error("NetworkError when attempting to fetch resource."),
        TransportDetail::FetchFailed,
        false,
    );
}

#[test]
fn safari_load_failed() {
    network(
        type_error("Load failed"),
        TransportDetail::FetchFailed,
        false,
    );
    network(
        type_error("The network connection was lost."),
        TransportDetail::FetchFailed,
        false,
    );
}

/// workerd (Cloudflare Workers) throws a plain `Error` for a refused connection (seen in
/// tests/pack/runtimes.test.mjs): a fetch failure, not proof that nothing was sent.
#[test]
fn workerd_network_connection_lost() {
    let shape = ErrorShape {
        name: "Error",
        message: "Network connection lost.",
        ..Default::default()
    };
    network(shape, TransportDetail::FetchFailed, false);
}

// ---- Node (undici) ---------------------------------------------------------------------------------

#[test]
fn node_connection_refused() {
    network(
        undici(
            "Error",
            "connect ECONNREFUSED 127.0.0.1:3000",
            "ECONNREFUSED",
        ),
        TransportDetail::ConnectionRefused,
        true,
    );
    // An AggregateError cause (IPv4 and IPv6 both refused) still carries the code.
    network(
        undici("AggregateError", "", "ECONNREFUSED"),
        TransportDetail::ConnectionRefused,
        true,
    );
}

#[test]
fn node_dns_failures() {
    network(
        undici(
            "Error",
            "getaddrinfo ENOTFOUND api.example.invalid",
            "ENOTFOUND",
        ),
        TransportDetail::DnsFailure,
        true,
    );
    network(
        undici(
            "Error",
            "getaddrinfo EAI_AGAIN api.example.com",
            "EAI_AGAIN",
        ),
        TransportDetail::DnsFailure,
        true,
    );
}

#[test]
fn node_unreachable_host() {
    network(
        undici("Error", "connect EHOSTUNREACH 10.0.0.9:443", "EHOSTUNREACH"),
        TransportDetail::HostUnreachable,
        true,
    );
    network(
        undici(
            "Error",
            "connect ENETUNREACH 2001:db8::1:443",
            "ENETUNREACH",
        ),
        TransportDetail::HostUnreachable,
        true,
    );
}

#[test]
fn node_connection_reset_may_have_been_processed() {
    network(
        undici("Error", "read ECONNRESET", "ECONNRESET"),
        TransportDetail::ConnectionReset,
        false,
    );
    network(
        undici("SocketError", "other side closed", "UND_ERR_SOCKET"),
        TransportDetail::ConnectionReset,
        false,
    );
}

#[test]
fn node_headers_timeout_is_a_timeout() {
    timeout(
        undici(
            "HeadersTimeoutError",
            "Headers Timeout Error",
            "UND_ERR_HEADERS_TIMEOUT",
        ),
        TransportDetail::HeadersTimeout,
    );
    // The code alone is enough.
    timeout(
        undici("Error", "", "UND_ERR_HEADERS_TIMEOUT"),
        TransportDetail::HeadersTimeout,
    );
    timeout(
        undici(
            "BodyTimeoutError",
            "Body Timeout Error",
            "UND_ERR_BODY_TIMEOUT",
        ),
        TransportDetail::BodyTimeout,
    );
}

#[test]
fn node_connect_timeout_was_never_sent() {
    network(
        undici(
            "ConnectTimeoutError",
            "Connect Timeout Error (attempted address: api.example.com:443, timeout: 10000ms)",
            "UND_ERR_CONNECT_TIMEOUT",
        ),
        TransportDetail::ConnectTimeout,
        true,
    );
    network(
        undici("Error", "", "UND_ERR_CONNECT_TIMEOUT"),
        TransportDetail::ConnectTimeout,
        true,
    );
}

#[test]
fn node_certificate_errors_are_tls_failures() {
    for (message, code) in [
        ("certificate has expired", "CERT_HAS_EXPIRED"),
        ("self-signed certificate", "DEPTH_ZERO_SELF_SIGNED_CERT"),
        (
            "self-signed certificate in certificate chain",
            "SELF_SIGNED_CERT_IN_CHAIN",
        ),
        (
            "unable to verify the first certificate",
            "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
        ),
        (
            "unable to get local issuer certificate",
            "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
        ),
        (
            "Hostname/IP does not match certificate's altnames: Host: x. is not in the cert's altnames: DNS:y",
            "ERR_TLS_CERT_ALTNAME_INVALID",
        ),
        (
            "write EPROTO C0F7:error:0A00010B:SSL routines:ssl3_get_record:wrong version number",
            "ERR_SSL_WRONG_VERSION_NUMBER",
        ),
    ] {
        network(
            undici("Error", message, code),
            TransportDetail::TlsFailure,
            true,
        );
    }
}

// ---- Deno and Bun ----------------------------------------------------------------------------------

#[test]
fn deno_connection_refused() {
    network(
        type_error(
            "error sending request for url (http://x/): client error (Connect): tcp connect error: \
             Connection refused (os error 111)",
        ),
        TransportDetail::ConnectionRefused,
        true,
    );
}

#[test]
fn deno_dns_failure() {
    network(
        type_error(
            "error sending request for url (http://api.example.invalid/): client error (Connect): \
             dns error: failed to lookup address information: Name or service not known",
        ),
        TransportDetail::DnsFailure,
        true,
    );
}

#[test]
fn deno_other_failures() {
    network(
        type_error(
            "error sending request for url (https://x/): client error (Connect): invalid peer \
             certificate: UnknownIssuer",
        ),
        TransportDetail::TlsFailure,
        true,
    );
    network(
        type_error(
            "error sending request for url (http://x/): connection error: Connection reset by \
             peer (os error 104)",
        ),
        TransportDetail::ConnectionReset,
        false,
    );
    // Nothing more specific: an opaque failure.
    network(
        type_error("error sending request for url (http://x/): client error (SendRequest)"),
        TransportDetail::FetchFailed,
        false,
    );
}

#[test]
fn bun_codes() {
    let bun = |code| ErrorShape {
        name: "Error",
        message: "Unable to connect. Is the computer able to access the url?",
        code,
        ..Default::default()
    };
    network(
        bun("ConnectionRefused"),
        TransportDetail::ConnectionRefused,
        true,
    );
    network(
        bun("FailedToOpenSocket"),
        TransportDetail::HostUnreachable,
        true,
    );
    network(
        bun("ConnectionClosed"),
        TransportDetail::ConnectionReset,
        false,
    );
}

// ---- cancellation and timeouts ---------------------------------------------------------------------

#[test]
fn abort_error_is_the_callers_cancellation() {
    for message in [
        "signal is aborted without reason",
        "The operation was aborted.",
        "The user aborted a request.",
        "",
    ] {
        let error = ErrorShape {
            name: "AbortError",
            message,
            ..Default::default()
        };
        let verdict = check(error, Kind::Aborted, TransportDetail::Aborted);
        assert!(!verdict.retryable(), "an abort is never retried");
        assert!(!verdict.never_processed());
        assert_eq!(verdict.action().id(), "cancel");
    }
    // Node's own AbortError carries a code.
    let node = ErrorShape {
        name: "AbortError",
        message: "This operation was aborted",
        code: "ABORT_ERR",
        ..Default::default()
    };
    check(node, Kind::Aborted, TransportDetail::Aborted);
}

#[test]
fn abort_wins_over_a_network_looking_message() {
    let error = ErrorShape {
        name: "AbortError",
        message: "Failed to fetch",
        ..Default::default()
    };
    check(error, Kind::Aborted, TransportDetail::Aborted);
}

#[test]
fn timeout_error_is_a_timeout() {
    timeout(
        ErrorShape {
            name: "TimeoutError",
            message: "The operation was aborted due to timeout",
            ..Default::default()
        },
        TransportDetail::Timeout,
    );
    timeout(
        ErrorShape {
            name: "TimeoutError",
            message: "signal timed out",
            ..Default::default()
        },
        TransportDetail::Timeout,
    );
}

// ---- not a network failure -------------------------------------------------------------------------

#[test]
fn unrecognised_errors_are_unknown_and_not_retried() {
    unknown(type_error("Failed to parse URL from x"));
    unknown(ErrorShape {
        name: "TypeError",
        message: "Failed to parse URL from x",
        cause_name: "TypeError",
        cause_message: "Invalid URL",
        cause_code: "ERR_INVALID_URL",
        ..Default::default()
    });
    unknown(type_error(
        "Failed to execute 'fetch' on 'Window': Request with GET/HEAD method cannot have body.",
    ));
    unknown(ErrorShape {
        name: "SyntaxError",
        message: "Unexpected token '<', \"<!DOCTYPE \"... is not valid JSON",
        ..Default::default()
    });
    unknown(ErrorShape {
        name: "SyntaxError",
        message: "JSON.parse: unexpected character at line 1 column 1 of the JSON data",
        ..Default::default()
    });
    unknown(ErrorShape {
        name: "Error",
        message: "hook blew up",
        ..Default::default()
    });
    unknown(ErrorShape::default());
}

#[test]
fn every_detail_has_a_stable_id_and_a_transport_kind() {
    for (index, detail) in TransportDetail::ALL.iter().copied().enumerate() {
        assert_eq!(detail.index(), index);
        assert!(detail.kind().is_transport(), "{detail:?}");
        let id = detail.id();
        assert!(id.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
        let same = TransportDetail::ALL
            .iter()
            .filter(|other| other.id() == id)
            .count();
        assert_eq!(same, 1, "{id} is unique");
    }
    let never_sent: Vec<&str> = TransportDetail::ALL
        .iter()
        .filter(|detail| detail.never_sent())
        .map(|detail| detail.id())
        .collect();
    assert_eq!(
        never_sent,
        [
            "connection_refused",
            "dns_failure",
            "host_unreachable",
            "connect_timeout",
            "tls_failure"
        ]
    );
}

/// Failures that would repeat on every attempt, as undici words them: never retried.
#[test]
fn node_permanent_failures_are_never_retried() {
    let cases = [
        (
            undici("Error", "redirect count exceeded", ""),
            TransportDetail::InvalidRequest,
        ),
        (
            undici("Error", "URL scheme must be a HTTP(S) scheme", ""),
            TransportDetail::InvalidRequest,
        ),
        (
            undici("Error", "unknown scheme", ""),
            TransportDetail::InvalidRequest,
        ),
        (
            undici(
                "HeadersOverflowError",
                "Headers Overflow Error",
                "UND_ERR_HEADERS_OVERFLOW",
            ),
            TransportDetail::OversizedResponse,
        ),
        (
            undici(
                "Error",
                "Response content exceeded max size",
                "UND_ERR_RES_EXCEEDED_MAX_SIZE",
            ),
            TransportDetail::OversizedResponse,
        ),
    ];
    for (shape, detail) in cases {
        let verdict = check(shape, Kind::UnknownError, detail);
        assert!(!verdict.retryable(), "{detail:?} must never be retried");
        assert_eq!(verdict.action().id(), "fail");
    }
}
