//! DNS-over-HTTPS (RFC 8484): request shapes, resolver addresses, and [`DohResolver`], which
//! asks a list of resolvers in order over any [`HttpGet`] transport (the browser's `fetch` in
//! the app, an HTTP client in the CLI, a script in tests). Core does no I/O itself.
//!
//! A GET carries the query as `?dns=<base64url, no padding>` (§4.1) with only
//! `Accept: application/dns-message`, which is a CORS-safelisted request: the browser sends no
//! preflight, so each lookup is one round trip. The query has ID 0, so HTTP caches can share it.
//!
//! Failover: the next resolver is asked when one gives no answer (network, CORS, timeout, HTTP
//! status, content type, malformed body) or answers SERVFAIL or REFUSED. Every failure on the
//! way is kept in the answer's `attempts`, so the page can say "Cloudflare timed out; Google
//! answered".

use super::resolver::{Answered, Attempt, Resolver, Unanswered};
use super::{Message, Name, Query, Rcode, RecordType, TransportError};
use crate::encoding::base64url_encode;

/// A public resolver the app knows by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KnownResolver {
    pub name: &'static str,
    pub url: &'static str,
}

/// Public resolvers that send `Access-Control-Allow-Origin: *` and speak the wire format.
pub const KNOWN_RESOLVERS: [KnownResolver; 2] = [
    KnownResolver {
        name: "Cloudflare",
        url: "https://cloudflare-dns.com/dns-query",
    },
    KnownResolver {
        name: "Google",
        url: "https://dns.google/dns-query",
    },
];

/// The resolvers to compare: the configured ones in their order, then the known public ones.
pub fn comparison_endpoints(configured: &[String]) -> Vec<String> {
    let mut all = configured.to_vec();
    for known in KNOWN_RESOLVERS {
        if !all.iter().any(|u| u == known.url) {
            all.push(known.url.to_owned());
        }
    }
    all
}

/// The GET URL for a query's wire form.
pub fn get_url(endpoint: &str, wire: &[u8]) -> String {
    let sep = if endpoint.contains('?') { '&' } else { '?' };
    format!("{endpoint}{sep}dns={}", base64url_encode(wire))
}

/// A short name for a resolver URL: the known name, or its host.
pub fn resolver_label(url: &str) -> String {
    if let Some(known) = KNOWN_RESOLVERS.iter().find(|k| k.url == url) {
        return known.name.to_owned();
    }
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    match rest.split_once('/') {
        Some((_, "dns-query" | "")) | None => rest.split('/').next().unwrap_or(rest).to_owned(),
        // A path other than the usual one tells two resolvers on one host apart.
        _ => rest.to_owned(),
    }
}

/// Checks a resolver URL typed or linked by a user: `https://` anywhere, or `http://` on this
/// machine only (a local DoH proxy, or mxray's demo resolver). Returns it trimmed.
pub fn check_resolver_url(text: &str) -> Result<String, String> {
    let url = text.trim();
    let (scheme, rest) = url.split_once("://").ok_or_else(|| {
        format!("{url:?} is not a URL; it should look like https://host/dns-query")
    })?;
    let host_port = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host_port.split(':').next().unwrap_or(""),
    };
    if host.is_empty() || url.chars().any(char::is_whitespace) {
        return Err(format!("{url:?} has no host name"));
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(url.to_owned()),
        "http" if matches!(host, "127.0.0.1" | "localhost" | "::1") => Ok(url.to_owned()),
        "http" => Err(format!(
            "{url:?} uses plain http; DNS-over-HTTPS needs https (http is accepted only on this \
             machine: 127.0.0.1, localhost or [::1])"
        )),
        other => Err(format!("{other}: is not http or https")),
    }
}

/// A monotonic clock in milliseconds (the page's `performance.now()`, the CLI's `Instant`).
pub trait Clock {
    fn now_ms(&self) -> f64;
}

/// What an HTTP GET brought back.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpReply {
    pub status: u16,
    /// The `Content-Type` header, empty when absent.
    pub content_type: String,
    pub body: Vec<u8>,
}

/// Moves bytes: one GET with `Accept: application/dns-message`, given up after `timeout_ms`
/// (as [`TransportError::Timeout`]); a request that gets no readable response is
/// [`TransportError::Network`].
#[allow(
    async_fn_in_trait,
    reason = "no Send bound on purpose: browser futures are not Send"
)]
pub trait HttpGet: Clock {
    async fn get(&self, url: &str, timeout_ms: u32) -> Result<HttpReply, TransportError>;

    /// The same for a file that is not a DNS answer (an MTA-STS policy): no DNS `Accept`
    /// header. Transports that cannot leave it out fall back to [`get`](Self::get).
    async fn get_file(&self, url: &str, timeout_ms: u32) -> Result<HttpReply, TransportError> {
        self.get(url, timeout_ms).await
    }
}

/// Checks an HTTP reply and decodes its DNS message.
pub fn decode_reply(reply: &HttpReply) -> Result<Message, TransportError> {
    if reply.status != 200 {
        return Err(TransportError::Http {
            status: reply.status,
        });
    }
    let media_type = reply.content_type.split(';').next().unwrap_or("").trim();
    if !media_type.eq_ignore_ascii_case("application/dns-message") {
        return Err(TransportError::ContentType {
            got: reply.content_type.clone(),
        });
    }
    Message::from_wire(&reply.body).map_err(TransportError::Malformed)
}

/// How long one resolver may take before the next is asked.
pub const DEFAULT_TIMEOUT_MS: u32 = 5000;

/// Asks a list of DoH resolvers in order until one answers.
#[derive(Clone, Debug)]
pub struct DohResolver<T> {
    transport: T,
    endpoints: Vec<String>,
    timeout_ms: u32,
}

impl<T: HttpGet> DohResolver<T> {
    /// Resolvers are asked in the given order; with none, the [`KNOWN_RESOLVERS`].
    pub fn new(transport: T, endpoints: Vec<String>) -> Self {
        let endpoints = if endpoints.is_empty() {
            KNOWN_RESOLVERS.iter().map(|k| k.url.to_owned()).collect()
        } else {
            endpoints
        };
        Self {
            transport,
            endpoints,
            timeout_ms: DEFAULT_TIMEOUT_MS,
        }
    }

    /// Sets the time each resolver gets.
    #[must_use]
    pub fn with_timeout_ms(mut self, timeout_ms: u32) -> Self {
        self.timeout_ms = timeout_ms;
        self
    }

    /// The resolvers, in the order they are asked.
    pub fn endpoints(&self) -> &[String] {
        &self.endpoints
    }

    /// Asks one resolver, with no failover (for comparing resolvers).
    pub async fn ask_endpoint(
        &self,
        endpoint: &str,
        name: &Name,
        rtype: RecordType,
    ) -> Result<Answered, TransportError> {
        let url = get_url(endpoint, &Query::new(name.clone(), rtype).to_wire());
        let started = self.transport.now_ms();
        let reply = self.transport.get(&url, self.timeout_ms).await?;
        let message = decode_reply(&reply)?;
        let elapsed = (self.transport.now_ms() - started).max(0.0);
        Ok(Answered {
            message,
            source: resolver_label(endpoint),
            // Whole milliseconds, saturating: time never needs float formatting on the page.
            elapsed_ms: if elapsed >= f64::from(u32::MAX) {
                u32::MAX
            } else {
                elapsed as u32
            },
            cached: false,
            attempts: Vec::new(),
        })
    }
}

impl<T: HttpGet> Resolver for DohResolver<T> {
    fn label(&self) -> String {
        resolver_label(&self.endpoints[0])
    }

    async fn query(&self, name: &Name, rtype: RecordType) -> Result<Message, TransportError> {
        self.ask(name, rtype)
            .await
            .map(|a| a.message)
            .map_err(|u| u.error)
    }

    async fn ask(&self, name: &Name, rtype: RecordType) -> Result<Answered, Unanswered> {
        let mut attempts = Vec::new();
        let mut first_error = None;
        let mut fallback: Option<(usize, Answered)> = None;
        for endpoint in &self.endpoints {
            let resolver = resolver_label(endpoint);
            match self.ask_endpoint(endpoint, name, rtype).await {
                Ok(mut answer) => {
                    let rcode = answer.message.rcode;
                    if rcode != Rcode::SERVFAIL && rcode != Rcode::REFUSED {
                        answer.attempts = attempts;
                        return Ok(answer);
                    }
                    // A DNS answer, even SERVFAIL, says more than a transport failure.
                    fallback.get_or_insert((attempts.len(), answer));
                    attempts.push(Attempt {
                        resolver,
                        problem: format!("answered {rcode}"),
                    });
                }
                Err(error) => {
                    attempts.push(Attempt {
                        resolver,
                        problem: error.to_string(),
                    });
                    first_error.get_or_insert(error);
                }
            }
        }
        match fallback {
            Some((index, mut answer)) => {
                attempts.remove(index);
                answer.attempts = attempts;
                Ok(answer)
            }
            None => Err(Unanswered {
                error: first_error.unwrap_or(TransportError::Network),
                attempts,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_urls_use_unpadded_base64url_and_respect_existing_queries() {
        assert_eq!(
            get_url("https://r/dns-query", &[0xfb, 0xff]),
            "https://r/dns-query?dns=-_8"
        );
        assert_eq!(get_url("https://r/q?x=1", &[0]), "https://r/q?x=1&dns=AA");
    }

    #[test]
    fn resolvers_are_labelled_by_name_or_host() {
        assert_eq!(resolver_label("https://dns.google/dns-query"), "Google");
        assert_eq!(
            resolver_label("http://127.0.0.1:8053/dns-query"),
            "127.0.0.1:8053"
        );
        assert_eq!(resolver_label("https://doh.example/"), "doh.example");
        assert_eq!(resolver_label("https://doh.example"), "doh.example");
        assert_eq!(
            resolver_label("http://127.0.0.1:8053/fault/servfail/dns-query?x=1"),
            "127.0.0.1:8053/fault/servfail/dns-query"
        );
    }

    #[test]
    fn resolver_urls_must_be_https_or_loopback_http() {
        assert!(check_resolver_url(" https://doh.example/dns-query ").is_ok());
        assert!(check_resolver_url("http://127.0.0.1:8053/dns-query").is_ok());
        assert!(check_resolver_url("http://[::1]:8053/dns-query").is_ok());
        assert!(check_resolver_url("http://localhost/dns-query").is_ok());
        assert!(
            check_resolver_url("http://doh.example/dns-query")
                .unwrap_err()
                .contains("https")
        );
        assert!(check_resolver_url("http://127.0.0.1.evil.example/").is_err());
        assert!(check_resolver_url("javascript:alert(1)").is_err());
        assert!(check_resolver_url("ftp://x/").is_err());
        assert!(check_resolver_url("https:///path").is_err());
    }
}
