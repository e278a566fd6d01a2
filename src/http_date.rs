//! HTTP-date parsing (RFC 9110 §5.6.7) into Unix epoch milliseconds.
//!
//! `Retry-After` and `Date` carry timestamps in one of three historical forms, and RFC 9110 asks
//! recipients to accept all of them and to be lenient about case and spacing. This module does that
//! with a small hand-written tokenizer and its own calendar arithmetic (no regex, no date crate: the
//! core is compiled to wasm under a size budget), and it works on bytes so that no input, however
//! strange, can make it panic. Anything that is not clearly a date is rejected rather than guessed.

use crate::text::{before_byte, packed, packed_words, split_blanks, split_byte, split_once_byte};

const MS_PER_DAY: i64 = 86_400_000;
const MS_PER_DAY_U64: u64 = 86_400_000;

/// Earliest year accepted; older timestamps are garbage for HTTP purposes.
const MIN_YEAR: i64 = 1900;
/// Latest year accepted; also keeps all arithmetic far away from `i64` limits.
const MAX_YEAR: i64 = 9999;

const MONTHS: &[u8] =
    packed!["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",];
// NOTE: the short and the long names in one list: a weekday is only checked, never told apart.
const WEEKDAYS: &[u8] = packed![
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Parses an HTTP-date (RFC 9110 §5.6.7) into Unix epoch milliseconds.
///
/// Accepts the three forms RFC 9110 requires:
/// - IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`,
/// - obsolete RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT` (a four-digit year is also accepted),
/// - asctime `Sun Nov  6 08:49:37 1994` (always UTC, no zone),
///
/// leniently: month, weekday and zone names in any case, a one- or two-digit day, runs of spaces or
/// tabs between fields, and the zones `GMT`, `UTC`, `UT`, `Z` or a numeric offset (`+0000`,
/// `-0500`, `+05:30`, applied to give UTC). The weekday must be a real weekday name, short or long,
/// but it is not checked against the date: senders get it wrong and the date fields are what count.
///
/// A two-digit year (RFC 850 form) is resolved against `now_ms`, the caller's clock: it denotes the
/// year with those last two digits that lies within 50 years after the current UTC year, else the
/// most recent past one (the comparison is by year, not to the second).
///
/// Rejected (`None`): impossible dates (Feb 30, Feb 29 in a common year), hours above 23, minutes or
/// seconds above 59 (no leap seconds), years before 1900 or after 9999, a missing or unknown zone,
/// ISO 8601, signs or decimals in numeric fields, a weekday without its comma in the IMF and RFC 850
/// forms (the comma is what tells them from asctime), and trailing text.
///
/// ```
/// use http_verdict::http_date::parse_http_date;
/// let now_ms = 1_790_000_000_000; // sometime in 2026
/// assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", now_ms), Some(784_111_777_000));
/// assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", now_ms), Some(784_111_777_000));
/// assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994", now_ms), Some(784_111_777_000));
/// assert_eq!(parse_http_date("1994-11-06T08:49:37Z", now_ms), None);
/// ```
pub fn parse_http_date(text: &str, now_ms: u64) -> Option<i64> {
    let mut tokens = split_blanks(text);
    let first = tokens.next()?;
    // The comma after the weekday is what tells the IMF and RFC 850 forms from asctime.
    let (weekday, has_comma) = match before_byte(first, b',') {
        Some(weekday) => (weekday, true),
        None => (first, false),
    };
    if !is_weekday(weekday) {
        return None;
    }

    let (year, month, day, time, offset_s) = if has_comma {
        let date = tokens.next()?;
        let (year, month, day) = if split_once_byte(date, b'-').is_some() {
            rfc850_date(date, now_ms)?
        } else {
            let day = digits(date, 1, 2)?;
            let month = month_number(tokens.next()?)?;
            let year = digits(tokens.next()?, 4, 4)?;
            (year, month, day)
        };
        let time = tokens.next()?;
        let offset_s = zone_offset_s(tokens.next()?)?;
        (year, month, day, time, offset_s)
    } else {
        let month = month_number(tokens.next()?)?;
        let day = digits(tokens.next()?, 1, 2)?;
        let time = tokens.next()?;
        let year = digits(tokens.next()?, 4, 4)?;
        (year, month, day, time, 0)
    };
    if tokens.next().is_some() {
        return None;
    }

    let (hour, minute, second) = time_of_day(time)?;
    instant_ms(year, month, day, hour, minute, second, offset_s)
}

/// Parses an ISO 8601 instant in UTC in the two forms rate-limit resets are documented in, into
/// Unix epoch milliseconds: Jira's minute precision `2026-12-07T10:05Z` (`yyyy-MM-ddTHH:mmZ`) and
/// RFC 3339 with seconds, `2026-12-07T10:00:20Z` (Anthropic's `anthropic-ratelimit-*-reset`).
///
/// Exactly those forms: every other ISO 8601 or RFC 3339 variant (a fraction of a second, a numeric
/// offset, lowercase `t` or `z`, no zone, a week date) is rejected, as are impossible dates and times
/// (the same rules as [`parse_http_date`]).
///
/// ```
/// use http_verdict::http_date::parse_iso_instant;
/// assert_eq!(parse_iso_instant("2026-12-07T10:05Z"), Some(1_796_637_900_000));
/// assert_eq!(parse_iso_instant("2026-12-07T10:00:20Z"), Some(1_796_637_620_000));
/// assert_eq!(parse_iso_instant("2026-12-07T10:05"), None);
/// assert_eq!(parse_iso_instant("2026-12-07T10:05:00.5Z"), None);
/// assert_eq!(parse_iso_instant("2026-12-07T10:05+01:00"), None);
/// assert_eq!(parse_iso_instant("2026-02-29T10:05Z"), None);
/// assert_eq!(parse_iso_instant("2026-13-07T10:05Z"), None);
/// ```
pub fn parse_iso_instant(text: &str) -> Option<i64> {
    let (&zone, stamp) = text.as_bytes().split_last()?;
    if zone != b'Z' || !(stamp.len() == ISO_FORM.len() - 3 || stamp.len() == ISO_FORM.len()) {
        return None;
    }
    // Year, month, day, hour, minute, second: the digit runs of `ISO_FORM`, in turn; the second
    // stays 0 in the minute form.
    // NOTE: one loop over a layout rather than a tokenizer: the forms are fixed, and this measured
    // +194 B gzip with `instant_ms` (an earlier parser of these forms, +409 B).
    let mut fields = [0; 6];
    let mut field = 0;
    for (&byte, &form) in stamp.iter().zip(ISO_FORM) {
        if form != b'0' {
            if byte != form {
                return None;
            }
            field += 1;
        } else if byte.is_ascii_digit() {
            let value = fields.get_mut(field)?;
            *value = *value * 10 + i64::from(byte - b'0');
        } else {
            return None;
        }
    }
    let [year, month, day, hour, minute, second] = fields;
    instant_ms(year, month, day, hour, minute, second, 0)
}

/// The layout of [`parse_iso_instant`]'s seconds form: `0` a digit, anything else itself.
const ISO_FORM: &[u8; 19] = b"0000-00-00T00:00:00";

/// The instant of a civil date and time less `offset_s` (the zone's offset east of UTC), in epoch
/// ms; `None` for a field out of range (see [`parse_http_date`]). Shared by both date readers.
// NOTE: seven scalars rather than an array of fields: 18 B gzip less in the wasm.
fn instant_ms(
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    offset_s: i64,
) -> Option<i64> {
    // RFC 9110 §5.6.7 and RFC 3339 allow a leap second (`23:59:60`); Unix time has none, so it
    // reads as the next day's midnight.
    if hour > 23
        || minute > 59
        || second > 60
        || !(MIN_YEAR..=MAX_YEAR).contains(&year)
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
    {
        return None;
    }
    // NOTE: year ≤ 9999 and |offset| < 1 day, so none of this can come near i64 overflow.
    let seconds_of_day = hour * 3600 + minute * 60 + second - offset_s;
    Some(days_from_civil(year, month, day) * MS_PER_DAY + seconds_of_day * 1000)
}

/// The `06-Nov-94` date of the RFC 850 form, with its two-digit year resolved.
fn rfc850_date(date: &str, now_ms: u64) -> Option<(i64, i64, i64)> {
    let mut parts = split_byte(date, b'-');
    let day = digits(parts.next()?, 1, 2)?;
    let month = month_number(parts.next()?)?;
    let year_text = parts.next()?;
    if parts.next().is_some() {
        return None;
    }
    let year = match year_text.len() {
        2 => resolve_two_digit_year(digits(year_text, 2, 2)?, now_ms),
        _ => digits(year_text, 4, 4)?,
    };
    Some((year, month, day))
}

/// The year ending in `two_digits` in the window (current year − 50, current year + 50].
fn resolve_two_digit_year(two_digits: i64, now_ms: u64) -> i64 {
    let now_days = i64::try_from(now_ms / MS_PER_DAY_U64).unwrap_or(i64::MAX);
    let window_start = year_of_day(now_days).saturating_sub(49);
    // An absurd clock yields an absurd year, which the range check then rejects.
    window_start.saturating_add((two_digits - window_start).rem_euclid(100))
}

/// Parses `HH:MM:SS`, two digits each, into its fields (unchecked: see [`instant_ms`]).
fn time_of_day(text: &str) -> Option<(i64, i64, i64)> {
    let mut parts = split_byte(text, b':');
    let hour = digits(parts.next()?, 2, 2)?;
    let minute = digits(parts.next()?, 2, 2)?;
    let second = digits(parts.next()?, 2, 2)?;
    // NOTE: the ranges are checked by `instant_ms`.
    if parts.next().is_some() {
        return None;
    }
    Some((hour, minute, second))
}

/// The zone's offset east of UTC in seconds: named UTC zones or `±HHMM` / `±HH:MM`.
fn zone_offset_s(zone: &str) -> Option<i64> {
    if packed_words(packed!["gmt", "utc", "ut", "z"])
        .any(|name| zone.as_bytes().eq_ignore_ascii_case(name))
    {
        return Some(0);
    }
    let sign = match zone.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest = zone.get(1..)?;
    let (hours, minutes) = match rest.len() {
        4 => (rest.get(..2)?, rest.get(2..)?),
        5 => split_once_byte(rest, b':')?,
        _ => return None,
    };
    let hours = digits(hours, 2, 2)?;
    let minutes = digits(minutes, 2, 2)?;
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some(sign * (hours * 3600 + minutes * 60))
}

/// Whether `name` is a weekday name, short or long, in any case.
fn is_weekday(name: &str) -> bool {
    packed_words(WEEKDAYS).any(|day| name.as_bytes().eq_ignore_ascii_case(day))
}

/// The month number 1–12 of a three-letter month name, in any case.
fn month_number(name: &str) -> Option<i64> {
    let index =
        packed_words(MONTHS).position(|month| name.as_bytes().eq_ignore_ascii_case(month))?;
    i64::try_from(index).ok().map(|index| index + 1)
}

/// An unsigned decimal of `min..=max` ASCII digits (at most 4, so it cannot overflow).
fn digits(text: &str, min: usize, max: usize) -> Option<i64> {
    if text.len() < min || text.len() > max {
        return None;
    }
    text.bytes().try_fold(0i64, |value, byte| {
        byte.is_ascii_digit()
            .then(|| value * 10 + i64::from(byte - b'0'))
    })
}

fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
// NOTE: callers pass a validated date (year 1900–9999), so plain arithmetic cannot overflow.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    // Counting years from March puts the leap day at the end of the year.
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The Gregorian year containing the given day since 1970-01-01 (inverse of `days_from_civil`).
// NOTE: `days` comes from a u64 ms clock (at most about 2.1e11), far inside the safe range.
fn year_of_day(days: i64) -> i64 {
    let days = days.saturating_add(719_468);
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    // Day-of-year 306 onwards is January or February of the next civil year.
    let next_year = i64::from(day_of_year >= 306);
    (year_of_era + era * 400) + next_year
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for days in [-25_567, -1, 0, 59, 60, 10_957, 11_016, 20_000, 2_932_896] {
            let year = year_of_day(days);
            let start = days_from_civil(year, 1, 1);
            let next = days_from_civil(year + 1, 1, 1);
            assert!(start <= days && days < next, "day {days} year {year}");
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(year_of_day(i64::MAX / MS_PER_DAY), 292_278_994);
    }
}
