//! MX: where the domain's mail goes (RFC 5321 §5.1, RFC 7505), each host resolved.
//!
//! The MX question is asked first; every host's A and AAAA then go out together. A host that
//! does not exist is looked at once more, with its questions in flight together: does its
//! top-level domain exist (`mail-net.` for `mail.net.`), and is it a name with the domain
//! appended by a zone file that lacked a trailing dot (`mx.vendor.net.example.com`)?

use core::net::IpAddr;

use super::host::{self, Host, HostState};
use crate::dns::{Name, Outcome, RecordType, Resolver};
use crate::finding::Finding;
use crate::join::{join, join_all};

/// One MX record and where its host leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MxHost {
    pub preference: u16,
    pub host: Host,
    /// The exchange is an IP address written as a name; it was not looked up.
    pub ip_literal: Option<IpAddr>,
    pub findings: Vec<Finding>,
}

/// What the MX question came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MxState {
    /// MX records, by preference (then name).
    Hosts(Vec<MxHost>),
    /// Only a null MX (`0 .`): the domain accepts no mail (RFC 7505).
    Null,
    /// No MX records: senders fall back to the domain's own addresses (RFC 5321 §5.1).
    NoMx {
        fallback: Host,
        /// The domain itself does not exist.
        nxdomain: bool,
    },
    /// The MX question got no answer.
    Failed(String),
}

/// The MX area of a check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mx {
    pub domain: String,
    pub state: MxState,
    /// A null MX published beside other MX records (an error in itself).
    pub null_beside_others: bool,
    /// Findings about the MX set as a whole; each host's own are on it.
    pub findings: Vec<Finding>,
}

impl Mx {
    /// The hosts (none unless [`MxState::Hosts`]).
    pub fn hosts(&self) -> &[MxHost] {
        match &self.state {
            MxState::Hosts(h) => h,
            _ => &[],
        }
    }

    /// The MX host names, by preference.
    pub fn host_names(&self) -> Vec<String> {
        self.hosts().iter().map(|h| h.host.name.clone()).collect()
    }

    /// Whether the domain says it accepts no mail.
    pub fn is_null(&self) -> bool {
        matches!(self.state, MxState::Null)
    }

    /// Every finding: each host's, then the set's.
    pub fn all_findings(&self) -> Vec<&Finding> {
        self.hosts()
            .iter()
            .flat_map(|h| &h.findings)
            .chain(&self.findings)
            .collect()
    }

    /// Every address mail may be delivered to, with the host it belongs to (the MX hosts, or
    /// the domain's own addresses when there is no MX).
    pub fn addresses(&self) -> Vec<(String, IpAddr)> {
        match &self.state {
            MxState::Hosts(hosts) => {
                let mut out: Vec<(String, IpAddr)> = Vec::new();
                for h in hosts {
                    for ip in h.host.addresses() {
                        if !out.iter().any(|(_, seen)| *seen == ip) {
                            out.push((h.host.name.clone(), ip));
                        }
                    }
                }
                out
            }
            MxState::NoMx { fallback, .. } => fallback
                .addresses()
                .into_iter()
                .map(|ip| (fallback.name.clone(), ip))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// A zone-file MX line to copy.
fn mx_line(domain: &str, preference: u16, target: &str) -> String {
    format!(
        "{domain}. MX {preference} {}.",
        target.trim_end_matches('.')
    )
}

/// Looks up `domain`'s MX records and resolves every host.
pub async fn check<R: Resolver>(resolver: &R, domain: &str) -> Mx {
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    let mut mx = Mx {
        domain: domain.clone(),
        state: MxState::Failed(String::new()),
        null_beside_others: false,
        findings: Vec::new(),
    };
    let Ok(name) = Name::parse(&domain) else {
        mx.state = MxState::Failed(format!("{domain} is not a valid DNS name"));
        return mx;
    };
    let outcome = match resolver.query(&name, RecordType::MX).await {
        Ok(message) => Outcome::from_message(&message, RecordType::MX),
        Err(e) => {
            mx.state = MxState::Failed(e.to_string());
            mx.findings.push(Finding::new(
                "mx.lookup-failed",
                format!("The MX records of {domain} could not be looked up: {e}."),
            ));
            return mx;
        }
    };
    let mut records: Vec<(u16, String)> = match &outcome {
        Outcome::Records { .. } => outcome
            .mx()
            .map(|(preference, exchange)| (preference, exchange.to_string().to_ascii_lowercase()))
            .collect(),
        Outcome::NoData { .. } | Outcome::NxDomain { .. } => {
            let nxdomain = matches!(outcome, Outcome::NxDomain { .. });
            let fallback = host::resolve(resolver, &domain).await;
            mx.findings
                .push(no_mx_finding(&domain, &fallback, nxdomain));
            mx.state = MxState::NoMx { fallback, nxdomain };
            return mx;
        }
        other => {
            let why = other.summary(&domain, RecordType::MX);
            mx.findings.push(Finding::new(
                "mx.lookup-failed",
                format!("The MX records of {domain} could not be looked up: {why}."),
            ));
            mx.state = MxState::Failed(why);
            return mx;
        }
    };
    records.sort();
    records.dedup();
    let is_null = |(_, t): &(u16, String)| t == ".";
    if records.iter().any(is_null) {
        if records.iter().all(is_null) {
            if records.iter().any(|(p, _)| *p != 0) {
                mx.findings.push(Finding::new(
                    "mx.null",
                    format!(
                        "{domain} publishes a null MX (the target \".\"): it accepts no mail. \
                         RFC 7505 writes it with preference 0."
                    ),
                ));
            } else {
                mx.findings.push(Finding::new(
                    "mx.null",
                    format!(
                        "{domain} publishes a null MX: it says it accepts no mail, so senders \
                         give up at once instead of retrying."
                    ),
                ));
            }
            mx.state = MxState::Null;
            return mx;
        }
        mx.null_beside_others = true;
        mx.findings.push(
            Finding::new(
                "mx.null-with-others",
                format!(
                    "{domain} publishes a null MX (\".\", \"accepts no mail\") beside other MX \
                     records. RFC 7505 forbids the mix; senders may treat the domain as \
                     accepting no mail, or try the \".\" host."
                ),
            )
            .fix(format!(
                "Remove the record \"{domain}. MX 0 .\" if the domain receives mail."
            )),
        );
        records.retain(|r| !is_null(r));
    }

    let hosts = join_all(
        records
            .iter()
            .map(|(preference, target)| check_host(resolver, &domain, *preference, target)),
    )
    .await;
    let resolving: Vec<&MxHost> = hosts
        .iter()
        .filter(|h| h.host.state == HostState::Resolves)
        .collect();
    if !resolving.is_empty() && resolving.iter().all(|h| h.host.ipv6.is_empty()) {
        mx.findings.push(Finding::new(
            "mx.no-ipv6",
            format!(
                "No MX host of {domain} has an IPv6 address (AAAA record). Mail from IPv6-only \
                 senders cannot reach it; most mail still travels over IPv4."
            ),
        ));
    }
    if !hosts.is_empty() && resolving.is_empty() {
        mx.findings.push(Finding::new(
            "mx.no-reachable-host",
            format!(
                "None of {domain}'s MX hosts has an address: mail to {domain} cannot be \
                 delivered."
            ),
        ));
    }
    mx.state = MxState::Hosts(hosts);
    mx
}

fn no_mx_finding(domain: &str, fallback: &Host, nxdomain: bool) -> Finding {
    let null = format!("{domain}. MX 0 .");
    if nxdomain {
        return Finding::new(
            "mx.none",
            format!(
                "{domain} does not exist in DNS, so it has no MX records and receives no mail."
            ),
        );
    }
    match fallback.state {
        HostState::Resolves => {
            let list: Vec<String> = fallback.addresses().iter().map(ToString::to_string).collect();
            Finding::new(
                "mx.none",
                format!(
                    "{domain} has no MX records, so senders deliver its mail to the domain's own \
                     address ({}), usually a web server that does not accept mail. Publish the \
                     MX records of your mail provider, or a null MX if the domain receives no mail.",
                    list.join(", ")
                ),
            )
            .fix(null)
        }
        _ => Finding::new(
            "mx.none",
            format!(
                "{domain} has no MX records and no address: it cannot receive mail. If that is \
                 intended, say so with a null MX; otherwise publish your mail provider's MX records."
            ),
        )
        .fix(null),
    }
}

async fn check_host<R: Resolver>(
    resolver: &R,
    domain: &str,
    preference: u16,
    target: &str,
) -> MxHost {
    let shown = target.trim_end_matches('.').to_owned();
    if let Some(ip) = host::ip_literal(&shown) {
        let finding = Finding::new(
            "mx.target-ip",
            format!(
                "The MX record points at {shown}, an IP address. An MX must name a host; senders \
                 look {shown} up as a name and fail."
            ),
        )
        .fix(format!(
            "Give the server a name with an A record (mail.{domain}. A {ip}) and publish \
             {}",
            mx_line(domain, preference, &format!("mail.{domain}"))
        ));
        return MxHost {
            preference,
            host: Host::named(shown),
            ip_literal: Some(ip),
            findings: vec![finding],
        };
    }
    let host = host::resolve(resolver, &shown).await;
    let mut findings = Vec::new();
    if let Some(last) = host.cnames.last() {
        findings.push(
            Finding::new(
                "mx.target-cname",
                format!(
                    "The MX host {shown} is an alias (CNAME) for {last}. An MX must point at a \
                     name with address records; some senders refuse aliases or lose the name \
                     they need for TLS."
                ),
            )
            .fix(mx_line(domain, preference, last)),
        );
    }
    match &host.state {
        HostState::Resolves => {
            for ip in host.addresses() {
                if let Some(what) = host::private_use(ip) {
                    findings.push(Finding::new(
                        "mx.private-address",
                        format!(
                            "The MX host {shown} resolves to {ip}, {what}: senders on the \
                             Internet cannot reach it."
                        ),
                    ));
                }
            }
        }
        HostState::NxDomain => {
            findings.extend(nonexistent(resolver, domain, preference, &shown).await);
        }
        HostState::NoAddress => findings.push(Finding::new(
            "mx.target-missing",
            format!(
                "The MX host {shown} exists but has no address (no A or AAAA record): mail \
                 for {domain} cannot be delivered there."
            ),
        )),
        HostState::Failed(why) => findings.push(Finding::new(
            "mx.target-failed",
            format!("The addresses of the MX host {shown} could not be looked up: {why}."),
        )),
    }
    MxHost {
        preference,
        host,
        ip_literal: None,
        findings,
    }
}

/// Why a host does not exist: a top-level domain that does not exist, or the domain appended
/// to a name that does (asked together); otherwise a likely typo.
async fn nonexistent<R: Resolver>(
    resolver: &R,
    domain: &str,
    preference: u16,
    shown: &str,
) -> Vec<Finding> {
    let tld = shown.rsplit('.').next().unwrap_or(shown).to_owned();
    let appended = shown
        .strip_suffix(&format!(".{domain}"))
        .filter(|rest| rest.contains('.'))
        .map(str::to_owned);
    let tld_exists = async {
        let name = Name::parse(&tld).ok()?;
        let message = resolver.query(&name, RecordType::NS).await.ok()?;
        Some(!matches!(
            Outcome::from_message(&message, RecordType::NS),
            Outcome::NxDomain { .. }
        ))
    };
    let appended_host = async {
        match &appended {
            Some(rest) => Some(host::resolve(resolver, rest).await),
            None => None,
        }
    };
    let (tld_exists, appended_host) = join(tld_exists, appended_host).await;
    if let (Some(rest), Some(h)) = (&appended, &appended_host)
        && (h.state == HostState::Resolves || h.state == HostState::NoAddress)
    {
        return vec![
            Finding::new(
                "mx.target-origin-appended",
                format!(
                    "The MX host {shown} does not exist, but {rest} does: the record was \
                     probably entered without a trailing dot, and the DNS provider appended \
                     {domain}."
                ),
            )
            .fix(format!(
                "{} (in a zone file, end the name with a dot; in a provider's form, enter \
                 {rest} without {domain})",
                mx_line(domain, preference, rest)
            )),
        ];
    }
    if tld_exists == Some(false) {
        let mut finding = Finding::new(
            "mx.tld-missing",
            format!(
                "The MX host {shown} cannot exist: there is no top-level domain .{tld}. This is \
                 a typo."
            ),
        );
        if let Some((left, right)) = tld.rsplit_once('-')
            && !left.is_empty()
            && !right.is_empty()
        {
            let guess = format!(
                "{}{left}.{right}",
                shown.strip_suffix(&tld).unwrap_or_default()
            );
            finding.message.push_str(&format!(" Did you mean {guess}?"));
            finding = finding.fix(mx_line(domain, preference, &guess));
        }
        return vec![finding];
    }
    vec![Finding::new(
        "mx.target-missing",
        format!(
            "The MX host {shown} does not exist (NXDOMAIN): mail for {domain} cannot be \
             delivered there. Check the name for a typo against what your mail provider gave you."
        ),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::join::{now, zone_cache};

    fn run(zone: &str, domain: &str) -> Mx {
        let z = format!(
            "$ORIGIN .\n$TTL 300\nt. SOA ns.t. h.t. 1 2 3 4 300\nnet. SOA ns.t. h.t. 1 2 3 4 300\n\
             net. NS ns.t.\n{zone}"
        );
        now(check(&zone_cache(&z), domain))
    }

    fn codes(mx: &Mx) -> Vec<&'static str> {
        mx.all_findings().iter().map(|f| f.code).collect()
    }

    #[test]
    fn hosts_come_by_preference_with_their_addresses() {
        let mx = run(
            "a.t. MX 20 m2.a.t.\na.t. MX 10 m1.a.t.\nm1.a.t. A 192.0.2.1\nm1.a.t. AAAA 2001:db8::1\n\
             m2.a.t. A 192.0.2.2\n",
            "a.t",
        );
        let hosts = mx.hosts();
        assert_eq!(hosts[0].host.name, "m1.a.t");
        assert_eq!(hosts[1].preference, 20);
        assert!(codes(&mx).is_empty(), "{:?}", mx.all_findings());
        assert_eq!(mx.addresses().len(), 3);
    }

    #[test]
    fn no_mx_null_mx_and_null_beside_others() {
        let none = run("a.t. A 192.0.2.80\n", "a.t");
        assert_eq!(codes(&none), ["mx.none"]);
        assert!(none.findings[0].message.contains("192.0.2.80"));
        assert_eq!(none.findings[0].fix.as_deref(), Some("a.t. MX 0 ."));
        let null = run("a.t. MX 0 .\n", "a.t");
        assert!(null.is_null());
        assert_eq!(codes(&null), ["mx.null"]);
        let mixed = run(
            "a.t. MX 0 .\na.t. MX 10 m.a.t.\nm.a.t. A 192.0.2.1\n",
            "a.t",
        );
        assert!(codes(&mixed).contains(&"mx.null-with-others"));
        assert_eq!(mixed.hosts().len(), 1);
    }

    #[test]
    fn bad_targets_are_named_with_their_fix() {
        let mx = run(
            "a.t. MX 10 alias.a.t.\nalias.a.t. CNAME real.a.t.\nreal.a.t. A 192.0.2.1\n\
             a.t. MX 20 192.0.2.9.\na.t. MX 30 gone.a.t.\na.t. MX 40 mail-net.\n\
             a.t. MX 50 mx.vendor.net.a.t.\nmx.vendor.net. A 198.51.100.1\n\
             a.t. MX 60 lan.a.t.\nlan.a.t. A 10.0.0.5\n",
            "a.t",
        );
        let c = codes(&mx);
        for code in [
            "mx.target-cname",
            "mx.target-ip",
            "mx.target-missing",
            "mx.tld-missing",
            "mx.target-origin-appended",
            "mx.private-address",
            "mx.no-ipv6",
        ] {
            assert!(c.contains(&code), "{code} in {c:?}");
        }
        let by_code = |code: &str| {
            mx.all_findings()
                .into_iter()
                .find(|f| f.code == code)
                .unwrap()
                .clone()
        };
        assert_eq!(
            by_code("mx.target-cname").fix.as_deref(),
            Some("a.t. MX 10 real.a.t.")
        );
        assert!(
            by_code("mx.tld-missing")
                .message
                .contains("Did you mean mail.net?")
        );
        assert_eq!(
            by_code("mx.tld-missing").fix.as_deref(),
            Some("a.t. MX 40 mail.net.")
        );
        assert!(
            by_code("mx.target-origin-appended")
                .fix
                .unwrap()
                .starts_with("a.t. MX 50 mx.vendor.net.")
        );
    }

    #[test]
    fn a_missing_host_means_mail_is_undeliverable() {
        let mx = run("a.t. MX 10 m.a.t.\n", "a.t");
        assert_eq!(codes(&mx), ["mx.target-missing", "mx.no-reachable-host"]);
    }
}
