//! Helpers the Rust integration tests share: the clock they agree on, verdicts of responses, and
//! policies and states made from options that are known to be valid. Each test file that needs them
//! declares `mod common;`; a file uses only some of them.
#![allow(dead_code)]

use http_verdict::{
    classify, ClientState, ClientStateOptions, HeaderBlock, ResponseParts, RetryOptions,
    RetryPolicy, Verdict,
};

/// Tue, 24 Nov 2026 10:00:00 GMT: the client's clock in most tests.
pub const NOW_MS: u64 = 1_795_514_400_000;

/// The verdict of a response classified at `now_ms`.
pub fn response_at(status: u16, headers: &str, body: Option<&str>, now_ms: u64) -> Verdict {
    let parts = ResponseParts {
        status,
        headers: HeaderBlock::new(headers),
        body,
    };
    classify(&parts, now_ms, None)
}

/// The verdict of a response classified at [`NOW_MS`].
pub fn response(status: u16, headers: &str, body: Option<&str>) -> Verdict {
    response_at(status, headers, body, NOW_MS)
}

/// The verdict of a bare status.
pub fn status(status: u16) -> Verdict {
    response(status, "", None)
}

/// A policy from options the test knows are valid.
pub fn policy(options: RetryOptions) -> RetryPolicy {
    match RetryPolicy::new(options) {
        Ok(policy) => policy,
        Err(error) => panic!("valid options rejected: {error}"),
    }
}

/// A client state from options the test knows are valid.
pub fn state(options: ClientStateOptions) -> ClientState {
    match ClientState::new(options) {
        Ok(state) => state,
        Err(error) => panic!("valid options rejected: {error}"),
    }
}
