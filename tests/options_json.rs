// Test, bench and example code may unwrap, panic and index (the package's code may not: Cargo.toml [lints]).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![cfg(not(target_arch = "wasm32"))]

// The option specs of the Rust API (`RetryOptionsSpec`, `ClientStateSpec`) deserialized from JSON
// with serde, as a Rust caller reading a config file would: camelCase names, unknown names and wrong
// types rejected by name. This is not the package's path: JavaScript options are shape-checked in JS
// (pkg-template/schema.js) and cross as numbers (`from_numbers`), tested in tests/node.

use http_verdict::options::ClientStateSpec;
use http_verdict::{ClientStateOptions, Jitter, RetryOptions, RetryOptionsSpec, RetryPolicy};

fn parse(json: &str) -> Result<RetryOptions, String> {
    let spec: RetryOptionsSpec = serde_json::from_str(json).map_err(|error| error.to_string())?;
    RetryPolicy::from_spec(spec)
        .map(|policy| policy.options().clone())
        .map_err(|error| error.to_string())
}

#[test]
fn camel_case_options_are_read() {
    let options = parse(
        r#"{"maxAttempts": 4, "baseDelayMs": 100, "multiplier": 3, "maxDelayMs": 5000,
            "jitter": "equal", "deadlineMs": 20000, "maxRetryAfterMs": 30000,
            "retryNonIdempotent": true, "statusOverrides": [{"status": 503, "retry": false}],
            "seed": 42, "throttleFallbackMs": 750}"#,
    )
    .expect("valid");
    assert_eq!(options.max_attempts, 4);
    assert_eq!(options.jitter, Jitter::Equal);
    assert_eq!(options.deadline_ms, Some(20_000));
    assert_eq!(options.status_override(503), Some(false));
    assert_eq!(options.seed, 42);
    assert_eq!(parse("{}"), Ok(RetryOptions::default()));
    assert_eq!(
        parse(r#"{"deadlineMs": null}"#).map(|o| o.deadline_ms),
        Ok(None)
    );
}

#[test]
fn unknown_and_ill_typed_options_are_rejected_by_name() {
    for (json, name) in [
        (r#"{"maxAttempt": 3}"#, "maxAttempt"),
        (r#"{"max_attempts": 3}"#, "max_attempts"),
        (r#"{"retries": 3}"#, "retries"),
        (
            r#"{"statusOverrides": [{"status": 503, "retry": true, "x": 1}]}"#,
            "x",
        ),
    ] {
        let error = parse(json).expect_err(json);
        assert!(
            error.contains("unknown field") && error.contains(name),
            "{error}"
        );
    }
    for json in [
        r#"{"maxAttempts": "3"}"#,
        r#"{"jitter": 1}"#,
        r#"{"retryNonIdempotent": "yes"}"#,
        r#"{"statusOverrides": [{"status": 503}]}"#,
    ] {
        assert!(parse(json).is_err(), "{json}");
    }
    assert_eq!(
        parse(r#"{"jitter": "random"}"#),
        Err(
            "Expected `jitter` to be one of \"full\", \"equal\", \"decorrelated\" or \"none\"."
                .into()
        )
    );
    assert_eq!(
        parse(r#"{"baseDelayMs": -1}"#),
        Err("Expected `baseDelayMs` to be a number of milliseconds from 0 to 2^53 - 1.".into())
    );
}

#[test]
fn client_state_options_are_read() {
    let spec: ClientStateSpec = serde_json::from_str(
        r#"{"retryBudget": {"ratio": 0.1, "minRetries": 2}, "circuitBreaker": {"enabled": false},
            "quotaLockMs": 30000, "maxOrigins": 16}"#,
    )
    .expect("valid");
    let options = ClientStateOptions::try_from(spec).expect("valid");
    assert_eq!(
        options.retry_budget.map(|budget| budget.min_retries),
        Some(2)
    );
    assert!(options.circuit_breaker.is_none());
    assert_eq!(options.max_origins, 16);
    let unknown = serde_json::from_str::<ClientStateSpec>(r#"{"retryBudget": {"percent": 10}}"#);
    assert!(unknown.is_err_and(|error| error.to_string().contains("percent")));
}
