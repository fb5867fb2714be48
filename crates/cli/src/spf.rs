//! `mxray spf DOMAIN` (the policy tree, lookups, networks, findings), `mxray spf eval` (the
//! result for a sender, with the HELO identity's beside it) and `mxray lint spf` (a pasted
//! record, no DNS). Findings print with the record text underlined at their span, or as the
//! JSON objects core defines (`Finding::to_json`).

use std::net::IpAddr;

use mxray_core::finding::{Finding, Severity};
use mxray_core::join::join;
use mxray_core::spf::analysis::{self, LOOKUP_LIMIT, Node, VOID_LIMIT, Via};
use mxray_core::spf::lint::lint_pasted;
use mxray_core::spf::{Evaluation, check_helo, check_host};
use serde_json::{Value, json};

use crate::net::block_on;
use crate::source::{Backend, Failure};

/// JSON text core wrote (`to_json`), as a value to print or add to.
pub(crate) fn core_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

pub(crate) fn finding_json(f: &Finding) -> Value {
    core_json(&f.to_json())
}

/// One JSON document, pretty-printed: what `--json` prints.
pub(crate) fn print_json(value: &Value, out: &mut String) {
    outln!(
        out,
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}

/// A finding for people: severity, code and RFC, the message, the text underlined, the fix.
pub(crate) fn print_finding(f: &Finding, text: Option<&str>, indent: &str, out: &mut String) {
    outln!(
        out,
        "{indent}{:<7} {}  ({})",
        f.severity.as_str(),
        f.code,
        f.rfc
    );
    outln!(out, "{indent}        {}", f.message);
    if let (Some(span), Some(text)) = (&f.span, text)
        && span.end <= text.len()
        && text.is_char_boundary(span.start)
    {
        outln!(out, "{indent}        {text}");
        let width = text[span.start..span.end].chars().count().max(1);
        outln!(
            out,
            "{indent}        {}{}",
            " ".repeat(text[..span.start].chars().count()),
            "^".repeat(width)
        );
    }
    if let Some(fix) = &f.fix {
        outln!(out, "{indent}        fix: {fix}");
    }
}

pub(crate) fn worst(findings: &[Finding]) -> Option<Severity> {
    findings.iter().map(|f| f.severity).max()
}

/// `mxray lint spf TEXT`: exit 1 when there is an error.
pub fn lint(text: &str, as_json: bool, out: &mut String) -> u8 {
    let linted = lint_pasted(text);
    let failed = worst(&linted.findings) == Some(Severity::Error);
    if as_json {
        let value = json!({
            "record": linted.text,
            "canonical": linted.record.as_ref().map(ToString::to_string),
            "valid": linted.record.is_some() && !failed,
            "findings": linted.findings.iter().map(finding_json).collect::<Vec<_>>(),
        });
        print_json(&value, out);
    } else {
        if linted.findings.is_empty() {
            outln!(out, "No problems found in: {}", linted.text);
        }
        for f in &linted.findings {
            print_finding(f, Some(&linted.text), "", out);
        }
    }
    u8::from(failed)
}

fn print_node(nodes: &[Node], i: usize, out: &mut String) {
    let n = &nodes[i];
    let indent = "  ".repeat(usize::from(n.depth));
    let via = match n.via {
        Via::Root => String::new(),
        Via::Include => "include:".into(),
        Via::Redirect => "redirect=".into(),
    };
    outln!(
        out,
        "{indent}{via}{}  [{}; {} lookup{} here, {} in this branch]",
        n.domain,
        n.status.words(),
        n.own_lookups,
        if n.own_lookups == 1 { "" } else { "s" },
        n.branch_lookups
    );
    if let Some(text) = &n.text {
        outln!(out, "{indent}  {text}");
    }
    if !n.term_costs.is_empty() {
        let costs: Vec<String> = n
            .term_costs
            .iter()
            .map(|t| format!("{} {}", t.term, t.lookups))
            .collect();
        outln!(out, "{indent}  lookups: {}", costs.join(" · "));
    }
    for f in &n.findings {
        print_finding(f, n.text.as_deref(), &format!("{indent}  "), out);
    }
    for &c in &n.children {
        print_node(nodes, c, out);
    }
}

/// `mxray spf DOMAIN`: exit 1 when the policy has errors.
pub fn analyse(
    backend: &Backend,
    domain: &str,
    as_json: bool,
    out: &mut String,
) -> Result<u8, Failure> {
    let a = block_on(analysis::analyse(backend, &crate::source::domain(domain)?));
    let all_findings: Vec<&Finding> = a
        .findings
        .iter()
        .chain(a.nodes.iter().flat_map(|n| &n.findings))
        .collect();
    let failed = !a.valid || all_findings.iter().any(|f| f.severity == Severity::Error);
    if as_json {
        let value = core_json(&a.to_json());
        print_json(&value, out);
    } else {
        outln!(
            out,
            "{}: {} · {} of {LOOKUP_LIMIT} lookups · {} of {VOID_LIMIT} void lookups · {} IPv4 \
             addresses{}",
            a.domain,
            if a.valid {
                "valid"
            } else {
                "INVALID (receivers return permerror or none)"
            },
            a.lookups,
            a.voids,
            a.ipv4_addresses,
            if a.ipv6_addresses > 0 {
                " and IPv6 networks"
            } else {
                ""
            }
        );
        for f in &a.findings {
            print_finding(f, None, "", out);
        }
        if !a.nodes.is_empty() {
            outln!(out, "");
            print_node(&a.nodes, 0, out);
        }
    }
    Ok(u8::from(failed))
}

/// What `mxray spf eval` was asked.
pub struct EvalRequest {
    pub ip: IpAddr,
    pub sender: String,
    pub helo: Option<String>,
    pub domain: Option<String>,
    pub json: bool,
}

fn evaluation_json(e: &Evaluation) -> Value {
    json!({
        "result": e.result.name(),
        "reason": e.reason,
        "explanation": e.explanation,
        "lookups": e.dns_terms,
        "void_lookups": e.void_lookups,
        "trace": e.trace.iter().map(|s| json!({"depth": s.depth, "step": s.text})).collect::<Vec<_>>(),
    })
}

/// `mxray spf eval`: exit 0 for pass, 1 otherwise.
pub fn eval(backend: &Backend, request: &EvalRequest, out: &mut String) -> Result<u8, Failure> {
    let helo = request.helo.clone().unwrap_or_default();
    let sender = if request.sender.is_empty() {
        if helo.is_empty() {
            return Err(Failure::Input(
                "an empty --sender (a bounce) needs --helo: the check is then for postmaster@HELO"
                    .into(),
            ));
        }
        format!("postmaster@{helo}")
    } else {
        request.sender.clone()
    };
    let domain = request.domain.clone().unwrap_or_else(|| {
        sender
            .rsplit_once('@')
            .map_or(sender.clone(), |(_, d)| d.to_owned())
    });
    // The two identities are independent: both evaluations run at once.
    let (mail_from, helo_eval) = block_on(join(
        check_host(backend, request.ip, &domain, &sender, &helo),
        async {
            match request.helo.as_deref().filter(|h| !h.is_empty()) {
                Some(h) => Some(check_helo(backend, request.ip, h).await),
                None => None,
            }
        },
    ));
    if request.json {
        let mut value = json!({
            "ip": request.ip.to_string(),
            "sender": sender,
            "domain": domain,
        });
        if let (Value::Object(map), Value::Object(eval)) = (&mut value, evaluation_json(&mail_from))
        {
            map.extend(eval);
        }
        if let Some(h) = &helo_eval {
            value["helo"] = json!(request.helo);
            value["helo_result"] = evaluation_json(h);
        }
        print_json(&value, out);
    } else {
        let print = |label: &str, e: &Evaluation, out: &mut String| {
            outln!(out, "{label}: {} — {}", e.result.name(), e.reason);
            if let Some(x) = &e.explanation {
                outln!(out, "  explanation: {x}");
            }
            outln!(
                out,
                "  {} of {LOOKUP_LIMIT} lookups, {} void",
                e.dns_terms,
                e.void_lookups
            );
            for step in &e.trace {
                outln!(
                    out,
                    "  {}{}",
                    "  ".repeat(usize::from(step.depth)),
                    step.text
                );
            }
        };
        print(
            &format!("MAIL FROM {sender} from {}", request.ip),
            &mail_from,
            out,
        );
        if let Some(h) = &helo_eval {
            print(
                &format!("HELO {}", request.helo.as_deref().unwrap_or("")),
                h,
                out,
            );
        }
    }
    Ok(u8::from(
        mail_from.result != mxray_core::spf::SpfResult::Pass,
    ))
}
