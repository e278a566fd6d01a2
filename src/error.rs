//! The one error the core returns: an input it refuses, the field that holds it and what is wrong.
//!
//! Every check of what a caller passes (an option, a profile rule, a status number) ends here, so
//! the three kinds of refusal share one shape, one stable code per kind (the `code` of the
//! JavaScript `TypeError`/`RangeError` the bindings throw) and one place where the sentence is
//! assembled. Sentences are built by concatenation rather than `format!`, so the wasm module carries
//! no formatting machinery for them. It imports only the text helpers (a leaf); the concepts import it.

use alloc::string::String;

use crate::text::join;

/// Which kind of input was refused; each has the stable code users match on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// A retry, budget, breaker or client-state option (JS: a `RangeError`).
    InvalidOption,
    /// A rule of a profile (JS: a `TypeError`).
    InvalidProfile,
    /// A number that is not an HTTP status (JS: a `RangeError`).
    StatusRange,
}

impl ErrorCode {
    /// The stable code shared with the JavaScript errors, like `ERR_INVALID_OPTION`.
    pub fn id(self) -> &'static str {
        match self {
            ErrorCode::InvalidOption => "ERR_INVALID_OPTION",
            ErrorCode::InvalidProfile => "ERR_INVALID_PROFILE",
            ErrorCode::StatusRange => "ERR_STATUS_RANGE",
        }
    }
}

/// An input the core refuses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// Which kind of input, and so the stable code.
    pub code: ErrorCode,
    /// The field in its JS spelling, with its path inside lists: `maxAttempts`,
    /// `circuitBreaker.window`, `statusOverrides[2].status`, `rules[0].kind`, `status`.
    pub field: String,
    /// What is wrong with it, the end of the sentence: for an option or a status what a valid value
    /// is (`an integer from 1 to 1000`), for a profile rule what it breaks (`is not a known kind id`).
    pub problem: &'static str,
}

impl InputError {
    /// A refused option or status: ``Expected `field` to be problem.``
    pub fn option(field: String, problem: &'static str) -> Self {
        Self {
            code: ErrorCode::InvalidOption,
            field,
            problem,
        }
    }

    /// A refused profile rule: ``Invalid profile: `field` problem``.
    pub fn profile(field: String, problem: &'static str) -> Self {
        Self {
            code: ErrorCode::InvalidProfile,
            field,
            problem,
        }
    }

    /// A number that is not an HTTP status.
    pub fn status(problem: &'static str) -> Self {
        Self {
            code: ErrorCode::StatusRange,
            field: "status".into(),
            problem,
        }
    }

    /// The stable code, like `ERR_INVALID_OPTION`.
    pub fn code(&self) -> &'static str {
        self.code.id()
    }

    /// The sentence users see, which names the field.
    pub fn message(&self) -> String {
        match self.code {
            ErrorCode::InvalidProfile => {
                join(&["Invalid profile: `", &self.field, "` ", self.problem])
            }
            ErrorCode::InvalidOption | ErrorCode::StatusRange => {
                join(&["Expected `", &self.field, "` to be ", self.problem, "."])
            }
        }
    }
}

impl core::fmt::Display for InputError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for InputError {}
