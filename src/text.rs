//! Small, bounded text matching for reply bodies and header values.
//!
//! Bodies can be large and hostile, so every scan looks at a bounded prefix and allocates nothing.

/// How much of a reply body the variant rules read, in bytes. Error messages sit at the start.
pub const MAX_BODY_SCAN_BYTES: usize = 2048;

/// The first `MAX_BODY_SCAN_BYTES` of `body`, cut on a character boundary.
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

/// Byte offsets where `needle` (ASCII, lowercase) occurs in `haystack`, ignoring ASCII case.
pub fn find_all_ignore_case<'h>(
    haystack: &'h str,
    needle: &'h str,
) -> impl Iterator<Item = usize> + 'h {
    let hay = haystack.as_bytes();
    let pattern = needle.as_bytes();
    let last_start = hay.len().saturating_sub(pattern.len());
    (0..=last_start).filter(move |&start| {
        !pattern.is_empty()
            && hay
                .get(start..start + pattern.len())
                .is_some_and(|window| window.eq_ignore_ascii_case(pattern))
    })
}

/// Whether `haystack` contains `needle` (ASCII, lowercase), ignoring ASCII case.
pub fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    find_all_ignore_case(haystack, needle).next().is_some()
}

/// Whether `haystack` contains any of `needles` (ASCII, lowercase), ignoring ASCII case.
pub fn contains_any_ignore_case(haystack: &str, needles: &[&str]) -> bool {
    needles
        .iter()
        .any(|needle| contains_ignore_case(haystack, needle))
}
