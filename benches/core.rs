// Test, bench and example code may unwrap, panic and index (the package's code may not: Cargo.toml [lints]).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Native cost of the core's per-request work: `classify` and `decide`, without and with headers.
//!
//! Run with `cargo bench --bench core` (or `bash scripts/bench.sh`, which also runs the JS side).
//! A plain loop with `std::hint::black_box` keeps the figures comparable with the JS benchmark,
//! which measures the same calls through the wasm boundary; this is a benchmark, not a test.

use std::hint::black_box;
use std::time::Instant;

use http_verdict::{classify, HeaderBlock, Outcome, ResponseParts, RetryOptions, RetryPolicy};

const NOW_MS: u64 = 1_795_514_400_000;
const STATUSES: [u16; 6] = [200, 503, 404, 500, 429, 301];

/// Runs `body` for about half a second after a warm-up and returns ns per call.
fn measure(mut body: impl FnMut(usize) -> u64) -> f64 {
    let mut sink = 0u64;
    for index in 0..100_000 {
        sink = sink.wrapping_add(body(index));
    }
    let mut iterations = 200_000usize;
    loop {
        let started = Instant::now();
        for index in 0..iterations {
            sink = sink.wrapping_add(body(index));
        }
        let elapsed = started.elapsed();
        if elapsed.as_millis() >= 300 {
            black_box(sink);
            return elapsed.as_nanos() as f64 / iterations as f64;
        }
        iterations *= 2;
    }
}

fn main() {
    let policy = match RetryPolicy::new(RetryOptions {
        seed: 1,
        ..RetryOptions::default()
    }) {
        Ok(policy) => policy,
        Err(error) => panic!("default options are valid: {error}"),
    };
    let headers = "retry-after: 2\ndate: Tue, 24 Nov 2026 10:00:00 GMT\nx-ratelimit-remaining: 0";
    let bare = |index: usize| ResponseParts {
        status: STATUSES[index % STATUSES.len()],
        headers: HeaderBlock::empty(),
        body: None,
    };
    let with_headers = |index: usize| ResponseParts {
        status: STATUSES[index % STATUSES.len()],
        headers: HeaderBlock::new(black_box(headers)),
        body: None,
    };

    let rows = [
        (
            "classify(status)",
            measure(|index| classify(black_box(&bare(index)), NOW_MS, None).kind as u64),
        ),
        (
            "classify(status, headers)",
            measure(|index| {
                classify(black_box(&with_headers(index)), NOW_MS, None)
                    .retry_after_ms
                    .unwrap_or(0)
            }),
        ),
        (
            "decide(classified outcome)",
            measure(|index| {
                let outcome = Outcome {
                    attempt: 1,
                    now_ms: NOW_MS,
                    ..Outcome::new("GET", classify(&bare(index), NOW_MS, None))
                };
                policy.decide(black_box(&outcome), None).delay_ms
            }),
        ),
        (
            "classify + decide with headers",
            measure(|index| {
                let outcome = Outcome {
                    attempt: 1,
                    now_ms: NOW_MS,
                    ..Outcome::new("GET", classify(&with_headers(index), NOW_MS, None))
                };
                policy.decide(black_box(&outcome), None).delay_ms
            }),
        ),
    ];
    println!("native core ({}):", std::env::consts::ARCH);
    for (name, ns) in rows {
        println!("  {name:<34} {ns:>8.1} ns/call");
    }
}
