// Test, bench and example code may unwrap, panic and index (the package's code may not: Cargo.toml [lints]).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

// Hedged GETs in the simulator (issue 13 item 4): a hedge cuts the slow tail's p99 at little
// load; the hedged share (a tenth of a client's last 100 requests, no floor) keeps hedges from
// holding a server that slows with load degraded; hedging does not make an outage worse. (The
// share and the budget, rule by rule, are unit-tested in src/strategy.rs.) At a quarter scale (250
// tabs, one service client) so that the file runs in a few seconds in debug builds.

use http_verdict_sim::{hedge_variants, run_variant, scenario, HedgeDelay, SimReport, Variant};

const SCALE: f64 = 0.25;

/// The variant of [`hedge_variants`] that matches.
fn variant(matches: impl Fn(&Variant) -> bool) -> Variant {
    hedge_variants()
        .into_iter()
        .find(|v| matches(v))
        .expect("a hedging variant")
}

fn off() -> Variant {
    variant(|v| v.hedging.is_none())
}

/// At the fixed delay, within the share and the budget (as `http-verdict/hedge` hedges) or with
/// neither.
fn fixed(limited: bool) -> Variant {
    variant(|v| {
        v.hedging.is_some_and(|hedging| {
            matches!(hedging.delay, HedgeDelay::FixedMs(_))
                && hedging.max_share.is_some() == limited
                && hedging.draws_budget == limited
        })
    })
}

fn at_p95() -> Variant {
    variant(|v| {
        v.hedging
            .is_some_and(|hedging| matches!(hedging.delay, HedgeDelay::ObservedP95 { .. }))
    })
}

fn run(name: &str, variant: &Variant, seed: u64) -> SimReport {
    let scenario = scenario(name, SCALE).unwrap_or_else(|| panic!("{name} exists"));
    run_variant(&scenario, variant, seed)
}

#[test]
fn hedging_cuts_the_p99_of_a_slow_tail_for_a_few_percent_more_load() {
    for seed in [1, 2] {
        let none = run("slow-tail", &off(), seed);
        let hedged = run("slow-tail", &fixed(true), seed);
        let unlimited = run("slow-tail", &fixed(false), seed);
        let p95 = run("slow-tail", &at_p95(), seed);
        let p99 = |run: &SimReport| run.all.get_latency_p99_ms.unwrap();
        let tabs_p99 = |run: &SimReport| run.tabs.get_latency_p99_ms.unwrap();
        let service_p99 = |run: &SimReport| run.service.get_latency_p99_ms.unwrap();
        // 3 % of copies take 1-3 s: unhedged, the GETs' p99 is in that tail; hedged after 200 ms,
        // a GET stays slow only when both copies are (0.09 %).
        assert!(p99(&none) > 1_500, "{}", p99(&none));
        assert!(
            p99(&unlimited) < 400 && p99(&unlimited) * 4 < p99(&none),
            "p99 GET {} ms hedged without limits, {} ms not",
            p99(&unlimited),
            p99(&none)
        );
        assert!(
            unlimited.all.amplification < 1.05,
            "{}",
            unlimited.all.amplification
        );
        // Within the share, only the service's tail is cut: it hedges its slow 2-3 %, under a
        // tenth; a tab sends about 5 requests in the 2 minutes, short of the 10 its first hedge
        // needs (no floor), so the tabs' tail stays.
        assert!(
            service_p99(&hedged) < 400 && service_p99(&hedged) * 4 < service_p99(&none),
            "service p99 GET {} ms hedged, {} ms not",
            service_p99(&hedged),
            service_p99(&none)
        );
        assert!(
            hedged.service.amplification < 1.05,
            "{}",
            hedged.service.amplification
        );
        assert!(tabs_p99(&hedged) > 1_500, "{}", tabs_p99(&hedged));
        assert!(
            hedged.tabs.amplification < 1.002,
            "{}",
            hedged.tabs.amplification
        );
        assert_eq!(none.hedges, 0);
        for run in [&hedged, &unlimited] {
            // No failures, so no retries: every attempt beyond one per request is a hedge.
            assert_eq!(run.all.attempts, run.all.requests + run.hedges);
            assert!(run.hedges_won <= run.hedges && run.hedges_won > run.hedges * 9 / 10);
        }
        // The p95 needs 20 responses of the client's own: the service has them, a tab sending one
        // request per 25 s does not, so only the service's tail is cut.
        assert!(
            service_p99(&p95) * 4 < service_p99(&none),
            "service p99 GET {} ms at p95, {} ms not",
            service_p99(&p95),
            service_p99(&none)
        );
        assert_eq!(p95.tabs.attempts, none.tabs.attempts);
        for run in [&none, &hedged, &unlimited, &p95] {
            assert_eq!(run.all.success_rate, 1.0);
            assert_eq!(run.compliance.total(), 0, "{:?}", run.compliance);
        }
    }
}

#[test]
fn the_share_keeps_hedges_from_holding_a_server_that_slows_with_load_degraded() {
    // Past its knee the server slows every request it serves, so GETs pass a fixed 200 ms and are
    // hedged, which slows it further: without limits the load stays up after the traffic spike
    // has ended.
    let seed = 1;
    let none = run("slow-tail-load", &off(), seed);
    let limited = run("slow-tail-load", &fixed(true), seed);
    let unlimited = run("slow-tail-load", &fixed(false), seed);
    let p95 = run("slow-tail-load", &at_p95(), seed);
    let after = |run: &SimReport| run.all.amplification_after.unwrap();
    assert!(none.all.amplification < 1.02, "{}", none.all.amplification);
    assert!(after(&unlimited) > 1.4, "{}", after(&unlimited));
    // The tabs: the budget's floor (10 a window) is more than a tab's whole traffic, so the
    // budget alone never refused a tab's hedge (their load was 1.44, as without limits). The
    // share has no floor: a tab sends about 8 requests in the run, short of the 10 before its
    // first hedge, and the tabs' load stays close to unhedged (1.016 against 1.002 at this scale
    // and seed; a few tabs reach 10).
    assert!(
        limited.tabs.amplification < none.tabs.amplification + 0.03,
        "tabs' load {} within the share, {} unhedged",
        limited.tabs.amplification,
        none.tabs.amplification
    );
    assert!(
        unlimited.tabs.amplification > 1.3,
        "{}",
        unlimited.tabs.amplification
    );
    // The service: at most a tenth of its last 100 requests hedged.
    assert!(
        limited.service.amplification <= 1.1,
        "service load {} within the share",
        limited.service.amplification
    );
    // So the server is not held degraded: the load after the spike and the median GET stay
    // near unhedged.
    assert!(
        after(&limited) < after(&none) + 0.1,
        "load after the spike {} within the share, {} unhedged",
        after(&limited),
        after(&none)
    );
    let p50 = |run: &SimReport| run.all.get_latency_p50_ms.unwrap();
    assert!(
        p50(&limited) * 2 < p50(&none) * 3 && p50(&unlimited) > p50(&none) * 4,
        "p50 GET {} ms within the share, {} ms without limits, {} ms unhedged",
        p50(&limited),
        p50(&unlimited),
        p50(&none)
    );
    // A delay that follows the observed latency moves up with the server's slowness.
    assert!(p95.all.amplification < 1.1, "{}", p95.all.amplification);
    for run in [&limited, &unlimited, &p95] {
        assert_eq!(run.compliance.total(), 0, "{:?}", run.compliance);
    }
}

#[test]
fn hedging_does_not_make_an_outage_worse() {
    // Refused connections answer in about 30 ms, long before any hedge delay.
    for seed in [1, 2] {
        let none = run("outage", &off(), seed);
        for variant in hedge_variants() {
            let hedged = run("outage", &variant, seed);
            let (load, baseline) = (
                hedged.all.amplification_fault.unwrap(),
                none.all.amplification_fault.unwrap(),
            );
            assert!(
                load <= baseline + 0.01,
                "{}: load in the outage {load}, {baseline} without hedging",
                variant.label
            );
            assert!(
                hedged.all.success_rate >= none.all.success_rate - 0.001,
                "{}",
                variant.label
            );
            assert_eq!(hedged.all.recovery, none.all.recovery, "{}", variant.label);
            assert_eq!(hedged.compliance.total(), 0, "{}", variant.label);
        }
    }
}

#[test]
fn hedged_runs_are_pure_functions_of_their_inputs() {
    let first = run("slow-tail-load", &fixed(true), 3);
    let again = run("slow-tail-load", &fixed(true), 3);
    assert_eq!(first, again);
    // Hedging off, the same seed offers the same traffic.
    assert_eq!(
        first.all.requests,
        run("slow-tail-load", &off(), 3).all.requests
    );
}
