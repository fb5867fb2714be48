//! Lints on one SPF record, without DNS: what went wrong in the paste (quotes, zone-file lines,
//! split strings, line breaks, spaces, a misplaced version) and what is risky in the record
//! itself (`+all`, no `all`, `ptr`, terms after `all`, duplicates, overlapping or huge
//! networks, lengths). Every finding has its catalog code, and a fix where one exists; spans
//! point into the cleaned record text ([`Linted::text`]).

use core::net::IpAddr;

use super::record::{Mechanism, Modifier, ParseError, Qualifier, Record, TermKind};
use crate::finding::{Finding, Severity};
use crate::paste::{self, WrappingCodes, split_for_dns};

/// A pasted record after cleaning, parsed and linted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Linted {
    /// The record text the spans point into (quotes, zone-line parts and line breaks removed).
    pub text: String,
    pub record: Option<Record>,
    pub findings: Vec<Finding>,
}

/// RFC 6652's reporting modifiers: legal, and not to be flagged.
const KNOWN_MODIFIERS: [&str; 3] = ["ra", "rp", "rr"];

/// Lints pasted text: a record value, quoted strings, or a whole zone-file line.
pub fn lint_pasted(input: &str) -> Linted {
    let mut findings = Vec::new();
    let (text, junctions) = clean(input, &mut findings);
    let (record, more) = lint_text(&text);
    // A parse error at a string junction is a split without a space.
    if record.is_none()
        && let Some(error) = more.iter().find(|f| f.severity == Severity::Error)
        && let Some(span) = &error.span
        && let Some(&at) = junctions.iter().find(|&&j| {
            span.start <= j && j <= span.end && j <= text.len() && text.is_char_boundary(j)
        })
    {
        let fixed = format!("{} {}", &text[..at], &text[at..]);
        findings.push(
            Finding::new(
                "spf.split-without-space",
                format!(
                    "The strings join at byte {at} with no space, so \"{}\" runs into \"{}\".",
                    tail(&text[..at]),
                    head(&text[at..])
                ),
            )
            .at(at.saturating_sub(1)..(at + 1).min(text.len()))
            .fix(fixed),
        );
    }
    findings.extend(more);
    lint_one_string(&text, &mut findings);
    Linted {
        text,
        record,
        findings,
    }
}

fn tail(text: &str) -> &str {
    text.rsplit(' ').next().unwrap_or(text)
}

fn head(text: &str) -> &str {
    text.split(' ').next().unwrap_or(text)
}

/// Takes the record text out of what was pasted; returns it with the byte offsets where
/// quoted strings were joined.
fn clean(input: &str, findings: &mut Vec<Finding>) -> (String, Vec<usize>) {
    let unwrapped = paste::unwrap(input, |rest| rest.starts_with("v=spf1"));
    let (mut text, mut junctions) = (unwrapped.text, unwrapped.junctions);
    findings.extend(paste::findings(
        &unwrapped.notes,
        &WrappingCodes {
            zone_line: "spf.zone-line",
            smart_quotes: "spf.smart-quotes",
            split_strings: "spf.split-strings",
            quoted: "spf.quoted",
            version: "v=spf1",
        },
    ));
    if text.contains(['\t', '\n', '\r']) {
        let fixed: String = text
            .split(['\t', '\n', '\r'])
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let at = text.find(['\t', '\n', '\r']).unwrap_or(0);
        findings.push(
            Finding::new(
                "spf.control-characters",
                format!(
                    "The record has tabs or line breaks (the first at byte {at}); terms are \
                     separated by spaces only."
                ),
            )
            .fix(fixed.clone()),
        );
        text = fixed;
        // Offsets into the joined strings no longer hold.
        junctions.clear();
    }
    let leading = text.len() - text.trim_start_matches(' ').len();
    if leading > 0 && text.trim_start().starts_with("v=spf1") {
        findings.push(
            Finding::new(
                "spf.leading-space",
                "The value starts with spaces; published like this it is not an SPF record.",
            )
            .fix(text.trim().to_owned()),
        );
        text.drain(..leading);
        junctions.clear();
    }
    let trailing = text.len() - text.trim_end_matches(' ').len();
    if trailing > 0 {
        findings.push(
            Finding::new("spf.trailing-space", "The value ends with spaces.")
                .at(text.len() - trailing..text.len())
                .fix(text.trim_end().to_owned()),
        );
    }
    (text, junctions)
}

/// Parses and lints record text (already cleaned, or as published in DNS).
pub fn lint_text(text: &str) -> (Option<Record>, Vec<Finding>) {
    let mut findings = Vec::new();
    if let Some((at, c)) = text.char_indices().find(|(_, c)| !c.is_ascii()) {
        findings.push(
            Finding::new(
                "spf.not-ascii",
                format!(
                    "U+{:04X} at byte {at} is not ASCII; SPF records are ASCII only.",
                    u32::from(c)
                ),
            )
            .at(at..at + c.len_utf8())
            .fix(text.chars().filter(char::is_ascii).collect::<String>()),
        );
        return (None, findings);
    }
    if !text.starts_with("v=spf1")
        && !text.to_ascii_lowercase().starts_with("v=spf1")
        && let Some(at) = text.to_ascii_lowercase().find("v=spf1")
    {
        let rest = format!("{} {}", &text[..at], &text[at + 6..]);
        let rest: Vec<&str> = rest.split(' ').filter(|t| !t.is_empty()).collect();
        findings.push(
            Finding::new(
                "spf.version-not-first",
                "v=spf1 is in the record but not at its start.",
            )
            .at(at..at + 6)
            .fix(format!("v=spf1 {}", rest.join(" "))),
        );
        return (None, findings);
    }
    if text.len() >= 6 && text[..6].eq_ignore_ascii_case("v=spf1") && &text[..6] != "v=spf1" {
        findings.push(
            Finding::new(
                "spf.version-case",
                "Write the version as v=spf1, in lower case.",
            )
            .at(0..6)
            .fix(format!("v=spf1{}", &text[6..])),
        );
    }
    lint_length(text, &mut findings);
    match Record::parse(text) {
        Ok(record) => {
            lint_record(&record, text, &mut findings);
            (Some(record), findings)
        }
        Err(error) => {
            findings.push(parse_finding(&error));
            (None, findings)
        }
    }
}

/// A parse error as a finding.
pub fn parse_finding(error: &ParseError) -> Finding {
    Finding::new(error.code, error.message.clone()).at(error.span.clone())
}

/// Over 450 bytes (§3.4), however it is published.
fn lint_length(text: &str, findings: &mut Vec<Finding>) {
    if text.len() > 450 {
        findings.push(Finding::new(
            "spf.record-too-long",
            format!(
                "The record is {} bytes, over the 450 RFC 7208 §3.4 advises.",
                text.len()
            ),
        ));
    }
}

/// Over 255 bytes in one piece: only pasted text can be that; from DNS it already arrives in
/// strings of at most 255 bytes.
fn lint_one_string(text: &str, findings: &mut Vec<Finding>) {
    if text.len() > 255 && text.is_ascii() {
        findings.push(
            Finding::new(
                "spf.string-too-long",
                format!(
                    "The record is {} bytes; a DNS string holds 255, so it must be published as \
                     {} strings.",
                    text.len(),
                    text.len().div_ceil(255)
                ),
            )
            .fix(split_for_dns(text)),
        );
    }
}

/// The record without the term at `span` (for fixes).
fn without(text: &str, span: &core::ops::Range<usize>) -> String {
    let mut out = String::with_capacity(text.len());
    out.push_str(text[..span.start].trim_end());
    out.push(' ');
    out.push_str(text[span.end..].trim_start());
    out.trim_end().to_owned()
}

fn lint_record(record: &Record, text: &str, findings: &mut Vec<Finding>) {
    let all = record
        .terms
        .iter()
        .position(|t| matches!(&t.kind, TermKind::Directive(d) if d.mechanism == Mechanism::All));
    let mut networks: Vec<(IpAddr, u8, core::ops::Range<usize>, String)> = Vec::new();
    let mut includes: Vec<(String, core::ops::Range<usize>)> = Vec::new();
    for (i, term) in record.terms.iter().enumerate() {
        let span = term.span.clone();
        if let Some(all) = all
            && i > all
        {
            findings.push(
                Finding::new(
                    "spf.after-all",
                    format!(
                        "\"{}\" comes after all and is never evaluated.",
                        &text[span.clone()]
                    ),
                )
                .at(span.clone()),
            );
        }
        match &term.kind {
            TermKind::Directive(d) => match &d.mechanism {
                Mechanism::All => match d.qualifier {
                    Qualifier::Pass => {
                        let fixed = format!("{}-all{}", &text[..span.start], &text[span.end..]);
                        findings.push(
                            Finding::new(
                                "spf.all-pass",
                                format!(
                                    "\"{}\" lets every server on the internet send as this domain.",
                                    &text[span.clone()]
                                ),
                            )
                            .at(span.clone())
                            .fix(fixed),
                        );
                    }
                    Qualifier::Neutral => {
                        let fixed = format!("{}~all{}", &text[..span.start], &text[span.end..]);
                        findings.push(
                            Finding::new(
                                "spf.all-neutral",
                                "?all treats servers not listed like a domain with no policy.",
                            )
                            .at(span.clone())
                            .fix(fixed),
                        );
                    }
                    _ => {}
                },
                Mechanism::Ptr(_) => findings.push(
                    Finding::new(
                        "spf.ptr",
                        "ptr is slow and unreliable, and many receivers skip it; list the \
                         servers' addresses with ip4/ip6, or use a or mx.",
                    )
                    .at(span.clone())
                    .fix(without(text, &span)),
                ),
                Mechanism::Include(domain) => {
                    let key = domain.to_string().to_ascii_lowercase();
                    if includes.iter().any(|(k, _)| *k == key) {
                        findings.push(
                            Finding::new(
                                "spf.duplicate-include",
                                format!("include:{domain} is already in the record."),
                            )
                            .at(span.clone())
                            .fix(without(text, &span)),
                        );
                    } else {
                        includes.push((key, span.clone()));
                    }
                }
                Mechanism::Ip4(ip, prefix) => {
                    networks.push((
                        IpAddr::V4(*ip),
                        prefix.unwrap_or(32),
                        span.clone(),
                        text[span.clone()].to_owned(),
                    ));
                }
                Mechanism::Ip6(ip, prefix) => {
                    networks.push((
                        IpAddr::V6(*ip),
                        prefix.unwrap_or(128),
                        span.clone(),
                        text[span.clone()].to_owned(),
                    ));
                }
                Mechanism::A(_, cidr) | Mechanism::Mx(_, cidr) => {
                    for (prefix, v6) in [(cidr.v4, false), (cidr.v6, true)] {
                        if let Some(prefix) = prefix {
                            wide(prefix, v6, &span, text, findings);
                        }
                    }
                }
                Mechanism::Exists(_) => {}
            },
            TermKind::Modifier(Modifier::Unknown { name, .. })
                if !KNOWN_MODIFIERS.contains(&name.to_ascii_lowercase().as_str()) =>
            {
                findings.push(
                    Finding::new(
                        "spf.unknown-modifier",
                        format!("Receivers ignore the modifier \"{name}=\"; is it a typo of redirect= or exp=?"),
                    )
                    .at(span.clone()),
                );
            }
            TermKind::Modifier(_) => {}
        }
    }
    if all.is_some()
        && let Some(redirect) = record
            .terms
            .iter()
            .find(|t| matches!(t.kind, TermKind::Modifier(Modifier::Redirect(_))))
    {
        findings.push(
            Finding::new(
                "spf.redirect-with-all",
                "The record has all, so its redirect is never used.",
            )
            .at(redirect.span.clone())
            .fix(without(text, &redirect.span)),
        );
    }
    if all.is_none() && record.redirect().is_none() {
        findings.push(
            Finding::new(
                "spf.no-all",
                "The record ends without all or redirect, so servers not listed get neutral.",
            )
            .fix(format!("{} ~all", text.trim_end())),
        );
    }
    for (i, (ip, prefix, span, written)) in networks.iter().enumerate() {
        wide(*prefix, ip.is_ipv6(), span, text, findings);
        for (other_ip, other_prefix, _, other_written) in &networks[..i] {
            if !same_family(*ip, *other_ip) {
                continue;
            }
            let (a, b) = (network(*ip, *prefix), network(*other_ip, *other_prefix));
            if a == b && prefix == other_prefix {
                findings.push(
                    Finding::new(
                        "spf.duplicate-network",
                        format!("{written} is the same network as {other_written}."),
                    )
                    .at(span.clone())
                    .fix(without(text, span)),
                );
                break;
            }
            if other_prefix <= prefix && network(*ip, *other_prefix) == b {
                findings.push(
                    Finding::new(
                        "spf.overlapping-network",
                        format!("{written} lies inside {other_written}."),
                    )
                    .at(span.clone())
                    .fix(without(text, span)),
                );
                break;
            }
            if prefix < other_prefix && network(*other_ip, *prefix) == a {
                findings.push(
                    Finding::new(
                        "spf.overlapping-network",
                        format!("{other_written} lies inside {written}."),
                    )
                    .at(span.clone()),
                );
                break;
            }
        }
    }
}

fn same_family(a: IpAddr, b: IpAddr) -> bool {
    a.is_ipv4() == b.is_ipv4()
}

/// The network address as a number, for comparing.
fn network(ip: IpAddr, prefix: u8) -> u128 {
    super::net::range(ip, prefix).1
}

/// IPv4 /8 or wider and IPv6 /16 or wider are errors; IPv4 /9–/15 and IPv6 /17–/31 warnings.
fn wide(
    prefix: u8,
    v6: bool,
    span: &core::ops::Range<usize>,
    text: &str,
    findings: &mut Vec<Finding>,
) {
    let (error_at, warn_at, bits) = if v6 { (16, 31, 128u32) } else { (8, 15, 32u32) };
    if prefix > warn_at {
        return;
    }
    let share = if v6 {
        format!("1/{} of all IPv6 addresses", 1u128 << prefix.min(127))
    } else {
        let count = 1u64 << (bits - u32::from(prefix));
        format!("{count} IPv4 addresses")
    };
    let finding = Finding::new(
        "spf.wide-network",
        format!(
            "\"{}\" authorizes {share}; check the prefix length.",
            &text[span.clone()]
        ),
    )
    .at(span.clone());
    findings.push(if prefix <= error_at {
        finding
    } else {
        finding.severity(Severity::Warning)
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paste::quoted_strings;

    fn codes(input: &str) -> Vec<&'static str> {
        lint_pasted(input).findings.iter().map(|f| f.code).collect()
    }

    fn finding(input: &str, code: &str) -> Finding {
        lint_pasted(input)
            .findings
            .into_iter()
            .find(|f| f.code == code)
            .unwrap_or_else(|| panic!("{code} expected for {input:?}: {:?}", codes(input)))
    }

    #[test]
    fn a_good_record_has_no_findings() {
        assert!(codes("v=spf1 mx ip4:192.0.2.0/24 include:_spf.example.net -all").is_empty());
        assert!(codes("v=spf1 ra=postmaster rp=100 rr=all -all").is_empty());
    }

    #[test]
    fn paste_damage_is_named_and_fixed() {
        let l = lint_pasted("example.com. 3600 IN TXT \"v=spf1 mx \" \"-all\"");
        assert_eq!(l.text, "v=spf1 mx -all");
        assert_eq!(
            l.findings.iter().map(|f| f.code).collect::<Vec<_>>(),
            ["spf.zone-line", "spf.split-strings"]
        );
        let f = finding(
            "\"v=spf1 ip4:192.0.2.1\" \"include:_spf.example.com -all\"",
            "spf.split-without-space",
        );
        assert_eq!(
            f.fix.as_deref(),
            Some("v=spf1 ip4:192.0.2.1 include:_spf.example.com -all")
        );
        assert_eq!(codes("\"v=spf1 -all\""), ["spf.quoted"]);
        assert_eq!(codes("“v=spf1 -all”"), ["spf.smart-quotes"]);
        let f = finding(
            "v=spf1 ip4:192.0.2.1\ninclude:_spf.example.com -all",
            "spf.control-characters",
        );
        assert_eq!(
            f.fix.as_deref(),
            Some("v=spf1 ip4:192.0.2.1 include:_spf.example.com -all")
        );
        assert_eq!(
            finding("  v=spf1 -all", "spf.leading-space").fix.as_deref(),
            Some("v=spf1 -all")
        );
        assert_eq!(
            finding("v=spf1 -all  ", "spf.trailing-space").span,
            Some(11..13)
        );
        let f = finding(
            "include:_spf.example.com v=spf1 -all",
            "spf.version-not-first",
        );
        assert_eq!(
            f.fix.as_deref(),
            Some("v=spf1 include:_spf.example.com -all")
        );
        assert_eq!(
            finding("V=SPF1 -all", "spf.version-case").fix.as_deref(),
            Some("v=spf1 -all")
        );
        let f = finding("v=spf1 include:\u{200b}example.com -all", "spf.not-ascii");
        assert_eq!(f.span, Some(15..18));
    }

    #[test]
    fn syntax_errors_keep_their_codes_and_spans() {
        assert_eq!(
            finding("v=spf1 ip4:192.0.2.300 -all", "spf.invalid-ip").span,
            Some(11..22)
        );
        assert_eq!(
            finding("v=spf1 ip4:192.0.2.0/33 -all", "spf.invalid-prefix").span,
            Some(11..23)
        );
        assert_eq!(
            finding("v=spf1 inlcude:x.example -all", "spf.unknown-mechanism").span,
            Some(7..24)
        );
        finding("v=spf1 redirect:x.example", "spf.modifier-as-mechanism");
        finding("v=spf1 a:mailserver -all", "spf.invalid-domain");
        finding("v=spf1 exists:%{x}.example.com", "spf.macro-syntax");
        finding("v=spf10", "spf.version");
    }

    #[test]
    fn risky_records_are_flagged_with_fixes() {
        assert_eq!(
            finding("v=spf1 +all", "spf.all-pass").fix.as_deref(),
            Some("v=spf1 -all")
        );
        assert_eq!(
            finding("v=spf1 all", "spf.all-pass").fix.as_deref(),
            Some("v=spf1 -all")
        );
        assert_eq!(
            finding("v=spf1 mx ?all", "spf.all-neutral").fix.as_deref(),
            Some("v=spf1 mx ~all")
        );
        assert_eq!(
            finding("v=spf1 mx", "spf.no-all").fix.as_deref(),
            Some("v=spf1 mx ~all")
        );
        assert_eq!(
            finding("v=spf1 ptr mx -all", "spf.ptr").fix.as_deref(),
            Some("v=spf1 mx -all")
        );
        assert_eq!(
            finding("v=spf1 -all mx", "spf.after-all").span,
            Some(12..14)
        );
        finding(
            "v=spf1 -all redirect=_spf.example.com",
            "spf.redirect-with-all",
        );
        let f = finding(
            "v=spf1 include:a.example include:A.example -all",
            "spf.duplicate-include",
        );
        assert_eq!(f.fix.as_deref(), Some("v=spf1 include:a.example -all"));
        finding(
            "v=spf1 ip4:192.0.2.0/24 ip4:192.0.2.0/24 -all",
            "spf.duplicate-network",
        );
        let f = finding(
            "v=spf1 ip4:192.0.2.0/24 ip4:192.0.2.10 -all",
            "spf.overlapping-network",
        );
        assert_eq!(f.span, Some(24..38));
        finding(
            "v=spf1 ip6:2001:db8::1 ip6:2001:db8::/32 -all",
            "spf.overlapping-network",
        );
        assert!(
            !codes("v=spf1 ip4:192.0.2.1 ip6:::ffff:192.0.2.1 -all")
                .contains(&"spf.duplicate-network")
        );
        assert_eq!(
            finding("v=spf1 ip4:10.0.0.0/2 -all", "spf.wide-network").severity,
            Severity::Error
        );
        assert_eq!(
            finding("v=spf1 ip4:10.0.0.0/12 -all", "spf.wide-network").severity,
            Severity::Warning
        );
        finding("v=spf1 a/4 -all", "spf.wide-network");
        finding(
            "v=spf1 redirct=_spf.example.com -all",
            "spf.unknown-modifier",
        );
    }

    #[test]
    fn joins_after_other_cleaning_never_point_past_the_text() {
        // Line breaks removed after joining shift every offset; nothing may slice at the old ones.
        for input in [
            "\"v=spf1\t\t\t\" \"é\"",
            "\"  v=spf1 a\" \"é-all\"",
            "\"v=spf1\r\n\" \"\"",
        ] {
            let linted = lint_pasted(input);
            assert!(
                linted
                    .findings
                    .iter()
                    .all(|f| f.span.as_ref().is_none_or(|s| s.end <= linted.text.len()))
            );
        }
    }

    #[test]
    fn long_records_are_split_for_dns() {
        let long = format!(
            "v=spf1 {} -all",
            (0..30)
                .map(|i| format!("ip4:192.0.2.{i}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let f = finding(&long, "spf.string-too-long");
        let fix = f.fix.unwrap();
        let strings = quoted_strings(&fix).unwrap();
        assert!(strings.len() == 2 && strings.iter().all(|s| s.len() <= 255));
        assert_eq!(strings.concat(), long);
        let longer = format!(
            "v=spf1 {} -all",
            (0..40)
                .map(|i| format!("ip4:198.51.100.{i}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        finding(&longer, "spf.record-too-long");
    }
}
