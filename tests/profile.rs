// Test, bench and example code may unwrap, panic and index (the package's code may not: Cargo.toml [lints]).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

// contract §1: user profiles. Bad profiles are rejected up front with the path of the offending field;
// good ones override the built-in variant rules per status, and fall back to them otherwise.

mod common;
use common::NOW_MS;
use http_verdict::profile::{HeaderRuleSpec, RuleSpec, MAX_RULES};
use http_verdict::{classify, HeaderBlock, InputError, Kind, Profile, ProfileSpec, ResponseParts};

fn rule(status: u16, kind: &str) -> RuleSpec {
    RuleSpec {
        status: f64::from(status),
        kind: kind.into(),
        body_includes: None,
        header: None,
    }
}

fn body_rule(status: u16, kind: &str, patterns: &[&str]) -> RuleSpec {
    RuleSpec {
        body_includes: Some(patterns.iter().map(|p| p.to_string()).collect()),
        ..rule(status, kind)
    }
}

fn header_rule(
    status: u16,
    kind: &str,
    name: &str,
    equals: Option<&str>,
    includes: Option<&str>,
) -> RuleSpec {
    RuleSpec {
        header: Some(HeaderRuleSpec {
            name: name.into(),
            equals: equals.map(Into::into),
            includes: includes.map(Into::into),
        }),
        ..rule(status, kind)
    }
}

fn profile(rules: Vec<RuleSpec>) -> Profile {
    Profile::new(ProfileSpec { rules }).expect("a valid profile")
}

/// The error for an invalid profile; checks that its message names the field.
fn rejected(rules: Vec<RuleSpec>) -> InputError {
    let error = Profile::new(ProfileSpec { rules }).expect_err("an invalid profile");
    let message = error.to_string();
    assert!(
        message.contains(&format!("`{}`", error.field)),
        "{message:?} names {}",
        error.field
    );
    assert!(!error.problem.is_empty());
    assert_eq!(error.code(), "ERR_INVALID_PROFILE");
    error
}

fn kind(profile: &Profile, status: u16, headers: &str, body: Option<&str>) -> Kind {
    let response = ResponseParts {
        status,
        headers: HeaderBlock::new(headers),
        body,
    };
    let with_profile = classify(&response, NOW_MS, Some(profile));
    // The profile decides the kind only: status and server wait are unchanged.
    let without = classify(&response, NOW_MS, None);
    assert_eq!(with_profile.status, without.status);
    assert_eq!(with_profile.retry_after_ms, without.retry_after_ms);
    with_profile.kind
}

fn built_in(status: u16, headers: &str, body: Option<&str>) -> Kind {
    let response = ResponseParts {
        status,
        headers: HeaderBlock::new(headers),
        body,
    };
    classify(&response, NOW_MS, None).kind
}

// ---- validation ----------------------------------------------------------------------------------

#[test]
fn valid_profiles_are_accepted() {
    let valid = Profile::new(ProfileSpec {
        rules: vec![
            body_rule(404, "wrong_identifier", &["no such user"]),
            header_rule(429, "quota_exceeded", "X-Quota-Remaining", Some("0"), None),
            header_rule(429, "throttled", "x-burst", None, Some("exceeded")),
            header_rule(403, "unauthorized", "www-authenticate", None, None),
            rule(100, "informational"),
            rule(599, "server_error"),
        ],
    });
    assert!(valid.is_ok(), "{valid:?}");
    assert!(!valid.unwrap().is_empty());
    let empty = Profile::new(ProfileSpec::default()).unwrap();
    assert!(empty.is_empty());
    assert!(empty.header_names().is_empty());
}

#[test]
fn bad_status_names_the_status_field() {
    for status in [0, 99, 600, 999, u16::MAX] {
        let error = rejected(vec![rule(status, "not_found")]);
        assert_eq!(error.field, "rules[0].status", "status {status}");
    }
    let error = rejected(vec![rule(404, "not_found"), rule(99, "ok")]);
    assert_eq!(error.field, "rules[1].status");
    let error = rejected(vec![
        rule(404, "not_found"),
        rule(429, "throttled"),
        rule(600, "server_error"),
    ]);
    assert_eq!(error.field, "rules[2].status");
}

#[test]
fn unknown_kind_names_the_kind_field() {
    for kind in [
        "",
        "not-found",
        "NotFound",
        "NOT_FOUND",
        "rate_limited",
        " ok",
    ] {
        let error = rejected(vec![rule(404, "not_found"), rule(404, kind)]);
        assert_eq!(error.field, "rules[1].kind", "kind {kind:?}");
    }
}

#[test]
fn transport_kind_names_the_kind_field() {
    for kind in ["network_error", "timeout", "aborted", "unknown_error"] {
        let error = rejected(vec![rule(504, kind)]);
        assert_eq!(error.field, "rules[0].kind", "kind {kind:?}");
    }
    // Not the same complaint as an unknown id.
    let transport = rejected(vec![rule(504, "timeout")]);
    let unknown = rejected(vec![rule(504, "timed_out")]);
    assert_ne!(transport.problem, unknown.problem);
}

#[test]
fn blank_or_oversized_pattern_names_the_pattern() {
    for blank in ["", " ", "\t\n"] {
        let error = rejected(vec![body_rule(404, "invalid_route", &["no route", blank])]);
        assert_eq!(error.field, "rules[0].bodyIncludes[1]", "pattern {blank:?}");
    }
    let long = "x".repeat(257);
    let error = rejected(vec![
        rule(404, "not_found"),
        body_rule(404, "invalid_route", &[&long]),
    ]);
    assert_eq!(error.field, "rules[1].bodyIncludes[0]");
    let patterns: Vec<String> = (0..65).map(|n| format!("pattern {n}")).collect();
    let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
    let error = rejected(vec![body_rule(404, "invalid_route", &patterns)]);
    assert_eq!(error.field, "rules[0].bodyIncludes");
    // The limits themselves are fine.
    profile(vec![body_rule(404, "invalid_route", &patterns[..64])]);
    profile(vec![body_rule(404, "invalid_route", &[&long[..256]])]);
}

#[test]
fn too_many_rules_names_the_rules_field() {
    let rules = |count: usize| (0..count).map(|_| rule(404, "not_found")).collect();
    let error = rejected(rules(MAX_RULES + 1));
    assert_eq!(error.field, "rules");
    profile(rules(MAX_RULES));
}

#[test]
fn invalid_header_name_names_the_header_name_field() {
    for name in [
        "",
        "X Quota",
        "x-quota:",
        "x-quota\n",
        "x-quötä",
        "(x)",
        "x\"y",
        &"x".repeat(257),
    ] {
        let error = rejected(vec![
            body_rule(404, "invalid_route", &["no route"]),
            header_rule(429, "quota_exceeded", name, Some("0"), None),
        ]);
        assert_eq!(error.field, "rules[1].header.name", "name {name:?}");
    }
    // Every RFC 9110 token character is allowed.
    profile(vec![header_rule(
        429,
        "quota_exceeded",
        "X-Quota_Left!#$%&'*+.^`|~9",
        None,
        None,
    )]);
}

#[test]
fn equals_and_includes_together_are_rejected() {
    let error = rejected(vec![header_rule(
        429,
        "quota_exceeded",
        "x-quota",
        Some("0"),
        Some("0"),
    )]);
    assert_eq!(error.field, "rules[0].header.equals");
    assert!(error.problem.contains("includes"), "{}", error.problem);
}

#[test]
fn header_value_with_a_newline_names_the_value_field() {
    let error = rejected(vec![header_rule(
        429,
        "quota_exceeded",
        "x-quota",
        Some("0\nx-injected: 1"),
        None,
    )]);
    assert_eq!(error.field, "rules[0].header.equals");
    let error = rejected(vec![
        rule(404, "not_found"),
        header_rule(429, "throttled", "x-burst", None, Some("exceeded\r")),
    ]);
    assert_eq!(error.field, "rules[1].header.includes");
    let error = rejected(vec![header_rule(
        429,
        "throttled",
        "x-burst",
        None,
        Some(&"x".repeat(257)),
    )]);
    assert_eq!(error.field, "rules[0].header.includes");
}

#[test]
fn the_first_offending_field_is_reported() {
    let error = rejected(vec![
        rule(404, "not_found"),
        RuleSpec {
            status: 700.0,
            kind: "nope".into(),
            body_includes: Some(vec![String::new()]),
            header: None,
        },
        rule(429, "nope"),
    ]);
    assert_eq!(error.field, "rules[1].status");
}

// ---- matching ------------------------------------------------------------------------------------

#[test]
fn body_patterns_match_ignoring_case() {
    let profile = profile(vec![body_rule(
        404,
        "invalid_route",
        &["Unknown Operation", "bad path"],
    )]);
    for body in [
        r#"{"message":"UNKNOWN OPERATION getUsr"}"#,
        "unknown operation",
        "Bad Path: /v3/x",
    ] {
        assert_eq!(
            kind(&profile, 404, "", Some(body)),
            Kind::InvalidRoute,
            "{body}"
        );
        assert_eq!(built_in(404, "", Some(body)), Kind::NotFound, "{body}");
    }
    // No body, or a body without the pattern: the rule does not match.
    assert_eq!(kind(&profile, 404, "", None), Kind::NotFound);
    assert_eq!(kind(&profile, 404, "", Some("Unknown")), Kind::NotFound);
}

#[test]
fn a_profile_overrides_the_built_in_variant() {
    // Built in, `Cannot GET /` names a route; this API uses it for missing ids.
    let profile = profile(vec![body_rule(404, "wrong_identifier", &["cannot get /"])]);
    let body = Some("Cannot GET /users/42");
    assert_eq!(built_in(404, "", body), Kind::InvalidRoute);
    assert_eq!(kind(&profile, 404, "", body), Kind::WrongIdentifier);
    let response = ResponseParts {
        status: 404,
        headers: HeaderBlock::empty(),
        body,
    };
    let verdict = classify(&response, NOW_MS, Some(&profile));
    assert_eq!(verdict.action().id(), "fail");
    assert_eq!(verdict.title(), "Not Found");
    assert_eq!(verdict.family().id(), "client_error");
}

#[test]
fn header_equals_matches_the_whole_value_ignoring_case() {
    let profile = profile(vec![header_rule(
        429,
        "quota_exceeded",
        "X-Quota-State",
        Some("Exhausted"),
        None,
    )]);
    for headers in [
        "x-quota-state: exhausted",
        "X-QUOTA-STATE: EXHAUSTED",
        "X-Quota-State:  Exhausted  ",
        "x-other: 1\nx-quota-state: fine\nx-quota-state: exhausted",
    ] {
        assert_eq!(
            kind(&profile, 429, headers, None),
            Kind::QuotaExceeded,
            "{headers}"
        );
    }
    for headers in [
        "x-quota-state: exhausted soon",
        "x-quota-state: not exhausted",
        "x-quota-states: exhausted",
        "x-other: exhausted",
        "",
    ] {
        assert_eq!(
            kind(&profile, 429, headers, None),
            Kind::Throttled,
            "{headers}"
        );
    }
}

#[test]
fn header_includes_matches_part_of_the_value_ignoring_case() {
    let profile = profile(vec![header_rule(
        429,
        "quota_exceeded",
        "x-error-class",
        None,
        Some("QuotaExhausted"),
    )]);
    assert_eq!(
        kind(
            &profile,
            429,
            "X-Error-Class: com.example.quotaexhausted.v2",
            None
        ),
        Kind::QuotaExceeded
    );
    assert_eq!(
        kind(&profile, 429, "X-Error-Class: com.example.Burst", None),
        Kind::Throttled
    );
}

#[test]
fn header_present_matches_any_value() {
    let profile = profile(vec![header_rule(
        429,
        "quota_exceeded",
        "X-Plan-Blocked",
        None,
        None,
    )]);
    assert_eq!(
        kind(&profile, 429, "x-plan-blocked: 1", None),
        Kind::QuotaExceeded
    );
    assert_eq!(
        kind(&profile, 429, "X-PLAN-BLOCKED: yes", None),
        Kind::QuotaExceeded
    );
    assert_eq!(kind(&profile, 429, "x-plan: 1", None), Kind::Throttled);
    assert_eq!(kind(&profile, 429, "", None), Kind::Throttled);
}

#[test]
fn body_and_header_tests_must_both_match() {
    let profile = profile(vec![RuleSpec {
        status: 429.0,
        kind: "quota_exceeded".into(),
        body_includes: Some(vec!["plan".into()]),
        header: Some(HeaderRuleSpec {
            name: "x-tier".into(),
            equals: Some("free".into()),
            includes: None,
        }),
    }]);
    assert_eq!(
        kind(&profile, 429, "x-tier: free", Some("Upgrade your plan")),
        Kind::QuotaExceeded
    );
    assert_eq!(
        kind(&profile, 429, "x-tier: pro", Some("Upgrade your plan")),
        Kind::Throttled
    );
    assert_eq!(
        kind(&profile, 429, "x-tier: free", Some("Slow")),
        Kind::Throttled
    );
    assert_eq!(kind(&profile, 429, "x-tier: free", None), Kind::Throttled);
}

#[test]
fn the_first_matching_rule_wins() {
    let profile = profile(vec![
        body_rule(404, "wrong_identifier", &["missing"]),
        body_rule(404, "invalid_route", &["missing", "route"]),
        rule(404, "gone"),
    ]);
    assert_eq!(
        kind(&profile, 404, "", Some("missing route")),
        Kind::WrongIdentifier
    );
    assert_eq!(
        kind(&profile, 404, "", Some("bad route")),
        Kind::InvalidRoute
    );
    // A rule with no test matches every response of its status.
    assert_eq!(kind(&profile, 404, "", Some("Not Found")), Kind::Gone);
    assert_eq!(kind(&profile, 404, "", None), Kind::Gone);
}

#[test]
fn rules_for_another_status_are_ignored() {
    let profile = profile(vec![
        rule(404, "wrong_identifier"),
        body_rule(429, "quota_exceeded", &["slow down"]),
    ]);
    assert_eq!(kind(&profile, 410, "", Some("Not Found")), Kind::Gone);
    assert_eq!(kind(&profile, 400, "", None), Kind::BadRequest);
    // The built-in reading of a 503 that words a throttle, not the 429 rule's quota.
    assert_eq!(kind(&profile, 503, "", Some("slow down")), Kind::Throttled);
    assert_eq!(kind(&profile, 404, "", None), Kind::WrongIdentifier);
    assert_eq!(
        kind(&profile, 429, "", Some("Slow down")),
        Kind::QuotaExceeded
    );
}

#[test]
fn unmatched_responses_fall_back_to_the_built_in_rules() {
    let profile = profile(vec![
        body_rule(404, "wrong_identifier", &["no such widget"]),
        header_rule(429, "quota_exceeded", "x-quota-left", Some("0"), None),
    ]);
    let cases: &[(u16, &str, Option<&str>)] = &[
        (404, "", Some("Cannot GET /v2/usres")),
        (404, "", Some(r#"{"message":"Order ord_1 does not exist"}"#)),
        (404, "", None),
        (429, "", Some(r#"{"message":"Limit Exceeded"}"#)),
        (429, "x-quota-left: 3\nRetry-After: 86400", None),
        (429, "x-quota-left: 3", Some("Too Many Requests")),
        (503, "Retry-After: 30", None),
        (308, "", None),
        (418, "", None),
    ];
    for &(status, headers, body) in cases {
        assert_eq!(
            kind(&profile, status, headers, body),
            built_in(status, headers, body),
            "{status} {headers:?} {body:?}"
        );
    }
    // And the built-in outcomes are the documented ones.
    assert_eq!(
        kind(&profile, 404, "", Some("Cannot GET /v2/usres")),
        Kind::InvalidRoute
    );
    assert_eq!(
        kind(&profile, 429, "x-quota-left: 3\nRetry-After: 86400", None),
        Kind::QuotaExceeded
    );
    assert_eq!(
        kind(&profile, 404, "", Some("No such widget: w_1")),
        Kind::WrongIdentifier
    );
    assert_eq!(
        kind(&profile, 429, "x-quota-left: 0", None),
        Kind::QuotaExceeded
    );
}

#[test]
fn an_empty_profile_changes_nothing() {
    let empty = Profile::new(ProfileSpec::default()).unwrap();
    for (status, body) in [(404, Some("Cannot GET /x")), (429, None), (200, None)] {
        assert_eq!(kind(&empty, status, "", body), built_in(status, "", body));
    }
}

#[test]
fn a_profile_may_map_to_any_http_kind() {
    let profile = profile(vec![
        body_rule(400, "quota_exceeded", &["credits exhausted"]),
        header_rule(403, "throttled", "x-waf-block", Some("rate"), None),
    ]);
    let response = ResponseParts {
        status: 400,
        headers: HeaderBlock::empty(),
        body: Some(r#"{"error":"Credits exhausted for this month"}"#),
    };
    let verdict = classify(&response, NOW_MS, Some(&profile));
    assert_eq!(verdict.kind, Kind::QuotaExceeded);
    assert_eq!(verdict.status, Some(400));
    assert!(!verdict.retryable());
    assert_eq!(verdict.action().id(), "wait_for_quota");

    let response = ResponseParts {
        status: 403,
        headers: HeaderBlock::new("X-WAF-Block: RATE\nRetry-After: 3"),
        body: None,
    };
    let verdict = classify(&response, NOW_MS, Some(&profile));
    assert_eq!(verdict.kind, Kind::Throttled);
    assert!(verdict.retryable());
    assert_eq!(verdict.retry_after_ms, Some(3_000));
}

// ---- header names --------------------------------------------------------------------------------

#[test]
fn header_names_lists_each_rule_header_once_in_lowercase() {
    let profile = profile(vec![
        header_rule(429, "quota_exceeded", "X-Quota-Left", Some("0"), None),
        body_rule(404, "invalid_route", &["no route"]),
        header_rule(429, "throttled", "x-quota-left", None, Some("burst")),
        header_rule(403, "unauthorized", "WWW-Authenticate", None, None),
        header_rule(429, "quota_exceeded", "X-QUOTA-LEFT", None, None),
    ]);
    assert_eq!(profile.header_names(), ["x-quota-left", "www-authenticate"]);
    let body_only = self::profile(vec![body_rule(404, "invalid_route", &["no route"])]);
    assert!(body_only.header_names().is_empty());
}
