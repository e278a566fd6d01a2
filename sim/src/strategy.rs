//! Retry strategies as the simulator drives them, and the adapter that runs this crate's engine.
//!
//! A strategy belongs to one client and sees what that client's fetch wrapper would see: before
//! each attempt it may send, wait or refuse ([`Strategy::admit`]); after each attempt it gets the
//! raw outcome (status, header block, body, or a network failure) and says whether to retry and
//! after how long ([`Strategy::after`]). The library adapter does exactly what the JS wrapper in
//! `pkg-template/fetch.js` does: `RetryPolicy::admit` before every attempt, the real `classify`
//! or `classify_error` on the outcome, then `RetryPolicy::decide` with the client's
//! `ClientState`, a per-request salt and the previous wait.
//!
//! Hedging (issue 13 item 4) is the strategy's too: when a GET attempt is sent it names the delay
//! after which one more copy should go if no response headers have come ([`Strategy::hedge_delay_ms`]),
//! and when that delay passes it says whether the copy may go ([`Strategy::admit_hedge`]): the
//! library adapter spends one retry of the client state's retry budget on it
//! (`ClientState::try_retry`, as `http-verdict/hedge` does through `spendRetry`), and sends none
//! when the budget refuses.

use std::collections::VecDeque;

use http_verdict::classify::{classify, classify_error, ResponseParts};
use http_verdict::client_state::{Admission, ClientState, ClientStateOptions};
use http_verdict::headers::HeaderBlock;
use http_verdict::options::RetryOptions;
use http_verdict::policy::{Outcome, RetryPolicy};
use http_verdict::shared::SharedFacts;
use http_verdict::transport::ErrorShape;

use super::population::{HttpMethod, Runtime};
use super::server::EPOCH_MS;
use super::variants::{HedgeDelay, Hedging};

/// The one origin of the simulated API.
pub(crate) const ORIGIN: &str = "https://api.example";

/// What a client sees of one attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Seen<'a> {
    /// A response.
    Response {
        status: u16,
        headers: &'a str,
        body: &'a str,
    },
    /// The connection was refused.
    Refused,
    /// The connection broke after sending.
    Reset,
    /// The client's per-attempt timeout fired.
    Timeout,
}

impl Seen<'_> {
    /// The status, for a response.
    pub(crate) fn status(&self) -> Option<u16> {
        match self {
            Seen::Response { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether it is a 2xx.
    pub(crate) fn is_success(&self) -> bool {
        self.status()
            .is_some_and(|status| (200..300).contains(&status))
    }

    /// The response's header block (empty for network failures).
    pub(crate) fn headers(&self) -> &str {
        match self {
            Seen::Response { headers, .. } => headers,
            _ => "",
        }
    }
}

/// A request as its strategy sees it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RequestView {
    /// Per-client request number (the wrapper's salt).
    pub salt: u64,
    /// Global request id (keys per-request bookkeeping).
    pub id: u64,
    pub method: HttpMethod,
    pub has_idempotency_key: bool,
    /// In `admit`: the attempt about to be sent; in `after`: the attempt that just finished.
    pub attempt: u32,
    /// Since the request was issued, in ms.
    pub elapsed_ms: u64,
    /// Virtual now, in ms.
    pub now_ms: u64,
    /// The previous wait of this request (0 before the first retry), in ms.
    pub previous_delay_ms: u64,
    /// In `after`: when the attempt that just finished was sent (virtual ms); in `admit`: now.
    /// With a hedge, the copy whose outcome this is.
    pub sent_ms: u64,
    /// In `after`: when the attempt's first copy was sent (virtual ms; `sent_ms` unless a hedge
    /// won); elsewhere: now.
    pub lead_sent_ms: u64,
    pub runtime: Runtime,
}

/// The answer before an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Gate {
    Send,
    Wait(u64),
    Refuse,
}

/// The answer after a failed attempt (successes need none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Next {
    Retry(u64),
    Stop,
}

/// One client's retry behaviour.
pub(crate) trait Strategy {
    /// Before each attempt (the first included).
    fn admit(&mut self, _request: &RequestView) -> Gate {
        Gate::Send
    }

    /// After each attempt, successes included (strategies with state learn from them).
    fn after(&mut self, request: &RequestView, seen: &Seen) -> Next;

    /// What the client's state would tell the other tabs of its browser at `now_ms` (sim time).
    fn facts(&self, _now_ms: u64) -> SharedFacts {
        SharedFacts::default()
    }

    /// Merges what another tab of the client's browser told.
    fn learn(&mut self, _facts: SharedFacts, _now_ms: u64) {}

    /// When an attempt is sent: after how long, without response headers, a hedge (one more copy)
    /// should be considered; `None`: never.
    fn hedge_delay_ms(&self, _request: &RequestView) -> Option<u64> {
        None
    }

    /// When that delay has passed with no response: whether the hedge may be sent now.
    fn admit_hedge(&mut self, _request: &RequestView) -> bool {
        false
    }
}

/// Response-header latencies a client keeps for its p95: the last this many (as
/// 'http-verdict/hedge' keeps per origin).
const LATENCY_SAMPLES: usize = 64;

/// This crate's engine, one `ClientState` (or none) per client.
pub(crate) struct Library {
    policy: RetryPolicy,
    state: Option<ClientState>,
    hedging: Option<Hedging>,
    /// The client's last response-header latencies, each from its answering copy's send, in ms.
    latencies_ms: VecDeque<u64>,
}

impl Library {
    /// `options` with this client's seed (the JS wrapper draws one per policy) and a state made
    /// with `state` (none when `None`). Options that fail validation fall back to the defaults.
    pub(crate) fn new(
        options: &RetryOptions,
        state: Option<ClientStateOptions>,
        seed: u64,
    ) -> Self {
        let options = RetryOptions {
            seed,
            ..options.clone()
        };
        Self {
            policy: RetryPolicy::new(options).unwrap_or_default(),
            state: state.map(|options| ClientState::new(options).unwrap_or_default()),
            hedging: None,
            latencies_ms: VecDeque::new(),
        }
    }

    /// The same, hedging its GETs as `hedging` says.
    pub(crate) fn hedged(mut self, hedging: Option<Hedging>) -> Self {
        self.hedging = hedging;
        self
    }

    /// The p95 of the latencies kept (nearest rank), once there are `min_samples` of them.
    fn observed_p95_ms(&self, min_samples: usize) -> Option<u64> {
        if self.latencies_ms.len() < min_samples.max(1) {
            return None;
        }
        let mut sorted: Vec<u64> = self.latencies_ms.iter().copied().collect();
        sorted.sort_unstable();
        let rank = (0.95 * sorted.len() as f64).ceil() as usize;
        sorted.get(rank.max(1) - 1).copied()
    }
}

impl Strategy for Library {
    fn facts(&self, now_ms: u64) -> SharedFacts {
        self.state.as_ref().map_or(SharedFacts::default(), |state| {
            state.facts(ORIGIN, EPOCH_MS + now_ms)
        })
    }

    fn learn(&mut self, facts: SharedFacts, now_ms: u64) {
        if let Some(state) = self.state.as_mut() {
            state.learn(ORIGIN, facts, EPOCH_MS + now_ms);
        }
    }

    fn hedge_delay_ms(&self, request: &RequestView) -> Option<u64> {
        let hedging = self.hedging?;
        if request.method != HttpMethod::Get {
            return None;
        }
        match hedging.delay {
            HedgeDelay::FixedMs(delay_ms) => Some(delay_ms),
            HedgeDelay::ObservedP95 { min_samples } => self.observed_p95_ms(min_samples as usize),
        }
    }

    fn admit_hedge(&mut self, request: &RequestView) -> bool {
        let Some(hedging) = self.hedging else {
            return false;
        };
        // As 'http-verdict/hedge' asks `ClientState.spendRetry`: the budget alone says, and a
        // client without a state has no budget to refuse a hedge.
        match self.state.as_mut() {
            Some(state) if hedging.draws_budget => {
                state.try_retry(ORIGIN, EPOCH_MS + request.now_ms)
            }
            _ => true,
        }
    }

    fn admit(&mut self, request: &RequestView) -> Gate {
        let Some(state) = self.state.as_mut() else {
            return Gate::Send;
        };
        let (now_ms, elapsed_ms) = (EPOCH_MS + request.now_ms, request.elapsed_ms);
        let admission = if request.attempt > 1 {
            self.policy.admit_retry(state, ORIGIN, now_ms, elapsed_ms)
        } else {
            self.policy.admit(state, ORIGIN, now_ms, elapsed_ms)
        };
        match admission {
            Admission::Allowed => Gate::Send,
            Admission::Wait { wait_ms } => Gate::Wait(wait_ms.max(1)),
            Admission::Rejected { .. } => Gate::Refuse,
        }
    }

    fn after(&mut self, request: &RequestView, seen: &Seen) -> Next {
        let now_ms = EPOCH_MS + request.now_ms;
        if self.hedging.is_some() && matches!(seen, Seen::Response { .. }) {
            // NOTE: from the answering copy's own send, as 'http-verdict/hedge' measures it.
            if self.latencies_ms.len() >= LATENCY_SAMPLES {
                self.latencies_ms.pop_front();
            }
            self.latencies_ms
                .push_back(request.now_ms.saturating_sub(request.sent_ms));
        }
        let verdict = match *seen {
            Seen::Response {
                status,
                headers,
                body,
            } => classify(
                &ResponseParts {
                    status,
                    headers: HeaderBlock::new(headers),
                    body: Some(body),
                },
                now_ms,
                None,
            ),
            _ => classify_error(&error_shape(seen, request.runtime)),
        };
        let outcome = Outcome {
            attempt: request.attempt,
            method: request.method.as_str(),
            has_idempotency_key: request.has_idempotency_key,
            body_replayable: true,
            verdict,
            elapsed_ms: request.elapsed_ms,
            now_ms,
            previous_delay_ms: request.previous_delay_ms,
            sent_ms: Some(EPOCH_MS + request.sent_ms),
            origin: ORIGIN,
            salt: request.salt,
            should_retry: None,
            backoff_ms: None,
            offline: false,
        };
        let decision = self.policy.decide(&outcome, self.state.as_mut());
        if decision.retry {
            Next::Retry(decision.delay_ms)
        } else {
            Next::Stop
        }
    }
}

/// What `fetch` throws for a network outcome in each runtime.
fn error_shape(seen: &Seen, runtime: Runtime) -> ErrorShape<'static> {
    match (seen, runtime) {
        (Seen::Timeout, _) => ErrorShape {
            name: "TimeoutError",
            message: "The operation was aborted due to timeout",
            ..ErrorShape::default()
        },
        (_, Runtime::Browser) => ErrorShape {
            name: "TypeError",
            message: "Failed to fetch",
            ..ErrorShape::default()
        },
        (Seen::Refused, Runtime::Node) => ErrorShape {
            name: "TypeError",
            message: "fetch failed",
            cause_name: "Error",
            cause_message: "connect ECONNREFUSED 10.0.0.7:443",
            cause_code: "ECONNREFUSED",
            ..ErrorShape::default()
        },
        (_, Runtime::Node) => ErrorShape {
            name: "TypeError",
            message: "fetch failed",
            cause_name: "SocketError",
            cause_message: "other side closed",
            cause_code: "UND_ERR_SOCKET",
            ..ErrorShape::default()
        },
    }
}

/// The control: one attempt, never a retry.
pub(crate) struct NoRetry;

impl Strategy for NoRetry {
    fn after(&mut self, _request: &RequestView, _seen: &Seen) -> Next {
        Next::Stop
    }
}
