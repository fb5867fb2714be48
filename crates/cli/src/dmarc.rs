//! `mxray dmarc DOMAIN` (the policy that applies and where it was found, the tree walk, the
//! organizational domain, report destinations and their authorization, findings) and
//! `mxray lint dmarc TEXT` (a pasted record, no DNS).

use mxray_core::dmarc::discover::{Source, discover};
use mxray_core::dmarc::record::{explain, lint_pasted};
use mxray_core::finding::Severity;
use serde_json::json;

use crate::net::block_on;
use crate::source::{Backend, Failure};
use crate::spf::{core_json, finding_json, print_finding, print_json, worst};

/// `mxray dmarc DOMAIN`: exit 1 when an error was found.
pub fn check(
    backend: &Backend,
    domain: &str,
    as_json: bool,
    out: &mut String,
) -> Result<u8, Failure> {
    let domain = crate::source::domain(domain)?;
    let d = block_on(discover(backend, &domain));
    let failed = d
        .all_findings()
        .iter()
        .any(|f| f.severity == Severity::Error);
    if as_json {
        let value = core_json(&d.to_json());
        print_json(&value, out);
        return Ok(u8::from(failed));
    }
    match &d.applied {
        Some(a) => {
            let from = match a.source {
                Source::Domain => format!("_dmarc.{}", a.domain),
                Source::OrganizationalDomain => {
                    format!("_dmarc.{} (the organizational domain)", a.domain)
                }
                Source::PublicSuffix => format!("_dmarc.{} (a public suffix, psd=y)", a.domain),
            };
            outln!(
                out,
                "policy for {}: {} (from {from})",
                d.domain,
                a.policy.map_or("none", |p| p.as_str())
            );
            outln!(out, "  {}", a.record.text);
            for tag in &a.record.tags.tags {
                outln!(out, "  {:<6} {:<24} {}", tag.name, tag.value, explain(tag));
            }
        }
        None => outln!(out, "no DMARC policy applies to {}", d.domain),
    }
    outln!(
        out,
        "organizational domain: {} ({})",
        d.walk.org_domain,
        d.walk.org_reason
    );
    for dest in &d.destinations {
        outln!(out, "{} {}: {}", dest.kind, dest.address, dest.detail);
    }
    let text = d.applied.as_ref().map(|a| a.record.text.clone());
    for f in &d.findings {
        print_finding(f, None, "", out);
    }
    if let Some(a) = &d.applied {
        for f in &a.record.findings {
            print_finding(f, text.as_deref(), "", out);
        }
    }
    Ok(u8::from(failed))
}

/// `mxray lint dmarc TEXT`: exit 1 when there is an error.
pub fn lint(text: &str, as_json: bool, out: &mut String) -> u8 {
    let record = lint_pasted(text);
    let failed = worst(&record.findings) == Some(Severity::Error);
    if as_json {
        let value = json!({
            "record": record.text,
            "policy": record.policy.map(|p| p.as_str()),
            "tags": record.tags.tags.iter().map(|t| json!({"name": t.name, "value": t.value, "meaning": explain(t)})).collect::<Vec<_>>(),
            "findings": record.findings.iter().map(finding_json).collect::<Vec<_>>(),
        });
        print_json(&value, out);
    } else {
        if record.findings.is_empty() {
            outln!(out, "No problems found in: {}", record.text);
        }
        for f in &record.findings {
            print_finding(f, Some(&record.text), "", out);
        }
    }
    u8::from(failed)
}
