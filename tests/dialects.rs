// Test code may unwrap, panic and index (the package's code may not: Cargo.toml [lints]).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![cfg(not(target_arch = "wasm32"))]

// The rate-limit dialects of public APIs (tests/dialects/corpus.json: each case as its API's own
// documentation shows it, with its source), classified by the core natively; prints a table of API ×
// cases read as documented. tests/node/dialects.test.mjs runs the same corpus through the package.

use http_verdict::{classify, HeaderBlock, ResponseParts};
use serde_json::Value;

const CORPUS: &str = include_str!("dialects/corpus.json");
/// Mon, 07 Dec 2026 10:00:00 GMT: the client's clock, the `Date` of every case.
const NOW_MS: u64 = 1_796_637_600_000;

#[test]
fn every_dialect_in_the_corpus_is_read_as_its_documentation_says() {
    let corpus: Value = serde_json::from_str(CORPUS).expect("the corpus is JSON");
    let cases = corpus["cases"].as_array().expect("a list of cases");
    assert!(cases.len() >= 10);
    let mut table: Vec<(String, usize)> = Vec::new();
    for case in cases {
        let api = case["api"].as_str().unwrap();
        let name = case["case"].as_str().unwrap();
        assert!(
            case["source"]
                .as_str()
                .is_some_and(|source| source.len() > 20),
            "{name}: a source"
        );
        let block: String = case["headers"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(header, value)| format!("{header}: {}\n", value.as_str().unwrap()))
            .collect();
        let body = case["body"].as_str().filter(|body| !body.is_empty());
        let response = ResponseParts {
            status: case["status"].as_u64().unwrap() as u16,
            headers: HeaderBlock::new(&block),
            body,
        };
        let verdict = classify(&response, NOW_MS, None);
        let kinds: Vec<&str> = case["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|kind| kind.as_str().unwrap())
            .collect();
        assert!(
            kinds.contains(&verdict.kind.id()),
            "{api}, {name}: {verdict:?}"
        );
        if case["noWait"].as_bool() == Some(true) {
            assert_eq!(verdict.retry_after_ms, None, "{api}, {name}");
        } else {
            let wait_ms = verdict
                .retry_after_ms
                .unwrap_or_else(|| panic!("{api}, {name}: no wait read"));
            let at_least = case["waitAtLeastMs"].as_u64().unwrap();
            let at_most = case["waitAtMostMs"].as_u64().unwrap();
            assert!(
                (at_least..=at_most).contains(&wait_ms),
                "{api}, {name}: {wait_ms} ms"
            );
        }
        match table.iter_mut().find(|(known, _)| known == api) {
            Some((_, count)) => *count += 1,
            None => table.push((api.to_string(), 1)),
        }
    }
    println!("| API | cases read as documented |\n|---|---:|");
    for (api, count) in &table {
        println!("| {api} | {count} |");
    }
}
