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
// A case the core does not read yet says so (`"readToday": false`, with the gap): the test holds that
// list exact both ways, so a gap cannot hide and a fix cannot go unnoticed. A case with a wait names
// where it is read (`waitSource`) and how a decision explains it (`explained`), checked here too.

use http_verdict::profile::{Profile, ProfileSpec};
use http_verdict::{classify, HeaderBlock, Outcome, ResponseParts, RetryPolicy, Verdict};
use serde_json::Value;

const CORPUS: &str = include_str!("dialects/corpus.json");
/// The presets a case may name (`profile`), as the `http-verdict/presets` subpath ships them.
const PRESETS: &str = include_str!("../pkg-template/presets.json");

/// The preset `name` as a profile, built from the shipped data.
fn preset(name: &str) -> Profile {
    let presets: Value = serde_json::from_str(PRESETS).unwrap();
    let spec: ProfileSpec = serde_json::from_value(presets[name].clone()).unwrap();
    Profile::new(spec).unwrap()
}
/// Mon, 07 Dec 2026 10:00:00 GMT: the client's clock, the `Date` of every case.
const NOW_MS: u64 = 1_796_637_600_000;

/// Whether the core reads `case` as its documentation says; else what it got instead.
fn read_as_documented(case: &Value) -> Result<(), String> {
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
    let profile = case["profile"].as_str().map(preset);
    let verdict = classify(&response, NOW_MS, profile.as_ref());
    let kinds: Vec<&str> = case["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|kind| kind.as_str().unwrap())
        .collect();
    if !kinds.contains(&verdict.kind.id()) {
        return Err(format!("kind {}", verdict.kind.id()));
    }
    if case["noWait"].as_bool() == Some(true) {
        return match verdict.retry_after_ms {
            None => Ok(()),
            Some(wait_ms) => Err(format!("a wait of {wait_ms} ms")),
        };
    }
    let at_least = case["waitAtLeastMs"].as_u64().unwrap();
    let at_most = case["waitAtMostMs"].as_u64().unwrap();
    match verdict.retry_after_ms {
        Some(wait_ms) if (at_least..=at_most).contains(&wait_ms) => {
            explained_as_documented(case, &verdict)
        }
        Some(wait_ms) => Err(format!("a wait of {wait_ms} ms")),
        None => Err("no wait".into()),
    }
}

/// Whether a verdict's wait names the source the case records, and a default policy's decision on
/// it explains it as the case records (the clause after the verdict).
fn explained_as_documented(case: &Value, verdict: &Verdict) -> Result<(), String> {
    let source = case["waitSource"]
        .as_str()
        .expect("a case with a wait names its waitSource");
    if verdict.wait_source.label() != source {
        return Err(format!("a wait read from {}", verdict.wait_source.label()));
    }
    let explained = case["explained"]
        .as_str()
        .expect("a case with a wait has its explanation");
    assert!(
        explained.contains(source),
        "{explained} does not name {source}"
    );
    let outcome = Outcome {
        now_ms: NOW_MS,
        ..Outcome::new("GET", *verdict)
    };
    let message = RetryPolicy::default().decide(&outcome, None).message();
    match message.split("; ").nth(1) {
        Some(clause) if clause == explained => Ok(()),
        _ => Err(format!("explained as {message:?}")),
    }
}

#[test]
fn every_dialect_in_the_corpus_is_read_as_its_documentation_says_or_listed_as_a_gap() {
    let corpus: Value = serde_json::from_str(CORPUS).expect("the corpus is JSON");
    let cases = corpus["cases"].as_array().expect("a list of cases");
    assert!(cases.len() >= 10);
    // (API, cases read, cases)
    let mut table: Vec<(String, usize, usize)> = Vec::new();
    for case in cases {
        let api = case["api"].as_str().unwrap();
        let name = case["case"].as_str().unwrap();
        assert!(
            case["source"]
                .as_str()
                .is_some_and(|source| source.len() > 20),
            "{name}: a source"
        );
        let read_today = case["readToday"].as_bool().unwrap_or(true);
        let read = read_as_documented(case);
        match (&read, read_today) {
            (Ok(()), false) => panic!("{api}, {name}: read now; remove its readToday: false"),
            (Err(got), true) => panic!("{api}, {name}: {got}"),
            (Err(_), false) => assert!(
                case["gap"].as_str().is_some_and(|gap| !gap.is_empty()),
                "{api}, {name}: a gap says what is not read"
            ),
            (Ok(()), true) => {}
        }
        let row = match table.iter_mut().position(|(known, _, _)| known == api) {
            Some(index) => index,
            None => {
                table.push((api.to_string(), 0, 0));
                table.len() - 1
            }
        };
        table[row].1 += usize::from(read.is_ok());
        table[row].2 += 1;
    }
    println!("| API | cases read as documented |\n|---|---:|");
    for (api, read, all) in &table {
        println!("| {api} | {read} of {all} |");
    }
}
