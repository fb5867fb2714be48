//! Whether a page's Content-Security-Policy lets it connect to a URL (CSP Level 3,
//! `connect-src` with `default-src` as its fallback).
//!
//! The page asks before it fetches anything but DNS (an MTA-STS policy): a fetch the policy
//! forbids fails the same way as one the other site's CORS forbids, and a report must say which
//! it was. Only what decides `connect-src` is read: `'none'`, `'self'`, `*`, scheme sources and
//! host sources (with `*.` wildcards, ports and paths). Other keywords allow no connection.

/// Whether every policy in `policies` (the page's `Content-Security-Policy` texts) lets a page at
/// `page_origin` (`scheme://host[:port]`) connect to `url`. No policy allows everything.
pub fn allows_connect<'a>(
    policies: impl IntoIterator<Item = &'a str>,
    page_origin: &str,
    url: &str,
) -> bool {
    let Some(target) = Url::parse(url) else {
        return false;
    };
    let page = Url::parse(page_origin);
    policies
        .into_iter()
        .all(|policy| policy_allows(policy, page.as_ref(), &target))
}

fn policy_allows(policy: &str, page: Option<&Url<'_>>, target: &Url<'_>) -> bool {
    let directive = |name: &str| {
        // The first occurrence of a directive wins; later ones are ignored (CSP3 §2.2.1).
        policy.split(';').find_map(|d| {
            let mut parts = d.split_ascii_whitespace();
            let first = parts.next()?;
            first.eq_ignore_ascii_case(name).then_some(parts)
        })
    };
    let Some(sources) = directive("connect-src").or_else(|| directive("default-src")) else {
        return true;
    };
    let mut sources = sources;
    sources.any(|source| source_allows(source, page, target))
}

fn source_allows(source: &str, page: Option<&Url<'_>>, target: &Url<'_>) -> bool {
    let lower = source.to_ascii_lowercase();
    match lower.as_str() {
        "'self'" => page.is_some_and(|p| {
            p.scheme == target.scheme
                && p.host.eq_ignore_ascii_case(target.host)
                && p.port() == target.port()
        }),
        // `*` matches network schemes, and the page's own (CSP3 §6.7.2.8).
        "*" => {
            matches!(target.scheme, "http" | "https" | "ws" | "wss")
                || page.is_some_and(|p| p.scheme == target.scheme)
        }
        s if s.starts_with('\'') => false,
        s if s.ends_with(':') && !s.contains('/') => scheme_matches(&s[..s.len() - 1], target),
        s => host_source_allows(s, page, target),
    }
}

/// A scheme matches itself, and its secure upgrade (`http:` allows `https:`).
fn scheme_matches(expr: &str, target: &Url<'_>) -> bool {
    expr == target.scheme
        || (expr == "http" && target.scheme == "https")
        || (expr == "ws" && target.scheme == "wss")
}

fn host_source_allows(source: &str, page: Option<&Url<'_>>, target: &Url<'_>) -> bool {
    let (scheme, rest) = match source.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, source),
    };
    match scheme {
        Some(scheme) if !scheme_matches(scheme, target) => return false,
        // No scheme: the page's scheme (and its secure upgrade).
        None => {
            let page_scheme = page.map_or("https", |p| p.scheme);
            if !scheme_matches(page_scheme, target) {
                return false;
            }
        }
        _ => {}
    }
    let (host_port, path) = match rest.find('/') {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, ""),
    };
    let (host, port) = match host_port.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() => (host, Some(port)),
        _ => (host_port, None),
    };
    let host_ok = match host.strip_prefix("*.") {
        Some(suffix) => {
            target.host.len() > suffix.len() + 1
                && target
                    .host
                    .to_ascii_lowercase()
                    .ends_with(&format!(".{suffix}"))
        }
        None => host == "*" || host.eq_ignore_ascii_case(target.host),
    };
    if !host_ok {
        return false;
    }
    let port_ok = match port {
        Some("*") => true,
        Some(port) => port.parse::<u16>().ok() == Some(target.port()),
        // No port: the scheme's default.
        None => {
            target.explicit_port.is_none()
                || target.explicit_port == default_port(scheme.unwrap_or(target.scheme))
        }
    };
    if !port_ok {
        return false;
    }
    path.is_empty()
        || path == "/"
        || if path.ends_with('/') {
            target.path.starts_with(path)
        } else {
            target.path == path
        }
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        _ => None,
    }
}

/// The parts of an absolute URL a source expression looks at.
struct Url<'a> {
    scheme: &'a str,
    host: &'a str,
    explicit_port: Option<u16>,
    path: &'a str,
}

impl<'a> Url<'a> {
    fn parse(text: &'a str) -> Option<Self> {
        let (scheme, rest) = text.split_once("://")?;
        if scheme.is_empty() || !scheme.bytes().all(|b| b.is_ascii_lowercase()) {
            return None;
        }
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, after) = rest.split_at(end);
        let path = after.split(['?', '#']).next().unwrap_or("");
        let path = if path.is_empty() { "/" } else { path };
        let host_port = authority.rsplit('@').next().unwrap_or(authority);
        let (host, explicit_port) = match host_port.rsplit_once(':') {
            Some((host, port)) if !host.ends_with(']') || host.starts_with('[') => {
                (host, Some(port.parse().ok()?))
            }
            _ => (host_port, None),
        };
        (!host.is_empty()).then_some(Self {
            scheme,
            host,
            explicit_port,
            path,
        })
    }

    fn port(&self) -> u16 {
        self.explicit_port
            .or_else(|| default_port(self.scheme))
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OURS: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
        connect-src 'self' https://cloudflare-dns.com https://dns.google http://127.0.0.1:* \
        http://localhost:* https://127.0.0.1:* https://localhost:*; base-uri 'none'";
    const PAGE: &str = "https://mxray.example";
    const POLICY: &str = "https://mta-sts.example.com/.well-known/mta-sts.txt";

    fn allows(policy: &str, url: &str) -> bool {
        allows_connect([policy], PAGE, url)
    }

    #[test]
    fn the_shipped_policy_allows_its_resolvers_and_nothing_else() {
        assert!(allows(
            OURS,
            "https://cloudflare-dns.com/dns-query?dns=AAAB"
        ));
        assert!(allows(OURS, "https://dns.google/dns-query"));
        assert!(allows(OURS, "http://127.0.0.1:8053/dns-query"));
        assert!(allows(OURS, "https://localhost:8443/dns-query"));
        assert!(allows(OURS, "https://mxray.example/build/app.wasm"));
        assert!(!allows(OURS, POLICY));
        assert!(!allows(OURS, "https://dns.quad9.net/dns-query"));
        assert!(!allows(OURS, "https://cloudflare-dns.com.evil.test/"));
    }

    #[test]
    fn source_expressions() {
        assert!(allows("connect-src https:", POLICY));
        assert!(
            allows("connect-src http:", POLICY),
            "http: allows its upgrade"
        );
        assert!(!allows("connect-src https:", "http://mta-sts.example.com/"));
        assert!(allows("connect-src *", POLICY));
        assert!(allows("connect-src https://*.example.com", POLICY));
        assert!(!allows(
            "connect-src https://*.example.com",
            "https://example.com/"
        ));
        assert!(
            allows("connect-src mta-sts.example.com", POLICY),
            "no scheme: the page's"
        );
        assert!(allows(
            "connect-src https://mta-sts.example.com/.well-known/",
            POLICY
        ));
        assert!(!allows(
            "connect-src https://mta-sts.example.com/other",
            POLICY
        ));
        assert!(!allows(
            "connect-src https://mta-sts.example.com:8443",
            POLICY
        ));
        assert!(allows(
            "connect-src https://mta-sts.example.com:443",
            POLICY
        ));
        assert!(
            allows("default-src https:", POLICY),
            "default-src is the fallback"
        );
        assert!(!allows("default-src https:; connect-src 'self'", POLICY));
        assert!(!allows("connect-src 'none'", POLICY));
        assert!(
            allows("script-src 'self'", POLICY),
            "no connect-src, no default-src"
        );
        assert!(allows("", POLICY));
        assert!(!allows("connect-src 'unsafe-inline'", POLICY));
        // The first directive of a name wins.
        assert!(!allows("connect-src 'self'; connect-src https:", POLICY));
        // Every policy must allow it.
        assert!(!allows_connect(
            ["connect-src https:", "connect-src 'self'"],
            PAGE,
            POLICY
        ));
        assert!(allows_connect(Vec::<&str>::new(), PAGE, POLICY));
    }

    #[test]
    fn nonsense_never_panics_and_never_allows_a_bad_url() {
        for url in [
            "",
            "mta-sts.example.com",
            "https://",
            "https://h:99999/",
            "HTTPS://x/",
        ] {
            assert!(!allows("connect-src *", url), "{url}");
        }
        for policy in [
            ";;;",
            "connect-src",
            "connect-src :",
            "connect-src ://",
            "connect-src *.:",
            "connect-src https://:",
        ] {
            let _ = allows(policy, POLICY);
        }
    }
}
