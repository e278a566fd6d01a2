//! Client populations: who sends requests, how often, with which methods, from which runtime.
//!
//! The fleet of the issue has two populations. Browser tabs: 1,000 independent clients, each
//! sending about one request per 25 s (40 req/s in all), each with state of its own that no other
//! tab sees. A Node service: 4 clients sending 10 req/s each, each sharing its state across its
//! own concurrent requests. Each client's requests form a Poisson process, so a population is
//! one Poisson process of the summed rate whose arrivals go to a uniformly drawn client. The
//! runtime decides how a network failure looks: a browser only ever says `Failed to fetch`,
//! undici names the cause (`ECONNREFUSED`), which tells the engine that nothing was sent.

use serde::Serialize;

use http_verdict::random::SplitMix64;

/// Where a client runs; decides how its network failures look.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Runtime {
    /// A browser tab: every network failure is an opaque `TypeError: Failed to fetch`.
    Browser,
    /// Node (undici): `TypeError: fetch failed` with a `cause.code`.
    Node,
}

/// The request methods of the mix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// Safe.
    Get,
    /// Idempotent.
    Put,
    /// Not idempotent: retried only with an `Idempotency-Key` or when never processed.
    Post,
}

impl HttpMethod {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
        }
    }

    /// Whether repeating it is harmless (RFC 9110 §9.2.2).
    pub fn is_idempotent(self) -> bool {
        self != HttpMethod::Post
    }
}

/// A group of identical clients.
#[derive(Clone, Debug, PartialEq)]
pub struct Population {
    /// Short name used in reports (`tabs`, `service`).
    pub name: &'static str,
    /// Where its clients run.
    pub runtime: Runtime,
    /// How many clients.
    pub clients: u32,
    /// Mean time between two requests of one client, in ms.
    pub interval_ms: f64,
}

impl Population {
    /// Requests per ms of the whole population.
    pub fn rate_per_ms(&self) -> f64 {
        f64::from(self.clients) / self.interval_ms
    }
}

/// Index of the browser tabs in [`fleet`].
pub const TABS: usize = 0;
/// Index of the Node service in [`fleet`].
pub const SERVICE: usize = 1;

/// The fleet of the issue at `scale` (1.0: 1,000 tabs at one request per 25 s and 4 service
/// clients at 10 req/s each). Scaling changes the number of clients, never one client's habits,
/// except that a service smaller than one client keeps one client carrying the scaled rate.
pub fn fleet(scale: f64) -> Vec<Population> {
    let tabs = scaled_count(1_000.0, scale);
    let service_clients = scaled_count(4.0, scale);
    let service_rate_per_s = 40.0 * scale;
    vec![
        Population {
            name: "tabs",
            runtime: Runtime::Browser,
            clients: tabs,
            interval_ms: 25_000.0,
        },
        Population {
            name: "service",
            runtime: Runtime::Node,
            clients: service_clients,
            interval_ms: f64::from(service_clients) * 1_000.0 / service_rate_per_s,
        },
    ]
}

/// `count × scale`, rounded, at least 1.
pub(crate) fn scaled_count(count: f64, scale: f64) -> u32 {
    // NOTE: scale is checked to be finite and small by the caller, so the value fits.
    (count * scale).round().max(1.0) as u32
}

/// The method mix: 70 % GET, 15 % PUT, 15 % POST, half of the POSTs with an `Idempotency-Key`.
pub(crate) fn draw_method(random: &mut SplitMix64) -> (HttpMethod, bool) {
    let draw = random.next_unit();
    if draw < 0.70 {
        (HttpMethod::Get, false)
    } else if draw < 0.85 {
        (HttpMethod::Put, false)
    } else {
        (HttpMethod::Post, random.next_unit() < 0.5)
    }
}

/// An exponentially distributed gap for a Poisson process of `rate_per_ms`, in ms.
pub(crate) fn exponential_ms(random: &mut SplitMix64, rate_per_ms: f64) -> f64 {
    // NOTE: 1 - u is in (0, 1], so the logarithm is finite.
    -(1.0 - random.next_unit()).ln() / rate_per_ms
}
