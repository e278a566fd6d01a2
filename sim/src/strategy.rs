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
//! and when that delay passes it says whether the copy may go ([`Strategy::admit_hedge`]). The
//! library adapter asks what `http-verdict/hedge` asks, in its order: whether one more hedge keeps
//! the hedged share of the client's last 100 requests (every attempt sent, [`Strategy::sent`])
//! within `maxShare`, then whether the client state's retry budget gives one retry
//! (`ClientState::try_retry`, as `spendRetry`); a hedge the share refuses spends no budget.

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
use super::variants::{HedgeDelay, Hedging, HEDGE_SHARE_WINDOW};

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

    /// An attempt's first copy was sent (every method, retries included; a hedge is not one).
    fn sent(&mut self, _request: &RequestView) {}

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

/// One of a client's last requests, as the hedged share counts them.
#[derive(Clone, Copy, Debug)]
struct Sent {
    /// The request's global id and the attempt's number: the hedge of this attempt marks it.
    request: u64,
    attempt: u32,
    hedged: bool,
}

/// This crate's engine, one `ClientState` (or none) per client.
pub(crate) struct Library {
    policy: RetryPolicy,
    state: Option<ClientState>,
    hedging: Option<Hedging>,
    /// The client's last response-header latencies, each from its answering copy's send, in ms.
    latencies_ms: VecDeque<u64>,
    /// The client's last requests (attempts sent), for the hedged share; kept only when hedging.
    sent: VecDeque<Sent>,
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
            sent: VecDeque::new(),
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

    /// Whether one more hedge keeps the hedged share of the requests kept within `max_share`
    /// (hedge.js: `hedges + 1 <= maxShare * requests.length`, so no hedge before 1 / `max_share`
    /// requests).
    fn share_allows(&self, max_share: f64) -> bool {
        let hedges = self.sent.iter().filter(|sent| sent.hedged).count();
        (hedges + 1) as f64 <= max_share * self.sent.len() as f64
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

    fn sent(&mut self, request: &RequestView) {
        if self
            .hedging
            .is_some_and(|hedging| hedging.max_share.is_some())
        {
            if self.sent.len() >= HEDGE_SHARE_WINDOW {
                self.sent.pop_front();
            }
            self.sent.push_back(Sent {
                request: request.id,
                attempt: request.attempt,
                hedged: false,
            });
        }
    }

    fn admit_hedge(&mut self, request: &RequestView) -> bool {
        let Some(hedging) = self.hedging else {
            return false;
        };
        // As 'http-verdict/hedge' asks: the share first, so that a hedge it refuses spends no
        // budget, then `ClientState.spendRetry` (a client without a state has no budget to refuse).
        let within_share = match hedging.max_share {
            Some(max_share) => self.share_allows(max_share),
            None => true,
        };
        let allowed = within_share
            && match self.state.as_mut() {
                Some(state) if hedging.draws_budget => {
                    state.try_retry(ORIGIN, EPOCH_MS + request.now_ms)
                }
                _ => true,
            };
        // NOTE: an attempt that 100 later ones have pushed out of the window is not marked, as in
        // hedge.js, whose request object is then no longer in the array.
        if allowed {
            if let Some(sent) = self
                .sent
                .iter_mut()
                .rev()
                .find(|sent| sent.request == request.id && sent.attempt == request.attempt)
            {
                sent.hedged = true;
            }
        }
        allowed
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

#[cfg(test)]
mod tests {
    use http_verdict::budget::BudgetOptions;

    use super::*;

    /// GET number `id` of a client, its first attempt, at `now_ms`.
    fn get(id: u64, now_ms: u64) -> RequestView {
        RequestView {
            salt: id,
            id,
            method: HttpMethod::Get,
            has_idempotency_key: false,
            attempt: 1,
            elapsed_ms: 0,
            now_ms,
            previous_delay_ms: 0,
            sent_ms: now_ms,
            lead_sent_ms: now_ms,
            runtime: Runtime::Browser,
        }
    }

    fn client(max_share: Option<f64>, draws_budget: bool, state: ClientStateOptions) -> Library {
        Library::new(&RetryOptions::default(), Some(state), 1).hedged(Some(Hedging {
            delay: HedgeDelay::FixedMs(0),
            max_share,
            draws_budget,
        }))
    }

    /// Sends requests `ids`, each slow enough to be hedged: the ones hedged.
    fn hedged(client: &mut Library, ids: std::ops::RangeInclusive<u64>) -> Vec<u64> {
        ids.filter(|&id| {
            let request = get(id, id);
            client.sent(&request);
            client.admit_hedge(&request)
        })
        .collect()
    }

    fn retries_available(client: &Library) -> Option<u32> {
        client
            .state
            .as_ref()
            .and_then(|state| state.retries_available(ORIGIN, EPOCH_MS + 1_000))
    }

    #[test]
    fn at_most_the_share_of_the_last_100_requests_is_hedged_and_a_refused_share_spends_no_budget() {
        // As tests/node/hedge.test.mjs: at 0.1 the 10th request is the first the share allows,
        // then the 20th, the 30th; only those three spend budget.
        let mut limited = client(Some(0.1), true, ClientStateOptions::default());
        let before = retries_available(&limited);
        assert_eq!(hedged(&mut limited, 1..=30), [10, 20, 30]);
        assert_eq!(retries_available(&limited), before.map(|n| n - 3));
        // The window slides: the hedges of requests pushed out no longer count.
        let mut long = client(Some(0.1), false, ClientStateOptions::default());
        assert_eq!(hedged(&mut long, 1..=250).len(), 25);
        // The demonstration's client has neither limit.
        let mut unlimited = client(None, false, ClientStateOptions::default());
        assert_eq!(hedged(&mut unlimited, 1..=30).len(), 30);
    }

    #[test]
    fn a_hedge_the_budget_refuses_is_not_sent_and_not_counted_in_the_share() {
        let empty = ClientStateOptions {
            retry_budget: Some(BudgetOptions {
                ratio: 0.0,
                min_retries: 0,
                window_ms: 10_000,
            }),
            ..ClientStateOptions::default()
        };
        let mut refused = client(Some(0.1), true, empty);
        assert!(hedged(&mut refused, 1..=30).is_empty());
        // Had the refusals counted, the share would be spent; it is whole once the budget gives: 3
        // hedges of 33 requests at once.
        refused.state = Some(ClientState::default());
        assert_eq!(hedged(&mut refused, 31..=35), [31, 32, 33]);
    }
}
