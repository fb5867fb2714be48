//! DNS-over-HTTPS (RFC 8484) request shapes and resolver addresses, with no I/O.
//!
//! A GET carries the query as `?dns=<base64url, no padding>` (§4.1) with only
//! `Accept: application/dns-message`, which is a CORS-safelisted request: the browser sends no
//! preflight, so each lookup is one round trip.

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
    rest.split('/').next().unwrap_or(rest).to_owned()
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
