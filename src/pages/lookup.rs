//! The Lookup page: any name and type, answered by the chosen resolver, shown exactly.
//!
//! State lives in the URL (`lookup?name=…&type=…`), so every answer is a link. TXT records are
//! shown string by string with byte lengths, because that is where pasted records go wrong.

use leptos::prelude::*;
use mxray_core::dns::present::escape_string;
use mxray_core::dns::zone::record_line;
use mxray_core::dns::{Name, Outcome, RData, Record, RecordType, TransportError};

use crate::doh;
use crate::resolver::use_resolver;
use crate::route::{Page, use_router};

const TYPES: [&str; 11] = [
    "TXT", "A", "AAAA", "MX", "CNAME", "NS", "SOA", "PTR", "SRV", "CAA", "TLSA",
];

/// What one lookup came to.
#[derive(Clone, Debug, PartialEq)]
enum LookupView {
    BadInput(String),
    Failed {
        resolver: String,
        error: TransportError,
    },
    Answered {
        name: String,
        rtype: RecordType,
        outcome: Outcome,
        answer: doh::Answer,
    },
}

async fn run(endpoint: String, name_text: String, type_text: String) -> LookupView {
    let Some(rtype) = RecordType::from_text(&type_text) else {
        return LookupView::BadInput(format!("{type_text:?} is not a record type."));
    };
    let name = match Name::parse(name_text.trim()) {
        Ok(name) if !name.is_root() => name,
        Ok(_) => return LookupView::BadInput("Enter a domain name.".into()),
        Err(e) => {
            return LookupView::BadInput(format!(
                "{:?} is not a valid name: {e}.",
                name_text.trim()
            ));
        }
    };
    match doh::query(&endpoint, &name, rtype).await {
        Ok(answer) => LookupView::Answered {
            name: name.to_string(),
            rtype,
            outcome: Outcome::from_message(&answer.message, rtype),
            answer,
        },
        Err(error) => LookupView::Failed {
            resolver: endpoint,
            error,
        },
    }
}

#[component]
pub fn LookupPage() -> impl IntoView {
    let router = use_router();
    let resolver = use_resolver();
    let name_param = Memo::new(move |_| router.route().param("name").unwrap_or_default());
    let type_param = Memo::new(move |_| {
        router
            .route()
            .param("type")
            .map(|t| t.to_ascii_uppercase())
            .unwrap_or_else(|| "TXT".into())
    });
    // What the user types stays in these until they submit; the URL changes only on submit.
    let name_input = RwSignal::new(name_param.get_untracked());
    let type_input = RwSignal::new(type_param.get_untracked());
    Effect::new(move |_| name_input.set(name_param.get()));
    Effect::new(move |_| type_input.set(type_param.get()));

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = name_input.get_untracked();
        let rtype = type_input.get_untracked();
        let href = router.href(Page::Lookup, &[("name", name.trim()), ("type", &rtype)]);
        router.navigate(&href, false);
    };

    let result = LocalResource::new(move || {
        let name = name_param.get();
        let rtype = type_param.get();
        let endpoint = resolver.url();
        async move {
            if name.trim().is_empty() {
                None
            } else {
                Some(run(endpoint, name, rtype).await)
            }
        }
    });

    view! {
        <section class="page">
            <h1>"Look up DNS records"</h1>
            <p class="lede">"Ask the resolver for any name and type and see exactly what it answers."</p>
            <form class="query-form" role="search" on:submit=on_submit>
                <div class="field field--grow">
                    <label for="lookup-name">"Name"</label>
                    <input
                        id="lookup-name"
                        name="name"
                        type="text"
                        inputmode="url"
                        autocomplete="off"
                        autocapitalize="off"
                        spellcheck="false"
                        placeholder="example.com"
                        required
                        prop:value=move || name_input.get()
                        on:input=move |ev| name_input.set(event_target_value(&ev))
                    />
                </div>
                <div class="field">
                    <label for="lookup-type">"Type"</label>
                    <select
                        id="lookup-type"
                        name="type"
                        prop:value=move || type_input.get()
                        on:change=move |ev| type_input.set(event_target_value(&ev))
                    >
                        {TYPES
                            .into_iter()
                            .map(|t| view! { <option value=t>{t}</option> })
                            .collect_view()}
                    </select>
                </div>
                <button class="button" type="submit">"Look up"</button>
            </form>
            <Suspense fallback=move || {
                view! {
                    <p class="progress" role="status">
                        "Asking " {move || resolver.label()} "…"
                    </p>
                }
            }>
                {move || result.get().flatten().map(|v| view! { <LookupResult view=v/> })}
            </Suspense>
        </section>
    }
}

#[component]
fn LookupResult(view: LookupView) -> impl IntoView {
    match view {
        LookupView::BadInput(message) => {
            view! { <p class="alert alert--error" role="alert">{message}</p> }.into_any()
        }
        LookupView::Failed { resolver, error } => view! {
            <div class="alert alert--error" role="alert">
                <p class="alert__title">"No answer from " {mxray_core::dns::doh::resolver_label(&resolver)}</p>
                <p>{error.to_string()}</p>
            </div>
        }
        .into_any(),
        LookupView::Answered {
            name,
            rtype,
            outcome,
            answer,
        } => {
            let summary = outcome.summary(&name, rtype);
            let (records, chain) = match &outcome {
                Outcome::Records { records, chain } => (records.clone(), chain.clone()),
                Outcome::NoData { chain } | Outcome::NxDomain { chain, .. } => {
                    (Vec::new(), chain.clone())
                }
                _ => (Vec::new(), Vec::new()),
            };
            let failed = matches!(
                outcome,
                Outcome::ServFail { .. } | Outcome::Refused | Outcome::OtherRcode(_)
            );
            let validated = answer.message.flags.authentic_data;
            let title = if failed {
                view! {
                    <div class="alert alert--error" role="alert">
                        <h2 id="result-title" class="result__title">{summary}</h2>
                    </div>
                }
                .into_any()
            } else {
                view! { <h2 id="result-title" class="result__title">{summary}</h2> }.into_any()
            };
            view! {
                <section class="result" aria-labelledby="result-title">
                    {title}
                    <p class="result__meta">
                        "Answered by " {mxray_core::dns::doh::resolver_label(&answer.resolver)}
                        " in " {answer.elapsed_ms} " ms · RCODE "
                        {answer.message.rcode.to_string()} " · "
                        {if validated {
                            "DNSSEC: validated by the resolver (AD)"
                        } else {
                            "DNSSEC: not validated by the resolver"
                        }}
                    </p>
                    {(!chain.is_empty()).then(|| view! {
                        <div class="chain">
                            <h3>"Aliases followed"</h3>
                            <ul class="records">{chain.iter().map(record_item).collect_view()}</ul>
                        </div>
                    })}
                    {(!records.is_empty()).then(|| view! {
                        <ul class="records">{records.iter().map(record_item).collect_view()}</ul>
                    })}
                </section>
            }
            .into_any()
        }
    }
}

/// One record in zone-file form; TXT strings are listed one by one with their byte lengths.
fn record_item(record: &Record) -> impl IntoView {
    let line = record_line(record);
    let strings = match &record.data {
        RData::Txt(strings) if !strings.is_empty() => Some(strings.clone()),
        _ => None,
    };
    view! {
        <li class="record">
            <code class="record__text">{line}</code>
            {strings.map(|strings| {
                let count = strings.len();
                let total: usize = strings.iter().map(Vec::len).sum();
                view! {
                    <ol class="txt-strings" aria-label=format!("{count} strings, {total} bytes in all")>
                        {strings
                            .into_iter()
                            .map(|s| {
                                let len = s.len();
                                view! {
                                    <li class="txt-string">
                                        <code class="txt-string__text">{escape_string(&s)}</code>
                                        <span class="txt-string__len">{format!("{len} bytes")}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
            })}
        </li>
    }
}
