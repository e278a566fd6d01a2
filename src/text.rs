//! Small, bounded text matching for reply bodies and header values.
//!
//! Bodies can be large and hostile, so every scan looks at a bounded prefix and allocates nothing.

use alloc::string::String;

/// How much of a reply body the variant rules read, in bytes. Error messages sit at the start.
pub const MAX_BODY_SCAN_BYTES: usize = 2048;

/// The first `MAX_BODY_SCAN_BYTES` of `body`, cut on a character boundary.
// NOTE: a call rather than a copy in each of the five rules that read a body (-7 B gzip).
#[inline(never)]
pub fn scan_window(body: &str) -> &str {
    if body.len() <= MAX_BODY_SCAN_BYTES {
        return body;
    }
    let mut end = MAX_BODY_SCAN_BYTES;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    body.get(..end).unwrap_or("")
}

/// The first byte offset at or after `from` where `needle` (ASCII, lowercase, not empty) occurs in
/// `haystack`, ignoring ASCII case.
// NOTE: a plain loop rather than a range filtered by a closure: the adapter was 1 KB of the wasm.
pub fn find_ignore_case(haystack: &str, needle: &str, from: usize) -> Option<usize> {
    let (hay, pattern) = (haystack.as_bytes(), needle.as_bytes());
    let &first = pattern.first()?;
    let mut start = from;
    while let Some(window) = hay.get(start..start + pattern.len()) {
        // NOTE: the first byte compared inline before the whole window: most positions differ
        // there, and the window comparison is a call per position in the size-optimised wasm.
        // A 429's reply scanned for the four ways it may state a wait took 1.2 times as long to
        // classify as with two that way, 1.07 times this way (+8 B gzip).
        if window.first().map(u8::to_ascii_lowercase) == Some(first)
            && window.eq_ignore_ascii_case(pattern)
        {
            return Some(start);
        }
        start += 1;
    }
    None
}

/// Whether `haystack` contains `needle` (ASCII, lowercase), ignoring ASCII case.
pub fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    find_ignore_case(haystack, needle, 0).is_some()
}

/// Whether `haystack` contains any of `needles` (ASCII, lowercase; see [`packed`]), ignoring ASCII
/// case.
// NOTE: one pass over the haystack, trying at each position only the needles that start with its
// byte, rather than one pass per needle: a 2 KB reply of near misses against the sixty route and
// quota phrases cost about 0.3 ms the other way.
pub fn contains_any_ignore_case(haystack: &str, needles: &[u8]) -> bool {
    let hay = haystack.as_bytes();
    // The bit of each first byte (lowercase; needles are ASCII) of the non-empty needles.
    let firsts = packed_words(needles)
        .filter_map(|needle| needle.first())
        .fold(0, |bits, byte| {
            bits | first_byte_bit(byte.to_ascii_lowercase())
        });
    hay.iter().enumerate().any(|(start, byte)| {
        let byte = byte.to_ascii_lowercase();
        byte < 128
            && firsts & first_byte_bit(byte) != 0
            && packed_words(needles).any(|pattern| {
                pattern.first() == Some(&byte)
                    && hay
                        .get(start..start.saturating_add(pattern.len()))
                        .is_some_and(|window| window.eq_ignore_ascii_case(pattern))
            })
    })
}

/// The bit of a `u64` that stands for `byte` (ASCII) among the first bytes of needles.
// NOTE: a `u64` rather than a bit per ASCII byte in a `u128`, whose shifts were calls and its pairs
// of words in the wasm (-85 B gzip, measured). The 128 bytes share its 64 bits in pairs `b` and
// `127 - b` (the low six bits of `b ^ b >> 1`): a lowercase letter only with a control byte (tab,
// line feed and carriage return with `v`, `u` and `r`), and blanks, digits and punctuation with
// capitals and `@[\]^_`, which the lowercased haystack has none or few of. Pairing neighbours
// instead (`b >> 1`: `d` with `e`) made a 404 with a 2 KB English reply 1.18 times as slow to
// classify; this way it is faster than with the `u128`.
fn first_byte_bit(byte: u8) -> u64 {
    1 << ((byte ^ byte >> 1) & 63)
}

/// How many bytes [`pack`] makes of `entries`.
pub(crate) const fn packed_len(entries: &[(&str, u8)], tagged: bool) -> usize {
    let mut total = 0;
    let mut rest = entries;
    while let [(word, _), tail @ ..] = rest {
        total += 1 + tagged as usize + word.len();
        rest = tail;
    }
    total
}

/// The words of `entries` one after another in one byte string, each after a byte holding its
/// length (at most 255) and, when `tagged`, a byte holding its tag: what [`packed`] and
/// [`packed_tagged`] write at compile time and [`packed_words`] and [`tagged_words`] read.
// NOTE: a list of `&str` is a pointer and a length per word in the wasm's data (8 bytes, 12 with a
// tag, and poorly compressible); packed, a word costs one byte (two with a tag): -380 B gzip of the
// package for the body's phrases, the day and month names and the transport errors' names, codes
// and messages (measured).
// Indexing only runs in const evaluation, where an index out of bounds fails the build.
#[allow(clippy::indexing_slicing)]
pub(crate) const fn pack<const N: usize>(entries: &[(&str, u8)], tagged: bool) -> [u8; N] {
    let mut packed = [0; N];
    let mut at = 0;
    let mut rest = entries;
    while let [(word, tag), tail @ ..] = rest {
        (packed, at) = with_word(packed, at, word, if tagged { Some(*tag) } else { None });
        rest = tail;
    }
    packed
}

/// `packed` with `word` written at `at` as [`pack`] writes it (its length, its tag if any, then its
/// bytes), and the position after it. Indexing only runs in const evaluation (see `pack`).
#[allow(clippy::indexing_slicing)]
const fn with_word<const N: usize>(
    mut packed: [u8; N],
    mut at: usize,
    word: &str,
    tag: Option<u8>,
) -> ([u8; N], usize) {
    assert!(word.len() <= 255, "a packed word is at most 255 bytes");
    packed[at] = word.len() as u8;
    at += 1;
    if let Some(tag) = tag {
        packed[at] = tag;
        at += 1;
    }
    let mut bytes = word.as_bytes();
    while let [byte, more @ ..] = bytes {
        packed[at] = *byte;
        at += 1;
        bytes = more;
    }
    (packed, at)
}

/// The words given, packed at compile time (see [`pack`]) into a `&'static [u8]` that
/// [`packed_words`] reads.
macro_rules! packed {
    ($($word:expr),* $(,)?) => {{
        const ENTRIES: &[(&str, u8)] = &[$(($word, 0)),*];
        const PACKED: [u8; $crate::text::packed_len(ENTRIES, false)] =
            $crate::text::pack(ENTRIES, false);
        &PACKED
    }};
}
pub(crate) use packed;

/// The `(word, tag)` pairs given (a tag is a `u8`, or a fieldless enum's value), packed at compile
/// time (see [`pack`]) into a `&'static [u8]` that [`tagged_words`] reads.
macro_rules! packed_tagged {
    ($(($word:expr, $tag:expr $(,)?)),* $(,)?) => {{
        const ENTRIES: &[(&str, u8)] = &[$(($word, $tag as u8)),*];
        const PACKED: [u8; $crate::text::packed_len(ENTRIES, true)] =
            $crate::text::pack(ENTRIES, true);
        &PACKED
    }};
}
pub(crate) use packed_tagged;

/// How many bytes [`pack_groups`] makes of `groups`.
pub(crate) const fn groups_len(groups: &[(&[&str], u8)]) -> usize {
    let mut total = 0;
    let mut rest = groups;
    while let [(words, _), tail @ ..] = rest {
        total += 2 + group_len(words);
        rest = tail;
    }
    total
}

/// How many bytes the words of one group take packed (see [`pack`]).
const fn group_len(words: &[&str]) -> usize {
    let mut total = 0;
    let mut rest = words;
    while let [word, tail @ ..] = rest {
        total += 1 + word.len();
        rest = tail;
    }
    total
}

/// Groups of words, each packed as [`packed_tagged`] packs a word: its length, its tag, then its
/// words packed as [`packed`] packs them, which [`contains_any_ignore_case`] reads.
// NOTE: rather than a table of a packed list and a tag per group, a pointer, a length and a tag in
// the wasm's data (-14 B gzip). Indexing only runs in const evaluation (see `pack`).
#[allow(clippy::indexing_slicing)]
pub(crate) const fn pack_groups<const N: usize>(groups: &[(&[&str], u8)]) -> [u8; N] {
    let mut packed = [0; N];
    let mut at = 0;
    let mut rest = groups;
    while let [(words, tag), tail @ ..] = rest {
        let length = group_len(words);
        assert!(length <= 255, "a packed group is at most 255 bytes");
        packed[at] = length as u8;
        packed[at + 1] = *tag;
        at += 2;
        let mut words = *words;
        while let [word, more_words @ ..] = words {
            (packed, at) = with_word(packed, at, word, None);
            words = more_words;
        }
        rest = tail;
    }
    packed
}

/// The `([words], tag)` groups given, packed at compile time (see [`pack_groups`]) into a
/// `&'static [u8]` that [`tagged_words`] reads, each group's words as [`packed`] packs them.
macro_rules! packed_groups {
    ($(([$($word:expr),* $(,)?], $tag:expr $(,)?)),* $(,)?) => {{
        const GROUPS: &[(&[&str], u8)] = &[$((&[$($word),*], $tag as u8)),*];
        const PACKED: [u8; $crate::text::groups_len(GROUPS)] = $crate::text::pack_groups(GROUPS);
        &PACKED
    }};
}
pub(crate) use packed_groups;

/// The words of a byte string that [`packed`] made, in order.
pub fn packed_words(packed: &[u8]) -> PackedWords<'_> {
    PackedWords { rest: packed }
}

/// The iterator of [`packed_words`].
#[derive(Clone, Debug)]
pub struct PackedWords<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for PackedWords<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let (&length, rest) = self.rest.split_first()?;
        let (word, rest) = rest.split_at_checked(usize::from(length))?;
        self.rest = rest;
        Some(word)
    }
}

/// The `(word, tag)` pairs of a byte string that [`packed_tagged`] made, in order.
pub fn tagged_words(packed: &[u8]) -> impl Iterator<Item = (&[u8], u8)> {
    let mut rest = packed;
    core::iter::from_fn(move || {
        let (&length, after) = rest.split_first()?;
        let (&tag, after) = after.split_first()?;
        let (word, after) = after.split_at_checked(usize::from(length))?;
        rest = after;
        Some((word, tag))
    })
}

/// `text` split at every `separator`, an ASCII byte: `str::split(char)` without the generic pattern
/// machinery, which the size-optimised wasm build calls out of line on every byte of a header.
pub fn split_byte(text: &str, separator: u8) -> SplitByte<'_> {
    SplitByte {
        rest: Some(text),
        separator,
    }
}

/// The iterator of [`split_byte`].
#[derive(Clone, Debug)]
pub struct SplitByte<'a> {
    rest: Option<&'a str>,
    separator: u8,
}

impl<'a> Iterator for SplitByte<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match split_once_byte(rest, self.separator) {
            Some((part, after)) => {
                self.rest = Some(after);
                Some(part)
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

/// Whether `byte` is one of the symbols an HTTP token allows besides letters and digits (RFC 9110
/// §5.6.2 `tchar`).
// NOTE: a `matches!`, not `b"…".contains(&byte)`, which brought memchr into the wasm module.
pub fn is_token_symbol(byte: u8) -> bool {
    matches!(
        byte,
        b'!' | b'#'
            | b'$'
            | b'%'
            | b'&'
            | b'\''
            | b'*'
            | b'+'
            | b'-'
            | b'.'
            | b'^'
            | b'_'
            | b'`'
            | b'|'
            | b'~'
    )
}

/// `text` without its first byte when that is the ASCII `byte`.
// NOTE: byte-level rather than `str::strip_prefix` with a char, whose generic pattern code was
// several hundred bytes of the wasm module for four one-byte cuts.
pub fn after_byte(text: &str, byte: u8) -> Option<&str> {
    match text.as_bytes().first() {
        Some(first) if *first == byte => text.get(1..),
        _ => None,
    }
}

/// `text` without its last byte when that is the ASCII `byte`.
pub fn before_byte(text: &str, byte: u8) -> Option<&str> {
    match text.as_bytes().last() {
        Some(last) if *last == byte => text.get(..text.len() - 1),
        _ => None,
    }
}

/// The runs of `text` between spaces and tabs (HTTP's whitespace), empty ones skipped.
// NOTE: rather than `split_ascii_whitespace`, whose generic adapters were twice the code.
pub fn split_blanks(text: &str) -> SplitBlanks<'_> {
    SplitBlanks { rest: text }
}

/// See [`split_blanks`].
pub struct SplitBlanks<'a> {
    rest: &'a str,
}

impl<'a> Iterator for SplitBlanks<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let is_blank = |byte: &u8| *byte == b' ' || *byte == b'\t';
        let bytes = self.rest.as_bytes();
        let start = bytes.iter().position(|byte| !is_blank(byte))?;
        let end = bytes
            .iter()
            .skip(start)
            .position(is_blank)
            .map_or(bytes.len(), |length| start + length);
        // NOTE: only ASCII bytes are cut at, so both cuts fall on character boundaries.
        let token = self.rest.get(start..end)?;
        self.rest = self.rest.get(end..).unwrap_or("");
        Some(token)
    }
}

/// The parts of `text` before and after the first `separator`, an ASCII byte.
// NOTE: a call, not a copy of the loop and both cuts in each of its two dozen callers: -90 B gzip;
// classify with headers measured 1.02 times as long (within this machine's noise).
#[inline(never)]
pub fn split_once_byte(text: &str, separator: u8) -> Option<(&str, &str)> {
    let bytes = text.as_bytes();
    let mut at = 0;
    while *bytes.get(at)? != separator {
        at += 1;
    }
    // NOTE: an ASCII byte is a whole character, so both cuts fall on character boundaries.
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// `text` without the spaces and tabs (HTTP's optional whitespace) at either end.
pub fn trim_ows(text: &str) -> &str {
    trim_ascii(text, false)
}

/// `text` without spaces, tabs and carriage returns at either end (a header line's value).
pub fn trim_line(text: &str) -> &str {
    trim_ascii(text, true)
}

fn trim_ascii(text: &str, carriage_return: bool) -> &str {
    let blank = |byte: u8| byte == b' ' || byte == b'\t' || (carriage_return && byte == b'\r');
    let bytes = text.as_bytes();
    let mut start = 0;
    while bytes.get(start).is_some_and(|byte| blank(*byte)) {
        start += 1;
    }
    let mut end = bytes.len();
    while end > start && bytes.get(end - 1).is_some_and(|byte| blank(*byte)) {
        end -= 1;
    }
    // NOTE: only ASCII bytes are trimmed, so both cuts fall on character boundaries.
    text.get(start..end).unwrap_or("")
}

/// Joins `parts` into one new string (`[..].concat()` without its overflow panic and its generic code).
pub fn join(parts: &[&str]) -> String {
    let mut joined = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
        joined.push_str(part);
    }
    joined
}

/// Whether `c` belongs to a word: ASCII letters, digits and `_`, and every non-ASCII character
/// except the Latin-1 and general punctuation and space blocks.
// NOTE: not `char::is_alphanumeric`: its Unicode tables were several KB of the wasm module, and the
// variant rules only ever look for English words; non-ASCII letters still keep a word together.
pub fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || (!c.is_ascii() && !is_unicode_punctuation(c))
}

fn is_unicode_punctuation(c: char) -> bool {
    matches!(c, '\u{80}'..='\u{BF}' | '\u{D7}' | '\u{F7}' | '\u{2000}'..='\u{206F}' | '\u{3000}'..='\u{303F}' | '\u{FE30}'..='\u{FE4F}' | '\u{FF00}'..='\u{FF0F}')
}

/// Appends `value` in decimal, as `write!` would, without pulling `core::fmt` into the wasm module.
pub fn push_decimal(out: &mut String, value: u64) {
    if value >= 10 {
        push_decimal(out, value / 10);
    }
    // NOTE: `value % 10` is a single digit, so the addition stays within ASCII digits.
    out.push(char::from(b'0' + (value % 10) as u8));
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    /// The one-pass multi-phrase search finds exactly what one search per phrase finds, over every
    /// haystack and phrase set drawn from a small alphabet (case, a non-ASCII letter, empty phrases).
    #[test]
    fn multi_phrase_search_matches_one_search_per_phrase() {
        let pieces = ["", "a", "b", "ab", "ba", "A", "aB", "é", " a", "bb"];
        let mut state = 0x2545_f491_u32;
        let mut next = |bound: usize| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as usize % bound
        };
        for _ in 0..20_000 {
            let haystack: alloc::string::String =
                (0..next(8)).map(|_| pieces[next(pieces.len())]).collect();
            let needles: Vec<&str> = (0..next(5))
                .map(|_| ["", "a", "b", "ab", "bb", "a b"][next(6)])
                .collect();
            let one_by_one = needles
                .iter()
                .any(|needle| contains_ignore_case(&haystack, needle));
            // As `packed!` lays them out, at run time.
            let packed: Vec<u8> = needles
                .iter()
                .flat_map(|needle| [needle.len() as u8].into_iter().chain(needle.bytes()))
                .collect();
            assert_eq!(
                contains_any_ignore_case(&haystack, &packed),
                one_by_one,
                "{haystack:?} {needles:?}"
            );
        }
    }

    #[test]
    fn packed_words_read_back_in_order() {
        let words: Vec<&[u8]> = packed_words(packed!["route", "", "no such"]).collect();
        assert_eq!(words, [&b"route"[..], b"", b"no such"]);
        let tagged: Vec<(&[u8], u8)> =
            tagged_words(packed_tagged![("EPIPE", 5), ("", 0)]).collect();
        assert_eq!(tagged, [(&b"EPIPE"[..], 5), (&b""[..], 0)]);
        let groups: Vec<(&[u8], u8)> =
            tagged_words(packed_groups![(["ab", "c"], 3), ([], 1)]).collect();
        assert_eq!(groups, [(&b"\x02ab\x01c"[..], 3), (&b""[..], 1)]);
    }
}
