//! Where a server's wait was read: the header or the reply's field that stated it, so that a
//! decision's sentence can name it (`x-ratelimit-reset 30 min`, `retryDelay 30 s`).
//!
//! A source is a small index into one table of labels, laid out from the readers' own tables: the
//! millisecond headers of [`crate::retry_after`], the reset header of each vendor family of
//! [`crate::rate_limit`] and the limits a reply names ([`crate::classify`]), each at its own offset,
//! so that a row added to one of those tables has its label here without a line of code. Each
//! label is the name as its API's documentation writes it (`Retry-After`, `RateLimit-Reset`,
//! `x-ratelimit-reset`, `retryDelay`, `TEN_SECONDLY_ROLLING`); README "API dialects" lists them.
//! Only the index crosses into JavaScript (in the verdict key); the labels go to the package through
//! the core's tables (examples/core_tables.rs), so the wasm carries none it does not read headers by.

use crate::classify::NAMED_LIMIT_LABELS;
use crate::rate_limit::VENDOR_FAMILIES;
use crate::retry_after::MS_WAIT_HEADERS;

/// Where a verdict's `retry_after_ms` was read (see the module documentation). The default,
/// [`WaitSource::RETRY_AFTER`], is also what a verdict without a wait carries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct WaitSource(u8);

/// Where each group of sources starts in the table of labels.
const MS_HEADERS_AT: usize = 1;
const RATE_LIMIT_AT: usize = MS_HEADERS_AT + MS_WAIT_HEADERS.len();
const VENDOR_AT: usize = RATE_LIMIT_AT + 2;
const BODY_AT: usize = VENDOR_AT + VENDOR_FAMILIES.len();
const NAMED_LIMITS_AT: usize = BODY_AT + 2;
const ORIGIN_GATE_AT: usize = NAMED_LIMITS_AT + NAMED_LIMIT_LABELS.len();
const COUNT: usize = ORIGIN_GATE_AT + 1;

/// Every source's label, by index, gathered from the readers' tables.
// NOTE: built at compile time, where an index out of bounds is a build error rather than a panic.
#[allow(clippy::indexing_slicing)]
const LABELS: [&str; COUNT] = {
    let mut labels = ["Retry-After"; COUNT];
    let mut at = 0;
    while at < MS_WAIT_HEADERS.len() {
        labels[MS_HEADERS_AT + at] = MS_WAIT_HEADERS[at];
        at += 1;
    }
    labels[RATE_LIMIT_AT] = "RateLimit";
    labels[RATE_LIMIT_AT + 1] = "RateLimit-Reset";
    at = 0;
    while at < VENDOR_FAMILIES.len() {
        labels[VENDOR_AT + at] = VENDOR_FAMILIES[at][1];
        at += 1;
    }
    labels[BODY_AT] = "retryDelay";
    labels[BODY_AT + 1] = "extensions.cost";
    at = 0;
    while at < NAMED_LIMIT_LABELS.len() {
        labels[NAMED_LIMITS_AT + at] = NAMED_LIMIT_LABELS[at];
        at += 1;
    }
    labels[ORIGIN_GATE_AT] = "the origin's throttle gate";
    labels
};

impl WaitSource {
    /// `Retry-After` (RFC 9110).
    pub const RETRY_AFTER: Self = Self(0);
    /// The IETF drafts' `RateLimit` field: draft 08 on (`t=`) and draft 07 (`reset=`).
    pub const RATE_LIMIT: Self = Self(RATE_LIMIT_AT as u8);
    /// The IETF drafts' separate `RateLimit-Reset` (drafts up to 06).
    pub const RATE_LIMIT_RESET: Self = Self(RATE_LIMIT_AT as u8 + 1);
    /// Google's `google.rpc.RetryInfo` `retryDelay` in a reply.
    pub const RETRY_DELAY: Self = Self(BODY_AT as u8);
    /// Shopify's GraphQL query cost, `extensions.cost` in a reply.
    pub const QUERY_COST: Self = Self(BODY_AT as u8 + 1);
    /// Never a verdict's: the wait of a decision that its origin's throttle gate set (a wait an
    /// earlier answer asked for, see [`crate::ClientState`]) rather than the answer decided on.
    pub const ORIGIN_GATE: Self = Self(ORIGIN_GATE_AT as u8);

    /// The millisecond header at `index` of the order [`crate::retry_after`] reads them in.
    pub(crate) const fn ms_header(index: usize) -> Self {
        Self((MS_HEADERS_AT + index) as u8)
    }

    /// The reset header of the vendor family at `index` of [`crate::rate_limit`]'s table.
    pub(crate) const fn vendor_family(index: usize) -> Self {
        Self((VENDOR_AT + index) as u8)
    }

    /// The limit at `index` of [`crate::classify`]'s limits a reply names.
    pub(crate) const fn named_limit(index: usize) -> Self {
        Self((NAMED_LIMITS_AT + index) as u8)
    }

    /// Every source, by index.
    pub fn all() -> impl Iterator<Item = Self> {
        (0..COUNT as u8).map(Self)
    }

    /// Position in the table of labels: a compact id for crossing the wasm boundary.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    /// The header or field as its API's documentation writes it: `Retry-After`,
    /// `x-ratelimit-reset`, `retryDelay`, …
    ///
    /// ```
    /// use http_verdict::{classify, HeaderBlock, ResponseParts};
    /// let headers = HeaderBlock::new("x-ratelimit-remaining: 0\nx-ratelimit-reset: 30");
    /// let verdict = classify(&ResponseParts { status: 429, headers, body: None }, 0, None);
    /// assert_eq!(verdict.wait_source.label(), "x-ratelimit-reset");
    /// ```
    pub fn label(self) -> &'static str {
        LABELS.get(self.index()).copied().unwrap_or("Retry-After")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_is_distinct_and_the_readers_tables_give_theirs() {
        let labels: alloc::vec::Vec<&str> = WaitSource::all().map(WaitSource::label).collect();
        for (index, label) in labels.iter().enumerate() {
            assert!(!label.is_empty());
            assert!(!labels[..index].contains(label), "{label} twice");
        }
        assert_eq!(WaitSource::ms_header(1).label(), "x-ms-retry-after-ms");
        assert_eq!(
            WaitSource::vendor_family(2).label(),
            "x-ratelimit-reset-requests"
        );
        assert_eq!(WaitSource::named_limit(1).label(), "TEN_SECONDLY_ROLLING");
        assert_eq!(WaitSource::default(), WaitSource::RETRY_AFTER);
        // The verdict key keeps five bits for the index (WAIT_SOURCE_BITS in src/wasm/mod.rs).
        assert!(labels.len() <= 1 << 5);
    }
}
