//! Mail client configuration: what lets Thunderbird, Outlook, Apple Mail and phones set up an
//! account from an address alone. `autoconfig.<d>` (Thunderbird's ISPDB convention),
//! `autodiscover.<d>` and `_autodiscover._tcp` (Microsoft), and the RFC 6186 SRV records with
//! RFC 8314's implicit-TLS ones. SRV records are checked the same way for any `_service._proto`
//! name (XMPP, CalDAV, ...): targets must be host names with addresses, not aliases or IP
//! addresses, and a lone `.` target says the service is not offered (RFC 2782).

use super::host::{self, Host, HostState};
use crate::dns::{Name, Outcome, RData, RecordType, Resolver};
use crate::finding::Finding;
use crate::join::{join, join_all};

/// The SRV names of RFC 6186 and RFC 8314, and Microsoft's autodiscover, with what each is for
/// and its usual port.
pub const MAIL_SERVICES: &[(&str, &str, u16)] = &[
    ("_submissions._tcp", "sending mail over TLS (RFC 8314)", 465),
    (
        "_submission._tcp",
        "sending mail with STARTTLS (RFC 6186)",
        587,
    ),
    ("_imaps._tcp", "IMAP over TLS (RFC 8314)", 993),
    ("_imap._tcp", "IMAP with STARTTLS (RFC 6186)", 143),
    ("_pop3s._tcp", "POP3 over TLS (RFC 8314)", 995),
    ("_pop3._tcp", "POP3 with STARTTLS (RFC 6186)", 110),
    (
        "_autodiscover._tcp",
        "Outlook autodiscover (Microsoft)",
        443,
    ),
];

/// One SRV record's target, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SrvTarget {
    pub priority: u16,
    pub weight: u16,
    pub port: u16,
    pub target: String,
    /// The target resolved (none for `.` or an IP literal).
    pub host: Option<Host>,
    pub findings: Vec<Finding>,
}

/// What an SRV name came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SrvState {
    /// SRV records, by priority then weight (heaviest first).
    Targets(Vec<SrvTarget>),
    /// A lone `.` target: the service is decidedly not offered.
    NotOffered,
    /// No SRV record at the name.
    Missing,
    /// The question got no answer.
    Failed(String),
}

/// One SRV name (`_imaps._tcp.example.com`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Srv {
    /// The service label pair, `_imaps._tcp`.
    pub service: String,
    /// The whole name asked.
    pub name: String,
    /// What the service is for, when it is a known one.
    pub purpose: Option<&'static str>,
    pub state: SrvState,
    pub findings: Vec<Finding>,
}

impl Srv {
    /// Whether the service is published (with targets).
    pub fn offered(&self) -> bool {
        matches!(self.state, SrvState::Targets(_))
    }

    /// Every finding, the name's first.
    pub fn all_findings(&self) -> Vec<&Finding> {
        let targets: &[SrvTarget] = match &self.state {
            SrvState::Targets(t) => t,
            _ => &[],
        };
        self.findings
            .iter()
            .chain(targets.iter().flat_map(|t| &t.findings))
            .collect()
    }
}

/// Whether `service` has the `_service._proto` form SRV names take (RFC 2782, RFC 6335 §5.1).
pub fn valid_service(service: &str) -> bool {
    let mut labels = service.split('.');
    let (Some(svc), Some(proto), None) = (labels.next(), labels.next(), labels.next()) else {
        return false;
    };
    let label_ok = |l: &str| {
        l.len() > 1
            && l.len() <= 63
            && l.starts_with('_')
            && l[1..]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    label_ok(svc) && label_ok(proto)
}

/// Looks up `service` (`_xmpp-client._tcp`) at `domain` and checks every target.
pub async fn check_srv<R: Resolver>(resolver: &R, domain: &str, service: &str) -> Srv {
    let service = service.trim().trim_end_matches('.').to_ascii_lowercase();
    let purpose = MAIL_SERVICES
        .iter()
        .find(|(s, ..)| *s == service)
        .map(|(_, p, _)| *p);
    let mut srv = Srv {
        name: format!("{service}.{domain}"),
        service: service.clone(),
        purpose,
        state: SrvState::Missing,
        findings: Vec::new(),
    };
    if !valid_service(&service) {
        srv.state = SrvState::Failed("not an SRV name".into());
        srv.findings.push(Finding::new(
            "srv.name",
            format!(
                "{service} is not an SRV service name: it takes the form _service._proto, \
                 such as _xmpp-client._tcp or _imaps._tcp."
            ),
        ));
        return srv;
    }
    let Ok(name) = Name::parse(&srv.name) else {
        srv.state = SrvState::Failed(format!("{} is not a valid DNS name", srv.name));
        return srv;
    };
    let outcome = match resolver.query(&name, RecordType::SRV).await {
        Ok(m) => Outcome::from_message(&m, RecordType::SRV),
        Err(e) => {
            srv.state = SrvState::Failed(e.to_string());
            srv.findings.push(Finding::new(
                "srv.lookup-failed",
                format!("{} could not be looked up: {e}.", srv.name),
            ));
            return srv;
        }
    };
    let mut records: Vec<(u16, u16, u16, String)> = match &outcome {
        Outcome::Records { records, .. } => records
            .iter()
            .filter_map(|r| match &r.data {
                RData::Srv {
                    priority,
                    weight,
                    port,
                    target,
                } => Some((
                    *priority,
                    u16::MAX - *weight,
                    *port,
                    target.to_string().to_ascii_lowercase(),
                )),
                _ => None,
            })
            .collect(),
        Outcome::NoData { .. } | Outcome::NxDomain { .. } => return srv,
        other => {
            let why = other.summary(&srv.name, RecordType::SRV);
            srv.findings.push(Finding::new(
                "srv.lookup-failed",
                format!("{} could not be looked up: {why}.", srv.name),
            ));
            srv.state = SrvState::Failed(why);
            return srv;
        }
    };
    records.sort();
    if records.iter().all(|r| r.3 == ".") {
        srv.state = SrvState::NotOffered;
        srv.findings.push(Finding::new(
            "srv.not-offered",
            format!(
                "{} has the target \".\": the domain says this service is not offered.",
                srv.name
            ),
        ));
        return srv;
    }
    let expected_port = MAIL_SERVICES
        .iter()
        .find(|(s, ..)| *s == service)
        .map(|(.., p)| *p);
    let targets = join_all(records.into_iter().map(|(priority, w, port, target)| {
        check_target(
            resolver,
            &srv.name,
            priority,
            u16::MAX - w,
            port,
            target,
            expected_port,
        )
    }))
    .await;
    srv.state = SrvState::Targets(targets);
    srv
}

fn srv_line(name: &str, priority: u16, weight: u16, port: u16, target: &str) -> String {
    format!(
        "{name}. SRV {priority} {weight} {port} {}.",
        target.trim_end_matches('.')
    )
}

async fn check_target<R: Resolver>(
    resolver: &R,
    name: &str,
    priority: u16,
    weight: u16,
    port: u16,
    target: String,
    expected_port: Option<u16>,
) -> SrvTarget {
    let mut t = SrvTarget {
        priority,
        weight,
        port,
        target: target.trim_end_matches('.').to_owned(),
        host: None,
        findings: Vec::new(),
    };
    if let Some(expected) = expected_port.filter(|p| *p != port) {
        t.findings.push(Finding::new(
            "srv.port",
            format!(
                "{name} sends clients to port {port}; this service usually runs on port \
                 {expected}. Fine if your server really listens there."
            ),
        ));
    }
    if t.target == "." || t.target.is_empty() {
        t.findings.push(Finding::new(
            "srv.not-offered",
            format!(
                "{name} mixes a \".\" target (\"not offered\") with real targets; clients may \
                 pick either."
            ),
        ));
        return t;
    }
    if host::ip_literal(&t.target).is_some() {
        t.findings.push(
            Finding::new(
                "srv.target-ip",
                format!(
                    "{name} points at {}, an IP address. An SRV target must be a host name \
                     with address records.",
                    t.target
                ),
            )
            .fix(format!(
                "Name the server (mail.example.com. A {}) and use that name as the target.",
                t.target
            )),
        );
        return t;
    }
    let h = host::resolve(resolver, &t.target).await;
    if let Some(last) = h.cnames.last() {
        t.findings.push(
            Finding::new(
                "srv.target-cname",
                format!(
                    "The target {} of {name} is an alias (CNAME) for {last}. RFC 2782 says SRV \
                     targets must not be aliases; some clients fail on them.",
                    t.target
                ),
            )
            .fix(srv_line(name, priority, weight, port, last)),
        );
    }
    match &h.state {
        HostState::Resolves => {}
        HostState::NxDomain | HostState::NoAddress => t.findings.push(Finding::new(
            "srv.target-missing",
            format!(
                "The target {} of {name} {}: clients cannot connect to it.",
                t.target,
                if h.state == HostState::NxDomain {
                    "does not exist"
                } else {
                    "has no address (no A or AAAA record)"
                }
            ),
        )),
        HostState::Failed(why) => t.findings.push(Finding::new(
            "srv.lookup-failed",
            format!(
                "The addresses of {} could not be looked up: {why}.",
                t.target
            ),
        )),
    }
    t.host = Some(h);
    t
}

/// The client configuration area of a check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientConfig {
    pub domain: String,
    /// `autoconfig.<d>` (Thunderbird fetches `/mail/config-v1.1.xml` there).
    pub autoconfig: Host,
    /// `autodiscover.<d>` (Outlook fetches `/autodiscover/autodiscover.xml` there).
    pub autodiscover: Host,
    /// The mail SRV names, then the extra ones asked for.
    pub srv: Vec<Srv>,
    pub findings: Vec<Finding>,
}

impl ClientConfig {
    /// Every finding, the area's first.
    pub fn all_findings(&self) -> Vec<&Finding> {
        self.findings
            .iter()
            .chain(self.srv.iter().flat_map(Srv::all_findings))
            .collect()
    }

    /// Whether no question of the area got an answer.
    pub fn failed(&self) -> bool {
        matches!(self.autoconfig.state, HostState::Failed(_))
            && matches!(self.autodiscover.state, HostState::Failed(_))
            && self
                .srv
                .iter()
                .all(|s| matches!(s.state, SrvState::Failed(_)))
    }

    /// Whether anything at all is published for mail clients.
    pub fn configured(&self) -> bool {
        self.autoconfig.state == HostState::Resolves
            || self.autodiscover.state == HostState::Resolves
            || self
                .srv
                .iter()
                .any(|s| s.offered() || s.state == SrvState::NotOffered)
    }
}

/// Looks up everything mail clients use to set themselves up, at once, and `extra` SRV names.
pub async fn check<R: Resolver>(resolver: &R, domain: &str, extra: &[String]) -> ClientConfig {
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    let mut services: Vec<String> = MAIL_SERVICES
        .iter()
        .map(|(s, ..)| (*s).to_owned())
        .collect();
    for e in extra {
        let e = e.trim().trim_end_matches('.').to_ascii_lowercase();
        // A whole name typed (`_xmpp-client._tcp.example.com`) means its service part.
        let e = e
            .strip_suffix(&format!(".{domain}"))
            .map_or(e.clone(), str::to_owned);
        if !e.is_empty() && !services.contains(&e) {
            services.push(e);
        }
    }
    let (autoconfig_name, autodiscover_name) = (
        format!("autoconfig.{domain}"),
        format!("autodiscover.{domain}"),
    );
    let hosts = join(
        host::resolve(resolver, &autoconfig_name),
        host::resolve(resolver, &autodiscover_name),
    );
    let srvs = join_all(services.iter().map(|s| check_srv(resolver, &domain, s)));
    let ((autoconfig, autodiscover), srv) = join(hosts, srvs).await;
    let mut config = ClientConfig {
        domain: domain.clone(),
        autoconfig,
        autodiscover,
        srv,
        findings: Vec::new(),
    };
    if config.failed() {
        return config;
    }
    if !config.configured() {
        config.findings.push(Finding::new(
            "client.none",
            format!(
                "{domain} publishes nothing mail apps use to set themselves up (no autoconfig, \
                 autodiscover or SRV records): users type server names and ports by hand. Your \
                 mail provider's setup guide lists the records to add."
            ),
        ));
        return config;
    }
    let offered = |s: &str| config.srv.iter().any(|x| x.service == s && x.offered());
    for (plain, tls) in [
        ("_submission._tcp", "_submissions._tcp"),
        ("_imap._tcp", "_imaps._tcp"),
        ("_pop3._tcp", "_pop3s._tcp"),
    ] {
        if offered(plain) && !offered(tls) {
            config.findings.push(Finding::new(
                "client.no-implicit-tls",
                format!(
                    "{plain}.{domain} is published but {tls}.{domain} is not: clients are sent \
                     to STARTTLS, which RFC 8314 asks to be replaced by implicit TLS (add {tls} \
                     if your server offers it)."
                ),
            ));
        }
    }
    for (name, h) in [
        ("autoconfig", &config.autoconfig),
        ("autodiscover", &config.autodiscover),
    ] {
        let private = h
            .addresses()
            .into_iter()
            .find_map(|ip| host::private_use(ip).map(|what| (ip, what)));
        if let Some((ip, what)) = private {
            config.findings.push(Finding::new(
                "client.private-address",
                format!(
                    "{name}.{domain} resolves to {ip}, {what}, which cannot be reached from \
                     the Internet: mail apps outside your network cannot set themselves up."
                ),
            ));
        }
    }
    config
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::join::{now, zone_cache};

    const ZONE: &str = "$ORIGIN t.\n$TTL 300\n@ SOA ns h 1 2 3 4 300\n\
        autoconfig.a CNAME mail.a\nmail.a A 192.0.2.1\n\
        _imaps._tcp.a SRV 0 1 993 mail.a.t.\n_imap._tcp.a SRV 0 1 143 mail.a.t.\n\
        _submissions._tcp.a SRV 0 1 465 alias.a.t.\nalias.a CNAME mail.a\n\
        _submission._tcp.a SRV 0 0 0 .\n\
        _pop3s._tcp.a SRV 0 1 1995 gone.a.t.\n\
        _xmpp-client._tcp.a SRV 5 0 5222 mail.a.t.\n\
        _autodiscover._tcp.a SRV 0 0 443 192.0.2.1.\n";

    #[test]
    fn mail_services_are_checked_target_by_target() {
        let z = zone_cache(ZONE);
        let c = now(check(&z, "a.t", &["_xmpp-client._tcp.a.t".into()]));
        assert!(c.configured());
        assert_eq!(c.autoconfig.cnames, ["mail.a.t"]);
        let codes: Vec<&str> = c.all_findings().iter().map(|f| f.code).collect();
        for code in [
            "srv.target-cname",
            "srv.not-offered",
            "srv.target-missing",
            "srv.port",
            "srv.target-ip",
        ] {
            assert!(codes.contains(&code), "{code} in {codes:?}");
        }
        assert!(!codes.contains(&"client.no-implicit-tls"), "{codes:?}");
        let xmpp = c
            .srv
            .iter()
            .find(|s| s.service == "_xmpp-client._tcp")
            .unwrap();
        assert!(xmpp.offered() && xmpp.all_findings().is_empty());
        let cname = c
            .all_findings()
            .into_iter()
            .find(|f| f.code == "srv.target-cname")
            .unwrap();
        assert_eq!(
            cname.fix.as_deref(),
            Some("_submissions._tcp.a.t. SRV 0 1 465 mail.a.t.")
        );
    }

    #[test]
    fn nothing_published_and_bad_names_are_said() {
        let z = zone_cache(ZONE);
        let c = now(check(&z, "b.t", &["xmpp".into()]));
        let codes: Vec<&str> = c.all_findings().iter().map(|f| f.code).collect();
        assert_eq!(codes, ["client.none", "srv.name"]);
        assert!(valid_service("_xmpp-server._tcp") && !valid_service("_a._b._c"));
    }
}
