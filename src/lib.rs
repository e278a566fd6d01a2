//! http-verdict: classify HTTP responses and fetch failures, and decide what a client should do.
//!
//! The core is pure Rust: no I/O, no clock and no randomness of its own (time comes in as
//! arguments), so every verdict is deterministic and testable natively. The `wasm` module is the
//! only place that knows about JavaScript. Comments citing `contract §n` point at the sections of
//! `docs/contract.md`, the behaviour the code promises.
//!
//! ```
//! use http_verdict::{classify, HeaderBlock, Kind, ResponseParts};
//! let response = ResponseParts {
//!     status: 429,
//!     headers: HeaderBlock::new("retry-after: 1"),
//!     body: Some(r#"{"message":"Too Many Requests"}"#),
//! };
//! let verdict = classify(&response, 0, None);
//! assert_eq!(verdict.kind, Kind::Throttled);
//! assert_eq!(verdict.retry_after_ms, Some(1000));
//! assert!(verdict.never_processed());
//! ```

#![cfg_attr(feature = "package", no_std)]

// NOTE: `alloc` by name everywhere, so the same source builds with std (native, tests, simulator)
// and without it (the npm package's wasm, feature `package`).
extern crate alloc;

pub mod backoff;
pub mod breaker;
pub mod budget;
pub mod classify;
pub mod client_state;
mod deadline;
pub mod decision;
pub mod error;
mod float;
pub mod headers;
pub mod http_date;
pub mod kind;
pub mod method;
pub mod option_check;
pub mod options;
mod pace;
pub mod policy;
pub mod profile;
pub mod random;
pub mod rate_limit;
pub mod retry_after;
pub mod shared;
pub mod status;
mod text;
pub mod transport;
pub mod variants;
pub mod wait_source;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use backoff::Jitter;
pub use classify::{classify, classify_error, ResponseParts, Verdict};
pub use client_state::{Admission, ClientState, ClientStateOptions};
pub use decision::{Decision, Reason};
pub use error::{ErrorCode, InputError};
pub use headers::HeaderBlock;
pub use kind::{Action, Family, Kind, RetryScope};
pub use method::Method;
pub use options::{ClientStateSpec, RetryOptions, RetryOptionsSpec, StatusOverride};
pub use policy::{Outcome, RetryPolicy};
pub use profile::{Profile, ProfileSpec};
pub use shared::SharedFacts;
pub use status::status_from_number;
pub use transport::{ErrorShape, TransportDetail};
pub use wait_source::WaitSource;
