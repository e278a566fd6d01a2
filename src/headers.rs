//! Response headers as the core sees them: a block of `name: value` lines.
//!
//! The JS wrapper copies only the headers the core reads into one string, because a single string
//! crosses the wasm boundary far more cheaply than a map. Rust callers build the same block from
//! whatever header type they hold. Lookups are case-insensitive and bounded: over-long values are
//! ignored rather than parsed, so a hostile server cannot make the parsers do unbounded work.

use crate::text::{split_byte, split_once_byte, trim_line, trim_ows};

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
    "retry-after-ms",
    "x-ms-retry-after-ms",
    "date",
    "ratelimit",
    "ratelimit-policy",
    "ratelimit-reset",
    "ratelimit-remaining",
    "ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-ratelimit-limit",
    "x-rate-limit-remaining",
    "x-rate-limit-reset",
    "x-rate-limit-limit",
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
    /// Where each line's name and value are, found once when the block is made: the rules look up
    /// a dozen names per response, and rescanning the block for each was most of their time.
    /// Unused (`indexed` false) for a block of more than [`INDEXED_LINES`] lines or 64 KB, which is
    /// then scanned line by line instead.
    lines: [LineSpan; INDEXED_LINES],
    line_count: u8,
    indexed: bool,
}

/// How many lines a block may have to be indexed; the JS wrapper sends a handful.
const INDEXED_LINES: usize = 16;

/// Byte offsets of one line's name and value within the block.
#[derive(Clone, Copy, Debug, Default)]
struct LineSpan {
    name: (u16, u16),
    value: (u16, u16),
}

/// Every line's name and value, in order: from the index, or by scanning the text.
struct Lines<'a> {
    block: HeaderBlock<'a>,
    /// The next line's number (indexed) or byte offset (scanned).
    next: usize,
}

impl<'a> Iterator for Lines<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<(&'a str, &'a str)> {
        let text = self.block.text;
        if self.block.indexed {
            if self.next >= usize::from(self.block.line_count) {
                return None;
            }
            let span = self.block.lines.get(self.next)?;
            self.next += 1;
            let part = |(start, end): (u16, u16)| text.get(usize::from(start)..usize::from(end));
            return Some((part(span.name)?, part(span.value)?));
        }
        loop {
            let rest = text.get(self.next..)?;
            let line = match split_once_byte(rest, b'\n') {
                Some((line, _)) => line,
                None if rest.is_empty() => return None,
                None => rest,
            };
            self.next += line.len() + 1;
            if let Some(pair) = parse_line(line) {
                return Some(pair);
            }
        }
    }
}

/// A line's trimmed name and value; `None` for a line without `:`.
fn parse_line(line: &str) -> Option<(&str, &str)> {
    let (name, value) = split_once_byte(line, b':')?;
    Some((trim_ows(name), trim_line(value)))
}

impl<'a> HeaderBlock<'a> {
    /// Wraps a block of header lines without copying it.
    pub fn new(text: &'a str) -> Self {
        let mut block = Self {
            text,
            ..Self::default()
        };
        block.indexed = block.index().is_some();
        block
    }

    /// Fills `lines`; `None` when the block is too large to index.
    fn index(&mut self) -> Option<()> {
        let offset = |part: &str| {
            // NOTE: `part` is a subslice of `text`, so the difference is its offset within it.
            u16::try_from(part.as_ptr() as usize - self.text.as_ptr() as usize).ok()
        };
        for line in split_byte(self.text, b'\n') {
            let Some((name, value)) = parse_line(line) else {
                continue;
            };
            let (name_start, value_start) = (offset(name)?, offset(value)?);
            let span = LineSpan {
                name: (
                    name_start,
                    name_start.checked_add(u16::try_from(name.len()).ok()?)?,
                ),
                value: (
                    value_start,
                    value_start.checked_add(u16::try_from(value.len()).ok()?)?,
                ),
            };
            *self.lines.get_mut(usize::from(self.line_count))? = span;
            self.line_count += 1;
        }
        Some(())
    }

    /// An empty block: no headers at all.
    pub fn empty() -> Self {
        Self::new("")
    }

    /// The first [`MAX_LINES_PER_HEADER`] values of the header `name` (case-insensitive), trimmed, in
    /// order of appearance.
    pub fn get_all<'n>(&self, name: &'n str) -> impl Iterator<Item = &'a str> + 'n
    where
        'a: 'n,
    {
        Lines {
            block: *self,
            next: 0,
        }
        .filter_map(move |(line_name, value)| {
            (line_name.eq_ignore_ascii_case(name) && value.len() <= MAX_HEADER_VALUE_BYTES)
                .then_some(value)
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
