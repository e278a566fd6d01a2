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
//! with what the package builds from the tables; and the core's decision sentences for the answers
//! of the dialect corpus (tests/dialects/corpus.json) and for the origin's throttle gate, which
//! between them name every wait source, for the package's sentences to equal.
//!
//! Usage: `cargo run --quiet --example core_tables -- <output directory>`.

use std::collections::BTreeMap;
use std::{env, fs, path::PathBuf};

use http_verdict::backoff::Jitter;
use http_verdict::client_state::{state_defaults, STATE_CHECKS};
use http_verdict::decision::Reason;
use http_verdict::headers::CORE_HEADER_NAMES;
use http_verdict::kind::{Family, Kind, RetryScope};
use http_verdict::method::Method;
use http_verdict::option_check::{Check, CheckStep};
use http_verdict::options::{
    retry_defaults, JITTER_PROBLEM, OVERRIDE_STATUS_CHECK, REPEATED_STATUS_PROBLEM, RETRY_CHECKS,
    STATUS_PROBLEM,
};
use http_verdict::profile::{self, Profile, ProfileSpec};
use http_verdict::status::reason_phrase;
use http_verdict::status::{NOT_AN_INTEGER, OUT_OF_RANGE};
use http_verdict::transport::TransportDetail;
use http_verdict::{classify, classify_error, ErrorShape, InputError, Verdict, WaitSource};
use http_verdict::{ClientState, HeaderBlock, Outcome, ResponseParts, RetryPolicy};
use http_verdict::{ClientStateOptions, ClientStateSpec, RetryOptions, RetryOptionsSpec};
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
        wait_source: WaitSource::RETRY_AFTER,
        detail,
        server_retry: None,
    }
}

/// The dialect corpus, whose answers state their waits in every way the core reads one, and the
/// presets its cases may name.
const CORPUS: &str = include_str!("../tests/dialects/corpus.json");
const PRESETS: &str = include_str!("../pkg-template/presets.json");
/// The client's clock for the decision samples: the `Date` of every corpus case.
const CORPUS_NOW_MS: u64 = 1_796_637_600_000;
/// The origin of the decision samples, whose throttle gate the later answers of a sample meet.
const ORIGIN: &str = "https://api.test";

/// Answers decided one after another on one client state, the last one under the throttle gate the
/// first closed (with the wait it stated, or the policy's fallback for a 429 that stated none): the
/// gate's wait, longer than the answer's own, is the one the sentence names.
fn gate_samples() -> Value {
    json!([
        [
            {"status": 429, "headers": {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "30"}},
            {"status": 503, "headers": {"retry-after": "1"}},
        ],
        [
            {"status": 429, "headers": {}},
            {"status": 503, "headers": {}},
        ],
    ])
}

/// An answer of a decision sample: a corpus case, or one of [`gate_samples`].
#[derive(serde::Deserialize, serde::Serialize)]
struct Answer {
    status: u16,
    headers: BTreeMap<String, String>,
    #[serde(default)]
    body: String,
    /// A preset of pkg-template/presets.json that classifies the answer.
    profile: Option<String>,
}

/// Decisions with their sentences: each sample is answers (status, headers, body, a preset's name)
/// decided in order, attempt 1 of a GET each, by a policy with seed 1 on one fresh client state at
/// [`CORPUS_NOW_MS`]; tests/node/core-tables.test.mjs decides the same through the package.
fn decision_samples() -> Result<Vec<Value>, Box<dyn std::error::Error>> {
    #[derive(serde::Deserialize)]
    struct Corpus {
        cases: Vec<Answer>,
    }
    let corpus: Corpus = serde_json::from_str(CORPUS)?;
    let presets: BTreeMap<String, ProfileSpec> = serde_json::from_str(PRESETS)?;
    let mut samples: Vec<Vec<Answer>> = corpus.cases.into_iter().map(|case| vec![case]).collect();
    samples.extend(serde_json::from_value::<Vec<Vec<Answer>>>(gate_samples())?);
    let policy = RetryPolicy::new(RetryOptions {
        seed: 1,
        ..RetryOptions::default()
    })?;
    let mut written = Vec::new();
    let mut named = Vec::new();
    for answers in samples {
        let preset = answers.first().and_then(|answer| answer.profile.as_ref());
        let profile = match preset {
            Some(name) => Some(Profile::new(
                presets.get(name).ok_or("an unknown preset")?.clone(),
            )?),
            None => None,
        };
        let mut state = ClientState::default();
        let mut messages = Vec::new();
        for answer in &answers {
            let block: String = answer
                .headers
                .iter()
                .map(|(name, value)| format!("{name}: {value}\n"))
                .collect();
            let response = ResponseParts {
                status: answer.status,
                headers: HeaderBlock::new(&block),
                body: Some(answer.body.as_str()).filter(|body| !body.is_empty()),
            };
            let verdict = classify(&response, CORPUS_NOW_MS, profile.as_ref());
            let outcome = Outcome {
                now_ms: CORPUS_NOW_MS,
                origin: ORIGIN,
                ..Outcome::new("GET", verdict)
            };
            let decision = policy.decide(&outcome, Some(&mut state));
            if decision.wait_hint_ms.is_some() {
                named.push(decision.wait_source());
            }
            messages.push(decision.message());
        }
        written.push(json!({"answers": answers, "messages": messages}));
    }
    let missing: Vec<&str> = WaitSource::all()
        .filter(|source| !named.contains(source))
        .map(WaitSource::label)
        .collect();
    if !missing.is_empty() {
        return Err(format!("no decision sample names {missing:?}").into());
    }
    Ok(written)
}

/// A float for JSON, which has no infinities: `Infinity` becomes the string that JavaScript's
/// `Number()` reads back.
fn number(value: f64) -> Value {
    if value.is_infinite() {
        json!(if value > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        json!(value)
    }
}

/// A concept's checks as pkg-template/checks.js runs them: one row per check, in order, each
/// `[code, field, slot, a, b, problem]` (slots count among all the concept's numbers):
/// 0 an integer from a to b; 1 milliseconds, Infinity becoming a (null: refused); 2 a number above
/// a and at most b; 3 a number from a to b; 4 at most the value in slot a; 5 the jitter, one of the
/// ids a; 6 each status override's status, an integer from a to b; 7 no status listed twice.
fn check_rows(steps: &[CheckStep]) -> Vec<Value> {
    let mut rows = Vec::new();
    for step in steps {
        match *step {
            CheckStep::Numbers { prefix, at, table } => {
                for option in table {
                    let field = if prefix.is_empty() {
                        option.name.to_string()
                    } else {
                        format!("{prefix}.{}", option.name)
                    };
                    let slot = u32::from(at) + u32::from(option.slot);
                    let (code, a, b) = match option.check {
                        Check::Integer(min, max) => (0, number(min), number(max)),
                        Check::Millis(infinity) => {
                            (1, infinity.map_or(Value::Null, number), json!(0))
                        }
                        Check::Number {
                            min,
                            above: true,
                            max,
                        } => (2, number(min), number(max)),
                        Check::Number {
                            min,
                            above: false,
                            max,
                        } => (3, number(min), number(max)),
                        Check::AtMost(bound) => {
                            (4, json!(u32::from(at) + u32::from(bound)), json!(0))
                        }
                    };
                    rows.push(json!([code, field, slot, a, b, option.problem]));
                }
            }
            CheckStep::Jitter => {
                let ids: Vec<&str> = Jitter::ALL.iter().map(|jitter| jitter.id()).collect();
                rows.push(json!([5, "jitter", 0, ids, 0, JITTER_PROBLEM]));
            }
            CheckStep::StatusOverrides => {
                let Check::Integer(min, max) = OVERRIDE_STATUS_CHECK else {
                    unreachable!("a status override's status is checked as an integer");
                };
                rows.push(json!([6, "statusOverrides", 0, min, max, STATUS_PROBLEM]));
            }
            CheckStep::RepeatedStatus => {
                rows.push(json!([
                    7,
                    "statusOverrides",
                    0,
                    0,
                    0,
                    REPEATED_STATUS_PROBLEM
                ]));
            }
        }
    }
    rows
}

/// Values at the edges of every range an option has, for the refusal samples.
const EDGE_VALUES: [f64; 18] = [
    -1.0,
    -0.5,
    0.0,
    0.25,
    1.0,
    1.5,
    9.0,
    10.0,
    64.0,
    65.0,
    1_000.0,
    1_000.5,
    1_001.0,
    4_096.0,
    4_097.0,
    4_294_967_296.0,
    9_007_199_254_740_992.0,
    1e308,
];

/// Options or profiles the core checks natively, each with the sentence it refuses it with (null:
/// accepted): tests/node/checks.test.mjs holds the package's JavaScript checks to the same.
fn refusals() -> Result<Vec<Value>, Box<dyn std::error::Error>> {
    let mut cases: Vec<(&str, Value)> = Vec::new();
    for (concept, steps) in [("retry", &RETRY_CHECKS[..]), ("state", &STATE_CHECKS[..])] {
        for step in steps {
            let CheckStep::Numbers { prefix, table, .. } = *step else {
                continue;
            };
            // NOTE: `methods` crosses as a bit mask of names, which the native API reads by name.
            for option in table.iter().filter(|option| option.name != "methods") {
                for value in EDGE_VALUES {
                    let field = json!({ option.name: value });
                    let options = if prefix.is_empty() {
                        field
                    } else {
                        json!({ prefix: field })
                    };
                    cases.push((concept, options));
                }
            }
        }
    }
    let overrides = |statuses: &[f64]| json!({"statusOverrides": statuses.iter().map(|status| json!({"status": status, "retry": true})).collect::<Vec<_>>()});
    for options in [
        json!({"jitter": "fast"}),
        json!({"jitter": "none"}),
        json!({"maxAttempts": 0, "jitter": "fast"}),
        json!({"jitter": "fast", "deadlineMs": -1}),
        json!({"deadlineMs": -1, "statusOverrides": [{"status": 200, "retry": true}]}),
        json!({"seed": -1, "statusOverrides": [{"status": 200, "retry": true}]}),
        json!({"multiplier": 0, "statusOverrides": [{"status": 503, "retry": true}, {"status": 503, "retry": false}]}),
        json!({"statusCodes": [503, 503]}),
        json!({"statusCodes": [429, 200]}),
        overrides(&[399.0]),
        overrides(&[599.5]),
        overrides(&[500.0, 600.0]),
        overrides(&[500.0, 502.0, 500.0]),
        overrides(&[408.0, 429.0, 503.0]),
    ] {
        cases.push(("retry", options));
    }
    for options in [
        json!({"circuitBreaker": {"window": 5}}),
        json!({"circuitBreaker": {"window": 5, "minCalls": 5}}),
        json!({"circuitBreaker": {"window": 64, "minCalls": 64}}),
        json!({"circuitBreaker": {"window": 8, "minCalls": 9}}),
        json!({"circuitBreaker": {"enabled": false, "window": 0}}),
        json!({"circuitBreaker": {"failureRatio": 0, "window": 0}}),
        json!({"retryBudget": {"windowMs": 0.5}}),
        json!({"retryBudget": {"ratio": 2, "windowMs": 0}}),
        json!({"retryBudget": {"minRetries": -1}, "circuitBreaker": {"window": 0}, "maxOrigins": 0}),
    ] {
        cases.push(("state", options));
    }
    let rule = |fields: Value| json!({"rules": [fields]});
    let long = "x".repeat(257);
    // 129 two-byte characters: 258 bytes, though 129 UTF-16 code units.
    let wide = "é".repeat(129);
    let many_rules: Vec<Value> = (0..257)
        .map(|_| json!({"status": 404, "kind": "not_found"}))
        .collect();
    let header_rule = |includes: &str| json!({"status": 429, "kind": "throttled", "header": {"name": "x-limit", "includes": includes}});
    for options in [
        rule(json!({"status": 99, "kind": "throttled"})),
        rule(json!({"status": 404.5, "kind": "throttled"})),
        rule(json!({"status": 600, "kind": "throttled"})),
        rule(json!({"status": 404, "kind": "nope"})),
        rule(json!({"status": 404, "kind": "Throttled"})),
        rule(json!({"status": 404, "kind": "network_error"})),
        rule(json!({"status": 404, "kind": "wrong_identifier", "bodyIncludes": vec!["a"; 65]})),
        rule(json!({"status": 404, "kind": "wrong_identifier", "bodyIncludes": vec!["a"; 64]})),
        rule(json!({"status": 404, "kind": "wrong_identifier", "bodyIncludes": ["ok", " \t\n"]})),
        rule(json!({"status": 404, "kind": "wrong_identifier", "bodyIncludes": [""]})),
        rule(json!({"status": 404, "kind": "wrong_identifier", "bodyIncludes": [long]})),
        rule(json!({"status": 404, "kind": "wrong_identifier", "bodyIncludes": [wide]})),
        rule(json!({"status": 404, "kind": "wrong_identifier", "bodyIncludes": ["\u{b}"]})),
        rule(json!({"status": 429, "kind": "throttled", "header": {"name": "bad name"}})),
        rule(json!({"status": 429, "kind": "throttled", "header": {"name": ""}})),
        rule(json!({"status": 429, "kind": "throttled", "header": {"name": "x-é"}})),
        rule(json!({"status": 429, "kind": "throttled", "header": {"name": long}})),
        rule(
            json!({"status": 429, "kind": "throttled", "header": {"name": "X_Limit!#$%&'*+-.^`|~9"}}),
        ),
        rule(
            json!({"status": 429, "kind": "throttled", "header": {"name": "x", "equals": "a", "includes": "b"}}),
        ),
        rule(
            json!({"status": 429, "kind": "throttled", "header": {"name": "x", "equals": "a\nb"}}),
        ),
        rule(
            json!({"status": 429, "kind": "throttled", "header": {"name": "x", "includes": "a\rb"}}),
        ),
        rule(
            json!({"status": 429, "kind": "throttled", "header": {"name": "x", "includes": wide}}),
        ),
        rule(json!({"status": 429, "kind": "throttled", "header": {"name": "x", "equals": long}})),
        json!({"rules": many_rules}),
        json!({"rules": (0..8).map(|_| header_rule(&"y".repeat(256))).collect::<Vec<_>>()}),
        json!({"rules": (0..9).map(|_| header_rule(&"y".repeat(256))).collect::<Vec<_>>()}),
        json!({"rules": vec![json!({"status": 404, "kind": "not_found", "bodyIncludes": ["z".repeat(256)]}); 17]}),
        json!({"rules": [{"status": 404, "kind": "not_found"}, {"status": 1, "kind": "nope"}]}),
    ] {
        cases.push(("profile", options));
    }
    let mut samples = Vec::new();
    for (concept, options) in cases {
        let refused = match concept {
            "retry" => {
                RetryOptions::try_from(serde_json::from_value::<RetryOptionsSpec>(options.clone())?)
                    .err()
            }
            "state" => ClientStateOptions::try_from(serde_json::from_value::<ClientStateSpec>(
                options.clone(),
            )?)
            .err(),
            _ => Profile::new(serde_json::from_value::<ProfileSpec>(options.clone())?).err(),
        };
        samples.push(json!({
            "concept": concept,
            "options": options,
            "message": refused.map(|error| error.message()),
        }));
    }
    Ok(samples)
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
        // Where a wait was read, by the index a verdict key carries; the last is the origin's
        // throttle gate (pkg-template/sentences.js).
        "waitSources": WaitSource::all().map(WaitSource::label).collect::<Vec<_>>(),
        // What `codes()` lists: the documented codes, then the transport kinds, by kind index.
        "documented": Kind::documented().map(Kind::index).collect::<Vec<_>>(),
        // By invalid-status key (INVALID_STATUS_KEY in src/wasm/classify.rs, then the next one).
        "statusProblems": status_problems,
        // What pkg-template/checks.js checks before options and profiles cross into the core,
        // which in the package checks nothing itself (CHECKED_HERE in src/option_check.rs).
        "checks": {
            "retry": {"defaults": retry_defaults().map(number), "rows": check_rows(&RETRY_CHECKS)},
            "state": {"defaults": state_defaults().map(number), "rows": check_rows(&STATE_CHECKS)},
            "profile": {
                "limits": [
                    profile::MAX_RULES,
                    profile::MAX_PATTERNS_PER_RULE,
                    profile::MAX_PATTERN_BYTES,
                    profile::MAX_PROFILE_PATTERN_BYTES,
                ],
                "problems": {
                    "status": profile::STATUS_PROBLEM,
                    "transportKind": profile::TRANSPORT_KIND_PROBLEM,
                    "unknownKind": profile::UNKNOWN_KIND_PROBLEM,
                    "patternCount": profile::PATTERN_COUNT_PROBLEM,
                    "pattern": profile::PATTERN_PROBLEM,
                    "headerName": profile::HEADER_NAME_PROBLEM,
                    "headerValue": profile::HEADER_VALUE_PROBLEM,
                    "headerBoth": profile::HEADER_BOTH_PROBLEM,
                    "ruleCount": profile::RULE_COUNT_PROBLEM,
                    "patternBytes": profile::PATTERN_BYTES_PROBLEM,
                },
            },
        },
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
    if WaitSource::all().last() != Some(WaitSource::ORIGIN_GATE) {
        return Err("the origin's throttle gate is no longer the last wait source".into());
    }
    let samples = json!({
        "responses": samples,
        "errors": errors,
        "refusals": refusals()?,
        "decisions": decision_samples()?,
    });
    fs::write(directory.join("samples.json"), format!("{samples}\n"))?;
    Ok(())
}
