// Test code may unwrap, panic and index (the package's code may not: Cargo.toml [lints]).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![cfg(not(target_arch = "wasm32"))]

// The numbers both sides of the wasm boundary must agree on: admission codes, the bits of
// `decide`'s flags and of the option masks, the result slots JS reads from wasm memory, the key that
// says a status is invalid, a verdict key's bits and the bits of a profile rule's fields. The bindings (src/wasm/) are
// compiled for wasm only, so this reads both sources as text: a code changed on one side and not
// the other fails here instead of in a user's decision.

const RUST: [(&str, &str); 4] = [
    ("src/wasm/mod.rs", include_str!("../src/wasm/mod.rs")),
    ("src/wasm/policy.rs", include_str!("../src/wasm/policy.rs")),
    (
        "src/wasm/classify.rs",
        include_str!("../src/wasm/classify.rs"),
    ),
    (
        "src/wasm/profile.rs",
        include_str!("../src/wasm/profile.rs"),
    ),
];
const JS: [(&str, &str); 5] = [
    (
        "pkg-template/policy.js",
        include_str!("../pkg-template/policy.js"),
    ),
    (
        "pkg-template/results.js",
        include_str!("../pkg-template/results.js"),
    ),
    (
        "pkg-template/tables.js",
        include_str!("../pkg-template/tables.js"),
    ),
    (
        "pkg-template/stand-in.js",
        include_str!("../pkg-template/stand-in.js"),
    ),
    (
        "pkg-template/verdict.js",
        include_str!("../pkg-template/verdict.js"),
    ),
];

/// Each Rust constant and the JS constant that must hold the same 32-bit value.
const PAIRS: [(&str, &str); 25] = [
    ("ADMISSION_WAIT", "ADMISSION_WAIT"),
    ("ADMISSION_REJECTED", "ADMISSION_REJECTED"),
    ("HAS_IDEMPOTENCY_KEY", "HAS_IDEMPOTENCY_KEY"),
    ("BODY_REPLAYABLE", "BODY_REPLAYABLE"),
    ("CALLER_RETRIES", "CALLER_RETRIES"),
    ("CALLER_DECLINES", "CALLER_DECLINES"),
    ("OFFLINE", "OFFLINE"),
    ("JITTER_GIVEN", "JITTER_GIVEN"),
    ("NO_STATE", "NO_STATE"),
    ("RETRY_AFTER_SLOT", "RETRY_AFTER"),
    ("DELAY_SLOT", "DELAY"),
    ("RETRY_SLOT", "RETRY"),
    ("HINT_SLOT", "HINT"),
    ("LIMIT_SLOT", "LIMIT"),
    ("ADMISSION_SLOT", "ADMISSION"),
    ("GATE_SLOT", "GATE"),
    ("QUOTA_SLOT", "QUOTA"),
    ("OPEN_SLOT", "OPEN"),
    ("BREAKER_SLOT", "BREAKER"),
    ("BUDGET_SLOT", "BUDGET"),
    ("INVALID_STATUS_KEY", "INVALID_STATUS_KEY"),
    ("KIND_BITS", "KIND_BITS"),
    ("STATUS_BITS", "STATUS_BITS"),
    ("DETAIL_BITS", "DETAIL_BITS"),
    ("WAIT_SOURCE_BITS", "WAIT_SOURCE_BITS"),
];

/// The text after `const NAME` up to its `;` in the one file of `sources` that declares it.
fn declaration<'a>(sources: &[(&str, &'a str)], name: &str) -> &'a str {
    let found: Vec<&str> = sources
        .iter()
        .flat_map(|(_, text)| {
            text.lines().filter_map(move |line| {
                let line = line.trim_start();
                let line = line.strip_prefix("pub(crate) ").unwrap_or(line);
                let line = line.strip_prefix("export ").unwrap_or(line);
                let rest = line.strip_prefix("const ")?.strip_prefix(name)?;
                rest.starts_with([':', ' ', '=']).then_some(rest)
            })
        })
        .collect();
    let files: Vec<&str> = sources.iter().map(|(path, _)| *path).collect();
    assert_eq!(found.len(), 1, "`const {name}` in {files:?}: {found:?}");
    let value = found[0].split_once('=').expect("an initialiser").1;
    value.split(';').next().unwrap().trim()
}

/// The value of the constant expressions both sides use: a decimal or hex literal (with `_`),
/// `A << B`, `u32::MAX - N` and `u8::MAX`, as the 32 bits that cross the boundary.
fn evaluate(expression: &str) -> u32 {
    let literal = |text: &str| -> u64 {
        let text = text.trim().replace('_', "");
        match text.as_str() {
            "u32::MAX" => u64::from(u32::MAX),
            "u8::MAX" => u64::from(u8::MAX),
            _ => match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => text.parse(),
            }
            .unwrap_or_else(|_| panic!("not a literal: {text:?}")),
        }
    };
    let value = if let Some((left, right)) = expression.split_once("<<") {
        literal(left) << literal(right)
    } else if let Some((left, right)) = expression.split_once(" - ") {
        literal(left) - literal(right)
    } else {
        literal(expression)
    };
    u32::try_from(value).unwrap_or_else(|_| panic!("{expression} exceeds 32 bits"))
}

#[test]
fn both_sides_of_the_boundary_use_the_same_codes() {
    for (rust_name, js_name) in PAIRS {
        let rust = declaration(&RUST, rust_name);
        let js = declaration(&JS, js_name);
        assert_eq!(
            evaluate(rust),
            evaluate(js),
            "Rust {rust_name} = {rust}, JS {js_name} = {js}"
        );
    }
}

#[test]
fn the_evaluator_reads_each_form() {
    assert_eq!(evaluate("1 << 31"), 0x8000_0000);
    assert_eq!(evaluate("u32::MAX - 2"), 0xFF_FF_FF_FD);
    assert_eq!(evaluate("0xFF_FF_FF_FE"), u32::MAX - 1);
    assert_eq!(evaluate("255"), 255);
}

#[test]
fn the_profile_field_bits_follow_the_order_js_sends_them() {
    // JS sets bit `i` of a rule's second number for its i-th header field (name, equals, includes).
    let js = JS[4].1;
    assert!(
        js.contains("1 << bit"),
        "verdict.js no longer sets one bit per header field"
    );
    for (bit, name) in ["HEADER_NAME", "HEADER_EQUALS", "HEADER_INCLUDES"]
        .into_iter()
        .enumerate()
    {
        assert_eq!(evaluate(declaration(&RUST, name)), 1 << bit, "{name}");
    }
}

/// `maxRetryAfterMs` → `MAX_RETRY_AFTER_MS`.
fn screaming(camel: &str) -> String {
    let mut out = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

#[test]
fn numeric_options_cross_in_the_slots_the_core_reads() {
    let options_rs = include_str!("../src/options.rs");
    let budget_rs = include_str!("../src/budget.rs");
    let breaker_rs = include_str!("../src/breaker.rs");
    let policy_js = JS[0].1;
    let mut pinned = 0;
    for (list, rust) in [
        ("RETRY_NUMBERS", options_rs),
        ("BUDGET_NUMBERS", budget_rs),
        ("BREAKER_NUMBERS", breaker_rs),
    ] {
        let start = policy_js
            .find(&format!("const {list} = ["))
            .unwrap_or_else(|| panic!("policy.js has no {list}"));
        let body = &policy_js[start..];
        let body = &body[body.find('[').unwrap()..body.find(']').unwrap()];
        let names: Vec<&str> = body.split('\'').skip(1).step_by(2).collect();
        assert!(!names.is_empty(), "{list} is empty");
        for (slot, name) in names.iter().enumerate() {
            let constant = format!("const {}: u8 = ", screaming(name));
            let Some(at) = rust.find(&constant) else {
                continue;
            };
            let value = &rust[at + constant.len()..];
            let value = &value[..value.find(';').unwrap()];
            assert_eq!(
                evaluate(value) as usize,
                slot,
                "{list}[{slot}] is `{name}` in policy.js, slot {value} in the core"
            );
            pinned += 1;
        }
        if list == "RETRY_NUMBERS" {
            assert_eq!(
                evaluate(declaration(&[("src/options.rs", options_rs)], list)) as usize,
                names.len(),
                "the core reads a different number of retry options than policy.js sends"
            );
        }
    }
    // Every retry option, three of the budget's and five of the breaker's have a named slot.
    assert_eq!(pinned, 13 + 3 + 5);
}
