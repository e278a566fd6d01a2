// Test code may unwrap, panic and index (the package's code may not: Cargo.toml [lints]).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![cfg(not(target_arch = "wasm32"))]

// The string unions of the hand-written types (pkg-template/index.d.ts) hold the same ids as the
// core's tables, in the same order: a kind, action, family, reason or transport detail added to
// one side and not the other fails here, not in a user's type check.

use http_verdict::decision::Reason;
use http_verdict::kind::Kind;
use http_verdict::transport::TransportDetail;

const DTS: &str = include_str!("../pkg-template/index.d.ts");

/// The quoted members of `export type NAME = 'a' | 'b' ...;`, in order.
fn union(name: &str) -> Vec<String> {
    let start = DTS
        .find(&format!("export type {name} ="))
        .unwrap_or_else(|| panic!("index.d.ts has no type {name}"));
    let body = &DTS[start..];
    let body = &body[..body.find(';').expect("the union ends")];
    body.split('\'')
        .skip(1)
        .step_by(2)
        .map(String::from)
        .collect()
}

/// Ids in first-seen order, without repeats.
fn distinct<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for id in ids {
        if !seen.iter().any(|known| known == id) {
            seen.push(id.to_string());
        }
    }
    seen
}

#[test]
fn kinds_are_the_cores() {
    let mut kinds = union("DocumentedKind");
    kinds.extend(union("TransportKind"));
    kinds.extend(union("GenericKind"));
    let mut core: Vec<String> = Kind::ALL.iter().map(|kind| kind.id().to_string()).collect();
    kinds.sort();
    core.sort();
    assert_eq!(kinds, core);
}

#[test]
fn reasons_are_the_cores_in_its_order() {
    let core: Vec<String> = Reason::ALL
        .iter()
        .map(|reason| reason.id().to_string())
        .collect();
    assert_eq!(union("DecisionReason"), core);
}

#[test]
fn transport_details_are_the_cores_in_its_order() {
    let core: Vec<String> = TransportDetail::ALL
        .iter()
        .map(|detail| detail.id().to_string())
        .collect();
    assert_eq!(union("TransportDetail"), core);
}

#[test]
fn every_action_and_family_a_verdict_can_carry_is_typed() {
    let mut actions = union("Action");
    let mut core_actions = distinct(Kind::ALL.iter().map(|kind| kind.action().id()));
    actions.sort();
    core_actions.sort();
    assert_eq!(actions, core_actions);
    let mut families = union("Family");
    let mut core_families = distinct(Kind::ALL.iter().map(|kind| kind.family().id()));
    families.sort();
    core_families.sort();
    assert_eq!(families, core_families);
}
