// Test, bench and example code may unwrap, panic and index (the package's code may not: Cargo.toml [lints]).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![cfg(not(target_arch = "wasm32"))]

// Never trap: hostile text into every parser and classifier, and hostile profiles, through the
// public API. A panic here would be a trap in the wasm build, which poisons the instance. The case
// count follows PROPTEST_CASES: the regular suite runs proptest's default, the test command's fuzz
// stage (scripts/test.sh, `FUZZ_CASES`) runs hundreds of thousands.

use http_verdict::http_date::{parse_http_date, parse_iso_instant};
use http_verdict::profile::{HeaderRuleSpec, RuleSpec};
use http_verdict::rate_limit::rate_limit_hint;
use http_verdict::retry_after::{parse_retry_after, retry_after_ms, MAX_WAIT_MS};
use http_verdict::{
    classify, classify_error, status_from_number, ErrorShape, HeaderBlock, Profile, ProfileSpec,
    ResponseParts,
};
use proptest::prelude::*;

/// Text that looks like header values half of the time and like garbage the other half.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9]{0,30}",
        "[-+]?[0-9]{1,25}(\\.[0-9]{0,5})?[smh]?",
        "(Mon|Tue|Sun|Xyz|monday|Sunday),? {0,3}[0-9]{1,3}[ -](Nov|Feb|nov|Foo)[ -][0-9]{2,5} [0-9]{1,2}:[0-9]{1,3}:[0-9]{1,3} (GMT|UTC|Z|[-+][0-9]{2}:?[0-9]{2}|PST)?",
        "(Sun|Mon) (Nov|Feb) {1,2}[0-9]{1,2} [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4}",
        "\"?[a-z]{0,8}\"?(;[a-z]{1,2}=-?[0-9]{0,22}){0,4}(, ?\"?[a-z]{0,8}\"?(;[a-z]=[0-9]{0,5}){0,3}){0,3}",
        "[,;=\" \t\r\n:]{0,40}",
        // ISO 8601 instants and near misses (Jira's and RFC 3339's forms).
        "[0-9]{1,5}-[0-9]{1,3}-[0-9]{1,3}[Tt ][0-9]{1,3}:[0-9]{1,3}(:[0-9]{1,3})?(\\.[0-9]{1,3})?[Zz+]?",
    ]
}

/// Reply bodies: anything, or JSON-ish members that state a wait (Google's `retryDelay`, Shopify's
/// query cost, the limits a reply names) with hostile values.
fn hostile_body() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\{(\"(retryDelay|requestedQueryCost|currentlyAvailable|restoreRate)\" ?: ?\"?[-0-9.eE]{0,30}s?\"?[,}\\] ]?){0,5}( ?(secondary rate limit|TEN_SECONDLY_ROLLING))?",
        "\"requestedQueryCost\":[0-9]{300,400},\"currentlyAvailable\":[0-9]{300,400},\"restoreRate\":[0-9.]{0,400},",
    ]
}

fn header_block() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        Just("retry-after".to_string()),
        Just("date".to_string()),
        Just("ratelimit".to_string()),
        Just("ratelimit-policy".to_string()),
        Just("ratelimit-reset".to_string()),
        Just("x-ratelimit-remaining".to_string()),
        Just("x-ratelimit-reset".to_string()),
        Just("x-amzn-errortype".to_string()),
        "[a-zA-Z-]{0,12}",
    ];
    prop::collection::vec((name, hostile_text()), 0..8).prop_map(|lines| {
        lines
            .into_iter()
            .map(|(name, value)| format!("{name}:{value}\n"))
            .collect()
    })
}

proptest! {
    #[test]
    fn date_and_retry_after_parsers_never_panic(text in hostile_text(), now_ms in any::<u64>()) {
        let _ = parse_http_date(&text, now_ms);
        let _ = parse_iso_instant(&text);
        let _ = parse_retry_after(&text, now_ms);
    }

    #[test]
    fn header_hints_never_panic_and_stay_bounded(block in header_block(), now_ms in any::<u64>()) {
        let headers = HeaderBlock::new(&block);
        if let Some(wait_ms) = retry_after_ms(&headers, now_ms) {
            prop_assert!(wait_ms <= MAX_WAIT_MS);
        }
        if let Some(hint) = rate_limit_hint(&headers, now_ms) {
            prop_assert!(hint.reset_ms.is_none_or(|ms| ms <= MAX_WAIT_MS));
            prop_assert!(hint.window_ms.is_none_or(|ms| ms <= MAX_WAIT_MS));
        }
    }

    #[test]
    fn classify_never_panics(
        status in 100u16..=599,
        block in header_block(),
        body in prop::option::of(hostile_body()),
        now_ms in any::<u64>(),
    ) {
        let response = ResponseParts { status, headers: HeaderBlock::new(&block), body: body.as_deref() };
        let verdict = classify(&response, now_ms, None);
        prop_assert_eq!(verdict.status, Some(status));
        prop_assert!(verdict.retry_after_ms.is_none_or(|ms| ms <= MAX_WAIT_MS));
    }

    #[test]
    fn status_validation_is_total(value in any::<f64>()) {
        if let Ok(status) = status_from_number(value) {
            prop_assert!((100..=599).contains(&status));
            prop_assert_eq!(f64::from(status), value);
        }
    }

    #[test]
    fn classify_error_never_panics(parts in prop::collection::vec(hostile_text(), 6)) {
        let shape = ErrorShape {
            name: &parts[0], message: &parts[1], code: &parts[2],
            cause_name: &parts[3], cause_message: &parts[4], cause_code: &parts[5],
        };
        let verdict = classify_error(&shape);
        prop_assert!(verdict.status.is_none());
        prop_assert!(verdict.kind.is_transport());
    }

    #[test]
    fn hostile_profiles_are_rejected_or_classify_without_panicking(
        rules in prop::collection::vec(
            (any::<f64>(), "[a-z_]{0,24}", prop::option::of(prop::collection::vec(any::<String>(), 0..3)),
             prop::option::of(("[ -~]{0,12}", prop::option::of(any::<String>()), prop::option::of(any::<String>())))),
            0..6),
        status in 100u16..=599,
        block in header_block(),
        body in prop::option::of(any::<String>()),
    ) {
        let spec = ProfileSpec {
            rules: rules.into_iter().map(|(status, kind, body_includes, header)| RuleSpec {
                status,
                kind,
                body_includes,
                header: header.map(|(name, equals, includes)| HeaderRuleSpec { name, equals, includes }),
            }).collect(),
        };
        if let Ok(profile) = Profile::new(spec) {
            let response = ResponseParts { status, headers: HeaderBlock::new(&block), body: body.as_deref() };
            let verdict = classify(&response, 0, Some(&profile));
            prop_assert_eq!(verdict.status, Some(status));
        }
    }
}
