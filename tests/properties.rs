// Test, bench and example code may unwrap, panic and index (the package's code may not: Cargo.toml [lints]).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![cfg(not(target_arch = "wasm32"))]

// Property tests of the decision engine over random options and outcomes (contract §4): waits are
// bounded by the cap, never before a valid hint and never past the deadline; attempts never exceed
// the maximum; the same seed gives the same decisions; nothing panics, whatever the input.

mod common;
use http_verdict::backoff::{Backoff, Jitter};
use http_verdict::budget::{BudgetOptions, RetryBudget};
use http_verdict::options::{RetryOptionsSpec, StatusOverrideSpec};
use http_verdict::retry_after::MAX_WAIT_MS;
use http_verdict::transport::TransportDetail;
use http_verdict::wait_source::WaitSource;
use http_verdict::{
    classify, Admission, ClientState, ClientStateOptions, HeaderBlock, Kind, Method, Outcome,
    Reason, ResponseParts, RetryOptions, RetryPolicy, StatusOverride, Verdict,
};
use proptest::prelude::*;

const T0: u64 = common::NOW_MS;

fn jitter() -> impl Strategy<Value = Jitter> {
    prop::sample::select(Jitter::ALL)
}

prop_compose! {
    fn options()(
        max_attempts in prop_oneof![4 => 1u32..=8, 1 => 1u32..=1_000],
        base_delay_ms in prop_oneof![3 => 0u64..=5_000, 1 => 0u64..=MAX_WAIT_MS],
        multiplier in prop_oneof![3 => 1.0f64..=4.0, 1 => 1.0f64..=1e300],
        max_delay_ms in prop_oneof![3 => 0u64..=60_000, 1 => 0u64..=MAX_WAIT_MS],
        jitter in jitter(),
        deadline_ms in prop::option::of(prop_oneof![3 => 0u64..=120_000, 1 => 0u64..=MAX_WAIT_MS]),
        max_retry_after_ms in prop_oneof![3 => 0u64..=120_000, 1 => 0u64..=MAX_WAIT_MS],
        retry_non_idempotent in any::<bool>(),
        overrides in prop::collection::vec((400u16..=599, any::<bool>()), 0..4),
        seed in any::<u64>(),
        throttle_fallback_ms in prop_oneof![3 => 0u64..=5_000, 1 => 0u64..=MAX_WAIT_MS],
    ) -> RetryOptions {
        let mut status_overrides: Vec<StatusOverride> = Vec::new();
        for (status, retry) in overrides {
            if status_overrides.iter().all(|rule| rule.status != status) {
                status_overrides.push(StatusOverride { status, retry });
            }
        }
        RetryOptions {
            max_attempts, base_delay_ms, multiplier, max_delay_ms, jitter, deadline_ms,
            max_retry_after_ms, retry_non_idempotent, status_overrides, seed, throttle_fallback_ms,
            ..RetryOptions::default()
        }
    }
}

/// A verdict from real classification of a random response.
fn classified() -> impl Strategy<Value = Verdict> {
    let headers = prop_oneof![
        Just(String::new()),
        (0u64..=200).prop_map(|seconds| format!("retry-after: {seconds}")),
        (0u64..=100_000).prop_map(|seconds| format!("retry-after: {seconds}")),
        (0u64..=200)
            .prop_map(|seconds| format!("x-ratelimit-remaining: 0\nx-ratelimit-reset: {seconds}")),
        Just("retry-after: Tue, 24 Nov 2026 10:00:30 GMT".to_string()),
        Just("retry-after: soon".to_string()),
    ];
    let body = prop::sample::select(vec![
        None,
        Some("Too Many Requests"),
        Some(r#"{"message":"Limit Exceeded"}"#),
        Some("Invalid route"),
    ]);
    let status = prop_oneof![
        2 => 100u16..=599,
        3 => prop::sample::select(vec![200, 404, 408, 429, 499, 500, 501, 502, 503, 504]),
    ];
    (status, headers, body).prop_map(|(status, headers, body)| {
        let parts = ResponseParts {
            status,
            headers: HeaderBlock::new(&headers),
            body,
        };
        classify(&parts, T0, None)
    })
}

/// Any verdict at all, consistent or not: what a careless Rust caller could build.
fn raw() -> impl Strategy<Value = Verdict> {
    (
        prop::option::of(any::<u16>()),
        prop::sample::select(Kind::ALL),
        prop::option::of(prop_oneof![0u64..=200_000, any::<u64>()]),
        prop::option::of(prop::sample::select(TransportDetail::ALL)),
        prop::option::of(any::<bool>()),
        prop::sample::select(WaitSource::all().collect::<Vec<_>>()),
    )
        .prop_map(
            |(status, kind, retry_after_ms, detail, server_retry, wait_source)| Verdict {
                status,
                kind,
                retry_after_ms,
                wait_source,
                detail,
                server_retry,
            },
        )
}

fn verdict() -> impl Strategy<Value = Verdict> {
    prop_oneof![3 => classified(), 1 => raw()]
}

/// The parts of an outcome that are not borrowed.
#[derive(Clone, Debug)]
struct OutcomeParts {
    attempt: u32,
    method: &'static str,
    has_idempotency_key: bool,
    body_replayable: bool,
    verdict: Verdict,
    elapsed_ms: u64,
    now_ms: u64,
    previous_delay_ms: u64,
    origin: &'static str,
    salt: u64,
    offline: bool,
}

impl OutcomeParts {
    fn outcome(&self) -> Outcome<'static> {
        Outcome {
            attempt: self.attempt,
            method: self.method,
            has_idempotency_key: self.has_idempotency_key,
            body_replayable: self.body_replayable,
            verdict: self.verdict,
            elapsed_ms: self.elapsed_ms,
            now_ms: self.now_ms,
            previous_delay_ms: self.previous_delay_ms,
            origin: self.origin,
            salt: self.salt,
            should_retry: None,
            backoff_ms: None,
            sent_ms: None,
            offline: self.offline,
        }
    }
}

prop_compose! {
    fn outcome()(
        attempt in prop_oneof![4 => 0u32..=10, 1 => any::<u32>()],
        method in prop::sample::select(vec!["GET", "HEAD", "PUT", "DELETE", "POST", "PATCH", "post", "PROPFIND", ""]),
        has_idempotency_key in any::<bool>(),
        body_replayable in prop::bool::weighted(0.8),
        verdict in verdict(),
        elapsed_ms in prop_oneof![3 => 0u64..=150_000, 1 => any::<u64>()],
        now_ms in prop_oneof![3 => T0..=T0 + 100_000, 1 => any::<u64>()],
        previous_delay_ms in prop_oneof![3 => 0u64..=20_000, 1 => any::<u64>()],
        origin in prop::sample::select(vec!["https://a.example", "https://b.example", ""]),
        salt in prop_oneof![Just(0u64), any::<u64>()],
        offline in prop::bool::weighted(0.1),
    ) -> OutcomeParts {
        OutcomeParts {
            attempt, method, has_idempotency_key, body_replayable, verdict, elapsed_ms, now_ms,
            previous_delay_ms, origin, salt, offline,
        }
    }
}

fn policy(options: &RetryOptions) -> RetryPolicy {
    RetryPolicy::new(options.clone()).expect("generated options are valid")
}

/// The invariants every decision keeps, with or without shared state.
fn check(
    options: &RetryOptions,
    parts: &OutcomeParts,
    decision: &http_verdict::Decision,
) -> Result<(), TestCaseError> {
    let verdict = parts.verdict;
    prop_assert_eq!(decision.retry, decision.reason.retries());
    prop_assert!(decision.delay_ms <= MAX_WAIT_MS);
    prop_assert!(!decision.message().is_empty());
    if !decision.retry {
        prop_assert_eq!(decision.delay_ms, 0);
        return Ok(());
    }
    // Offline, a network failure is the device's: the same attempt again once online, at once.
    if decision.reason == http_verdict::Reason::Offline {
        prop_assert!(parts.offline);
        prop_assert_eq!(verdict.kind, http_verdict::Kind::NetworkError);
        prop_assert_eq!(decision.delay_ms, 0);
        return Ok(());
    }
    // Attempts never exceed the maximum.
    prop_assert!(parts.attempt.max(1) < options.max_attempts);
    // No wait crosses the deadline.
    if let Some(deadline_ms) = options.deadline_ms {
        prop_assert!(parts.elapsed_ms.saturating_add(decision.delay_ms) <= deadline_ms);
    }
    // Own backoff stays under the cap.
    if matches!(
        decision.reason,
        Reason::RetryableStatus | Reason::NetworkError | Reason::Timeout
    ) {
        prop_assert!(decision.delay_ms <= options.max_delay_ms);
    }
    // Never before a server's wait, which must be within the limit.
    if let Some(hint_ms) = verdict.retry_after_ms {
        prop_assert!(hint_ms <= options.max_retry_after_ms);
        prop_assert!(decision.delay_ms >= hint_ms);
        prop_assert_eq!(decision.reason, Reason::RetryAfter);
    }
    // What may never be retried is not.
    prop_assert!(parts.body_replayable);
    prop_assert!(!matches!(
        verdict.kind,
        Kind::Aborted | Kind::ClientClosedRequest | Kind::QuotaExceeded
    ));
    // A success or a redirect is never retried: judged by its kind, so that a 200 a profile reads as
    // a throttle (GraphQL APIs answer their limits so) is retried like one.
    prop_assert!(!matches!(
        verdict.kind.family(),
        http_verdict::Family::Success | http_verdict::Family::Redirection
    ));
    let method = Method::parse(parts.method);
    // A server that said `should-retry: true` vouches for a retry itself; one that said false is
    // never retried.
    prop_assert!(verdict.server_retry != Some(false));
    prop_assert!(
        method.is_idempotent()
            || parts.has_idempotency_key
            || options.retry_non_idempotent
            || verdict.never_processed()
            || verdict.server_retry == Some(true)
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn decisions_keep_every_invariant(options in options(), parts in outcome()) {
        let policy = policy(&options);
        let decision = policy.decide(&parts.outcome(), None);
        check(&options, &parts, &decision)?;
        // A server wait gets at most a small positive jitter (offline, the same attempt goes
        // again once back online: no wait at all).
        let waits = decision.retry && decision.reason != http_verdict::Reason::Offline;
        if let (true, Some(hint_ms)) = (waits, parts.verdict.retry_after_ms) {
            prop_assert!(decision.delay_ms - hint_ms <= (hint_ms / 10).min(1_000));
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_decision(options in options(), parts in outcome()) {
        let first = policy(&options).decide(&parts.outcome(), None);
        let second = policy(&options).decide(&parts.outcome(), None);
        prop_assert_eq!(first, second);
        prop_assert_eq!(first.message(), second.message());
    }

    #[test]
    fn shared_state_keeps_the_invariants_and_is_deterministic(
        options in options(),
        steps in prop::collection::vec((outcome(), 0u64..=5_000), 1..40),
    ) {
        let policy = policy(&options);
        let mut first = ClientState::default();
        let mut second = ClientState::new(ClientStateOptions { max_origins: 2, ..Default::default() })
            .expect("valid");
        let mut replay = ClientState::default();
        let mut now_ms = T0;
        for (mut parts, step_ms) in steps {
            now_ms += step_ms;
            parts.now_ms = now_ms;
            let admission = first.before_attempt(parts.origin, now_ms);
            prop_assert_eq!(admission, replay.before_attempt(parts.origin, now_ms));
            if let Admission::Wait { wait_ms } = admission {
                prop_assert!(wait_ms > 0);
            }
            let _ = policy.admit(&mut second, parts.origin, now_ms, parts.elapsed_ms);
            let decision = policy.decide(&parts.outcome(), Some(&mut first));
            check(&options, &parts, &decision)?;
            prop_assert_eq!(decision, policy.decide(&parts.outcome(), Some(&mut replay)));
            let bounded = policy.decide(&parts.outcome(), Some(&mut second));
            check(&options, &parts, &bounded)?;
            prop_assert!(second.tracked_origins() <= 2);
        }
    }

    #[test]
    fn the_budget_never_grants_more_than_its_share(
        ratio in 0.0f64..=1.0,
        min_retries in 0u32..=20,
        events in prop::collection::vec(any::<bool>(), 0..300),
    ) {
        let mut budget = RetryBudget::new(BudgetOptions { ratio, min_retries, window_ms: 10_000 });
        let (mut requests, mut granted) = (0u32, 0u32);
        for is_request in events {
            if is_request {
                budget.record_request(T0);
                requests += 1;
            } else if budget.try_retry(T0) {
                granted += 1;
            }
            let allowed = (f64::from(min_retries) + ratio * f64::from(requests)).floor();
            prop_assert!(f64::from(granted) <= allowed);
        }
    }

    #[test]
    fn plans_are_capped_deterministic_and_sized(options in options(), attempts in prop::option::of(0u32..=2_000)) {
        let policy = policy(&options);
        let plan = policy.plan(attempts);
        let expected = attempts.unwrap_or(options.max_attempts).min(1_000).saturating_sub(1);
        prop_assert_eq!(plan.len(), expected as usize);
        prop_assert!(plan.iter().all(|wait| *wait <= options.max_delay_ms));
        prop_assert_eq!(plan, policy.plan(attempts));
    }

    #[test]
    fn backoff_is_total(
        base_delay_ms in any::<u64>(),
        multiplier in any::<f64>(),
        max_delay_ms in any::<u64>(),
        jitter in jitter(),
        attempt in any::<u32>(),
        previous_delay_ms in any::<u64>(),
        unit in any::<f64>(),
    ) {
        // Even unchecked fields must not panic, and the cap holds whenever the base is sane.
        let backoff = Backoff { base_delay_ms, multiplier, max_delay_ms, jitter };
        let wait = backoff.delay_ms(attempt, previous_delay_ms, unit);
        if multiplier.is_finite() && multiplier >= 1.0 {
            prop_assert!(wait <= max_delay_ms);
        }
    }

    #[test]
    fn js_options_never_panic(
        numbers in prop::collection::vec(prop::option::of(prop_oneof![any::<f64>(), 0.0f64..=100_000.0]), 9),
        jitter in prop::option::of(prop::sample::select(vec!["full", "equal", "decorrelated", "none", "x", ""])),
        overrides in prop::option::of(prop::collection::vec((any::<f64>(), any::<bool>()), 0..3)),
        retry_non_idempotent in prop::option::of(any::<bool>()),
    ) {
        let number = |index: usize| numbers.get(index).copied().flatten();
        let spec = RetryOptionsSpec {
            max_attempts: number(0),
            base_delay_ms: number(1),
            multiplier: number(2),
            max_delay_ms: number(3),
            jitter: jitter.map(String::from),
            deadline_ms: number(4),
            max_retry_after_ms: number(5),
            retry_non_idempotent,
            status_overrides: overrides.map(|list| {
                list.into_iter().map(|(status, retry)| StatusOverrideSpec { status, retry }).collect()
            }),
            seed: number(6),
            throttle_fallback_ms: number(7),
            ..Default::default()
        };
        if let Ok(policy) = RetryPolicy::from_spec(spec) {
            prop_assert!(policy.options().validate().is_ok());
        }
    }
}

/// Header blocks of any shape: core names and near misses, repeated, with values of any length.
fn hostile_block() -> impl Strategy<Value = String> {
    let name = prop::sample::select(vec![
        "retry-after",
        "Retry-After",
        "date",
        "ratelimit",
        "ratelimit-policy",
        "x-ratelimit-reset",
        "x-ratelimit-remaining",
        "x-amzn-errortype",
        "retry-after-ms",
        "x",
    ]);
    let value = prop_oneof![
        Just("2".to_string()),
        Just("limit=10, remaining=0, reset=3".to_string()),
        "[ -~]{0,40}",
        (0usize..=6_000).prop_map(|length| "1,".repeat(length / 2)),
    ];
    prop::collection::vec((name, value), 0..60).prop_map(|lines| {
        lines
            .into_iter()
            .map(|(name, value)| format!("{name}: {value}"))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// SECURITY.md "Limits": whatever the block, a name yields at most MAX_LINES_PER_HEADER values of
    /// at most MAX_HEADER_VALUE_BYTES, and classifying it neither panics nor reports a wait beyond
    /// MAX_WAIT_MS.
    #[test]
    fn any_header_block_is_read_within_the_limits(block in hostile_block(), status in prop::sample::select(vec![200u16, 404, 429, 503])) {
        use http_verdict::headers::{CORE_HEADER_NAMES, MAX_HEADER_VALUE_BYTES, MAX_LINES_PER_HEADER};
        let headers = HeaderBlock::new(&block);
        for name in CORE_HEADER_NAMES {
            let values: Vec<&str> = headers.get_all(name).collect();
            prop_assert!(values.len() <= MAX_LINES_PER_HEADER);
            prop_assert!(values.iter().all(|value| value.len() <= MAX_HEADER_VALUE_BYTES));
        }
        let verdict = classify(&ResponseParts { status, headers, body: None }, T0, None);
        prop_assert!(verdict.retry_after_ms.map_or(true, |ms| ms <= MAX_WAIT_MS));
    }

    /// SECURITY.md "Limits": a profile that validation accepts never holds more pattern bytes than
    /// the budget (`header.includes` counted twice), however its rules are shaped.
    #[test]
    fn accepted_profiles_stay_within_the_pattern_budget(
        rules in prop::collection::vec(
            (
                prop::collection::vec((1usize..=300).prop_map(|length| "a".repeat(length)), 0..8),
                prop::option::of((1usize..=300).prop_map(|length| "b".repeat(length))),
            ),
            0..24,
        ),
    ) {
        use http_verdict::profile::{HeaderRuleSpec, Profile, ProfileSpec, RuleSpec, MAX_PROFILE_PATTERN_BYTES};
        let mut pattern_bytes = 0;
        let specs = rules
            .into_iter()
            .map(|(body_includes, includes)| {
                pattern_bytes += body_includes.iter().map(String::len).sum::<usize>()
                    + 2 * includes.as_ref().map_or(0, String::len);
                RuleSpec {
                    status: 404.0,
                    kind: "invalid_route".into(),
                    body_includes: (!body_includes.is_empty()).then_some(body_includes),
                    header: includes.map(|includes| HeaderRuleSpec {
                        name: "x-route".into(),
                        equals: None,
                        includes: Some(includes),
                    }),
                }
            })
            .collect();
        if Profile::new(ProfileSpec { rules: specs }).is_ok() {
            prop_assert!(pattern_bytes <= MAX_PROFILE_PATTERN_BYTES);
        }
    }
}
