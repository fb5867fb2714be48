//! `mxray check DOMAIN`: every area of a domain's mail DNS at once (the page's report): a
//! summary row per area, then each area's records and findings. `--json` prints core's report
//! JSON with the run's question counts. Exit status 1 when any area has an error.

use std::net::IpAddr;
use std::time::Instant;

use mxray_core::check::{Area, NoHttp, PolicyFetch, PolicyState, Report, Request, run};
use mxray_core::dkim::discover::State as KeyState;
use mxray_core::dns::cache::Stats;

use crate::net::{ThreadFetch, block_on};
use crate::source::{Backend, Failure};
use crate::spf::{core_json, print_finding, print_json};

/// What `mxray check` was asked.
pub struct Args<'a> {
    pub domain: &'a str,
    pub selectors: &'a [String],
    pub ip: Option<&'a str>,
    pub srv: &'a [String],
    pub json: bool,
    /// Fetch the MTA-STS policy over HTTPS (not with `--zone`, which is offline).
    pub fetch_policy: bool,
}

/// Runs the check; exit 1 when an error was found.
pub fn check(backend: &Backend, args: &Args<'_>, out: &mut String) -> Result<u8, Failure> {
    let domain = crate::source::domain(args.domain)?;
    let ip = match args.ip {
        Some(text) => Some(text.trim().parse::<IpAddr>().map_err(|_| {
            Failure::Input(format!("--ip {text:?} is not an IPv4 or IPv6 address"))
        })?),
        None => None,
    };
    let request = Request {
        domain,
        selectors: args.selectors.to_vec(),
        ip,
        srv: args.srv.to_vec(),
    };
    let started = Instant::now();
    let report = if args.fetch_policy {
        block_on(run(
            backend,
            &ThreadFetch::new(),
            PolicyFetch::Fetch,
            &request,
            &|_, _| {},
        ))
    } else {
        block_on(run(
            backend,
            &NoHttp(""),
            PolicyFetch::Skip("--zone was given, and nothing is fetched from the network then."),
            &request,
            &|_, _| {},
        ))
    };
    let elapsed_ms = started.elapsed().as_millis();
    let stats = backend.stats();
    if args.json {
        let mut value = core_json(&report.to_json());
        value["stats"] = serde_json::json!({
            "questions": stats.asked,
            "sent": stats.sent,
            "answered_from_cache": stats.hits + stats.shared,
            "max_in_flight": stats.max_in_flight,
            "elapsed_ms": elapsed_ms,
        });
        print_json(&value, out);
    } else {
        print_report(&report, &stats, elapsed_ms, out);
    }
    Ok(u8::from(report.has_errors()))
}

fn print_report(report: &Report, stats: &Stats, elapsed_ms: u128, out: &mut String) {
    outln!(out, "{}", report.domain());
    for area in Area::ALL {
        let s = report.summary(area);
        outln!(
            out,
            "  {:<18} {:<15} {}",
            area.title(),
            s.status.words(),
            s.line
        );
    }
    for area in Area::ALL {
        outln!(out, "");
        outln!(out, "{}", area.title());
        details(report, area, out);
        for f in report.findings(area) {
            print_finding(f, None, "  ", out);
        }
    }
    outln!(out, "");
    outln!(
        out,
        "{} questions, {} sent ({} answered from this run's cache), at most {} in flight, {} ms",
        stats.asked,
        stats.sent,
        stats.hits + stats.shared,
        stats.max_in_flight,
        elapsed_ms
    );
}

fn details(report: &Report, area: Area, out: &mut String) {
    match area {
        Area::Mx => {
            for h in report.mx.iter().flat_map(|m| m.hosts()) {
                let addresses: Vec<String> =
                    h.host.addresses().iter().map(ToString::to_string).collect();
                outln!(
                    out,
                    "  {:>5} {}  {}",
                    h.preference,
                    h.host.name,
                    addresses.join(" ")
                );
            }
        }
        Area::Spf => {
            if let Some(spf) = &report.spf {
                if let Some(text) = spf.analysis.nodes.first().and_then(|n| n.text.as_deref()) {
                    outln!(out, "  {text}");
                }
                outln!(
                    out,
                    "  {} of 10 DNS lookups, {} void",
                    spf.analysis.lookups,
                    spf.analysis.voids
                );
                if let Some((ip, e)) = &spf.sender {
                    outln!(out, "  {ip}: {} ({})", e.result.name(), e.reason);
                }
            }
        }
        Area::Dkim => {
            for s in report.dkim.iter().flat_map(|d| &d.selectors) {
                match &s.state {
                    KeyState::Found(records) => {
                        for r in records {
                            outln!(out, "  {}: {}", s.selector, r.key.words());
                        }
                    }
                    _ if s.is_interesting() => outln!(out, "  {}: no key", s.selector),
                    _ => {}
                }
            }
        }
        Area::Dmarc => {
            if let Some(a) = report.dmarc.as_ref().and_then(|d| d.applied.as_ref()) {
                outln!(out, "  _dmarc.{}: {}", a.domain, a.record.text);
            }
        }
        Area::ReverseDns => {
            for e in report.rdns.iter().flat_map(|r| &r.entries) {
                let names: Vec<String> = e
                    .names
                    .iter()
                    .map(|n| {
                        format!(
                            "{}{}",
                            n.name,
                            if n.confirmed { " (confirmed)" } else { "" }
                        )
                    })
                    .collect();
                outln!(
                    out,
                    "  {}  {}",
                    e.ip,
                    if names.is_empty() {
                        "no PTR".to_owned()
                    } else {
                        names.join(", ")
                    }
                );
            }
        }
        Area::MtaSts => {
            if let Some(m) = &report.mta_sts {
                if let Some(r) = &m.record {
                    outln!(out, "  {}: {}", m.published.name, r.text);
                }
                if let Some(PolicyState::Read(p)) = &m.policy {
                    outln!(out, "  {}:", m.policy_url);
                    for line in p.text.lines() {
                        outln!(out, "    {line}");
                    }
                }
            }
        }
        Area::TlsRpt | Area::Bimi => {
            if let Some(a) = report.txt_area(area)
                && let Some(r) = &a.record
            {
                outln!(out, "  {}: {}", a.published.name, r.text);
            }
        }
        Area::ClientConfig => {
            if let Some(c) = &report.client {
                for s in c.srv.iter().filter(|s| s.offered()) {
                    if let mxray_core::check::client::SrvState::Targets(t) = &s.state {
                        for t in t {
                            outln!(
                                out,
                                "  {}  {} {} {} {}",
                                s.name,
                                t.priority,
                                t.weight,
                                t.port,
                                t.target
                            );
                        }
                    }
                }
            }
        }
        Area::Dnssec => {}
    }
}
