//! A domain's SPF policy without a sender (RFC 7208 §4.6.4 counting): the whole include and
//! redirect tree, fetched a level at a time with every question of a level in flight together,
//! each record linted, lookups counted per term and per branch, void lookups counted, loops
//! found, and the authorized networks collected.
//!
//! How lookups are counted, as §4.6.4 counts them: every `include`, `a`, `mx`, `ptr` and
//! `exists` term and every `redirect` costs one, wherever it is in the tree; `all`, `ip4`,
//! `ip6` and `exp` cost nothing. Terms after `all` are never evaluated and cost nothing; a
//! `redirect` in a record with `all` is never used. The limit is 10 for the whole evaluation.
//! Void lookups (no data, or no such name) are limited to 2.
//!
//! Terms with macros depend on the sender (`%{i}`, `%{l}`, …): they are shown as such, not
//! followed, and counted as the one lookup they cost.

use core::net::IpAddr;

use super::lint::lint_text;
use super::record::{Mechanism, Modifier, Record, TermKind, select};
use crate::dns::{Name, Outcome, RData, RecordType, Resolver};
use crate::finding::{Finding, json_string};
use crate::join::{join, join_all};

/// How a node was reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Via {
    Root,
    Include,
    Redirect,
}

/// What was found at a node's domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// One SPF record, which parses.
    Valid,
    /// One SPF record with a syntax error.
    Invalid,
    /// No SPF record.
    NoRecord,
    /// Several SPF records.
    Multiple(usize),
    /// The lookup failed (temperror), with why.
    LookupFailed(String),
    /// Already on the path from the root: a loop, not followed.
    Loop,
    /// Not looked up: the name depends on the sender (macros) or is not a valid name.
    NotFollowed(String),
}

/// One domain in the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub domain: String,
    pub via: Via,
    pub depth: u8,
    /// The SPF record as published (strings joined).
    pub text: Option<String>,
    pub record: Option<Record>,
    pub status: Status,
    /// Lints of this record; spans point into `text`.
    pub findings: Vec<Finding>,
    /// TXT records here that mention v=spf1 but are not SPF records as published (a leading
    /// space, quotes inside the value, text before the version): why receivers see none.
    pub near_misses: Vec<String>,
    /// Lookups this record's own terms cost.
    pub own_lookups: u32,
    /// Lookups of this record and everything below it.
    pub branch_lookups: u32,
    /// Void lookups of this record's a, mx and exists terms.
    pub voids: u32,
    /// Indexes of the nodes it includes or redirects to, in order.
    pub children: Vec<usize>,
    /// What each DNS-querying term costs: one for itself, plus the branch below an include or
    /// redirect (§4.6.4), in record order; terms never evaluated (after `all`) are left out.
    pub term_costs: Vec<TermCost>,
    /// The networks its terms authorize (ip4, ip6, and the addresses of a and mx).
    pub networks: Vec<Network>,
}

/// One term's share of the lookup count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermCost {
    /// The term as written in canonical form.
    pub term: String,
    /// Where it is in the record text.
    pub span: core::ops::Range<usize>,
    /// Lookups it costs, its branch included.
    pub lookups: u32,
}

/// An authorized network and where it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Network {
    pub address: IpAddr,
    pub prefix: u8,
    /// The term that authorizes it, as written (`ip4:192.0.2.0/24`, `mx`, …).
    pub term: String,
}

/// The whole analysis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Analysis {
    pub domain: String,
    /// Node 0 is the domain itself.
    pub nodes: Vec<Node>,
    /// DNS-querying terms in the whole tree (of at most 10).
    pub lookups: u32,
    /// Void lookups in the whole tree (of at most 2).
    pub voids: u32,
    /// Distinct IPv4 addresses authorized.
    pub ipv4_addresses: u64,
    /// Distinct IPv6 addresses authorized (saturating).
    pub ipv6_addresses: u128,
    /// Findings about the whole tree (limits, missing records, loops); each record's own
    /// findings are on its node.
    pub findings: Vec<Finding>,
    /// Whether the policy would evaluate without permerror (counts within limits, every
    /// record present and valid).
    pub valid: bool,
    /// An SPF (type 99) record at the domain, if any.
    pub type99: Option<String>,
}

impl Status {
    /// In plain words.
    pub fn words(&self) -> String {
        match self {
            Self::Valid => "valid".into(),
            Self::Invalid => "has errors".into(),
            Self::NoRecord => "no SPF record".into(),
            Self::Multiple(n) => format!("{n} SPF records"),
            Self::LookupFailed(why) => format!("lookup failed: {why}"),
            Self::Loop => "loop: not followed".into(),
            Self::NotFollowed(why) => format!("not followed: {why}"),
        }
    }
}

impl Analysis {
    /// The analysis as JSON: the one shape the CLI prints and the page exports.
    pub fn to_json(&self) -> String {
        let findings: Vec<String> = self.findings.iter().map(Finding::to_json).collect();
        format!(
            "{{\"domain\":{},\"valid\":{},\"lookups\":{},\"lookup_limit\":{LOOKUP_LIMIT},\
             \"void_lookups\":{},\"void_limit\":{VOID_LIMIT},\"ipv4_addresses\":{},\
             \"ipv6_addresses\":{},\"type99_record\":{},\"findings\":[{}],\"tree\":{}}}",
            json_string(&self.domain),
            self.valid,
            self.lookups,
            self.voids,
            self.ipv4_addresses,
            // As a string: it can pass what JSON numbers hold exactly.
            json_string(&self.ipv6_addresses.to_string()),
            self.type99
                .as_deref()
                .map_or("null".to_owned(), json_string),
            findings.join(","),
            if self.nodes.is_empty() {
                "null".to_owned()
            } else {
                node_json(&self.nodes, 0)
            }
        )
    }
}

fn node_json(nodes: &[Node], i: usize) -> String {
    let n = &nodes[i];
    let via = match n.via {
        Via::Root => "root",
        Via::Include => "include",
        Via::Redirect => "redirect",
    };
    let networks: Vec<String> = n
        .networks
        .iter()
        .map(|net| {
            format!(
                "{{\"network\":{},\"term\":{}}}",
                json_string(&format!("{}/{}", net.address, net.prefix)),
                json_string(&net.term)
            )
        })
        .collect();
    let findings: Vec<String> = n.findings.iter().map(Finding::to_json).collect();
    let children: Vec<String> = n.children.iter().map(|&c| node_json(nodes, c)).collect();
    let terms: Vec<String> = n
        .term_costs
        .iter()
        .map(|t| {
            format!(
                "{{\"term\":{},\"span\":{{\"start\":{},\"end\":{}}},\"lookups\":{}}}",
                json_string(&t.term),
                t.span.start,
                t.span.end,
                t.lookups
            )
        })
        .collect();
    format!(
        "{{\"domain\":{},\"via\":\"{via}\",\"status\":{},\"record\":{},\"lookups\":{},\
         \"branch_lookups\":{},\"void_lookups\":{},\"term_lookups\":[{}],\"networks\":[{}],\
         \"findings\":[{}],\"children\":[{}]}}",
        json_string(&n.domain),
        json_string(&n.status.words()),
        n.text.as_deref().map_or("null".to_owned(), json_string),
        n.own_lookups,
        n.branch_lookups,
        n.voids,
        terms.join(","),
        networks.join(","),
        findings.join(","),
        children.join(",")
    )
}

/// Limits of RFC 7208 §4.6.4.
pub const LOOKUP_LIMIT: u32 = 10;
pub const VOID_LIMIT: u32 = 2;

struct Pending {
    domain: String,
    via: Via,
    depth: u8,
    parent: Option<usize>,
    /// Domains from the root to here, for loop detection.
    path: Vec<String>,
}

/// How far an analysis has come: the nodes so far, and the domains being fetched now.
#[derive(Clone, Copy, Debug)]
pub struct Progress<'a> {
    pub nodes: &'a [Node],
    pub fetching: &'a [String],
}

/// Fetches and analyses `domain`'s policy.
pub async fn analyse<R: Resolver>(resolver: &R, domain: &str) -> Analysis {
    analyse_with_progress(resolver, domain, |_| {}).await
}

/// [`analyse`], telling `progress` before each level is fetched and when all are in.
pub async fn analyse_with_progress<R: Resolver>(
    resolver: &R,
    domain: &str,
    mut progress: impl FnMut(Progress<'_>),
) -> Analysis {
    let domain = domain.trim_end_matches('.').to_owned();
    let mut nodes: Vec<Node> = Vec::new();
    let mut level = vec![Pending {
        domain: domain.clone(),
        via: Via::Root,
        depth: 0,
        parent: None,
        path: Vec::new(),
    }];
    let type99_name = Name::parse(&domain).ok();
    let type99 = async {
        let name = type99_name?;
        let message = resolver.query(&name, RecordType::SPF).await.ok()?;
        match Outcome::from_message(&message, RecordType::SPF) {
            Outcome::Records { records, .. } => records.iter().find_map(|r| match &r.data {
                RData::Txt(s) => Some(String::from_utf8_lossy(&s.concat()).into_owned()),
                _ => None,
            }),
            _ => None,
        }
    };
    let mut type99 = Some(Box::pin(type99));
    let mut type99_result = None;
    while !level.is_empty() {
        let fetching: Vec<String> = level.iter().map(|p| p.domain.clone()).collect();
        sum_branches(&mut nodes);
        progress(Progress {
            nodes: &nodes,
            fetching: &fetching,
        });
        // Every policy of this level at once (and the type 99 question with the first).
        let fetches = join_all(level.iter().map(|p| fetch(resolver, p)));
        let fetched = match type99.take() {
            Some(t99) => {
                let (fetched, t) = join(fetches, t99).await;
                type99_result = t;
                fetched
            }
            None => fetches.await,
        };
        let mut next = Vec::new();
        let mut address_jobs = Vec::new();
        for (pending, (status, text, near_misses)) in level.into_iter().zip(fetched) {
            let index = nodes.len();
            if let Some(parent) = pending.parent {
                nodes[parent].children.push(index);
            }
            let mut node = Node {
                domain: pending.domain.clone(),
                via: pending.via,
                depth: pending.depth,
                text: text.clone(),
                record: None,
                status,
                findings: Vec::new(),
                near_misses,
                own_lookups: 0,
                branch_lookups: 0,
                voids: 0,
                children: Vec::new(),
                term_costs: Vec::new(),
                networks: Vec::new(),
            };
            if let Some(text) = &text {
                let (record, findings) = lint_text(text);
                node.findings = findings;
                if record.is_none() && node.status == Status::Valid {
                    node.status = Status::Invalid;
                }
                if let Some(record) = &record {
                    let mut path = pending.path.clone();
                    path.push(pending.domain.to_ascii_lowercase());
                    plan(
                        record,
                        &mut node,
                        index,
                        &path,
                        &mut next,
                        &mut address_jobs,
                    );
                }
                node.record = record;
            }
            nodes.push(node);
        }
        // The a and mx names of this level, at once; their answers give networks and voids.
        let resolved = join_all(
            address_jobs
                .iter()
                .map(|job: &AddressJob| job.run(resolver)),
        )
        .await;
        for (job, (networks, void)) in address_jobs.into_iter().zip(resolved) {
            let node = &mut nodes[job.node];
            node.networks.extend(networks);
            node.voids += void;
        }
        level = next;
    }
    sum_branches(&mut nodes);
    progress(Progress {
        nodes: &nodes,
        fetching: &[],
    });
    finish(domain, nodes, type99_result)
}

/// The policy text at a pending domain.
async fn fetch<R: Resolver>(
    resolver: &R,
    pending: &Pending,
) -> (Status, Option<String>, Vec<String>) {
    let lower = pending.domain.to_ascii_lowercase();
    if pending.path.contains(&lower) {
        return (Status::Loop, None, Vec::new());
    }
    let Ok(name) = Name::parse(&pending.domain) else {
        return (
            Status::NotFollowed(format!("{} is not a valid domain name", pending.domain)),
            None,
            Vec::new(),
        );
    };
    let message = match resolver.query(&name, RecordType::TXT).await {
        Ok(message) => message,
        Err(e) => return (Status::LookupFailed(e.to_string()), None, Vec::new()),
    };
    let records = match Outcome::from_message(&message, RecordType::TXT) {
        Outcome::Records { records, .. } => records,
        Outcome::NoData { .. } | Outcome::NxDomain { .. } => {
            return (Status::NoRecord, None, Vec::new());
        }
        other => {
            return (
                Status::LookupFailed(other.summary(&pending.domain, RecordType::TXT)),
                None,
                Vec::new(),
            );
        }
    };
    let (policies, others) = select(&records);
    let policies: Vec<String> = policies
        .iter()
        .map(|t| String::from_utf8_lossy(t).into_owned())
        .collect();
    let near_misses: Vec<String> = others
        .iter()
        .map(|t| String::from_utf8_lossy(t).into_owned())
        .filter(|t| t.to_ascii_lowercase().contains("v=spf1"))
        .collect();
    match policies.len() {
        0 => (Status::NoRecord, None, near_misses),
        1 => (Status::Valid, policies.into_iter().next(), near_misses),
        n => (
            Status::Multiple(n),
            policies.into_iter().next(),
            near_misses,
        ),
    }
}

/// Names to resolve for a node's a and mx terms.
struct AddressJob {
    node: usize,
    name: String,
    mx: bool,
    term: String,
    v4: u8,
    v6: u8,
}

impl AddressJob {
    /// The networks the term authorizes, and 1 if its lookup was void.
    async fn run<R: Resolver>(&self, resolver: &R) -> (Vec<Network>, u32) {
        let Ok(name) = Name::parse(&self.name) else {
            return (Vec::new(), 0);
        };
        let hosts: Vec<Name> = if self.mx {
            match resolver.query(&name, RecordType::MX).await {
                Ok(m) => match Outcome::from_message(&m, RecordType::MX) {
                    outcome @ Outcome::Records { .. } => outcome
                        .mx()
                        .filter(|(_, exchange)| !exchange.is_root())
                        .map(|(_, exchange)| exchange.clone())
                        .take(10)
                        .collect(),
                    _ => return (Vec::new(), 1),
                },
                Err(_) => return (Vec::new(), 0),
            }
        } else {
            vec![name]
        };
        let lookups = hosts.iter().flat_map(|h| {
            [RecordType::A, RecordType::AAAA]
                .into_iter()
                .map(move |t| async move { resolver.query(h, t).await })
        });
        let answers = join_all(lookups).await;
        let mut networks = Vec::new();
        for message in answers.into_iter().flatten() {
            for r in &message.answers {
                let (address, prefix) = match r.data {
                    RData::A(v4) => (IpAddr::V4(v4), self.v4),
                    RData::Aaaa(v6) => (IpAddr::V6(v6), self.v6),
                    _ => continue,
                };
                networks.push(Network {
                    address,
                    prefix,
                    term: self.term.clone(),
                });
            }
        }
        let void = u32::from(networks.is_empty() && !self.mx);
        (networks, void)
    }
}

/// Counts a record's lookups, queues its includes and redirect, and its a/mx names.
fn plan(
    record: &Record,
    node: &mut Node,
    index: usize,
    path: &[String],
    next: &mut Vec<Pending>,
    jobs: &mut Vec<AddressJob>,
) {
    let has_all = record
        .directives()
        .any(|(_, d)| d.mechanism == Mechanism::All);
    for term in &record.terms {
        let written = term.kind.to_string();
        match &term.kind {
            TermKind::Directive(d) => {
                if d.mechanism.queries_dns() {
                    node.own_lookups += 1;
                }
                match &d.mechanism {
                    Mechanism::All => break,
                    Mechanism::Include(spec) => match spec.literal() {
                        Some(target) => {
                            next.push(follow(&target, Via::Include, node.depth, index, path));
                        }
                        None => node
                            .findings
                            .push(depends_on_sender(&written, term.span.clone())),
                    },
                    Mechanism::A(spec, cidr) | Mechanism::Mx(spec, cidr) => {
                        let name = match spec {
                            None => Some(node.domain.clone()),
                            Some(spec) => spec.literal(),
                        };
                        match name {
                            Some(name) => jobs.push(AddressJob {
                                node: index,
                                name: name.trim_end_matches('.').to_owned(),
                                mx: matches!(d.mechanism, Mechanism::Mx(..)),
                                term: written,
                                v4: cidr.v4.unwrap_or(32),
                                v6: cidr.v6.unwrap_or(128),
                            }),
                            None => node
                                .findings
                                .push(depends_on_sender(&written, term.span.clone())),
                        }
                    }
                    Mechanism::Ip4(ip, prefix) => node.networks.push(Network {
                        address: IpAddr::V4(*ip),
                        prefix: prefix.unwrap_or(32),
                        term: written,
                    }),
                    Mechanism::Ip6(ip, prefix) => node.networks.push(Network {
                        address: IpAddr::V6(*ip),
                        prefix: prefix.unwrap_or(128),
                        term: written,
                    }),
                    Mechanism::Exists(spec) | Mechanism::Ptr(Some(spec)) if spec.has_macros() => {
                        node.findings
                            .push(depends_on_sender(&written, term.span.clone()));
                    }
                    Mechanism::Exists(_) | Mechanism::Ptr(_) => {}
                }
            }
            TermKind::Modifier(Modifier::Redirect(spec)) if !has_all => {
                node.own_lookups += 1;
                match spec.literal() {
                    Some(target) => {
                        next.push(follow(&target, Via::Redirect, node.depth, index, path));
                    }
                    None => node
                        .findings
                        .push(depends_on_sender(&written, term.span.clone())),
                }
            }
            TermKind::Modifier(_) => {}
        }
    }
}

/// The next level's entry for an include or redirect target.
fn follow(target: &str, via: Via, depth: u8, parent: usize, path: &[String]) -> Pending {
    Pending {
        domain: target.trim_end_matches('.').to_owned(),
        via,
        depth: depth + 1,
        parent: Some(parent),
        path: path.to_vec(),
    }
}

fn depends_on_sender(term: &str, span: core::ops::Range<usize>) -> Finding {
    Finding::new(
        "spf.depends-on-sender",
        format!(
            "\"{term}\" uses macros, so what it looks up depends on the message being checked; \
             it costs one lookup and is not followed here."
        ),
    )
    .at(span)
}

/// Branch costs: each node's own lookups plus its children's branches (children always have
/// larger indexes, so one pass from the end does it).
fn sum_branches(nodes: &mut [Node]) {
    for i in (0..nodes.len()).rev() {
        let below: u32 = nodes[i]
            .children
            .iter()
            .map(|&c| nodes[c].branch_lookups)
            .sum();
        nodes[i].branch_lookups = nodes[i].own_lookups + below;
        let costs = term_costs(nodes, i);
        nodes[i].term_costs = costs;
    }
}

/// Each DNS-querying term's cost in node `i`, children matched to include and redirect terms in
/// the order `plan` queued them.
fn term_costs(nodes: &[Node], i: usize) -> Vec<TermCost> {
    let node = &nodes[i];
    let Some(record) = &node.record else {
        return Vec::new();
    };
    let has_all = record
        .directives()
        .any(|(_, d)| d.mechanism == Mechanism::All);
    let mut children = node.children.iter();
    let mut costs = Vec::new();
    for term in &record.terms {
        let (counts, follows) = match &term.kind {
            TermKind::Directive(d) if d.mechanism == Mechanism::All => break,
            TermKind::Directive(d) => match &d.mechanism {
                Mechanism::Include(spec) => (true, spec.literal().is_some()),
                m => (m.queries_dns(), false),
            },
            TermKind::Modifier(Modifier::Redirect(spec)) if !has_all => {
                (true, spec.literal().is_some())
            }
            TermKind::Modifier(_) => (false, false),
        };
        if !counts {
            continue;
        }
        let below = if follows {
            children.next().map_or(0, |&c| nodes[c].branch_lookups)
        } else {
            0
        };
        costs.push(TermCost {
            term: term.kind.to_string(),
            span: term.span.clone(),
            lookups: 1 + below,
        });
    }
    costs
}

fn finish(domain: String, mut nodes: Vec<Node>, type99: Option<String>) -> Analysis {
    sum_branches(&mut nodes);
    let lookups = nodes.first().map_or(0, |n| n.branch_lookups);
    let voids: u32 = nodes.iter().map(|n| n.voids).sum();
    let mut findings = Vec::new();
    let mut valid = true;
    // Why a record is missing comes before the fact that it is.
    for node in &nodes {
        for text in &node.near_misses {
            let linted = super::lint::lint_pasted(text);
            let mut finding = Finding::new(
                "spf.not-recognised",
                format!(
                    "A TXT record at {} mentions v=spf1 but receivers do not see it as SPF: it \
                     must start with exactly v=spf1 and a space. Published: {}",
                    node.domain,
                    json_string(text)
                ),
            );
            if let Some(record) = &linted.record {
                finding = finding.fix(record.to_string());
            }
            findings.push(finding);
        }
    }
    match nodes.first().map(|n| &n.status) {
        Some(Status::NoRecord) => {
            valid = false;
            findings.push(
                Finding::new(
                    "spf.no-record",
                    format!("{domain} has no SPF record, so receivers cannot tell its mail from forgeries."),
                )
                .fix("v=spf1 -all"),
            );
        }
        Some(Status::Multiple(n)) => {
            valid = false;
            findings.push(Finding::new(
                "spf.multiple-records",
                format!(
                    "{domain} has {n} SPF records; receivers return permerror. Merge them into one."
                ),
            ));
        }
        Some(Status::LookupFailed(why)) => {
            valid = false;
            findings.push(Finding::new(
                "spf.lookup-failed",
                format!("The SPF record of {domain} could not be fetched: {why}"),
            ));
        }
        _ => {}
    }
    for node in nodes.iter().skip(1) {
        match (&node.status, &node.via) {
            (Status::NoRecord, Via::Include) => {
                valid = false;
                findings.push(Finding::new(
                    "spf.include-no-spf",
                    format!(
                        "include:{} points at a name with no SPF record; receivers return \
                         permerror for the whole policy.",
                        node.domain
                    ),
                ));
            }
            (Status::NoRecord, Via::Redirect) => {
                valid = false;
                findings.push(Finding::new(
                    "spf.redirect-no-spf",
                    format!(
                        "redirect={} points at a name with no SPF record; receivers return \
                         permerror.",
                        node.domain
                    ),
                ));
            }
            (Status::Loop, _) => {
                valid = false;
                findings.push(Finding::new(
                    "spf.include-loop",
                    format!(
                        "{} includes or redirects back to itself through the tree; the lookups \
                         never end before the limit.",
                        node.domain
                    ),
                ));
            }
            (Status::Multiple(n), _) => {
                valid = false;
                findings.push(Finding::new(
                    "spf.multiple-records",
                    format!(
                        "{} (included) has {n} SPF records; receivers return permerror.",
                        node.domain
                    ),
                ));
            }
            (Status::LookupFailed(why), _) => {
                findings.push(Finding::new(
                    "spf.lookup-failed",
                    format!(
                        "The SPF record of {} could not be fetched: {why}",
                        node.domain
                    ),
                ));
            }
            _ => {}
        }
    }
    if nodes.iter().any(|n| n.status == Status::Invalid) {
        valid = false;
    }
    if lookups > LOOKUP_LIMIT {
        valid = false;
        let mut costs: Vec<String> = nodes
            .first()
            .map(|root| {
                root.children
                    .iter()
                    .map(|&c| format!("{} costs {}", nodes[c].domain, nodes[c].branch_lookups + 1))
                    .collect()
            })
            .unwrap_or_default();
        costs.sort();
        findings.push(Finding::new(
            "spf.lookup-limit",
            format!(
                "The policy needs {lookups} DNS lookups; receivers stop at {LOOKUP_LIMIT} and \
                 return permerror. Each include, a, mx, ptr, exists and redirect costs one, at \
                 every level: {}.",
                if costs.is_empty() {
                    "see the tree".to_owned()
                } else {
                    costs.join(", ")
                }
            ),
        ));
    }
    if voids > VOID_LIMIT {
        valid = false;
        findings.push(Finding::new(
            "spf.void-limit",
            format!(
                "{voids} lookups find nothing (a or mx names that do not exist or have no \
                 address); receivers return permerror after {VOID_LIMIT}."
            ),
        ));
    }
    if let Some(text) = &type99 {
        findings.push(Finding::new(
            "spf.type99-record",
            format!("{domain} also publishes an SPF (type 99) record, \"{text}\"; receivers only read TXT."),
        ));
    }
    cross_record_overlaps(&nodes, &mut findings);
    let all: Vec<&Network> = nodes.iter().flat_map(|n| &n.networks).collect();
    let (ipv4_addresses, ipv6_addresses) = address_counts(&all);
    Analysis {
        domain,
        nodes,
        lookups,
        voids,
        ipv4_addresses,
        ipv6_addresses,
        findings,
        valid,
        type99,
    }
}

fn range(n: &Network) -> (bool, u128, u128) {
    super::net::range(n.address, n.prefix)
}

/// ip4/ip6 networks listed in two different records of the tree: duplicates and overlaps
/// (within one record they are that record's own findings).
fn cross_record_overlaps(nodes: &[Node], findings: &mut Vec<Finding>) {
    let listed: Vec<(&Node, &Network)> = nodes
        .iter()
        .flat_map(|node| {
            node.networks
                .iter()
                .filter(|n| n.term.starts_with("ip4:") || n.term.starts_with("ip6:"))
                .map(move |n| (node, n))
        })
        .collect();
    for (i, (node, net)) in listed.iter().enumerate() {
        let (v6, start, end) = range(net);
        for (other_node, other) in &listed[..i] {
            if core::ptr::eq(*node, *other_node) {
                continue;
            }
            let (other_v6, other_start, other_end) = range(other);
            if v6 != other_v6 || end < other_start || other_end < start {
                continue;
            }
            let (code, how) = if (start, end) == (other_start, other_end) {
                ("spf.duplicate-network", "is the same network as")
            } else if other_start <= start && end <= other_end {
                ("spf.overlapping-network", "lies inside")
            } else if start <= other_start && other_end <= end {
                ("spf.overlapping-network", "contains")
            } else {
                continue;
            };
            findings.push(Finding::new(
                code,
                format!(
                    "{} in {} {how} {} in {}.",
                    net.term, node.domain, other.term, other_node.domain
                ),
            ));
            break;
        }
    }
}

/// Distinct addresses covered, overlaps counted once.
fn address_counts(networks: &[&Network]) -> (u64, u128) {
    let mut v4: Vec<(u128, u128)> = Vec::new();
    let mut v6: Vec<(u128, u128)> = Vec::new();
    for n in networks {
        // Half-open ranges; the very last IPv6 address is left out rather than overflow.
        let (is_v6, start, end) = range(n);
        let range = (start, end.saturating_add(1));
        if is_v6 {
            v6.push(range);
        } else {
            v4.push(range);
        }
    }
    let merged = |mut ranges: Vec<(u128, u128)>| -> u128 {
        ranges.sort_unstable();
        let mut total = 0u128;
        let mut current: Option<(u128, u128)> = None;
        for (s, e) in ranges {
            current = match current {
                Some((cs, ce)) if s <= ce => Some((cs, ce.max(e))),
                Some((cs, ce)) => {
                    total = total.saturating_add(ce - cs);
                    Some((s, e))
                }
                None => Some((s, e)),
            };
        }
        if let Some((cs, ce)) = current {
            total = total.saturating_add(ce - cs);
        }
        total
    };
    (u64::try_from(merged(v4)).unwrap_or(u64::MAX), merged(v6))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::join::{now, zone_cache};

    fn run(zone: &str, domain: &str) -> (Analysis, crate::dns::cache::Stats) {
        let cache = zone_cache(zone);
        let analysis = now(analyse(&cache, domain));
        (analysis, cache.stats())
    }

    const ZONE: &str = r#"
$ORIGIN example.test.
$TTL 300
@            TXT "v=spf1 mx a:www.example.test include:_spf.vendor.test include:_spf.vendor.test ip4:192.0.2.0/24 -all"
@            MX  10 mx1
@            MX  20 mx2
mx1          A   192.0.2.25
mx2          AAAA 2001:db8::26
www          A   198.51.100.7
_spf.vendor.test. TXT "v=spf1 ip4:203.0.113.0/25 redirect=_r.vendor.test"
_r.vendor.test.   TXT "v=spf1 ip6:2001:db8:100::/48 -all"
loop.test.        TXT "v=spf1 include:loop2.test -all"
loop2.test.       TXT "v=spf1 include:loop.test -all"
many.test.        TXT "v=spf1 a:x1.test a:x2.test a:x3.test include:_spf.vendor.test include:_spf.vendor.test include:_spf.vendor.test include:_spf.vendor.test -all"
void.test.        TXT "v=spf1 a:nx1.void.test a:nx2.void.test a:nx3.void.test -all"
macro.test.       TXT "v=spf1 exists:%{i}._spf.macro.test include:%{d}.x.test -all"
missing.test.     TXT "v=spf1 include:nothing.test -all"
old.test.         TXT "v=spf1 -all"
old.test.         SPF "v=spf1 -all"
quoted.test.      TXT "\"v=spf1 mx -all\""
quoted.test.      TXT "google-site-verification=abc"
"#;

    #[test]
    fn the_tree_is_fetched_once_per_name_and_counted_per_branch() {
        let (a, stats) = run(ZONE, "example.test");
        assert_eq!(a.nodes.len(), 5, "root, two includes, two redirects");
        assert_eq!(a.nodes[0].own_lookups, 4, "mx, a, include, include");
        assert_eq!(a.nodes[1].own_lookups, 1, "the redirect");
        assert_eq!(a.nodes[1].branch_lookups, 1);
        assert_eq!(a.lookups, 6, "4 + (1 + 0) twice");
        let costs: Vec<(&str, u32)> = a.nodes[0]
            .term_costs
            .iter()
            .map(|t| (t.term.as_str(), t.lookups))
            .collect();
        assert_eq!(
            costs,
            [
                ("mx", 1),
                ("a:www.example.test", 1),
                ("include:_spf.vendor.test", 2),
                ("include:_spf.vendor.test", 2)
            ]
        );
        assert_eq!(a.nodes[1].term_costs[0].term, "redirect=_r.vendor.test");
        assert_eq!(a.voids, 0);
        assert!(a.valid);
        assert!(
            stats.hits + stats.shared >= 2,
            "the vendor record included twice is fetched once: {stats:?}"
        );
        let networks: Vec<String> = a.nodes[0]
            .networks
            .iter()
            .map(|n| format!("{}/{}", n.address, n.prefix))
            .collect();
        assert!(
            networks.contains(&"192.0.2.25/32".to_owned()),
            "{networks:?}"
        );
        assert!(networks.contains(&"2001:db8::26/128".to_owned()));
        assert!(networks.contains(&"198.51.100.7/32".to_owned()));
        assert_eq!(
            a.ipv4_addresses,
            256 + 128 + 1,
            "192.0.2.0/24 holds mx1; 203.0.113.0/25; www"
        );
        assert!(
            a.nodes[0]
                .findings
                .iter()
                .any(|f| f.code == "spf.duplicate-include")
        );
    }

    const DUP: &str = r#"
dup.test.      TXT "v=spf1 ip4:192.0.2.0/24 include:inc.dup.test include:inc2.dup.test -all"
inc.dup.test.  TXT "v=spf1 ip4:192.0.2.0/24 -all"
inc2.dup.test. TXT "v=spf1 ip4:192.0.2.7 ip6:2001:db8::/32 -all"
long.test.     TXT "v=spf1 ip4:198.51.100.1 ip4:198.51.100.2 ip4:198.51.100.3 ip4:198.51.100.4 ip4:198.51.100.5 ip4:198.51.100.6 ip4:198.51.100.7 ip4:198.51.100.8 ip4:198.51.100.9 ip4:198.51.100.10 ip4:198.51.100.11 " "ip4:198.51.100.12 ip4:198.51.100.13 ip4:198.51.100.14 ip4:198.51.100.15 ip4:198.51.100.16 ip4:198.51.100.17 ip4:198.51.100.18 ip4:198.51.100.19 ip4:198.51.100.20 ip4:198.51.100.21 -all"
"#;

    #[test]
    fn progress_is_told_level_by_level() {
        let cache = zone_cache(ZONE);
        let mut seen = Vec::new();
        now(analyse_with_progress(&cache, "example.test", |p| {
            seen.push((p.nodes.len(), p.fetching.len()));
        }));
        assert_eq!(seen, [(0, 1), (1, 2), (3, 2), (5, 0)]);
    }

    #[test]
    fn limits_loops_and_missing_records_are_findings() {
        let codes = |d: &str| -> Vec<&'static str> {
            run(ZONE, d).0.findings.iter().map(|f| f.code).collect()
        };
        assert!(codes("loop.test").contains(&"spf.include-loop"));
        let (many, _) = run(ZONE, "many.test");
        assert_eq!(many.lookups, 3 + 4 * 2);
        assert!(!many.valid);
        let limit = many
            .findings
            .iter()
            .find(|f| f.code == "spf.lookup-limit")
            .unwrap();
        assert!(limit.message.contains("needs 11"), "{}", limit.message);
        assert!(codes("void.test").contains(&"spf.void-limit"));
        assert!(codes("missing.test").contains(&"spf.include-no-spf"));
        assert!(codes("nothing.test").contains(&"spf.no-record"));
        let (dup, _) = run(DUP, "dup.test");
        let overlaps: Vec<&str> = dup.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            overlaps,
            [
                "ip4:192.0.2.0/24 in inc.dup.test is the same network as ip4:192.0.2.0/24 in dup.test.",
                "ip4:192.0.2.7 in inc2.dup.test lies inside ip4:192.0.2.0/24 in dup.test."
            ]
        );
        let (quoted, _) = run(ZONE, "quoted.test");
        let miss = quoted
            .findings
            .iter()
            .find(|f| f.code == "spf.not-recognised")
            .unwrap();
        assert_eq!(miss.fix.as_deref(), Some("v=spf1 mx -all"));
        assert!(quoted.findings.iter().any(|f| f.code == "spf.no-record"));
        // From DNS a long record is already split: only pasted text gets string-too-long.
        let (long, _) = run(DUP, "long.test");
        assert!(long.nodes[0].text.as_ref().unwrap().len() > 255);
        assert!(
            long.nodes[0]
                .findings
                .iter()
                .all(|f| f.code != "spf.string-too-long")
        );
        let (old, _) = run(ZONE, "old.test");
        assert_eq!(old.type99.as_deref(), Some("v=spf1 -all"));
        assert!(old.findings.iter().any(|f| f.code == "spf.type99-record"));
        let (m, _) = run(ZONE, "macro.test");
        assert_eq!(m.lookups, 2);
        assert_eq!(
            m.nodes[0]
                .findings
                .iter()
                .filter(|f| f.code == "spf.depends-on-sender")
                .count(),
            2
        );
        assert!(m.valid);
    }
}
