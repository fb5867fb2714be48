//! One DMARC policy record: the tags of RFC 7489 §6.3 and RFC 9989 §4.7 read with their spans,
//! each explained in plain words, and every problem found with the rule it follows. Where the
//! two RFCs differ (`pct`, `rf`, `ri`, size limits, a missing `p`), the finding says both.

use core::ops::Range;

use crate::finding::{Finding, Severity};
use crate::paste::{self, WrappingCodes};
use crate::tags::{Tag, TagError, TagList, replace, without};

/// `none`, `quarantine` or `reject`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Policy {
    None,
    Quarantine,
    Reject,
}

impl Policy {
    fn parse(value: &str) -> Option<Self> {
        match value {
            "none" => Some(Self::None),
            "quarantine" => Some(Self::Quarantine),
            "reject" => Some(Self::Reject),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Quarantine => "quarantine",
            Self::Reject => "reject",
        }
    }

    /// What receivers do with failing mail, in words.
    pub fn words(self) -> &'static str {
        match self {
            Self::None => "no action: failing mail is delivered as usual (reports only)",
            Self::Quarantine => "failing mail is treated as suspicious (usually the spam folder)",
            Self::Reject => "failing mail is rejected",
        }
    }
}

/// One report destination of `rua=` or `ruf=`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportUri {
    /// The URI as written (with any `!size`).
    pub text: String,
    pub span: Range<usize>,
    /// The mailbox of a `mailto:` URI.
    pub address: Option<String>,
    /// The domain of that mailbox, lower-case.
    pub domain: Option<String>,
}

/// A DMARC record, read and linted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DmarcRecord {
    /// The text every span points into.
    pub text: String,
    pub tags: TagList,
    /// `p=`, when valid.
    pub policy: Option<Policy>,
    /// `sp=`, when valid.
    pub subdomain_policy: Option<Policy>,
    /// `np=` (RFC 9989), when valid.
    pub nonexistent_policy: Option<Policy>,
    /// Strict DKIM alignment (`adkim=s`).
    pub strict_dkim: bool,
    /// Strict SPF alignment (`aspf=s`).
    pub strict_spf: bool,
    /// `pct=` (RFC 7489; removed by RFC 9989).
    pub pct: Option<u8>,
    /// `t=y` (RFC 9989 test mode).
    pub testing: bool,
    /// `psd=` (RFC 9989): `y`, `n` or `u` (the default).
    pub psd: char,
    pub rua: Vec<ReportUri>,
    pub ruf: Vec<ReportUri>,
    pub findings: Vec<Finding>,
}

/// Whether TXT text is a DMARC record: its first tag is `v=DMARC1` (exactly; RFC 7489 §6.4,
/// RFC 9989 §4.7). Others at `_dmarc` are discarded by receivers.
pub fn is_dmarc(text: &str) -> bool {
    TagList::parse(text)
        .tags
        .first()
        .is_some_and(|t| t.name == "v" && t.value == "DMARC1" && t.span.start == leading(text))
        && !text.starts_with([' ', '\t'])
}

fn leading(text: &str) -> usize {
    text.len() - text.trim_start_matches([' ', '\t', '\r', '\n']).len()
}

/// Whether text at `_dmarc` looks like a DMARC record that receivers will not read (quotes
/// inside it, a leading space, a lower-case version, text before it).
pub fn looks_like_dmarc(text: &str) -> bool {
    text.to_ascii_lowercase().contains("v=dmarc1")
}

/// Reads and lints pasted text: a record value, quoted strings, or a whole zone-file line.
pub fn lint_pasted(input: &str) -> DmarcRecord {
    let unwrapped = paste::unwrap(input, |rest| rest.starts_with("v=DMARC1"));
    let mut notes = paste::findings(
        &unwrapped.notes,
        &WrappingCodes {
            zone_line: "dmarc.zone-line",
            smart_quotes: "dmarc.smart-quotes",
            split_strings: "dmarc.split-strings",
            quoted: "dmarc.quoted",
            version: "v=DMARC1",
        },
    );
    let text = unwrapped.text.trim_matches([' ', '\t', '\r', '\n']);
    let mut record = lint_record(text);
    notes.append(&mut record.findings);
    record.findings = notes;
    record
}

/// Reads and lints record text as published.
pub fn lint_record(text: &str) -> DmarcRecord {
    let tags = TagList::parse(text);
    let mut findings: Vec<Finding> = tags.errors.iter().map(tag_error).collect();
    let mut record = DmarcRecord {
        text: text.to_owned(),
        tags: TagList::default(),
        policy: None,
        subdomain_policy: None,
        nonexistent_policy: None,
        strict_dkim: false,
        strict_spf: false,
        pct: None,
        testing: false,
        psd: 'u',
        rua: Vec::new(),
        ruf: Vec::new(),
        findings: Vec::new(),
    };

    // The version: first, exactly v=DMARC1.
    match tags.tags.first() {
        Some(v) if v.name == "v" && v.value == "DMARC1" => {}
        Some(v) if v.name.eq_ignore_ascii_case("v") && v.value.eq_ignore_ascii_case("DMARC1") => {
            findings.push(
                Finding::new(
                    "dmarc.version",
                    format!(
                        "{} must be written v=DMARC1 exactly (the version is case-sensitive); \
                         receivers ignore this record.",
                        &text[v.span.clone()]
                    ),
                )
                .at(v.span.clone())
                .fix(format!(
                    "{}v=DMARC1{}",
                    &text[..v.span.start],
                    &text[v.span.end..]
                )),
            );
        }
        _ => {
            let at = tags.get("v").map(|v| v.span.clone());
            let rest: Vec<String> = tags
                .tags
                .iter()
                .filter(|t| t.name != "v")
                .map(|t| format!("{}={}", t.name, t.value))
                .collect();
            let mut finding = Finding::new(
                "dmarc.version",
                if at.is_some() {
                    "v=DMARC1 must be the first tag; receivers ignore this record."
                } else {
                    "The record does not start with v=DMARC1; receivers ignore it."
                },
            )
            .fix(format!("v=DMARC1; {}", rest.join("; ")));
            if let Some(span) = at {
                finding = finding.at(span);
            }
            findings.push(finding);
        }
    }

    let mut policy_tag: Option<&Tag> = None;
    for tag in &tags.tags {
        let value = tag.value.as_str();
        match tag.name.as_str() {
            "v" => {}
            "p" | "sp" | "np" => {
                let parsed = Policy::parse(value);
                if parsed.is_none() {
                    findings.push(invalid(tag, "none, quarantine or reject"));
                }
                match tag.name.as_str() {
                    "p" => {
                        record.policy = parsed;
                        policy_tag = Some(tag);
                    }
                    "sp" => record.subdomain_policy = parsed,
                    _ => record.nonexistent_policy = parsed,
                }
            }
            "adkim" | "aspf" => match value {
                "r" => {}
                "s" if tag.name == "adkim" => record.strict_dkim = true,
                "s" => record.strict_spf = true,
                _ => findings.push(invalid(tag, "r (relaxed) or s (strict)")),
            },
            "pct" => {
                match value.parse::<u8>() {
                    Ok(n) if n <= 100 => {
                        record.pct = Some(n);
                        if n < 100 {
                            findings.push(
                            Finding::new(
                                "dmarc.pct",
                                format!(
                                    "pct={n}: under RFC 7489 the policy applies to only {n}% of \
                                     failing mail. RFC 9989 removed pct; receivers that follow it \
                                     apply the policy to all failing mail{}.",
                                    if n == 0 { " (pct=0 reads as t=y, test mode)" } else { "" }
                                ),
                            )
                            .at(tag.span.clone())
                            .fix(without(text, &tag.span)),
                        );
                        } else {
                            findings.push(removed(tag, text));
                        }
                    }
                    _ => findings.push(invalid(tag, "a whole number from 0 to 100")),
                }
            }
            "rf" => {
                if value
                    .split(':')
                    .any(|f| !matches!(f.trim(), "afrf" | "iodef"))
                {
                    findings.push(invalid(tag, "afrf"));
                } else {
                    findings.push(removed(tag, text));
                }
            }
            "ri" => {
                if value.parse::<u32>().is_err() {
                    findings.push(invalid(tag, "a number of seconds"));
                } else {
                    findings.push(removed(tag, text));
                }
            }
            "fo" => {
                if !value
                    .split(':')
                    .all(|o| matches!(o.trim(), "0" | "1" | "d" | "s"))
                {
                    findings.push(invalid(tag, "0, 1, d or s, or several joined by ':'"));
                }
            }
            "t" => match value {
                "y" => {
                    record.testing = true;
                    findings.push(
                        Finding::new(
                            "dmarc.testing",
                            "t=y asks receivers not to apply the policy yet (RFC 9989 test mode); \
                             remove it to enforce.",
                        )
                        .at(tag.span.clone())
                        .fix(without(text, &tag.span)),
                    );
                }
                "n" => {}
                _ => findings.push(invalid(tag, "y or n")),
            },
            "psd" => match value {
                "y" | "n" | "u" => record.psd = value.chars().next().unwrap_or('u'),
                _ => findings.push(invalid(tag, "y, n or u")),
            },
            "rua" | "ruf" => {
                let uris = report_uris(tag, text, &mut findings);
                if tag.name == "rua" {
                    record.rua = uris;
                } else {
                    record.ruf = uris;
                }
            }
            other => findings.push(
                Finding::new(
                    "dmarc.unknown-tag",
                    format!(
                        "{other}= is not a DMARC tag; receivers ignore it (a typo of {}?).",
                        closest(other)
                    ),
                )
                .at(tag.span.clone()),
            ),
        }
    }

    // p: missing, then its strength.
    let valid_rua = record.rua.iter().any(|u| u.address.is_some());
    match (policy_tag, record.policy) {
        (None, _) => findings.push(
            Finding::new(
                "dmarc.no-policy",
                if valid_rua {
                    "There is no p= tag. RFC 7489 makes the record invalid without it; RFC 9989 \
                     reads it as p=none because rua= is valid. Say which policy you mean."
                } else {
                    "There is no p= tag, and no valid rua=: receivers apply no DMARC at all \
                     (RFC 7489 and RFC 9989 agree)."
                },
            )
            .fix(insert_after_version(text, "p=none")),
        ),
        (Some(tag), Some(Policy::None)) => findings.push(
            Finding::new(
                "dmarc.monitoring",
                "p=none only asks for reports: receivers do nothing with mail that fails DMARC, \
                 so spoofed mail is still delivered. Move to quarantine, then reject, once the \
                 reports show your own mail passes.",
            )
            .at(tag.span.clone())
            .fix(replace(text, &tag.value_span, "quarantine")),
        ),
        _ => {}
    }
    if let Some(p) = policy_tag
        && tags.tags.get(1).is_some_and(|t| t.name != "p")
        && tags.tags.first().is_some_and(|t| t.name == "v")
    {
        findings.push(
            Finding::new(
                "dmarc.policy-not-second",
                "RFC 7489's grammar puts p= right after v=DMARC1; RFC 9989 allows any order, but \
                 some older receivers still expect p second.",
            )
            .at(p.span.clone()),
        );
    }
    let strength = |p: Option<Policy>| p.unwrap_or(Policy::None);
    if let (Some(p), Some(sp)) = (record.policy, record.subdomain_policy)
        && sp < p
    {
        findings.push(
            Finding::new(
                "dmarc.sp-weaker",
                format!(
                    "sp={} is weaker than p={}: mail from subdomains (which need not exist) gets \
                     less protection than the domain itself.",
                    sp.as_str(),
                    p.as_str()
                ),
            )
            .at(tags.get("sp").map(|t| t.span.clone()).unwrap_or_default()),
        );
    }
    if let Some(np) = record.nonexistent_policy
        && np < strength(record.subdomain_policy.or(record.policy))
    {
        findings.push(
            Finding::new(
                "dmarc.np-weaker",
                format!(
                    "np={} is weaker than the policy for existing subdomains: mail from names \
                     that do not exist, which only forgers use, gets less protection.",
                    np.as_str()
                ),
            )
            .at(tags.get("np").map(|t| t.span.clone()).unwrap_or_default()),
        );
    }
    if tags.get("rua").is_none() && is_dmarc(text) {
        findings.push(
            Finding::new(
                "dmarc.no-rua",
                "There is no rua=, so no receiver sends aggregate reports: you cannot see who \
                 sends mail as your domain or whether your own mail passes.",
            )
            .fix(format!(
                "{}; rua=mailto:dmarc-reports@your-domain",
                text.trim_end_matches([';', ' '])
            )),
        );
    }
    if tags.get("fo").is_some() && tags.get("ruf").is_none() {
        findings.push(
            Finding::new(
                "dmarc.fo-without-ruf",
                "fo= chooses when failure reports are sent, but there is no ruf= to send them to, \
                 so it does nothing.",
            )
            .at(tags.get("fo").map(|t| t.span.clone()).unwrap_or_default()),
        );
    }
    if record.psd == 'y' {
        findings.push(
            Finding::new(
                "dmarc.psd",
                "psd=y says this domain is a public suffix (like a TLD): receivers then treat \
                 each subdomain as a separate organization. Only public suffix operators publish \
                 it.",
            )
            .at(tags.get("psd").map(|t| t.span.clone()).unwrap_or_default()),
        );
    }
    record.tags = tags;
    record.findings = findings;
    record
}

fn tag_error(error: &TagError) -> Finding {
    let code = match error {
        TagError::Syntax { .. } => "dmarc.syntax",
        TagError::Duplicate { .. } => "dmarc.duplicate-tag",
        TagError::Empty { .. } => "dmarc.empty-tag",
    };
    Finding::new(code, error.message()).at(error.span())
}

fn invalid(tag: &Tag, expected: &str) -> Finding {
    Finding::new(
        "dmarc.invalid-value",
        format!(
            "{}={} is not valid: it must be {expected}. Receivers use the default instead{}.",
            tag.name,
            tag.value,
            if tag.name == "p" {
                " (or, under RFC 7489, ignore the record)"
            } else {
                ""
            }
        ),
    )
    .at(tag.value_span.clone())
}

fn removed(tag: &Tag, text: &str) -> Finding {
    Finding::new(
        "dmarc.removed-tag",
        format!(
            "{}= was removed by RFC 9989; receivers that follow it ignore the tag (RFC 7489 \
             receivers still read it).",
            tag.name
        ),
    )
    .at(tag.span.clone())
    .fix(without(text, &tag.span))
}

/// The nearest DMARC tag name to a mistyped one.
fn closest(name: &str) -> &'static str {
    const TAGS: [&str; 14] = [
        "v", "p", "sp", "np", "adkim", "aspf", "pct", "rua", "ruf", "fo", "rf", "ri", "t", "psd",
    ];
    let lower = name.to_ascii_lowercase();
    for (start, tag) in [("pol", "p"), ("sub", "sp"), ("perc", "pct"), ("ver", "v")] {
        if lower.starts_with(start) {
            return tag;
        }
    }
    TAGS.iter()
        .copied()
        .min_by_key(|t| distance(&lower, t))
        .unwrap_or("p")
}

/// Edit distance (Levenshtein), for short tag names.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The URIs of `rua=`/`ruf=`, each checked.
fn report_uris(tag: &Tag, record: &str, findings: &mut Vec<Finding>) -> Vec<ReportUri> {
    let mut uris = Vec::new();
    let mut offset = tag.value_span.start;
    for part in tag.value.split(',') {
        let lead = part.len() - part.trim_start().len();
        let text = part.trim();
        let span = offset + lead..offset + lead + text.len();
        offset += part.len() + 1;
        if text.is_empty() {
            findings.push(
                Finding::new(
                    "dmarc.report-uri",
                    format!(
                        "An empty address in {}= (two commas, or a trailing one).",
                        tag.name
                    ),
                )
                .at(span.start.saturating_sub(1)..span.end.max(span.start)),
            );
            continue;
        }
        let (uri, size) = match text.rsplit_once('!') {
            Some((uri, size)) => (uri, Some(size)),
            None => (text, None),
        };
        let mut address = None;
        let mut domain = None;
        let scheme = uri.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
        match scheme.as_deref() {
            Some("mailto") => {
                let mailbox = &uri[7..];
                match mailbox.rsplit_once('@') {
                    Some((local, host))
                        if !local.is_empty()
                            && valid_host(host)
                            && !mailbox.contains([' ', '<', '>', '"']) =>
                    {
                        address = Some(mailbox.to_owned());
                        domain = Some(host.trim_end_matches('.').to_ascii_lowercase());
                    }
                    _ => findings.push(
                        Finding::new(
                            "dmarc.report-uri",
                            format!("{text} is not a valid mailto: address."),
                        )
                        .at(span.clone()),
                    ),
                }
            }
            Some(other) if !uri.contains('@') || other.starts_with("http") => findings.push(
                Finding::new(
                    "dmarc.report-uri",
                    format!(
                        "{text}: receivers are only required to send reports by email (mailto:); \
                         most ignore other schemes."
                    ),
                )
                .at(span.clone())
                .severity(Severity::Warning),
            ),
            _ if uri.contains('@') && !uri.contains(':') => findings.push(
                Finding::new(
                    "dmarc.report-uri",
                    format!(
                        "{text} has no mailto: in front; report addresses are URIs, so receivers \
                         skip it."
                    ),
                )
                .at(span.clone())
                .fix(format!(
                    "{}mailto:{text}{}",
                    &record[..span.start],
                    &record[span.end..]
                )),
            ),
            _ => findings.push(
                Finding::new(
                    "dmarc.report-uri",
                    format!("{text} is not a report address (expected mailto:name@domain)."),
                )
                .at(span.clone()),
            ),
        }
        if let Some(size) = size {
            let digits = size.trim_end_matches(['k', 'm', 'g', 't']);
            let valid = !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
                && size.len() - digits.len() <= 1;
            findings.push(if valid {
                Finding::new(
                    "dmarc.size-limit",
                    format!(
                        "!{size} limits report size (RFC 7489); RFC 9989 removed size limits and \
                         receivers that follow it ignore them."
                    ),
                )
                .at(span.clone())
            } else {
                Finding::new(
                    "dmarc.report-uri",
                    format!(
                        "!{size} is not a size limit (a number, optionally followed by k, m, g \
                         or t)."
                    ),
                )
                .at(span.clone())
            });
        }
        uris.push(ReportUri {
            text: text.to_owned(),
            span,
            address,
            domain,
        });
    }
    uris
}

fn valid_host(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    host.contains('.')
        && host.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

fn insert_after_version(text: &str, tag: &str) -> String {
    match text.find(';') {
        Some(at) if text[..at].trim().eq_ignore_ascii_case("v=DMARC1") => {
            format!("v=DMARC1; {tag};{}", &text[at + 1..])
        }
        _ if text.trim().eq_ignore_ascii_case("v=DMARC1") => format!("v=DMARC1; {tag}"),
        _ => format!("v=DMARC1; {tag}; {text}"),
    }
}

/// What a tag means, in plain words, for the page's table.
pub fn explain(tag: &Tag) -> String {
    let v = tag.value.as_str();
    let policy = |who: &str| match Policy::parse(v) {
        Some(p) => format!("{who}: {}.", p.words()),
        None => format!("{who}: not a valid policy, so the default applies."),
    };
    match tag.name.as_str() {
        "v" => "Version: this is a DMARC record.".to_owned(),
        "p" => policy("Policy for the domain"),
        "sp" => policy("Policy for existing subdomains"),
        "np" => policy("Policy for subdomains that do not exist (RFC 9989)"),
        "adkim" => match v {
            "s" => {
                "DKIM alignment strict: the signing domain must equal the From domain.".to_owned()
            }
            _ => "DKIM alignment relaxed: the signing domain may be any domain of the same \
                  organization."
                .to_owned(),
        },
        "aspf" => match v {
            "s" => "SPF alignment strict: the envelope sender's domain must equal the From domain."
                .to_owned(),
            _ => "SPF alignment relaxed: the envelope sender's domain may be any domain of the \
                  same organization."
                .to_owned(),
        },
        "pct" => {
            format!("Apply the policy to {v}% of failing mail (RFC 7489; removed by RFC 9989).")
        }
        "rua" => "Where receivers send daily aggregate reports.".to_owned(),
        "ruf" => {
            "Where receivers send reports about single failing messages (few send them).".to_owned()
        }
        "fo" => "When failure reports are sent: 0 all checks fail, 1 any fails, d DKIM fails, s \
                 SPF fails."
            .to_owned(),
        "rf" => "Failure report format (removed by RFC 9989).".to_owned(),
        "ri" => format!(
            "Asked interval between aggregate reports: {v} seconds (removed by RFC 9989; daily in \
             practice)."
        ),
        "t" => match v {
            "y" => "Test mode: receivers are asked not to apply the policy (RFC 9989).".to_owned(),
            _ => "Not in test mode.".to_owned(),
        },
        "psd" => match v {
            "y" => "This domain is a public suffix (RFC 9989).".to_owned(),
            "n" => "This domain is its own organizational domain (RFC 9989).".to_owned(),
            _ => "Public suffix status unknown: the default (RFC 9989).".to_owned(),
        },
        _ => "Not a DMARC tag; receivers ignore it.".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(r: &DmarcRecord) -> Vec<&'static str> {
        crate::finding::test_support::codes(&r.findings)
    }

    fn finding<'a>(r: &'a DmarcRecord, code: &str) -> &'a Finding {
        crate::finding::test_support::finding(&r.findings, code)
    }

    #[test]
    fn a_good_record_reads_cleanly() {
        let r = lint_record(
            "v=DMARC1; p=reject; sp=reject; adkim=s; rua=mailto:dmarc@example.com,mailto:x@vendor.test",
        );
        assert_eq!(codes(&r), Vec::<&str>::new());
        assert_eq!(r.policy, Some(Policy::Reject));
        assert!(r.strict_dkim && !r.strict_spf);
        assert_eq!(r.rua.len(), 2);
        assert_eq!(r.rua[1].domain.as_deref(), Some("vendor.test"));
        assert_eq!(&r.text[r.rua[1].span.clone()], "mailto:x@vendor.test");
        assert!(is_dmarc(&r.text));
        assert!(is_dmarc("v=DMARC1"));
        assert!(!is_dmarc(" v=DMARC1; p=none") && !is_dmarc("v=dmarc1; p=none"));
    }

    #[test]
    fn each_problem_is_named_with_its_rule() {
        let r = lint_record(
            "v=DMARC1; pct=50; p=none; sp=none; np=bogus; rf=afrf; ri=3600; fo=1; t=y; polcy=reject",
        );
        for code in [
            "dmarc.pct",
            "dmarc.monitoring",
            "dmarc.invalid-value",
            "dmarc.removed-tag",
            "dmarc.testing",
            "dmarc.unknown-tag",
            "dmarc.policy-not-second",
            "dmarc.no-rua",
            "dmarc.fo-without-ruf",
        ] {
            assert!(codes(&r).contains(&code), "{code}: {:?}", codes(&r));
        }
        assert!(
            finding(&r, "dmarc.unknown-tag")
                .message
                .contains("typo of p?"),
            "{}",
            finding(&r, "dmarc.unknown-tag").message
        );
        assert!(finding(&r, "dmarc.pct").message.contains("RFC 9989"));
        assert_eq!(
            finding(&r, "dmarc.monitoring").fix.as_deref(),
            Some(
                "v=DMARC1; pct=50; p=quarantine; sp=none; np=bogus; rf=afrf; ri=3600; fo=1; t=y; polcy=reject"
            )
        );
        let weak = lint_record("v=DMARC1; p=reject; sp=quarantine; np=none; rua=mailto:a@b.test");
        assert!(
            codes(&weak).contains(&"dmarc.sp-weaker") && codes(&weak).contains(&"dmarc.np-weaker")
        );
    }

    #[test]
    fn version_and_policy_problems_come_with_the_record_to_publish() {
        let r = lint_record("p=reject; v=DMARC1");
        assert_eq!(
            finding(&r, "dmarc.version").fix.as_deref(),
            Some("v=DMARC1; p=reject")
        );
        let r = lint_record("v=dmarc1; p=reject");
        assert_eq!(
            finding(&r, "dmarc.version").fix.as_deref(),
            Some("v=DMARC1; p=reject")
        );
        let r = lint_record("v=DMARC1; rua=mailto:d@example.com");
        let f = finding(&r, "dmarc.no-policy");
        assert!(f.message.contains("p=none because rua="));
        assert_eq!(
            f.fix.as_deref(),
            Some("v=DMARC1; p=none; rua=mailto:d@example.com")
        );
        let r = lint_record("v=DMARC1");
        assert!(
            finding(&r, "dmarc.no-policy")
                .message
                .contains("no DMARC at all")
        );
    }

    #[test]
    fn report_addresses_are_checked_one_by_one() {
        let r = lint_record(
            "v=DMARC1; p=none; rua=dmarc@example.com, mailto:a@b.test!10m,mailto:bad, https://x.test/r,,mailto:c@d.test!big",
        );
        let uri: Vec<&Finding> = r
            .findings
            .iter()
            .filter(|f| f.code == "dmarc.report-uri")
            .collect();
        assert_eq!(uri.len(), 5, "{:?}", codes(&r));
        assert!(
            uri[0].fix.as_deref().unwrap().starts_with(
                "v=DMARC1; p=none; rua=mailto:dmarc@example.com, mailto:a@b.test!10m,"
            )
        );
        assert_eq!(&r.text[uri[0].span.clone().unwrap()], "dmarc@example.com");
        assert_eq!(
            uri[2].severity,
            Severity::Warning,
            "https is legal, rarely supported"
        );
        assert!(codes(&r).contains(&"dmarc.size-limit"));
        assert_eq!(r.rua.iter().filter(|u| u.address.is_some()).count(), 2);
    }

    #[test]
    fn pasted_wrapping_comes_off() {
        let r = lint_pasted(
            "_dmarc.example.com. 300 IN TXT \"v=DMARC1; p=reject; \" \"rua=mailto:d@example.com\"",
        );
        assert_eq!(r.text, "v=DMARC1; p=reject; rua=mailto:d@example.com");
        assert_eq!(codes(&r), ["dmarc.zone-line", "dmarc.split-strings"]);
        assert!(
            codes(&lint_pasted(
                "“v=DMARC1; p=reject; rua=mailto:d@example.com”"
            ))
            .contains(&"dmarc.smart-quotes")
        );
        for text in [
            "",
            ";",
            "v=",
            "v=DMARC1;;",
            "rua=mailto:",
            "rua=,",
            "rua=mailto:@",
            "v=DMARC1; rua=mailto:a@b.test!",
        ] {
            let r = lint_pasted(text);
            for f in &r.findings {
                if let Some(s) = &f.span {
                    assert!(s.end <= r.text.len(), "{text:?}: {f:?}");
                }
            }
        }
    }
}
