//! The small versioned TXT records a check reads: MTA-STS (`_mta-sts`, RFC 8461 §3.1),
//! TLS-RPT (`_smtp._tls`, RFC 8460 §3) and BIMI (`default._bimi`,
//! draft-brand-indicators-for-message-identification §4). All three are `;`-separated tag lists
//! that must start with their version, and receivers ignore TXT records at the name that do
//! not; more than one record that does is an error for all three.

use crate::dns::Resolver;
use crate::dns::txt::{TxtLookup, lookup_txt};
use crate::finding::Finding;
use crate::tags::{Tag, TagList, replace};

/// A TXT name and the records there that start with the version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    pub name: String,
    pub lookup: TxtLookup,
    /// The texts that start with `v=<version>` (ASCII case ignored, as receivers select them).
    pub records: Vec<String>,
}

impl Published {
    /// TXT records at the name that are not records of this kind.
    pub fn others(&self) -> Vec<&String> {
        self.lookup
            .texts()
            .iter()
            .filter(|t| !self.records.contains(t))
            .collect()
    }
}

/// Looks up `name`'s TXT records and picks those that start with `v=<version>`.
pub async fn published<R: Resolver>(resolver: &R, name: &str, version: &str) -> Published {
    let lookup = lookup_txt(resolver, name).await;
    let prefix = format!("v={version}").to_ascii_lowercase();
    let records = lookup
        .texts()
        .iter()
        .filter(|t| {
            let t = t.trim_start().to_ascii_lowercase();
            t.starts_with(&prefix)
                && t[prefix.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| c == ';' || c == ' ' || c == '\t')
        })
        .cloned()
        .collect();
    Published {
        name: name.to_owned(),
        lookup,
        records,
    }
}

/// A tag-list record read with its version checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagRecord {
    pub text: String,
    pub tags: TagList,
    pub findings: Vec<Finding>,
}

impl TagRecord {
    /// The value of tag `name`.
    pub fn get(&self, name: &str) -> Option<&Tag> {
        self.tags.get(name)
    }
}

/// Codes of one record kind.
pub(crate) struct Codes {
    pub syntax: &'static str,
    pub version: &'static str,
    pub rfc_name: &'static str,
}

/// Reads `text` as a tag list that must start with `v=<version>` exactly.
pub(crate) fn read(text: &str, version: &str, codes: &Codes) -> TagRecord {
    let tags = TagList::parse(text);
    let mut findings: Vec<Finding> = tags
        .errors
        .iter()
        .map(|e| Finding::new(codes.syntax, e.message()).at(e.span()))
        .collect();
    let want = format!("v={version}");
    match tags.tags.first() {
        Some(v) if v.name == "v" && v.value == version => {}
        Some(v) if v.name.eq_ignore_ascii_case("v") && v.value.eq_ignore_ascii_case(version) => {
            findings.push(
                Finding::new(
                    codes.version,
                    format!(
                        "The version must be written {want} exactly; receivers compare it \
                         case by case and ignore this {} record.",
                        codes.rfc_name
                    ),
                )
                .at(v.span.clone())
                .fix(replace(text, &v.span, &want)),
            );
        }
        _ => {
            let at = tags.tags.iter().find(|t| t.name.eq_ignore_ascii_case("v"));
            let fix = match at {
                Some(v) => {
                    let rest = crate::tags::without(text, &v.span);
                    format!("{want}; {}", rest.trim_start_matches([';', ' ']))
                }
                None => format!("{want}; {}", text.trim()),
            };
            findings.push(
                Finding::new(
                    codes.version,
                    format!(
                        "A {} record must start with {want}; receivers ignore this one.",
                        codes.rfc_name
                    ),
                )
                .at(at.map_or(0..text.len().min(1), |v| v.span.clone()))
                .fix(fix),
            );
        }
    }
    TagRecord {
        text: text.to_owned(),
        tags,
        findings,
    }
}

/// Why `url` is not an `https://host/...` URL, if it is not.
pub fn https_problem(url: &str) -> Option<String> {
    let Some(rest) = url.strip_prefix("https://") else {
        return Some(if url.to_ascii_lowercase().starts_with("http://") {
            "it uses http:, not https:".into()
        } else {
            "it does not start with https://".into()
        });
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    if host.is_empty() || !host.contains('.') {
        return Some("it has no host name".into());
    }
    if let Some(c) = url
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>'))
    {
        return Some(format!("it contains {}", crate::tags::describe(c)));
    }
    if !host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        return Some(format!("its host {host} is not a host name"));
    }
    None
}

/// Whether a `mailto:` URI has an address in it.
fn mailto_problem(uri: &str) -> Option<String> {
    let address = uri.get(7..).unwrap_or_default();
    let address = address.split('?').next().unwrap_or_default();
    match address.split_once('@') {
        Some((local, domain)) if !local.is_empty() && domain.contains('.') => {
            if address.chars().any(char::is_whitespace) {
                Some("it contains a space".into())
            } else {
                None
            }
        }
        _ => Some(format!("{address:?} is not an email address")),
    }
}

// ---------------------------------------------------------------------------------------------
// MTA-STS

const STS: Codes = Codes {
    syntax: "mta-sts.syntax",
    version: "mta-sts.version",
    rfc_name: "MTA-STS",
};

/// Reads and lints an `_mta-sts` record.
pub fn lint_sts_record(text: &str) -> TagRecord {
    let mut record = read(text, "STSv1", &STS);
    match record.tags.get("id").cloned() {
        None => record.findings.push(
            Finding::new(
                "mta-sts.id",
                "The record has no id=. Senders use it to notice a new policy; without it they \
                 ignore the record.",
            )
            .fix(format!(
                "{}; id={}",
                text.trim_end_matches([';', ' ']),
                "20240101000000"
            )),
        ),
        Some(id) => {
            let ok = (1..=32).contains(&id.value.len())
                && id.value.bytes().all(|b| b.is_ascii_alphanumeric());
            if !ok {
                record.findings.push(
                    Finding::new(
                        "mta-sts.id",
                        format!(
                            "id={} is not 1 to 32 letters and digits; senders ignore the record.",
                            id.value
                        ),
                    )
                    .at(id.span.clone()),
                );
            }
        }
    }
    record
}

/// How a policy's mode reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Enforce,
    Testing,
    None,
}

/// An MTA-STS policy file (RFC 8461 §3.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    pub text: String,
    pub mode: Option<Mode>,
    pub max_age: Option<u64>,
    /// The `mx:` patterns, as written.
    pub mx: Vec<String>,
    pub findings: Vec<Finding>,
}

/// The largest max_age (RFC 8461 §3.2: about a year).
pub const MAX_AGE_LIMIT: u64 = 31_557_600;

/// Reads and lints a policy file; `mx_hosts` (when known) are checked against its patterns.
pub fn lint_policy(text: &str, mx_hosts: &[String]) -> Policy {
    let mut p = Policy {
        text: text.to_owned(),
        mode: None,
        max_age: None,
        mx: Vec::new(),
        findings: Vec::new(),
    };
    let mut version = None;
    let mut offset = 0;
    for raw in text.split('\n') {
        let start = offset;
        offset += raw.len() + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let span = start..start + line.len();
        if line.trim().is_empty() {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            p.findings.push(
                Finding::new(
                    "mta-sts.policy-syntax",
                    format!("The line {line:?} is not \"key: value\"."),
                )
                .at(span),
            );
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        match key {
            "version" => {
                if value != "STSv1" {
                    p.findings.push(
                        Finding::new(
                            "mta-sts.policy-syntax",
                            format!("version: {value} is not STSv1."),
                        )
                        .at(span)
                        .fix("version: STSv1"),
                    );
                }
                version = Some(value.to_owned());
            }
            "mode" => {
                p.mode = match value {
                    "enforce" => Some(Mode::Enforce),
                    "testing" => Some(Mode::Testing),
                    "none" => Some(Mode::None),
                    _ => {
                        p.findings.push(
                            Finding::new(
                                "mta-sts.policy-syntax",
                                format!(
                                    "mode: {value} is not enforce, testing or none; senders \
                                     ignore the policy."
                                ),
                            )
                            .at(span),
                        );
                        None
                    }
                }
            }
            "max_age" => match value.parse::<u64>() {
                Ok(age) if value.len() <= 10 => {
                    p.max_age = Some(age);
                    if age > MAX_AGE_LIMIT {
                        p.findings.push(
                            Finding::new(
                                "mta-sts.max-age",
                                format!(
                                    "max_age {age} is more than {MAX_AGE_LIMIT} seconds (a \
                                     year), the most RFC 8461 allows."
                                ),
                            )
                            .at(span)
                            .severity(crate::finding::Severity::Error)
                            .fix("max_age: 604800"),
                        );
                    } else if age < 86_400 {
                        p.findings.push(
                            Finding::new(
                                "mta-sts.max-age",
                                format!(
                                    "max_age {age} is less than a day: senders forget the \
                                     policy quickly and an attacker who blocks the fetch wins. \
                                     Use a week or more once the policy works."
                                ),
                            )
                            .at(span)
                            .fix("max_age: 604800"),
                        );
                    }
                }
                _ => p.findings.push(
                    Finding::new(
                        "mta-sts.policy-syntax",
                        format!("max_age: {value} is not a number of seconds."),
                    )
                    .at(span),
                ),
            },
            "mx" => p.mx.push(value.to_ascii_lowercase()),
            _ => {}
        }
    }
    if version.is_none() {
        p.findings.push(
            Finding::new(
                "mta-sts.policy-syntax",
                "The policy has no \"version: STSv1\" line; senders ignore it.",
            )
            .fix(format!("version: STSv1\n{}", text.trim_start())),
        );
    }
    if p.mode.is_none() && !p.findings.iter().any(|f| f.message.starts_with("mode:")) {
        p.findings.push(Finding::new(
            "mta-sts.policy-syntax",
            "The policy has no mode: line (enforce, testing or none); senders ignore it.",
        ));
    }
    if p.max_age.is_none() && !p.findings.iter().any(|f| f.message.starts_with("max_age")) {
        p.findings.push(Finding::new(
            "mta-sts.policy-syntax",
            "The policy has no max_age: line; senders ignore it.",
        ));
    }
    match p.mode {
        Some(Mode::Testing) => p.findings.push(Finding::new(
            "mta-sts.testing",
            "The policy is in testing mode: senders report failures (with TLS-RPT) but still \
             deliver over unprotected connections. Switch to mode: enforce once reports are clean.",
        )),
        Some(Mode::None) => p.findings.push(Finding::new(
            "mta-sts.mode-none",
            "The policy's mode is none: MTA-STS is switched off for this domain.",
        )),
        _ => {}
    }
    if matches!(p.mode, Some(Mode::Enforce | Mode::Testing)) && p.mx.is_empty() {
        p.findings.push(Finding::new(
            "mta-sts.policy-syntax",
            "The policy lists no mx: line; in enforce mode no MX host is allowed and mail \
             cannot be delivered.",
        ));
    }
    p.check_hosts(mx_hosts);
    p
}

impl Policy {
    /// Adds a finding for each of `mx_hosts` no `mx:` line matches (in enforce and testing
    /// mode). A check calls it once the MX records are in, on the policy it read earlier.
    pub fn check_hosts(&mut self, mx_hosts: &[String]) {
        if !matches!(self.mode, Some(Mode::Enforce | Mode::Testing)) || self.mx.is_empty() {
            return;
        }
        for host in mx_hosts {
            if self.mx.iter().any(|pattern| mx_matches(pattern, host)) {
                continue;
            }
            self.findings.push(
                Finding::new(
                    "mta-sts.mx-not-covered",
                    format!(
                        "The MX host {host} matches no mx: line of the policy ({}). {}",
                        self.mx.join(", "),
                        if self.mode == Some(Mode::Enforce) {
                            "Senders that enforce the policy will not deliver to it."
                        } else {
                            "Senders will report it as a failure."
                        }
                    ),
                )
                .fix(format!("mx: {host}")),
            );
        }
    }
}

/// Whether `host` matches the policy pattern (`mail.example.com`, or `*.example.com` for one
/// label more, RFC 8461 §4.1).
pub fn mx_matches(pattern: &str, host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let pattern = pattern.trim_end_matches('.').to_ascii_lowercase();
    match pattern.strip_prefix("*.") {
        Some(parent) => host
            .split_once('.')
            .is_some_and(|(first, rest)| !first.is_empty() && rest == parent),
        None => host == pattern,
    }
}

// ---------------------------------------------------------------------------------------------
// TLS-RPT

const TLSRPT: Codes = Codes {
    syntax: "tlsrpt.syntax",
    version: "tlsrpt.version",
    rfc_name: "TLS-RPT",
};

/// Reads and lints an `_smtp._tls` record.
pub fn lint_tlsrpt_record(text: &str) -> TagRecord {
    let mut record = read(text, "TLSRPTv1", &TLSRPT);
    let Some(rua) = record.tags.get("rua").cloned() else {
        record.findings.push(
            Finding::new(
                "tlsrpt.no-rua",
                "The record has no rua=, so nobody receives the reports.",
            )
            .fix(format!(
                "{}; rua=mailto:tls-reports@example.com",
                text.trim_end_matches([';', ' '])
            )),
        );
        return record;
    };
    let mut at = rua.value_span.start;
    for uri in rua.value.split(',') {
        let span = at..at + uri.len();
        at = span.end + 1;
        let trimmed = uri.trim();
        let lower = trimmed.to_ascii_lowercase();
        let problem = if lower.starts_with("mailto:") {
            mailto_problem(trimmed)
        } else if lower.starts_with("https:") {
            https_problem(trimmed)
        } else if trimmed.contains('@') && !trimmed.contains(':') {
            record.findings.push(
                Finding::new(
                    "tlsrpt.bad-uri",
                    format!("{trimmed} needs mailto: in front of it."),
                )
                .at(span)
                .fix(replace(
                    text,
                    &rua.value_span,
                    &rua.value.replace(trimmed, &format!("mailto:{trimmed}")),
                )),
            );
            continue;
        } else {
            Some("reports go to mailto: or https: URIs only".into())
        };
        if let Some(problem) = problem {
            record.findings.push(
                Finding::new(
                    "tlsrpt.bad-uri",
                    format!("The report destination {trimmed} is not usable: {problem}."),
                )
                .at(span),
            );
        }
    }
    record
}

// ---------------------------------------------------------------------------------------------
// BIMI

const BIMI: Codes = Codes {
    syntax: "bimi.syntax",
    version: "bimi.version",
    rfc_name: "BIMI",
};

/// Reads and lints a `default._bimi` record.
pub fn lint_bimi_record(text: &str) -> TagRecord {
    let mut record = read(text, "BIMI1", &BIMI);
    let logo = record.tags.get("l").cloned();
    let authority = record.tags.get("a").cloned();
    let empty = |t: &Option<Tag>| t.as_ref().is_none_or(|t| t.value.is_empty());
    if empty(&logo) && empty(&authority) {
        record.findings.push(Finding::new(
            "bimi.declined",
            "The record has no logo (l= is empty): the domain declines to show a BIMI logo.",
        ));
        return record;
    }
    match &logo {
        Some(l) if !l.value.is_empty() => {
            let problem = https_problem(&l.value).or_else(|| {
                let path = l.value.split(['?', '#']).next().unwrap_or_default();
                (!path.to_ascii_lowercase().ends_with(".svg"))
                    .then(|| "the logo must be an SVG file (SVG Tiny Portable/Secure)".to_owned())
            });
            if let Some(problem) = problem {
                record.findings.push(
                    Finding::new(
                        "bimi.logo-url",
                        format!("The logo URL {} is not usable: {problem}.", l.value),
                    )
                    .at(l.value_span.clone()),
                );
            }
        }
        _ => record.findings.push(Finding::new(
            "bimi.logo-url",
            "The record has an authority (a=) but no logo URL (l=); mailbox providers need the \
             logo.",
        )),
    }
    match &authority {
        Some(a) if !a.value.is_empty() => {
            let problem = https_problem(&a.value).or_else(|| {
                let path = a.value.split(['?', '#']).next().unwrap_or_default();
                (!path.to_ascii_lowercase().ends_with(".pem")).then(|| {
                    "the evidence document (VMC or CMC certificate) is a .pem file".to_owned()
                })
            });
            if let Some(problem) = problem {
                record.findings.push(
                    Finding::new(
                        "bimi.authority-url",
                        format!("The authority URL {} is not usable: {problem}.", a.value),
                    )
                    .at(a.value_span.clone()),
                );
            }
        }
        _ => record.findings.push(Finding::new(
            "bimi.no-authority",
            "The record has no a= (no Verified or Common Mark Certificate). Gmail and Apple Mail \
             show BIMI logos only with one; others may show the logo without it.",
        )),
    }
    record
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::test_support::codes;

    #[test]
    fn mta_sts_records() {
        assert!(
            lint_sts_record("v=STSv1; id=20240101T000000")
                .findings
                .is_empty()
        );
        assert_eq!(
            codes(&lint_sts_record("v=STSv1; id=2024-01-01").findings),
            ["mta-sts.id"]
        );
        assert_eq!(codes(&lint_sts_record("v=STSv1;").findings), ["mta-sts.id"]);
        let case = lint_sts_record("v=stsv1; id=1");
        assert_eq!(codes(&case.findings), ["mta-sts.version"]);
        assert_eq!(case.findings[0].fix.as_deref(), Some("v=STSv1; id=1"));
        let order = lint_sts_record("id=1; v=STSv1");
        assert_eq!(order.findings[0].fix.as_deref(), Some("v=STSv1; id=1"));
    }

    #[test]
    fn policies_and_mx_patterns() {
        let text = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.backup.example.com\r\nmax_age: 604800\r\n";
        let hosts = vec![
            "mail.example.com".to_owned(),
            "b1.backup.example.com".to_owned(),
        ];
        let p = lint_policy(text, &hosts);
        assert!(p.findings.is_empty(), "{:?}", p.findings);
        assert_eq!(p.mode, Some(Mode::Enforce));
        assert_eq!(p.max_age, Some(604_800));
        let missing = lint_policy(text, &["other.example.net".to_owned()]);
        assert_eq!(codes(&missing.findings), ["mta-sts.mx-not-covered"]);
        assert_eq!(
            missing.findings[0].fix.as_deref(),
            Some("mx: other.example.net")
        );
        assert!(!mx_matches("*.example.com", "a.b.example.com"));
        assert!(mx_matches("*.example.com", "A.example.com."));
        let short = lint_policy(
            "version: STSv1\nmode: testing\nmx: m.t\nmax_age: 300\n",
            &[],
        );
        assert_eq!(
            codes(&short.findings),
            ["mta-sts.max-age", "mta-sts.testing"]
        );
        let broken = lint_policy("<html>oops</html>", &[]);
        assert!(
            codes(&broken.findings)
                .iter()
                .all(|c| *c == "mta-sts.policy-syntax")
        );
        assert_eq!(broken.findings.len(), 4);
    }

    #[test]
    fn tlsrpt_records() {
        assert!(
            lint_tlsrpt_record("v=TLSRPTv1; rua=mailto:tls@example.com,https://r.example.net/x")
                .findings
                .is_empty()
        );
        assert_eq!(
            codes(&lint_tlsrpt_record("v=TLSRPTv1").findings),
            ["tlsrpt.no-rua"]
        );
        let bare = lint_tlsrpt_record("v=TLSRPTv1; rua=tls@example.com");
        assert_eq!(codes(&bare.findings), ["tlsrpt.bad-uri"]);
        assert_eq!(
            bare.findings[0].fix.as_deref(),
            Some("v=TLSRPTv1; rua=mailto:tls@example.com")
        );
        assert_eq!(
            codes(&lint_tlsrpt_record("v=TLSRPTv1; rua=http://r.example.net").findings),
            ["tlsrpt.bad-uri"]
        );
    }

    #[test]
    fn bimi_records() {
        let good = "v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem";
        assert!(lint_bimi_record(good).findings.is_empty());
        assert_eq!(
            codes(&lint_bimi_record("v=BIMI1; l=https://example.com/logo.svg").findings),
            ["bimi.no-authority"]
        );
        assert_eq!(
            codes(
                &lint_bimi_record("v=BIMI1; l=http://example.com/logo.png; a=https://e.com/a.pem")
                    .findings
            ),
            ["bimi.logo-url"]
        );
        assert_eq!(
            codes(
                &lint_bimi_record("v=BIMI1; l=https://example.com/l.svg; a=https://e.com/a.crt")
                    .findings
            ),
            ["bimi.authority-url"]
        );
        assert_eq!(
            codes(&lint_bimi_record("v=BIMI1; l=;").findings),
            ["bimi.declined"]
        );
    }
}
