//! The `Retry-After` header: how long the server asks the client to wait.
//!
//! The value is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3). Servers and proxies get it
//! wrong in many ways, so anything doubtful counts as absent and the caller's own backoff applies:
//! signs, units, ISO 8601, impossible dates and repetitions that disagree are all rejected. One
//! common deviation is read: seconds with a fraction of up to three digits (Shopify's `2.0`), as ky
//! and got read it. The millisecond hints `retry-after-ms` (OpenAI's API and SDKs, Azure OpenAI)
//! and then `x-ms-retry-after-ms` (Azure), the same wait more precisely, win over `Retry-After`.
//! Waits never overflow: they saturate at [`MAX_WAIT_MS`], the largest integer a JS number holds
//! exactly, because every wait ends up as a number on the JS side.

use crate::float::ceil_to_u64;
use crate::headers::{HeaderBlock, MAX_LIST_MEMBERS};
use crate::http_date::parse_http_date;
use crate::text::split_once_byte;
pub(crate) use crate::text::trim_ows;
use crate::wait_source::WaitSource;

/// Upper bound of every wait in ms from this crate's hint parsers: JS `Number.MAX_SAFE_INTEGER`.
pub const MAX_WAIT_MS: u64 = 9_007_199_254_740_991;

/// A parsed Retry-After value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryAfter {
    /// A delay in seconds; absurdly large values saturate at `u64::MAX`.
    DelaySeconds(u64),
    /// A delay in seconds with a fraction (`2.0`, `1.5`), in ms.
    DelayMs(u64),
    /// An instant, in Unix epoch milliseconds.
    Date(i64),
}

/// Parses one Retry-After field value (possibly a comma-joined list of repeats, as fetch's Headers.get returns them).
///
/// fetch joins repeated header lines with `", "`, and an IMF-fixdate contains a comma of its own,
/// so each comma-separated element is tried alone and, failing that, together with the next one.
/// Every repetition must parse and denote the same delay or the same instant (`120` and `0120`
/// agree, as do one instant written in two date forms); a delay never agrees with a date. Otherwise,
/// including for empty elements, the result is `None`.
///
/// ```
/// use http_verdict::retry_after::{parse_retry_after, RetryAfter};
/// let now_ms = 1_790_000_000_000;
/// assert_eq!(parse_retry_after("120", now_ms), Some(RetryAfter::DelaySeconds(120)));
/// assert_eq!(
///     parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT", now_ms),
///     Some(RetryAfter::Date(1_792_567_680_000)),
/// );
/// assert_eq!(parse_retry_after("120, 120", now_ms), Some(RetryAfter::DelaySeconds(120)));
/// assert_eq!(parse_retry_after("120, 60", now_ms), None);
/// assert_eq!(parse_retry_after("1.5", now_ms), Some(RetryAfter::DelayMs(1_500)));
/// assert_eq!(parse_retry_after("1.5555", now_ms), None);
/// ```
pub fn parse_retry_after(value: &str, now_ms: u64) -> Option<RetryAfter> {
    agreed_list_value(value, &mut |element| match parse_delay_seconds(element) {
        Some(seconds) => Some(RetryAfter::DelaySeconds(seconds)),
        None => match fractional_seconds(trim_ows(element)) {
            // NOTE: a fraction only on a delay: an instant with one is too doubtful to trust.
            Some((whole, thousandths)) if whole < EPOCH_SECONDS_FROM => Some(RetryAfter::DelayMs(
                saturating_mul_by::<1000>(whole).saturating_add(thousandths),
            )),
            Some(_) => None,
            None => parse_http_date(element, now_ms).map(RetryAfter::Date),
        },
    })
}

/// The server's requested wait in ms from the `Retry-After` header(s) of a response.
///
/// Every `Retry-After` line must agree (see [`parse_retry_after`]). A date is measured from the
/// response's own `Date` header when that is present and valid, so a client clock that is off does
/// not change the wait; otherwise from `now_ms`. So is delay-seconds that can only be an epoch
/// instant (`Retry-After: 1795000000`; see [`EPOCH_SECONDS_FROM`]). A date in the past means 0. The
/// result saturates at [`MAX_WAIT_MS`].
///
/// ```
/// use http_verdict::headers::HeaderBlock;
/// use http_verdict::retry_after::retry_after_ms;
/// let now_ms = 1_792_567_000_000;
/// assert_eq!(retry_after_ms(&HeaderBlock::new("Retry-After: 2"), now_ms), Some(2_000));
/// let headers = HeaderBlock::new(
///     "Date: Wed, 21 Oct 2026 07:27:00 GMT\nRetry-After: Wed, 21 Oct 2026 07:28:00 GMT",
/// );
/// assert_eq!(retry_after_ms(&headers, now_ms), Some(60_000));
/// assert_eq!(retry_after_ms(&HeaderBlock::new("Retry-After: soon"), now_ms), None);
/// ```
pub fn retry_after_ms(headers: &HeaderBlock, now_ms: u64) -> Option<u64> {
    retry_after_wait(headers, now_ms).map(|(wait_ms, _)| wait_ms)
}

/// The millisecond hints, in the order Azure's pipeline reads them, before `Retry-After`.
pub(crate) const MS_WAIT_HEADERS: [&str; 2] = ["retry-after-ms", "x-ms-retry-after-ms"];

/// [`retry_after_ms`] with the header it was read from.
pub(crate) fn retry_after_wait(headers: &HeaderBlock, now_ms: u64) -> Option<(u64, WaitSource)> {
    for (index, name) in MS_WAIT_HEADERS.iter().enumerate() {
        if let Some(hint_ms) = agreed_integer(headers, name) {
            return Some((hint_ms.min(MAX_WAIT_MS), WaitSource::ms_header(index)));
        }
    }
    let hint = agreed_header_value(headers, "retry-after", &mut |value| {
        parse_retry_after(value, now_ms)
    })?;
    let wait_ms = match hint {
        RetryAfter::DelaySeconds(seconds) => {
            delay_seconds_ms(seconds, || server_now_ms(headers, now_ms))
        }
        RetryAfter::DelayMs(delay_ms) => delay_ms.min(MAX_WAIT_MS),
        RetryAfter::Date(at_ms) => {
            // A negative difference is a date in the past: no wait.
            let wait_ms =
                u64::try_from(at_ms.saturating_sub(reference_ms(headers, now_ms))).unwrap_or(0);
            wait_ms.min(MAX_WAIT_MS)
        }
    };
    Some((wait_ms, WaitSource::RETRY_AFTER))
}

/// The instant an absolute hint (a `Retry-After` date, an epoch reset) is measured from: the
/// response's own `Date` when it is present and valid, so that a client clock minutes off still
/// waits what the server meant; else the client's `now_ms`.
// NOTE: a `Date` before 1970 counts as absent: read as epoch ms it shares the `u64` readers of the
// integer fields, one copy of the agreement loops in the wasm instead of one per type.
pub(crate) fn reference_ms(headers: &HeaderBlock, now_ms: u64) -> i64 {
    let date_ms = agreed_header_value(headers, "date", &mut |value| {
        agreed_list_value(value, &mut |element| {
            u64::try_from(parse_http_date(element, now_ms)?).ok()
        })
    });
    i64::try_from(date_ms.unwrap_or(now_ms)).unwrap_or(i64::MAX)
}

/// A delay this large is an instant in epoch seconds (September 2001 onwards): no server means a
/// 31-year wait, but several put a reset instant where delay-seconds belong.
pub(crate) const EPOCH_SECONDS_FROM: u64 = 1_000_000_000;
/// ... and this large, an instant in epoch milliseconds.
pub(crate) const EPOCH_MS_FROM: u64 = 1_000_000_000_000;

/// A delay-seconds value as a wait in ms. A value that can only be an instant (see
/// [`EPOCH_SECONDS_FROM`] and [`EPOCH_MS_FROM`], the rule `X-RateLimit-Reset` is read by) is
/// measured from `server_now_ms()` (the response's `Date`, else the client's clock), one in the
/// past meaning 0: read as a delay it would be decades, and lock the origin's quota.
pub(crate) fn delay_seconds_ms(value: u64, server_now_ms: impl FnOnce() -> u64) -> u64 {
    let wait_ms = if value >= EPOCH_MS_FROM {
        value.saturating_sub(server_now_ms())
    } else if value >= EPOCH_SECONDS_FROM {
        saturating_mul_by::<1000>(value).saturating_sub(server_now_ms())
    } else {
        saturating_mul_by::<1000>(value)
    };
    wait_ms.min(MAX_WAIT_MS)
}

/// [`reference_ms`] as an unsigned instant (0 for a `Date` before 1970).
pub(crate) fn server_now_ms(headers: &HeaderBlock, now_ms: u64) -> u64 {
    u64::try_from(reference_ms(headers, now_ms)).unwrap_or(0)
}

/// A non-negative wait in ms from a float, rounded up and capped at [`MAX_WAIT_MS`] (infinity
/// included); callers reject NaN first.
pub(crate) fn capped_wait_ms(wait_ms: f64) -> u64 {
    let max_ms = MAX_WAIT_MS as f64;
    ceil_to_u64(if wait_ms < max_ms { wait_ms } else { max_ms })
}

/// Parses delay-seconds: ASCII digits only (leading zeros allowed), saturating at `u64::MAX`.
pub(crate) fn parse_delay_seconds(text: &str) -> Option<u64> {
    parse_digits(trim_ows(text))
}

/// A non-negative integer header on which every repetition agrees.
pub(crate) fn agreed_integer(headers: &HeaderBlock, name: &str) -> Option<u64> {
    agreed_header_value(headers, name, &mut |value| {
        agreed_list_value(value, &mut parse_delay_seconds)
    })
}

/// `whole.fraction` with one to three fraction digits: the whole part and the fraction in
/// thousandths (`2.5` → (2, 500), `1.25` → (1, 250)); `None` for anything else.
pub(crate) fn fractional_seconds(text: &str) -> Option<(u64, u64)> {
    let (whole, fraction) = split_once_byte(text, b'.')?;
    let scale = match fraction.len() {
        1 => 100,
        2 => 10,
        3 => 1,
        _ => return None,
    };
    Some((
        parse_digits(whole)?,
        // NOTE: at most three digits, so at most 999 × 100: no overflow to check.
        parse_digits(fraction)? * scale,
    ))
}

/// `value.saturating_mul(FACTOR)` for a constant, non-zero `FACTOR`.
// NOTE: a comparison with a constant instead of the overflow check of `saturating_mul`, which the
// wasm computes as a 128-bit product in a call to `__multi3` (its result through memory), at nine
// sites and on every digit of a number parsed: -130 B gzip (measured), and `__multi3` gone.
pub(crate) fn saturating_mul_by<const FACTOR: u64>(value: u64) -> u64 {
    if value > u64::MAX / FACTOR {
        u64::MAX
    } else {
        value * FACTOR
    }
}

/// Parses a non-empty run of ASCII digits, nothing else, saturating at `u64::MAX`.
pub(crate) fn parse_digits(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.bytes().try_fold(0u64, |value, byte| {
        byte.is_ascii_digit()
            .then(|| saturating_mul_by::<10>(value).saturating_add(u64::from(byte - b'0')))
    })
}

/// The value every line of header `name` agrees on, each line parsed by `parse`; `None` when the
/// header is absent, any line fails to parse, or two lines disagree.
// NOTE: the parser by `dyn` reference: one copy of the loop per result type in the wasm, instead of
// one per closure.
pub(crate) fn agreed_header_value<T: PartialEq>(
    headers: &HeaderBlock,
    name: &str,
    parse: &mut dyn FnMut(&str) -> Option<T>,
) -> Option<T> {
    let mut values = headers.get_all(name);
    let first = parse(values.next()?)?;
    for value in values {
        if parse(value)? != first {
            return None;
        }
    }
    Some(first)
}

/// The value every element of a comma-joined list agrees on; a list of more than
/// [`MAX_LIST_MEMBERS`] elements counts as absent.
/// An element that does not parse alone is retried joined with the next one, since an IMF-fixdate
/// contains a comma itself.
pub(crate) fn agreed_list_value<T: PartialEq>(
    value: &str,
    parse: &mut dyn FnMut(&str) -> Option<T>,
) -> Option<T> {
    let mut agreed = None;
    let mut rest = value;
    for _ in 0..MAX_LIST_MEMBERS {
        let (element, after) = match split_once_byte(rest, b',') {
            Some((element, after)) => (element, Some(after)),
            None => (rest, None),
        };
        let (parsed, remaining) = match (parse(element), after) {
            (Some(parsed), _) => (parsed, after),
            (None, Some(after)) => {
                let (next, after_next) = match split_once_byte(after, b',') {
                    Some((next, after_next)) => (next, Some(after_next)),
                    None => (after, None),
                };
                // NOTE: ',' is one byte, so this length always ends on a char boundary.
                let joined = rest.get(..element.len() + 1 + next.len())?;
                (parse(joined)?, after_next)
            }
            (None, None) => return None,
        };
        match &agreed {
            Some(previous) if *previous != parsed => return None,
            Some(_) => {}
            None => agreed = Some(parsed),
        }
        match remaining {
            Some(remaining) => rest = remaining,
            None => return agreed,
        }
    }
    // A list this long is no hint a server meant: doubtful, so absent, and the rest is not read.
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_seconds_saturates() {
        assert_eq!(parse_delay_seconds(" 007 "), Some(7));
        assert_eq!(
            parse_delay_seconds("99999999999999999999999"),
            Some(u64::MAX)
        );
        assert_eq!(parse_delay_seconds(""), None);
        assert_eq!(parse_delay_seconds("1 2"), None);
    }

    #[test]
    fn list_joins_elements_split_inside_a_date() {
        let now_ms = 1_790_000_000_000;
        let date = "Wed, 21 Oct 2026 07:28:00 GMT";
        let twice = "Wed, 21 Oct 2026 07:28:00 GMT, Wed, 21 Oct 2026 07:28:00 GMT";
        assert_eq!(
            parse_retry_after(twice, now_ms),
            parse_retry_after(date, now_ms)
        );
        assert_eq!(parse_retry_after("Wed, ", now_ms), None);
        assert_eq!(parse_retry_after(",", now_ms), None);
    }
}
