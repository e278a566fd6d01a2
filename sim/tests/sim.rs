// Test, bench and example code may unwrap, panic and index (the package's code may not: Cargo.toml [lints]).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

// The retry-storm simulator (issue 6): the self-check that makes the harness trustworthy, the
// compliance counters (zero for this crate's defaults, and able to catch the baselines that do
// break the rules), determinism, the entry point's errors and the shape of a report. Populations
// are scaled down (scale 0.1–0.25) so that the file runs in a few seconds in debug builds.

use http_verdict::breaker::BreakerOptions;
use http_verdict::{ClientStateOptions, RetryOptions};
use http_verdict_sim::{
    dominating, fleet, run, run_library, run_scenario, runs_csv, scenario, self_check, series_csv,
    PolicyKind, Recovery, SimError, SimReport, SCENARIOS, SERVICE, TABS,
};

fn report(name: &str, policy: PolicyKind, seed: u64, scale: f64) -> SimReport {
    match run_scenario(name, policy, seed, scale) {
        Ok(report) => report,
        Err(error) => panic!("{name}: {error}"),
    }
}

#[test]
fn self_check_naive_retries_give_one_plus_p_plus_p2_plus_p3() {
    // The harness is not to be trusted until this passes: 4 attempts, p = 0.5 → 1.875.
    let check = self_check(3, 1.0).expect("selfcheck exists");
    assert!(check.passed, "{}", check.line());
    for amplification in &check.amplifications {
        assert!((amplification - 1.875).abs() <= 0.02, "{amplification}");
    }
    assert!(check.line().starts_with("Self-check (PASS)"));
}

#[test]
fn no_retries_send_exactly_one_attempt_per_request_everywhere() {
    for name in SCENARIOS {
        let run = report(name, PolicyKind::NoRetry, 3, 0.1);
        assert_eq!(run.all.attempts, run.all.requests, "{name}");
        assert_eq!(
            run.compliance.early_retries + run.compliance.non_retryable_retries,
            0
        );
        assert_eq!(run.compliance.duplicate_posts, 0, "{name}");
    }
}

#[test]
fn the_defaults_never_break_a_rule_in_any_scenario() {
    for name in SCENARIOS {
        for seed in [1, 2] {
            let run = report(name, PolicyKind::Defaults, seed, 0.25);
            assert_eq!(
                run.compliance.total(),
                0,
                "{name}, seed {seed}: {:?}",
                run.compliance
            );
            // Never more than 3 attempts per request, and usually far fewer.
            assert!(run.all.amplification <= 3.0, "{name}");
        }
    }
}

#[test]
fn the_compliance_counters_catch_policies_that_break_the_rules() {
    // Naive retries repeat 400s, 404s and 501s.
    let naive = report("non-retryable", PolicyKind::Naive, 1, 0.1);
    assert!(naive.compliance.non_retryable_retries > 100);
    // Retrying a 500 on a POST without a key runs its side effect twice.
    let aws = report("sweep-20", PolicyKind::AwsStandard, 1, 0.1);
    assert!(aws.compliance.duplicate_posts > 0);
    // A fixed 1 s wait ignores valid Retry-After values of 1–2 s.
    let naive = report("hostile-hints", PolicyKind::Naive, 1, 0.1);
    assert!(naive.compliance.early_retries > 0);
    // Clients without a quota lock keep sending to an exhausted quota.
    let none = report("quota", PolicyKind::NoRetry, 1, 0.1);
    assert!(none.compliance.locked_quota_attempts > 0);
    // Ky honours Retry-After (up to 10 s) but not RateLimit headers.
    let ky = report("spike-throttle", PolicyKind::Ky, 1, 0.1);
    assert!(ky.compliance.early_retries > 0);
}

#[test]
fn runs_are_pure_functions_of_scenario_policy_seed_and_scale() {
    let first = report("spike-shed", PolicyKind::Defaults, 7, 0.1);
    let again = report("spike-shed", PolicyKind::Defaults, 7, 0.1);
    assert_eq!(first, again);
    let other = report("spike-shed", PolicyKind::Defaults, 8, 0.1);
    assert_ne!(first.all.attempts, other.all.attempts);
    // The same seed offers the same traffic to every policy (common random numbers).
    let naive = report("spike-shed", PolicyKind::Naive, 7, 0.1);
    assert_eq!(first.all.requests, naive.all.requests);
}

#[test]
fn naive_retries_turn_a_short_spike_into_a_lasting_outage() {
    // A 6-second flash crowd against a server with headroom: without retries the backlog drains
    // in about 10 s; four attempts without jitter per timeout keep it full (metastable failure).
    let none = report("spike", PolicyKind::NoRetry, 1, 0.25);
    let naive = report("spike", PolicyKind::Naive, 1, 0.25);
    let defaults = report("spike", PolicyKind::Defaults, 1, 0.25);
    assert!(
        matches!(none.all.recovery, Recovery::AfterMs(ms) if ms <= 20_000),
        "{:?}",
        none.all.recovery
    );
    assert_eq!(naive.all.recovery, Recovery::Never);
    assert!(naive.all.amplification_after.unwrap_or(0.0) > 3.0);
    assert!(matches!(defaults.all.recovery, Recovery::AfterMs(_)));
    assert!(defaults.all.success_rate > naive.all.success_rate + 0.3);
}

#[test]
fn in_an_outage_the_defaults_stop_retrying_but_send_every_first_attempt() {
    let defaults = report("outage", PolicyKind::Defaults, 1, 0.25);
    let naive = report("outage", PolicyKind::Naive, 1, 0.25);
    // The service's breakers stop its retries after two refused connections, and no request is
    // refused unsent: one attempt per request.
    let service = defaults.service.amplification_fault.unwrap_or(9.0);
    assert!((0.95..1.05).contains(&service), "{service}");
    // Each tab has only its own state: its first request in the outage retries once, then the
    // tab has learned (the former default, five failures in a row, gave about 2.3).
    let tabs = defaults.tabs.amplification_fault.unwrap_or(0.0);
    assert!(tabs > 1.2 && tabs < 1.7, "{tabs}");
    assert!(defaults.all.amplification_fault < naive.all.amplification_fault);
    assert!(matches!(defaults.all.recovery, Recovery::AfterMs(ms) if ms <= 15_000));
}

#[test]
fn quota_exhaustion_fails_fast_until_the_reset() {
    let defaults = report("quota", PolicyKind::Defaults, 1, 0.25);
    assert!(defaults.all.amplification_fault.unwrap_or(9.0) < 0.5);
    assert_eq!(defaults.compliance.locked_quota_attempts, 0);
    assert_eq!(defaults.all.recovery, Recovery::AfterMs(0));
}

#[test]
fn a_hostile_enormous_retry_after_does_not_lock_a_client_out() {
    // A 429 whose Retry-After is enormous (or garbage, or in the past) is refused by the policy
    // (above `maxRetryAfterMs`) and must not close the origin's throttle gate for everyone else.
    let defaults = report("hostile-hints", PolicyKind::Defaults, 1, 0.25);
    let none = report("hostile-hints", PolicyKind::NoRetry, 1, 0.25);
    assert_eq!(defaults.compliance.total(), 0);
    assert!(
        matches!(defaults.all.recovery, Recovery::AfterMs(_)),
        "{:?}",
        defaults.all.recovery
    );
    assert!(
        defaults.all.success_rate >= none.all.success_rate - 0.05,
        "{} vs {}",
        defaults.all.success_rate,
        none.all.success_rate
    );
}

#[test]
fn the_library_can_run_with_other_options() {
    let outage = scenario("outage", 0.1).expect("outage exists");
    let without_state = run_library(&outage, &RetryOptions::default(), None, 1);
    let defaults = run(&outage, PolicyKind::Defaults, 1);
    assert_eq!(without_state.policy, PolicyKind::Tuned);
    // Without a ClientState the service's breakers are gone too.
    assert!(without_state.service.amplification_fault > defaults.service.amplification_fault);
    let patient = ClientStateOptions {
        circuit_breaker: Some(BreakerOptions {
            open_ms: 60_000,
            fail_fast: true,
            ..BreakerOptions::default()
        }),
        ..ClientStateOptions::default()
    };
    let slow = run_library(&outage, &RetryOptions::default(), Some(patient), 1);
    assert!(
        matches!(slow.service.recovery, Recovery::AfterMs(ms) if ms > 20_000)
            || slow.service.recovery == Recovery::Never
    );
}

#[test]
fn bad_arguments_are_errors_not_panics() {
    assert_eq!(
        run_scenario("meteor", PolicyKind::Naive, 1, 1.0),
        Err(SimError::UnknownScenario("meteor".into()))
    );
    for scale in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e9] {
        assert!(matches!(
            run_scenario("outage", PolicyKind::Naive, 1, scale),
            Err(SimError::BadScale(_))
        ));
    }
    assert!(SimError::UnknownScenario("x".into())
        .to_string()
        .contains("spike"));
    for policy in PolicyKind::ALL {
        assert_eq!(PolicyKind::from_id(policy.id()), Some(*policy));
    }
    assert_eq!(PolicyKind::from_id("tuned"), None);
}

#[test]
fn scaling_changes_client_counts_not_habits() {
    let full = fleet(1.0);
    assert_eq!(full[TABS].clients, 1_000);
    assert_eq!(full[SERVICE].clients, 4);
    assert!((full[TABS].rate_per_ms() * 1_000.0 - 40.0).abs() < 1e-9);
    assert!((full[SERVICE].rate_per_ms() * 1_000.0 - 40.0).abs() < 1e-9);
    let small = fleet(0.1);
    assert_eq!((small[TABS].clients, small[SERVICE].clients), (100, 1));
    assert!((small[SERVICE].rate_per_ms() * 1_000.0 - 4.0).abs() < 1e-9);
}

#[test]
fn reports_carry_a_series_csv_and_json() {
    let run = report("outage", PolicyKind::Defaults, 1, 0.1);
    assert_eq!(run.series.len(), 180);
    let settled: u64 = run
        .series
        .iter()
        .map(|bucket| u64::from(bucket.successes + bucket.failures))
        .sum();
    assert!(settled <= run.all.requests && settled > run.all.requests * 9 / 10);
    let outage: u32 = run.series[60..90]
        .iter()
        .map(|bucket| bucket.successes)
        .sum();
    assert!(outage < 5, "{outage}");
    let csv = runs_csv(std::slice::from_ref(&run));
    assert_eq!(csv.lines().count(), 2);
    assert!(csv.starts_with("scenario,policy,seed,"));
    assert!(csv
        .lines()
        .nth(1)
        .is_some_and(|row| row.starts_with("outage,defaults,1,")));
    assert_eq!(series_csv(std::slice::from_ref(&run)).lines().count(), 181);
    let json = serde_json::to_value(&run).expect("serialisable");
    assert_eq!(json["policy"], "defaults");
    assert!(json["all"]["amplificationFault"].is_number());
    assert!(json["all"]["recovery"]["afterMs"].is_number());
    assert!(json["compliance"]["duplicatePosts"].is_number());
}

#[test]
fn the_dominance_table_names_what_beats_the_defaults_on_both_figures() {
    // In the brownout a fail-fast breaker sheds first attempts: more success with less load than the
    // defaults, which send every first attempt. Naive retries are worse on both.
    let brownout = scenario("brownout", 0.25).expect("brownout exists");
    let fail_fast = ClientStateOptions {
        circuit_breaker: Some(BreakerOptions {
            fail_fast: true,
            ..BreakerOptions::default()
        }),
        ..ClientStateOptions::default()
    };
    let groups = vec![
        (
            "defaults".to_owned(),
            vec![run(&brownout, PolicyKind::Defaults, 1)],
        ),
        (
            "naive".to_owned(),
            vec![run(&brownout, PolicyKind::Naive, 1)],
        ),
        (
            "fail-fast".to_owned(),
            vec![run_library(
                &brownout,
                &RetryOptions::default(),
                Some(fail_fast),
                1,
            )],
        ),
    ];
    let beaten_by: Vec<String> = dominating(&groups)
        .into_iter()
        .map(|row| row.label)
        .collect();
    assert_eq!(beaten_by, ["fail-fast"]);
}

/// Tabs of one browser sharing their states' facts (`share: shareAcrossTabs()`, 4 tabs a browser):
/// a quota lock or an open breaker met by one tab holds its three siblings too, so the tabs send far
/// fewer doomed requests, and lose no success for it.
#[test]
fn tabs_that_share_send_fewer_doomed_requests_in_a_quota_wall_and_an_outage() {
    let variants = http_verdict_sim::variants();
    let alone = variants.iter().find(|v| v.label == "defaults").unwrap();
    let shared = variants.iter().find(|v| v.tabs_per_browser == 4).unwrap();
    for (name, at_most) in [("quota", 0.5), ("outage", 0.9)] {
        let scenario = scenario(name, 0.25).unwrap();
        let (own, together) = (
            http_verdict_sim::run_variant(&scenario, alone, 1),
            http_verdict_sim::run_variant(&scenario, shared, 1),
        );
        let (own_load, shared_load) = (
            own.tabs.amplification_fault.unwrap(),
            together.tabs.amplification_fault.unwrap(),
        );
        assert!(
            shared_load < own_load * at_most,
            "{name}: tabs' load in the fault {shared_load:.2} shared, {own_load:.2} alone"
        );
        assert!(
            together.all.success_rate >= own.all.success_rate - 0.005,
            "{name}: success {} shared, {} alone",
            together.all.success_rate,
            own.all.success_rate
        );
        assert_eq!(together.compliance.total(), 0, "{name}");
    }
}

#[test]
fn a_service_fleet_sharing_through_a_store_sends_fewer_attempts_into_a_quota_wall_and_an_outage() {
    // 40 instances carrying the service's load: each on its own, each learns the quota and the
    // outage from its own failures; sharing through a store (even a slow, lossy one), one learns
    // for all. Summed over 3 seeds, since one seed's quota wall costs only a few dozen attempts.
    let variants = http_verdict_sim::fleet_variants();
    let alone = variants
        .iter()
        .find(|v| v.fleet.unwrap().store.is_none())
        .unwrap();
    for shared in variants.iter().filter(|v| v.fleet.unwrap().store.is_some()) {
        for (name, at_most) in [("quota", 0.5), ("outage", 0.99)] {
            let scenario = scenario(name, 0.25).unwrap();
            let (mut own_attempts, mut shared_attempts) = (0, 0);
            for seed in 1..=3 {
                let (own, together) = (
                    http_verdict_sim::run_variant(&scenario, alone, seed),
                    http_verdict_sim::run_variant(&scenario, shared, seed),
                );
                own_attempts += own.service_attempts_fault;
                shared_attempts += together.service_attempts_fault;
                assert!(
                    together.service.success_rate >= own.service.success_rate - 0.005,
                    "{name}, {}: success {} shared, {} alone",
                    shared.label,
                    together.service.success_rate,
                    own.service.success_rate
                );
                assert_eq!(together.compliance.total(), 0, "{name}, {}", shared.label);
            }
            assert!(
                (shared_attempts as f64) < own_attempts as f64 * at_most,
                "{name}, {}: {shared_attempts} service attempts in the fault shared, {own_attempts} alone",
                shared.label
            );
        }
    }
}
