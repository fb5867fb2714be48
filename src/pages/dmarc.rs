//! The DMARC page: the policy that applies to a domain (`dmarc?domain=…`) and where it was
//! found (the RFC 9989 tree walk, shown name by name), the organizational domain, each tag in
//! plain words, report destinations and their authorization, findings; and a pasted record
//! checked as it is typed (`dmarc?record=…`, no DNS). Core's `dmarc` module decides it all.

use leptos::prelude::*;
use mxray_core::dmarc::discover::{Discovery, Source, discover};
use mxray_core::dmarc::record::{DmarcRecord, explain, lint_pasted};
use mxray_core::dns::input::normalise;
use mxray_core::dns::txt::TxtLookup;
use mxray_core::finding::{Finding, Severity};

use crate::components::findings::{ExportLink, FindingList, FindingsOrOk, MarkedRecord};
use crate::components::form::{DomainField, PasteField, editable};
use crate::doh::BrowserIdna;
use crate::resolver::use_resolvers;
use crate::route::{Page, use_router};

/// Each tag with its value and meaning.
#[component]
fn TagTable(record: DmarcRecord) -> impl IntoView {
    view! {
        <table class="tags">
            <caption class="visually-hidden">"Tags of the record"</caption>
            <thead><tr><th scope="col">"Tag"</th><th scope="col">"Value"</th><th scope="col">"Meaning"</th></tr></thead>
            <tbody>
                {record.tags.tags.iter().map(|t| view! {
                    <tr>
                        <th scope="row"><code>{t.name.clone()}</code></th>
                        <td><code>{t.value.clone()}</code></td>
                        <td>{explain(t)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn Report(discovery: Discovery) -> impl IntoView {
    let findings: Vec<Finding> = discovery.findings.clone();
    let headline = match &discovery.applied {
        None => format!("{}: no DMARC policy applies", discovery.domain),
        Some(a) => format!(
            "{}: {}",
            discovery.domain,
            match a.policy {
                Some(p) => format!("p={} — {}", p.as_str(), p.words()),
                None => "no valid policy".to_owned(),
            }
        ),
    };
    let origin = discovery.applied.as_ref().map(|a| match a.source {
        Source::Domain => format!("Found at _dmarc.{}.", a.domain),
        Source::OrganizationalDomain => format!(
            "{} has no record of its own; this is the policy of its organizational domain, _dmarc.{} (its {} applies).",
            discovery.domain,
            a.domain,
            if a.record.subdomain_policy.is_some() { "sp=" } else { "p=" }
        ),
        Source::PublicSuffix => format!(
            "No record at {} or its organizational domain; this is the policy of the public suffix _dmarc.{} (psd=y).",
            discovery.domain, a.domain
        ),
    });
    let implied = discovery
        .applied
        .as_ref()
        .is_some_and(|a| a.implied_none)
        .then(|| view! { <p class="notice">"The record's p= is missing or invalid; because rua= is valid, RFC 9989 reads it as p=none (RFC 7489 receivers ignore the record)."</p> });
    let subpolicies = discovery.applied.as_ref().map(|a| {
        format!(
            "Subdomains: {}. Subdomains that do not exist: {}.",
            a.subdomains.map_or("none", |p| p.as_str()),
            a.nonexistent.map_or("none", |p| p.as_str())
        )
    });
    let record = discovery.applied.as_ref().map(|a| a.record.clone());
    view! {
        <section class="summary" aria-labelledby="dmarc-summary">
            <h2 id="dmarc-summary" class="summary__title">{headline}</h2>
            {origin.map(|o| view! { <p class="dmarc-origin">{o}</p> })}
            {subpolicies.map(|s| view! { <p>{s}</p> })}
            {implied}
            <p class="dmarc-org">
                "Organizational domain: " <code>{discovery.walk.org_domain.clone()}</code>
                {format!(" ({}).", discovery.walk.org_reason)}
            </p>
            <FindingList findings=findings/>
            <ExportLink file_name=format!("dmarc-{}.json", discovery.domain) json=discovery.to_json()/>
        </section>
        {record.map(|r| view! {
            <section aria-labelledby="dmarc-record">
                <h2 id="dmarc-record">"The record"</h2>
                <MarkedRecord text=r.text.clone() findings=r.findings.clone()/>
                <TagTable record=r.clone()/>
                <FindingList findings=r.findings.clone()/>
            </section>
        })}
        {(!discovery.destinations.is_empty()).then(|| view! {
            <section aria-labelledby="dmarc-reports">
                <h2 id="dmarc-reports">"Report destinations"</h2>
                <ul class="destinations">
                    {discovery.destinations.iter().map(|d| {
                        let bad = d.authorized == Some(false);
                        view! {
                            <li class=if bad { "destination destination--bad" } else { "destination" }>
                                <code>{format!("{} {}", d.kind, d.address)}</code>
                                ": " {d.detail.clone()}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section aria-labelledby="dmarc-walk">
            <h2 id="dmarc-walk">"Where receivers looked (RFC 9989 tree walk)"</h2>
            <ol class="walk">
                {discovery.walk.steps.iter().map(|s| {
                    let what = if !s.reached {
                        "not consulted: the walk stopped above at a psd= record".to_owned()
                    } else if let Some(r) = &s.record {
                        r.text.clone()
                    } else if s.dmarc_records > 1 {
                        format!("{} DMARC records: all discarded", s.dmarc_records)
                    } else {
                        match &s.lookup {
                            TxtLookup::Failed(why) => format!("lookup failed: {why}"),
                            _ => "no DMARC record".to_owned(),
                        }
                    };
                    view! {
                        <li class="walk__step">
                            <code>{format!("_dmarc.{}", s.domain)}</code> " " {what}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
pub fn DmarcPage() -> impl IntoView {
    let router = use_router();
    let resolvers = use_resolvers();
    let domain_param = router.param("domain");
    let record_param = router.param("record");
    let domain_input = editable(domain_param);
    let record_input = RwSignal::new(record_param.get_untracked());

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        router.go(
            Page::Dmarc,
            &[("domain", domain_input.get_untracked().trim())],
        );
    };

    let report = LocalResource::new(move || {
        let domain = domain_param.get();
        let client = resolvers.client_tracked();
        async move {
            if domain.trim().is_empty() {
                return None;
            }
            let target = match normalise(&domain, &BrowserIdna) {
                Ok(t) => t,
                Err(e) => return Some(Err(e.to_string())),
            };
            Some(Ok(discover(
                &crate::doh::session(&client),
                &target.name.to_string(),
            )
            .await))
        }
    });
    let pasted = Memo::new(move |_| {
        let text = record_input.get();
        (!text.trim().is_empty()).then(|| lint_pasted(&text))
    });

    view! {
        <section class="page">
            <h1>"DMARC"</h1>
            <p class="lede">"The DMARC policy that applies to a domain, where receivers find it, each tag in plain words, and whether report destinations accept the reports. Or paste a record to check it without DNS."</p>
            <form class="query-form" role="search" on:submit=on_submit>
                <DomainField id="dmarc-domain" value=domain_input/>
                <button class="button" type="submit">"Check DMARC"</button>
            </form>
            <PasteField id="dmarc-record" param="record" rows=3 value=record_input
                label="Or paste a DMARC record (checked as you type, no DNS)"
                placeholder="v=DMARC1; p=reject; rua=mailto:dmarc@example.com"/>
            {move || pasted.get().map(|r| {
                let ok = r.findings.iter().all(|f| f.severity != Severity::Error);
                view! {
                    <section class="pasted" aria-labelledby="pasted-title" aria-live="polite">
                        <h2 id="pasted-title">{if ok { "The pasted record is valid" } else { "The pasted record has errors" }}</h2>
                        <MarkedRecord text=r.text.clone() findings=r.findings.clone()/>
                        <TagTable record=r.clone()/>
                        <FindingsOrOk findings=r.findings.clone()/>
                    </section>
                }
            })}
            <Suspense fallback=|| view! { <p class="progress" role="status">"Walking the DNS tree for DMARC records…"</p> }>
                {move || report.get().flatten().map(|r| match r {
                    Err(message) => view! { <p class="alert alert--error" role="alert">{message}</p> }.into_any(),
                    Ok(d) => view! { <Report discovery=d/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
