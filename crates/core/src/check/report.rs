//! A check's report as people and programs read it: one summary row per area, every finding
//! of an area, and the whole report as JSON (the CLI's `--json`, the page's download) and as
//! Markdown (to paste into a ticket).

use super::{Area, PolicyState, Report, client, host::HostState, mx::MxState, worst};
use crate::dkim::discover::State as KeyState;
use crate::dns::txt::TxtLookup;
use crate::finding::{Finding, Severity, json_string};
use crate::spf::analysis::Status as SpfStatus;

/// How an area came out, for its summary row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AreaStatus {
    /// Still being looked up.
    Pending,
    /// Nothing wrong.
    Pass,
    Warning,
    Error,
    /// Not published; optional areas only.
    NotConfigured,
    /// The resolver could not answer.
    Failed,
}

impl AreaStatus {
    /// The word used in JSON and as a CSS class.
    pub const fn key(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Pass => "pass",
            Self::Warning => "warning",
            Self::Error => "error",
            Self::NotConfigured => "not-configured",
            Self::Failed => "failed",
        }
    }

    /// The word people see.
    pub const fn words(self) -> &'static str {
        match self {
            Self::Pending => "Checking",
            Self::Pass => "Passes",
            Self::Warning => "Warnings",
            Self::Error => "Errors",
            Self::NotConfigured => "Not configured",
            Self::Failed => "Lookup failed",
        }
    }
}

/// One summary row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub area: Area,
    pub status: AreaStatus,
    /// One line saying why.
    pub line: String,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Report {
    /// The domain checked.
    pub fn domain(&self) -> &str {
        self.request.domain.trim_end_matches('.')
    }

    /// The TLS-RPT or BIMI area (`None` for the other areas, or until it is in).
    pub fn txt_area(&self, area: Area) -> Option<&super::TxtArea> {
        match area {
            Area::TlsRpt => self.tlsrpt.as_ref(),
            Area::Bimi => self.bimi.as_ref(),
            _ => None,
        }
    }

    /// Every finding of `area`, in the order the section shows them.
    pub fn findings(&self, area: Area) -> Vec<&Finding> {
        match area {
            Area::Mx => self
                .mx
                .as_ref()
                .map(|m| m.all_findings())
                .unwrap_or_default(),
            Area::Spf => self
                .spf
                .as_ref()
                .map(|s| {
                    s.findings
                        .iter()
                        .chain(&s.analysis.findings)
                        .chain(s.analysis.nodes.iter().flat_map(|n| &n.findings))
                        .collect()
                })
                .unwrap_or_default(),
            Area::Dkim => self
                .dkim
                .as_ref()
                .map(|d| {
                    d.findings
                        .iter()
                        .chain(
                            d.selectors
                                .iter()
                                .filter(|s| s.is_interesting())
                                .flat_map(|s| s.all_findings()),
                        )
                        .collect()
                })
                .unwrap_or_default(),
            Area::Dmarc => self
                .dmarc
                .as_ref()
                .map(|d| d.all_findings())
                .unwrap_or_default(),
            Area::ReverseDns => self
                .rdns
                .as_ref()
                .map(|r| r.entries.iter().flat_map(|e| &e.findings).collect())
                .unwrap_or_default(),
            Area::MtaSts => self
                .mta_sts
                .as_ref()
                .map(|m| {
                    let policy: &[Finding] = match &m.policy {
                        Some(PolicyState::Read(p)) => &p.findings,
                        _ => &[],
                    };
                    m.findings
                        .iter()
                        .chain(m.record.iter().flat_map(|r| &r.findings))
                        .chain(policy)
                        .collect()
                })
                .unwrap_or_default(),
            Area::TlsRpt | Area::Bimi => self
                .txt_area(area)
                .map(|a| {
                    a.findings
                        .iter()
                        .chain(a.record.iter().flat_map(|r| &r.findings))
                        .collect()
                })
                .unwrap_or_default(),
            Area::ClientConfig => self
                .client
                .as_ref()
                .map(client::ClientConfig::all_findings)
                .unwrap_or_default(),
            Area::Dnssec => self
                .dnssec
                .as_ref()
                .map(|d| d.findings.iter().collect())
                .unwrap_or_default(),
        }
    }

    /// Whether any area has an error.
    pub fn has_errors(&self) -> bool {
        Area::ALL
            .iter()
            .any(|a| worst(self.findings(*a)) == Some(Severity::Error))
    }

    /// The summary row of `area`.
    pub fn summary(&self, area: Area) -> Summary {
        let findings = self.findings(area);
        let by_worst = |line: String| {
            let status = match worst(findings.iter().copied()) {
                Some(Severity::Error) => AreaStatus::Error,
                Some(Severity::Warning) => AreaStatus::Warning,
                _ => AreaStatus::Pass,
            };
            Summary { area, status, line }
        };
        let pending = Summary {
            area,
            status: AreaStatus::Pending,
            line: "Looking up…".into(),
        };
        let failed = |why: &str| Summary {
            area,
            status: AreaStatus::Failed,
            line: format!("The lookup failed: {why}"),
        };
        let not_configured = |line: &str| Summary {
            area,
            status: AreaStatus::NotConfigured,
            line: line.into(),
        };
        let first_problem = || {
            // The first of the worst.
            let worst = worst(findings.iter().copied()).filter(|s| *s > Severity::Info)?;
            findings
                .iter()
                .find(|f| f.severity == worst)
                .map(|f| first_sentence(&f.message))
        };
        match area {
            Area::Mx => {
                let Some(mx) = &self.mx else { return pending };
                match &mx.state {
                    MxState::Failed(why) => failed(why),
                    MxState::Null => by_worst("Null MX: the domain accepts no mail".into()),
                    MxState::NoMx { .. } => by_worst(first_problem().unwrap_or_default()),
                    MxState::Hosts(hosts) => by_worst(first_problem().unwrap_or_else(|| {
                        let list: Vec<String> = hosts
                            .iter()
                            .map(|h| format!("{} ({})", h.host.name, h.preference))
                            .collect();
                        format!(
                            "{}: {}",
                            plural(hosts.len(), "host", "hosts"),
                            list.join(", ")
                        )
                    })),
                }
            }
            Area::Spf => {
                let Some(spf) = &self.spf else { return pending };
                let root = spf.analysis.nodes.first();
                match root.map(|n| &n.status) {
                    Some(SpfStatus::LookupFailed(why)) => failed(why),
                    Some(SpfStatus::NoRecord) => by_worst("No SPF record".into()),
                    _ => by_worst(first_problem().unwrap_or_else(|| {
                        let mut line = format!(
                            "{} of {} DNS lookups",
                            spf.analysis.lookups,
                            crate::spf::analysis::LOOKUP_LIMIT
                        );
                        if let Some((ip, e)) = &spf.sender {
                            line.push_str(&format!("; {ip}: {}", e.result.name()));
                        }
                        line
                    })),
                }
            }
            Area::Dkim => {
                let Some(d) = &self.dkim else { return pending };
                let found: Vec<String> = d
                    .selectors
                    .iter()
                    .filter_map(|s| match &s.state {
                        KeyState::Found(records) => Some(format!(
                            "{} ({})",
                            s.selector,
                            records.first().map(|r| r.key.words()).unwrap_or_default()
                        )),
                        _ => None,
                    })
                    .collect();
                let all_failed = !d.selectors.is_empty()
                    && d.selectors
                        .iter()
                        .all(|s| matches!(s.state, KeyState::Failed(_)));
                if all_failed {
                    return failed("no selector could be looked up");
                }
                by_worst(first_problem().unwrap_or_else(|| {
                    if found.is_empty() {
                        "No key found; give your selector".into()
                    } else {
                        format!(
                            "{}: {}",
                            plural(found.len(), "key", "keys"),
                            found.join(", ")
                        )
                    }
                }))
            }
            Area::Dmarc => {
                let Some(d) = &self.dmarc else { return pending };
                if let Some(TxtLookup::Failed(why)) = d.walk.steps.first().map(|s| &s.lookup) {
                    return failed(why);
                }
                by_worst(first_problem().unwrap_or_else(|| match &d.applied {
                    Some(a) => format!(
                        "p={} from {}",
                        a.policy.map_or("none", |p| p.as_str()),
                        a.domain
                    ),
                    None => "No DMARC record".into(),
                }))
            }
            Area::ReverseDns => {
                let Some(r) = &self.rdns else { return pending };
                if r.entries.is_empty() {
                    return not_configured("No mail server addresses to check");
                }
                if r.entries.iter().all(|e| e.failed.is_some()) {
                    return failed("no PTR question was answered");
                }
                let confirmed = r.entries.iter().filter(|e| e.confirmed()).count();
                by_worst(first_problem().unwrap_or_else(|| {
                    format!(
                        "{confirmed} of {} forward-confirmed",
                        plural(r.entries.len(), "address", "addresses")
                    )
                }))
            }
            Area::MtaSts => {
                let Some(m) = &self.mta_sts else {
                    return pending;
                };
                if let TxtLookup::Failed(why) = &m.published.lookup {
                    return failed(why);
                }
                if m.record.is_none() && worst(findings.iter().copied()) == Some(Severity::Info) {
                    return not_configured("No MTA-STS record");
                }
                by_worst(first_problem().unwrap_or_else(|| match &m.policy {
                    Some(PolicyState::Read(p)) => format!(
                        "Policy mode {}",
                        match p.mode {
                            Some(super::records::Mode::Enforce) => "enforce",
                            Some(super::records::Mode::Testing) => "testing",
                            _ => "none",
                        }
                    ),
                    _ => "Record published; policy not read here".into(),
                }))
            }
            Area::TlsRpt | Area::Bimi => {
                let Some(a) = self.txt_area(area) else {
                    return pending;
                };
                let (missing, tag, shown) = if area == Area::TlsRpt {
                    ("No TLS-RPT record", "rua", "Reports to")
                } else {
                    ("No BIMI record", "l", "Logo")
                };
                if let TxtLookup::Failed(why) = &a.published.lookup {
                    return failed(why);
                }
                if a.record.is_none() && worst(findings.iter().copied()) == Some(Severity::Info) {
                    return not_configured(missing);
                }
                by_worst(first_problem().unwrap_or_else(|| {
                    a.record
                        .as_ref()
                        .and_then(|r| r.get(tag))
                        .map_or_else(String::new, |t| format!("{shown} {}", t.value))
                }))
            }
            Area::ClientConfig => {
                let Some(c) = &self.client else {
                    return pending;
                };
                if c.failed() {
                    return failed("no question was answered");
                }
                if !c.configured() {
                    return not_configured("Nothing for mail apps to set themselves up with");
                }
                let mut parts = Vec::new();
                if c.autoconfig.state == HostState::Resolves {
                    parts.push("autoconfig".to_owned());
                }
                if c.autodiscover.state == HostState::Resolves {
                    parts.push("autodiscover".to_owned());
                }
                let srv = c.srv.iter().filter(|s| s.offered()).count();
                if srv > 0 {
                    parts.push(plural(srv, "SRV service", "SRV services"));
                }
                by_worst(first_problem().unwrap_or_else(|| parts.join(", ")))
            }
            Area::Dnssec => {
                let Some(d) = &self.dnssec else {
                    return pending;
                };
                if !d.bogus.is_empty() {
                    return by_worst("Answers failed DNSSEC validation".into());
                }
                if d.answers == 0 {
                    return not_configured("No answers to judge");
                }
                if d.authentic == 0 {
                    return not_configured("Not validated by the resolver");
                }
                by_worst(format!(
                    "{} of {} answers validated by the resolver (AD)",
                    d.authentic, d.answers
                ))
            }
        }
    }

    /// The report as JSON: the request, then per area its status, summary line, findings and
    /// the area's own data (the same JSON the single-area commands print).
    pub fn to_json(&self) -> String {
        let areas: Vec<String> = Area::ALL
            .iter()
            .map(|a| {
                let s = self.summary(*a);
                let findings: Vec<String> = self.findings(*a).iter().map(|f| f.to_json()).collect();
                format!(
                    "{}:{{\"status\":{},\"summary\":{},\"findings\":[{}],\"data\":{}}}",
                    json_string(a.key()),
                    json_string(s.status.key()),
                    json_string(&s.line),
                    findings.join(","),
                    self.area_json(*a)
                )
            })
            .collect();
        format!(
            "{{\"domain\":{},\"selectors\":[{}],\"ip\":{},\"errors\":{},\"areas\":{{{}}}}}",
            json_string(self.domain()),
            self.request
                .selectors
                .iter()
                .map(|s| json_string(s))
                .collect::<Vec<_>>()
                .join(","),
            self.request
                .ip
                .map_or("null".into(), |ip| json_string(&ip.to_string())),
            self.has_errors(),
            areas.join(",")
        )
    }

    fn area_json(&self, area: Area) -> String {
        let strings = |v: Vec<String>| {
            format!(
                "[{}]",
                v.iter()
                    .map(|s| json_string(s))
                    .collect::<Vec<_>>()
                    .join(",")
            )
        };
        let host_json = |h: &super::host::Host| {
            format!(
                "{{\"name\":{},\"addresses\":{},\"cnames\":{}}}",
                json_string(&h.name),
                strings(h.addresses().iter().map(ToString::to_string).collect()),
                strings(h.cnames.clone())
            )
        };
        let record = |r: &Option<super::records::TagRecord>| {
            r.as_ref().map_or("null".into(), |r| json_string(&r.text))
        };
        match area {
            Area::Mx => self.mx.as_ref().map_or("null".into(), |m| {
                let hosts: Vec<String> = m
                    .hosts()
                    .iter()
                    .map(|h| {
                        format!(
                            "{{\"preference\":{},\"host\":{}}}",
                            h.preference,
                            host_json(&h.host)
                        )
                    })
                    .collect();
                format!(
                    "{{\"null_mx\":{},\"hosts\":[{}]}}",
                    m.is_null(),
                    hosts.join(",")
                )
            }),
            Area::Spf => self.spf.as_ref().map_or("null".into(), |s| {
                let sender = s.sender.as_ref().map_or("null".into(), |(ip, e)| {
                    format!(
                        "{{\"ip\":{},\"result\":{},\"reason\":{}}}",
                        json_string(&ip.to_string()),
                        json_string(e.result.name()),
                        json_string(&e.reason)
                    )
                });
                format!(
                    "{{\"analysis\":{},\"sender\":{sender}}}",
                    s.analysis.to_json()
                )
            }),
            Area::Dkim => self.dkim.as_ref().map_or("null".into(), |d| d.to_json()),
            Area::Dmarc => self.dmarc.as_ref().map_or("null".into(), |d| d.to_json()),
            Area::ReverseDns => self.rdns.as_ref().map_or("null".into(), |r| {
                let entries: Vec<String> = r
                    .entries
                    .iter()
                    .map(|e| {
                        format!(
                            "{{\"ip\":{},\"role\":{},\"ptr\":{},\"confirmed\":{}}}",
                            json_string(&e.ip.to_string()),
                            json_string(match &e.role {
                                super::rdns::Role::Mx(h) => h,
                                super::rdns::Role::Sender => "sender",
                            }),
                            strings(e.names.iter().map(|n| n.name.clone()).collect()),
                            e.confirmed()
                        )
                    })
                    .collect();
                format!("[{}]", entries.join(","))
            }),
            Area::MtaSts => self.mta_sts.as_ref().map_or("null".into(), |m| {
                let policy = match &m.policy {
                    Some(PolicyState::Read(p)) => json_string(&p.text),
                    _ => "null".into(),
                };
                format!(
                    "{{\"record\":{},\"policy_url\":{},\"policy\":{policy}}}",
                    record(&m.record),
                    json_string(&m.policy_url)
                )
            }),
            Area::TlsRpt => self
                .tlsrpt
                .as_ref()
                .map_or("null".into(), |t| format!("{{\"record\":{}}}", record(&t.record))),
            Area::Bimi => self
                .bimi
                .as_ref()
                .map_or("null".into(), |t| format!("{{\"record\":{}}}", record(&t.record))),
            Area::ClientConfig => self.client.as_ref().map_or("null".into(), |c| {
                let srv: Vec<String> = c
                    .srv
                    .iter()
                    .map(|s| {
                        let targets: Vec<String> = match &s.state {
                            client::SrvState::Targets(t) => t
                                .iter()
                                .map(|t| {
                                    format!(
                                        "{{\"priority\":{},\"weight\":{},\"port\":{},\"target\":{}}}",
                                        t.priority,
                                        t.weight,
                                        t.port,
                                        json_string(&t.target)
                                    )
                                })
                                .collect(),
                            _ => Vec::new(),
                        };
                        format!(
                            "{{\"name\":{},\"offered\":{},\"targets\":[{}]}}",
                            json_string(&s.name),
                            s.offered(),
                            targets.join(",")
                        )
                    })
                    .collect();
                format!(
                    "{{\"autoconfig\":{},\"autodiscover\":{},\"srv\":[{}]}}",
                    host_json(&c.autoconfig),
                    host_json(&c.autodiscover),
                    srv.join(",")
                )
            }),
            Area::Dnssec => self.dnssec.as_ref().map_or("null".into(), |d| {
                format!(
                    "{{\"answers\":{},\"authentic\":{}}}",
                    d.answers, d.authentic
                )
            }),
        }
    }

    /// The report as Markdown: a summary table, then each area's findings with their fixes.
    pub fn to_markdown(&self) -> String {
        let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        let mut out = format!("# Email DNS check: {}\n\n", self.domain());
        out.push_str("| Area | Result | Summary |\n|---|---|---|\n");
        for a in Area::ALL {
            let s = self.summary(a);
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                a.title(),
                s.status.words(),
                cell(&s.line)
            ));
        }
        for a in Area::ALL {
            let findings = self.findings(a);
            if findings.is_empty() {
                continue;
            }
            out.push_str(&format!("\n## {}\n\n", a.title()));
            for f in findings {
                out.push_str(&format!(
                    "- **{}** `{}`: {}{}\n",
                    f.severity.as_str(),
                    f.code,
                    f.message,
                    if f.rfc.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", f.rfc)
                    }
                ));
                if let Some(fix) = &f.fix {
                    // A fence longer than any backtick run in the fix.
                    let mut fence = "```".to_owned();
                    while fix.contains(&fence) {
                        fence.push('`');
                    }
                    out.push_str(&format!(
                        "\n  {fence}\n  {}\n  {fence}\n\n",
                        fix.replace('\n', "\n  ")
                    ));
                }
            }
        }
        out
    }
}

/// The first sentence of a message (for one-line summaries).
fn first_sentence(message: &str) -> String {
    let mut end = message.len();
    for (i, _) in message.match_indices(". ") {
        // Not after a single letter or digit run like "e.g" or a version "1. ".
        let before = &message[..i];
        if before.chars().last().is_some_and(char::is_alphanumeric)
            && !before.ends_with("e.g")
            && !before.ends_with("i.e")
        {
            end = i + 1;
            break;
        }
    }
    message[..end].trim().to_owned()
}
