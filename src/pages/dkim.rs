//! The DKIM page: a domain's keys (`dkim?domain=…&selectors=…`), found at the given selectors
//! and at common providers' ones, each decoded, sized and checked, with where it is hosted; and a
//! pasted key record (checked as it is typed, no DNS) or a pasted DKIM-Signature header (its
//! domain and selector are checked). Core's `dkim` module decides everything shown.

use leptos::prelude::*;
use mxray_core::dkim::discover::{Discovery, Request, Selector, Source, State, discover};
use mxray_core::dkim::{Pasted, read_pasted};
use mxray_core::dns::input::normalise;
use mxray_core::finding::{Finding, Severity};

use crate::components::findings::{ExportLink, FindingList, FindingsOrOk, MarkedRecord};
use crate::components::form::{DomainField, PasteField, editable};
use crate::doh::BrowserIdna;
use crate::resolver::use_resolvers;
use crate::route::{Page, use_router};

/// Selectors as typed: separated by commas or spaces.
fn split_selectors(text: &str) -> Vec<String> {
    text.split([',', ' ', '\n', '\t'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn source_words(source: &Source) -> String {
    match source {
        Source::Given => "your selector".to_owned(),
        Source::Signature => "from the pasted signature".to_owned(),
        Source::Common(who) => format!("common selector ({who})"),
    }
}

#[component]
fn SelectorCard(selector: Selector) -> impl IntoView {
    let (state, bad) = match &selector.state {
        State::Found(keys) => (
            keys.iter()
                .map(|k| k.key.words())
                .collect::<Vec<_>>()
                .join("; "),
            keys.iter().any(|k| !k.key.is_usable()),
        ),
        State::NotKey(_) => ("TXT records, but no DKIM key".to_owned(), true),
        State::Missing { .. } => ("no key at this name".to_owned(), true),
        State::Failed(why) => (format!("lookup failed: {why}"), true),
    };
    let keys = match &selector.state {
        State::Found(keys) => keys.clone(),
        _ => Vec::new(),
    };
    view! {
        <li class="selector" data-selector=selector.selector.clone()>
            <p class="selector__head">
                <code>{selector.name.clone()}</code>
                " "
                <span class=if bad { "badge badge--bad" } else { "badge" }>{state}</span>
                " "
                <span class="result__meta">{source_words(&selector.source)}</span>
            </p>
            {selector.hosted_at.clone().map(|host| view! {
                <p class="selector__hosted">"Hosted at " <code>{host}</code> " (CNAME)"</p>
            })}
            {keys
                .into_iter()
                .map(|k| view! {
                    <MarkedRecord text=k.text.clone() findings=k.findings.clone()/>
                    <FindingList findings=k.findings.clone()/>
                })
                .collect_view()}
            <FindingList findings=selector.findings.clone()/>
        </li>
    }
}

#[component]
fn Report(discovery: Discovery) -> impl IntoView {
    let shown: Vec<Selector> = discovery
        .selectors
        .iter()
        .filter(|s| s.is_interesting())
        .cloned()
        .collect();
    let usable = shown
        .iter()
        .filter(|s| matches!(&s.state, State::Found(k) if k.iter().any(|k| k.key.is_usable())))
        .count();
    let worst = discovery
        .findings
        .iter()
        .chain(shown.iter().flat_map(|s| s.all_findings()))
        .map(|f| f.severity)
        .max();
    let headline = match (usable, worst) {
        (0, _) => format!("{}: no usable DKIM key found", discovery.domain),
        (n, Some(Severity::Error)) => format!(
            "{}: {n} usable key{}, and errors to fix",
            discovery.domain,
            if n == 1 { "" } else { "s" }
        ),
        (n, _) => format!(
            "{}: {n} usable DKIM key{}",
            discovery.domain,
            if n == 1 { "" } else { "s" }
        ),
    };
    let not_found: Vec<String> = discovery
        .selectors
        .iter()
        .filter(|s| !s.is_interesting())
        .map(|s| s.selector.clone())
        .collect();
    view! {
        <section class="summary" aria-labelledby="dkim-summary">
            <h2 id="dkim-summary" class="summary__title">{headline}</h2>
            <FindingList findings=discovery.findings.clone()/>
            <ExportLink file_name=format!("dkim-{}.json", discovery.domain) json=discovery.to_json()/>
        </section>
        <section aria-labelledby="dkim-keys">
            <h2 id="dkim-keys">"Selectors"</h2>
            <ul class="selectors">
                {shown.into_iter().map(|s| view! { <SelectorCard selector=s/> }).collect_view()}
            </ul>
            {(!not_found.is_empty()).then(|| view! {
                <details class="selectors__missed">
                    <summary>{format!("{} common selectors without a key", not_found.len())}</summary>
                    <p><code>{not_found.join(" ")}</code></p>
                </details>
            })}
        </section>
    }
}

#[component]
pub fn DkimPage() -> impl IntoView {
    let router = use_router();
    let resolvers = use_resolvers();
    let domain_param = router.param("domain");
    let selectors_param = router.param("selectors");
    let record_param = router.param("record");

    let domain_input = editable(domain_param);
    let selectors_input = editable(selectors_param);
    let record_input = RwSignal::new(record_param.get_untracked());

    let go = move |domain: String, selectors: String| {
        router.go(
            Page::Dkim,
            &[("domain", domain.trim()), ("selectors", selectors.trim())],
        );
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        go(
            domain_input.get_untracked(),
            selectors_input.get_untracked(),
        );
    };

    let report = LocalResource::new(move || {
        let domain = domain_param.get();
        let selectors = split_selectors(&selectors_param.get());
        let client = resolvers.client_tracked();
        async move {
            if domain.trim().is_empty() {
                return None;
            }
            let target = match normalise(&domain, &BrowserIdna) {
                Ok(t) => t,
                Err(e) => return Some(Err(e.to_string())),
            };
            let request = Request {
                domain: target.name.to_string(),
                selectors,
                signatures: Vec::new(),
                common: true,
            };
            Some(Ok(discover(&crate::doh::session(&client), &request).await))
        }
    });

    // A pasted key record is checked here; a pasted signature header offers its selector.
    let pasted = Memo::new(move |_| {
        let text = record_input.get();
        (!text.trim().is_empty()).then(|| read_pasted(&text))
    });

    view! {
        <section class="page">
            <h1>"DKIM"</h1>
            <p class="lede">"Find a domain's DKIM keys and check each one: decoded, sized, and checked for damage from copying. Selectors cannot be listed, so give yours (or paste a DKIM-Signature header); common providers' selectors are checked too."</p>
            <form class="query-form" role="search" on:submit=on_submit>
                <DomainField id="dkim-domain" value=domain_input/>
                <div class="field">
                    <label for="dkim-selectors">"Selectors (optional)"</label>
                    <input id="dkim-selectors" name="selectors" type="text" autocomplete="off"
                        autocapitalize="off" spellcheck="false" placeholder="s1, google"
                        prop:value=move || selectors_input.get()
                        on:input=move |ev| selectors_input.set(event_target_value(&ev))/>
                </div>
                <button class="button" type="submit">"Check DKIM"</button>
            </form>
            <PasteField id="dkim-record" param="record" rows=4 value=record_input
                label="Or paste a key record or a DKIM-Signature header (checked as you type)"
                placeholder="v=DKIM1; k=rsa; p=MIIBIjANBgkq…"/>
            {move || pasted.get().map(|p| match p {
                Pasted::Signatures(sigs) => view! {
                    <section class="pasted" aria-labelledby="pasted-title" aria-live="polite">
                        <h2 id="pasted-title">"Signatures in the pasted header"</h2>
                        <ul class="signatures">
                            {sigs.into_iter().map(|s| {
                                let (domain, selector) = (s.domain.clone(), s.selector.clone());
                                view! {
                                    <li>
                                        <code>{s.key_name()}</code>
                                        {s.algorithm.clone().map(|a| format!(" ({a})"))}
                                        " "
                                        <button class="button button--small" type="button"
                                            on:click=move |_| go(domain.clone(), selector.clone())>
                                            "Check this key"
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                }.into_any(),
                Pasted::Key(record) => {
                    let ok = record.key.is_usable() && record.findings.iter().all(|f| f.severity != Severity::Error);
                    let findings: Vec<Finding> = record.findings.clone();
                    view! {
                        <section class="pasted" aria-labelledby="pasted-title" aria-live="polite">
                            <h2 id="pasted-title">{if ok { "The pasted key is usable" } else { "The pasted key has errors" }}</h2>
                            <p class="pasted__key">"Key: " <strong>{record.key.words()}</strong></p>
                            <MarkedRecord text=record.text.clone() findings=findings.clone()/>
                            <FindingsOrOk findings=findings/>
                        </section>
                    }.into_any()
                }
            })}
            <Suspense fallback=move || view! {
                <p class="progress" role="status">{move || format!(
                    "Looking up {} selectors at once…",
                    split_selectors(&selectors_param.get()).len() + mxray_core::dkim::discover::COMMON_SELECTORS.len()
                )}</p>
            }>
                {move || report.get().flatten().map(|r| match r {
                    Err(message) => view! { <p class="alert alert--error" role="alert">{message}</p> }.into_any(),
                    Ok(d) => view! { <Report discovery=d/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
