//! A host name resolved to its addresses: what MX and SRV targets and PTR names come to.
//!
//! A and AAAA are asked together. The CNAMEs followed are kept (an MX or SRV target must not be
//! an alias, RFC 2181 §10.3), and "the name does not exist" is kept apart from "exists without
//! addresses" and from "could not ask", because each means something different to the user.

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::dns::{Name, Outcome, RData, RecordType, Resolver};
use crate::join::join;

/// Where a host name lookup ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostState {
    /// At least one address.
    Resolves,
    /// The name exists but has neither A nor AAAA records.
    NoAddress,
    /// The name does not exist (NXDOMAIN for both questions).
    NxDomain,
    /// Neither question got an answer; the words say why.
    Failed(String),
}

/// A host name and its addresses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Host {
    pub name: String,
    pub ipv4: Vec<Ipv4Addr>,
    pub ipv6: Vec<Ipv6Addr>,
    /// The CNAME targets followed to reach the addresses, in order.
    pub cnames: Vec<String>,
    pub state: HostState,
    /// One of the two questions failed while the other answered (the words say which).
    pub partial_failure: Option<String>,
}

impl Host {
    /// `name` before (or without) any lookup: no addresses yet.
    pub fn named(name: String) -> Self {
        Self {
            name,
            ipv4: Vec::new(),
            ipv6: Vec::new(),
            cnames: Vec::new(),
            state: HostState::NoAddress,
            partial_failure: None,
        }
    }

    /// Every address, IPv4 first.
    pub fn addresses(&self) -> Vec<IpAddr> {
        self.ipv4
            .iter()
            .map(|a| IpAddr::V4(*a))
            .chain(self.ipv6.iter().map(|a| IpAddr::V6(*a)))
            .collect()
    }
}

/// One question's answer, as far as a host needs it.
enum Part {
    Addresses(Vec<IpAddr>, Vec<String>),
    NoData(Vec<String>),
    NxDomain(Vec<String>),
    Failed(String),
}

async fn part<R: Resolver>(resolver: &R, name: &Name, rtype: RecordType) -> Part {
    let message = match resolver.query(name, rtype).await {
        Ok(m) => m,
        Err(e) => return Part::Failed(e.to_string()),
    };
    let outcome = Outcome::from_message(&message, rtype);
    let cnames: Vec<String> = outcome
        .chain()
        .iter()
        .filter_map(|r| match &r.data {
            RData::Cname(t) => Some(t.to_string()),
            _ => None,
        })
        .collect();
    match outcome {
        Outcome::Records { records, .. } => Part::Addresses(
            records
                .iter()
                .filter_map(|r| match r.data {
                    RData::A(a) => Some(IpAddr::V4(a)),
                    RData::Aaaa(a) => Some(IpAddr::V6(a)),
                    _ => None,
                })
                .collect(),
            cnames,
        ),
        Outcome::NoData { .. } => Part::NoData(cnames),
        Outcome::NxDomain { .. } => Part::NxDomain(cnames),
        other => Part::Failed(other.summary(&name.to_string(), rtype)),
    }
}

/// Resolves `name` (A and AAAA at once).
pub async fn resolve<R: Resolver>(resolver: &R, name: &str) -> Host {
    let display = name.trim_end_matches('.').to_ascii_lowercase();
    let mut host = Host::named(display.clone());
    let Ok(parsed) = Name::parse(&display) else {
        host.state = HostState::Failed(format!("{display} is not a valid DNS name"));
        return host;
    };
    let (a, aaaa) = join(
        part(resolver, &parsed, RecordType::A),
        part(resolver, &parsed, RecordType::AAAA),
    )
    .await;
    let mut nxdomain = 0;
    let mut failures = Vec::new();
    for p in [a, aaaa] {
        match p {
            Part::Addresses(addresses, cnames) => {
                for address in addresses {
                    match address {
                        IpAddr::V4(v4) => host.ipv4.push(v4),
                        IpAddr::V6(v6) => host.ipv6.push(v6),
                    }
                }
                if host.cnames.is_empty() {
                    host.cnames = cnames;
                }
            }
            Part::NoData(cnames) => {
                if host.cnames.is_empty() {
                    host.cnames = cnames;
                }
            }
            Part::NxDomain(cnames) => {
                nxdomain += 1;
                if host.cnames.is_empty() {
                    host.cnames = cnames;
                }
            }
            Part::Failed(why) => failures.push(why),
        }
    }
    host.state = if !host.ipv4.is_empty() || !host.ipv6.is_empty() {
        HostState::Resolves
    } else if failures.len() == 2 {
        HostState::Failed(failures.join("; "))
    } else if nxdomain > 0 {
        HostState::NxDomain
    } else {
        HostState::NoAddress
    };
    if failures.len() == 1 {
        host.partial_failure = failures.pop();
    }
    host
}

/// The address a host name spells, when it is an IP literal (`192.0.2.1`, `[192.0.2.1]`)
/// rather than a name.
pub fn ip_literal(name: &str) -> Option<IpAddr> {
    let bare = name
        .trim_end_matches('.')
        .trim_start_matches('[')
        .trim_end_matches(']');
    let bare = bare.strip_prefix("IPv6:").unwrap_or(bare);
    bare.parse().ok()
}

/// Whether an address can be reached from the Internet at all (not loopback, private,
/// link-local, unspecified, documentation-only or multicast), as far as the address says.
pub fn private_use(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            if v4.is_loopback() {
                Some("a loopback address (this machine)")
            } else if v4.is_private() {
                Some("a private network address (RFC 1918)")
            } else if v4.is_link_local() {
                Some("a link-local address")
            } else if v4.is_unspecified() || o[0] == 0 {
                Some("an unspecified address")
            } else if o[0] == 100 && (o[1] & 0xc0) == 64 {
                Some("a carrier-grade NAT address (RFC 6598)")
            } else if v4.is_multicast() || v4.is_broadcast() {
                Some("a multicast or broadcast address")
            } else {
                None
            }
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            if v6.is_loopback() {
                Some("the IPv6 loopback address")
            } else if v6.is_unspecified() {
                Some("the unspecified IPv6 address")
            } else if (s[0] & 0xfe00) == 0xfc00 {
                Some("a unique local IPv6 address (RFC 4193)")
            } else if (s[0] & 0xffc0) == 0xfe80 {
                Some("a link-local IPv6 address")
            } else if v6.is_multicast() {
                Some("a multicast address")
            } else {
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::join::now as block_on;

    const ZONE: &str = "$ORIGIN t.\n$TTL 300\n@ SOA ns h 1 2 3 4 300\n\
        both A 192.0.2.1\nboth AAAA 2001:db8::1\nalias CNAME both\nempty TXT \"x\"\n";

    #[test]
    fn resolves_both_families_follows_cnames_and_tells_missing_from_absent() {
        let zone = crate::dns::resolver::ZoneResolver::from_zone_text(ZONE, "zone").unwrap();
        let h = block_on(resolve(&zone, "Both.T."));
        assert_eq!(h.name, "both.t");
        assert_eq!(h.state, HostState::Resolves);
        assert_eq!(h.addresses().len(), 2);
        let a = block_on(resolve(&zone, "alias.t"));
        assert_eq!(a.cnames, vec!["both.t"]);
        assert_eq!(a.state, HostState::Resolves);
        assert_eq!(
            block_on(resolve(&zone, "empty.t")).state,
            HostState::NoAddress
        );
        assert_eq!(
            block_on(resolve(&zone, "nope.t")).state,
            HostState::NxDomain
        );
    }

    #[test]
    fn literals_and_private_addresses_are_named() {
        assert_eq!(ip_literal("192.0.2.7."), Some("192.0.2.7".parse().unwrap()));
        assert_eq!(
            ip_literal("[192.0.2.7]"),
            Some("192.0.2.7".parse().unwrap())
        );
        assert_eq!(ip_literal("mail.example.com"), None);
        assert!(private_use("10.1.2.3".parse().unwrap()).is_some());
        assert!(private_use("127.0.0.1".parse().unwrap()).is_some());
        assert!(private_use("fd00::1".parse().unwrap()).is_some());
        assert!(private_use("192.0.2.1".parse().unwrap()).is_none());
        assert!(private_use("2001:db8::1".parse().unwrap()).is_none());
    }
}
