// Test, bench and example code may unwrap, panic and index (the package's code may not: Cargo.toml [lints]).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

// Server wait hints (contract §3): HTTP-dates, `Retry-After` and rate-limit headers, through the
// public API only, so the same vectors run natively and as wasm.

mod common;
use common::NOW_MS;
use http_verdict::headers::HeaderBlock;
use http_verdict::http_date::parse_http_date;
use http_verdict::rate_limit::{rate_limit_hint, RateLimitHint};
use http_verdict::retry_after::{parse_retry_after, retry_after_ms, RetryAfter, MAX_WAIT_MS};

/// Sun, 06 Nov 1994 08:49:37 GMT, the RFC's example instant.
const RFC_EXAMPLE_MS: i64 = 784_111_777_000;
const HOUR_MS: i64 = 3_600_000;

fn date(text: &str) -> Option<i64> {
    parse_http_date(text, NOW_MS)
}

fn wait(block: &str) -> Option<u64> {
    retry_after_ms(&HeaderBlock::new(block), NOW_MS)
}

fn hint(block: &str) -> Option<RateLimitHint> {
    rate_limit_hint(&HeaderBlock::new(block), NOW_MS)
}

// ---- HTTP-date -------------------------------------------------------------------------------

#[test]
fn imf_fixdate_is_parsed_leniently() {
    assert_eq!(date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(RFC_EXAMPLE_MS));
    assert_eq!(date("sun, 06 nov 1994 08:49:37 gmt"), Some(RFC_EXAMPLE_MS));
    assert_eq!(date("SUN, 06 NOV 1994 08:49:37 GMT"), Some(RFC_EXAMPLE_MS));
    assert_eq!(date("Sun, 6 Nov 1994 08:49:37 GMT"), Some(RFC_EXAMPLE_MS));
    assert_eq!(
        date("Sun,   06  Nov\t1994  08:49:37   GMT"),
        Some(RFC_EXAMPLE_MS)
    );
    assert_eq!(
        date("  Sun, 06 Nov 1994 08:49:37 GMT  "),
        Some(RFC_EXAMPLE_MS)
    );
    assert_eq!(
        date("Sunday, 06 Nov 1994 08:49:37 GMT"),
        Some(RFC_EXAMPLE_MS)
    );
    assert_eq!(date("Tue, 24 Nov 2026 10:00:00 GMT"), Some(NOW_MS as i64));
}

#[test]
fn weekday_must_be_a_name_but_need_not_match_the_date() {
    assert_eq!(date("Mon, 06 Nov 1994 08:49:37 GMT"), Some(RFC_EXAMPLE_MS));
    assert_eq!(date("Friday, 06-Nov-94 08:49:37 GMT"), Some(RFC_EXAMPLE_MS));
    assert_eq!(date("Sux, 06 Nov 1994 08:49:37 GMT"), None);
    assert_eq!(date("Su, 06 Nov 1994 08:49:37 GMT"), None);
    assert_eq!(date("06 Nov 1994 08:49:37 GMT"), None);
    assert_eq!(date("Sun 06 Nov 1994 08:49:37 GMT"), None);
}

#[test]
fn zones_and_numeric_offsets() {
    for zone in [
        "GMT", "UTC", "UT", "Z", "utc", "z", "+0000", "-0000", "+00:00",
    ] {
        let text = format!("Sun, 06 Nov 1994 08:49:37 {zone}");
        assert_eq!(date(&text), Some(RFC_EXAMPLE_MS), "{text}");
    }
    // 08:49:37 at UTC-5 is 13:49:37 UTC; at UTC+5:30 it is 03:19:37 UTC.
    assert_eq!(
        date("Sun, 06 Nov 1994 08:49:37 -0500"),
        Some(RFC_EXAMPLE_MS + 5 * HOUR_MS)
    );
    assert_eq!(
        date("Sun, 06 Nov 1994 08:49:37 +05:30"),
        Some(RFC_EXAMPLE_MS - 5 * HOUR_MS - HOUR_MS / 2)
    );
    assert_eq!(
        date("Sunday, 06-Nov-94 08:49:37 +0100"),
        Some(RFC_EXAMPLE_MS - HOUR_MS)
    );
    for zone in [
        "", "EST", "PST", "GMT+1", "+5", "+500", "0000", "+2400", "+0060", "+05:3", "++0000",
        "+0a00", "GMT GMT",
    ] {
        let text = format!("Sun, 06 Nov 1994 08:49:37 {zone}");
        assert_eq!(date(&text), None, "{text}");
    }
}

#[test]
fn rfc850_form() {
    assert_eq!(date("Sunday, 06-Nov-94 08:49:37 GMT"), Some(RFC_EXAMPLE_MS));
    assert_eq!(date("sunday, 6-nov-94 08:49:37 gmt"), Some(RFC_EXAMPLE_MS));
    assert_eq!(date("Sun, 06-Nov-94 08:49:37 GMT"), Some(RFC_EXAMPLE_MS));
    assert_eq!(
        date("Sunday, 06-Nov-1994 08:49:37 GMT"),
        Some(RFC_EXAMPLE_MS)
    );
    assert_eq!(date("Sunday, 06-Nov-994 08:49:37 GMT"), None);
    assert_eq!(date("Sunday, 06-Nov-94-1 08:49:37 GMT"), None);
    assert_eq!(date("Sunday, 06-Nov 94 08:49:37 GMT"), None);
    assert_eq!(date("Sunday, 06-Nov-94 08:49:37"), None);
}

#[test]
fn two_digit_years_lie_at_most_50_years_ahead() {
    // The clock says 2026: 2076 is 50 years ahead (kept), 2077 would be 51 (so 1977).
    assert_eq!(
        date("Friday, 06-Nov-76 08:49:37 GMT"),
        Some(3_371_878_177_000)
    );
    assert_eq!(
        date("Sunday, 06-Nov-77 08:49:37 GMT"),
        Some(247_654_177_000)
    );
    assert_eq!(date("Tuesday, 24-Nov-26 10:00:00 GMT"), Some(NOW_MS as i64));
    assert_eq!(
        date("Tuesday, 29-Feb-00 12:00:00 GMT"),
        Some(951_825_600_000)
    );
    // Late in the century the window moves on: 05 is 2105, not 2005.
    let in_2090 = 3_786_912_000_000; // Sun, 01 Jan 2090 00:00:00 GMT
    assert_eq!(
        parse_http_date("Thursday, 01-Jan-05 00:00:00 GMT", in_2090),
        Some(4_260_211_200_000)
    );
    // At the epoch: 2020 is 50 years ahead, 21 means 1921.
    assert_eq!(
        parse_http_date("Wednesday, 01-Jan-20 00:00:00 GMT", 0),
        Some(1_577_836_800_000)
    );
    assert_eq!(
        parse_http_date("Saturday, 01-Jan-21 00:00:00 GMT", 0),
        Some(-1_546_300_800_000)
    );
}

#[test]
fn asctime_form() {
    assert_eq!(date("Sun Nov  6 08:49:37 1994"), Some(RFC_EXAMPLE_MS));
    assert_eq!(date("Sun Nov 6 08:49:37 1994"), Some(RFC_EXAMPLE_MS));
    assert_eq!(date("Sun Nov 06 08:49:37 1994"), Some(RFC_EXAMPLE_MS));
    assert_eq!(date("sun nov 6 08:49:37 1994"), Some(RFC_EXAMPLE_MS));
    assert_eq!(date("Sunday Nov 6 08:49:37 1994"), Some(RFC_EXAMPLE_MS));
    assert_eq!(date("Sun Nov  6 08:49:37 1994 GMT"), None);
    assert_eq!(date("Sun Nov  6 08:49:37 94"), None);
    assert_eq!(date("Sun 6 Nov 08:49:37 1994"), None);
}

#[test]
fn leap_days_and_month_lengths() {
    assert_eq!(
        date("Thu, 29 Feb 2024 00:00:00 GMT"),
        Some(1_709_164_800_000)
    );
    assert_eq!(date("Tue, 29 Feb 2000 12:00:00 GMT"), Some(951_825_600_000));
    assert_eq!(date("Thu Feb 29 00:00:00 2024"), Some(1_709_164_800_000));
    assert_eq!(date("Wed, 29 Feb 2023 00:00:00 GMT"), None);
    assert_eq!(date("Thu, 29 Feb 1900 00:00:00 GMT"), None);
    assert_eq!(date("Fri, 30 Feb 2024 00:00:00 GMT"), None);
    assert_eq!(date("Thu, 31 Apr 2026 00:00:00 GMT"), None);
    assert_eq!(date("Thu, 00 Jan 2026 00:00:00 GMT"), None);
    assert_eq!(date("Thu, 32 Jan 2026 00:00:00 GMT"), None);
    assert_eq!(
        date("Thu, 31 Dec 2026 23:59:59 GMT"),
        Some(1_798_761_599_000)
    );
    assert_eq!(date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
    assert_eq!(
        date("Mon, 01 Jan 1900 00:00:00 GMT"),
        Some(-2_208_988_800_000)
    );
    assert_eq!(date("Sun, 31 Dec 1899 23:59:59 GMT"), None);
    assert_eq!(
        date("Fri, 31 Dec 9999 23:59:59 GMT"),
        Some(253_402_300_799_000)
    );
}

#[test]
fn impossible_times_are_rejected() {
    for time in [
        "24:00:00",
        "23:60:00",
        "23:59:61",
        "8:49:37",
        "08:49",
        "08:49:37:00",
        "08:49:37.5",
        "08-49-37",
        "+8:49:37",
        "08:49:3",
    ] {
        let text = format!("Sun, 06 Nov 1994 {time} GMT");
        assert_eq!(date(&text), None, "{text}");
    }
    assert_eq!(
        date("Sun, 06 Nov 1994 23:59:59 GMT"),
        Some(RFC_EXAMPLE_MS + 54_622_000)
    );
}

#[test]
fn garbage_dates_are_rejected() {
    for text in [
        "",
        "   ",
        "2026-11-24T10:00:00Z",
        "2026-11-24 10:00:00",
        "1795514400",
        "Sun, 06 Nov 1994 08:49:37 GMT junk",
        "Sun, 06 Nov 1994 08:49:37 GMT,",
        "Sun, 06 November 1994 08:49:37 GMT",
        "Sun, 06 Nox 1994 08:49:37 GMT",
        "Sun, -6 Nov 1994 08:49:37 GMT",
        "Sun, +6 Nov 1994 08:49:37 GMT",
        "Sun, 6.0 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov +994 08:49:37 GMT",
        "Sun, 06 Nov 19945 08:49:37 GMT",
        "Sun, 006 Nov 1994 08:49:37 GMT",
        "Sun,06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994",
        "Sun,",
        "Ｓun, 06 Nov 1994 08:49:37 GMT",
        "Sun, ０6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT\u{e9}",
        "日曜日, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 G\u{1F600}",
    ] {
        assert_eq!(date(text), None, "{text:?}");
    }
}

#[test]
fn no_input_makes_the_date_parser_panic() {
    let long = format!("Sun, {} Nov 1994 08:49:37 GMT", "9".repeat(100_000));
    assert_eq!(date(&long), None);
    assert_eq!(date(&"Sun, ".repeat(10_000)), None);
    assert_eq!(date(&"\u{1F600}".repeat(10_000)), None);
    // Every prefix, and the valid date with a multibyte character spliced in anywhere.
    let valid = "Sunday, 06-Nov-94 08:49:37 +05:30";
    for end in 0..valid.len() {
        assert_eq!(parse_http_date(&valid[..end], u64::MAX), None);
        let spliced = format!("{}é{}", &valid[..end], &valid[end..]);
        assert_eq!(date(&spliced), None, "{spliced}");
    }
    // Absurd clocks only affect two-digit years, and never overflow.
    assert_eq!(parse_http_date(valid, u64::MAX), None);
    assert_eq!(
        parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", u64::MAX),
        Some(RFC_EXAMPLE_MS)
    );
}

// ---- Retry-After -----------------------------------------------------------------------------

#[test]
fn retry_after_delay_seconds() {
    assert_eq!(
        parse_retry_after("0", NOW_MS),
        Some(RetryAfter::DelaySeconds(0))
    );
    assert_eq!(
        parse_retry_after("120", NOW_MS),
        Some(RetryAfter::DelaySeconds(120))
    );
    assert_eq!(
        parse_retry_after("000120", NOW_MS),
        Some(RetryAfter::DelaySeconds(120))
    );
    assert_eq!(
        parse_retry_after(" \t5 ", NOW_MS),
        Some(RetryAfter::DelaySeconds(5))
    );
    assert_eq!(wait("Retry-After: 2"), Some(2_000));
    assert_eq!(wait("retry-after: 0"), Some(0));
    assert_eq!(wait("RETRY-AFTER:   120  \r"), Some(120_000));
}

/// Seconds with a fraction (Shopify's `Retry-After: 2.0`) are read as ky and got read them; the
/// millisecond hint of OpenAI (`retry-after-ms`) wins over `Retry-After`, being the same hint, more
/// precise.
#[test]
fn fractional_seconds_and_millisecond_hints() {
    assert_eq!(
        parse_retry_after("2.0", NOW_MS),
        Some(RetryAfter::DelayMs(2_000))
    );
    assert_eq!(
        parse_retry_after("1.25", NOW_MS),
        Some(RetryAfter::DelayMs(1_250))
    );
    assert_eq!(
        parse_retry_after("0.001", NOW_MS),
        Some(RetryAfter::DelayMs(1))
    );
    assert_eq!(wait("Retry-After: 2.0"), Some(2_000));
    assert_eq!(wait("Retry-After: 2.0, 2.000"), Some(2_000));
    assert_eq!(wait("Retry-After: 2.0, 3"), None, "repeats that disagree");
    assert_eq!(wait("retry-after-ms: 1500\nRetry-After: 2"), Some(1_500));
    assert_eq!(wait("retry-after-ms: 700, 700\nRetry-After: 1"), Some(700));
    assert_eq!(
        wait("retry-after-ms: 700\nretry-after-ms: 900"),
        None,
        "repeats that disagree"
    );
    assert_eq!(
        wait("retry-after-ms: soon\nRetry-After: 2"),
        Some(2_000),
        "a bad ms hint is absent"
    );
    assert_eq!(
        wait("retry-after-ms: 99999999999999999999"),
        Some(MAX_WAIT_MS)
    );
}

#[test]
fn retry_after_garbage_counts_as_absent() {
    for value in [
        "-1",
        "+5",
        "1.5555",
        "1.",
        ".5",
        "1.5.0",
        "-1.5",
        "1795000000.5",
        "5s",
        "5 s",
        "0x10",
        "1e3",
        "",
        " ",
        "1 2",
        "1,5",
        "120,",
        ",120",
        "٣",
        "５",
        "NaN",
        "Infinity",
        "soon",
        "\u{1F600}",
        "2026-11-24T10:00:00Z",
        "Fri, 30 Feb 2026 00:00:00 GMT",
        "Tue, 24 Nov 2026 10:00:00",
    ] {
        assert_eq!(parse_retry_after(value, NOW_MS), None, "{value:?}");
        let block = format!("Retry-After: {value}");
        assert_eq!(wait(&block), None, "{block:?}");
    }
    assert_eq!(
        parse_retry_after(&"1".repeat(100_000), NOW_MS),
        Some(RetryAfter::DelaySeconds(u64::MAX))
    );
    assert_eq!(parse_retry_after(&"1,".repeat(50_000), NOW_MS), None);
    assert_eq!(wait(""), None);
    assert_eq!(wait("Date: Tue, 24 Nov 2026 10:00:00 GMT"), None);
}

#[test]
fn huge_delays_saturate() {
    assert_eq!(
        parse_retry_after("99999999999999999999999", NOW_MS),
        Some(RetryAfter::DelaySeconds(u64::MAX))
    );
    assert_eq!(
        wait("Retry-After: 99999999999999999999999"),
        Some(MAX_WAIT_MS)
    );
    assert_eq!(wait("Retry-After: 18446744073709551615"), Some(MAX_WAIT_MS));
    // Below the epoch range, delay-seconds are exact: 999,999,999 s is about 31.7 years.
    assert_eq!(wait("Retry-After: 999999999"), Some(999_999_999_000));
    assert_eq!(MAX_WAIT_MS, 9_007_199_254_740_991);
}

#[test]
fn delay_seconds_that_can_only_be_an_instant_are_read_as_one_on_the_servers_clock() {
    // Epoch seconds where delay-seconds belong (as ky reads them): a time, measured from the
    // response's Date, not a 56-year wait that would lock the origin's quota.
    let date = "Date: Tue, 24 Nov 2026 10:00:00 GMT";
    let in_a_minute = (NOW_MS / 1000 + 60).to_string();
    assert_eq!(
        wait(&format!("{date}\nRetry-After: {in_a_minute}")),
        Some(60_000)
    );
    // Epoch milliseconds too, and an instant in the past means no wait.
    assert_eq!(
        wait(&format!("{date}\nRetry-After: {}", NOW_MS + 2_500)),
        Some(2_500)
    );
    assert_eq!(wait(&format!("{date}\nRetry-After: 1000000000")), Some(0));
    // The server's clock, not the client's: a client an hour behind still waits a minute.
    let headers = format!("{date}\nRetry-After: {in_a_minute}");
    assert_eq!(
        retry_after_ms(&HeaderBlock::new(&headers), NOW_MS - 3_600_000),
        Some(60_000)
    );
    // The same rule for the draft's `RateLimit` reset, and a 429 with only a reset waits for it.
    let limited = format!("{date}\nRateLimit: \"default\";r=0;t={in_a_minute}");
    assert_eq!(
        rate_limit_hint(&HeaderBlock::new(&limited), NOW_MS).and_then(|hint| hint.reset_ms),
        Some(60_000)
    );
}

#[test]
fn retry_after_dates() {
    let in_two_minutes = "Tue, 24 Nov 2026 10:02:00 GMT";
    assert_eq!(
        parse_retry_after(in_two_minutes, NOW_MS),
        Some(RetryAfter::Date(NOW_MS as i64 + 120_000))
    );
    assert_eq!(
        wait("Retry-After: Tue, 24 Nov 2026 10:02:00 GMT"),
        Some(120_000)
    );
    assert_eq!(
        wait("Retry-After: Tuesday, 24-Nov-26 10:02:00 GMT"),
        Some(120_000)
    );
    assert_eq!(wait("Retry-After: Tue Nov 24 10:02:00 2026"), Some(120_000));
    assert_eq!(
        wait("Retry-After: Tue, 24 Nov 2026 11:02:00 +0100"),
        Some(120_000)
    );
    assert_eq!(
        wait("Retry-After: Fri, 31 Dec 9999 23:59:59 GMT"),
        Some(253_402_300_799_000 - NOW_MS)
    );
}

#[test]
fn past_dates_mean_no_wait() {
    assert_eq!(wait("Retry-After: Tue, 24 Nov 2026 09:59:59 GMT"), Some(0));
    assert_eq!(wait("Retry-After: Tue, 24 Nov 2026 10:00:00 GMT"), Some(0));
    assert_eq!(wait("Retry-After: Sun, 06 Nov 1994 08:49:37 GMT"), Some(0));
    assert_eq!(wait("Retry-After: Mon, 01 Jan 1900 00:00:00 GMT"), Some(0));
    assert_eq!(
        retry_after_ms(
            &HeaderBlock::new("Retry-After: Mon, 01 Jan 1900 00:00:00 GMT"),
            u64::MAX
        ),
        Some(0)
    );
}

#[test]
fn dates_are_measured_from_the_servers_date_header() {
    // The server's clock is an hour ahead of the client's: it still means "two minutes".
    let ahead = "Date: Tue, 24 Nov 2026 11:00:00 GMT\nRetry-After: Tue, 24 Nov 2026 11:02:00 GMT";
    assert_eq!(wait(ahead), Some(120_000));
    // An hour behind: measured from the client clock the date would already be past.
    let behind = "Retry-After: Tue, 24 Nov 2026 09:02:00 GMT\nDate: Tue, 24 Nov 2026 09:00:00 GMT";
    assert_eq!(wait(behind), Some(120_000));
    // The Date header may itself use another form or be repeated consistently.
    let mixed = "Date: Tuesday, 24-Nov-26 11:00:00 GMT\nDate: Tue, 24 Nov 2026 11:00:00 GMT, \
                 Tue, 24 Nov 2026 11:00:00 GMT\nRetry-After: Tue, 24 Nov 2026 11:02:00 GMT";
    assert_eq!(wait(mixed), Some(120_000));
    // An invalid or conflicting Date falls back to the client clock.
    let invalid = "Date: yesterday\nRetry-After: Tue, 24 Nov 2026 10:02:00 GMT";
    assert_eq!(wait(invalid), Some(120_000));
    let conflicting = "Date: Tue, 24 Nov 2026 11:00:00 GMT\nDate: Tue, 24 Nov 2026 09:00:00 GMT\n\
                       Retry-After: Tue, 24 Nov 2026 10:02:00 GMT";
    assert_eq!(wait(conflicting), Some(120_000));
    // The Date header never changes delay-seconds.
    assert_eq!(
        wait("Date: Tue, 24 Nov 2026 11:00:00 GMT\nRetry-After: 7"),
        Some(7_000)
    );
}

#[test]
fn repeated_retry_after_values_must_agree() {
    assert_eq!(wait("Retry-After: 120\nRetry-After: 120"), Some(120_000));
    assert_eq!(wait("Retry-After: 120\nRetry-After: 0120"), Some(120_000));
    assert_eq!(wait("Retry-After: 120, 120"), Some(120_000));
    assert_eq!(wait("Retry-After: 120,120,120"), Some(120_000));
    assert_eq!(wait("Retry-After: 120\nRetry-After: 60"), None);
    assert_eq!(wait("Retry-After: 120, 60"), None);
    assert_eq!(wait("Retry-After: 120\nRetry-After: soon"), None);
    assert_eq!(wait("Retry-After: 120\nRetry-After:"), None);
    let date = "Tue, 24 Nov 2026 10:02:00 GMT";
    let twice = format!("Retry-After: {date}, {date}");
    assert_eq!(wait(&twice), Some(120_000));
    let two_forms = format!("Retry-After: {date}, Tuesday, 24-Nov-26 10:02:00 GMT");
    assert_eq!(wait(&two_forms), Some(120_000));
    let with_asctime = format!("Retry-After: Tue Nov 24 10:02:00 2026, {date}");
    assert_eq!(wait(&with_asctime), Some(120_000));
    let conflicting = format!("Retry-After: {date}, Tue, 24 Nov 2026 10:03:00 GMT");
    assert_eq!(wait(&conflicting), None);
    // A delay and a date never agree, even when they denote the same moment.
    assert_eq!(wait(&format!("Retry-After: 120, {date}")), None);
    assert_eq!(
        wait(&format!("Retry-After: {date}\nRetry-After: 120")),
        None
    );
    assert_eq!(
        parse_retry_after(&format!("{date}, {date}"), NOW_MS),
        Some(RetryAfter::Date(NOW_MS as i64 + 120_000))
    );
}

// ---- Rate-limit headers ----------------------------------------------------------------------

#[test]
fn structured_ratelimit_field() {
    let h = hint("RateLimit: \"default\";r=0;t=30").unwrap();
    assert_eq!(
        h,
        RateLimitHint {
            remaining: Some(0),
            reset_ms: Some(30_000),
            window_ms: None,
            limit: None
        }
    );
    assert_eq!(h.exhausted_wait_ms(), Some(30_000));
    let h =
        hint("RateLimit: \"default\";r=0;t=30\nRateLimit-Policy: \"default\";q=100;w=60").unwrap();
    assert_eq!(h.limit, Some(100));
    assert_eq!(h.window_ms, Some(60_000));
    let h = hint("ratelimit: default;r=7;t=2").unwrap();
    assert_eq!((h.remaining, h.reset_ms), (Some(7), Some(2_000)));
    assert_eq!(h.exhausted_wait_ms(), None);
    let h = hint("RateLimit: \"default\"; r=3; t=4; pk=:cHJvamVjdDEyMw==:").unwrap();
    assert_eq!((h.remaining, h.reset_ms), (Some(3), Some(4_000)));
    let h = hint("RateLimit: \"default\";r=0").unwrap();
    assert_eq!(
        (h.remaining, h.reset_ms, h.exhausted_wait_ms()),
        (Some(0), None, None)
    );
}

#[test]
fn the_most_restrictive_member_wins() {
    let h = hint("RateLimit: \"burst\";r=5;t=1, \"daily\";r=0;t=3600").unwrap();
    assert_eq!((h.remaining, h.reset_ms), (Some(0), Some(3_600_000)));
    let h = hint("RateLimit: \"daily\";r=0;t=3600, \"burst\";r=5;t=1").unwrap();
    assert_eq!((h.remaining, h.reset_ms), (Some(0), Some(3_600_000)));
    // Ties on r go to the longest reset.
    let h = hint("RateLimit: \"a\";r=0;t=1, \"b\";r=0;t=60, \"c\";r=0;t=5").unwrap();
    assert_eq!(h.reset_ms, Some(60_000));
    // Members may also come on separate lines.
    let h = hint("RateLimit: \"a\";r=9;t=1\nRateLimit: \"b\";r=2;t=10").unwrap();
    assert_eq!((h.remaining, h.reset_ms), (Some(2), Some(10_000)));
}

#[test]
fn the_policy_is_matched_by_name() {
    let block = "RateLimit: \"burst\";r=5;t=1, \"daily\";r=0;t=3600\n\
                 RateLimit-Policy: \"burst\";q=10;w=1, \"daily\";q=1000;w=86400";
    let h = hint(block).unwrap();
    assert_eq!((h.limit, h.window_ms), (Some(1000), Some(86_400_000)));
    assert_eq!(h.exhausted_wait_ms(), Some(3_600_000));
    // No member of that name: the first policy.
    let h =
        hint("RateLimit: \"x\";r=1;t=1\nRateLimit-Policy: \"a\";q=10;w=1, \"b\";q=20;w=2").unwrap();
    assert_eq!((h.limit, h.window_ms), (Some(10), Some(1_000)));
    // A policy alone still states the quota.
    let h = hint("RateLimit-Policy: \"default\";q=100;w=60").unwrap();
    assert_eq!(
        h,
        RateLimitHint {
            limit: Some(100),
            window_ms: Some(60_000),
            ..Default::default()
        }
    );
    // The older policy form gives the quota as the item.
    let h = hint("RateLimit-Policy: 100;w=60, 1000;w=3600").unwrap();
    assert_eq!((h.limit, h.window_ms), (Some(100), Some(60_000)));
}

#[test]
fn malformed_members_are_ignored() {
    let h = hint("RateLimit: \"a\";r=-1;t=5, \"b\";r=3;t=2").unwrap();
    assert_eq!((h.remaining, h.reset_ms), (Some(3), Some(2_000)));
    let h = hint("RateLimit: \"a\";r=0;t=1.5, \"b\";r=3;t=2").unwrap();
    assert_eq!((h.remaining, h.reset_ms), (Some(3), Some(2_000)));
    let h = hint("RateLimit: \"a\";r;t=9, \"b\";r=3;t=2").unwrap();
    assert_eq!(h.remaining, Some(3));
    let h = hint("RateLimit: \"unterminated;r=0;t=9, \"b\";r=3;t=2").unwrap();
    assert_eq!(h.remaining, Some(3));
    let h = hint("RateLimit: 1bad;r=0;t=9, b;r=3;t=2").unwrap();
    assert_eq!(h.remaining, Some(3));
    let h =
        hint("RateLimit: \"a\";r=1;t=1\nRateLimit-Policy: \"a\";q=x;w=1, \"b\";q=20;w=2").unwrap();
    assert_eq!(h.limit, Some(20));
    for block in [
        "RateLimit: \"a\";r=-1;t=5",
        "RateLimit: \"a\";r=+1",
        "RateLimit: \"a\"",
        "RateLimit: \"a\";q=5",
        "RateLimit: ;r=0;t=5",
        "RateLimit: \u{1F600};r=0;t=5",
        "RateLimit-Policy: \"a\";q=1.5",
        "RateLimit: ",
        "RateLimit: ,,,",
    ] {
        assert_eq!(hint(block), None, "{block:?}");
    }
}

#[test]
fn huge_rate_limit_numbers_saturate() {
    let h = hint("RateLimit: \"a\";r=99999999999999999999999;t=99999999999999999999999").unwrap();
    assert_eq!(
        (h.remaining, h.reset_ms),
        (Some(u64::MAX), Some(MAX_WAIT_MS))
    );
    let h = hint("RateLimit-Policy: \"a\";q=1;w=99999999999999999999999").unwrap();
    assert_eq!(h.window_ms, Some(MAX_WAIT_MS));
}

#[test]
fn older_draft_forms() {
    let h = hint("RateLimit: limit=100, remaining=0, reset=30").unwrap();
    assert_eq!(
        h,
        RateLimitHint {
            remaining: Some(0),
            reset_ms: Some(30_000),
            window_ms: None,
            limit: Some(100)
        }
    );
    let h = hint("RateLimit-Limit: 100\nRateLimit-Remaining: 0\nRateLimit-Reset: 30").unwrap();
    assert_eq!(
        (h.limit, h.remaining, h.reset_ms),
        (Some(100), Some(0), Some(30_000))
    );
    assert_eq!(h.exhausted_wait_ms(), Some(30_000));
    let h = hint("RateLimit-Limit: 10, 10;w=1, 50;w=60\nRateLimit-Remaining: 5, 5").unwrap();
    assert_eq!((h.limit, h.remaining), (Some(10), Some(5)));
    // Malformed or conflicting older fields are ignored.
    let h = hint("RateLimit-Remaining: -1\nRateLimit-Reset: 1.5\nRateLimit-Limit: 100").unwrap();
    assert_eq!(
        h,
        RateLimitHint {
            limit: Some(100),
            ..Default::default()
        }
    );
    assert_eq!(hint("RateLimit-Remaining: 5\nRateLimit-Remaining: 4"), None);
    assert_eq!(hint("RateLimit: limit=x, remaining=-1, reset=1s"), None);
}

#[test]
fn sources_take_precedence_per_field() {
    // The structured field beats the vendor headers; the vendor fills what it leaves out.
    let block = "RateLimit: \"a\";r=0;t=30\nX-RateLimit-Remaining: 9\nX-RateLimit-Reset: 5\n\
                 X-RateLimit-Limit: 60";
    let h = hint(block).unwrap();
    assert_eq!(
        (h.remaining, h.reset_ms, h.limit),
        (Some(0), Some(30_000), Some(60))
    );
    // The older separate fields beat the vendor headers too.
    let h = hint("X-RateLimit-Remaining: 9\nRateLimit-Remaining: 1").unwrap();
    assert_eq!(h.remaining, Some(1));
    // A malformed higher-precedence field does not hide a valid lower one.
    let h = hint("RateLimit: \"a\";r=x;t=1\nX-RateLimit-Remaining: 4").unwrap();
    assert_eq!(h.remaining, Some(4));
}

#[test]
fn vendor_reset_by_magnitude() {
    let reset = |value: &str| hint(&format!("X-RateLimit-Reset: {value}")).and_then(|h| h.reset_ms);
    // Delta seconds, up to and including 999_999_999.
    assert_eq!(reset("30"), Some(30_000));
    assert_eq!(reset("0"), Some(0));
    assert_eq!(reset("999999999"), Some(999_999_999_000));
    // Epoch seconds from 1_000_000_000 (Sept 2001): a wait from the client's clock.
    assert_eq!(reset("1795514460"), Some(60_000));
    assert_eq!(reset("1000000000"), Some(0));
    assert_eq!(reset("1795514399"), Some(0));
    // Epoch milliseconds from 1_000_000_000_000.
    assert_eq!(reset("1795514401500"), Some(1_500));
    assert_eq!(reset("1000000000000"), Some(0));
    assert_eq!(reset("99999999999999999999999"), Some(MAX_WAIT_MS));
}

#[test]
fn vendor_reset_fractions_round_up_to_whole_ms() {
    let reset = |value: &str| hint(&format!("X-RateLimit-Reset: {value}")).and_then(|h| h.reset_ms);
    assert_eq!(reset("1.5"), Some(1_500));
    assert_eq!(reset("0.25"), Some(250));
    assert_eq!(reset("0.001"), Some(1));
    assert_eq!(reset("1795514460.5"), Some(60_500));
    assert_eq!(reset("1795514401500.2"), Some(1_501));
    for value in [
        "1.2345", "1.", ".5", "-1", "+1", "1e3", "0x10", "1,5", "1 .5", "1. 5", "abc", "5S", "",
    ] {
        assert_eq!(reset(value), None, "{value:?}");
    }
}

#[test]
fn resets_written_as_go_durations_read_as_waits_rounded_up_to_whole_ms() {
    let reset = |value: &str| hint(&format!("X-RateLimit-Reset: {value}")).and_then(|h| h.reset_ms);
    assert_eq!(reset("5s"), Some(5_000));
    assert_eq!(reset("6m0s"), Some(360_000));
    assert_eq!(reset("1h2m3.5s"), Some(3_723_500));
    assert_eq!(reset("20ms"), Some(20));
    assert_eq!(reset("1.5ms"), Some(2));
    assert_eq!(reset("750us"), Some(1));
    assert_eq!(reset("9ns"), Some(1));
    assert_eq!(reset("0s"), Some(0));
    assert_eq!(reset(".5s"), Some(500));
    assert_eq!(reset("0.123456789123h"), Some(444_445));
    // Exact for whole ms, not a float's hair above them.
    assert_eq!(reset("16.1s"), Some(16_100));
    assert_eq!(reset("4.03s"), Some(4_030));
    assert_eq!(reset("1m4.03s"), Some(64_030));
    // Hostile sizes are capped like every other wait, never wrapped.
    assert_eq!(reset("99999999999999999999999h"), Some(MAX_WAIT_MS));
    assert_eq!(reset("9999999h9999999h"), Some(2 * 9_999_999 * 3_600_000));
    assert_eq!(reset(&format!("{}s", "9".repeat(400))), Some(MAX_WAIT_MS));
    assert_eq!(reset(&format!("0.{}s", "9".repeat(400))), Some(1_000));
    assert_eq!(reset(&format!("1.{}1ms", "0".repeat(400))), Some(1));
    for value in [
        "s", "ms", ".s", "1.5.5s", "6m0", "1x", "1 s", "-1s", "1µs", "1d", "1hh", "1s1",
    ] {
        assert_eq!(reset(value), None, "{value:?}");
    }
}

#[test]
fn resets_written_as_http_dates_count_from_the_date_header() {
    // Measured from the Date header, 40 minutes after the client clock (NOW_MS).
    let at = |reset: &str| {
        hint(&format!(
            "Date: Tue, 24 Nov 2026 10:40:00 GMT\nX-RateLimit-Remaining: 0\nX-RateLimit-Reset: {reset}"
        ))
        .and_then(|h| h.exhausted_wait_ms())
    };
    assert_eq!(at("Tue, 24 Nov 2026 10:41:00 GMT"), Some(60_000));
    // In the past: no wait left.
    assert_eq!(at("Tue, 24 Nov 2026 10:00:00 GMT"), Some(0));
    assert_eq!(at("Tue, 31 Nov 2026 10:41:00 GMT"), None);
}

#[test]
fn resets_written_as_iso_8601_instants_count_from_the_date_header() {
    // Jira's X-RateLimit-Reset (minute precision) and the RFC 3339 form with seconds, measured
    // from the Date header, 40 minutes after the client clock (NOW_MS).
    let at = |reset: &str| {
        hint(&format!(
            "Date: Tue, 24 Nov 2026 10:40:00 GMT\nX-RateLimit-Remaining: 0\nX-RateLimit-Reset: {reset}"
        ))
        .and_then(|h| h.exhausted_wait_ms())
    };
    assert_eq!(at("2026-11-24T10:45Z"), Some(300_000));
    assert_eq!(at("2026-11-24T10:40:20Z"), Some(20_000));
    assert_eq!(at("2026-11-25T00:00Z"), Some(48_000_000));
    // A leap second reads as the next midnight, as in an HTTP-date.
    assert_eq!(at("2026-11-24T23:59:60Z"), Some(48_000_000));
    // In the past: no wait left.
    assert_eq!(at("2026-11-24T10:00Z"), Some(0));
    assert_eq!(at("1900-01-01T00:00Z"), Some(0));
    // The latest accepted instant is far below the cap.
    assert_eq!(at("9999-12-31T23:59:59Z"), Some(251_606_783_999_000));
    // Exactly the two documented forms: anything else is no reset.
    for value in [
        "2026-11-24T10:45",
        "2026-11-24T10:45z",
        "2026-11-24t10:45Z",
        "2026-11-24 10:45Z",
        "2026-11-24T10:45:00.000Z",
        "2026-11-24T10:45+00:00",
        "2026-11-24T10:45:00+01:00",
        "2026-11-24T10Z",
        "2026-11-24Z",
        "2026-1-24T10:45:00Z",
        "20261124T104500Z",
        "+2026-11-24T10:45Z",
        "2026-11-24T1:045Z",
        "2026-11-24T10:4aZ",
        "2026-00-24T10:45Z",
        "2026-13-24T10:45Z",
        "2026-11-00T10:45Z",
        "2026-11-31T10:45Z",
        "2026-02-29T10:45Z",
        "2026-11-24T24:00Z",
        "2026-11-24T10:60Z",
        "2026-11-24T10:45:61Z",
        "1899-12-31T23:59Z",
        "2026-11-24T10:45ZZ",
        "Z",
        "",
    ] {
        assert_eq!(at(value), None, "{value:?}");
    }
    assert_eq!(at("2028-02-29T10:45Z"), Some(39_917_100_000));
}

#[test]
fn ratelimit_reset_takes_whole_seconds_or_an_http_date_not_a_fraction() {
    let at = |reset: &str| {
        hint(&format!(
            "Date: Tue, 24 Nov 2026 10:40:00 GMT\nRateLimit-Remaining: 0\nRateLimit-Reset: {reset}"
        ))
        .and_then(|h| h.exhausted_wait_ms())
    };
    assert_eq!(at("50"), Some(50_000));
    assert_eq!(at("Tue, 24 Nov 2026 10:40:50 GMT"), Some(50_000));
    assert_eq!(at("1.5"), None);
}

#[test]
fn openai_limits_the_exhausted_one_counts() {
    let hint_of = |requests: (&str, &str), tokens: (&str, &str)| {
        hint(&format!(
            "x-ratelimit-remaining-requests: {}\nx-ratelimit-reset-requests: {}\n\
             x-ratelimit-remaining-tokens: {}\nx-ratelimit-reset-tokens: {}",
            requests.0, requests.1, tokens.0, tokens.1
        ))
        .unwrap()
    };
    assert_eq!(
        hint_of(("0", "1s"), ("149984", "6m0s")).exhausted_wait_ms(),
        Some(1_000)
    );
    assert_eq!(
        hint_of(("59", "1s"), ("0", "6m0s")).exhausted_wait_ms(),
        Some(360_000)
    );
    // Both spent: the requests limit is read (its reset is the first that lets a request through
    // only when the tokens allow it too; the policy's own backoff covers the rest).
    assert_eq!(
        hint_of(("0", "1s"), ("0", "6m0s")).exhausted_wait_ms(),
        Some(1_000)
    );
    assert_eq!(
        hint_of(("5", "1s"), ("7", "6m0s")).exhausted_wait_ms(),
        None
    );
    let tokens_only =
        hint("x-ratelimit-remaining-tokens: 0\nx-ratelimit-reset-tokens: 20ms").unwrap();
    assert_eq!(tokens_only.exhausted_wait_ms(), Some(20));
    // GitHub's own headers win over the suffixed ones.
    let both = hint("x-ratelimit-remaining: 3\nx-ratelimit-remaining-requests: 0\nx-ratelimit-reset-requests: 1s").unwrap();
    assert_eq!(both.remaining, Some(3));
}

#[test]
fn vendor_counts() {
    let h = hint("X-RateLimit-Limit: 60\nX-RateLimit-Remaining: 0\nX-RateLimit-Reset: 12").unwrap();
    assert_eq!(
        h,
        RateLimitHint {
            remaining: Some(0),
            reset_ms: Some(12_000),
            window_ms: None,
            limit: Some(60)
        }
    );
    assert_eq!(h.exhausted_wait_ms(), Some(12_000));
    let h = hint("x-ratelimit-remaining: 0").unwrap();
    assert_eq!(h.exhausted_wait_ms(), None);
    let h =
        hint("X-RateLimit-Remaining: 0, 0\nX-RateLimit-Reset: 12\nX-RateLimit-Reset: 12").unwrap();
    assert_eq!(h.exhausted_wait_ms(), Some(12_000));
    assert_eq!(
        hint("X-RateLimit-Remaining: 0\nX-RateLimit-Remaining: 1"),
        None
    );
    assert_eq!(
        hint("X-RateLimit-Limit: 1.5\nX-RateLimit-Remaining: -1"),
        None
    );
}

#[test]
fn no_rate_limit_fields_means_no_hint() {
    assert_eq!(hint(""), None);
    assert_eq!(hint("Retry-After: 5\nContent-Type: text/plain"), None);
    assert_eq!(
        hint(&format!("RateLimit: {}", "\"a\";".repeat(1_000))),
        None
    );
    assert_eq!(RateLimitHint::default().exhausted_wait_ms(), None);
}

/// Lists are read up to `MAX_LIST_MEMBERS` members: a longer `Retry-After` list counts as absent, and a
/// `RateLimit` member past the limit is never parsed (a 4 KB list of near misses cost about 0.6 ms).
#[test]
fn long_lists_are_read_up_to_the_member_limit() {
    use http_verdict::headers::MAX_LIST_MEMBERS;
    let agreeing = |count: usize| vec!["2"; count].join(", ");
    assert_eq!(
        wait(&format!("Retry-After: {}", agreeing(MAX_LIST_MEMBERS))),
        Some(2000)
    );
    assert_eq!(
        wait(&format!("Retry-After: {}", agreeing(MAX_LIST_MEMBERS + 1))),
        None
    );
    let members = |filler: usize| {
        let mut list = vec!["a;r=5;t=1"; filler];
        list.push("b;r=0;t=30");
        format!("RateLimit: {}", list.join(", "))
    };
    let within = hint(&members(MAX_LIST_MEMBERS - 1)).expect("the last member is read");
    assert_eq!((within.remaining, within.reset_ms), (Some(0), Some(30_000)));
    let past = hint(&members(MAX_LIST_MEMBERS)).expect("the first members are read");
    assert_eq!((past.remaining, past.reset_ms), (Some(5), Some(1000)));
}

/// RFC 9110 §5.6.7: an HTTP-date may carry a leap second; Unix time has none, so `23:59:60` is the
/// next midnight.
#[test]
fn a_leap_second_is_accepted() {
    assert_eq!(
        date("Wed, 31 Dec 2025 23:59:60 GMT"),
        date("Thu, 01 Jan 2026 00:00:00 GMT")
    );
    assert!(date("Wed, 31 Dec 2025 23:59:60 GMT").is_some());
}

/// Epoch resets are measured on the server's clock (its `Date`), as `Retry-After` dates are: a client
/// five minutes fast still waits the 30 s the server meant, not nothing.
#[test]
fn epoch_resets_count_from_the_servers_date() {
    let server_now_s = NOW_MS / 1000;
    let client_now_ms = NOW_MS + 300_000;
    let date_header = "Date: Tue, 24 Nov 2026 10:00:00 GMT";
    assert_eq!(date("Tue, 24 Nov 2026 10:00:00 GMT"), Some(NOW_MS as i64));
    for name in ["X-RateLimit-Reset", "RateLimit-Reset"] {
        let remaining = if name.starts_with('X') {
            "X-RateLimit-Remaining"
        } else {
            "RateLimit-Remaining"
        };
        let block = format!(
            "{remaining}: 0\n{name}: {}\n{date_header}",
            server_now_s + 30
        );
        let hint = rate_limit_hint(&HeaderBlock::new(&block), client_now_ms).expect("a hint");
        assert_eq!(hint.exhausted_wait_ms(), Some(30_000), "{name} with Date");
        // Without a Date, the client's clock is all there is.
        let undated = format!("{remaining}: 0\n{name}: {}", server_now_s + 330);
        let hint = rate_limit_hint(&HeaderBlock::new(&undated), client_now_ms).expect("a hint");
        assert_eq!(
            hint.exhausted_wait_ms(),
            Some(30_000),
            "{name} without Date"
        );
    }
    // Small values stay delta seconds, whatever the Date says.
    let delta = format!("RateLimit-Remaining: 0\nRateLimit-Reset: 30\n{date_header}");
    let hint = rate_limit_hint(&HeaderBlock::new(&delta), client_now_ms).expect("a hint");
    assert_eq!(hint.exhausted_wait_ms(), Some(30_000));
}

/// A block of up to 16 lines is indexed once; a longer one is scanned. Both read the same values.
#[test]
fn indexed_and_scanned_blocks_read_alike() {
    for filler in [0, 5, 15, 16, 40] {
        let mut lines: Vec<String> = (0..filler)
            .map(|index| format!("x-filler-{index}: {index}"))
            .collect();
        lines.push("Retry-After :  7 \r".into());
        lines.push("no colon here".into());
        lines.push("retry-after: 7".into());
        let block = lines.join("\n");
        let headers = HeaderBlock::new(&block);
        assert_eq!(
            headers.get_all("retry-after").collect::<Vec<_>>(),
            ["7", "7"],
            "{filler} fillers"
        );
        assert_eq!(headers.get("x-filler-0"), (filler > 0).then_some("0"));
        assert_eq!(wait(&block), Some(7_000));
    }
}

/// A block past 64 KiB is scanned too (a line's offsets would not fit the index), and reads alike;
/// a name no line has answers nothing, also when a line's name has its length modulo 32 (the block
/// keeps a bit per name length to skip lookups of absent names).
#[test]
fn long_blocks_and_name_lengths_read_alike() {
    let filler = format!("x-filler: {}", "a".repeat(5_000));
    for fillers in [0, 2, 14, 23] {
        let mut lines = vec![filler.clone(); fillers];
        lines.push("retry-after: 7".into());
        // 11 + 32 bytes: the length of `retry-after` modulo 32.
        lines.push(format!("x-{}: 9", "n".repeat(41)));
        let block = lines.join("\n");
        let headers = HeaderBlock::new(&block);
        assert_eq!(
            headers.get("retry-after"),
            Some("7"),
            "{} bytes",
            block.len()
        );
        assert_eq!(headers.get("retry-aftex"), None);
        assert_eq!(headers.get(&format!("x-{}", "n".repeat(41))), Some("9"));
        assert_eq!(headers.get("date"), None);
        assert_eq!(wait(&block), Some(7_000));
    }
}

#[test]
fn azures_millisecond_hint_comes_after_retry_after_ms_and_before_retry_after() {
    assert_eq!(
        wait("x-ms-retry-after-ms: 2500\nretry-after: 9"),
        Some(2_500)
    );
    assert_eq!(
        wait("retry-after-ms: 750\nx-ms-retry-after-ms: 2500\nretry-after: 9"),
        Some(750)
    );
    // A malformed millisecond hint is no hint: `Retry-After` decides.
    assert_eq!(
        wait("x-ms-retry-after-ms: 2.5s\nretry-after: 9"),
        Some(9_000)
    );
}

#[test]
fn the_x_rate_limit_spelling_is_read_after_x_ratelimit() {
    let reset_s = NOW_MS / 1000 + 90;
    let x = format!(
        "x-rate-limit-remaining: 0\nx-rate-limit-reset: {reset_s}\nx-rate-limit-limit: 300"
    );
    let read = hint(&x).unwrap();
    assert_eq!(read.remaining, Some(0));
    assert_eq!(read.limit, Some(300));
    assert_eq!(read.exhausted_wait_ms(), Some(90_000));
    // Where both spellings are sent, GitHub's alone is read.
    let both = format!("x-ratelimit-remaining: 4\n{x}");
    let read = hint(&both).unwrap();
    assert_eq!(
        (read.remaining, read.limit, read.reset_ms),
        (Some(4), None, None)
    );
}

// ---- Waits stated in a reply body ------------------------------------------------------------

/// The wait `classify` reads for `status` with no headers and this body (`profile`: Shopify's
/// GraphQL preset's rule, a 200 with `THROTTLED` read as a throttle).
fn body_wait(status: u16, body: &str, throttled_200: bool) -> Option<u64> {
    use http_verdict::profile::RuleSpec;
    use http_verdict::{classify, Profile, ProfileSpec, ResponseParts};
    let rule = RuleSpec {
        status: 200.0,
        kind: "throttled".into(),
        body_includes: Some(vec!["THROTTLED".into()]),
        header: None,
    };
    let profile = Profile::new(ProfileSpec { rules: vec![rule] }).unwrap();
    let response = ResponseParts {
        status,
        headers: HeaderBlock::empty(),
        body: Some(body),
    };
    classify(&response, NOW_MS, throttled_200.then_some(&profile)).retry_after_ms
}

#[test]
fn google_retry_delay_is_read_in_ms_rounded_up() {
    let delay = |value: &str| body_wait(429, &format!(r#"{{"retryDelay": "{value}"}}"#), false);
    assert_eq!(delay("30s"), Some(30_000));
    assert_eq!(delay("17.412816s"), Some(17_413));
    assert_eq!(delay("0.057s"), Some(57));
    assert_eq!(delay("0.0001s"), Some(1));
    assert_eq!(delay("0s"), Some(0));
    assert_eq!(delay("1.000000001s"), Some(1_001));
    // Hostile sizes are capped like every other wait, never wrapped; a fraction of hundreds of
    // digits is no delay.
    assert_eq!(delay(&format!("{}s", "9".repeat(400))), Some(MAX_WAIT_MS));
    assert_eq!(delay(&format!("1.{}s", "0".repeat(400))), None);
    for value in ["30", "s", "-1s", "1.5.5s", "30ms", "1e3s", "thirty"] {
        assert_eq!(delay(value), None, "{value:?}");
    }
}

/// Shopify's throttled GraphQL reply (its docs' bucket, a community-posted answer) with the cost
/// fields given.
fn shopify(requested: &str, available: &str, restore: &str) -> String {
    format!(
        r#"{{"errors":[{{"message":"Throttled","extensions":{{"code":"THROTTLED"}}}}],"extensions":{{"cost":{{"requestedQueryCost":{requested},"actualQueryCost":null,"throttleStatus":{{"maximumAvailable":1000.0,"currentlyAvailable":{available},"restoreRate":{restore}}}}}}}}}"#
    )
}

#[test]
fn shopify_query_cost_is_the_wait_until_the_bucket_holds_the_query() {
    let wait = |requested: &str, available: &str, restore: &str| {
        body_wait(200, &shopify(requested, available, restore), true)
    };
    // (202 - 118) / 50 points per second = 1.68 s.
    assert_eq!(wait("202", "118", "50.0"), Some(1_680));
    assert_eq!(wait("1000", "0", "50.0"), Some(20_000));
    assert_eq!(wait("101", "100.5", "100.0"), Some(5));
    assert_eq!(wait("3", "2", "3"), Some(334));
    // The same reply as a 429 (one report has Shopify answer so) needs no profile.
    assert_eq!(
        body_wait(429, &shopify("202", "118", "50.0"), false),
        Some(1_680)
    );
    // Pretty-printed JSON reads the same.
    let pretty = "{\"extensions\": {\"cost\": {\n  \"requestedQueryCost\": 202,\n  \
        \"throttleStatus\": {\n    \"currentlyAvailable\": 118,\n    \"restoreRate\": 50.0\n  }\n}}}";
    assert_eq!(body_wait(429, pretty, false), Some(1_680));
    // A bucket that already holds the query, a missing or malformed field: no wait to read.
    assert_eq!(wait("100", "118", "50.0"), None);
    assert_eq!(wait("118", "118", "50.0"), None);
    for (requested, available, restore) in [
        ("null", "118", "50.0"),
        ("202", "-1", "50.0"),
        ("202", "118", "\"fast\""),
        ("202", "118", "5e1"),
        ("2.0.2", "118", "50.0"),
    ] {
        assert_eq!(
            wait(requested, available, restore),
            None,
            "{requested} {available} {restore}"
        );
    }
    assert_eq!(
        body_wait(
            429,
            r#"{"requestedQueryCost":202,"restoreRate":50.0}"#,
            false
        ),
        None
    );
    // Hostile values are capped like every other wait: a bucket that never refills, a cost of
    // hundreds of digits; infinity against infinity is no wait at all.
    assert_eq!(wait("202", "118", "0"), Some(MAX_WAIT_MS));
    assert_eq!(wait(&"9".repeat(400), "118", "50.0"), Some(MAX_WAIT_MS));
    assert_eq!(wait(&"9".repeat(400), &"9".repeat(400), "50.0"), None);
    // A number the scan window cuts off is no number.
    let start = r#"{"requestedQueryCost":202,"currentlyAvailable":11"#;
    let cut = format!("{}{start}", " ".repeat(2048 - start.len()));
    assert_eq!(cut.len(), 2048);
    assert_eq!(
        body_wait(429, &format!("{cut}8,\"restoreRate\":50.0}}"), false),
        None
    );
    // A 200 read as a success has no wait, whatever its cost says (every Shopify reply has one).
    assert_eq!(body_wait(200, &shopify("202", "118", "50.0"), false), None);
}

#[test]
fn a_limit_the_reply_names_waits_as_its_api_documents() {
    // GitHub's secondary rate limit: at least a minute.
    let github = r#"{"message":"You have exceeded a secondary rate limit and have been temporarily blocked from content creation."}"#;
    assert_eq!(body_wait(403, github, false), Some(60_000));
    assert_eq!(body_wait(429, github, false), Some(60_000));
    // HubSpot's ten-second rolling window, named by its policyName or its message alone.
    let hubspot = r#"{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"}"#;
    assert_eq!(body_wait(429, hubspot, false), Some(10_000));
    assert_eq!(
        body_wait(429, r#"{"policyName":"TEN_SECONDLY_ROLLING"}"#, false),
        Some(10_000)
    );
    // Its daily limit names no wait (it resets at midnight in the account's time zone).
    let daily = r#"{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","policyName":"DAILY"}"#;
    assert_eq!(body_wait(429, daily, false), None);
    // Not on a reply that is no rate limit, and a wait the server states wins.
    assert_eq!(body_wait(500, hubspot, false), None);
    assert_eq!(body_wait(200, hubspot, false), None);
    let both = format!(r#"{{"retryDelay":"3s","message":{hubspot:?}}}"#);
    assert_eq!(body_wait(429, &both, false), Some(3_000));
}
