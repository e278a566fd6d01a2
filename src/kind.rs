//! The vocabulary of verdicts: every kind of outcome, its family, its retry rule and its action.
//!
//! One table generates everything (like `http`'s `StatusCode`), so the ids, the API's own wording and
//! the behaviour of a kind can never drift apart. Titles and descriptions of documented codes are
//! the API's words from its "Response Codes" page; the rest follow RFC 9110.

/// The broad class of an outcome: the status's hundreds digit, or `transport` when no response came.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    Informational,
    Success,
    Redirection,
    ClientError,
    ServerError,
    Transport,
}

impl Family {
    /// The family of an HTTP status (100–599); `None` outside that range.
    pub fn of_status(status: u16) -> Option<Family> {
        match status {
            100..=199 => Some(Family::Informational),
            200..=299 => Some(Family::Success),
            300..=399 => Some(Family::Redirection),
            400..=499 => Some(Family::ClientError),
            500..=599 => Some(Family::ServerError),
            _ => None,
        }
    }

    /// Stable snake_case id, as JavaScript sees it.
    pub fn id(self) -> &'static str {
        match self {
            Family::Informational => "informational",
            Family::Success => "success",
            Family::Redirection => "redirection",
            Family::ClientError => "client_error",
            Family::ServerError => "server_error",
            Family::Transport => "transport",
        }
    }
}

/// Which requests an outcome allows to be retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetryScope {
    /// Never retried automatically.
    Never,
    /// Retried only when repeating the request is harmless (RFC 9110 §9.2.2), or opted in.
    IdempotentOnly,
    /// The outcome proves the server did not process the request, so any method may be retried.
    AnyMethod,
}

/// What the caller should do about an outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Deliver,
    FollowRedirect,
    UpdateUrl,
    UseCache,
    FixRequest,
    Reauthenticate,
    Fail,
    Retry,
    PurgeCache,
    WaitForQuota,
    Cancel,
}

impl Action {
    /// Stable snake_case id, as JavaScript sees it.
    pub fn id(self) -> &'static str {
        match self {
            Action::Deliver => "deliver",
            Action::FollowRedirect => "follow_redirect",
            Action::UpdateUrl => "update_url",
            Action::UseCache => "use_cache",
            Action::FixRequest => "fix_request",
            Action::Reauthenticate => "reauthenticate",
            Action::Fail => "fail",
            Action::Retry => "retry",
            Action::PurgeCache => "purge_cache",
            Action::WaitForQuota => "wait_for_quota",
            Action::Cancel => "cancel",
        }
    }
}

macro_rules! kinds {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $id:literal, $status:expr, $family:ident, $scope:ident, $action:ident,
            $title:literal, $description:literal;
    )*) => {
        /// A stable classification of an outcome. The documented API codes have their own kinds;
        /// every other status falls into its family's generic kind.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Kind {
            $( $(#[$doc])* $variant, )*
        }

        impl Kind {
            /// Every kind, in table order (documented codes first, then transport, then generic).
            pub const ALL: &'static [Kind] = &[ $( Kind::$variant, )* ];

            /// Stable snake_case id, relied on by users: never rename one.
            pub fn id(self) -> &'static str {
                match self { $( Kind::$variant => $id, )* }
            }

            /// The kind with this id.
            // NOTE: a scan of the table, not a `match` on the strings: the match compiled to a chain
            // of comparisons several KB long in the wasm, for a lookup done once per profile rule.
            pub fn from_id(id: &str) -> Option<Kind> {
                Kind::ALL.iter().copied().find(|kind| kind.id() == id)
            }

            /// The status the API documents for this kind, if it is one of the documented codes.
            pub fn documented_status(self) -> Option<u16> {
                match self { $( Kind::$variant => $status, )* }
            }

            /// The family this kind belongs to when it has no status of its own.
            pub fn family(self) -> Family {
                match self { $( Kind::$variant => Family::$family, )* }
            }

            /// Which requests may be retried after this outcome.
            pub fn retry_scope(self) -> RetryScope {
                match self { $( Kind::$variant => RetryScope::$scope, )* }
            }

            /// What the caller should do.
            pub fn action(self) -> Action {
                match self { $( Kind::$variant => Action::$action, )* }
            }

            /// Short human title.
            pub fn title(self) -> &'static str {
                match self { $( Kind::$variant => $title, )* }
            }

            /// Human description: the API's own wording for documented codes.
            pub fn description(self) -> &'static str {
                match self { $( Kind::$variant => $description, )* }
            }
        }
    };
}

kinds! {
    Ok = "ok", Some(200), Success, Never, Deliver,
        "OK", "The request was successful";
    MovedPermanently = "moved_permanently", Some(301), Redirection, Never, UpdateUrl,
        "Moved Permanently", "The URL of the requested resource has been changed permanently. The new URL is given in the response.";
    TemporaryRedirect = "temporary_redirect", Some(302), Redirection, Never, FollowRedirect,
        "Temporary Redirect", "This is used to indicate that the URI of the resource has been changed temporarily.";
    NotModified = "not_modified", Some(304), Redirection, Never, UseCache,
        "Not Modified", "This is used for caching purposes to indicate that the content has not been modified, so the client can use the same cached version of the response instead of reingesting the full payload.";
    BadRequest = "bad_request", Some(400), ClientError, Never, FixRequest,
        "Bad Request", "A variable in the request is incorrect, check the reply message for details";
    Unauthorized = "unauthorized", Some(401), ClientError, Never, Reauthenticate,
        "Unauthorized", "The request was not successful because it lacked valid authentication credentials for the requested resource.";
    Forbidden = "forbidden", Some(403), ClientError, Never, Fail,
        "Forbidden", "The request is legitimate but proper authorization was not provided.";
    /// 404 naming a route, path or endpoint the API does not have: a client bug.
    InvalidRoute = "invalid_route", Some(404), ClientError, Never, FixRequest,
        "Not Found", "Invalid route";
    /// 404 for a route that exists with an id that does not.
    WrongIdentifier = "wrong_identifier", Some(404), ClientError, Never, Fail,
        "Not Found", "Wrong identifier";
    /// 404 when nothing tells the two variants apart.
    NotFound = "not_found", Some(404), ClientError, Never, Fail,
        "Not Found", "The requested resource was not found.";
    MethodNotAllowed = "method_not_allowed", Some(405), ClientError, Never, FixRequest,
        "Method Not Allowed", "The HTTP request method is known by the server but not supported by the target resource.";
    RequestTimeout = "request_timeout", Some(408), ClientError, AnyMethod, Retry,
        "Request Timeout", "This response is sent on an idle connection by some servers, even without any previous request by the client. It means that the server would like to shut down this unused connection. This response is used much more since some browsers use HTTP pre-connection mechanisms to speed up browsing. Some servers may shut down a connection without sending this message.";
    Gone = "gone", Some(410), ClientError, Never, PurgeCache,
        "Gone", "This response is sent when the requested content has been permanently deleted from the server, with no forwarding address. Clients are expected to remove their caches and links to the resource.";
    /// 429 for a per-second rate: wait and retry.
    Throttled = "throttled", Some(429), ClientError, AnyMethod, Retry,
        "Throttled", "The number of sent requests to this product has exceeded the maximum allowed in a given time period (usually 1 second).";
    /// 429 for a usage-plan quota: fail fast until it resets.
    QuotaExceeded = "quota_exceeded", Some(429), ClientError, Never, WaitForQuota,
        "Quota Exceeded", "The number of sent requests to this product has exceeded the amount allowed for its usage plan.";
    ClientClosedRequest = "client_closed_request", Some(499), ClientError, Never, Cancel,
        "Client Closed the Request", "The connection was closed by the client before the full request could be returned.";
    InternalServerError = "internal_server_error", Some(500), ServerError, IdempotentOnly, Retry,
        "Internal Server Error", "The server encountered an unexpected condition, which prevented it from fulfilling the request or serving the response.";
    BadGateway = "bad_gateway", Some(502), ServerError, IdempotentOnly, Retry,
        "Bad Gateway", "This indicates that a server was acting as a gateway or proxy and that it received an invalid response from the upstream server. If the problem persists, please get in touch with support.";
    ServiceUnavailable = "service_unavailable", Some(503), ServerError, IdempotentOnly, Retry,
        "Service Unavailable", "The server was unable to retrieve the request due to a technical issue or scheduled maintenance.";
    GatewayTimeout = "gateway_timeout", Some(504), ServerError, IdempotentOnly, Retry,
        "Gateway Timeout", "The server did not receive a timely response from another server upstream.";
    /// The request failed below HTTP: refused, reset, DNS, TLS, CORS.
    NetworkError = "network_error", None, Transport, IdempotentOnly, Retry,
        "Network Error", "The request failed before a response arrived: the connection was refused, reset or blocked, or the host was not found.";
    /// A per-attempt timeout fired before the response arrived.
    Timeout = "timeout", None, Transport, IdempotentOnly, Retry,
        "Timeout", "No response arrived within the time allowed for the attempt.";
    /// The caller's signal cancelled the request.
    Aborted = "aborted", None, Transport, Never, Cancel,
        "Aborted", "The request was cancelled by the caller.";
    /// Something was thrown that is not a recognised fetch failure (an invalid URL, a bug).
    UnknownError = "unknown_error", None, Transport, Never, Fail,
        "Unknown Error", "The request failed with an error that is not a recognised network failure, so it is not retried.";
    Informational = "informational", None, Informational, Never, Fail,
        "Informational", "An interim response arrived where a final one was expected.";
    Success = "success", None, Success, Never, Deliver,
        "Success", "The request was successful.";
    Redirect = "redirect", None, Redirection, Never, FollowRedirect,
        "Redirection", "The server points to another resource for this request.";
    ClientError = "client_error", None, ClientError, Never, Fail,
        "Client Error", "The server refused the request as sent; repeating it unchanged will not help.";
    ServerError = "server_error", None, ServerError, IdempotentOnly, Retry,
        "Server Error", "The server failed to fulfil an apparently valid request.";
    NotImplemented = "not_implemented", None, ServerError, Never, Fail,
        "Not Implemented", "The server does not support the functionality required to fulfil the request.";
    HttpVersionNotSupported = "http_version_not_supported", None, ServerError, Never, Fail,
        "HTTP Version Not Supported", "The server does not support the HTTP version used in the request.";
}

impl Kind {
    /// Position in [`Kind::ALL`]: a compact id for crossing the wasm boundary.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether this kind is a transport outcome (no HTTP status).
    pub fn is_transport(self) -> bool {
        self.family() == Family::Transport
    }

    /// The kinds of the documented table, in the API's order: what `codes()` returns.
    pub fn documented() -> impl Iterator<Item = Kind> {
        Kind::ALL
            .iter()
            .copied()
            .filter(|kind| kind.documented_status().is_some() || kind.is_transport())
    }

    /// The default kind for a status before any variant rule looks at the body or headers.
    pub fn for_status(status: u16) -> Option<Kind> {
        let kind = match status {
            200 => Kind::Ok,
            301 | 308 => Kind::MovedPermanently,
            302 | 307 => Kind::TemporaryRedirect,
            304 => Kind::NotModified,
            400 => Kind::BadRequest,
            401 => Kind::Unauthorized,
            403 => Kind::Forbidden,
            404 => Kind::NotFound,
            405 => Kind::MethodNotAllowed,
            408 => Kind::RequestTimeout,
            410 => Kind::Gone,
            429 => Kind::Throttled,
            499 => Kind::ClientClosedRequest,
            500 => Kind::InternalServerError,
            501 => Kind::NotImplemented,
            502 => Kind::BadGateway,
            503 => Kind::ServiceUnavailable,
            504 => Kind::GatewayTimeout,
            505 => Kind::HttpVersionNotSupported,
            _ => match Family::of_status(status)? {
                Family::Informational => Kind::Informational,
                Family::Success => Kind::Success,
                Family::Redirection => Kind::Redirect,
                Family::ClientError => Kind::ClientError,
                Family::ServerError | Family::Transport => Kind::ServerError,
            },
        };
        Some(kind)
    }
}
