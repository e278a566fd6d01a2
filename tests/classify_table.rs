// Test, bench and example code may unwrap, panic and index (the package's code may not: Cargo.toml [lints]).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

// contract §1: the verdict table, row by row, through the public API only. Every documented row is
// classified from a realistic input and checked field by field against the contract table and the API's
// own "Response Codes" page (copied verbatim below, so the wording cannot drift from the seed).

mod common;
use common::response;
use http_verdict::status::{self, reason_phrase};
use http_verdict::{
    classify_error, status_from_number, ErrorShape, Kind, RetryScope, TransportDetail, Verdict,
};

/// The status lines of `seed/response-codes.txt`, verbatim: `NNN - <title><description>`.
const SEED: &str = "
    200 - OKThe request was successful
    301 - Moved PermanentlyThe URL of the requested resource has been changed permanently. The new URL is given in the response.
    302 - Temporary RedirectThis is used to indicate that the URI of the resource has been changed temporarily.
    304 - Not ModifiedThis is used for caching purposes to indicate that the content has not been modified, so the client can use the same cached version of the response instead of reingesting the full payload.
    400 - Bad RequestA variable in the request is incorrect, check the reply message for details
    401 - UnauthorizedThe request was not successful because it lacked valid authentication credentials for the requested resource.
    403 - ForbiddenThe request is legitimate but proper authorization was not provided.
    404 - Not FoundThe requested resource was not found.
    404 - Not FoundInvalid route
    404 - Not FoundWrong identifier
    405 - Method Not AllowedThe HTTP request method is known by the server but not supported by the target resource.
    408 - Request TimeoutThis response is sent on an idle connection by some servers, even without any previous request by the client. It means that the server would like to shut down this unused connection. This response is used much more since some browsers use HTTP pre-connection mechanisms to speed up browsing. Some servers may shut down a connection without sending this message.
    410 - GoneThis response is sent when the requested content has been permanently deleted from the server, with no forwarding address. Clients are expected to remove their caches and links to the resource.
    429 - Quota ExceededThe number of sent requests to this product has exceeded the amount allowed for its usage plan.
    429 - ThrottledThe number of sent requests to this product has exceeded the maximum allowed in a given time period (usually 1 second).
    499 - Client Closed the RequestThe connection was closed by the client before the full request could be returned.
    500 - Internal Server ErrorThe server encountered an unexpected condition, which prevented it from fulfilling the request or serving the response.
    502 - Bad GatewayThis indicates that a server was acting as a gateway or proxy and that it received an invalid response from the upstream server. If the problem persists, please get in touch with support.
    503 - Service UnavailableThe server was unable to retrieve the request due to a technical issue or scheduled maintenance.
    504 - Gateway TimeoutThe server did not receive a timely response from another server upstream.
";

/// One row of the contract §1 table, as the verdict must show it.
struct Row {
    status: Option<u16>,
    kind: &'static str,
    family: &'static str,
    scope: RetryScope,
    action: &'static str,
    never_processed: bool,
    title: &'static str,
}

/// The seed's description for a status and title that the seed lists exactly once.
fn seed_description(status: u16, title: &str) -> &'static str {
    let found = seed_descriptions(status, title);
    assert_eq!(
        found.len(),
        1,
        "the seed has one line for {status} - {title}"
    );
    found[0]
}

/// Every seed description for a status and title (the three 404 lines share one title).
fn seed_descriptions(status: u16, title: &str) -> Vec<&'static str> {
    let prefix = format!("{status} - {title}");
    SEED.lines()
        .map(str::trim)
        .filter_map(|line| line.strip_prefix(prefix.as_str()))
        .collect()
}

fn check_common(verdict: &Verdict, row: &Row) {
    let kind = verdict.kind;
    assert_eq!(kind.id(), row.kind, "kind of {:?}", row.status);
    assert_eq!(Kind::from_id(row.kind), Some(kind));
    assert_eq!(verdict.status, row.status);
    assert_eq!(verdict.family().id(), row.family, "family of {}", row.kind);
    assert_eq!(kind.retry_scope(), row.scope, "retry scope of {}", row.kind);
    assert_eq!(
        verdict.retryable(),
        row.scope != RetryScope::Never,
        "retryable of {}",
        row.kind
    );
    assert_eq!(verdict.action().id(), row.action, "action of {}", row.kind);
    assert_eq!(
        verdict.never_processed(),
        row.never_processed,
        "never_processed of {}",
        row.kind
    );
    assert_eq!(verdict.title(), row.title, "title of {}", row.kind);
    assert!(
        Kind::documented().any(|documented| documented == kind),
        "{} is listed by Kind::documented()",
        row.kind
    );
}

/// Checks a documented HTTP row: `body` is what makes the server pick this row's kind.
fn check_status_row(row: Row, body: Option<&str>, seed_wording: &str) {
    let status = row.status.expect("an HTTP row has a status");

    let verdict = response(status, "", body);
    check_common(&verdict, &row);
    assert_eq!(verdict.retry_after_ms, None, "no headers, no wait");
    assert_eq!(verdict.detail, None);
    assert_eq!(verdict.kind.documented_status(), Some(status));
    assert_eq!(
        verdict.description(),
        seed_wording,
        "description of {}",
        row.kind
    );
    assert!(
        seed_descriptions(status, row.title).contains(&verdict.description()),
        "the description of {} is a line of the seed",
        row.kind
    );

    // A short Retry-After changes no row's kind here (body wording decides the 429 variants), but
    // a 403 (GitHub's secondary rate limit) with a server wait is a rate limit; either way it is
    // reported as the server's wait.
    let verdict = response(status, "Retry-After: 2", body);
    if status == 403 {
        assert_eq!(verdict.kind, Kind::Throttled);
    } else {
        check_common(&verdict, &row);
    }
    assert_eq!(verdict.retry_after_ms, Some(2_000));
}

/// Checks a transport row.
fn check_transport_row(row: Row, error: ErrorShape, detail: TransportDetail) {
    assert_eq!(row.status, None);
    let verdict = classify_error(&error);
    check_common(&verdict, &row);
    assert_eq!(verdict.retry_after_ms, None);
    assert_eq!(verdict.detail, Some(detail));
    assert_eq!(verdict.kind.documented_status(), None);
    assert!(verdict.kind.is_transport());
    let description = verdict.description();
    assert!(description.ends_with('.') && description.len() > 20);
    // Transport kinds are not in the API's page: their wording must not pretend to be.
    assert!(SEED.lines().all(|line| !line.contains(description)));
}

// ---- one test per contract §1 row --------------------------------------------------------------------

#[test]
fn row_200_ok() {
    let row = Row {
        status: Some(200),
        kind: "ok",
        family: "success",
        scope: RetryScope::Never,
        action: "deliver",
        never_processed: false,
        title: "OK",
    };
    check_status_row(row, Some(r#"{"id":1}"#), "The request was successful");
}

#[test]
fn row_301_moved_permanently() {
    let row = Row {
        status: Some(301),
        kind: "moved_permanently",
        family: "redirection",
        scope: RetryScope::Never,
        action: "update_url",
        never_processed: false,
        title: "Moved Permanently",
    };
    let wording = seed_description(301, "Moved Permanently");
    assert!(wording.starts_with("The URL of the requested resource has been changed permanently."));
    check_status_row(row, None, wording);
}

#[test]
fn row_302_temporary_redirect() {
    let row = Row {
        status: Some(302),
        kind: "temporary_redirect",
        family: "redirection",
        scope: RetryScope::Never,
        action: "follow_redirect",
        never_processed: false,
        // The API's title, not RFC 9110's "Found".
        title: "Temporary Redirect",
    };
    let wording = seed_description(302, "Temporary Redirect");
    assert!(wording.contains("changed temporarily"));
    check_status_row(row, None, wording);
}

#[test]
fn row_304_not_modified() {
    let row = Row {
        status: Some(304),
        kind: "not_modified",
        family: "redirection",
        scope: RetryScope::Never,
        action: "use_cache",
        never_processed: false,
        title: "Not Modified",
    };
    let wording = seed_description(304, "Not Modified");
    assert!(wording.contains("reingesting the full payload"));
    check_status_row(row, None, wording);
}

#[test]
fn row_400_bad_request() {
    let row = Row {
        status: Some(400),
        kind: "bad_request",
        family: "client_error",
        scope: RetryScope::Never,
        action: "fix_request",
        never_processed: false,
        title: "Bad Request",
    };
    check_status_row(
        row,
        Some(r#"{"message":"amount must be positive"}"#),
        "A variable in the request is incorrect, check the reply message for details",
    );
}

#[test]
fn row_401_unauthorized() {
    let row = Row {
        status: Some(401),
        kind: "unauthorized",
        family: "client_error",
        scope: RetryScope::Never,
        action: "reauthenticate",
        never_processed: false,
        title: "Unauthorized",
    };
    let wording = seed_description(401, "Unauthorized");
    assert!(wording.contains("lacked valid authentication credentials"));
    check_status_row(row, Some(r#"{"message":"Unauthorized"}"#), wording);
}

#[test]
fn row_403_forbidden() {
    let row = Row {
        status: Some(403),
        kind: "forbidden",
        family: "client_error",
        scope: RetryScope::Never,
        action: "fail",
        never_processed: false,
        title: "Forbidden",
    };
    check_status_row(
        row,
        Some(r#"{"message":"Forbidden"}"#),
        "The request is legitimate but proper authorization was not provided.",
    );
}

#[test]
fn row_404_invalid_route() {
    let row = Row {
        status: Some(404),
        kind: "invalid_route",
        family: "client_error",
        scope: RetryScope::Never,
        action: "fix_request",
        never_processed: false,
        title: "Not Found",
    };
    check_status_row(row, Some(r#"{"message":"Invalid route"}"#), "Invalid route");
}

#[test]
fn row_404_wrong_identifier() {
    let row = Row {
        status: Some(404),
        kind: "wrong_identifier",
        family: "client_error",
        scope: RetryScope::Never,
        action: "fail",
        never_processed: false,
        title: "Not Found",
    };
    check_status_row(
        row,
        Some(r#"{"message":"Wrong identifier"}"#),
        "Wrong identifier",
    );
}

#[test]
fn row_404_not_found() {
    let row = Row {
        status: Some(404),
        kind: "not_found",
        family: "client_error",
        scope: RetryScope::Never,
        action: "fail",
        never_processed: false,
        title: "Not Found",
    };
    check_status_row(row, None, "The requested resource was not found.");
}

#[test]
fn row_405_method_not_allowed() {
    let row = Row {
        status: Some(405),
        kind: "method_not_allowed",
        family: "client_error",
        scope: RetryScope::Never,
        action: "fix_request",
        never_processed: false,
        title: "Method Not Allowed",
    };
    check_status_row(
        row,
        None,
        "The HTTP request method is known by the server but not supported by the target resource.",
    );
}

#[test]
fn row_408_request_timeout() {
    let row = Row {
        status: Some(408),
        kind: "request_timeout",
        family: "client_error",
        scope: RetryScope::AnyMethod,
        action: "retry",
        never_processed: true,
        title: "Request Timeout",
    };
    let wording = seed_description(408, "Request Timeout");
    assert!(wording.starts_with("This response is sent on an idle connection by some servers"));
    assert!(
        wording.ends_with("Some servers may shut down a connection without sending this message.")
    );
    check_status_row(row, None, wording);
}

#[test]
fn row_410_gone() {
    let row = Row {
        status: Some(410),
        kind: "gone",
        family: "client_error",
        scope: RetryScope::Never,
        action: "purge_cache",
        never_processed: false,
        title: "Gone",
    };
    let wording = seed_description(410, "Gone");
    assert!(
        wording.ends_with("Clients are expected to remove their caches and links to the resource.")
    );
    check_status_row(row, None, wording);
}

#[test]
fn row_429_throttled() {
    let row = Row {
        status: Some(429),
        kind: "throttled",
        family: "client_error",
        scope: RetryScope::AnyMethod,
        action: "retry",
        never_processed: true,
        title: "Throttled",
    };
    check_status_row(
        row,
        Some(r#"{"message":"Too Many Requests"}"#),
        "The number of sent requests to this product has exceeded the maximum allowed in a given time period (usually 1 second).",
    );
}

#[test]
fn row_429_quota_exceeded() {
    let row = Row {
        status: Some(429),
        kind: "quota_exceeded",
        family: "client_error",
        scope: RetryScope::Never,
        action: "wait_for_quota",
        never_processed: false,
        title: "Quota Exceeded",
    };
    check_status_row(
        row,
        Some(r#"{"message":"Limit Exceeded"}"#),
        "The number of sent requests to this product has exceeded the amount allowed for its usage plan.",
    );
}

#[test]
fn row_499_client_closed_request() {
    let row = Row {
        status: Some(499),
        kind: "client_closed_request",
        family: "client_error",
        scope: RetryScope::Never,
        action: "cancel",
        never_processed: false,
        title: "Client Closed the Request",
    };
    check_status_row(
        row,
        None,
        "The connection was closed by the client before the full request could be returned.",
    );
}

#[test]
fn row_500_internal_server_error() {
    let row = Row {
        status: Some(500),
        kind: "internal_server_error",
        family: "server_error",
        scope: RetryScope::IdempotentOnly,
        action: "retry",
        never_processed: false,
        title: "Internal Server Error",
    };
    let wording = seed_description(500, "Internal Server Error");
    assert!(wording.starts_with("The server encountered an unexpected condition"));
    check_status_row(row, Some("Internal Server Error"), wording);
}

#[test]
fn row_502_bad_gateway() {
    let row = Row {
        status: Some(502),
        kind: "bad_gateway",
        family: "server_error",
        scope: RetryScope::IdempotentOnly,
        action: "retry",
        never_processed: false,
        title: "Bad Gateway",
    };
    let wording = seed_description(502, "Bad Gateway");
    // contract: "when it persists, the error advises contacting support".
    assert!(wording.ends_with("If the problem persists, please get in touch with support."));
    check_status_row(
        row,
        Some("<html><body>502 Bad Gateway</body></html>"),
        wording,
    );
}

#[test]
fn row_503_service_unavailable() {
    let row = Row {
        status: Some(503),
        kind: "service_unavailable",
        family: "server_error",
        scope: RetryScope::IdempotentOnly,
        action: "retry",
        never_processed: false,
        title: "Service Unavailable",
    };
    check_status_row(
        row,
        None,
        "The server was unable to retrieve the request due to a technical issue or scheduled maintenance.",
    );
}

#[test]
fn row_504_gateway_timeout() {
    let row = Row {
        status: Some(504),
        kind: "gateway_timeout",
        family: "server_error",
        scope: RetryScope::IdempotentOnly,
        action: "retry",
        never_processed: false,
        title: "Gateway Timeout",
    };
    check_status_row(
        row,
        None,
        "The server did not receive a timely response from another server upstream.",
    );
}

#[test]
fn row_network_error() {
    let row = |never_processed| Row {
        status: None,
        kind: "network_error",
        family: "transport",
        scope: RetryScope::IdempotentOnly,
        action: "retry",
        never_processed,
        title: "Network Error",
    };
    // A browser's opaque failure does not prove the request was never sent...
    let chrome = ErrorShape {
        name: "TypeError",
        message: "Failed to fetch",
        ..Default::default()
    };
    check_transport_row(row(false), chrome, TransportDetail::FetchFailed);
    // ...a refused connection does (contract: "never sent, so safe for any method").
    let refused = ErrorShape {
        name: "TypeError",
        message: "fetch failed",
        cause_name: "Error",
        cause_message: "connect ECONNREFUSED 127.0.0.1:8080",
        cause_code: "ECONNREFUSED",
        ..Default::default()
    };
    check_transport_row(row(true), refused, TransportDetail::ConnectionRefused);
    // So does a DNS failure.
    let dns = ErrorShape {
        name: "TypeError",
        message: "fetch failed",
        cause_name: "Error",
        cause_message: "getaddrinfo ENOTFOUND api.example.invalid",
        cause_code: "ENOTFOUND",
        ..Default::default()
    };
    check_transport_row(row(true), dns, TransportDetail::DnsFailure);
}

#[test]
fn row_timeout() {
    let row = Row {
        status: None,
        kind: "timeout",
        family: "transport",
        scope: RetryScope::IdempotentOnly,
        action: "retry",
        never_processed: false,
        title: "Timeout",
    };
    let error = ErrorShape {
        name: "TimeoutError",
        message: "The operation was aborted due to timeout",
        ..Default::default()
    };
    check_transport_row(row, error, TransportDetail::Timeout);
}

#[test]
fn row_aborted() {
    let row = Row {
        status: None,
        kind: "aborted",
        family: "transport",
        scope: RetryScope::Never,
        action: "cancel",
        never_processed: false,
        title: "Aborted",
    };
    let error = ErrorShape {
        name: "AbortError",
        message: "signal is aborted without reason",
        ..Default::default()
    };
    check_transport_row(row, error, TransportDetail::Aborted);
}

// ---- the documented table as data ----------------------------------------------------------------

/// The kind ids of the contract §1 table, in its order.
const SPEC_ROWS: &[&str] = &[
    "ok",
    "moved_permanently",
    "temporary_redirect",
    "not_modified",
    "bad_request",
    "unauthorized",
    "forbidden",
    "invalid_route",
    "wrong_identifier",
    "not_found",
    "method_not_allowed",
    "request_timeout",
    "gone",
    "throttled",
    "quota_exceeded",
    "client_closed_request",
    "internal_server_error",
    "bad_gateway",
    "service_unavailable",
    "gateway_timeout",
    "network_error",
    "timeout",
    "aborted",
];

#[test]
fn documented_kinds_are_exactly_the_spec_rows() {
    // The contract rows, plus `unknown_error`: a kind users can receive, so the table lists it too.
    let mut documented: Vec<&str> = Kind::documented().map(Kind::id).collect();
    let mut expected = SPEC_ROWS.to_vec();
    expected.push("unknown_error");
    documented.sort_unstable();
    expected.sort_unstable();
    assert_eq!(
        documented, expected,
        "codes() must return the contract table and unknown_error, no more, no less"
    );
}

#[test]
fn documented_kinds_follow_the_spec_order() {
    let documented: Vec<&str> = Kind::documented()
        .map(Kind::id)
        .filter(|id| SPEC_ROWS.contains(id))
        .collect();
    assert_eq!(documented, SPEC_ROWS);
}

#[test]
fn every_seed_line_is_a_documented_kind() {
    let mut seen = 0;
    for line in SEED.lines().map(str::trim).filter(|line| !line.is_empty()) {
        let status: u16 = line[..3].parse().expect("a seed line starts with a status");
        let matching: Vec<Kind> = Kind::documented()
            .filter(|kind| kind.documented_status() == Some(status))
            .filter(|kind| line == format!("{status} - {}{}", kind.title(), kind.description()))
            .collect();
        assert_eq!(
            matching.len(),
            1,
            "exactly one kind carries the seed line {line:?}"
        );
        seen += 1;
    }
    assert_eq!(seen, 20);
}

#[test]
fn kind_ids_round_trip_and_are_unique_snake_case() {
    assert!(Kind::ALL.len() >= SPEC_ROWS.len());
    for (index, kind) in Kind::ALL.iter().copied().enumerate() {
        let id = kind.id();
        assert_eq!(Kind::from_id(id), Some(kind), "round trip of {id}");
        assert_eq!(kind.index(), index);
        assert!(
            !id.is_empty()
                && id.starts_with(|c: char| c.is_ascii_lowercase())
                && id.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                && !id.ends_with('_')
                && !id.contains("__"),
            "{id} is snake_case"
        );
        assert!(!kind.title().is_empty() && !kind.description().is_empty());
        let same_id = Kind::ALL.iter().filter(|other| other.id() == id).count();
        assert_eq!(same_id, 1, "{id} is unique");
    }
    for id in [
        "",
        "OK",
        "Ok",
        "not found",
        "not-found",
        "throttled ",
        "rate_limited",
    ] {
        assert_eq!(Kind::from_id(id), None, "{id:?} is not a kind id");
    }
}

// ---- every other status follows its family -------------------------------------------------------

/// Statuses that have a row (or a named alias) of their own.
const NAMED_STATUSES: &[u16] = &[
    200, 301, 302, 304, 307, 308, 400, 401, 403, 404, 405, 408, 410, 429, 499, 500, 501, 502, 503,
    504, 505,
];

#[test]
fn every_status_belongs_to_the_family_of_its_hundreds_digit() {
    for status in 100..=599u16 {
        let verdict = response(status, "", None);
        let family = match status / 100 {
            1 => "informational",
            2 => "success",
            3 => "redirection",
            4 => "client_error",
            _ => "server_error",
        };
        assert_eq!(verdict.status, Some(status));
        assert_eq!(verdict.family().id(), family, "family of {status}");
        assert!(
            !verdict.kind.is_transport(),
            "{status} is not a transport kind"
        );
        assert_eq!(verdict.detail, None);
        assert_eq!(verdict.retry_after_ms, None);
        assert!(!verdict.title().is_empty() && !verdict.description().is_empty());
    }
}

#[test]
fn undocumented_statuses_follow_their_family_and_rfc_9110() {
    for status in (100..=599u16).filter(|status| !NAMED_STATUSES.contains(status)) {
        let verdict = response(status, "", None);
        let kind = verdict.kind;
        assert_eq!(
            kind.documented_status(),
            None,
            "{status} has no documented kind"
        );
        // The title is RFC 9110's reason phrase where it has one.
        if let Some(phrase) = reason_phrase(status) {
            assert_eq!(verdict.title(), phrase, "title of {status}");
        }
        match status / 100 {
            1 => {
                assert_eq!(kind.id(), "informational");
                assert!(!verdict.retryable());
            }
            2 => {
                assert_eq!(kind.id(), "success", "{status}");
                assert_eq!(verdict.action().id(), "deliver");
                assert!(!verdict.retryable());
            }
            3 => {
                assert_eq!(kind.id(), "redirect", "{status}");
                assert_eq!(verdict.action().id(), "follow_redirect");
                assert!(!verdict.retryable());
            }
            4 => {
                assert_eq!(kind.id(), "client_error", "{status}");
                assert_eq!(verdict.action().id(), "fail", "unknown 4xx fail: {status}");
                assert!(
                    !verdict.retryable(),
                    "unknown 4xx are not retried: {status}"
                );
                assert!(!verdict.never_processed());
            }
            _ => {
                assert_eq!(kind.id(), "server_error", "{status}");
                assert_eq!(verdict.action().id(), "retry", "{status}");
                assert!(verdict.retryable(), "other 5xx are retryable: {status}");
                assert_eq!(kind.retry_scope(), RetryScope::IdempotentOnly, "{status}");
                assert!(!verdict.never_processed(), "a 5xx may have been processed");
            }
        }
    }
}

#[test]
fn every_5xx_except_501_and_505_is_retryable_for_idempotent_requests_only() {
    for status in 500..=599u16 {
        let verdict = response(status, "", None);
        if status == 501 || status == 505 {
            assert!(!verdict.retryable(), "{status} is not retryable");
            assert_eq!(verdict.kind.retry_scope(), RetryScope::Never);
            assert_eq!(verdict.action().id(), "fail");
        } else {
            assert!(verdict.retryable(), "{status} is retryable");
            assert_eq!(
                verdict.kind.retry_scope(),
                RetryScope::IdempotentOnly,
                "{status}"
            );
            assert_eq!(verdict.action().id(), "retry");
        }
        assert!(!verdict.never_processed(), "{status}");
    }
}

#[test]
fn not_implemented_and_http_version_not_supported() {
    let verdict = response(501, "", None);
    assert_eq!(verdict.kind.id(), "not_implemented");
    assert_eq!(verdict.title(), "Not Implemented");
    let verdict = response(505, "", None);
    assert_eq!(verdict.kind.id(), "http_version_not_supported");
    assert_eq!(verdict.title(), "HTTP Version Not Supported");
}

#[test]
fn status_307_is_a_temporary_redirect() {
    let verdict = response(307, "", None);
    assert_eq!(verdict.kind.id(), "temporary_redirect");
    assert_eq!(verdict.status, Some(307));
    assert_eq!(verdict.family().id(), "redirection");
    assert_eq!(verdict.action().id(), "follow_redirect");
    assert!(!verdict.retryable());
    assert_eq!(verdict.title(), "Temporary Redirect");
}

#[test]
fn status_308_is_a_permanent_move_titled_permanent_redirect() {
    let verdict = response(308, "", None);
    assert_eq!(verdict.kind.id(), "moved_permanently");
    assert_eq!(verdict.status, Some(308));
    assert_eq!(verdict.family().id(), "redirection");
    assert_eq!(verdict.action().id(), "update_url");
    assert!(!verdict.retryable());
    assert_eq!(verdict.title(), "Permanent Redirect");
    // 301 keeps the API's own title.
    assert_eq!(response(301, "", None).title(), "Moved Permanently");
}

#[test]
fn unknown_4xx_with_a_body_still_fail() {
    for (status, body) in [
        (402, r#"{"message":"Payment Required"}"#),
        (409, r#"{"message":"Conflict: version mismatch"}"#),
        (418, "I'm a teapot"),
        (422, r#"{"errors":{"email":["is invalid"]}}"#),
        (451, "Unavailable For Legal Reasons"),
    ] {
        let verdict = response(status, "Retry-After: 5", Some(body));
        assert_eq!(verdict.kind.id(), "client_error", "{status}");
        assert_eq!(verdict.action().id(), "fail");
        assert!(!verdict.retryable());
        // The server's wait is still reported, even though the kind is not retried.
        assert_eq!(verdict.retry_after_ms, Some(5_000));
    }
}

// ---- status validation ---------------------------------------------------------------------------

#[test]
fn status_from_number_accepts_integers_from_100_to_599() {
    assert_eq!(status_from_number(100.0), Ok(100));
    assert_eq!(status_from_number(599.0), Ok(599));
    assert_eq!(status_from_number(404.0), Ok(404));
    for status in 100..=599u16 {
        assert_eq!(status_from_number(f64::from(status)), Ok(status));
    }
}

#[test]
fn status_from_number_rejects_integers_outside_the_range() {
    for value in [
        0.0,
        99.0,
        600.0,
        -0.0,
        -1.0,
        -404.0,
        1000.0,
        65_536.0 + 404.0,
        1e300,
        f64::MAX,
        f64::MIN,
    ] {
        assert_eq!(
            status_from_number(value).map_err(|error| error.problem),
            Err(status::OUT_OF_RANGE),
            "{value:?}"
        );
    }
}

#[test]
fn status_from_number_rejects_non_integers() {
    for value in [
        1.5,
        404.5,
        99.5,
        599.5,
        599.000_000_1,
        100.0 - f64::EPSILON * 128.0,
        f64::MIN_POSITIVE,
        f64::NAN,
        -f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ] {
        assert_eq!(
            status_from_number(value).map_err(|error| error.problem),
            Err(status::NOT_AN_INTEGER),
            "{value:?}"
        );
    }
}

#[test]
fn status_errors_have_a_stable_code_and_name_the_field() {
    let not_an_integer = status_from_number(1.5).unwrap_err();
    let out_of_range = status_from_number(600.0).unwrap_err();
    for error in [&not_an_integer, &out_of_range] {
        assert_eq!(error.code(), "ERR_STATUS_RANGE");
        assert_eq!(error.field, "status");
        assert!(error.message().contains("`status`"));
        assert!(error.message().contains("100") && error.message().contains("599"));
        assert_eq!(error.to_string(), error.message());
    }
    assert_ne!(not_an_integer.message(), out_of_range.message());
}
