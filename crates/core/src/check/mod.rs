//! The whole check of a domain: every area at once, one report.
//!
//! [`run`] starts every area together over one resolver (a one-check cache, so no question is
//! sent twice): MX then the reverse DNS of its addresses, SPF's include tree level by level,
//! DKIM selectors, the DMARC tree walk, MTA-STS (record, policy host, policy), TLS-RPT, BIMI,
//! client configuration, and the reverse DNS of a sending address. Only questions that need an
//! earlier answer wait for it. Each area reports its progress (questions asked and answered)
//! and its result the moment it has one, so a page shows areas as they finish and a failing
//! area never holds up or blanks the others. Findings that need two areas (a null MX with an
//! SPF policy that allows senders, BIMI without DMARC enforcement, MTA-STS mx: lines against
//! the MX hosts, MTA-STS without TLS-RPT) are added when both are in.

pub mod client;
pub mod host;
pub mod mx;
pub mod rdns;
pub mod records;
mod report;

use core::cell::RefCell;
use core::net::IpAddr;

use crate::dkim;
use crate::dmarc;
use crate::dns::doh::{HttpGet, HttpReply};
use crate::dns::priority::{Priority, with_priority};
use crate::dns::{Message, Name, Outcome, RecordType, Resolver, TransportError};
use crate::finding::{Finding, Severity};
use crate::join::{join, join_all};
use crate::spf;

pub use report::{AreaStatus, Summary};

/// The areas of a check, in the order the report shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    Mx,
    Spf,
    Dkim,
    Dmarc,
    ReverseDns,
    MtaSts,
    TlsRpt,
    Bimi,
    ClientConfig,
    Dnssec,
}

impl Area {
    pub const ALL: [Self; 10] = [
        Self::Mx,
        Self::Spf,
        Self::Dkim,
        Self::Dmarc,
        Self::ReverseDns,
        Self::MtaSts,
        Self::TlsRpt,
        Self::Bimi,
        Self::ClientConfig,
        Self::Dnssec,
    ];

    /// The key used in JSON, URLs and element ids.
    pub const fn key(self) -> &'static str {
        match self {
            Self::Mx => "mx",
            Self::Spf => "spf",
            Self::Dkim => "dkim",
            Self::Dmarc => "dmarc",
            Self::ReverseDns => "rdns",
            Self::MtaSts => "mta-sts",
            Self::TlsRpt => "tls-rpt",
            Self::Bimi => "bimi",
            Self::ClientConfig => "client",
            Self::Dnssec => "dnssec",
        }
    }

    /// The heading people see.
    pub const fn title(self) -> &'static str {
        match self {
            Self::Mx => "MX",
            Self::Spf => "SPF",
            Self::Dkim => "DKIM",
            Self::Dmarc => "DMARC",
            Self::ReverseDns => "Reverse DNS",
            Self::MtaSts => "MTA-STS",
            Self::TlsRpt => "TLS-RPT",
            Self::Bimi => "BIMI",
            Self::ClientConfig => "Mail client setup",
            Self::Dnssec => "DNSSEC",
        }
    }
}

/// What to check.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Request {
    /// The domain, in A-labels.
    pub domain: String,
    /// DKIM selectors the user knows of (common ones are probed too).
    pub selectors: Vec<String>,
    /// An address the domain sends mail from: its reverse DNS and SPF result are checked.
    pub ip: Option<IpAddr>,
    /// More SRV names to check (`_xmpp-client._tcp`).
    pub srv: Vec<String>,
}

/// The reverse DNS area: the sending address first, then every MX address.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReverseDns {
    pub entries: Vec<rdns::Reverse>,
}

/// The SPF area: the policy tree, and the sending address evaluated against it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spf {
    pub analysis: spf::analysis::Analysis,
    /// `check_host(ip, domain, postmaster@domain)` when a sending address was given.
    pub sender: Option<(IpAddr, spf::eval::Evaluation)>,
    /// Findings that need another area (null MX).
    pub findings: Vec<Finding>,
}

/// What became of the MTA-STS policy file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyState {
    /// Not read: the page may not read other sites' files (the words say why).
    NotRead(String),
    /// Read and checked.
    Read(records::Policy),
    /// Asked for, and it failed (the words say how).
    Failed(String),
}

/// The MTA-STS area.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MtaSts {
    pub published: records::Published,
    pub record: Option<records::TagRecord>,
    /// `https://mta-sts.<domain>/.well-known/mta-sts.txt`.
    pub policy_url: String,
    /// `mta-sts.<domain>` resolved (asked with the record).
    pub policy_host: host::Host,
    /// `None` when there is no record (nothing to read).
    pub policy: Option<PolicyState>,
    pub findings: Vec<Finding>,
}

/// TLS-RPT or BIMI: a record at a fixed name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxtArea {
    pub published: records::Published,
    pub record: Option<records::TagRecord>,
    pub findings: Vec<Finding>,
}

/// DNSSEC as the resolver reports it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dnssec {
    /// Answers (not failures) about names at or under the domain.
    pub answers: u32,
    /// Of which with the AD bit.
    pub authentic: u32,
    /// Questions the resolver answered SERVFAIL with a DNSSEC extended error.
    pub bogus: Vec<String>,
    pub findings: Vec<Finding>,
}

/// A check's report; areas are `None` until they finish.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub request: Request,
    pub mx: Option<mx::Mx>,
    pub spf: Option<Spf>,
    pub dkim: Option<dkim::discover::Discovery>,
    pub dmarc: Option<dmarc::discover::Discovery>,
    pub rdns: Option<ReverseDns>,
    pub mta_sts: Option<MtaSts>,
    pub tlsrpt: Option<TxtArea>,
    pub bimi: Option<TxtArea>,
    pub client: Option<client::ClientConfig>,
    pub dnssec: Option<Dnssec>,
}

/// Questions of one area so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AreaProgress {
    pub asked: u32,
    pub answered: u32,
    pub done: bool,
}

/// Every area's progress.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub areas: [AreaProgress; 10],
}

impl Progress {
    pub fn of(&self, area: Area) -> AreaProgress {
        self.areas[area as usize]
    }
}

/// How a check gets the MTA-STS policy file (`https://mta-sts.<domain>/.well-known/mta-sts.txt`).
#[derive(Clone, Copy, Debug)]
pub enum PolicyFetch<'a> {
    /// Fetched; a request that gets no readable response is the policy host's problem
    /// (unreachable, or a certificate the client does not accept).
    Fetch,
    /// Fetched by a web page: a request with no readable response may be the browser's doing
    /// (the host sends no CORS header), so it is reported as not read, with this reason.
    FromPage { unreadable: &'a str },
    /// Not fetched, for this reason.
    Skip(&'a str),
}

/// No HTTP: for callers that do not fetch MTA-STS policies ([`PolicyFetch::Skip`]).
pub struct NoHttp(pub &'static str);

impl crate::dns::doh::Clock for NoHttp {
    fn now_ms(&self) -> f64 {
        0.0
    }
}

impl HttpGet for NoHttp {
    async fn get(&self, _url: &str, _timeout_ms: u32) -> Result<HttpReply, TransportError> {
        Err(TransportError::Network)
    }
}

struct Shared<'a> {
    report: RefCell<Report>,
    progress: RefCell<Progress>,
    /// (name, AD bit) of every answer.
    answers: RefCell<Vec<(String, bool)>>,
    bogus: RefCell<Vec<String>>,
    notify: &'a dyn Fn(&Report, &Progress),
}

impl Shared<'_> {
    fn tell(&self) {
        (self.notify)(&self.report.borrow(), &self.progress.borrow());
    }

    fn finish(&self, area: Area, set: impl FnOnce(&mut Report)) {
        set(&mut self.report.borrow_mut());
        self.progress.borrow_mut().areas[area as usize].done = true;
        self.tell();
    }
}

/// One area's view of the resolver: counts its questions and notes each answer's AD bit.
struct Tracked<'a, 'b, R> {
    inner: &'a R,
    area: Area,
    shared: &'a Shared<'b>,
}

impl<R: Resolver> Resolver for Tracked<'_, '_, R> {
    fn label(&self) -> String {
        self.inner.label()
    }

    async fn query(&self, name: &Name, rtype: RecordType) -> Result<Message, TransportError> {
        self.shared.progress.borrow_mut().areas[self.area as usize].asked += 1;
        self.shared.tell();
        // MX with reverse DNS, and SPF, are the long chains; everything else is a leaf.
        let priority = match self.area {
            Area::Mx | Area::ReverseDns | Area::Spf => Priority::High,
            _ => Priority::Low,
        };
        let result = with_priority(priority, self.inner.query(name, rtype)).await;
        if let Ok(message) = &result {
            let outcome = Outcome::from_message(message, rtype);
            if outcome.is_answer() {
                self.shared.answers.borrow_mut().push((
                    name.to_string().to_ascii_lowercase(),
                    message.flags.authentic_data,
                ));
            } else if let Outcome::ServFail { errors } = &outcome {
                // Extended DNS Errors 1-12 are DNSSEC's (RFC 8914 §4).
                if errors.iter().any(|e| (1..=12).contains(&e.code)) {
                    self.shared
                        .bogus
                        .borrow_mut()
                        .push(format!("{name} {}", rtype));
                }
            }
        }
        self.shared.progress.borrow_mut().areas[self.area as usize].answered += 1;
        self.shared.tell();
        result
    }
}

/// Where senders fetch `domain`'s MTA-STS policy (RFC 8461 §3.3).
pub fn mta_sts_policy_url(domain: &str) -> String {
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    format!("https://mta-sts.{domain}/.well-known/mta-sts.txt")
}

/// Runs the whole check. `notify` is told of every question asked and answered and of every
/// area finished, with the report so far. `http` fetches the MTA-STS policy as `policy_fetch`
/// says.
pub async fn run<R: Resolver, H: HttpGet>(
    resolver: &R,
    http: &H,
    policy_fetch: PolicyFetch<'_>,
    request: &Request,
    notify: &dyn Fn(&Report, &Progress),
) -> Report {
    let domain = request.domain.trim_end_matches('.').to_ascii_lowercase();
    let owned = Shared {
        report: RefCell::new(Report {
            request: request.clone(),
            ..Report::default()
        }),
        progress: RefCell::default(),
        answers: RefCell::default(),
        bogus: RefCell::default(),
        notify,
    };
    let shared = &owned;
    let tracked = |area| Tracked {
        inner: resolver,
        area,
        shared,
    };

    let mx_and_rdns = async {
        let r = tracked(Area::Mx);
        let mx = mx::check(&r, &domain).await;
        let addresses = mx.addresses();
        shared.finish(Area::Mx, |rep| rep.mx = Some(mx));
        let r = tracked(Area::ReverseDns);
        let sender = async {
            match request.ip {
                Some(ip) => Some(rdns::check(&r, ip, rdns::Role::Sender).await),
                None => None,
            }
        };
        // The sending address is checked once, as the sender, even when it is an MX's too.
        let mx_rdns = join_all(
            addresses
                .into_iter()
                .filter(|(_, ip)| Some(*ip) != request.ip)
                .map(|(host, ip)| rdns::check(&r, ip, rdns::Role::Mx(host))),
        );
        let (sender, mx_rdns) = join(sender, mx_rdns).await;
        let entries = sender.into_iter().chain(mx_rdns).collect();
        shared.finish(Area::ReverseDns, |rep| {
            rep.rdns = Some(ReverseDns { entries });
        });
    };
    let spf_area = async {
        let r = tracked(Area::Spf);
        let analysis = spf::analysis::analyse(&r, &domain).await;
        let sender = match request.ip {
            Some(ip) => Some((
                ip,
                spf::eval::check_host(&r, ip, &domain, &format!("postmaster@{domain}"), &domain)
                    .await,
            )),
            None => None,
        };
        let mut findings = Vec::new();
        if let Some((ip, e)) = &sender {
            use spf::eval::SpfResult;
            if !matches!(e.result, SpfResult::Pass) {
                let severity = match e.result {
                    SpfResult::Fail | SpfResult::PermError => Severity::Error,
                    _ => Severity::Warning,
                };
                findings.push(
                    Finding::new(
                        "spf.sender-not-authorized",
                        format!(
                            "Mail from {ip} as {domain} gets SPF {}: {}",
                            e.result.name(),
                            e.reason
                        ),
                    )
                    .severity(severity),
                );
            }
        }
        shared.finish(Area::Spf, |rep| {
            rep.spf = Some(Spf {
                analysis,
                sender,
                findings,
            });
        });
    };
    let dkim_area = async {
        let r = tracked(Area::Dkim);
        let d = dkim::discover::discover(
            &r,
            &dkim::discover::Request {
                domain: domain.clone(),
                selectors: request.selectors.clone(),
                signatures: Vec::new(),
                common: true,
            },
        )
        .await;
        shared.finish(Area::Dkim, |rep| rep.dkim = Some(d));
    };
    let dmarc_area = async {
        let r = tracked(Area::Dmarc);
        let d = dmarc::discover::discover(&r, &domain).await;
        shared.finish(Area::Dmarc, |rep| rep.dmarc = Some(d));
    };
    let sts_area = async {
        let r = tracked(Area::MtaSts);
        let policy_url = mta_sts_policy_url(&domain);
        let (published, policy_host) = join(
            records::published(&r, &format!("_mta-sts.{domain}"), "STSv1"),
            host::resolve(&r, &format!("mta-sts.{domain}")),
        )
        .await;
        let area = mta_sts(published, policy_host, policy_url, http, policy_fetch).await;
        shared.finish(Area::MtaSts, |rep| rep.mta_sts = Some(area));
    };
    let tlsrpt_area = async {
        let r = tracked(Area::TlsRpt);
        let published = records::published(&r, &format!("_smtp._tls.{domain}"), "TLSRPTv1").await;
        let area = txt_area(published, records::lint_tlsrpt_record, "tlsrpt");
        shared.finish(Area::TlsRpt, |rep| rep.tlsrpt = Some(area));
    };
    let bimi_area = async {
        let r = tracked(Area::Bimi);
        let published = records::published(&r, &format!("default._bimi.{domain}"), "BIMI1").await;
        let area = txt_area(published, records::lint_bimi_record, "bimi");
        shared.finish(Area::Bimi, |rep| rep.bimi = Some(area));
    };
    let client_area = async {
        let r = tracked(Area::ClientConfig);
        let c = client::check(&r, &domain, &request.srv).await;
        shared.finish(Area::ClientConfig, |rep| rep.client = Some(c));
    };

    join(
        join(join(mx_and_rdns, spf_area), join(dkim_area, dmarc_area)),
        join(join(sts_area, tlsrpt_area), join(bimi_area, client_area)),
    )
    .await;

    let dnssec = dnssec(&domain, &shared.answers.borrow(), &shared.bogus.borrow());
    shared.finish(Area::Dnssec, |rep| {
        rep.dnssec = Some(dnssec);
        cross_area(rep);
    });
    shared.report.borrow().clone()
}

async fn mta_sts<H: HttpGet>(
    published: records::Published,
    policy_host: host::Host,
    policy_url: String,
    http: &H,
    policy_fetch: PolicyFetch<'_>,
) -> MtaSts {
    let mut area = MtaSts {
        record: None,
        policy_url,
        policy_host,
        policy: None,
        findings: Vec::new(),
        published,
    };
    let Some(text) = pick(
        &area.published,
        [
            "mta-sts.lookup-failed",
            "mta-sts.none",
            "mta-sts.multiple-records",
        ],
        "v=STSv1",
        &mut area.findings,
    ) else {
        return area;
    };
    area.record = Some(records::lint_sts_record(&text));
    if area.policy_host.state != host::HostState::Resolves {
        area.findings.push(Finding::new(
            "mta-sts.policy-host-missing",
            format!(
                "{} has no address, so senders cannot fetch the policy and MTA-STS does nothing. \
                 Point it at the web server that serves {}.",
                area.policy_host.name, area.policy_url
            ),
        ));
        area.policy = Some(PolicyState::Failed(format!(
            "{} does not resolve",
            area.policy_host.name
        )));
        return area;
    }
    let not_read = |area: &mut MtaSts, reason: &str| {
        area.findings.push(Finding::new(
            "mta-sts.policy-not-read",
            format!(
                "The policy at {} was not read: {reason} Open the address in a browser tab \
                 (or run `mxray check DOMAIN` in a terminal) and paste the policy into the Check \
                 page to check its mx: lines against the MX records.",
                area.policy_url
            ),
        ));
        area.policy = Some(PolicyState::NotRead(reason.to_owned()));
    };
    let unreadable = match policy_fetch {
        PolicyFetch::Skip(reason) => {
            not_read(&mut area, reason);
            return area;
        }
        PolicyFetch::Fetch => None,
        PolicyFetch::FromPage { unreadable } => Some(unreadable),
    };
    let fetched = http.get_file(&area.policy_url, 10_000).await;
    if let (Err(TransportError::Network), Some(reason)) = (&fetched, unreadable) {
        not_read(&mut area, reason);
        return area;
    }
    area.policy = Some(match fetched {
        Err(e) => {
            let why = match e {
                TransportError::Timeout { after_ms } => {
                    format!("no answer within {} seconds", after_ms / 1000)
                }
                _ => format!(
                    "{} could not be reached over HTTPS, or its certificate is not valid for \
                     that name (senders require a valid one)",
                    area.policy_host.name
                ),
            };
            area.findings.push(Finding::new(
                "mta-sts.policy-fetch-failed",
                format!(
                    "The policy at {} could not be fetched: {why}.",
                    area.policy_url
                ),
            ));
            PolicyState::Failed(why)
        }
        Ok(reply) if reply.status != 200 => {
            let why = format!("the server answered HTTP {}", reply.status);
            area.findings.push(Finding::new(
                "mta-sts.policy-fetch-failed",
                format!(
                    "The policy at {} could not be fetched: {why}{}.",
                    area.policy_url,
                    if (300..400).contains(&reply.status) {
                        " (senders do not follow redirects)"
                    } else {
                        ""
                    }
                ),
            ));
            PolicyState::Failed(why)
        }
        Ok(reply) => {
            let media = reply.content_type.split(';').next().unwrap_or("").trim();
            if !media.eq_ignore_ascii_case("text/plain") {
                area.findings.push(Finding::new(
                    "mta-sts.policy-fetch-failed",
                    format!(
                        "The policy at {} is served as {:?}; it must be text/plain.",
                        area.policy_url, reply.content_type
                    ),
                ));
            }
            PolicyState::Read(records::lint_policy(
                &String::from_utf8_lossy(&reply.body),
                &[],
            ))
        }
    });
    area
}

/// The "not configured" finding, naming TXT records at the name that are not of this kind.
fn not_configured(code: &'static str, published: &records::Published, version: &str) -> Finding {
    let name = &published.name;
    let others = published.others();
    match others.iter().find(|t| {
        t.to_ascii_lowercase()
            .contains(&version.to_ascii_lowercase())
    }) {
        Some(near) => Finding::new(
            code,
            format!(
                "{name} has a TXT record that mentions {version} but does not start with it \
                 ({near:?}), so receivers ignore it."
            ),
        )
        .severity(Severity::Error)
        .fix(format!(
            "{version}{}",
            near.split_once(version).map_or("", |(_, rest)| rest)
        )),
        None => Finding::new(
            code,
            format!("{name} has no record starting with {version}."),
        ),
    }
}

/// The record of `published` to read, after the findings about the name itself: the lookup
/// failed, there is none (or only one that does not start with the version), or there are
/// several (receivers then ignore them all; the first is still read, so its problems show).
/// `codes` are the area's lookup-failed, none and multiple-records codes.
fn pick(
    published: &records::Published,
    codes: [&'static str; 3],
    version: &str,
    findings: &mut Vec<Finding>,
) -> Option<String> {
    let name = &published.name;
    match (&published.lookup, published.records.len()) {
        (crate::dns::txt::TxtLookup::Failed(why), _) => {
            findings.push(Finding::new(
                codes[0],
                format!("{name} could not be looked up: {why}."),
            ));
            return None;
        }
        (_, 0) => {
            findings.push(not_configured(codes[1], published, version));
            return None;
        }
        (_, 1) => {}
        (_, n) => findings.push(Finding::new(
            codes[2],
            format!(
                "{name} has {n} records starting with {version}; receivers ignore them all. \
                 Keep one."
            ),
        )),
    }
    published.records.first().cloned()
}

fn txt_area(
    published: records::Published,
    lint: fn(&str) -> records::TagRecord,
    prefix: &str,
) -> TxtArea {
    let (codes, version) = if prefix == "bimi" {
        (
            ["bimi.lookup-failed", "bimi.none", "bimi.multiple-records"],
            "v=BIMI1",
        )
    } else {
        (
            [
                "tlsrpt.lookup-failed",
                "tlsrpt.none",
                "tlsrpt.multiple-records",
            ],
            "v=TLSRPTv1",
        )
    };
    let mut area = TxtArea {
        record: None,
        findings: Vec::new(),
        published,
    };
    let Some(text) = pick(&area.published, codes, version, &mut area.findings) else {
        return area;
    };
    area.record = Some(lint(&text));
    area
}

fn dnssec(domain: &str, answers: &[(String, bool)], bogus: &[String]) -> Dnssec {
    let own: Vec<&(String, bool)> = answers
        .iter()
        .filter(|(n, _)| n == domain || n.ends_with(&format!(".{domain}")))
        .collect();
    let mut d = Dnssec {
        answers: own.len() as u32,
        authentic: own.iter().filter(|(_, ad)| *ad).count() as u32,
        bogus: bogus.to_vec(),
        findings: Vec::new(),
    };
    if !d.bogus.is_empty() {
        d.findings.push(Finding::new(
            "dnssec.bogus",
            format!(
                "The resolver refused answers because their DNSSEC signatures did not validate \
                 ({}). Everyone using a validating resolver gets no answer: fix the signatures \
                 or the DS record at the registrar.",
                d.bogus.join(", ")
            ),
        ));
    }
    if d.answers == 0 {
        return d;
    }
    if d.authentic == d.answers {
        d.findings.push(Finding::new(
            "dnssec.validated",
            format!(
                "The resolver marked all {} answers about {domain} as DNSSEC-validated (the AD \
                 bit). This is the resolver's word: the page does not check signatures itself.",
                d.answers
            ),
        ));
    } else if d.authentic == 0 {
        d.findings.push(Finding::new(
            "dnssec.not-validated",
            format!(
                "The resolver did not mark any answer about {domain} as DNSSEC-validated: the \
                 domain is most likely not signed (or this resolver does not validate). Without \
                 DNSSEC, DNS answers can be forged on the way; MTA-STS protects mail delivery \
                 without it."
            ),
        ));
    } else {
        d.findings.push(Finding::new(
            "dnssec.partial",
            format!(
                "The resolver marked {} of {} answers about {domain} as DNSSEC-validated; the \
                 others come from parts of the name tree that are not signed (or delegated \
                 elsewhere).",
                d.authentic, d.answers
            ),
        ));
    }
    d
}

/// Findings that need two areas.
fn cross_area(rep: &mut Report) {
    let domain = rep
        .request
        .domain
        .trim_end_matches('.')
        .to_ascii_lowercase();
    // A null MX: the domain sends no mail either, so SPF should say so.
    if let (Some(mx), Some(spf)) = (&rep.mx, &mut rep.spf)
        && mx.is_null()
    {
        let text = spf.analysis.nodes.first().and_then(|n| n.text.clone());
        let strict = text
            .as_deref()
            .is_some_and(|t| t.split_whitespace().collect::<Vec<_>>() == ["v=spf1", "-all"]);
        if !strict {
            spf.findings.push(
                Finding::new(
                    "mx.null-spf",
                    format!(
                        "{domain} says it accepts no mail (null MX), but its SPF policy {}. \
                             A domain that receives no mail usually sends none: say so.",
                        match &text {
                            Some(t) => format!("is \"{t}\", not \"v=spf1 -all\""),
                            None => "is missing".into(),
                        }
                    ),
                )
                .fix("v=spf1 -all"),
            );
        }
    }
    // MTA-STS: the policy's mx: lines against the MX hosts.
    let hosts = rep.mx.as_ref().map(mx::Mx::host_names).unwrap_or_default();
    if let Some(sts) = &mut rep.mta_sts {
        if let Some(PolicyState::Read(p)) = &mut sts.policy {
            p.check_hosts(&hosts);
        }
        if sts.record.is_some()
            && let Some(t) = &mut rep.tlsrpt
        {
            for f in &mut t.findings {
                if f.code == "tlsrpt.none" && f.severity < Severity::Warning {
                    f.severity = Severity::Warning;
                    f.message.push_str(
                        " With MTA-STS published, TLS-RPT is how you learn that senders \
                             could not deliver securely.",
                    );
                    f.fix = Some(format!(
                        "_smtp._tls.{domain}. TXT \"v=TLSRPTv1; rua=mailto:tls-reports@{domain}\""
                    ));
                }
            }
        }
    }
    // BIMI needs DMARC at enforcement.
    if let (Some(bimi), Some(dmarc)) = (&mut rep.bimi, &rep.dmarc) {
        let logo = bimi
            .record
            .as_ref()
            .is_some_and(|r| r.get("l").is_some_and(|l| !l.value.is_empty()));
        if logo {
            let enforced = dmarc.applied.as_ref().is_some_and(|a| {
                matches!(
                    a.policy,
                    Some(dmarc::record::Policy::Quarantine | dmarc::record::Policy::Reject)
                ) && a.record.pct.is_none_or(|p| p == 100)
            });
            if !enforced {
                bimi.findings.push(Finding::new(
                    "bimi.dmarc-not-enforced",
                    format!(
                        "BIMI logos are shown only for domains whose DMARC policy is quarantine \
                         or reject for all mail (pct=100); {domain}'s is not, so no mailbox \
                         provider will show the logo."
                    ),
                ));
            }
        }
    }
}

/// The worst severity among `findings`.
pub(crate) fn worst<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Option<Severity> {
    findings.into_iter().map(|f| f.severity).max()
}

#[cfg(test)]
mod tests;
