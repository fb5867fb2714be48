//! Finding the DMARC policy that applies to a domain, the way RFC 9989 §4.10 says receivers do:
//! `_dmarc.<domain>` first, then the DNS Tree Walk up to the top-level domain (at most eight
//! names; a name with more labels jumps to its last seven), which also gives the organizational
//! domain (§4.10.2) used for alignment and for deciding whether a report destination is
//! external. Every name of the walk is asked at once: the walk's stopping rule is applied to the
//! answers, so its cost is one round trip, not eight.
//!
//! Then, together: each external report destination's authorization record
//! (`<domain>._report._dmarc.<destination>`, and the `*` wildcard, which an existing sibling name
//! hides from wildcard expansion), the destination's own walk (to see whether it shares the
//! organizational domain), and, when `_dmarc.<domain>` is missing, the two usual wrong names.

use super::record::{DmarcRecord, Policy, is_dmarc, lint_record, looks_like_dmarc};
use crate::dns::Resolver;
use crate::dns::txt::{TxtLookup, lookup_txt};
use crate::finding::{Finding, json_string};
use crate::join::{join, join_all};

/// One name of a tree walk and what was there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The domain (without `_dmarc.`).
    pub domain: String,
    pub lookup: TxtLookup,
    /// The one DMARC record there, if exactly one.
    pub record: Option<DmarcRecord>,
    /// How many `v=DMARC1` records were there (more than one: all discarded).
    pub dmarc_records: usize,
    /// Whether the walk reached this name (it stops at a record with `psd=y` or `psd=n`).
    pub reached: bool,
}

/// A tree walk from a domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Walk {
    pub steps: Vec<Step>,
    /// The organizational domain (RFC 9989 §4.10.2) and why.
    pub org_domain: String,
    pub org_reason: String,
}

/// The names a walk from `domain` asks about, in order (RFC 9989 §4.10 steps 3–7).
pub fn walk_names(domain: &str) -> Vec<String> {
    let labels: Vec<&str> = domain.split('.').filter(|l| !l.is_empty()).collect();
    let mut names = vec![labels.join(".")];
    let mut count = labels.len();
    if count >= 8 {
        count = 7;
        names.push(labels[labels.len() - count..].join("."));
    }
    while count > 1 {
        count -= 1;
        names.push(labels[labels.len() - count..].join("."));
    }
    names.dedup();
    names
}

/// Walks up from `domain` (every name asked at once) and picks the organizational domain.
pub async fn tree_walk<R: Resolver>(resolver: &R, domain: &str) -> Walk {
    let names = walk_names(domain);
    let lookups = join_all(
        names
            .iter()
            .map(|d| async move { lookup_txt(resolver, &format!("_dmarc.{d}")).await }),
    )
    .await;
    let mut steps = Vec::new();
    let mut reached = true;
    for (d, lookup) in names.into_iter().zip(lookups) {
        let dmarc: Vec<&String> = lookup.texts().iter().filter(|t| is_dmarc(t)).collect();
        let record = (dmarc.len() == 1).then(|| lint_record(dmarc[0]));
        let stops = record
            .as_ref()
            .is_some_and(|r| r.psd == 'y' || r.psd == 'n');
        steps.push(Step {
            domain: d,
            dmarc_records: dmarc.len(),
            record,
            lookup,
            reached,
        });
        if stops {
            reached = false;
        }
    }
    let (org_domain, org_reason) = organizational_domain(domain, &steps);
    Walk {
        steps,
        org_domain,
        org_reason,
    }
}

/// RFC 9989 §4.10.2: from the longest name to the shortest, among the names reached.
fn organizational_domain(start: &str, steps: &[Step]) -> (String, String) {
    let found: Vec<(usize, &Step)> = steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.reached && s.record.is_some())
        .collect();
    for (i, step) in &found {
        let psd = step.record.as_ref().map_or('u', |r| r.psd);
        if psd == 'n' {
            return (
                step.domain.clone(),
                format!("_dmarc.{} says psd=n", step.domain),
            );
        }
        if psd == 'y' && *i > 0 {
            // One label below the public suffix domain, toward the start.
            let below = one_label_below(start, &step.domain);
            return (
                below,
                format!("_dmarc.{} says psd=y (a public suffix)", step.domain),
            );
        }
    }
    match found.last() {
        Some((_, step)) => (
            step.domain.clone(),
            format!(
                "the DMARC record with the fewest labels is at _dmarc.{}",
                step.domain
            ),
        ),
        None => (
            start.to_owned(),
            "no DMARC record on the way up, so the domain is its own".to_owned(),
        ),
    }
}

fn one_label_below(start: &str, suffix: &str) -> String {
    let labels: Vec<&str> = start.split('.').collect();
    let suffix_labels = suffix.split('.').count();
    labels[labels.len().saturating_sub(suffix_labels + 1)..].join(".")
}

/// Where the applying policy was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// `_dmarc.<domain>` itself.
    Domain,
    /// The organizational domain's record.
    OrganizationalDomain,
    /// A public suffix domain's record (`psd=y`).
    PublicSuffix,
}

/// The policy that applies, and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub source: Source,
    /// The domain whose `_dmarc` record it is.
    pub domain: String,
    pub record: DmarcRecord,
    /// The policy for mail from the domain itself: `p` for its own record, else `sp` (or `p`).
    pub policy: Option<Policy>,
    /// For subdomains of the domain that exist (`sp`, else `p`).
    pub subdomains: Option<Policy>,
    /// For subdomains that do not exist (`np`, else `sp`, else `p`).
    pub nonexistent: Option<Policy>,
    /// Whether the policy comes from a missing or invalid `p` read as `none` (RFC 9989).
    pub implied_none: bool,
}

/// One report destination and whether it may receive the domain's reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Destination {
    /// `rua` or `ruf`.
    pub kind: &'static str,
    pub address: String,
    pub domain: String,
    /// Same organizational domain as the policy's: no authorization needed.
    pub same_organization: bool,
    /// The authorization record's name.
    pub authorization_name: String,
    /// Authorized (a `v=DMARC1` record at the name or its wildcard), when it had to be asked.
    pub authorized: Option<bool>,
    /// What was found, in words.
    pub detail: String,
}

/// The whole DMARC picture of a domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Discovery {
    pub domain: String,
    pub walk: Walk,
    pub applied: Option<Applied>,
    pub destinations: Vec<Destination>,
    /// DMARC records found at the usual wrong names: (name, text).
    pub misplaced: Vec<(String, String)>,
    pub findings: Vec<Finding>,
}

/// Finds `domain`'s DMARC policy and checks it.
pub async fn discover<R: Resolver>(resolver: &R, domain: &str) -> Discovery {
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    let walk = tree_walk(resolver, &domain).await;
    let mut findings = Vec::new();
    let own = &walk.steps[0];

    // What is at _dmarc.<domain>, when it is not one usable record.
    match &own.lookup {
        TxtLookup::Failed(why) => findings.push(Finding::new(
            "dmarc.lookup-failed",
            format!("Could not look up _dmarc.{domain}: {why}"),
        )),
        TxtLookup::Found { texts, .. } => {
            if own.dmarc_records > 1 {
                findings.push(Finding::new(
                    "dmarc.multiple-records",
                    format!(
                        "_dmarc.{domain} has {} DMARC records; receivers discard them all, as if \
                         there were none. Keep one.",
                        own.dmarc_records
                    ),
                ));
            }
            for text in texts.iter().filter(|t| !is_dmarc(t) && looks_like_dmarc(t)) {
                let fixed = super::record::lint_pasted(text);
                findings.push(
                    Finding::new(
                        "dmarc.not-recognised",
                        format!(
                            "_dmarc.{domain} has \"{text}\", which mentions DMARC1 but does not \
                             start with exactly v=DMARC1, so receivers skip it."
                        ),
                    )
                    .fix(fixed.text.clone()),
                );
            }
        }
        TxtLookup::Missing { .. } => {}
    }

    let applied = applied_policy(&domain, &walk);

    // Report destinations of the applying record, and the misplaced probes, all at once.
    let mut destinations = Vec::new();
    if let Some(applied) = &applied {
        for (kind, uris) in [("rua", &applied.record.rua), ("ruf", &applied.record.ruf)] {
            for uri in uris {
                if let (Some(address), Some(dest)) = (&uri.address, &uri.domain) {
                    destinations.push(Destination {
                        kind,
                        address: address.clone(),
                        domain: dest.clone(),
                        same_organization: false,
                        authorization_name: format!("{}._report._dmarc.{dest}", applied.domain),
                        authorized: None,
                        detail: String::new(),
                    });
                }
            }
        }
    }
    let probe_misplaced = own.record.is_none() && !matches!(own.lookup, TxtLookup::Failed(_));
    let misplaced_names: Vec<String> = if probe_misplaced {
        vec![
            format!("dmarc.{domain}"),
            format!("_dmarc.{domain}.{domain}"),
        ]
    } else {
        Vec::new()
    };
    let policy_org = walk.org_domain.clone();
    // A destination in the domain itself or its organizational domain needs no authorization:
    // only the others get their walk and authorization lookups.
    let known_same = |dest: &str| dest == domain || dest == policy_org;
    let checks = join_all(destinations.iter().map(|d| {
        let dest = d.domain.clone();
        let name = d.authorization_name.clone();
        let wildcard = format!("*._report._dmarc.{dest}");
        let skip = known_same(&dest);
        async move {
            if skip {
                return None;
            }
            let (dest_walk, (exact, wild)) = join(
                tree_walk(resolver, &dest),
                join(lookup_txt(resolver, &name), lookup_txt(resolver, &wildcard)),
            )
            .await;
            Some((dest_walk.org_domain, exact, wild))
        }
    }));
    let probes = join_all(misplaced_names.iter().map(|n| lookup_txt(resolver, n)));
    let (checked, probed) = join(checks, probes).await;

    for (dest, check) in destinations.iter_mut().zip(checked) {
        let (exact, wild) = match check {
            Some((dest_org, exact, wild)) if dest_org != policy_org => (exact, wild),
            _ => {
                dest.same_organization = true;
                dest.detail = format!(
                    "{} is in the same organization ({policy_org}); no authorization needed",
                    dest.domain
                );
                continue;
            }
        };
        let grants = |l: &TxtLookup| l.texts().iter().any(|t| authorizes(t));
        let (ok, detail) = if grants(&exact) {
            (
                true,
                match exact.target() {
                    Some(t) => format!(
                        "authorized by {} (via CNAME to {t})",
                        dest.authorization_name
                    ),
                    None => format!("authorized by {}", dest.authorization_name),
                },
            )
        } else if grants(&wild) {
            (
                true,
                format!("authorized by *._report._dmarc.{}", dest.domain),
            )
        } else if let (TxtLookup::Failed(why), _) | (_, TxtLookup::Failed(why)) = (&exact, &wild) {
            findings.push(Finding::new(
                "dmarc.report-lookup-failed",
                format!(
                    "Could not check whether {} accepts reports for {}: {why}",
                    dest.domain,
                    applied
                        .as_ref()
                        .map_or(domain.as_str(), |a| a.domain.as_str())
                ),
            ));
            dest.detail = format!("could not be checked: {why}");
            continue;
        } else {
            (
                false,
                format!(
                    "no v=DMARC1 record at {} or *._report._dmarc.{}",
                    dest.authorization_name, dest.domain
                ),
            )
        };
        dest.authorized = Some(ok);
        dest.detail = detail;
        if !ok {
            findings.push(
                Finding::new(
                    "dmarc.report-unauthorized",
                    format!(
                        "Reports for {} go to {} at {}, a different organization that has not \
                         authorized them ({}); receivers will not send these {} reports. Ask \
                         the report service to publish the record, or check the address.",
                        applied
                            .as_ref()
                            .map_or(domain.as_str(), |a| a.domain.as_str()),
                        dest.address,
                        dest.domain,
                        dest.detail,
                        if dest.kind == "rua" {
                            "aggregate"
                        } else {
                            "failure"
                        }
                    ),
                )
                .fix(format!("{}. TXT \"v=DMARC1\"", dest.authorization_name)),
            );
        }
    }

    let mut misplaced = Vec::new();
    for (name, lookup) in misplaced_names.iter().zip(probed) {
        for text in lookup.texts().iter().filter(|t| looks_like_dmarc(t)) {
            findings.push(
                Finding::new(
                    "dmarc.misplaced",
                    format!(
                        "A DMARC record is published at {name}, where receivers never look; it \
                         belongs at _dmarc.{domain}."
                    ),
                )
                .fix(format!("_dmarc.{domain}. TXT \"{text}\"")),
            );
            misplaced.push((name.clone(), text.clone()));
        }
    }

    match &applied {
        None if !matches!(own.lookup, TxtLookup::Failed(_)) && misplaced.is_empty() => {
            findings.push(
                Finding::new(
                    "dmarc.no-record",
                    format!(
                        "No DMARC policy applies to {domain}: nothing at _dmarc.{domain} or on \
                         the way up. Receivers apply no DMARC, anyone can send mail as \
                         {domain}, and you get no reports. Start with monitoring:"
                    ),
                )
                .fix(format!(
                    "_dmarc.{domain}. TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@{domain}\""
                )),
            );
        }
        Some(a) if a.source != Source::Domain => findings.push(Finding::new(
            "dmarc.inherited",
            format!(
                "{domain} has no DMARC record of its own; the policy of {} applies (its {}: {}).",
                a.domain,
                if a.record.subdomain_policy.is_some() {
                    "sp="
                } else {
                    "p="
                },
                a.policy.map_or("none", Policy::as_str)
            ),
        )),
        _ => {}
    }

    Discovery {
        domain,
        walk,
        applied,
        destinations,
        misplaced,
        findings,
    }
}

/// An authorization record: starts with `v=DMARC1`, with or without a `;` after it.
fn authorizes(text: &str) -> bool {
    let t = text.trim_start();
    t.strip_prefix("v=DMARC1")
        .is_some_and(|rest| rest.is_empty() || rest.trim_start().starts_with(';'))
}

/// RFC 9989 §4.10.1: the domain's own record, else its organizational domain's, else a public
/// suffix domain's.
fn applied_policy(domain: &str, walk: &Walk) -> Option<Applied> {
    let own = walk.steps.first()?;
    let (source, step) = if own.record.is_some() {
        (Source::Domain, own)
    } else if let Some(org) = walk
        .steps
        .iter()
        .find(|s| s.reached && s.domain == walk.org_domain && s.record.is_some())
    {
        (Source::OrganizationalDomain, org)
    } else {
        let psd = walk.steps.iter().find(|s| {
            s.reached && s.record.as_ref().is_some_and(|r| r.psd == 'y') && s.domain != domain
        })?;
        (Source::PublicSuffix, psd)
    };
    let record = step.record.clone()?;
    // A missing or invalid p (or invalid sp/np) with a valid rua reads as p=none (§4.10.1).
    let broken = record.policy.is_none()
        || (record.tags.get("sp").is_some() && record.subdomain_policy.is_none())
        || (record.tags.get("np").is_some() && record.nonexistent_policy.is_none());
    let valid_rua = record.rua.iter().any(|u| u.address.is_some());
    if broken && !valid_rua {
        return None;
    }
    let (p, sp, np) = if broken {
        (Some(Policy::None), Some(Policy::None), Some(Policy::None))
    } else {
        let sp = record.subdomain_policy.or(record.policy);
        (record.policy, sp, record.nonexistent_policy.or(sp))
    };
    Some(Applied {
        source,
        domain: step.domain.clone(),
        policy: if source == Source::Domain { p } else { sp },
        subdomains: sp,
        nonexistent: np,
        implied_none: broken,
        record,
    })
}

impl Discovery {
    /// The report as JSON, findings in the shared shape.
    pub fn to_json(&self) -> String {
        let opt = |p: Option<Policy>| p.map_or("null".to_owned(), |p| json_string(p.as_str()));
        let applied = self.applied.as_ref().map_or("null".to_owned(), |a| {
            format!(
                "{{\"source\":{},\"domain\":{},\"record\":{},\"policy\":{},\"subdomains\":{},\
                 \"nonexistent\":{},\"implied_none\":{}}}",
                json_string(match a.source {
                    Source::Domain => "domain",
                    Source::OrganizationalDomain => "organizational-domain",
                    Source::PublicSuffix => "public-suffix",
                }),
                json_string(&a.domain),
                json_string(&a.record.text),
                opt(a.policy),
                opt(a.subdomains),
                opt(a.nonexistent),
                a.implied_none
            )
        });
        let walk: Vec<String> = self
            .walk
            .steps
            .iter()
            .map(|s| {
                format!(
                    "{{\"name\":{},\"reached\":{},\"record\":{}}}",
                    json_string(&format!("_dmarc.{}", s.domain)),
                    s.reached,
                    s.record
                        .as_ref()
                        .map_or("null".to_owned(), |r| json_string(&r.text))
                )
            })
            .collect();
        let destinations: Vec<String> = self
            .destinations
            .iter()
            .map(|d| {
                format!(
                    "{{\"kind\":{},\"address\":{},\"same_organization\":{},\"authorized\":{},\
                     \"detail\":{}}}",
                    json_string(d.kind),
                    json_string(&d.address),
                    d.same_organization,
                    d.authorized.map_or("null".to_owned(), |b| b.to_string()),
                    json_string(&d.detail)
                )
            })
            .collect();
        let mut findings: Vec<&Finding> = self.findings.iter().collect();
        if let Some(a) = &self.applied {
            findings.extend(&a.record.findings);
        }
        format!(
            "{{\"domain\":{},\"organizational_domain\":{},\"applied\":{applied},\"walk\":[{}],\
             \"destinations\":[{}],\"findings\":[{}]}}",
            json_string(&self.domain),
            json_string(&self.walk.org_domain),
            walk.join(","),
            destinations.join(","),
            findings
                .iter()
                .map(|f| f.to_json())
                .collect::<Vec<_>>()
                .join(",")
        )
    }

    /// Every finding: the domain's, then the applying record's.
    pub fn all_findings(&self) -> Vec<&Finding> {
        let mut all: Vec<&Finding> = self.findings.iter().collect();
        if let Some(a) = &self.applied {
            all.extend(&a.record.findings);
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::join::{now, zone_cache};

    const ZONE: &str = r#"
$TTL 300
_dmarc.example.test.              TXT "v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@example.test,mailto:r@reports.vendor.test,mailto:x@nobody.test,mailto:w@wild.test,mailto:c@cname.test; ruf=mailto:f@example.test"
example.test._report._dmarc.reports.vendor.test. TXT "v=DMARC1"
_dmarc.vendor.test.               TXT "v=DMARC1; p=none; rua=mailto:d@vendor.test"
*._report._dmarc.wild.test.       TXT "v=DMARC1;"
other.test._report._dmarc.wild.test. TXT "v=DMARC1"
example.test._report._dmarc.cname.test. CNAME auth.cname.test.
auth.cname.test.                  TXT "v=DMARC1"
_dmarc.own.test.                  TXT "v=DMARC1; p=none; rua=mailto:d@own.test"
_dmarc.sub.own.test.              TXT "v=DMARC1; p=reject; rua=mailto:d@own.test"
_dmarc.psd.                       TXT "v=DMARC1; p=reject; psd=y; rua=mailto:d@registry.psd"
_dmarc.split.own.test.            TXT "v=DMARC1; p=reject; psd=n; rua=mailto:d@own.test"
_dmarc.two.test.                  TXT "v=DMARC1; p=reject"
_dmarc.two.test.                  TXT "v=DMARC1; p=none"
dmarc.nounderscore.test.          TXT "v=DMARC1; p=reject"
_dmarc.twice.test.twice.test.     TXT "v=DMARC1; p=reject"
_dmarc.quoted.test.               TXT "\"v=DMARC1; p=reject\""
_dmarc.norua.test.                TXT "v=DMARC1; rua=mailto:d@norua.test"
_dmarc.nop.test.                  TXT "v=DMARC1; sp=reject"
"#;

    fn run(domain: &str) -> (Discovery, crate::dns::cache::Stats) {
        let cache = zone_cache(ZONE);
        let d = now(discover(&cache, domain));
        (d, cache.stats())
    }

    fn codes(d: &Discovery) -> Vec<&'static str> {
        d.all_findings().iter().map(|f| f.code).collect()
    }

    #[test]
    fn walk_names_follow_rfc_9989() {
        assert_eq!(
            walk_names("a.mail.example.com"),
            [
                "a.mail.example.com",
                "mail.example.com",
                "example.com",
                "com"
            ]
        );
        // The RFC's own example: ten labels jump to their last seven.
        assert_eq!(
            walk_names("a.b.c.d.e.f.g.h.i.j.mail.example.com"),
            [
                "a.b.c.d.e.f.g.h.i.j.mail.example.com",
                "g.h.i.j.mail.example.com",
                "h.i.j.mail.example.com",
                "i.j.mail.example.com",
                "j.mail.example.com",
                "mail.example.com",
                "example.com",
                "com"
            ]
        );
        assert_eq!(walk_names("a.b.c.d.e.f.example.com").len(), 8);
        assert_eq!(walk_names("com"), ["com"]);
    }

    #[test]
    fn the_domains_own_policy_and_its_report_destinations() {
        let (d, stats) = run("Example.Test.");
        let a = d.applied.as_ref().unwrap();
        assert_eq!(
            (a.source, a.domain.as_str()),
            (Source::Domain, "example.test")
        );
        assert_eq!(
            (a.policy, a.subdomains, a.nonexistent),
            (
                Some(Policy::Reject),
                Some(Policy::Quarantine),
                Some(Policy::Quarantine)
            )
        );
        assert_eq!(d.walk.org_domain, "example.test");
        let by: Vec<(&str, bool, Option<bool>)> = d
            .destinations
            .iter()
            .map(|x| (x.domain.as_str(), x.same_organization, x.authorized))
            .collect();
        assert_eq!(
            by,
            [
                ("example.test", true, None),
                ("reports.vendor.test", false, Some(true)),
                ("nobody.test", false, Some(false)),
                ("wild.test", false, Some(true)),
                ("cname.test", false, Some(true)),
                ("example.test", true, None),
            ]
        );
        assert!(
            d.destinations[4].detail.contains("via CNAME"),
            "{}",
            d.destinations[4].detail
        );
        let unauthorized: Vec<&Finding> = d
            .findings
            .iter()
            .filter(|f| f.code == "dmarc.report-unauthorized")
            .collect();
        assert_eq!(unauthorized.len(), 1);
        assert_eq!(
            unauthorized[0].fix.as_deref(),
            Some("example.test._report._dmarc.nobody.test. TXT \"v=DMARC1\"")
        );
        // What was sent, each once: the walk (_dmarc.example.test, _dmarc.test); for each of the
        // four external destinations its walk below _dmarc.test (reports.vendor.test has two
        // names) and its two authorization names; nothing for the two at example.test itself.
        assert_eq!(stats.sent, 2 + (2 + 2) + 3 * (1 + 2), "{stats:?}");
        assert!(
            stats.hits + stats.shared > 0,
            "_dmarc.test is shared by every walk"
        );
    }

    #[test]
    fn subdomains_inherit_from_the_organizational_domain() {
        let (d, _) = run("mail.deep.example.test");
        let a = d.applied.as_ref().unwrap();
        assert_eq!(
            (a.source, a.domain.as_str()),
            (Source::OrganizationalDomain, "example.test")
        );
        assert_eq!(
            a.policy,
            Some(Policy::Quarantine),
            "sp= applies to a subdomain"
        );
        assert!(codes(&d).contains(&"dmarc.inherited"));
        // A record in between does not apply: the organizational domain's does (fewest labels).
        let (d, _) = run("x.sub.own.test");
        assert_eq!(d.walk.org_domain, "own.test");
        assert_eq!(d.applied.as_ref().unwrap().domain, "own.test");
    }

    #[test]
    fn psd_tags_stop_the_walk_and_set_the_organizational_domain() {
        // psd=y at a public-suffix-like name: the organizational domain is one label below it,
        // and with no record there, the public suffix's policy applies.
        let (d, _) = run("a.b.registrant.psd");
        assert_eq!(d.walk.org_domain, "registrant.psd");
        let a = d.applied.as_ref().unwrap();
        assert_eq!((a.source, a.domain.as_str()), (Source::PublicSuffix, "psd"));
        // psd=n makes split.own.test its own organizational domain and stops the walk.
        let (d, _) = run("x.split.own.test");
        assert_eq!(d.walk.org_domain, "split.own.test");
        assert!(
            d.walk
                .steps
                .iter()
                .find(|s| s.domain == "own.test")
                .is_some_and(|s| !s.reached)
        );
        assert_eq!(d.applied.as_ref().unwrap().domain, "split.own.test");
    }

    #[test]
    fn missing_duplicate_misplaced_and_broken_records() {
        let (d, _) = run("two.test");
        assert!(codes(&d).contains(&"dmarc.multiple-records"));
        assert!(
            codes(&d).contains(&"dmarc.no-record"),
            "both discarded: nothing applies"
        );
        let (d, _) = run("nounderscore.test");
        assert!(codes(&d).contains(&"dmarc.misplaced"));
        assert!(!codes(&d).contains(&"dmarc.no-record"));
        let (d, _) = run("twice.test");
        assert_eq!(d.misplaced[0].0, "_dmarc.twice.test.twice.test");
        let (d, _) = run("quoted.test");
        let f = d
            .findings
            .iter()
            .find(|f| f.code == "dmarc.not-recognised")
            .unwrap();
        assert_eq!(f.fix.as_deref(), Some("v=DMARC1; p=reject"));
        // No p= but a valid rua: RFC 9989 reads p=none.
        let (d, _) = run("norua.test");
        let a = d.applied.as_ref().unwrap();
        assert!(a.implied_none && a.policy == Some(Policy::None));
        // No p= and no rua: no DMARC.
        let (d, _) = run("nop.test");
        assert!(d.applied.is_none());
        let (d, _) = run("nothing.test");
        let f = d
            .findings
            .iter()
            .find(|f| f.code == "dmarc.no-record")
            .unwrap();
        assert_eq!(
            f.fix.as_deref(),
            Some(
                "_dmarc.nothing.test. TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@nothing.test\""
            )
        );
        assert!(d.to_json().starts_with("{\"domain\":\"nothing.test\""));
    }
}
