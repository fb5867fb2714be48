//! `mxray dkim DOMAIN --selector S…` (keys found, where they are hosted, findings; common
//! selectors probed when none is given) and `mxray lint dkim TEXT` (a pasted key record, or a
//! pasted DKIM-Signature header, whose key is then looked up).

use mxray_core::dkim::discover::{Discovery, Request, State, discover};
use mxray_core::dkim::key::KeyRecord;
use mxray_core::dkim::{Pasted, read_pasted};
use mxray_core::finding::Severity;
use serde_json::json;

use crate::net::block_on;
use crate::source::{Backend, Failure};
use crate::spf::{core_json, finding_json, print_finding, print_json, worst};

/// `mxray dkim DOMAIN`: exit 1 when an error was found.
pub fn check(
    backend: &Backend,
    domain: &str,
    selectors: &[String],
    as_json: bool,
    out: &mut String,
) -> Result<u8, Failure> {
    let domain = crate::source::domain(domain)?;
    let request = Request {
        domain,
        selectors: selectors.to_vec(),
        signatures: Vec::new(),
        common: selectors.is_empty(),
    };
    let discovery = block_on(discover(backend, &request));
    print_discovery(&discovery, as_json, out);
    Ok(u8::from(has_error(&discovery)))
}

fn has_error(d: &Discovery) -> bool {
    d.findings.iter().any(|f| f.severity == Severity::Error)
        || d.selectors.iter().any(|s| {
            s.all_findings()
                .iter()
                .any(|f| f.severity == Severity::Error)
        })
}

fn print_discovery(d: &Discovery, as_json: bool, out: &mut String) {
    if as_json {
        let value = core_json(&d.to_json());
        print_json(&value, out);
        return;
    }
    if d.common_probed > 0 {
        outln!(
            out,
            "{}: {} common selectors asked",
            d.domain,
            d.common_probed
        );
    }
    for s in d.selectors.iter().filter(|s| s.is_interesting()) {
        let state = match &s.state {
            State::Found(keys) => keys
                .iter()
                .map(|k| k.key.words())
                .collect::<Vec<_>>()
                .join("; "),
            State::NotKey(_) => "TXT records, but no DKIM key".to_owned(),
            State::Missing { .. } => "no key".to_owned(),
            State::Failed(why) => format!("lookup failed: {why}"),
        };
        outln!(out, "{}  {state}", s.name);
        if let Some(host) = &s.hosted_at {
            outln!(out, "  hosted at {host} (CNAME)");
        }
        if let State::Found(keys) = &s.state {
            for k in keys {
                outln!(out, "  {}", k.text);
                for f in &k.findings {
                    print_finding(f, Some(&k.text), "  ", out);
                }
            }
        }
        for f in &s.findings {
            print_finding(f, None, "  ", out);
        }
    }
    for f in &d.findings {
        print_finding(f, None, "", out);
    }
}

/// `mxray lint dkim TEXT`: a key record, or DKIM-Signature headers (then their keys are looked
/// up, all at once; only then is a DNS backend made).
pub fn lint(
    text: &str,
    backend: impl FnOnce() -> Result<Backend, Failure>,
    as_json: bool,
    out: &mut String,
) -> Result<u8, Failure> {
    match read_pasted(text) {
        Pasted::Signatures(signatures) => {
            let request = Request {
                domain: signatures[0].domain.clone(),
                selectors: Vec::new(),
                signatures,
                common: false,
            };
            let d = block_on(discover(&backend()?, &request));
            print_discovery(&d, as_json, out);
            Ok(u8::from(has_error(&d)))
        }
        Pasted::Key(record) => {
            print_record(&record, as_json, out);
            Ok(u8::from(
                worst(&record.findings) == Some(Severity::Error) || !record.key.is_usable(),
            ))
        }
    }
}

fn print_record(record: &KeyRecord, as_json: bool, out: &mut String) {
    if as_json {
        let value = json!({
            "record": record.text,
            "key": record.key.words(),
            "usable": record.key.is_usable(),
            "findings": record.findings.iter().map(finding_json).collect::<Vec<_>>(),
        });
        print_json(&value, out);
        return;
    }
    outln!(out, "key: {}", record.key.words());
    if record.findings.is_empty() {
        outln!(out, "No problems found in: {}", record.text);
    }
    for f in &record.findings {
        print_finding(f, Some(&record.text), "", out);
    }
}
