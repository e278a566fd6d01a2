// Test, bench and example code may unwrap, panic and index (the package's code may not: Cargo.toml [lints]).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

mod common;
use common::{response, status, NOW_MS};

// The decision engine (contract §2–§4) rule by rule, through the public API only, so the same tests
// run natively and as wasm. Shared per-client state has its own file (tests/client_state.rs).

use http_verdict::backoff::{Backoff, Jitter};
use http_verdict::method::Method;
use http_verdict::options::{RetryOptionsSpec, StatusOverrideSpec};
use http_verdict::{
    classify, classify_error, Decision, ErrorShape, HeaderBlock, InputError, Kind, Outcome, Reason,
    ResponseParts, RetryOptions, RetryPolicy, StatusOverride, Verdict,
};

/// A transport failure with the given undici cause code (or error name when it ends in `Error`).
fn failure(code_or_name: &str) -> Verdict {
    let shape = if code_or_name.ends_with("Error") {
        ErrorShape {
            name: code_or_name,
            ..Default::default()
        }
    } else {
        ErrorShape {
            name: "TypeError",
            message: "fetch failed",
            cause_code: code_or_name,
            ..Default::default()
        }
    };
    classify_error(&shape)
}

fn make_policy(options: RetryOptions) -> RetryPolicy {
    common::policy(options)
}

/// Default options without jitter, so waits are exact.
fn exact() -> RetryOptions {
    RetryOptions {
        jitter: Jitter::None,
        ..Default::default()
    }
}

fn decide(policy: &RetryPolicy, method: &str, verdict: Verdict) -> Decision {
    policy.decide(&Outcome::new(method, verdict), None)
}

fn at_attempt(policy: &RetryPolicy, attempt: u32, method: &str, verdict: Verdict) -> Decision {
    let outcome = Outcome {
        attempt,
        ..Outcome::new(method, verdict)
    };
    policy.decide(&outcome, None)
}

fn assert_refused(decision: &Decision, reason: Reason) {
    assert_eq!(decision.reason, reason, "{}", decision.message());
    assert!(!decision.retry, "{}", decision.message());
    assert_eq!(decision.delay_ms, 0, "no wait without a retry");
}

fn assert_retried(decision: &Decision, reason: Reason) {
    assert_eq!(decision.reason, reason, "{}", decision.message());
    assert!(decision.retry, "{}", decision.message());
}

// ---- contract §2: methods and idempotency -------------------------------------------------------

#[test]
fn rfc_9110_method_table() {
    for name in ["GET", "HEAD", "OPTIONS", "TRACE"] {
        let method = Method::parse(name);
        assert!(method.is_safe() && method.is_idempotent(), "{name}");
        assert_eq!(method.name(), Some(name));
    }
    for name in ["PUT", "DELETE"] {
        let method = Method::parse(name);
        assert!(!method.is_safe() && method.is_idempotent(), "{name}");
    }
    for name in ["POST", "PATCH", "CONNECT", "PROPFIND", "LOCK", "", "G E T"] {
        assert!(!Method::parse(name).is_idempotent(), "{name:?}");
    }
    assert_eq!(Method::parse("get"), Method::Get, "fetch normalises case");
    assert_eq!(Method::parse("Delete"), Method::Delete);
    assert_eq!(Method::parse("PROPFIND").name(), None);
}

#[test]
fn idempotent_methods_are_retried_after_5xx() {
    let policy = RetryPolicy::default();
    for method in ["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE", "get"] {
        for code in [500, 502, 503, 504, 507, 520] {
            assert_retried(
                &decide(&policy, method, status(code)),
                Reason::RetryableStatus,
            );
        }
    }
}

#[test]
fn non_idempotent_methods_are_not_retried_after_a_possibly_processed_outcome() {
    let policy = RetryPolicy::default();
    for method in ["POST", "PATCH", "patch", "CONNECT", "PROPFIND"] {
        for verdict in [
            status(500),
            status(502),
            status(503),
            status(504),
            failure("ECONNRESET"),
            failure("TimeoutError"),
            failure("UND_ERR_HEADERS_TIMEOUT"),
        ] {
            assert_refused(&decide(&policy, method, verdict), Reason::NotIdempotent);
        }
    }
    assert_eq!(
        decide(&policy, "POST", status(502)).message(),
        "POST is not idempotent and 502 Bad Gateway may have been processed; not retried"
    );
    assert_eq!(
        decide(&policy, "PROPFIND", status(503)).message(),
        "The request method is not idempotent and 503 Service Unavailable may have been processed; not retried"
    );
}

#[test]
fn an_idempotency_key_makes_a_post_retryable() {
    let policy = RetryPolicy::default();
    for verdict in [status(502), status(504), failure("ECONNRESET")] {
        let outcome = Outcome {
            has_idempotency_key: true,
            ..Outcome::new("POST", verdict)
        };
        assert!(policy.decide(&outcome, None).retry);
    }
}

#[test]
fn never_processed_outcomes_are_retried_for_any_method() {
    let policy = RetryPolicy::default();
    let never_processed = [
        status(408),
        response(429, "", Some("Too Many Requests")),
        failure("ECONNREFUSED"),
        failure("ENOTFOUND"),
        failure("EAI_AGAIN"),
        failure("EHOSTUNREACH"),
        failure("UND_ERR_CONNECT_TIMEOUT"),
        failure("ERR_TLS_CERT_ALTNAME_INVALID"),
    ];
    for verdict in never_processed {
        assert!(verdict.never_processed(), "{verdict:?}");
        for method in ["POST", "PATCH", "PROPFIND"] {
            let decision = decide(&policy, method, verdict);
            assert!(decision.retry, "{}", decision.message());
        }
    }
}

#[test]
fn retry_non_idempotent_is_an_explicit_opt_in() {
    let policy = make_policy(RetryOptions {
        retry_non_idempotent: true,
        ..Default::default()
    });
    for verdict in [
        status(500),
        status(502),
        failure("ECONNRESET"),
        failure("TimeoutError"),
    ] {
        assert!(decide(&policy, "POST", verdict).retry);
        assert!(decide(&policy, "PATCH", verdict).retry);
    }
    // The opt-in is about idempotency only: what is never retryable stays so.
    assert_refused(&decide(&policy, "POST", status(400)), Reason::NotRetryable);
    assert_refused(&decide(&policy, "POST", status(501)), Reason::NotRetryable);
}

#[test]
fn a_one_shot_body_is_never_replayed() {
    let policy = make_policy(RetryOptions {
        retry_non_idempotent: true,
        ..Default::default()
    });
    for (method, verdict) in [
        ("PUT", status(503)),
        ("POST", failure("ECONNREFUSED")),
        ("POST", status(408)),
        ("PATCH", status(502)),
    ] {
        let outcome = Outcome {
            body_replayable: false,
            has_idempotency_key: true,
            ..Outcome::new(method, verdict)
        };
        let decision = policy.decide(&outcome, None);
        assert_refused(&decision, Reason::BodyNotReplayable);
        assert!(decision.message().contains("one-shot stream"));
    }
    // A one-shot body does not matter when nothing would be retried anyway.
    let outcome = Outcome {
        body_replayable: false,
        ..Outcome::new("POST", status(200))
    };
    assert_eq!(policy.decide(&outcome, None).reason, Reason::Success);
}

// ---- Outcomes that are never retried ---------------------------------------------------------

#[test]
fn cancellation_is_never_retried() {
    let forcing = make_policy(RetryOptions {
        status_overrides: vec![StatusOverride {
            status: 499,
            retry: true,
        }],
        retry_non_idempotent: true,
        ..Default::default()
    });
    for policy in [RetryPolicy::default(), forcing] {
        for verdict in [failure("AbortError"), failure("ABORT_ERR"), status(499)] {
            for method in ["GET", "POST"] {
                assert_refused(&decide(&policy, method, verdict), Reason::Aborted);
            }
        }
    }
    assert_eq!(
        decide(&RetryPolicy::default(), "GET", failure("AbortError")).message(),
        "Aborted; cancelled by the client; not retried"
    );
}

#[test]
fn successes_and_redirects_need_nothing() {
    let policy = RetryPolicy::default();
    for code in [200, 201, 204, 301, 302, 304, 307, 308] {
        assert_refused(&decide(&policy, "GET", status(code)), Reason::Success);
    }
    assert_eq!(
        at_attempt(&policy, 2, "GET", status(200)).message(),
        "200 OK; done after attempt 2"
    );
}

#[test]
fn a_2xx_a_profile_reads_as_a_refusal_is_judged_by_its_kind() {
    // GraphQL APIs answer a spent rate limit with a 200 (http-verdict/presets): the kind decides.
    let policy = make_policy(exact());
    let read_as = |kind: Kind, retry_after_ms: Option<u64>| Verdict {
        kind,
        retry_after_ms,
        ..status(200)
    };
    let throttled = decide(&policy, "POST", read_as(Kind::Throttled, Some(30_000)));
    assert_retried(&throttled, Reason::RetryAfter);
    assert!(
        (30_000..=33_000).contains(&throttled.delay_ms),
        "{}",
        throttled.delay_ms
    );
    assert_refused(
        &decide(&policy, "GET", read_as(Kind::BadRequest, None)),
        Reason::NotRetryable,
    );
    assert_refused(
        &decide(&policy, "GET", read_as(Kind::QuotaExceeded, Some(60_000))),
        Reason::QuotaExceeded,
    );
    // A success or redirect kind on any 2xx or 3xx status still needs nothing.
    for kind in [Kind::Ok, Kind::MovedPermanently, Kind::NotModified] {
        assert_refused(
            &decide(&policy, "GET", read_as(kind, None)),
            Reason::Success,
        );
    }
}

#[test]
fn client_errors_and_final_server_errors_are_not_retried() {
    let policy = RetryPolicy::default();
    for code in [
        100, 400, 401, 403, 404, 405, 409, 410, 418, 422, 451, 501, 505,
    ] {
        let decision = decide(&policy, "GET", status(code));
        assert_refused(&decision, Reason::NotRetryable);
    }
    assert_refused(
        &decide(&policy, "GET", failure("SyntaxError")),
        Reason::NotRetryable,
    );
    assert_eq!(
        decide(&policy, "GET", status(404)).message(),
        "404 Not Found is not retryable; not retried"
    );
}

#[test]
fn quota_exceeded_is_never_retried_and_surfaces_the_reset() {
    let policy = make_policy(RetryOptions {
        retry_non_idempotent: true,
        status_overrides: vec![StatusOverride {
            status: 429,
            retry: true,
        }],
        ..Default::default()
    });
    let quota = response(429, "", Some(r#"{"message":"Limit Exceeded"}"#));
    assert_eq!(quota.kind, Kind::QuotaExceeded);
    let decision = decide(&policy, "GET", quota);
    assert_refused(&decision, Reason::QuotaExceeded);
    assert_eq!(decision.wait_hint_ms, None);
    assert_eq!(
        decision.message(),
        "429 Quota Exceeded; the quota is exhausted until it resets; not retried"
    );

    let daily = response(429, "retry-after: 7200", None);
    assert_eq!(daily.kind, Kind::QuotaExceeded);
    let decision = decide(&policy, "GET", daily);
    assert_refused(&decision, Reason::QuotaExceeded);
    assert_eq!(decision.wait_hint_ms, Some(7_200_000));
    assert_eq!(
        decision.message(),
        "429 Quota Exceeded; the quota resets in 2 h; not retried"
    );
}

// ---- Status overrides --------------------------------------------------------------------------

#[test]
fn status_overrides_force_or_forbid_retries() {
    let policy = make_policy(RetryOptions {
        status_overrides: vec![
            StatusOverride {
                status: 503,
                retry: false,
            },
            StatusOverride {
                status: 409,
                retry: true,
            },
            StatusOverride {
                status: 429,
                retry: false,
            },
        ],
        ..Default::default()
    });
    assert_refused(&decide(&policy, "GET", status(503)), Reason::NotRetryable);
    assert_retried(
        &decide(&policy, "GET", status(502)),
        Reason::RetryableStatus,
    );
    assert_retried(
        &decide(&policy, "GET", status(409)),
        Reason::RetryableStatus,
    );
    // Forcing a status makes it retryable like a 5xx: idempotency still applies.
    assert_refused(&decide(&policy, "POST", status(409)), Reason::NotIdempotent);
    let throttled = response(429, "retry-after: 1", Some("Too Many Requests"));
    assert_refused(&decide(&policy, "GET", throttled), Reason::NotRetryable);
    // Transport outcomes have no status and are not affected.
    assert_retried(
        &decide(&policy, "GET", failure("ECONNRESET")),
        Reason::NetworkError,
    );
}

// ---- contract §3: server wait hints ----------------------------------------------------------------

#[test]
fn a_server_wait_is_honoured_with_a_small_positive_jitter() {
    let policy = RetryPolicy::default();
    for (headers, hint_ms) in [
        ("retry-after: 2", 2_000),
        ("retry-after: 0", 0),
        ("retry-after: 45", 45_000),
        ("x-ratelimit-remaining: 0\nx-ratelimit-reset: 3", 3_000),
        ("ratelimit: \"default\";r=0;t=7", 7_000),
        (
            "date: Tue, 24 Nov 2026 10:00:00 GMT\nretry-after: Tue, 24 Nov 2026 10:00:30 GMT",
            30_000,
        ),
    ] {
        let verdict = response(503, headers, None);
        assert_eq!(verdict.retry_after_ms, Some(hint_ms), "{headers}");
        let decision = decide(&policy, "GET", verdict);
        assert_retried(&decision, Reason::RetryAfter);
        assert_eq!(decision.wait_hint_ms, Some(hint_ms));
        let jitter_ms = decision.delay_ms - hint_ms;
        assert!(
            jitter_ms <= (hint_ms / 10).min(1_000),
            "{headers}: {jitter_ms}"
        );
    }
}

#[test]
fn a_hint_is_measured_from_the_servers_date_not_the_clients() {
    // The client's clock is an hour fast; the server's Date header decides.
    let verdict = classify(
        &ResponseParts {
            status: 503,
            headers: HeaderBlock::new(
                "date: Tue, 24 Nov 2026 09:00:00 GMT\nretry-after: Tue, 24 Nov 2026 09:00:20 GMT",
            ),
            body: None,
        },
        NOW_MS,
        None,
    );
    let decision = decide(&RetryPolicy::default(), "GET", verdict);
    assert_retried(&decision, Reason::RetryAfter);
    assert!((20_000..=22_000).contains(&decision.delay_ms));
}

#[test]
fn clients_told_the_same_time_do_not_return_together() {
    let verdict = response(503, "retry-after: 2", None);
    let mut delays: Vec<u64> = (0..100u64)
        .map(|seed| {
            let policy = make_policy(RetryOptions {
                seed,
                ..Default::default()
            });
            decide(&policy, "GET", verdict).delay_ms
        })
        .collect();
    assert!(delays.iter().all(|delay| (2_000..2_200).contains(delay)));
    delays.sort_unstable();
    delays.dedup();
    assert!(delays.len() > 60, "only {} distinct waits", delays.len());
}

#[test]
fn the_per_wait_cap_does_not_lower_a_server_wait() {
    let policy = make_policy(RetryOptions {
        max_delay_ms: 1_000,
        ..Default::default()
    });
    let decision = decide(&policy, "GET", response(503, "retry-after: 30", None));
    assert_retried(&decision, Reason::RetryAfter);
    assert!((30_000..=31_000).contains(&decision.delay_ms));
}

#[test]
fn a_wait_above_max_retry_after_fails_at_once_and_is_surfaced() {
    let policy = RetryPolicy::default();
    let decision = decide(&policy, "GET", response(503, "retry-after: 120", None));
    assert_refused(&decision, Reason::RetryAfterTooLong);
    assert_eq!(decision.wait_hint_ms, Some(120_000));
    assert_eq!(decision.verdict.retry_after_ms, Some(120_000));
    assert_eq!(decision.limit_ms, Some(60_000));
    assert_eq!(
        decision.message(),
        "503 Service Unavailable; Retry-After 2 min is above the 1 min limit; not retried"
    );
    // Exactly at the limit is honoured.
    let at_limit = decide(&policy, "GET", response(503, "retry-after: 60", None));
    assert_retried(&at_limit, Reason::RetryAfter);
    // A throttling 429 follows the same rule.
    let throttled = response(429, "retry-after: 300", Some("Too Many Requests"));
    assert_refused(
        &decide(&policy, "GET", throttled),
        Reason::RetryAfterTooLong,
    );
}

#[test]
fn a_throttling_429_without_a_wait_waits_about_a_second() {
    let policy = RetryPolicy::default();
    let throttled = response(429, "", None);
    assert_eq!(throttled.kind, Kind::Throttled);
    assert_eq!(throttled.retry_after_ms, None);
    let decision = decide(&policy, "POST", throttled);
    assert_retried(&decision, Reason::RateLimited);
    assert!((1_000..=1_100).contains(&decision.delay_ms));
    // A later attempt whose own backoff is longer waits that instead.
    let long = policy_with_base(5_000);
    let decision = at_attempt(&long, 2, "GET", throttled);
    assert_retried(&decision, Reason::RateLimited);
    assert_eq!(decision.delay_ms, 10_000);
    // The fallback is an option.
    let quick = make_policy(RetryOptions {
        throttle_fallback_ms: 200,
        base_delay_ms: 0,
        ..Default::default()
    });
    assert!((200..=220).contains(&decide(&quick, "GET", throttled).delay_ms));
}

fn policy_with_base(base_delay_ms: u64) -> RetryPolicy {
    make_policy(RetryOptions {
        base_delay_ms,
        ..exact()
    })
}

#[test]
fn a_rejected_hint_counts_as_absent() {
    let policy = make_policy(exact());
    for headers in [
        "retry-after: -1",
        "retry-after: 1.5555",
        "retry-after: 2s",
        "retry-after: 2026-11-24T10:00:30Z",
        "retry-after: 5\nretry-after: 6",
    ] {
        let verdict = response(503, headers, None);
        assert_eq!(verdict.retry_after_ms, None, "{headers}");
        let decision = decide(&policy, "GET", verdict);
        assert_retried(&decision, Reason::RetryableStatus);
        assert_eq!(decision.delay_ms, 300, "{headers}");
    }
}

// ---- contract §4: backoff, deadline, attempts ------------------------------------------------------

#[test]
fn own_backoff_grows_exponentially_up_to_the_cap() {
    let policy = make_policy(RetryOptions {
        max_attempts: 10,
        ..exact()
    });
    let delays: Vec<u64> = (1..10)
        .map(|attempt| at_attempt(&policy, attempt, "GET", status(503)).delay_ms)
        .collect();
    assert_eq!(
        delays,
        [300, 600, 1_200, 2_400, 4_800, 9_600, 10_000, 10_000, 10_000]
    );
    assert_eq!(policy.plan(None), delays);
}

#[test]
fn jitter_stays_within_its_bounds() {
    for seed in 0..50 {
        for attempt in 1..8 {
            let ceiling = Backoff {
                jitter: Jitter::None,
                ..backoff(Jitter::None)
            }
            .ceiling_ms(attempt);
            let full = options_decide(Jitter::Full, seed, attempt, 0);
            assert!(full <= ceiling, "full {full} > {ceiling}");
            let equal = options_decide(Jitter::Equal, seed, attempt, 0);
            assert!((ceiling / 2..=ceiling).contains(&equal), "equal {equal}");
            let previous = 700 * u64::from(attempt);
            let decorrelated = options_decide(Jitter::Decorrelated, seed, attempt, previous);
            assert!(
                (300..=(previous * 3).min(10_000)).contains(&decorrelated),
                "decorrelated {decorrelated} after {previous}"
            );
        }
    }
}

fn backoff(jitter: Jitter) -> Backoff {
    RetryOptions {
        jitter,
        max_attempts: 20,
        ..Default::default()
    }
    .backoff()
}

fn options_decide(jitter: Jitter, seed: u64, attempt: u32, previous_delay_ms: u64) -> u64 {
    let policy = make_policy(RetryOptions {
        jitter,
        seed,
        max_attempts: 20,
        ..Default::default()
    });
    let outcome = Outcome {
        attempt,
        previous_delay_ms,
        ..Outcome::new("GET", status(502))
    };
    let decision = policy.decide(&outcome, None);
    assert!(decision.retry);
    decision.delay_ms
}

#[test]
fn plan_matches_the_waits_decide_picks() {
    for jitter in Jitter::ALL.iter().copied() {
        let policy = make_policy(RetryOptions {
            jitter,
            max_attempts: 8,
            seed: 99,
            ..Default::default()
        });
        let mut previous_delay_ms = 0;
        let mut decided = Vec::new();
        for attempt in 1..8 {
            let outcome = Outcome {
                attempt,
                previous_delay_ms,
                ..Outcome::new("GET", failure("ECONNRESET"))
            };
            let decision = policy.decide(&outcome, None);
            assert_retried(&decision, Reason::NetworkError);
            previous_delay_ms = decision.delay_ms;
            decided.push(decision.delay_ms);
        }
        assert_eq!(policy.plan(None), decided, "{jitter:?}");
        assert_eq!(policy.plan(Some(8)), decided);
    }
}

#[test]
fn plan_lengths() {
    let policy = RetryPolicy::default();
    assert_eq!(policy.plan(None).len(), 2);
    assert!(policy.plan(Some(0)).is_empty());
    assert!(policy.plan(Some(1)).is_empty());
    assert_eq!(policy.plan(Some(u32::MAX)).len(), 999);
}

#[test]
fn multiplier_and_base_edge_cases() {
    let constant = make_policy(RetryOptions {
        multiplier: 1.0,
        max_attempts: 5,
        ..exact()
    });
    assert_eq!(constant.plan(None), [300, 300, 300, 300]);
    let above_cap = make_policy(RetryOptions {
        base_delay_ms: 50_000,
        ..exact()
    });
    assert_eq!(above_cap.plan(None), [10_000, 10_000]);
    let zero = make_policy(RetryOptions {
        base_delay_ms: 0,
        ..Default::default()
    });
    assert_eq!(zero.plan(None), [0, 0]);
    let huge = make_policy(RetryOptions {
        multiplier: 1e300,
        max_attempts: 1_000,
        ..exact()
    });
    assert!(huge.plan(None).iter().skip(1).all(|wait| *wait == 10_000));
}

#[test]
fn the_salt_spreads_concurrent_requests_and_zero_replays_the_plan() {
    let policy = RetryPolicy::default();
    let delays: Vec<u64> = (0..20u64)
        .map(|salt| {
            let outcome = Outcome {
                salt,
                ..Outcome::new("GET", status(503))
            };
            policy.decide(&outcome, None).delay_ms
        })
        .collect();
    assert_eq!(delays.first(), policy.plan(None).first());
    let mut distinct = delays.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert!(distinct.len() > 15);
}

#[test]
fn waits_read_as_the_shared_table_says() {
    // The same table the package's JavaScript renderer is tested against (tests/node/policy.test.mjs).
    let table = include_str!("fixtures/waits.tsv");
    let cases: Vec<(u64, &str)> = table
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (ms, text) = line.split_once('\t').expect("ms, a tab, the text");
            (ms.parse().expect("whole milliseconds"), text)
        })
        .collect();
    assert!(cases.len() >= 10);
    for (deadline_ms, text) in cases {
        // Already at the deadline, so any wait passes it and the sentence names it.
        let policy = make_policy(RetryOptions {
            deadline_ms: Some(deadline_ms),
            ..exact()
        });
        let outcome = Outcome {
            elapsed_ms: deadline_ms,
            ..Outcome::new("GET", status(503))
        };
        assert_eq!(
            policy.decide(&outcome, None).message(),
            format!("503 Service Unavailable; the next wait would pass the {text} deadline; not retried"),
            "{deadline_ms} ms"
        );
    }
}

#[test]
fn no_wait_crosses_the_deadline() {
    let policy = make_policy(RetryOptions {
        deadline_ms: Some(5_000),
        ..exact()
    });
    let just_fits = Outcome {
        elapsed_ms: 4_700,
        ..Outcome::new("GET", status(503))
    };
    assert_retried(&policy.decide(&just_fits, None), Reason::RetryableStatus);
    let too_late = Outcome {
        elapsed_ms: 4_701,
        ..just_fits
    };
    let decision = policy.decide(&too_late, None);
    assert_refused(&decision, Reason::Deadline);
    assert_eq!(decision.limit_ms, Some(5_000));
    assert_eq!(
        decision.message(),
        "503 Service Unavailable; the next wait would pass the 5 s deadline; not retried"
    );
    let past = Outcome {
        elapsed_ms: 9_000,
        ..just_fits
    };
    assert_refused(&policy.decide(&past, None), Reason::Deadline);
    // A server's wait is never shortened to fit: the retry is given up instead.
    let hinted = Outcome {
        elapsed_ms: 1_000,
        ..Outcome::new("GET", response(503, "retry-after: 10", None))
    };
    assert_refused(&policy.decide(&hinted, None), Reason::Deadline);
}

#[test]
fn attempts_never_exceed_the_maximum() {
    let policy = RetryPolicy::default();
    assert!(at_attempt(&policy, 1, "GET", status(503)).retry);
    assert!(at_attempt(&policy, 2, "GET", status(503)).retry);
    let last = at_attempt(&policy, 3, "GET", status(503));
    assert_refused(&last, Reason::MaxAttempts);
    assert_eq!(
        last.message(),
        "503 Service Unavailable; attempt 3 of 3; no attempts left"
    );
    assert_refused(
        &at_attempt(&policy, 4, "GET", status(503)),
        Reason::MaxAttempts,
    );
    assert_refused(
        &at_attempt(&policy, u32::MAX, "GET", status(503)),
        Reason::MaxAttempts,
    );
    // Attempt 0 counts as the first.
    let zero = at_attempt(&policy, 0, "GET", status(503));
    assert!(zero.retry);
    assert_eq!(zero.attempt, 1);
    let single = policy_single();
    assert_refused(&decide(&single, "GET", status(503)), Reason::MaxAttempts);
}

fn policy_single() -> RetryPolicy {
    make_policy(RetryOptions {
        max_attempts: 1,
        ..Default::default()
    })
}

#[test]
fn the_same_seed_gives_the_same_decisions() {
    let outcomes = [
        Outcome::new("GET", status(503)),
        Outcome {
            attempt: 2,
            previous_delay_ms: 250,
            ..Outcome::new("PUT", failure("ECONNRESET"))
        },
        Outcome::new("POST", response(429, "retry-after: 3", None)),
    ];
    for jitter in Jitter::ALL.iter().copied() {
        let options = RetryOptions {
            jitter,
            seed: 1234,
            ..Default::default()
        };
        let (first, second) = (make_policy(options.clone()), make_policy(options));
        for outcome in &outcomes {
            assert_eq!(first.decide(outcome, None), second.decide(outcome, None));
            assert_eq!(first.decide(outcome, None), first.decide(outcome, None));
        }
    }
    let other_seed = make_policy(RetryOptions {
        seed: 1235,
        ..Default::default()
    });
    assert_ne!(
        RetryPolicy::default().plan(Some(10)),
        other_seed.plan(Some(10))
    );
}

// ---- Reasons and messages ----------------------------------------------------------------------

#[test]
fn reason_ids_are_stable() {
    let ids: Vec<&str> = Reason::ALL.iter().map(|reason| reason.id()).collect();
    assert_eq!(
        ids,
        [
            "retry_after",
            "rate_limited",
            "retryable_status",
            "network_error",
            "timeout",
            "success",
            "not_retryable",
            "aborted",
            "quota_exceeded",
            "not_idempotent",
            "body_not_replayable",
            "max_attempts",
            "retry_after_too_long",
            "deadline",
            "budget_exhausted",
            "circuit_open",
            "method_not_retried",
            "declined",
            "offline",
            "server_declined",
        ]
    );
    for (index, reason) in Reason::ALL.iter().enumerate() {
        assert_eq!(Reason::from_id(reason.id()), Some(*reason));
        assert_eq!(reason.index(), index);
        // The retrying reasons: the first five, and `offline` (added last: indices never move).
        assert_eq!(
            reason.retries(),
            index < 5 || reason.id() == "offline",
            "{}",
            reason.id()
        );
    }
    assert_eq!(Reason::from_id("Retry_After"), None);
}

#[test]
fn messages_explain_the_decision() {
    let policy = make_policy(exact());
    let decision = at_attempt(&policy, 1, "GET", response(503, "retry-after: 2", None));
    // The wait carries the positive jitter of server waits, which `Jitter::None` does not remove.
    let expected = format!(
        "503 Service Unavailable; Retry-After 2 s; attempt 2 of 3 in {}",
        if decision.delay_ms < 2_050 {
            "2 s"
        } else {
            "2.1 s"
        }
    );
    assert_eq!(decision.message(), expected);
    let decision = at_attempt(&policy, 2, "GET", failure("ECONNREFUSED"));
    assert_eq!(
        decision.message(),
        "Network Error (connection_refused); attempt 3 of 3 in 600 ms"
    );
    let decision = decide(&policy, "GET", failure("TimeoutError"));
    assert_retried(&decision, Reason::Timeout);
    assert_eq!(decision.message(), "Timeout; attempt 2 of 3 in 300 ms");
    let decision = decide(&policy, "GET", response(429, "", None));
    assert!(decision
        .message()
        .starts_with("429 Throttled; no wait given; attempt 2 of 3 in 1"));
    let decision = decide(&policy, "GET", response(503, "retry-after: 5400", None));
    assert_eq!(
        decision.message(),
        "503 Service Unavailable; Retry-After 1.5 h is above the 1 min limit; not retried"
    );
    let decision = decide(&policy, "GET", response(503, "retry-after: 1", None));
    assert!(decision.message().contains("Retry-After 1 s;"));
}

// ---- Options ----------------------------------------------------------------------------------

#[test]
fn defaults_are_documented_values() {
    let options = RetryOptions::default();
    assert_eq!(options.max_attempts, 3);
    assert_eq!(options.base_delay_ms, 300);
    assert_eq!(options.multiplier, 2.0);
    assert_eq!(options.max_delay_ms, 10_000);
    assert_eq!(options.jitter, Jitter::Full);
    assert_eq!(options.deadline_ms, None);
    assert_eq!(options.max_retry_after_ms, 60_000);
    assert!(!options.retry_non_idempotent);
    assert!(options.status_overrides.is_empty());
    assert_eq!(options.throttle_fallback_ms, 1_000);
    assert_eq!(RetryPolicy::default().options(), &options);
}

fn rejected(options: RetryOptions) -> InputError {
    match RetryPolicy::new(options) {
        Ok(_) => panic!("invalid options accepted"),
        Err(error) => error,
    }
}

#[test]
fn invalid_options_are_named() {
    let cases: Vec<(RetryOptions, &str)> = vec![
        (
            RetryOptions {
                max_attempts: 0,
                ..Default::default()
            },
            "maxAttempts",
        ),
        (
            RetryOptions {
                max_attempts: 1_001,
                ..Default::default()
            },
            "maxAttempts",
        ),
        (
            RetryOptions {
                multiplier: 0.5,
                ..Default::default()
            },
            "multiplier",
        ),
        (
            RetryOptions {
                multiplier: f64::NAN,
                ..Default::default()
            },
            "multiplier",
        ),
        (
            RetryOptions {
                multiplier: f64::INFINITY,
                ..Default::default()
            },
            "multiplier",
        ),
        (
            RetryOptions {
                base_delay_ms: u64::MAX,
                ..Default::default()
            },
            "baseDelayMs",
        ),
        (
            RetryOptions {
                max_delay_ms: 1 << 60,
                ..Default::default()
            },
            "maxDelayMs",
        ),
        (
            RetryOptions {
                deadline_ms: Some(u64::MAX),
                ..Default::default()
            },
            "deadlineMs",
        ),
        (
            RetryOptions {
                max_retry_after_ms: u64::MAX,
                ..Default::default()
            },
            "maxRetryAfterMs",
        ),
        (
            RetryOptions {
                throttle_fallback_ms: u64::MAX,
                ..Default::default()
            },
            "throttleFallbackMs",
        ),
        (
            RetryOptions {
                status_overrides: vec![StatusOverride {
                    status: 200,
                    retry: true,
                }],
                ..Default::default()
            },
            "statusOverrides[0].status",
        ),
        (
            RetryOptions {
                status_overrides: vec![
                    StatusOverride {
                        status: 503,
                        retry: true,
                    },
                    StatusOverride {
                        status: 503,
                        retry: false,
                    },
                ],
                ..Default::default()
            },
            "statusOverrides[1].status",
        ),
    ];
    for (options, option) in cases {
        let error = rejected(options);
        assert_eq!(error.field, option);
        assert_eq!(error.code(), "ERR_INVALID_OPTION");
        assert!(error
            .to_string()
            .starts_with(&format!("Expected `{option}` to be ")));
    }
    assert_eq!(
        rejected(RetryOptions {
            max_attempts: 0,
            ..Default::default()
        })
        .to_string(),
        "Expected `maxAttempts` to be an integer from 1 to 1000."
    );
}

fn from_spec(spec: RetryOptionsSpec) -> Result<RetryOptions, InputError> {
    RetryPolicy::from_spec(spec).map(|policy| policy.options().clone())
}

fn spec_error(spec: RetryOptionsSpec) -> String {
    match from_spec(spec) {
        Ok(options) => panic!("invalid spec accepted as {options:?}"),
        Err(error) => error.field,
    }
}

#[test]
fn js_options_are_checked_and_named() {
    let bad = |spec: RetryOptionsSpec| spec_error(spec);
    let none = RetryOptionsSpec::default;
    assert_eq!(
        bad(RetryOptionsSpec {
            max_attempts: Some(0.0),
            ..none()
        }),
        "maxAttempts"
    );
    assert_eq!(
        bad(RetryOptionsSpec {
            max_attempts: Some(2.5),
            ..none()
        }),
        "maxAttempts"
    );
    assert_eq!(
        bad(RetryOptionsSpec {
            max_attempts: Some(f64::NAN),
            ..none()
        }),
        "maxAttempts"
    );
    assert_eq!(
        bad(RetryOptionsSpec {
            max_attempts: Some(f64::INFINITY),
            ..none()
        }),
        "maxAttempts"
    );
    assert_eq!(
        bad(RetryOptionsSpec {
            base_delay_ms: Some(-1.0),
            ..none()
        }),
        "baseDelayMs"
    );
    assert_eq!(
        bad(RetryOptionsSpec {
            base_delay_ms: Some(f64::NAN),
            ..none()
        }),
        "baseDelayMs"
    );
    assert_eq!(
        bad(RetryOptionsSpec {
            base_delay_ms: Some(f64::INFINITY),
            ..none()
        }),
        "baseDelayMs"
    );
    assert_eq!(
        bad(RetryOptionsSpec {
            max_delay_ms: Some(-0.5),
            ..none()
        }),
        "maxDelayMs"
    );
    assert_eq!(
        bad(RetryOptionsSpec {
            multiplier: Some(0.99),
            ..none()
        }),
        "multiplier"
    );
    assert_eq!(
        bad(RetryOptionsSpec {
            multiplier: Some(f64::NAN),
            ..none()
        }),
        "multiplier"
    );
    assert_eq!(
        bad(RetryOptionsSpec {
            jitter: Some("Full".into()),
            ..none()
        }),
        "jitter"
    );
    assert_eq!(
        bad(RetryOptionsSpec {
            jitter: Some("random".into()),
            ..none()
        }),
        "jitter"
    );
    assert_eq!(
        bad(RetryOptionsSpec {
            deadline_ms: Some(-1.0),
            ..none()
        }),
        "deadlineMs"
    );
    assert_eq!(
        bad(RetryOptionsSpec {
            max_retry_after_ms: Some(f64::NAN),
            ..none()
        }),
        "maxRetryAfterMs"
    );
    assert_eq!(
        bad(RetryOptionsSpec {
            throttle_fallback_ms: Some(1e300),
            ..none()
        }),
        "throttleFallbackMs"
    );
    assert_eq!(
        bad(RetryOptionsSpec {
            seed: Some(-1.0),
            ..none()
        }),
        "seed"
    );
    assert_eq!(
        bad(RetryOptionsSpec {
            seed: Some(0.5),
            ..none()
        }),
        "seed"
    );
    assert_eq!(
        bad(RetryOptionsSpec {
            seed: Some(2f64.powi(53)),
            ..none()
        }),
        "seed"
    );
    let overrides = |list: Vec<(f64, bool)>| RetryOptionsSpec {
        status_overrides: Some(
            list.into_iter()
                .map(|(status, retry)| StatusOverrideSpec { status, retry })
                .collect(),
        ),
        ..none()
    };
    assert_eq!(
        bad(overrides(vec![(503.0, true), (600.0, false)])),
        "statusOverrides[1].status"
    );
    assert_eq!(
        bad(overrides(vec![(399.0, true)])),
        "statusOverrides[0].status"
    );
    assert_eq!(
        bad(overrides(vec![(503.5, true)])),
        "statusOverrides[0].status"
    );
    assert_eq!(
        bad(overrides(vec![(503.0, true), (503.0, true)])),
        "statusOverrides[1].status"
    );
}

#[test]
fn js_options_convert_to_the_same_policy() {
    assert_eq!(
        from_spec(RetryOptionsSpec::default()),
        Ok(RetryOptions::default())
    );
    let spec = RetryOptionsSpec {
        max_attempts: Some(5.0),
        base_delay_ms: Some(100.2),
        multiplier: Some(1.5),
        max_delay_ms: Some(f64::INFINITY),
        jitter: Some("decorrelated".into()),
        deadline_ms: Some(30_000.0),
        max_retry_after_ms: Some(f64::INFINITY),
        retry_non_idempotent: Some(true),
        status_overrides: Some(vec![StatusOverrideSpec {
            status: 409.0,
            retry: true,
        }]),
        seed: Some(9_007_199_254_740_991.0),
        throttle_fallback_ms: Some(500.0),
        retry_on_timeout: Some(false),
        cap_retry_after: Some(true),
        methods: Some(vec!["get".into(), "POST".into()]),
        status_codes: None,
    };
    let expected = RetryOptions {
        max_attempts: 5,
        base_delay_ms: 101,
        multiplier: 1.5,
        max_delay_ms: 9_007_199_254_740_991,
        jitter: Jitter::Decorrelated,
        deadline_ms: Some(30_000),
        max_retry_after_ms: 9_007_199_254_740_991,
        retry_non_idempotent: true,
        status_overrides: vec![StatusOverride {
            status: 409,
            retry: true,
        }],
        seed: 9_007_199_254_740_991,
        throttle_fallback_ms: 500,
        retry_on_timeout: false,
        cap_retry_after: true,
        methods: Some(1 << 6 | 1),
        only_listed_statuses: false,
    };
    assert_eq!(from_spec(spec), Ok(expected));
    let unbounded = RetryOptionsSpec {
        deadline_ms: Some(f64::INFINITY),
        ..Default::default()
    };
    assert_eq!(
        from_spec(unbounded).map(|options| options.deadline_ms),
        Ok(None)
    );
    for (id, jitter) in [
        ("full", Jitter::Full),
        ("equal", Jitter::Equal),
        ("none", Jitter::None),
    ] {
        let spec = RetryOptionsSpec {
            jitter: Some(id.into()),
            ..Default::default()
        };
        assert_eq!(from_spec(spec).map(|options| options.jitter), Ok(jitter));
        assert_eq!(jitter.id(), id);
    }
}

// ---- What ky and got users rely on ---------------------------------------------------------------

#[test]
fn a_413_with_retry_after_is_retried_for_idempotent_methods_and_without_it_never() {
    let policy = make_policy(exact());
    let temporary = response(413, "retry-after: 3", None);
    let decision = decide(&policy, "GET", temporary);
    assert_eq!(
        (decision.retry, decision.reason),
        (true, Reason::RetryAfter)
    );
    // Never earlier than the server asked; at most a tenth more (the hint's positive jitter).
    assert!((3_000..=3_300).contains(&decision.delay_ms));
    assert_eq!(
        decide(&policy, "POST", temporary).reason,
        Reason::NotIdempotent
    );
    assert_eq!(
        decide(&policy, "GET", status(413)).reason,
        Reason::NotRetryable
    );
    // A status override still has the last word.
    let never = make_policy(RetryOptions {
        status_overrides: vec![StatusOverride {
            status: 413,
            retry: false,
        }],
        ..exact()
    });
    assert_eq!(
        decide(&never, "GET", temporary).reason,
        Reason::NotRetryable
    );
}

#[test]
fn query_is_safe_and_retried_like_get() {
    assert!(Method::parse("QUERY").is_safe());
    let policy = make_policy(exact());
    assert!(decide(&policy, "QUERY", status(503)).retry);
    assert_eq!(decide(&policy, "QUERY", status(503)).method, Method::Query);
}

#[test]
fn a_429_with_only_a_rate_limit_reset_waits_for_that_reset() {
    // The 429 itself says the limit is spent: `RateLimit-Reset` counts without `Remaining: 0`.
    let policy = make_policy(exact());
    let verdict = response(429, "ratelimit-reset: 7", None);
    assert_eq!(verdict.kind, Kind::Throttled);
    assert_eq!(verdict.retry_after_ms, Some(7_000));
    assert!((7_000..=7_700).contains(&decide(&policy, "GET", verdict).delay_ms));
    // Requests said to remain: the reset is not this 429's wait.
    let some_left = response(429, "ratelimit-remaining: 4\nratelimit-reset: 7", None);
    assert_eq!(some_left.retry_after_ms, None);
    // Any other status needs the headers to say nothing is left.
    assert_eq!(
        response(503, "ratelimit-reset: 7", None).retry_after_ms,
        None
    );
}

#[test]
fn an_epoch_retry_after_is_a_time_not_a_quota_lock() {
    let date = "date: Tue, 24 Nov 2026 10:00:00 GMT";
    let verdict = response(
        429,
        &format!("{date}\nretry-after: {}", NOW_MS / 1000 + 30),
        None,
    );
    assert_eq!(verdict.kind, Kind::Throttled);
    assert_eq!(verdict.retry_after_ms, Some(30_000));
}

#[test]
fn ky_style_options_change_what_is_retried_in_the_core() {
    let spec = |spec: RetryOptionsSpec| make_policy(from_spec(spec).expect("valid options"));
    // `methods`: only the listed methods are retried; a listed POST is an explicit opt-in.
    let get_and_post = spec(RetryOptionsSpec {
        methods: Some(vec!["GET".into(), "post".into()]),
        ..Default::default()
    });
    assert!(decide(&get_and_post, "GET", status(503)).retry);
    assert!(decide(&get_and_post, "POST", status(503)).retry);
    let put = decide(&get_and_post, "PUT", status(503));
    assert_eq!((put.retry, put.reason), (false, Reason::MethodNotRetried));
    assert_eq!(
        put.message(),
        "503 Service Unavailable; PUT is not among the methods to retry; not retried"
    );
    assert_eq!(
        from_spec(RetryOptionsSpec {
            methods: Some(vec!["GET".into(), "PROPFIND".into()]),
            ..Default::default()
        })
        .map_err(|error| error.message()),
        Err("Expected `methods[1]` to be a known method name.".into())
    );
    // `statusCodes`: only the listed statuses; POST still only with its own opt-in.
    let only_500 = spec(RetryOptionsSpec {
        status_codes: Some(vec![500.0, 409.0]),
        ..Default::default()
    });
    assert!(decide(&only_500, "GET", status(500)).retry);
    assert!(decide(&only_500, "GET", status(409)).retry);
    assert_eq!(
        decide(&only_500, "GET", status(503)).reason,
        Reason::NotRetryable
    );
    assert_eq!(
        decide(&only_500, "POST", status(500)).reason,
        Reason::NotIdempotent
    );
    assert!(
        decide(&only_500, "GET", failure("ECONNRESET")).retry,
        "failures stay"
    );
    // `retryOnTimeout: false`.
    let no_timeouts = spec(RetryOptionsSpec {
        retry_on_timeout: Some(false),
        ..Default::default()
    });
    assert_eq!(
        decide(&no_timeouts, "GET", failure("TimeoutError")).reason,
        Reason::NotRetryable
    );
    assert!(decide(&no_timeouts, "GET", failure("ECONNRESET")).retry);
    // `capRetryAfter`: a wait above maxRetryAfterMs is shortened to it instead of refused.
    let long = response(503, "retry-after: 3600", None);
    assert_eq!(
        decide(&make_policy(exact()), "GET", long).reason,
        Reason::RetryAfterTooLong
    );
    let capped = decide(
        &spec(RetryOptionsSpec {
            cap_retry_after: Some(true),
            max_retry_after_ms: Some(10_000.0),
            jitter: Some("none".into()),
            ..Default::default()
        }),
        "GET",
        long,
    );
    assert_eq!((capped.retry, capped.reason), (true, Reason::RetryAfter));
    assert!((10_000..=11_000).contains(&capped.delay_ms));
    assert_eq!(capped.wait_hint_ms, Some(3_600_000));
}

#[test]
fn githubs_403_rate_limits_are_rate_limits_and_other_403s_stay_forbidden() {
    // Primary limit (GitHub REST docs, "Rate limits for the REST API"): 403 with
    // `x-ratelimit-remaining: 0` and an epoch `x-ratelimit-reset`, measured from the server's Date.
    let date = "date: Tue, 24 Nov 2026 10:00:00 GMT";
    let primary = response(
        403,
        &format!(
            "{date}\nx-ratelimit-limit: 60\nx-ratelimit-remaining: 0\nx-ratelimit-reset: {}",
            NOW_MS / 1000 + 42
        ),
        Some(r#"{"message":"API rate limit exceeded for 203.0.113.7."}"#),
    );
    assert_eq!((primary.kind, primary.status), (Kind::Throttled, Some(403)));
    assert_eq!(primary.retry_after_ms, Some(42_000));
    let decision = decide(&make_policy(exact()), "GET", primary);
    assert_eq!(
        (decision.retry, decision.reason),
        (true, Reason::RetryAfter)
    );
    // Secondary limit: a 403 with `Retry-After`, or only the message.
    let secondary = response(
        403,
        "retry-after: 30",
        Some(r#"{"message":"You have exceeded a secondary rate limit."}"#),
    );
    assert_eq!(
        (secondary.kind, secondary.retry_after_ms),
        (Kind::Throttled, Some(30_000))
    );
    let worded = response(403, "", Some("You have exceeded a secondary rate limit"));
    assert_eq!(worded.kind, Kind::Throttled);
    // A 403 with requests left, or without any sign of a limit, is a refusal.
    let left = response(
        403,
        "x-ratelimit-remaining: 12\nx-ratelimit-reset: 60",
        None,
    );
    assert_eq!(left.kind, Kind::Forbidden);
    assert_eq!(status(403).kind, Kind::Forbidden);
    assert_eq!(
        response(
            403,
            "",
            Some(r#"{"message":"Must have admin rights to Repository."}"#)
        )
        .kind,
        Kind::Forbidden
    );
}

/// The caller's own answer (createFetch's `shouldRetry`): `false` declines, `true` retries what the
/// policy would not, within every other rule.
#[test]
fn a_callers_answer_declines_or_forces_within_the_other_rules() {
    let policy = make_policy(exact());
    let with_answer = |method, verdict, answer| {
        let outcome = Outcome {
            should_retry: Some(answer),
            ..Outcome::new(method, verdict)
        };
        policy.decide(&outcome, None)
    };

    let declined = with_answer("GET", status(503), false);
    assert_refused(&declined, Reason::Declined);
    assert_eq!(
        declined.message(),
        "503 Service Unavailable; the caller's shouldRetry declined a retry; not retried"
    );

    // A 404 the policy never retries, retried on the caller's word after the own backoff.
    let forced = with_answer("GET", status(404), true);
    assert!(forced.retry, "{}", forced.message());
    assert_eq!(forced.reason, Reason::RetryableStatus);
    assert_eq!(
        forced.delay_ms,
        decide(&policy, "GET", status(503)).delay_ms
    );

    // Still no retry of a POST the server may have processed, a success, an exhausted quota or a
    // last attempt; and never earlier than the server asked.
    assert_refused(
        &with_answer("POST", status(502), true),
        Reason::NotIdempotent,
    );
    assert_refused(&with_answer("GET", status(200), true), Reason::Success);
    assert_refused(
        &with_answer("GET", response(429, "", Some("quota exceeded")), true),
        Reason::QuotaExceeded,
    );
    let last = Outcome {
        attempt: 3,
        should_retry: Some(true),
        ..Outcome::new("GET", status(404))
    };
    assert_refused(&policy.decide(&last, None), Reason::MaxAttempts);
    let hinted = with_answer("GET", response(400, "Retry-After: 7", None), true);
    assert_eq!(hinted.reason, Reason::RetryAfter);
    assert!(hinted.delay_ms >= 7_000, "{}", hinted.message());
}

/// The caller's own backoff (createFetch's `delay`) replaces the policy's, never a longer server wait.
#[test]
fn a_callers_backoff_replaces_the_policys_but_not_the_servers_wait() {
    let policy = make_policy(exact());
    let with_backoff = |verdict, backoff_ms| {
        let outcome = Outcome {
            backoff_ms: Some(backoff_ms),
            ..Outcome::new("GET", verdict)
        };
        policy.decide(&outcome, None)
    };
    assert_eq!(with_backoff(status(503), 1_234).delay_ms, 1_234);
    assert_eq!(with_backoff(status(503), 0).delay_ms, 0);
    let hinted = response(503, "Retry-After: 5", None);
    assert_eq!(
        with_backoff(hinted, 10).delay_ms,
        decide(&policy, "GET", hinted).delay_ms
    );
    // A throttling 429 without a wait: the longer of the fallback and the caller's backoff.
    let throttled = response(429, "", None);
    assert_eq!(
        with_backoff(throttled, 10).delay_ms,
        decide(&policy, "GET", throttled).delay_ms
    );
    let long = with_backoff(throttled, 9_000);
    assert_eq!(long.delay_ms, 9_000);
}

/// A network failure while the device is offline (`Outcome::offline`): the same attempt again once
/// back online, whatever attempt it was, and nothing recorded about the origin.
#[test]
fn an_offline_network_failure_waits_for_the_network_and_spends_nothing() {
    let policy = RetryPolicy::default();
    let offline_failure = Outcome {
        attempt: 3,
        offline: true,
        origin: "https://api.example",
        now_ms: NOW_MS,
        ..Outcome::new("GET", failure("Failed to fetch"))
    };
    let decision = policy.decide(&offline_failure, None);
    assert_eq!(
        (decision.retry, decision.reason, decision.delay_ms),
        (true, Reason::Offline, 0)
    );
    assert_eq!(
        decision.message(),
        "Network Error (fetch_failed); the device is offline; attempt 3 is sent again once back online"
    );

    // Twenty offline failures: the breaker (2 unreachable in a row open it) and the budget see none.
    let mut state = http_verdict::ClientState::default();
    let before = state.retries_available("https://api.example", NOW_MS);
    for _ in 0..20 {
        assert_eq!(
            policy.decide(&offline_failure, Some(&mut state)).reason,
            Reason::Offline
        );
    }
    assert_eq!(state.tracked_origins(), 0);
    assert_eq!(
        state.retries_available("https://api.example", NOW_MS),
        before
    );

    // Still bounded: past the deadline, offline or not, the call ends.
    let bounded = make_policy(RetryOptions {
        deadline_ms: Some(1_000),
        ..Default::default()
    });
    let late = Outcome {
        elapsed_ms: 2_000,
        ..offline_failure
    };
    assert_eq!(bounded.decide(&late, None).reason, Reason::Deadline);
    // Only network failures: a 503 while offline (a service worker's?) is judged as ever, and a
    // POST that may have been processed is not sent again.
    let status_offline = Outcome {
        offline: true,
        ..Outcome::new("GET", status(503))
    };
    assert_eq!(
        policy.decide(&status_offline, None).reason,
        Reason::RetryableStatus
    );
    let post = Outcome {
        offline: true,
        ..Outcome::new("POST", failure("Failed to fetch"))
    };
    assert_eq!(policy.decide(&post, None).reason, Reason::NotIdempotent);
}

/// A server's explicit word on retrying (Stripe's `Stripe-Should-Retry`, the `x-should-retry` of
/// OpenAI's and Anthropic's APIs): `false` is never retried, whoever asks; `true` allows a retry the
/// status or the method alone would not, within every other rule.
#[test]
fn the_servers_should_retry_header_has_the_last_word() {
    let policy = RetryPolicy::default();
    let decide =
        |method: &str, verdict: Verdict| policy.decide(&Outcome::new(method, verdict), None);

    // Stripe: a 500 whose retry would replay the saved answer.
    let declined = decide("GET", response(500, "stripe-should-retry: false", None));
    assert_eq!(
        (declined.retry, declined.reason),
        (false, Reason::ServerDeclined)
    );
    assert_eq!(
        declined.message(),
        "500 Internal Server Error; the server said not to retry (should-retry: false); not retried"
    );
    let asked = Outcome {
        should_retry: Some(true),
        ..Outcome::new("GET", response(503, "X-Should-Retry: FALSE", None))
    };
    assert_eq!(policy.decide(&asked, None).reason, Reason::ServerDeclined);

    // `true`: a 409 (not retryable by status) and a POST 500 (may have been processed) are retried.
    let conflict = decide("GET", response(409, "stripe-should-retry: true", None));
    assert_eq!(
        (conflict.retry, conflict.reason),
        (true, Reason::RetryableStatus)
    );
    assert!(decide("POST", response(500, "x-should-retry: true", None)).retry);
    assert_eq!(decide("POST", status(500)).reason, Reason::NotIdempotent);
    // Still within the attempts.
    let last = Outcome {
        attempt: 3,
        ..Outcome::new("GET", response(409, "stripe-should-retry: true", None))
    };
    assert_eq!(policy.decide(&last, None).reason, Reason::MaxAttempts);

    // Anything but true or false, or two lines that disagree, is no verdict.
    for headers in [
        "stripe-should-retry: maybe",
        "x-should-retry: 1",
        "stripe-should-retry: true\nstripe-should-retry: false",
    ] {
        assert_eq!(response(500, headers, None).server_retry, None, "{headers}");
        assert_eq!(
            decide("GET", response(500, headers, None)).reason,
            Reason::RetryableStatus
        );
    }
}
