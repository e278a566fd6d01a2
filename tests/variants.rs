// Test, bench and example code may unwrap, panic and index (the package's code may not: Cargo.toml [lints]).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

// contract §1, "Telling variants apart": the two 404s and the two 429s the API documents, classified
// from realistic bodies and headers through `classify`, and the server's wait (`retry_after_ms`)
// that every verdict carries.

mod common;
use common::{response, NOW_MS};
use http_verdict::variants::{not_found_variant, too_many_requests_variant};
use http_verdict::{classify, HeaderBlock, Kind, ResponseParts};

const NOW_S: u64 = NOW_MS / 1000;
const HOUR_S: u64 = 3_600;
const DAY_S: u64 = 86_400;

/// The 404 kind for a body, checked through `classify` and the variant rule alike.
fn kind_404(body: Option<&str>) -> Kind {
    let kind = response(404, "", body).kind;
    assert_eq!(not_found_variant(body), kind, "classify and the rule agree");
    kind
}

fn kind_429(headers: &str, body: Option<&str>) -> Kind {
    let kind = response(429, headers, body).kind;
    assert_eq!(
        too_many_requests_variant(body, &HeaderBlock::new(headers), NOW_MS),
        kind,
        "classify and the rule agree"
    );
    kind
}

// ---- 404 -----------------------------------------------------------------------------------------

#[test]
fn not_found_naming_a_route_is_invalid_route() {
    let bodies = [
        // Express's default handler, as text and as its HTML page.
        "Cannot GET /v2/usres",
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n\
         </head>\n<body>\n<pre>Cannot GET /v2/usres</pre>\n</body>\n</html>\n",
        "Cannot POST /v1/charges/capture",
        // Stripe.
        r#"{
  "error": {
    "message": "Unrecognized request URL (GET: /v1/foo). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.",
    "type": "invalid_request_error"
  }
}"#,
        // The API's own wording, and Rails.
        r#"{"message":"Invalid route"}"#,
        r#"{"error":"No route matches [GET] /x"}"#,
        r#"{"status":404,"error":"Not Found","exception":"No route matches [GET] \"/x\""}"#,
        // NestJS.
        r#"{"message":"Cannot GET /api/v2/orders","error":"Not Found","statusCode":404}"#,
        r#"{"message":"Unknown endpoint"}"#,
        "INVALID ROUTE",
    ];
    for body in bodies {
        assert_eq!(kind_404(Some(body)), Kind::InvalidRoute, "{body}");
    }
    let verdict = response(404, "", Some(bodies[0]));
    assert_eq!(verdict.action().id(), "fix_request");
    assert_eq!(verdict.description(), "Invalid route");
}

#[test]
fn not_found_naming_a_resource_or_id_is_wrong_identifier() {
    let bodies = [
        r#"{"message":"Wrong identifier"}"#,
        "User 42 not found",
        r#"{"message":"User 42 not found"}"#,
        r#"{"error":"Not Found","message":"Order ord_123 does not exist"}"#,
        "No such customer: cus_1",
        // Stripe's full reply for a missing object.
        r#"{
  "error": {
    "code": "resource_missing",
    "doc_url": "https://stripe.com/docs/error-codes/resource-missing",
    "message": "No such customer: 'cus_1'",
    "param": "id",
    "type": "invalid_request_error"
  }
}"#,
        r#"{"detail":"Invoice inv_9 doesn't exist."}"#,
        r#"{"message":"Could not find project with id 77"}"#,
        "wrong identifier",
    ];
    for body in bodies {
        assert_eq!(kind_404(Some(body)), Kind::WrongIdentifier, "{body}");
    }
    let verdict = response(404, "", Some(bodies[1]));
    assert_eq!(verdict.action().id(), "fail");
    assert_eq!(verdict.description(), "Wrong identifier");
}

#[test]
fn not_found_with_nothing_to_tell_the_variants_apart_is_not_found() {
    let bodies = [
        Some("Not Found"),
        Some(r#"{"message":"The requested resource was not found."}"#),
        Some(""),
        None,
        Some("   \n"),
        Some(r#"{"detail":"Not found."}"#),
        Some(r#"{"error":"not_found"}"#),
        // GitHub.
        Some(
            r#"{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}"#,
        ),
        // nginx.
        Some(
            "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n\
             <center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
        ),
    ];
    for body in bodies {
        assert_eq!(kind_404(body), Kind::NotFound, "{body:?}");
    }
    let verdict = response(404, "", None);
    assert_eq!(verdict.action().id(), "fail");
    assert_eq!(
        verdict.description(),
        "The requested resource was not found."
    );
}

#[test]
fn not_found_variants_ignore_case() {
    assert_eq!(kind_404(Some("cannot get /v2/usres")), Kind::InvalidRoute);
    assert_eq!(
        kind_404(Some("NO SUCH CUSTOMER: cus_1")),
        Kind::WrongIdentifier
    );
    assert_eq!(kind_404(Some("NOT FOUND")), Kind::NotFound);
}

#[test]
fn not_found_variants_do_not_depend_on_headers() {
    let headers = "Content-Type: application/json\nRetry-After: 5";
    assert_eq!(
        response(404, headers, Some("Cannot GET /x")).kind,
        Kind::InvalidRoute
    );
    assert_eq!(
        response(404, headers, Some("User 42 not found")).kind,
        Kind::WrongIdentifier
    );
    assert_eq!(response(404, headers, None).kind, Kind::NotFound);
}

#[test]
fn not_found_rules_are_not_applied_to_other_statuses() {
    // Only 404 has variants: a 410 or a 400 with route wording keeps its own kind.
    assert_eq!(response(410, "", Some("Invalid route")).kind, Kind::Gone);
    assert_eq!(
        response(400, "", Some("Wrong identifier")).kind,
        Kind::BadRequest
    );
    assert_eq!(
        response(503, "", Some("Invalid route")).kind,
        Kind::ServiceUnavailable
    );
}

#[test]
fn not_found_handles_a_huge_body() {
    // The wording sits at the start; a very large body must not change or slow the verdict.
    let mut body = String::from(r#"{"message":"Invalid route","padding":""#);
    body.push_str(&"x".repeat(1_000_000));
    body.push_str(r#""}"#);
    assert_eq!(kind_404(Some(&body)), Kind::InvalidRoute);
    let mut body = String::from("User 42 not found. ");
    body.push_str(&"\u{1F600}".repeat(500_000));
    assert_eq!(kind_404(Some(&body)), Kind::WrongIdentifier);
}

// ---- 429 -----------------------------------------------------------------------------------------

#[test]
fn too_many_requests_with_quota_signals_is_quota_exceeded() {
    let cases: &[(&str, Option<&str>)] = &[
        // AWS API Gateway, usage plan quota.
        ("", Some(r#"{"message":"Limit Exceeded"}"#)),
        (
            "x-amzn-ErrorType: LimitExceededException",
            Some(r#"{"message":"Limit Exceeded"}"#),
        ),
        // Quota wording.
        ("", Some(r#"{"error":"Monthly quota exhausted for this API key"}"#)),
        (
            "",
            Some(
                r#"{"error":{"code":429,"message":"Quota exceeded for quota metric 'Requests' and limit 'Requests per day'","status":"RESOURCE_EXHAUSTED"}}"#,
            ),
        ),
        ("", Some("Usage plan limit reached")),
        // AWS error type header alone.
        ("x-amzn-ErrorType: LimitExceededException", None),
        (
            "x-amzn-ErrorType: LimitExceededException:http://internal.amazon.com/coral/com.amazon.coral.availability/",
            Some(""),
        ),
        // A wait of an hour or more.
        ("Retry-After: 3600", None),
        ("Retry-After: 86400", Some("{}")),
        // The IETF draft: nothing left, resets in a day.
        (
            "RateLimit: \"default\";r=0;t=86400\nRateLimit-Policy: \"default\";q=1000;w=86400",
            None,
        ),
        // Vendor headers: nothing left, the reset (epoch seconds) is a day away.
        ("X-RateLimit-Limit: 1000\nX-RateLimit-Remaining: 0\nX-RateLimit-Reset: 1795600800", None),
    ];
    assert_eq!(
        NOW_S + DAY_S,
        1_795_600_800,
        "the vendor reset above is one day away"
    );
    for &(headers, body) in cases {
        assert_eq!(
            kind_429(headers, body),
            Kind::QuotaExceeded,
            "{headers:?} {body:?}"
        );
    }
    let verdict = response(429, "", Some(r#"{"message":"Limit Exceeded"}"#));
    assert!(!verdict.retryable());
    assert!(!verdict.never_processed());
    assert_eq!(verdict.action().id(), "wait_for_quota");
}

#[test]
fn too_many_requests_with_throttle_signals_is_throttled() {
    let cases: &[(&str, Option<&str>)] = &[
        // AWS API Gateway, per-second throttle.
        ("", Some(r#"{"message":"Too Many Requests"}"#)),
        (
            "x-amzn-ErrorType: TooManyRequestsException",
            Some(r#"{"message":"Too Many Requests"}"#),
        ),
        // GitHub: throttling wording.
        (
            "",
            Some(
                r#"{"message":"API rate limit exceeded for 203.0.113.7. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)","documentation_url":"https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"}"#,
            ),
        ),
        ("", Some("Rate exceeded.")),
        (
            "",
            Some(r#"{"error":"Request was throttled. Expected available in 1 second."}"#),
        ),
        ("", Some("Slow down!")),
        // AWS error type header alone.
        ("x-amzn-ErrorType: TooManyRequestsException", None),
        ("x-amzn-errortype: ThrottlingException", Some("")),
        // Short waits.
        ("Retry-After: 1", None),
        ("Retry-After: 3599", None),
        (
            "RateLimit: \"default\";r=0;t=1\nRateLimit-Policy: \"default\";q=10;w=1",
            None,
        ),
        (
            "X-RateLimit-Remaining: 0\nX-RateLimit-Reset: 1795514430",
            None,
        ),
        ("X-RateLimit-Remaining: 0\nX-RateLimit-Reset: 2", None),
        // No signal at all.
        ("", None),
        ("", Some("")),
        ("Content-Type: text/plain", Some("Error")),
    ];
    for &(headers, body) in cases {
        assert_eq!(
            kind_429(headers, body),
            Kind::Throttled,
            "{headers:?} {body:?}"
        );
    }
    let verdict = response(429, "", None);
    assert!(verdict.retryable());
    assert!(
        verdict.never_processed(),
        "a throttled request was not processed"
    );
    assert_eq!(verdict.action().id(), "retry");
}

#[test]
fn too_many_requests_http_date_is_measured_from_the_date_header() {
    let date = "Date: Tue, 24 Nov 2026 10:00:00 GMT\n";
    let far = format!("{date}Retry-After: Wed, 25 Nov 2026 00:00:00 GMT");
    let near = format!("{date}Retry-After: Tue, 24 Nov 2026 10:00:30 GMT");
    assert_eq!(kind_429(&far, None), Kind::QuotaExceeded);
    assert_eq!(kind_429(&near, None), Kind::Throttled);
}

#[test]
fn too_many_requests_with_a_long_exhausted_window_and_no_reset_is_quota_exceeded() {
    // Older draft fields: a daily policy with nothing remaining.
    let headers = "RateLimit-Limit: 1000;w=86400\nRateLimit-Remaining: 0";
    assert_eq!(kind_429(headers, None), Kind::QuotaExceeded);
    // Requests still remain: the 429 is a throttle.
    let headers = "RateLimit-Limit: 1000;w=86400\nRateLimit-Remaining: 12";
    assert_eq!(kind_429(headers, None), Kind::Throttled);
    // A short window with nothing remaining is a throttle.
    let headers = "RateLimit-Limit: 10;w=1\nRateLimit-Remaining: 0";
    assert_eq!(kind_429(headers, None), Kind::Throttled);
}

#[test]
fn too_many_requests_rate_limit_with_requests_remaining_is_no_quota_signal() {
    let headers = format!(
        "X-RateLimit-Remaining: 10\nX-RateLimit-Reset: {}",
        NOW_S + DAY_S
    );
    assert_eq!(kind_429(&headers, None), Kind::Throttled);
}

#[test]
fn too_many_requests_body_wording_wins_over_headers() {
    let quota_headers = "Retry-After: 86400\nx-amzn-ErrorType: LimitExceededException\n\
                         RateLimit: \"default\";r=0;t=86400";
    let throttle_headers = "Retry-After: 1\nx-amzn-ErrorType: TooManyRequestsException\n\
                            RateLimit: \"default\";r=0;t=1";
    assert_eq!(
        kind_429(quota_headers, Some(r#"{"message":"Too Many Requests"}"#)),
        Kind::Throttled
    );
    assert_eq!(
        kind_429(throttle_headers, Some(r#"{"message":"Limit Exceeded"}"#)),
        Kind::QuotaExceeded
    );
    assert_eq!(
        kind_429("Retry-After: 86400", Some("API rate limit exceeded")),
        Kind::Throttled
    );
    assert_eq!(
        kind_429("Retry-After: 2", Some("Daily quota used up")),
        Kind::QuotaExceeded
    );
}

#[test]
fn too_many_requests_aws_error_type_wins_over_wait_hints() {
    assert_eq!(
        kind_429(
            "x-amzn-ErrorType: LimitExceededException\nRetry-After: 1",
            None
        ),
        Kind::QuotaExceeded
    );
    assert_eq!(
        kind_429(
            "x-amzn-ErrorType: TooManyRequestsException\nRetry-After: 86400",
            None
        ),
        Kind::Throttled
    );
}

#[test]
fn too_many_requests_ignores_garbage_wait_hints() {
    for headers in [
        "Retry-After: soon",
        "Retry-After: -86400",
        "Retry-After: 86400.5555",
        "Retry-After: 1 day",
        "RateLimit: \"default\";r=zero;t=86400",
        "X-RateLimit-Remaining: 0\nX-RateLimit-Reset: tomorrow",
    ] {
        assert_eq!(kind_429(headers, None), Kind::Throttled, "{headers}");
    }
}

// ---- the server's wait: retry_after_ms -----------------------------------------------------------

#[test]
fn retry_after_delay_seconds_fill_retry_after_ms() {
    for status in [429, 503, 301, 500] {
        assert_eq!(
            response(status, "Retry-After: 120", None).retry_after_ms,
            Some(120_000),
            "{status}"
        );
    }
    assert_eq!(
        response(429, "retry-after: 0", None).retry_after_ms,
        Some(0)
    );
    assert_eq!(
        response(503, "RETRY-AFTER:  7 ", None).retry_after_ms,
        Some(7_000)
    );
}

#[test]
fn retry_after_http_date_is_relative_to_the_date_header() {
    let headers = "Date: Tue, 24 Nov 2026 10:00:00 GMT\nRetry-After: Tue, 24 Nov 2026 10:00:30 GMT";
    // The server's clock decides, not the client's (which is off by an hour here).
    for now_ms in [NOW_MS, NOW_MS + HOUR_S * 1000, NOW_MS - HOUR_S * 1000] {
        let verdict = classify(
            &ResponseParts {
                status: 503,
                headers: HeaderBlock::new(headers),
                body: None,
            },
            now_ms,
            None,
        );
        assert_eq!(verdict.retry_after_ms, Some(30_000), "now {now_ms}");
    }
}

#[test]
fn retry_after_http_date_without_a_date_header_is_relative_to_now() {
    let headers = "Retry-After: Tue, 24 Nov 2026 10:02:00 GMT";
    assert_eq!(response(503, headers, None).retry_after_ms, Some(120_000));
    // A date in the past means no wait.
    let headers = "Retry-After: Tue, 24 Nov 2026 09:00:00 GMT";
    assert_eq!(response(503, headers, None).retry_after_ms, Some(0));
}

#[test]
fn exhausted_rate_limit_headers_fill_retry_after_ms() {
    let cases = [
        ("RateLimit: \"default\";r=0;t=5", 5_000),
        (
            "RateLimit: \"default\";r=0;t=86400\nRateLimit-Policy: \"default\";q=1000;w=86400",
            86_400_000,
        ),
        ("RateLimit-Remaining: 0\nRateLimit-Reset: 12", 12_000),
        ("X-RateLimit-Remaining: 0\nX-RateLimit-Reset: 30", 30_000),
        (
            "X-RateLimit-Remaining: 0\nX-RateLimit-Reset: 1795514430",
            30_000,
        ),
        (
            "X-RateLimit-Remaining: 0\nX-RateLimit-Reset: 1795514400250",
            250,
        ),
    ];
    for (headers, wait_ms) in cases {
        assert_eq!(
            response(429, headers, None).retry_after_ms,
            Some(wait_ms),
            "{headers}"
        );
    }
}

#[test]
fn rate_limit_headers_with_requests_left_give_no_wait() {
    for headers in [
        "RateLimit: \"default\";r=3;t=5",
        "X-RateLimit-Remaining: 4\nX-RateLimit-Reset: 30",
        "X-RateLimit-Limit: 60",
        // Nothing left but no reset: no stated wait.
        "X-RateLimit-Remaining: 0",
    ] {
        assert_eq!(
            response(429, headers, None).retry_after_ms,
            None,
            "{headers}"
        );
    }
}

#[test]
fn retry_after_wins_over_rate_limit_headers() {
    let headers = "Retry-After: 7\nRateLimit: \"default\";r=0;t=60\n\
                   X-RateLimit-Remaining: 0\nX-RateLimit-Reset: 90";
    assert_eq!(response(429, headers, None).retry_after_ms, Some(7_000));
    let headers = "X-RateLimit-Remaining: 0\nX-RateLimit-Reset: 90\nRetry-After: 3";
    assert_eq!(response(503, headers, None).retry_after_ms, Some(3_000));
}

#[test]
fn garbage_wait_hints_are_ignored() {
    for headers in [
        "Retry-After: soon",
        "Retry-After: -5",
        "Retry-After: 1.5555",
        "Retry-After: 5s",
        "Retry-After: 2026-11-24T10:00:30Z",
        "Retry-After: Tue, 32 Nov 2026 10:00:30 GMT",
        "Retry-After:",
        "Retry-After: 5\nRetry-After: 10",
        "RateLimit: \"default\";r=0;t=-5",
        "X-RateLimit-Remaining: none\nX-RateLimit-Reset: 30",
        "X-RateLimit-Remaining: 0\nX-RateLimit-Reset: -1",
        "Date: Tue, 24 Nov 2026 10:00:00 GMT",
        "",
    ] {
        assert_eq!(
            response(503, headers, None).retry_after_ms,
            None,
            "{headers:?}"
        );
    }
}

#[test]
fn a_garbage_retry_after_does_not_hide_a_good_rate_limit_wait() {
    let headers = "Retry-After: soon\nX-RateLimit-Remaining: 0\nX-RateLimit-Reset: 30";
    assert_eq!(response(429, headers, None).retry_after_ms, Some(30_000));
}

#[test]
fn retry_after_ms_does_not_depend_on_the_variant() {
    // The same wait whichever variant the body picks.
    let headers = "Retry-After: 2";
    let throttled = response(429, headers, Some("Too Many Requests"));
    let quota = response(429, headers, Some("Limit Exceeded"));
    assert_eq!(throttled.kind, Kind::Throttled);
    assert_eq!(quota.kind, Kind::QuotaExceeded);
    assert_eq!(throttled.retry_after_ms, Some(2_000));
    assert_eq!(quota.retry_after_ms, Some(2_000));
}

#[test]
fn not_found_wording_that_names_an_object_beats_the_word_endpoint() {
    // Stripe's missing webhook endpoint is a missing object with an id, not a missing route.
    assert_eq!(
        kind_404(Some("No such webhook endpoint: 'we_123'")),
        Kind::WrongIdentifier
    );
    assert_eq!(
        kind_404(Some("Resource 'users/42' not found")),
        Kind::WrongIdentifier
    );
    assert_eq!(kind_404(Some("Not found: user 42")), Kind::WrongIdentifier);
    assert_eq!(kind_404(Some("Unknown user id 42")), Kind::WrongIdentifier);
    assert_eq!(
        kind_404(Some("The endpoint /v3/reports is not available")),
        Kind::InvalidRoute
    );
    assert_eq!(kind_404(Some("Not found:")), Kind::NotFound);
}

#[test]
fn too_many_requests_with_a_long_window_is_a_quota_even_when_it_resets_soon() {
    assert_eq!(
        kind_429(
            "ratelimit: \"daily\";r=0;t=30\nratelimit-policy: \"daily\";q=1000;w=86400",
            None
        ),
        Kind::QuotaExceeded
    );
    assert_eq!(
        kind_429(
            "ratelimit: \"burst\";r=0;t=30\nratelimit-policy: \"burst\";q=10;w=60",
            None
        ),
        Kind::Throttled
    );
}

/// The wrapper reads an error body only for 400, 403, 404, 429 and 503 (pkg-template/fetch/call.js,
/// `classify`): for every other status the core's verdict must not depend on the body, or the
/// wrapper would miss what the body says.
#[test]
fn only_the_statuses_the_wrapper_reads_bodies_for_depend_on_the_body() {
    let bodies = [
        "Too Many Requests",
        "Limit Exceeded: quota",
        "Invalid route",
        "Wrong identifier",
        "You have exceeded a secondary rate limit",
        r#"{"message":"rate limit exceeded","retry_after":5}"#,
    ];
    // The bodies do matter where the wrapper reads them.
    assert_ne!(response(404, "", Some(bodies[2])), response(404, "", None));
    assert_ne!(response(429, "", Some(bodies[1])), response(429, "", None));
    assert_ne!(response(503, "", Some(bodies[0])), response(503, "", None));
    for status in 100..=599 {
        if [400, 403, 404, 429, 503].contains(&status) {
            continue;
        }
        let bare = response(status, "", None);
        for body in bodies {
            assert_eq!(
                response(status, "", Some(body)),
                bare,
                "{status} with {body:?}"
            );
        }
    }
}
