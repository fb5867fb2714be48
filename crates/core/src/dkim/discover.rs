//! Finding a domain's DKIM keys in DNS. There is no way to list selectors, so mxray asks for
//! the selectors the user gives, those named by pasted `DKIM-Signature` headers, and a documented
//! list of selectors common providers use, all at once. Keys delegated by CNAME (Microsoft 365,
//! most sending services) are followed and the host named. When a selector the user expects has
//! no key, the usual publishing mistakes are probed together and the one that happened is named.

use super::key::{KeyRecord, lint_key, looks_like_key};
use super::signature::SignatureRef;
use crate::dns::Resolver;
use crate::dns::txt::{TxtLookup, lookup_txt};
use crate::finding::{Finding, json_string};
use crate::join::join_all;

/// Selectors common providers publish, with who uses them. Probed when asked; a miss among these
/// is expected and never an error.
pub const COMMON_SELECTORS: &[(&str, &str)] = &[
    ("google", "Google Workspace"),
    ("selector1", "Microsoft 365"),
    ("selector2", "Microsoft 365"),
    ("k1", "Mailchimp, Mailgun"),
    ("k2", "Mailchimp"),
    ("k3", "Mailchimp"),
    ("s1", "SendGrid"),
    ("s2", "SendGrid"),
    ("smtpapi", "SendGrid (older accounts)"),
    ("mandrill", "Mandrill"),
    ("mte1", "Mailchimp Transactional"),
    ("fm1", "Fastmail"),
    ("fm2", "Fastmail"),
    ("fm3", "Fastmail"),
    ("protonmail", "Proton Mail"),
    ("protonmail2", "Proton Mail"),
    ("protonmail3", "Proton Mail"),
    ("zmail", "Zoho Mail"),
    ("zoho", "Zoho Mail"),
    ("sig1", "iCloud Mail"),
    ("kl", "Klaviyo"),
    ("kl2", "Klaviyo"),
    ("ctct1", "Constant Contact"),
    ("ctct2", "Constant Contact"),
    ("cm", "Campaign Monitor"),
    ("mailjet", "Mailjet"),
    ("resend", "Resend"),
    ("default", "cPanel, Plesk and many hosts"),
    ("dkim", "many self-hosted servers"),
    ("mail", "many self-hosted servers"),
    ("smtp", "many self-hosted servers"),
    ("key1", "various"),
    ("key2", "various"),
];

/// Why a selector was asked about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The user gave it.
    Given,
    /// A pasted `DKIM-Signature` named it.
    Signature,
    /// From [`COMMON_SELECTORS`], with who uses it.
    Common(&'static str),
}

impl Source {
    /// Whether the user expects a key here (given, or named by a signature), so a miss is an
    /// error; a common selector that is not there is expected.
    pub fn is_expected(&self) -> bool {
        !matches!(self, Self::Common(_))
    }
}

/// A publishing mistake that puts a key at the wrong name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mistake {
    /// `s._domainkey.example.com.example.com`: a DNS form appended the domain to a full name.
    DomainTwice,
    /// `s_domainkey.example.com`: the dot before `_domainkey` was lost.
    Glued,
    /// `s.domainkey.example.com`: the underscore was lost.
    NoUnderscore,
    /// `_domainkey.example.com`: the selector was left out.
    NoSelector,
    /// `example.com`: published at the domain itself.
    Apex,
}

impl Mistake {
    const ALL: [Self; 5] = [
        Self::DomainTwice,
        Self::Glued,
        Self::NoUnderscore,
        Self::NoSelector,
        Self::Apex,
    ];

    /// The name a key for `selector` at `domain` lands on with this mistake.
    pub fn name(self, selector: &str, domain: &str) -> String {
        match self {
            Self::DomainTwice => format!("{selector}._domainkey.{domain}.{domain}"),
            Self::Glued => format!("{selector}_domainkey.{domain}"),
            Self::NoUnderscore => format!("{selector}.domainkey.{domain}"),
            Self::NoSelector => format!("_domainkey.{domain}"),
            Self::Apex => domain.to_owned(),
        }
    }

    /// What happened, in words.
    pub fn words(self) -> &'static str {
        match self {
            Self::DomainTwice => {
                "the DNS provider's form added the domain to a name that already had it"
            }
            Self::Glued => "the dot between the selector and _domainkey was lost",
            Self::NoUnderscore => "the underscore of _domainkey was lost",
            Self::NoSelector => "the selector was left out of the name",
            Self::Apex => "it was published at the domain itself",
        }
    }
}

/// What one selector came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State {
    /// Key records at the name (more than one is itself a finding).
    Found(Vec<KeyRecord>),
    /// TXT records at the name, none of them a key.
    NotKey(Vec<String>),
    /// Nothing at the name; `misplaced` lists keys found at the usual wrong names.
    Missing {
        misplaced: Vec<(Mistake, String, KeyRecord)>,
    },
    /// The lookup failed.
    Failed(String),
}

/// One selector's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selector {
    pub selector: String,
    pub domain: String,
    pub source: Source,
    /// Where the key is looked up: `<selector>._domainkey.<domain>`.
    pub name: String,
    /// The CNAME target the key is served from, when it is delegated (a provider hosts it).
    pub hosted_at: Option<String>,
    pub state: State,
    /// DNS-level findings (the key records carry their own).
    pub findings: Vec<Finding>,
}

impl Selector {
    /// Every finding for this selector: DNS-level first, then each key record's.
    pub fn all_findings(&self) -> Vec<&Finding> {
        let mut all: Vec<&Finding> = self.findings.iter().collect();
        if let State::Found(records) = &self.state {
            for r in records {
                all.extend(&r.findings);
            }
        }
        all
    }

    /// Whether to show it: anything but a common selector that simply is not there.
    pub fn is_interesting(&self) -> bool {
        self.source.is_expected() || !matches!(self.state, State::Missing { .. })
    }
}

/// All selectors asked about for a domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Discovery {
    pub domain: String,
    pub selectors: Vec<Selector>,
    /// Findings about the domain as a whole (no key found anywhere).
    pub findings: Vec<Finding>,
    /// How many common selectors were probed.
    pub common_probed: usize,
}

/// What to look for.
#[derive(Clone, Debug, Default)]
pub struct Request {
    pub domain: String,
    pub selectors: Vec<String>,
    pub signatures: Vec<SignatureRef>,
    /// Probe [`COMMON_SELECTORS`] too.
    pub common: bool,
}

/// Looks up every selector of `request` at once, then probes the usual mistakes for the ones
/// the user expected and did not find.
pub async fn discover<R: Resolver>(resolver: &R, request: &Request) -> Discovery {
    let domain = request.domain.trim_end_matches('.').to_ascii_lowercase();
    let mut wanted: Vec<(String, String, Source)> = Vec::new();
    let mut add = |selector: &str, domain: &str, source: Source| {
        // A full key name pasted as a selector (`s1._domainkey.example.com`) means `s1`.
        let selector = selector
            .trim()
            .split("._domainkey")
            .next()
            .unwrap_or_default()
            .to_owned();
        if selector.is_empty()
            || wanted
                .iter()
                .any(|(s, d, _)| s.eq_ignore_ascii_case(&selector) && d == domain)
        {
            return;
        }
        wanted.push((selector, domain.to_owned(), source));
    };
    for s in &request.selectors {
        add(s, &domain, Source::Given);
    }
    for sig in &request.signatures {
        add(&sig.selector, &sig.domain, Source::Signature);
    }
    let mut common_probed = 0;
    if request.common && !domain.is_empty() {
        for (s, who) in COMMON_SELECTORS {
            common_probed += 1;
            add(s, &domain, Source::Common(who));
        }
    }

    let lookups = join_all(wanted.iter().map(|(s, d, _)| async move {
        lookup_txt(resolver, &format!("{s}._domainkey.{d}")).await
    }))
    .await;

    let mut selectors: Vec<Selector> = wanted
        .into_iter()
        .zip(lookups)
        .map(|((selector, domain, source), lookup)| {
            read_selector(selector, domain, source, &lookup)
        })
        .collect();

    // The usual mistakes, for every expected selector with nothing at its name, all at once.
    let probes: Vec<(usize, Mistake, String)> = selectors
        .iter()
        .enumerate()
        .filter(|(_, s)| s.source.is_expected() && matches!(s.state, State::Missing { .. }))
        .flat_map(|(i, s)| {
            Mistake::ALL
                .iter()
                .map(move |m| (i, *m, m.name(&s.selector, &s.domain)))
        })
        .collect();
    let answers = join_all(probes.iter().map(|(_, _, name)| lookup_txt(resolver, name))).await;
    for ((i, mistake, name), lookup) in probes.into_iter().zip(answers) {
        let Some(text) = lookup.texts().iter().find(|t| looks_like_key(t)) else {
            continue;
        };
        if let State::Missing { misplaced } = &mut selectors[i].state {
            misplaced.push((mistake, name, lint_key(text)));
        }
    }
    for s in &mut selectors {
        missing_findings(s);
    }

    let mut findings = Vec::new();
    let any_key = selectors.iter().any(|s| matches!(s.state, State::Found(_)));
    if !any_key && !selectors.iter().any(|s| s.source.is_expected()) && common_probed > 0 {
        findings.push(Finding::new(
            "dkim.no-common-selector",
            format!(
                "No DKIM key was found at any of {common_probed} common selectors of {domain}. \
                 Selectors cannot be listed: enter the one your mail provider gave you, or paste \
                 a DKIM-Signature header from a message you sent."
            ),
        ));
    }
    Discovery {
        domain,
        selectors,
        findings,
        common_probed,
    }
}

fn read_selector(selector: String, domain: String, source: Source, lookup: &TxtLookup) -> Selector {
    let name = format!("{selector}._domainkey.{domain}");
    let hosted_at = lookup.target().map(str::to_owned);
    let mut findings = Vec::new();
    let state = match lookup {
        TxtLookup::Found { texts, .. } => {
            let keys: Vec<KeyRecord> = texts
                .iter()
                .filter(|t| looks_like_key(t))
                .map(|t| lint_key(t))
                .collect();
            if keys.is_empty() {
                findings.push(Finding::new(
                    "dkim.not-a-key",
                    format!(
                        "{name} has TXT records, but none is a DKIM key (none starts with \
                         v=DKIM1 or has p=): {}",
                        texts
                            .iter()
                            .map(|t| format!("\"{t}\""))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
                State::NotKey(texts.clone())
            } else {
                if keys.len() > 1 {
                    findings.push(Finding::new(
                        "dkim.multiple-records",
                        format!(
                            "{name} has {} key records; verifiers may pick either, so signatures \
                             fail at random. Keep one.",
                            keys.len()
                        ),
                    ));
                }
                State::Found(keys)
            }
        }
        TxtLookup::Missing { .. } => State::Missing {
            misplaced: Vec::new(),
        },
        TxtLookup::Failed(why) => {
            findings.push(Finding::new(
                "dkim.lookup-failed",
                format!("Could not look up {name}: {why}"),
            ));
            State::Failed(why.clone())
        }
    };
    if let Some(target) = &hosted_at
        && matches!(state, State::Found(_))
    {
        findings.push(Finding::new(
            "dkim.delegated",
            format!(
                "{name} is a CNAME to {target}: the key is hosted there (by your mail provider), \
                 and they rotate it."
            ),
        ));
    }
    Selector {
        selector,
        domain,
        source,
        name,
        hosted_at,
        state,
        findings,
    }
}

/// Findings for an expected selector with no key at its name.
fn missing_findings(s: &mut Selector) {
    let State::Missing { misplaced } = &s.state else {
        return;
    };
    if !s.source.is_expected() {
        return;
    }
    if misplaced.is_empty() {
        s.findings.push(
            Finding::new(
                "dkim.no-record",
                format!(
                    "No DKIM key at {}. Mail signed with selector {} fails DKIM. Publish the key \
                     your provider gave you as a TXT record named {}._domainkey (most DNS forms \
                     add the domain themselves).",
                    s.name, s.selector, s.selector
                ),
            )
            .fix(format!("{}._domainkey", s.selector)),
        );
    }
    for (mistake, at, record) in misplaced {
        s.findings.push(
            Finding::new(
                "dkim.misplaced",
                format!(
                    "The key for selector {} is published at {at}, not {}: {}. Move the record \
                     to {}.",
                    s.selector,
                    s.name,
                    mistake.words(),
                    s.name
                ),
            )
            .fix(format!("{}. TXT \"{}\"", s.name, record.text)),
        );
    }
}

impl Discovery {
    /// The report as JSON, findings in the shared shape.
    pub fn to_json(&self) -> String {
        let selectors: Vec<String> = self
            .selectors
            .iter()
            .filter(|s| s.is_interesting())
            .map(|s| {
                let (state, records) = match &s.state {
                    State::Found(keys) => (
                        "found",
                        keys.iter()
                            .map(|k| {
                                format!(
                                    "{{\"text\":{},\"key\":{},\"usable\":{}}}",
                                    json_string(&k.text),
                                    json_string(&k.key.words()),
                                    k.key.is_usable()
                                )
                            })
                            .collect::<Vec<_>>(),
                    ),
                    State::NotKey(_) => ("not-a-key", Vec::new()),
                    State::Missing { .. } => ("missing", Vec::new()),
                    State::Failed(_) => ("failed", Vec::new()),
                };
                let source = match &s.source {
                    Source::Given => "given".to_owned(),
                    Source::Signature => "signature".to_owned(),
                    Source::Common(who) => format!("common ({who})"),
                };
                format!(
                    "{{\"selector\":{},\"name\":{},\"source\":{},\"state\":{},\"hosted_at\":{},\
                     \"records\":[{}],\"findings\":[{}]}}",
                    json_string(&s.selector),
                    json_string(&s.name),
                    json_string(&source),
                    json_string(state),
                    s.hosted_at
                        .as_deref()
                        .map_or("null".to_owned(), json_string),
                    records.join(","),
                    s.all_findings()
                        .iter()
                        .map(|f| f.to_json())
                        .collect::<Vec<_>>()
                        .join(",")
                )
            })
            .collect();
        format!(
            "{{\"domain\":{},\"common_selectors_probed\":{},\"selectors\":[{}],\"findings\":[{}]}}",
            json_string(&self.domain),
            self.common_probed,
            selectors.join(","),
            self.findings
                .iter()
                .map(Finding::to_json)
                .collect::<Vec<_>>()
                .join(",")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::join::{now, zone_cache};

    const ED: &str = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    fn zone() -> String {
        format!(
            r#"
$ORIGIN example.test.
$TTL 300
@                          TXT   "v=spf1 -all"
sel._domainkey             TXT   "v=DKIM1; k=ed25519; p={ED}"
google._domainkey          TXT   "v=DKIM1; k=ed25519; p={ED}"
selector1._domainkey       CNAME selector1-example-test._domainkey.tenant.provider.test.
selector1-example-test._domainkey.tenant.provider.test. TXT "v=DKIM1; k=ed25519; p={ED}"
twice._domainkey.example.test.example.test. TXT "v=DKIM1; k=ed25519; p={ED}"
glued_domainkey            TXT   "v=DKIM1; k=ed25519; p={ED}"
two._domainkey             TXT   "v=DKIM1; k=ed25519; p={ED}"
two._domainkey             TXT   "v=DKIM1; p="
other._domainkey           TXT   "google-site-verification=abc"
"#
        )
    }

    fn run(selectors: &[&str], common: bool) -> (Discovery, crate::dns::cache::Stats) {
        let cache = zone_cache(&zone());
        let request = Request {
            domain: "Example.Test.".to_owned(),
            selectors: selectors.iter().map(|s| (*s).to_owned()).collect(),
            signatures: Vec::new(),
            common,
        };
        let d = now(discover(&cache, &request));
        (d, cache.stats())
    }

    fn codes(s: &Selector) -> Vec<&'static str> {
        s.all_findings().iter().map(|f| f.code).collect()
    }

    #[test]
    fn given_and_common_selectors_are_found_and_cnames_named() {
        let (d, stats) = run(&["sel._domainkey.example.test"], true);
        assert_eq!(d.domain, "example.test");
        assert_eq!(stats.sent, 1 + COMMON_SELECTORS.len() as u32);
        let found: Vec<&str> = d
            .selectors
            .iter()
            .filter(|s| matches!(s.state, State::Found(_)))
            .map(|s| s.selector.as_str())
            .collect();
        assert_eq!(found, ["sel", "google", "selector1"]);
        let m365 = d
            .selectors
            .iter()
            .find(|s| s.selector == "selector1")
            .unwrap();
        assert_eq!(
            m365.hosted_at.as_deref(),
            Some("selector1-example-test._domainkey.tenant.provider.test")
        );
        assert_eq!(codes(m365), ["dkim.delegated"]);
        assert_eq!(d.selectors.iter().filter(|s| s.is_interesting()).count(), 3);
        assert!(d.findings.is_empty());
    }

    #[test]
    fn a_missing_selector_names_the_mistake_that_happened() {
        let (d, stats) = run(&["twice", "glued", "absent"], false);
        assert_eq!(codes(&d.selectors[0]), ["dkim.misplaced"]);
        let f = &d.selectors[0].findings[0];
        assert!(
            f.message
                .contains("twice._domainkey.example.test.example.test"),
            "{}",
            f.message
        );
        assert!(f.message.contains("added the domain"), "{}", f.message);
        assert_eq!(
            f.fix.as_deref(),
            Some(
                format!("twice._domainkey.example.test. TXT \"v=DKIM1; k=ed25519; p={ED}\"")
                    .as_str()
            )
        );
        assert!(d.selectors[1].findings[0].message.contains("dot between"));
        assert_eq!(codes(&d.selectors[2]), ["dkim.no-record"]);
        // 3 selectors, then 5 probes each, of which _domainkey.<d> and the apex are the same
        // names for all three and asked once.
        assert_eq!(stats.sent, 3 + 3 * 3 + 2);
    }

    #[test]
    fn several_records_and_other_text_are_findings() {
        let (d, _) = run(&["two", "other"], false);
        assert!(codes(&d.selectors[0]).contains(&"dkim.multiple-records"));
        assert!(codes(&d.selectors[0]).contains(&"dkim.revoked"));
        assert_eq!(codes(&d.selectors[1]), ["dkim.not-a-key"]);
        let (none, _) = run(&[], true);
        assert_eq!(none.findings.len(), 0, "google and selector1 exist");
        let json = d.to_json();
        assert!(json.contains("\"state\":\"not-a-key\""), "{json}");
    }
}
