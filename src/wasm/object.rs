//! The one type JavaScript holds in wasm memory: a retry policy, a client state (or the stand-in for
//! none), a profile, or why `create` made none of them.
//!
//! Each exported Rust type brings its own JS class, free function and finalization registry into the
//! glue of every download, so the three share one; the JS wrappers (`RetryPolicy`, `ClientState`,
//! `Profile`) keep each kind apart, and every export given the wrong kind answers as if given none.

use alloc::boxed::Box;
#[cfg(not(feature = "package"))]
use alloc::string::String;

use wasm_bindgen::prelude::*;

use crate::client_state::ClientState;
use crate::error::InputError;
use crate::policy::RetryPolicy;
use crate::profile::Profile;

/// A core object held by JavaScript.
#[wasm_bindgen]
pub struct CoreObject {
    held: Held,
}

// NOTE: the policy and the state are boxed so that the type is as small as a profile (a few words):
// a profile made and dropped now and then must not take a policy-sized block each time (the soak
// test's wasm memory grew a page over ten million decisions with them inline).
enum Held {
    Policy(Box<RetryPolicy>),
    /// `None`: the stand-in for "no state" (or "no profile") that exports take in its place.
    State(Option<Box<ClientState>>),
    Profile(Profile),
    /// What `create` refused, as the sentence naming the first value out of range.
    #[cfg(not(feature = "package"))]
    Rejected(String),
}

impl CoreObject {
    pub(crate) fn policy(policy: RetryPolicy) -> Self {
        Self {
            held: Held::Policy(Box::new(policy)),
        }
    }

    pub(crate) fn state(state: Option<ClientState>) -> Self {
        Self {
            held: Held::State(state.map(Box::new)),
        }
    }

    pub(crate) fn profile(profile: Profile) -> Self {
        Self {
            held: Held::Profile(profile),
        }
    }

    /// What `create` makes of options it refuses: an object that holds why (see `rejection`). The
    /// package's JavaScript checks every option first (`CHECKED_HERE`), so there the core refuses
    /// nothing, and an object that every export takes as none is all it needs.
    pub(crate) fn rejected(error: InputError) -> Self {
        #[cfg(feature = "package")]
        let held = {
            drop(error);
            Held::State(None)
        };
        #[cfg(not(feature = "package"))]
        let held = Held::Rejected(error.message());
        Self { held }
    }

    pub(crate) fn as_policy(&self) -> Option<&RetryPolicy> {
        match &self.held {
            Held::Policy(policy) => Some(policy),
            _ => None,
        }
    }

    pub(crate) fn as_state_mut(&mut self) -> Option<&mut ClientState> {
        match &mut self.held {
            Held::State(state) => state.as_deref_mut(),
            _ => None,
        }
    }

    pub(crate) fn as_profile(&self) -> Option<&Profile> {
        match &self.held {
            Held::Profile(profile) => Some(profile),
            _ => None,
        }
    }
}

#[cfg(not(feature = "package"))]
#[wasm_bindgen]
impl CoreObject {
    /// Why `create` made nothing: the sentence naming the first value out of range; empty for an
    /// object it made.
    pub fn rejection(&self) -> String {
        match &self.held {
            Held::Rejected(message) => message.clone(),
            _ => String::new(),
        }
    }
}
