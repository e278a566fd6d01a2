//! The event loop: clients issue requests, strategies decide, the server answers, time moves on.
//!
//! Each attempt travels 15 ms to the server and its reply 15 ms back. The client's timeout starts
//! when the attempt is sent; whichever of reply and timeout comes first settles the attempt, and
//! the other is ignored (the server still finishes the work: wasted if the client left). Before
//! every attempt the client's strategy may send, wait or refuse; after it, the strategy may retry
//! after a wait. The compliance counters are checked when a retry is sent, against the truth of
//! the reply that preceded it.
//!
//! A hedged GET attempt has two copies in flight: the strategy names a delay when the attempt is
//! sent, and if no outcome has come by then and the strategy admits it, a second copy goes. The
//! first response settles the attempt and aborts the other copy (the client stops waiting; the
//! server's work on it goes on and counts as wasted); a copy refused or reset leaves the attempt
//! to the other; the attempt's one timeout, started with its first copy, ends both. A hedge is an
//! attempt sent to the server (it counts in the load) but not a new attempt of the request.

use http_verdict::random::{mix, SplitMix64};

use super::clock::EventQueue;
use super::metrics::{self, AttemptRecord, Compliance, Frame, RequestRecord};
use super::population::{draw_method, exponential_ms, HttpMethod, SERVICE, TABS};
use super::scenario::Scenario;
use super::server::{Intake, Job, Reply, Server, Wire, FAST_REPLY_MS};
use super::strategy::{Gate, Next, RequestView, Seen, Strategy};
use super::variants::Store;
use super::{PolicyKind, SimReport};
use http_verdict::shared::SharedFacts;

/// One-way network delay, in ms.
const ONE_WAY_MS: u64 = 15;

#[derive(Clone, Copy, Debug)]
enum Event {
    /// The next arrival of a population.
    Arrival(usize),
    /// A request asks to send its next attempt.
    Try(u32),
    /// An attempt reaches the server.
    AtServer(u32),
    /// The server finished serving an attempt.
    Served(u32),
    /// A reply reaches the client.
    Deliver(u32),
    /// An attempt's timeout fires.
    Timeout(u32),
    /// An attempt's hedge delay has passed.
    Hedge(u32),
    /// A fact published through the store reaches a service instance.
    Learn(u32, SharedFacts),
}

struct Client {
    population: usize,
    strategy: Box<dyn Strategy>,
    requests: u64,
    /// Truth: the client has been told the quota is exhausted until then.
    quota_locked_until_ms: u64,
    /// When the gate, quota lock and open breaker it last published or learned end (sim ms):
    /// it publishes only a wait that got longer, as `share` does.
    published_ends_ms: [u64; 3],
}

struct Request {
    client: u32,
    method: HttpMethod,
    keyed: bool,
    salt: u64,
    issued_ms: u64,
    attempts: u32,
    previous_delay_ms: u64,
    /// Truth: the last outcome's valid server wait ends then.
    not_before_ms: u64,
    /// Truth: the last outcome's class is retryable.
    last_retryable: bool,
    /// Times the server executed it.
    executions: u32,
    end: Option<(u64, bool)>,
}

/// One copy of an attempt on its way (an attempt has one, or two when hedged).
struct Attempt {
    request: u32,
    number: u32,
    service_ms: u64,
    /// This copy's outcome is no longer wanted: it came, or the attempt was settled without it.
    resolved: bool,
    reply: Option<Reply>,
    /// The attempt's first copy (itself for a first copy).
    lead: u32,
    /// On a first copy: its hedge, once sent.
    hedge: Option<u32>,
    /// On a first copy: the attempt's outcome has reached the client.
    settled: bool,
}

struct Engine<'a> {
    scenario: &'a Scenario,
    queue: EventQueue<Event>,
    traffic: SplitMix64,
    arrival_clock_ms: Vec<f64>,
    server: Server,
    clients: Vec<Client>,
    /// First client index of each population.
    first_client: Vec<usize>,
    requests: Vec<Request>,
    attempts: Vec<Attempt>,
    attempt_records: Vec<AttemptRecord>,
    compliance: Compliance,
    /// Tabs per browser sharing their state's facts (`ClientState`'s `share` across tabs); 0 or 1:
    /// none.
    tabs_per_browser: u32,
    /// The store the service's clients share their facts through, if they do.
    store: Option<Store>,
    /// Which copies of the store's messages are lost.
    store_random: SplitMix64,
    /// Hedges sent, and those whose outcome settled their attempt.
    hedges: u64,
    hedges_won: u64,
}

/// Makes one client's strategy from the client's seed.
pub(crate) type Factory<'f> = &'f dyn Fn(u64) -> Box<dyn Strategy>;

/// Runs `scenario` with every client's strategy from `factory`, reported as `policy`.
pub(crate) fn simulate(
    scenario: &Scenario,
    policy: PolicyKind,
    seed: u64,
    factory: Factory,
    tabs_per_browser: u32,
    store: Option<Store>,
) -> SimReport {
    let mut clients = Vec::new();
    let mut first_client = Vec::new();
    for (population, spec) in scenario.fleet.iter().enumerate() {
        first_client.push(clients.len());
        for _ in 0..spec.clients {
            let client_seed = mix(seed ^ mix(clients.len() as u64 + 1));
            clients.push(Client {
                population,
                strategy: factory(client_seed),
                requests: 0,
                quota_locked_until_ms: 0,
                published_ends_ms: [0; 3],
            });
        }
    }
    let mut engine = Engine {
        scenario,
        queue: EventQueue::new(),
        traffic: SplitMix64::new(mix(seed ^ 0x007A_FF1C)),
        arrival_clock_ms: vec![0.0; scenario.fleet.len()],
        server: Server::new(scenario.server, seed),
        clients,
        first_client,
        requests: Vec::new(),
        attempts: Vec::new(),
        attempt_records: Vec::new(),
        compliance: Compliance::default(),
        tabs_per_browser,
        store,
        store_random: SplitMix64::new(mix(seed ^ 0x5702_E105)),
        hedges: 0,
        hedges_won: 0,
    };
    for population in 0..scenario.fleet.len() {
        engine.schedule_arrival(population);
    }
    let end_ms = scenario.duration_ms.saturating_add(scenario.drain_ms);
    while let Some(event) = engine.queue.pop_until(end_ms) {
        engine.handle(event);
    }
    engine.finish(policy, seed, end_ms)
}

impl Engine<'_> {
    fn handle(&mut self, event: Event) {
        match event {
            Event::Arrival(population) => self.arrive(population),
            Event::Try(request) => self.try_attempt(request),
            Event::AtServer(attempt) => self.at_server(attempt),
            Event::Served(attempt) => self.served(attempt),
            Event::Deliver(attempt) => self.deliver(attempt),
            Event::Learn(client, facts) => self.learn(client as usize, facts),
            Event::Timeout(attempt) => {
                if self.close_attempt(attempt) {
                    self.settle(attempt, None);
                }
            }
            Event::Hedge(attempt) => self.hedge(attempt),
        }
    }

    /// Settles the attempt led by `lead`: both its copies are no longer wanted. Returns false when
    /// it was settled already.
    fn close_attempt(&mut self, lead: u32) -> bool {
        let Some(slot) = self.attempts.get_mut(lead as usize) else {
            return false;
        };
        if slot.settled {
            return false;
        }
        slot.settled = true;
        slot.resolved = true;
        if let Some(hedge) = slot.hedge {
            if let Some(copy) = self.attempts.get_mut(hedge as usize) {
                copy.resolved = true;
            }
        }
        true
    }

    /// The hedge delay of the attempt led by `lead` has passed: one more copy, when its first
    /// copy is still out and the strategy admits it.
    fn hedge(&mut self, lead: u32) {
        let Some(slot) = self.attempts.get(lead as usize) else {
            return;
        };
        if slot.settled || slot.resolved || slot.hedge.is_some() {
            return;
        }
        let (request, number) = (slot.request, slot.number);
        let Some(view) = self.view(request, number) else {
            return;
        };
        let Some(state) = self.requests.get(request as usize) else {
            return;
        };
        let Some(client) = self.clients.get_mut(state.client as usize) else {
            return;
        };
        if !client.strategy.admit_hedge(&view) {
            return;
        }
        let copy = self.dispatch(request, number, Some(lead));
        if let Some(slot) = self.attempts.get_mut(lead as usize) {
            slot.hedge = Some(copy);
        }
        self.hedges += 1;
    }

    fn spike_factor(&self, at_ms: u64) -> f64 {
        match self.scenario.spike {
            Some((window, factor)) if window.contains(at_ms) => factor,
            _ => 1.0,
        }
    }

    /// Schedules the next candidate arrival of a population (thinned to the spike's rate).
    fn schedule_arrival(&mut self, population: usize) {
        let Some(spec) = self.scenario.fleet.get(population) else {
            return;
        };
        let peak = self
            .scenario
            .spike
            .map_or(1.0, |(_, factor)| factor.max(1.0));
        let gap_ms = exponential_ms(&mut self.traffic, spec.rate_per_ms() * peak);
        if let Some(clock) = self.arrival_clock_ms.get_mut(population) {
            *clock += gap_ms;
            // NOTE: a finite, non-negative float; `as` saturates on the (impossible) overflow.
            let at_ms = clock.round() as u64;
            if at_ms < self.scenario.duration_ms {
                self.queue.at(at_ms, Event::Arrival(population));
            }
        }
    }

    fn arrive(&mut self, population: usize) {
        let now_ms = self.queue.now_ms();
        let peak = self
            .scenario
            .spike
            .map_or(1.0, |(_, factor)| factor.max(1.0));
        let accepted = self.traffic.next_unit() * peak < self.spike_factor(now_ms);
        let pick = self.traffic.next_u64();
        let (method, keyed) = draw_method(&mut self.traffic);
        self.schedule_arrival(population);
        if !accepted {
            return;
        }
        let (Some(spec), Some(first)) = (
            self.scenario.fleet.get(population),
            self.first_client.get(population),
        ) else {
            return;
        };
        let client_index = first + (pick % u64::from(spec.clients.max(1))) as usize;
        let Some(client) = self.clients.get_mut(client_index) else {
            return;
        };
        client.requests += 1;
        let request = self.requests.len() as u32;
        self.requests.push(Request {
            client: client_index as u32,
            method,
            keyed,
            salt: client.requests,
            issued_ms: now_ms,
            attempts: 0,
            previous_delay_ms: 0,
            not_before_ms: 0,
            last_retryable: true,
            executions: 0,
            end: None,
        });
        self.try_attempt(request);
    }

    /// The view of `request` its strategy gets, for `attempt`.
    fn view(&self, request: u32, attempt: u32) -> Option<RequestView> {
        let state = self.requests.get(request as usize)?;
        let client = self.clients.get(state.client as usize)?;
        let now_ms = self.queue.now_ms();
        Some(RequestView {
            salt: state.salt,
            id: u64::from(request),
            method: state.method,
            has_idempotency_key: state.keyed,
            attempt,
            elapsed_ms: now_ms.saturating_sub(state.issued_ms),
            now_ms,
            previous_delay_ms: state.previous_delay_ms,
            sent_ms: now_ms,
            lead_sent_ms: now_ms,
            runtime: self.scenario.fleet.get(client.population)?.runtime,
        })
    }

    fn try_attempt(&mut self, request: u32) {
        let Some(state) = self.requests.get(request as usize) else {
            return;
        };
        let client_index = state.client as usize;
        let Some(view) = self.view(request, state.attempts + 1) else {
            return;
        };
        let Some(client) = self.clients.get_mut(client_index) else {
            return;
        };
        match client.strategy.admit(&view) {
            Gate::Send => self.send(request),
            Gate::Wait(wait_ms) => self.queue.after(wait_ms.max(1), Event::Try(request)),
            Gate::Refuse => self.end(request, false),
        }
    }

    fn send(&mut self, request: u32) {
        let now_ms = self.queue.now_ms();
        let Some(state) = self.requests.get_mut(request as usize) else {
            return;
        };
        state.attempts += 1;
        let number = state.attempts;
        if number > 1 {
            if now_ms < state.not_before_ms {
                self.compliance.early_retries += 1;
            }
            if !state.last_retryable {
                self.compliance.non_retryable_retries += 1;
            }
        }
        let attempt = self.dispatch(request, number, None);
        self.queue
            .after(self.scenario.timeout_ms, Event::Timeout(attempt));
        let hedge_delay_ms = self.view(request, number).and_then(|view| {
            let state = self.requests.get(request as usize)?;
            let client = self.clients.get_mut(state.client as usize)?;
            client.strategy.sent(&view);
            client.strategy.hedge_delay_ms(&view)
        });
        if let Some(delay_ms) = hedge_delay_ms.filter(|ms| *ms < self.scenario.timeout_ms) {
            self.queue.after(delay_ms.max(1), Event::Hedge(attempt));
        }
    }

    /// Puts one copy of attempt `number` of `request` on the wire (a hedge of `lead`, if given)
    /// and returns its id.
    fn dispatch(&mut self, request: u32, number: u32, lead: Option<u32>) -> u32 {
        let now_ms = self.queue.now_ms();
        let attempt = self.attempts.len() as u32;
        let population = self
            .requests
            .get(request as usize)
            .and_then(|state| self.clients.get(state.client as usize))
            .map_or(TABS, |client| client.population);
        if self
            .requests
            .get(request as usize)
            .and_then(|state| self.clients.get(state.client as usize))
            .is_some_and(|client| now_ms < client.quota_locked_until_ms)
        {
            self.compliance.locked_quota_attempts += 1;
        }
        self.attempts.push(Attempt {
            request,
            number,
            service_ms: 0,
            resolved: false,
            reply: None,
            lead: lead.unwrap_or(attempt),
            hedge: None,
            settled: false,
        });
        self.attempt_records.push(AttemptRecord {
            population,
            sent_ms: now_ms,
        });
        self.queue.after(ONE_WAY_MS, Event::AtServer(attempt));
        attempt
    }

    fn job(&self, attempt: u32) -> Option<Job> {
        let slot = self.attempts.get(attempt as usize)?;
        Some(Job {
            attempt,
            request: u64::from(slot.request),
            number: slot.number,
            copy: u32::from(slot.lead != attempt),
        })
    }

    fn at_server(&mut self, attempt: u32) {
        let Some(job) = self.job(attempt) else {
            return;
        };
        match self.server.intake(self.queue.now_ms(), job) {
            Intake::Reply(reply) => {
                if let Some(slot) = self.attempts.get_mut(attempt as usize) {
                    slot.reply = Some(reply);
                }
                self.queue
                    .after(FAST_REPLY_MS + ONE_WAY_MS, Event::Deliver(attempt));
            }
            Intake::Serve { service_ms } => self.start_service(attempt, service_ms),
            Intake::Queued => {}
        }
    }

    fn start_service(&mut self, attempt: u32, service_ms: u64) {
        if let Some(slot) = self.attempts.get_mut(attempt as usize) {
            slot.service_ms = service_ms;
        }
        self.queue.after(service_ms, Event::Served(attempt));
    }

    fn served(&mut self, attempt: u32) {
        let Some(job) = self.job(attempt) else {
            return;
        };
        let Some(slot) = self.attempts.get(attempt as usize) else {
            return;
        };
        let (wasted, service_ms) = (slot.resolved, slot.service_ms);
        if let Some((next, next_ms)) = self.server.release(self.queue.now_ms(), service_ms, wasted)
        {
            self.start_service(next, next_ms);
        }
        let reply = self.server.answer(job);
        if reply.truth.processed {
            if let Some(state) = self.requests.get_mut(job.request as usize) {
                state.executions += 1;
            }
        }
        if !wasted {
            if let Some(slot) = self.attempts.get_mut(attempt as usize) {
                slot.reply = Some(reply);
            }
            self.queue.after(ONE_WAY_MS, Event::Deliver(attempt));
        }
    }

    fn deliver(&mut self, attempt: u32) {
        let Some(slot) = self.attempts.get_mut(attempt as usize) else {
            return;
        };
        if slot.resolved {
            return;
        }
        slot.resolved = true;
        let reply = slot.reply.take();
        let lead = slot.lead;
        let hedge = slot.hedge;
        let other = if lead == attempt { hedge } else { Some(lead) };
        let other_out = other
            .and_then(|other| self.attempts.get(other as usize))
            .is_some_and(|slot| !slot.resolved);
        let no_response = reply
            .as_ref()
            .is_some_and(|reply| matches!(reply.wire, Wire::Refused | Wire::Reset));
        if no_response && other_out {
            // The other copy may still answer: this one failed without a response.
            return;
        }
        if self.close_attempt(lead) {
            if lead != attempt {
                self.hedges_won += 1;
            }
            self.settle(attempt, reply);
        }
    }

    /// An attempt's outcome reaches its client: a reply, or `None` for its timeout.
    fn settle(&mut self, attempt: u32, reply: Option<Reply>) {
        let now_ms = self.queue.now_ms();
        let Some(slot) = self.attempts.get(attempt as usize) else {
            return;
        };
        let (request, number, lead) = (slot.request, slot.number, slot.lead);
        let Some(state) = self.requests.get_mut(request as usize) else {
            return;
        };
        let client_index = state.client as usize;
        match &reply {
            Some(reply) => {
                let truth = reply.truth;
                state.not_before_ms = now_ms.saturating_add(truth.valid_wait_ms.unwrap_or(0));
                state.last_retryable = truth.retryable_class;
                if let (Some(reset_ms), Some(client)) =
                    (truth.quota_reset_ms, self.clients.get_mut(client_index))
                {
                    client.quota_locked_until_ms = client.quota_locked_until_ms.max(reset_ms);
                }
            }
            None => {
                state.not_before_ms = now_ms;
                state.last_retryable = true;
            }
        }
        let seen = match &reply {
            Some(Reply {
                wire:
                    Wire::Response {
                        status,
                        headers,
                        body,
                    },
                ..
            }) => Seen::Response {
                status: *status,
                headers,
                body,
            },
            Some(Reply {
                wire: Wire::Refused,
                ..
            }) => Seen::Refused,
            Some(Reply {
                wire: Wire::Reset, ..
            }) => Seen::Reset,
            None => Seen::Timeout,
        };
        let Some(mut view) = self.view(request, number) else {
            return;
        };
        if let Some(record) = self.attempt_records.get(attempt as usize) {
            view.sent_ms = record.sent_ms;
        }
        if let Some(record) = self.attempt_records.get(lead as usize) {
            view.lead_sent_ms = record.sent_ms;
        }
        let Some(client) = self.clients.get_mut(client_index) else {
            return;
        };
        let next = client.strategy.after(&view, &seen);
        self.tell_browser(client_index, now_ms);
        self.tell_fleet(client_index, now_ms);
        if seen.is_success() {
            self.end(request, true);
            return;
        }
        match next {
            Next::Retry(delay_ms) => {
                if let Some(state) = self.requests.get_mut(request as usize) {
                    state.previous_delay_ms = delay_ms;
                }
                self.queue.after(delay_ms, Event::Try(request));
            }
            Next::Stop => self.end(request, false),
        }
    }

    /// Shares what a tab's state knows with the other tabs of its browser (tabs are grouped by
    /// index, `tabs_per_browser` at a time), at once: a `BroadcastChannel` message takes well under
    /// the engine's millisecond.
    fn tell_browser(&mut self, client_index: usize, now_ms: u64) {
        let size = self.tabs_per_browser as usize;
        let first = self.first_client.get(TABS).copied().unwrap_or(0);
        let Some(client) = self.clients.get(client_index) else {
            return;
        };
        if size < 2 || client.population != TABS {
            return;
        }
        let facts = client.strategy.facts(now_ms);
        if facts.is_empty() {
            return;
        }
        let browser_first = first + (client_index - first) / size * size;
        for sibling in browser_first..browser_first + size {
            if sibling == client_index {
                continue;
            }
            match self.clients.get_mut(sibling) {
                Some(tab) if tab.population == TABS => tab.strategy.learn(facts, now_ms),
                _ => {}
            }
        }
    }

    /// Publishes what a service client's state knows through the store when one of its waits got
    /// longer: each other client of the service hears it `latency_ms` later, unless that copy is
    /// lost. The waits travel as they were when published (durations, as over Redis).
    fn tell_fleet(&mut self, client_index: usize, now_ms: u64) {
        let Some(store) = self.store else {
            return;
        };
        let (Some(&first), Some(service)) = (
            self.first_client.get(SERVICE),
            self.scenario.fleet.get(SERVICE),
        ) else {
            return;
        };
        let Some(client) = self.clients.get_mut(client_index) else {
            return;
        };
        if client.population != SERVICE {
            return;
        }
        let facts = client.strategy.facts(now_ms);
        let ends = ends_ms(facts, now_ms);
        let longer = ends
            .iter()
            .zip(client.published_ends_ms)
            .any(|(&end_ms, known_ms)| end_ms > now_ms && end_ms > known_ms.saturating_add(1));
        if !longer {
            return;
        }
        client.published_ends_ms = ends;
        for sibling in first..first + service.clients as usize {
            if sibling != client_index && self.store_random.next_unit() >= store.loss {
                self.queue
                    .after(store.latency_ms, Event::Learn(sibling as u32, facts));
            }
        }
    }

    /// A service client merges a fact from the store, and remembers it as known (no echo).
    fn learn(&mut self, client_index: usize, facts: SharedFacts) {
        let now_ms = self.queue.now_ms();
        if let Some(client) = self.clients.get_mut(client_index) {
            client.strategy.learn(facts, now_ms);
            let known = ends_ms(client.strategy.facts(now_ms), now_ms);
            for (kept_ms, known_ms) in client.published_ends_ms.iter_mut().zip(known) {
                *kept_ms = (*kept_ms).max(known_ms);
            }
        }
    }

    fn end(&mut self, request: u32, success: bool) {
        let now_ms = self.queue.now_ms();
        if let Some(state) = self.requests.get_mut(request as usize) {
            state.end.get_or_insert((now_ms, success));
        }
    }

    fn finish(mut self, policy: PolicyKind, seed: u64, end_ms: u64) -> SimReport {
        let scenario = self.scenario;
        let records: Vec<RequestRecord> = self
            .requests
            .iter()
            .map(|request| {
                let (end, success) = request.end.unwrap_or((end_ms, false));
                RequestRecord {
                    population: self
                        .clients
                        .get(request.client as usize)
                        .map_or(TABS, |client| client.population),
                    issued_ms: request.issued_ms,
                    end_ms: end,
                    success,
                    retry_safe: request.method.is_idempotent() || request.keyed,
                    get: request.method == HttpMethod::Get,
                }
            })
            .collect();
        self.compliance.duplicate_posts = self
            .requests
            .iter()
            .filter(|request| request.method == HttpMethod::Post && !request.keyed)
            .map(|request| u64::from(request.executions.saturating_sub(1)))
            .sum();
        let frame = Frame {
            warmup_ms: scenario.warmup_ms,
            fault: scenario.fault,
            arrivals_end_ms: scenario.duration_ms,
        };
        let mut server = self.server.stats;
        server.wasted_share = if server.busy_ms == 0 {
            0.0
        } else {
            server.wasted_ms as f64 / server.busy_ms as f64
        };
        SimReport {
            scenario: scenario.name,
            policy,
            seed,
            fault: scenario.fault,
            duration_ms: scenario.duration_ms,
            all: metrics::summarize(&records, &self.attempt_records, None, frame),
            tabs: metrics::summarize(&records, &self.attempt_records, Some(TABS), frame),
            service: metrics::summarize(&records, &self.attempt_records, Some(SERVICE), frame),
            service_attempts_fault: scenario.fault.map_or(0, |fault| {
                self.attempt_records
                    .iter()
                    .filter(|attempt| {
                        attempt.population == SERVICE && fault.contains(attempt.sent_ms)
                    })
                    .count() as u64
            }),
            server,
            hedges: self.hedges,
            hedges_won: self.hedges_won,
            compliance: self.compliance,
            series: metrics::series(&records, &self.attempt_records, scenario.duration_ms),
        }
    }
}

/// When each of the facts' waits ends, from `now_ms` (sim ms).
fn ends_ms(facts: SharedFacts, now_ms: u64) -> [u64; 3] {
    [facts.gate_ms, facts.quota_ms, facts.open_ms].map(|wait_ms| now_ms.saturating_add(wait_ms))
}
