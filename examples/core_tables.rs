//! Writes the core's tables for the npm package (`scripts/build.sh` runs it before bundling), as
//! `target/core-tables/tables.json`, which the package's JavaScript bundles: the verdicts' words
//! (every kind's id, family, title, description, retry scope and action, every transport detail,
//! the reason phrase of every status), the decision reasons' ids, the method names by code, the
//! header names the built-in rules read, the documented table's kinds and the sentences of an
//! invalid status. Written here, from the Rust tables, they stay written once; the wasm carries
//! none of them (4 KB gzip of text and code it shipped only to hand them to JavaScript).
//!
//! It also writes `samples.json`: verdicts described by the core itself (every status with its
//! default kind, every kind at its documented status and at other statuses, and thrown values that
//! give every transport detail), which `tests/node/core-tables.test.mjs` compares field by field
//! with what the package builds from the tables.
//!
//! Usage: `cargo run --quiet --example core_tables -- <output directory>`.

use std::{env, fs, path::PathBuf};

use http_verdict::decision::Reason;
use http_verdict::headers::CORE_HEADER_NAMES;
use http_verdict::kind::{Family, Kind, RetryScope};
use http_verdict::method::Method;
use http_verdict::status::reason_phrase;
use http_verdict::status::{NOT_AN_INTEGER, OUT_OF_RANGE};
use http_verdict::transport::TransportDetail;
use http_verdict::{classify_error, ErrorShape, InputError, Verdict};
use serde_json::{json, Value};

/// Thrown values (name, message, cause code) that between them give every transport detail; the
/// last's cause says why (a redirect loop).
const ERROR_SHAPES: [(&str, &str, &str); 15] = [
    ("TypeError", "fetch failed", "ECONNREFUSED"),
    ("TypeError", "fetch failed", "ENOTFOUND"),
    ("TypeError", "fetch failed", "EHOSTUNREACH"),
    ("TypeError", "fetch failed", "UND_ERR_CONNECT_TIMEOUT"),
    (
        "TypeError",
        "fetch failed",
        "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    ),
    ("TypeError", "fetch failed", "ECONNRESET"),
    ("TypeError", "fetch failed", "UND_ERR_HEADERS_TIMEOUT"),
    ("TypeError", "fetch failed", "UND_ERR_BODY_TIMEOUT"),
    ("TypeError", "Failed to fetch", ""),
    ("TimeoutError", "signal timed out", ""),
    ("AbortError", "signal is aborted without reason", ""),
    ("RangeError", "Invalid array length", ""),
    ("TypeError", "fetch failed", "ERR_INVALID_URL"),
    ("TypeError", "fetch failed", "UND_ERR_RES_EXCEEDED_MAX_SIZE"),
    ("TypeError", "fetch failed", "redirect count exceeded"),
];

fn scope_code(scope: RetryScope) -> u8 {
    match scope {
        RetryScope::Never => 0,
        RetryScope::IdempotentOnly => 1,
        RetryScope::AnyMethod => 2,
    }
}

/// A verdict as the package's JavaScript shows it (`describe` in pkg-template/verdict.js).
fn described(verdict: &Verdict) -> Value {
    json!({
        "status": verdict.status,
        "kind": verdict.kind.id(),
        "family": verdict.family().id(),
        "title": verdict.title(),
        "description": verdict.description(),
        "retryable": verdict.retryable(),
        "action": verdict.action().id(),
        "neverProcessed": verdict.never_processed(),
        "detail": verdict.detail.map(TransportDetail::id),
    })
}

fn verdict(status: Option<u16>, kind: Kind, detail: Option<TransportDetail>) -> Verdict {
    Verdict {
        status,
        kind,
        retry_after_ms: None,
        detail,
        server_retry: None,
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let directory = PathBuf::from(
        env::args()
            .nth(1)
            .ok_or("usage: core_tables <output directory>")?,
    );
    fs::create_dir_all(&directory)?;

    let kinds: Vec<Value> = Kind::ALL
        .iter()
        .map(|kind| {
            json!([
                kind.id(),
                kind.family().id(),
                kind.title(),
                kind.description(),
                scope_code(kind.retry_scope()),
                kind.action().id(),
                kind.documented_status().unwrap_or(0),
            ])
        })
        .collect();
    let details: Vec<Value> = TransportDetail::ALL
        .iter()
        .map(|detail| json!([detail.id(), detail.never_sent()]))
        .collect();
    let phrases: serde_json::Map<String, Value> = (100..=599)
        .filter_map(|status| Some((status.to_string(), json!(reason_phrase(status)?))))
        .collect();
    // The family of a status, by its class (1xx to 5xx).
    let classes: Vec<&str> = (1..=5)
        .filter_map(|class| Family::of_status(class * 100))
        .map(Family::id)
        .collect();
    let status_problems =
        [NOT_AN_INTEGER, OUT_OF_RANGE].map(|problem| InputError::status(problem).message());
    let table = json!({
        "kinds": kinds,
        "details": details,
        "phrases": phrases,
        "classes": classes,
        "reasons": Reason::ALL.iter().map(|reason| reason.id()).collect::<Vec<_>>(),
        "methods": Method::KNOWN.iter().filter_map(|method| method.name()).collect::<Vec<_>>(),
        "headers": CORE_HEADER_NAMES,
        // What `codes()` lists: the documented codes, then the transport kinds, by kind index.
        "documented": Kind::documented().map(Kind::index).collect::<Vec<_>>(),
        // By invalid-status key (INVALID_STATUS_KEY in src/wasm/classify.rs, then the next one).
        "statusProblems": status_problems,
    });
    fs::write(directory.join("tables.json"), format!("{table}\n"))?;

    let mut samples = Vec::new();
    for status in 100..=599 {
        if let Some(kind) = Kind::for_status(status) {
            samples.push(described(&verdict(Some(status), kind, None)));
        }
    }
    for &kind in Kind::ALL.iter().filter(|kind| !kind.is_transport()) {
        let documented = kind.documented_status();
        for status in documented.into_iter().chain([200, 299, 404, 418, 503, 599]) {
            samples.push(described(&verdict(Some(status), kind, None)));
        }
    }
    let mut errors = Vec::new();
    let mut covered = Vec::new();
    for (name, message, code) in ERROR_SHAPES {
        // Codes are upper case; anything else is the cause's message.
        let is_code = code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_');
        let shape = ErrorShape {
            name,
            message,
            cause_code: if is_code { code } else { "" },
            cause_message: if is_code { "" } else { code },
            ..Default::default()
        };
        let verdict = classify_error(&shape);
        covered.extend(verdict.detail);
        errors.push(json!({
            "error": {
                "name": name,
                "message": message,
                "cause": if is_code { json!({"code": code}) } else { json!({"message": code}) },
            },
            "verdict": described(&verdict),
        }));
    }
    let missing: Vec<&str> = TransportDetail::ALL
        .iter()
        .filter(|detail| !covered.contains(detail))
        .map(|detail| detail.id())
        .collect();
    if !missing.is_empty() {
        return Err(format!("ERROR_SHAPES covers no error of {missing:?}").into());
    }
    let samples = json!({"responses": samples, "errors": errors});
    fs::write(directory.join("samples.json"), format!("{samples}\n"))?;
    Ok(())
}
