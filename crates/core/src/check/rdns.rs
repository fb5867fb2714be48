//! Reverse DNS: the PTR name of an address, and whether it is forward-confirmed (the name
//! resolves back to the address: "iprev", RFC 8601 §3). Receivers check this of every sending
//! address, and many reject mail from addresses without it or with a name that looks like a
//! home connection's.

use core::net::IpAddr;

use super::host::{self, Host};
use crate::dns::input::reverse_name;
use crate::dns::{Outcome, RData, RecordType, Resolver};
use crate::finding::{Finding, Severity};
use crate::join::join_all;

/// Whose address it is: it decides how much a missing PTR matters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Role {
    /// An address of this MX host (receivers do not check it, but the same servers often send).
    Mx(String),
    /// The address the user sends mail from: receivers check it on every message.
    Sender,
}

/// One PTR name of an address, and what it resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PtrName {
    pub name: String,
    pub host: Host,
    /// The name resolves back to the address.
    pub confirmed: bool,
    /// Why the name looks generic, when it does.
    pub generic: Option<String>,
}

/// Reverse DNS of one address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reverse {
    pub ip: IpAddr,
    pub role: Role,
    /// The name asked (`25.2.0.192.in-addr.arpa`).
    pub reverse_name: String,
    pub names: Vec<PtrName>,
    /// The PTR question got no answer (the words say why).
    pub failed: Option<String>,
    pub findings: Vec<Finding>,
}

impl Reverse {
    /// Whether some PTR name resolves back to the address.
    pub fn confirmed(&self) -> bool {
        self.names.iter().any(|n| n.confirmed)
    }
}

/// Looks up the PTR names of `ip`, and each name's addresses, together.
pub async fn check<R: Resolver>(resolver: &R, ip: IpAddr, role: Role) -> Reverse {
    let name = reverse_name(ip);
    let mut out = Reverse {
        ip,
        role,
        reverse_name: name.to_string(),
        names: Vec::new(),
        failed: None,
        findings: Vec::new(),
    };
    let (who, severity) = match &out.role {
        Role::Mx(host) => (format!("{ip} (MX host {host})"), Severity::Warning),
        Role::Sender => (format!("the sending address {ip}"), Severity::Error),
    };
    let outcome = match resolver.query(&name, RecordType::PTR).await {
        Ok(m) => Outcome::from_message(&m, RecordType::PTR),
        Err(e) => {
            out.failed = Some(e.to_string());
            out.findings.push(Finding::new(
                "rdns.lookup-failed",
                format!("The reverse DNS of {who} could not be looked up: {e}."),
            ));
            return out;
        }
    };
    let ptrs: Vec<String> = match &outcome {
        Outcome::Records { records, .. } => records
            .iter()
            .filter_map(|r| match &r.data {
                RData::Ptr(n) => Some(n.to_string().to_ascii_lowercase()),
                _ => None,
            })
            .collect(),
        Outcome::NoData { .. } | Outcome::NxDomain { .. } => Vec::new(),
        other => {
            let why = other.summary(&out.reverse_name, RecordType::PTR);
            out.findings.push(Finding::new(
                "rdns.lookup-failed",
                format!("The reverse DNS of {who} could not be looked up: {why}."),
            ));
            out.failed = Some(why);
            return out;
        }
    };
    if ptrs.is_empty() {
        out.findings.push(
            Finding::new(
                "rdns.missing",
                format!(
                    "{who} has no reverse DNS (no PTR record at {}). Many receivers reject or \
                     mark mail from addresses without one. The PTR is set by whoever owns the \
                     address (your hosting or Internet provider), not in your domain's zone.",
                    out.reverse_name
                ),
            )
            .severity(severity),
        );
        return out;
    }
    let hosts = join_all(ptrs.iter().map(|p| host::resolve(resolver, p))).await;
    for (ptr, host) in ptrs.into_iter().zip(hosts) {
        let confirmed = host.addresses().contains(&ip);
        let generic = generic_reason(&ptr, ip);
        out.names.push(PtrName {
            name: ptr,
            host,
            confirmed,
            generic,
        });
    }
    if out.names.len() > 1 {
        let list: Vec<&str> = out.names.iter().map(|n| n.name.as_str()).collect();
        out.findings.push(Finding::new(
            "rdns.multiple",
            format!(
                "{who} has {} PTR records ({}). Receivers usually look at only one, chosen at \
                 random: keep one name.",
                list.len(),
                list.join(", ")
            ),
        ));
    }
    if !out.confirmed() {
        let names: Vec<&str> = out.names.iter().map(|n| n.name.as_str()).collect();
        out.findings.push(
            Finding::new(
                "rdns.not-confirmed",
                format!(
                    "The reverse DNS of {who} is {}, but that name does not resolve back to \
                     {ip}, so the reverse DNS is not confirmed (iprev fails).",
                    names.join(", ")
                ),
            )
            .severity(severity)
            .fix(format!(
                "{}. {} {ip}",
                names[0],
                if ip.is_ipv4() { "A" } else { "AAAA" }
            )),
        );
    }
    for n in &out.names {
        if let Some(why) = &n.generic {
            out.findings.push(Finding::new(
                "rdns.generic",
                format!(
                    "The reverse DNS name {} of {who} looks generic ({why}). Receivers treat \
                     such names as home or dynamic connections and often reject their mail. Ask \
                     the address's owner for a PTR naming your mail server (such as mail.<your \
                     domain>).",
                    n.name
                ),
            ));
        }
    }
    out
}

/// Words in host names that providers use for dynamic or customer addresses.
const GENERIC_WORDS: &[&str] = &[
    "dynamic",
    "dyn",
    "dhcp",
    "pool",
    "dsl",
    "adsl",
    "vdsl",
    "xdsl",
    "cable",
    "broadband",
    "ppp",
    "pppoe",
    "dialup",
    "dial",
    "client",
    "clients",
    "customer",
    "cust",
    "residential",
    "res",
    "user",
    "users",
    "cpe",
    "unassigned",
    "unknown",
    "generic",
    "nat",
    "home",
    "fiber",
    "ftth",
];

/// Why `name` looks like a generic name for `ip`: it spells the address, or has a word that
/// marks dynamic or customer addresses.
pub fn generic_reason(name: &str, ip: IpAddr) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let first_labels: Vec<&str> = lower.split('.').collect();
    // Only the host part counts: the last two labels are the provider's domain.
    let host_part = if first_labels.len() > 2 {
        first_labels[..first_labels.len() - 2].join(".")
    } else {
        first_labels.first().copied().unwrap_or_default().to_owned()
    };
    if let IpAddr::V4(v4) = ip {
        let o = v4.octets();
        let forms = [
            format!("{}-{}-{}-{}", o[0], o[1], o[2], o[3]),
            format!("{}.{}.{}.{}", o[0], o[1], o[2], o[3]),
            format!("{}-{}-{}-{}", o[3], o[2], o[1], o[0]),
            format!("{}.{}.{}.{}", o[3], o[2], o[1], o[0]),
            format!("{:03}{:03}{:03}{:03}", o[0], o[1], o[2], o[3]),
            format!("{:02x}{:02x}{:02x}{:02x}", o[0], o[1], o[2], o[3]),
        ];
        if let Some(form) = forms.iter().find(|f| host_part.contains(f.as_str())) {
            return Some(format!("it spells the address as {form}"));
        }
    }
    host_part
        .split(|c: char| !c.is_ascii_alphabetic())
        .find(|word| GENERIC_WORDS.contains(word))
        .map(|word| format!("it contains \"{word}\""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::join::{now, zone_cache};

    const ZONE: &str = "$ORIGIN .\n$TTL 300\nt. SOA ns.t. h.t. 1 2 3 4 300\n\
        arpa. SOA ns.t. h.t. 1 2 3 4 300\n\
        1.2.0.192.in-addr.arpa. PTR mail.t.\nmail.t. A 192.0.2.1\n\
        2.2.0.192.in-addr.arpa. PTR other.t.\nother.t. A 192.0.2.99\n\
        3.2.0.192.in-addr.arpa. PTR 192-0-2-3.dsl.isp.t.\n192-0-2-3.dsl.isp.t. A 192.0.2.3\n\
        4.2.0.192.in-addr.arpa. PTR a.t.\n4.2.0.192.in-addr.arpa. PTR mail.t.\na.t. A 192.0.2.4\n";

    fn codes(r: &Reverse) -> Vec<&'static str> {
        r.findings.iter().map(|f| f.code).collect()
    }

    #[test]
    fn confirmed_unconfirmed_missing_generic_and_multiple() {
        let z = zone_cache(ZONE);
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let good = now(check(&z, ip("192.0.2.1"), Role::Sender));
        assert!(good.confirmed());
        assert!(codes(&good).is_empty());
        let bad = now(check(&z, ip("192.0.2.2"), Role::Sender));
        assert_eq!(codes(&bad), ["rdns.not-confirmed"]);
        assert_eq!(bad.findings[0].severity, Severity::Error);
        assert_eq!(bad.findings[0].fix.as_deref(), Some("other.t. A 192.0.2.2"));
        let none = now(check(&z, ip("192.0.2.9"), Role::Mx("m.t".into())));
        assert_eq!(codes(&none), ["rdns.missing"]);
        assert_eq!(none.findings[0].severity, Severity::Warning);
        let generic = now(check(&z, ip("192.0.2.3"), Role::Sender));
        assert_eq!(codes(&generic), ["rdns.generic"]);
        let two = now(check(&z, ip("192.0.2.4"), Role::Sender));
        assert_eq!(codes(&two), ["rdns.multiple"]);
    }

    #[test]
    fn generic_names_are_told_from_server_names() {
        let ip: IpAddr = "203.0.113.45".parse().unwrap();
        assert!(generic_reason("203-0-113-45.static.isp.example", ip).is_some());
        assert!(generic_reason("45.113.0.203.in-addr.isp.example", ip).is_some());
        assert!(generic_reason("host-cb00712d.isp.example", ip).is_some());
        assert!(generic_reason("dyn-77.pool.isp.example", ip).is_some());
        assert!(generic_reason("mail.example.com", ip).is_none());
        assert!(generic_reason("mx1.mailprovider.example", ip).is_none());
        assert!(
            generic_reason("outbound.dsl.example", ip).is_none(),
            "the provider's own domain"
        );
    }
}
