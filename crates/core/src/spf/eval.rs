//! `check_host()` (RFC 7208 §4–§6) over any [`Resolver`], with a trace of every step.
//!
//! Mechanisms are evaluated left to right and the first match decides (§4.6.2), so the
//! questions of one evaluation depend on each other and go one at a time; the domain analysis
//! that asks everything at once is separate. Limits (§4.6.4): 10 terms that ask DNS (include,
//! a, mx, ptr, exists, redirect) across the whole evaluation, 10 MX or PTR names per mechanism,
//! 2 void lookups (no data, or no such name).

use core::future::Future;
use core::net::{IpAddr, Ipv4Addr};
use core::pin::Pin;

use super::macros::{MacroString, MacroValues, Piece, expand, parse_macro_string};
use super::record::{Directive, Mechanism, Qualifier, Record, select};
use crate::dns::input::reverse_name;
use crate::dns::{Name, Outcome, RData, RecordType, Resolver};

/// The results of §2.6.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SpfResult {
    None,
    Neutral,
    Pass,
    Fail,
    SoftFail,
    TempError,
    PermError,
}

impl SpfResult {
    /// The lower-case name used in headers and by the test suite.
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Neutral => "neutral",
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::SoftFail => "softfail",
            Self::TempError => "temperror",
            Self::PermError => "permerror",
        }
    }

    fn of(qualifier: Qualifier) -> Self {
        match qualifier {
            Qualifier::Pass => Self::Pass,
            Qualifier::Fail => Self::Fail,
            Qualifier::SoftFail => Self::SoftFail,
            Qualifier::Neutral => Self::Neutral,
        }
    }
}

/// One line of the trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// 0 for the domain checked, 1 inside its include or redirect, and so on.
    pub depth: u8,
    pub text: String,
}

/// What `check_host()` came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluation {
    pub result: SpfResult,
    /// For `fail`: the domain's explanation (§6.2), or a default one.
    pub explanation: Option<String>,
    /// Why, in one sentence.
    pub reason: String,
    pub trace: Vec<Step>,
    /// Terms that asked DNS (of at most 10).
    pub dns_terms: u32,
    /// Lookups that found nothing (of at most 2).
    pub void_lookups: u32,
}

/// The default explanation for `fail` when the domain gives none.
pub const DEFAULT_EXPLANATION: &str =
    "The domain's SPF policy does not authorize this server to send its mail.";

const MAX_DNS_TERMS: u32 = 10;
const MAX_VOID: u32 = 2;
const MAX_NAMES: usize = 10;

struct Ctx<'r, R> {
    resolver: &'r R,
    ip: IpAddr,
    values: MacroValues,
    dns_terms: u32,
    voids: u32,
    trace: Vec<Step>,
}

/// An evaluation's end before the last mechanism.
struct Stop {
    result: SpfResult,
    reason: String,
}

fn stop(result: SpfResult, reason: impl Into<String>) -> Stop {
    Stop {
        result,
        reason: reason.into(),
    }
}

/// Checks the MAIL FROM identity (§2.4): the sender's domain, or `postmaster@` the HELO name
/// when the reverse-path is empty.
pub async fn check_mail_from<R: Resolver>(
    resolver: &R,
    ip: IpAddr,
    mail_from: &str,
    helo: &str,
) -> Evaluation {
    let sender = if mail_from.is_empty() {
        format!("postmaster@{helo}")
    } else {
        mail_from.to_owned()
    };
    let domain = sender
        .rsplit_once('@')
        .map_or(sender.as_str(), |(_, d)| d)
        .to_owned();
    check_host(resolver, ip, &domain, &sender, helo).await
}

/// Checks the HELO identity (§2.3): the HELO name's own policy, for `postmaster@` it.
pub async fn check_helo<R: Resolver>(resolver: &R, ip: IpAddr, helo: &str) -> Evaluation {
    check_mail_from(resolver, ip, "", helo).await
}

/// `check_host(<ip>, <domain>, <sender>)` (§4), with the HELO name for the `h` macro.
pub async fn check_host<R: Resolver>(
    resolver: &R,
    ip: IpAddr,
    domain: &str,
    sender: &str,
    helo: &str,
) -> Evaluation {
    // §5: an IPv4-mapped IPv6 address is treated as IPv4.
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    let (local, sender_domain) = match sender.rsplit_once('@') {
        Some(("", d)) => ("postmaster", d),
        Some((l, d)) => (l, d),
        None => ("postmaster", sender),
    };
    let values = MacroValues {
        sender: format!("{local}@{sender_domain}"),
        local: local.to_owned(),
        sender_domain: sender_domain.to_owned(),
        domain: domain.to_owned(),
        ip_dotted: dotted(ip),
        ip_readable: ip.to_string(),
        ip_version: if ip.is_ipv4() { "in-addr" } else { "ip6" },
        helo: helo.to_owned(),
        validated: None,
        receiver: "unknown".to_owned(),
        timestamp: 0,
    };
    let mut ctx = Ctx {
        resolver,
        ip,
        values,
        dns_terms: 0,
        voids: 0,
        trace: Vec::new(),
    };
    let (result, reason, explanation) = match evaluate(&mut ctx, domain.to_owned(), 0, true).await {
        Ok(done) => done,
        Err(s) => (s.result, s.reason, None),
    };
    let explanation = (result == SpfResult::Fail)
        .then(|| explanation.unwrap_or_else(|| DEFAULT_EXPLANATION.to_owned()));
    Evaluation {
        result,
        explanation,
        reason,
        trace: ctx.trace,
        dns_terms: ctx.dns_terms,
        void_lookups: ctx.voids,
    }
}

/// `i`: dotted quad, or the 32 nibbles of an IPv6 address separated by dots (§7.3).
fn dotted(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let mut out = String::with_capacity(63);
            for byte in v6.octets() {
                for nibble in [byte >> 4, byte & 0x0f] {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push(char::from(b"0123456789abcdef"[usize::from(nibble)]));
                }
            }
            out
        }
    }
}

type Evaluated = Result<(SpfResult, String, Option<String>), Stop>;

/// Whether a domain can be checked at all (§4.3): labels of 1 to 63 bytes, more than one
/// label, 253 bytes at most.
fn valid_domain(domain: &str) -> Option<Name> {
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    if domain.len() > 253 || !domain.contains('.') || domain.starts_with('[') {
        return None;
    }
    Name::parse(domain).ok()
}

/// §4.8: a name expanded past 253 bytes loses labels from the left.
fn shorten(mut name: String) -> String {
    if let Some(stripped) = name.strip_suffix('.') {
        name = stripped.to_owned();
    }
    while name.len() > 253 {
        match name.split_once('.') {
            Some((_, rest)) => name = rest.to_owned(),
            None => break,
        }
    }
    name
}

fn evaluate<'a, R: Resolver>(
    ctx: &'a mut Ctx<'_, R>,
    domain: String,
    depth: u8,
    want_exp: bool,
) -> Pin<Box<dyn Future<Output = Evaluated> + 'a>> {
    Box::pin(async move {
        let trace = |ctx: &mut Ctx<'_, R>, text: String| ctx.trace.push(Step { depth, text });
        let Some(name) = valid_domain(&domain) else {
            trace(
                ctx,
                format!("{domain}: not a valid domain name, so no policy"),
            );
            return Ok((
                SpfResult::None,
                format!("{domain} is not a valid domain name"),
                None,
            ));
        };
        let text = match fetch_policy(ctx, &name).await {
            Ok(Some(text)) => text,
            Ok(None) => {
                trace(ctx, format!("{domain}: no SPF record"));
                return Ok((SpfResult::None, format!("{domain} has no SPF record"), None));
            }
            Err(s) => {
                trace(ctx, format!("{domain}: {}", s.reason));
                return Err(s);
            }
        };
        trace(ctx, format!("{domain}: {text}"));
        let record = Record::parse(&text).map_err(|e| {
            stop(
                SpfResult::PermError,
                format!("the SPF record of {domain} has an error: {e}"),
            )
        })?;
        let saved_domain = core::mem::replace(&mut ctx.values.domain, domain.clone());
        let outcome = run_record(ctx, &record, &domain, depth, want_exp).await;
        ctx.values.domain = saved_domain;
        outcome
    })
}

async fn run_record<R: Resolver>(
    ctx: &mut Ctx<'_, R>,
    record: &Record,
    domain: &str,
    depth: u8,
    want_exp: bool,
) -> Evaluated {
    for (term, directive) in record.directives() {
        if directive.mechanism.queries_dns() {
            ctx.dns_terms += 1;
            if ctx.dns_terms > MAX_DNS_TERMS {
                return Err(stop(
                    SpfResult::PermError,
                    format!(
                        "more than {MAX_DNS_TERMS} DNS-querying terms (include, a, mx, ptr, \
                         exists, redirect): \"{}\" in {domain} is number {}",
                        term.kind, ctx.dns_terms
                    ),
                ));
            }
        }
        let matched = matches(ctx, directive, domain, depth).await?;
        ctx.trace.push(Step {
            depth,
            text: format!(
                "{}: {}",
                term.kind,
                if matched { "matches" } else { "no match" }
            ),
        });
        if matched {
            let result = SpfResult::of(directive.qualifier);
            let explanation = if result == SpfResult::Fail && want_exp {
                explain(ctx, record).await
            } else {
                None
            };
            return Ok((
                result,
                format!("\"{}\" in the SPF record of {domain} matched", term.kind),
                explanation,
            ));
        }
    }
    if let Some(spec) = record.redirect() {
        ctx.dns_terms += 1;
        if ctx.dns_terms > MAX_DNS_TERMS {
            return Err(stop(
                SpfResult::PermError,
                format!("more than {MAX_DNS_TERMS} DNS-querying terms: redirect in {domain}"),
            ));
        }
        let target = target(ctx, spec, domain).await?;
        ctx.trace.push(Step {
            depth,
            text: format!("redirect={target}"),
        });
        let (result, reason, explanation) =
            evaluate(ctx, target.clone(), depth + 1, want_exp).await?;
        if result == SpfResult::None {
            return Err(stop(
                SpfResult::PermError,
                format!("redirect to {target}, which has no SPF record ({reason})"),
            ));
        }
        return Ok((result, reason, explanation));
    }
    Ok((
        SpfResult::Neutral,
        format!("nothing in the SPF record of {domain} matched, and it has no redirect"),
        None,
    ))
}

/// The TXT records at `name` that are SPF records: `None` when there are none.
async fn fetch_policy<R: Resolver>(
    ctx: &mut Ctx<'_, R>,
    name: &Name,
) -> Result<Option<String>, Stop> {
    let message = ctx
        .resolver
        .query(name, RecordType::TXT)
        .await
        .map_err(|e| stop(SpfResult::TempError, format!("the TXT lookup failed: {e}")))?;
    let records = match Outcome::from_message(&message, RecordType::TXT) {
        Outcome::Records { records, .. } => records,
        Outcome::NoData { .. } | Outcome::NxDomain { .. } => return Ok(None),
        other => {
            return Err(stop(
                SpfResult::TempError,
                format!(
                    "the TXT lookup failed: {}",
                    other.summary(&name.to_string(), RecordType::TXT)
                ),
            ));
        }
    };
    let (mut policies, _) = select(&records);
    match policies.len() {
        0 => Ok(None),
        1 => {
            let bytes = policies.remove(0);
            match String::from_utf8(bytes) {
                Ok(text) if text.is_ascii() => Ok(Some(text)),
                _ => Err(stop(
                    SpfResult::PermError,
                    format!(
                        "the SPF record of {name} has characters outside ASCII (RFC 7208 §3.1)"
                    ),
                )),
            }
        }
        n => Err(stop(
            SpfResult::PermError,
            format!("{name} has {n} SPF records; there must be exactly one (RFC 7208 §4.5)"),
        )),
    }
}

/// Expands a domain-spec into a target name (§4.8), computing `%{p}` when it is used.
async fn target<R: Resolver>(
    ctx: &mut Ctx<'_, R>,
    spec: &MacroString,
    domain: &str,
) -> Result<String, Stop> {
    fill_validated(ctx, spec, domain).await;
    expand(spec, &ctx.values, false)
        .map(shorten)
        .map_err(|e| stop(SpfResult::PermError, format!("macro error: {e:?}")))
}

/// Looks up addresses of the sender's family at `name`; `None` for a void lookup.
async fn addresses<R: Resolver>(
    ctx: &mut Ctx<'_, R>,
    name: &str,
    family_of: IpAddr,
    count_void: bool,
) -> Result<Vec<IpAddr>, Stop> {
    let rtype = if family_of.is_ipv4() {
        RecordType::A
    } else {
        RecordType::AAAA
    };
    let Some(qname) = Name::parse(name).ok().filter(|n| !n.is_root()) else {
        return Ok(Vec::new());
    };
    let message = ctx.resolver.query(&qname, rtype).await.map_err(|e| {
        stop(
            SpfResult::TempError,
            format!("the {rtype} lookup of {name} failed: {e}"),
        )
    })?;
    let found: Vec<IpAddr> = match Outcome::from_message(&message, rtype) {
        Outcome::Records { records, .. } => records
            .iter()
            .filter_map(|r| match r.data {
                RData::A(v4) => Some(IpAddr::V4(v4)),
                RData::Aaaa(v6) => Some(IpAddr::V6(v6)),
                _ => None,
            })
            .collect(),
        Outcome::NoData { .. } | Outcome::NxDomain { .. } => Vec::new(),
        other => {
            return Err(stop(SpfResult::TempError, other.summary(name, rtype)));
        }
    };
    if found.is_empty() && count_void {
        void(ctx, name)?;
    }
    Ok(found)
}

fn void<R>(ctx: &mut Ctx<'_, R>, name: &str) -> Result<(), Stop> {
    ctx.voids += 1;
    if ctx.voids > MAX_VOID {
        return Err(stop(
            SpfResult::PermError,
            format!(
                "more than {MAX_VOID} lookups found nothing (the last: {name}); RFC 7208 §4.6.4 \
                 limits void lookups to {MAX_VOID}"
            ),
        ));
    }
    Ok(())
}

fn in_network(ip: IpAddr, net: IpAddr, prefix: u8) -> bool {
    super::net::contains(net, prefix, ip)
}

async fn matches<R: Resolver>(
    ctx: &mut Ctx<'_, R>,
    directive: &Directive,
    domain: &str,
    depth: u8,
) -> Result<bool, Stop> {
    let ip = ctx.ip;
    let prefix_for = |cidr: super::record::DualCidr| match ip {
        IpAddr::V4(_) => cidr.v4.unwrap_or(32),
        IpAddr::V6(_) => cidr.v6.unwrap_or(128),
    };
    match &directive.mechanism {
        Mechanism::All => Ok(true),
        Mechanism::Ip4(net, prefix) => Ok(in_network(ip, IpAddr::V4(*net), prefix.unwrap_or(32))),
        Mechanism::Ip6(net, prefix) => Ok(in_network(ip, IpAddr::V6(*net), prefix.unwrap_or(128))),
        Mechanism::Include(spec) => {
            let name = target(ctx, spec, domain).await?;
            let (result, reason, _) = evaluate(ctx, name.clone(), depth + 1, false).await?;
            match result {
                SpfResult::Pass => Ok(true),
                SpfResult::Fail | SpfResult::SoftFail | SpfResult::Neutral => Ok(false),
                SpfResult::TempError => Err(stop(SpfResult::TempError, reason)),
                SpfResult::PermError | SpfResult::None => Err(stop(
                    SpfResult::PermError,
                    format!("include:{name}: {reason}"),
                )),
            }
        }
        Mechanism::A(spec, cidr) => {
            let name = match spec {
                Some(spec) => target(ctx, spec, domain).await?,
                None => domain.to_owned(),
            };
            let found = addresses(ctx, &name, ip, true).await?;
            let prefix = prefix_for(*cidr);
            Ok(found.iter().any(|a| in_network(ip, *a, prefix)))
        }
        Mechanism::Mx(spec, cidr) => {
            let name = match spec {
                Some(spec) => target(ctx, spec, domain).await?,
                None => domain.to_owned(),
            };
            let exchanges = mx_hosts(ctx, &name).await?;
            let prefix = prefix_for(*cidr);
            for host in exchanges {
                let found = addresses(ctx, &host, ip, true).await?;
                if found.iter().any(|a| in_network(ip, *a, prefix)) {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Mechanism::Ptr(spec) => {
            let name = match spec {
                Some(spec) => target(ctx, spec, domain).await?,
                None => domain.to_owned(),
            };
            let validated = validated_names(ctx).await;
            let want = name.trim_end_matches('.').to_ascii_lowercase();
            Ok(validated.iter().any(|v| {
                let v = v.to_ascii_lowercase();
                v == want || v.ends_with(&format!(".{want}"))
            }))
        }
        Mechanism::Exists(spec) => {
            let name = target(ctx, spec, domain).await?;
            // Always an A lookup, whatever the sender's address family (§5.7).
            let found = addresses(ctx, &name, IpAddr::V4(Ipv4Addr::UNSPECIFIED), true).await?;
            Ok(!found.is_empty())
        }
    }
}

async fn mx_hosts<R: Resolver>(ctx: &mut Ctx<'_, R>, name: &str) -> Result<Vec<String>, Stop> {
    let Some(qname) = Name::parse(name).ok().filter(|n| !n.is_root()) else {
        return Ok(Vec::new());
    };
    let message = ctx
        .resolver
        .query(&qname, RecordType::MX)
        .await
        .map_err(|e| {
            stop(
                SpfResult::TempError,
                format!("the MX lookup of {name} failed: {e}"),
            )
        })?;
    let mut exchanges: Vec<(u16, String)> = match Outcome::from_message(&message, RecordType::MX) {
        outcome @ Outcome::Records { .. } => outcome
            .mx()
            .filter(|(_, exchange)| !exchange.is_root())
            .map(|(preference, exchange)| (preference, exchange.to_string()))
            .collect(),
        Outcome::NoData { .. } | Outcome::NxDomain { .. } => Vec::new(),
        other => {
            return Err(stop(
                SpfResult::TempError,
                other.summary(name, RecordType::MX),
            ));
        }
    };
    if exchanges.is_empty() {
        void(ctx, name)?;
    }
    if exchanges.len() > MAX_NAMES {
        return Err(stop(
            SpfResult::PermError,
            format!(
                "{name} has {} MX records; the mx mechanism may look up at most {MAX_NAMES} \
                 (RFC 7208 §4.6.4)",
                exchanges.len()
            ),
        ));
    }
    exchanges.sort();
    Ok(exchanges.into_iter().map(|(_, host)| host).collect())
}

/// The PTR names of the sender's address that resolve back to it (§5.5), at most 10 tried.
/// DNS errors only mean fewer names.
async fn validated_names<R: Resolver>(ctx: &mut Ctx<'_, R>) -> Vec<String> {
    let ip = ctx.ip;
    let Ok(message) = ctx.resolver.query(&reverse_name(ip), RecordType::PTR).await else {
        return Vec::new();
    };
    let names: Vec<String> = match Outcome::from_message(&message, RecordType::PTR) {
        Outcome::Records { records, .. } => records
            .iter()
            .filter_map(|r| match &r.data {
                RData::Ptr(n) => Some(n.to_string()),
                _ => None,
            })
            .take(MAX_NAMES)
            .collect(),
        _ => Vec::new(),
    };
    let mut validated = Vec::new();
    for name in names {
        if let Ok(found) = addresses(ctx, &name, ip, false).await
            && found.contains(&ip)
        {
            validated.push(name);
        }
    }
    validated
}

/// Looks up `%{p}` the first time a macro string uses it (its PTR and address lookups cost
/// time, so only then).
async fn fill_validated<R: Resolver>(ctx: &mut Ctx<'_, R>, spec: &MacroString, domain: &str) {
    if spec.letters().any(|l| l == 'p') && ctx.values.validated.is_none() {
        let validated = validated_name(ctx, domain).await;
        ctx.values.validated = Some(validated.unwrap_or_else(|| "unknown".to_owned()));
    }
}

/// `%{p}` (§7.3): a validated name equal to or under `domain` if there is one, else any.
async fn validated_name<R: Resolver>(ctx: &mut Ctx<'_, R>, domain: &str) -> Option<String> {
    let names = validated_names(ctx).await;
    let want = domain.trim_end_matches('.').to_ascii_lowercase();
    names
        .iter()
        .find(|n| {
            let n = n.to_ascii_lowercase();
            n == want || n.ends_with(&format!(".{want}"))
        })
        .or(names.first())
        .cloned()
}

/// The explanation of a `fail` (§6.2); `None` when anything about it goes wrong.
async fn explain<R: Resolver>(ctx: &mut Ctx<'_, R>, record: &Record) -> Option<String> {
    let spec = record.exp()?;
    let domain = ctx.values.domain.clone();
    let name = target(ctx, spec, &domain).await.ok()?;
    let qname = Name::parse(&name).ok()?;
    let message = ctx.resolver.query(&qname, RecordType::TXT).await.ok()?;
    let Outcome::Records { records, .. } = Outcome::from_message(&message, RecordType::TXT) else {
        return None;
    };
    let [record] = records.as_slice() else {
        return None;
    };
    let RData::Txt(strings) = &record.data else {
        return None;
    };
    let text = String::from_utf8(strings.concat()).ok()?;
    // explain-string = *( macro-string / SP )
    let mut pieces = Vec::new();
    for (i, part) in text.split(' ').enumerate() {
        if i > 0 {
            pieces.push(Piece::Literal(" ".to_owned()));
        }
        pieces.extend(parse_macro_string(part).ok()?.0);
    }
    let explanation = MacroString(pieces);
    fill_validated(ctx, &explanation, &domain).await;
    expand(&explanation, &ctx.values, true).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::net::Ipv6Addr;

    #[test]
    fn networks_match_by_prefix() {
        let v4 = |s: &str| IpAddr::V4(s.parse().unwrap());
        let v6 = |s: &str| IpAddr::V6(s.parse::<Ipv6Addr>().unwrap());
        assert!(in_network(v4("192.0.2.77"), v4("192.0.2.0"), 24));
        assert!(!in_network(v4("192.0.3.1"), v4("192.0.2.0"), 24));
        assert!(in_network(v4("203.0.113.9"), v4("0.0.0.0"), 0));
        assert!(in_network(v6("2001:db8::1"), v6("2001:db8::"), 32));
        assert!(!in_network(v6("2001:db9::1"), v6("2001:db8::"), 32));
        assert!(
            !in_network(v4("192.0.2.1"), v6("::"), 0),
            "families never mix"
        );
    }

    #[test]
    fn long_names_lose_labels_from_the_left() {
        let long = format!("{}.example.com", vec!["a".repeat(60); 5].join("."));
        let short = shorten(long);
        assert!(short.len() <= 253);
        assert!(short.ends_with(".example.com"));
    }
}
