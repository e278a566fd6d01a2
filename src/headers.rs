//! Response headers as the core sees them: a block of `name: value` lines.
//!
//! The JS wrapper copies only the headers the core reads into one string, because a single string
//! crosses the wasm boundary far more cheaply than a map. Rust callers build the same block from
//! whatever header type they hold. Lookups are case-insensitive and bounded: over-long values are
//! ignored rather than parsed, so a hostile server cannot make the parsers do unbounded work.

use crate::text::{split_byte, trim_line, trim_ows};

/// Longest header value the parsers look at, in bytes; longer values count as absent.
pub const MAX_HEADER_VALUE_BYTES: usize = 4096;

/// Most values of one header name the parsers look at; later repetitions are ignored. A flood of
/// repeated lines then costs a scan, never a parse per line (the JS wrapper cuts them before they
/// cross into wasm memory; this bounds Rust callers too).
pub const MAX_LINES_PER_HEADER: usize = 8;

/// Most members of a comma-separated list the parsers read, over all values of one name; later
/// members are ignored. Real hints have a handful; a 4 KB list of 800 near misses cost about 0.6 ms.
pub const MAX_LIST_MEMBERS: usize = 16;

/// Header names the built-in rules read. The JS wrapper forwards these (plus any a profile names).
pub const CORE_HEADER_NAMES: &[&str] = &[
    "retry-after",
    "date",
    "ratelimit",
    "ratelimit-policy",
    "ratelimit-reset",
    "ratelimit-remaining",
    "ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-ratelimit-limit",
    "x-amzn-errortype",
];

/// A borrowed block of header lines, `name: value` separated by `\n` (a trailing `\r` is ignored).
///
/// ```
/// use http_verdict::headers::HeaderBlock;
/// let headers = HeaderBlock::new("Retry-After: 2\ndate: Tue, 24 Nov 2026 10:00:00 GMT");
/// assert_eq!(headers.get("retry-after"), Some("2"));
/// assert_eq!(headers.get("x-missing"), None);
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct HeaderBlock<'a> {
    text: &'a str,
}

impl<'a> HeaderBlock<'a> {
    /// Wraps a block of header lines without copying it.
    pub fn new(text: &'a str) -> Self {
        Self { text }
    }

    /// An empty block: no headers at all.
    pub fn empty() -> Self {
        Self { text: "" }
    }

    /// The first [`MAX_LINES_PER_HEADER`] values of the header `name` (case-insensitive), trimmed, in
    /// order of appearance.
    pub fn get_all<'n>(&self, name: &'n str) -> impl Iterator<Item = &'a str> + 'n
    where
        'a: 'n,
    {
        // NOTE: the name is compared where the line starts rather than after splitting at ':', so a
        // line of another header is rejected after a few bytes; this lookup runs several times per
        // response (once per header name the rules read).
        split_byte(self.text, b'\n')
            .filter_map(move |line| {
                let line = trim_ows(line);
                let (head, rest) = (line.get(..name.len())?, line.get(name.len()..)?);
                if !head.eq_ignore_ascii_case(name) {
                    return None;
                }
                let value = trim_line(trim_ows(rest).strip_prefix(':')?);
                (value.len() <= MAX_HEADER_VALUE_BYTES).then_some(value)
            })
            .take(MAX_LINES_PER_HEADER)
    }

    /// The first value of the header `name`, if any.
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.get_all(name).next()
    }

    /// The header's value when it appears exactly once, or when every repetition agrees; `None` when
    /// absent or when repetitions conflict (a conflicting hint is no hint).
    pub fn get_consistent(&self, name: &str) -> Option<&'a str> {
        let mut values = self.get_all(name);
        let first = values.next()?;
        values.all(|other| other == first).then_some(first)
    }

    /// Whether the block has no header lines.
    pub fn is_empty(&self) -> bool {
        self.text.bytes().all(|byte| byte.is_ascii_whitespace())
    }
}
