//! Request methods and what RFC 9110 §9.2 says about repeating them.
//!
//! Safe methods (GET, HEAD, OPTIONS, TRACE, and QUERY from the IETF httpbis draft "The HTTP QUERY
//! Method", a safe GET with a body) only read; idempotent ones (those plus PUT and DELETE) have the
//! same effect however often they are sent, so a retry cannot do harm. POST, PATCH,
//! CONNECT and every method this table does not know are treated as non-idempotent: a retry might
//! repeat a side effect. Names match ignoring ASCII case, as `fetch` itself normalises `get` to
//! `GET`; a lower-case `patch` (which `fetch` leaves alone) is non-idempotent either way.

/// A request method, as far as retry rules care.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET: safe.
    Get,
    /// HEAD: safe.
    Head,
    /// OPTIONS: safe.
    Options,
    /// TRACE: safe.
    Trace,
    /// PUT: idempotent.
    Put,
    /// DELETE: idempotent.
    Delete,
    /// POST: not idempotent.
    Post,
    /// PATCH: not idempotent.
    Patch,
    /// CONNECT: not idempotent.
    Connect,
    /// QUERY (draft-ietf-httpbis-safe-method-w-body): safe, like GET with a body.
    Query,
    /// Any other method (WebDAV, custom): treated as not idempotent.
    Other,
}

impl Method {
    /// Every method with a name, in a fixed order (the bindings send a method as its index here;
    /// new methods go at the end).
    pub const KNOWN: [Method; 10] = [
        Method::Get,
        Method::Head,
        Method::Options,
        Method::Trace,
        Method::Put,
        Method::Delete,
        Method::Post,
        Method::Patch,
        Method::Connect,
        Method::Query,
    ];

    /// The method named `name` (ASCII case ignored); unknown names are [`Method::Other`].
    ///
    /// ```
    /// use http_verdict::method::Method;
    /// assert_eq!(Method::parse("get"), Method::Get);
    /// assert!(Method::parse("PUT").is_idempotent());
    /// assert!(Method::parse("QUERY").is_idempotent());
    /// assert!(!Method::parse("POST").is_idempotent());
    /// assert!(!Method::parse("PROPFIND").is_idempotent());
    /// ```
    pub fn parse(name: &str) -> Method {
        Method::KNOWN
            .iter()
            .find(|method| {
                method
                    .name()
                    .is_some_and(|known| known.eq_ignore_ascii_case(name))
            })
            .map_or(Method::Other, |method| *method)
    }

    /// The canonical upper-case name; `None` for [`Method::Other`].
    pub fn name(self) -> Option<&'static str> {
        let name = match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Connect => "CONNECT",
            Method::Query => "QUERY",
            Method::Other => return None,
        };
        Some(name)
    }

    /// Whether the method only reads (RFC 9110 §9.2.1).
    pub fn is_safe(self) -> bool {
        matches!(
            self,
            Method::Get | Method::Head | Method::Options | Method::Trace | Method::Query
        )
    }

    /// Whether repeating the request has the effect of sending it once (RFC 9110 §9.2.2).
    pub fn is_idempotent(self) -> bool {
        self.is_safe() || matches!(self, Method::Put | Method::Delete)
    }
}
