//! Response headers as the core sees them: a block of `name: value` lines.
//!
//! The JS wrapper copies only the headers the core reads into one string, because a single string
//! crosses the wasm boundary far more cheaply than a map. Rust callers build the same block from
//! whatever header type they hold. Lookups are case-insensitive and bounded: over-long values are
//! ignored rather than parsed, so a hostile server cannot make the parsers do unbounded work.

use crate::classify::SHOULD_RETRY_HEADERS;
use crate::rate_limit::VENDOR_FAMILIES;
use crate::retry_after::MS_WAIT_HEADERS;
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
// NOTE: assembled at compile time from the readers' own tables (the millisecond hints, the vendor
// families, the servers' retry verdicts), so that a name added there is forwarded without a second
// list to keep in step; the rest are the names the readers spell out.
pub const CORE_HEADER_NAMES: [&str; CORE_HEADER_COUNT] = concatenated(&[
    Names(&["retry-after"]),
    Names(&MS_WAIT_HEADERS),
    Names(&[
        "date",
        "ratelimit",
        "ratelimit-policy",
        "ratelimit-reset",
        "ratelimit-remaining",
        "ratelimit-limit",
    ]),
    Families(&VENDOR_FAMILIES),
    Names(&["x-amzn-errortype"]),
    Names(&SHOULD_RETRY_HEADERS),
]);

const CORE_HEADER_COUNT: usize =
    8 + MS_WAIT_HEADERS.len() + 3 * VENDOR_FAMILIES.len() + SHOULD_RETRY_HEADERS.len();

/// A part of [`CORE_HEADER_NAMES`]: names, or families of three.
enum NamePart {
    Names(&'static [&'static str]),
    Families(&'static [[&'static str; 3]]),
}
use NamePart::{Families, Names};

/// The names of `parts`, in order, as one array of exactly `N`.
// NOTE: only ever evaluated at compile time (for a `const`), where an index out of range or a
// count that does not add up is a build error rather than a panic. The order is the readers'
// (the bundled list gzips 6 B smaller in it).
#[allow(clippy::indexing_slicing)]
const fn concatenated<const N: usize>(parts: &[NamePart]) -> [&'static str; N] {
    let mut names = [""; N];
    let (mut part, mut filled) = (0, 0);
    while part < parts.len() {
        let count = match &parts[part] {
            Names(list) => list.len(),
            Families(families) => families.len() * 3,
        };
        let mut at = 0;
        while at < count {
            names[filled] = match &parts[part] {
                Names(list) => list[at],
                Families(families) => families[at / 3][at % 3],
            };
            (at, filled) = (at + 1, filled + 1);
        }
        part += 1;
    }
    assert!(filled == N, "CORE_HEADER_COUNT must count every name");
    names
}

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
    /// Each line's name and value as byte offsets into `text` (name start and end, value start and
    /// end), found once when the block is made: the rules look up a dozen names per response, and
    /// rescanning the block for each was most of their time. Unused (`indexed` false) for a block of
    /// more than [`INDEXED_LINES`] lines or 64 KiB, which is then scanned line by line instead.
    // NOTE: offsets, not a pair of `&str` per line: a block is made (and moved) for every classify,
    // and the pairs made it 528 bytes to clear and copy, most of a bare classify's time natively.
    lines: [[u16; 4]; INDEXED_LINES],
    line_count: u8,
    indexed: bool,
    /// A bit per name length present (modulo 32), all set when not indexed: most names the rules
    /// ask for are absent, and a length no line has answers at once without a pass over the lines.
    name_lengths: u32,
}

/// The bit of [`HeaderBlock::name_lengths`] that a name of `length` bytes sets.
fn length_bit(length: usize) -> u32 {
    1 << (length % 32)
}

/// How many lines a block may have to be indexed; the JS wrapper sends a handful.
const INDEXED_LINES: usize = 16;

/// The values of one header name, in order: the first [`MAX_LINES_PER_HEADER`] lines whose name
/// matches (ignoring case) and whose value is not over-long.
// NOTE: one plain loop rather than an adapter chain (lines, filter, take): the chain was most of the
// time a rate-limited response spent in wasm, and three times the code.
pub struct Values<'b, 'a> {
    block: &'b HeaderBlock<'a>,
    name: &'b str,
    /// The next line's number (indexed) or byte offset (scanned).
    next: usize,
    left: usize,
}

impl<'a> Iterator for Values<'_, 'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.block.name_lengths & length_bit(self.name.len()) == 0 {
            return None;
        }
        while self.left > 0 {
            let (line_name, value) = self.block.line(&mut self.next)?;
            if value.len() <= MAX_HEADER_VALUE_BYTES && same_name(line_name, self.name) {
                self.left -= 1;
                return Some(value);
            }
        }
        None
    }
}

/// Whether two header names are equal ignoring ASCII case.
// NOTE: compared from the end, in place: names of one family (`x-ratelimit-limit`, `-reset`) share
// their start and length, and `str::eq_ignore_ascii_case` was a call per line in the size-optimised
// wasm.
fn same_name(line_name: &str, name: &str) -> bool {
    let (line_name, name) = (line_name.as_bytes(), name.as_bytes());
    if line_name.len() != name.len() {
        return false;
    }
    let mut at = name.len();
    while at > 0 {
        at -= 1;
        match (line_name.get(at), name.get(at)) {
            (Some(a), Some(b)) if a.eq_ignore_ascii_case(b) => {}
            _ => return false,
        }
    }
    true
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
        if !block.indexed {
            block.name_lengths = u32::MAX;
        }
        block
    }

    /// Fills `lines`; `None` when the block has too many lines to index.
    fn index(&mut self) -> Option<()> {
        let start = self.text.as_ptr() as usize;
        // NOTE: every part is a slice of `text`, so its offset is within it: no wrap happens.
        let span = |part: &str| {
            let from = u16::try_from((part.as_ptr() as usize).wrapping_sub(start)).ok()?;
            Some((from, u16::try_from(usize::from(from) + part.len()).ok()?))
        };
        for line in split_byte(self.text, b'\n') {
            if let Some((name, value)) = parse_line(line) {
                let ((name_from, name_to), (value_from, value_to)) = (span(name)?, span(value)?);
                *self.lines.get_mut(usize::from(self.line_count))? =
                    [name_from, name_to, value_from, value_to];
                self.line_count += 1;
                self.name_lengths |= length_bit(name.len());
            }
        }
        Some(())
    }

    /// An empty block: no headers at all.
    pub fn empty() -> Self {
        Self::new("")
    }

    /// The first [`MAX_LINES_PER_HEADER`] values of the header `name` (case-insensitive), trimmed, in
    /// order of appearance.
    pub fn get_all<'b>(&'b self, name: &'b str) -> Values<'b, 'a> {
        Values {
            block: self,
            name,
            next: 0,
            left: MAX_LINES_PER_HEADER,
        }
    }

    /// The line after `*next` (a line number when indexed, else a byte offset), advancing `*next`
    /// past it; `None` after the last.
    fn line(&self, next: &mut usize) -> Option<(&'a str, &'a str)> {
        let text = self.text;
        if self.indexed {
            if *next >= usize::from(self.line_count) {
                return None;
            }
            let [name_from, name_to, value_from, value_to] = *self.lines.get(*next)?;
            *next += 1;
            let part = |from: u16, to: u16| text.get(usize::from(from)..usize::from(to));
            return Some((part(name_from, name_to)?, part(value_from, value_to)?));
        }
        loop {
            let rest = text.get(*next..)?;
            let line = match split_once_byte(rest, b'\n') {
                Some((line, _)) => line,
                None if rest.is_empty() => return None,
                None => rest,
            };
            *next += line.len() + 1;
            if let Some(pair) = parse_line(line) {
                return Some(pair);
            }
        }
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
