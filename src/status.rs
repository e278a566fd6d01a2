//! HTTP status codes as input: validation and RFC 9110 reason phrases.
//!
//! Statuses arrive from JavaScript as arbitrary numbers, so validation is part of the contract: the
//! error says which rule failed, and the bindings turn it into a `RangeError` with a stable code.

use crate::error::InputError;
use crate::float::is_integer;

/// What a valid status is, when the number has a fraction or is not finite.
pub const NOT_AN_INTEGER: &str = "an integer HTTP status from 100 to 599, got a non-integer number";
/// What a valid status is, when the integer is outside 100–599.
pub const OUT_OF_RANGE: &str = "an integer HTTP status from 100 to 599";

/// Checks that a number (as JavaScript has it) is an HTTP status from 100 to 599.
///
/// ```
/// use http_verdict::status::{status_from_number, OUT_OF_RANGE};
/// assert_eq!(status_from_number(503.0), Ok(503));
/// let error = status_from_number(600.0).unwrap_err();
/// assert_eq!((error.code(), error.problem), ("ERR_STATUS_RANGE", OUT_OF_RANGE));
/// assert_eq!(error.message(), "Expected `status` to be an integer HTTP status from 100 to 599.");
/// ```
pub fn status_from_number(value: f64) -> Result<u16, InputError> {
    status_problem(value).map_err(InputError::status)
}

/// [`status_from_number`] without building the error: the problem names which rule failed. The
/// bindings classify with it, so that a bad status costs no allocation.
pub(crate) fn status_problem(value: f64) -> Result<u16, &'static str> {
    if !is_integer(value) {
        return Err(NOT_AN_INTEGER);
    }
    if !(100.0..=599.0).contains(&value) {
        return Err(OUT_OF_RANGE);
    }
    // NOTE: the range check above makes this conversion exact.
    Ok(value as u16)
}

/// The RFC 9110 (and widely registered) reason phrase of a status, if it has one.
///
/// ```
/// assert_eq!(http_verdict::status::reason_phrase(418), None);
/// assert_eq!(http_verdict::status::reason_phrase(308), Some("Permanent Redirect"));
/// ```
pub fn reason_phrase(status: u16) -> Option<&'static str> {
    REASON_PHRASES
        .binary_search_by_key(&status, |(known, _)| *known)
        .ok()
        .and_then(|index| REASON_PHRASES.get(index))
        .map(|(_, phrase)| *phrase)
}

/// Reason phrases by status, sorted.
// NOTE: a sorted table rather than a `match`: LLVM turns a `match` over 100–511 into lookup tables
// with an entry for every number in the range, several KB of the wasm module for 63 phrases.
const REASON_PHRASES: [(u16, &str); 61] = [
    (100, "Continue"),
    (101, "Switching Protocols"),
    (102, "Processing"),
    (103, "Early Hints"),
    (200, "OK"),
    (201, "Created"),
    (202, "Accepted"),
    (203, "Non-Authoritative Information"),
    (204, "No Content"),
    (205, "Reset Content"),
    (206, "Partial Content"),
    (207, "Multi-Status"),
    (208, "Already Reported"),
    (226, "IM Used"),
    (300, "Multiple Choices"),
    (301, "Moved Permanently"),
    (302, "Found"),
    (303, "See Other"),
    (304, "Not Modified"),
    (305, "Use Proxy"),
    (307, "Temporary Redirect"),
    (308, "Permanent Redirect"),
    (400, "Bad Request"),
    (401, "Unauthorized"),
    (402, "Payment Required"),
    (403, "Forbidden"),
    (404, "Not Found"),
    (405, "Method Not Allowed"),
    (406, "Not Acceptable"),
    (407, "Proxy Authentication Required"),
    (408, "Request Timeout"),
    (409, "Conflict"),
    (410, "Gone"),
    (411, "Length Required"),
    (412, "Precondition Failed"),
    (413, "Content Too Large"),
    (414, "URI Too Long"),
    (415, "Unsupported Media Type"),
    (416, "Range Not Satisfiable"),
    (417, "Expectation Failed"),
    (421, "Misdirected Request"),
    (422, "Unprocessable Content"),
    (423, "Locked"),
    (424, "Failed Dependency"),
    (425, "Too Early"),
    (426, "Upgrade Required"),
    (428, "Precondition Required"),
    (429, "Too Many Requests"),
    (431, "Request Header Fields Too Large"),
    (451, "Unavailable For Legal Reasons"),
    (500, "Internal Server Error"),
    (501, "Not Implemented"),
    (502, "Bad Gateway"),
    (503, "Service Unavailable"),
    (504, "Gateway Timeout"),
    (505, "HTTP Version Not Supported"),
    (506, "Variant Also Negotiates"),
    (507, "Insufficient Storage"),
    (508, "Loop Detected"),
    (510, "Not Extended"),
    (511, "Network Authentication Required"),
];
