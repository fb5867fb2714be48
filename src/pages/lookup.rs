//! The Lookup page: any name and type, answered by the configured resolvers, shown exactly.
//!
//! State lives in the URL (`lookup?name=…&type=…`), so every answer is a link. What was typed
//! is normalised by core (URLs, addresses, spaces, trailing dots, Unicode, IP addresses) with a
//! visible note for each change. TXT records are shown string by string with byte lengths,
//! because that is where pasted records go wrong. "Compare resolvers" asks every resolver at
//! once and shows where their answers differ.

use leptos::prelude::*;
use leptos::task::spawn_local;
use mxray_core::dns::compare::Comparison;
use mxray_core::dns::doh::{comparison_endpoints, resolver_label};
use mxray_core::dns::input::{Target, normalise};
use mxray_core::dns::present::{duration_words, escape_string};
use mxray_core::dns::zone::record_line;
use mxray_core::dns::{
    Answered, Name, Outcome, RData, Record, RecordType, Resolver, TransportError, Unanswered,
};

use crate::doh::BrowserIdna;
use crate::resolver::{ResolverPicker, use_resolvers};
use crate::route::{Page, use_router};

const TYPES: [&str; 11] = [
    "TXT", "A", "AAAA", "MX", "CNAME", "NS", "SOA", "PTR", "SRV", "CAA", "TLSA",
];

/// What one lookup came to.
#[derive(Clone, Debug, PartialEq)]
enum LookupView {
    BadInput(String),
    Failed {
        target: Target,
        rtype: RecordType,
        failure: Unanswered,
    },
    Answered {
        target: Target,
        rtype: RecordType,
        outcome: Outcome,
        answer: Answered,
    },
}

/// Reads the name and type from the URL's values.
fn question(name_text: &str, type_text: &str) -> Result<(Target, RecordType), String> {
    let rtype = RecordType::from_text(type_text)
        .ok_or_else(|| format!("{type_text:?} is not a record type."))?;
    let target = normalise(name_text, &BrowserIdna).map_err(|e| e.to_string())?;
    Ok((target, rtype))
}

async fn run(
    endpoints: Vec<String>,
    name_text: String,
    type_text: String,
    fresh: bool,
) -> LookupView {
    let (target, rtype) = match question(&name_text, &type_text) {
        Ok(q) => q,
        Err(message) => return LookupView::BadInput(message),
    };
    let client = crate::doh::client(&endpoints);
    let result = if fresh {
        client.ask_fresh(&target.name, rtype).await
    } else {
        client.ask(&target.name, rtype).await
    };
    match result {
        Ok(answer) => LookupView::Answered {
            outcome: Outcome::from_message(&answer.message, rtype),
            target,
            rtype,
            answer,
        },
        Err(failure) => LookupView::Failed {
            target,
            rtype,
            failure,
        },
    }
}

/// A comparison under way: each resolver's answer as it arrives.
#[derive(Clone, Debug, PartialEq)]
struct CompareState {
    name: String,
    rtype: RecordType,
    rows: Vec<(String, Option<Result<Answered, TransportError>>)>,
}

#[component]
pub fn LookupPage() -> impl IntoView {
    let router = use_router();
    let resolvers = use_resolvers();
    let name_param = router.param("name");
    let type_param = Memo::new(move |_| {
        router
            .route()
            .param("type")
            .map(|t| t.to_ascii_uppercase())
            .unwrap_or_else(|| "TXT".into())
    });
    // What the user types stays in these until they submit; the URL changes only on submit.
    let name_input = crate::components::form::editable(name_param);
    let type_input = crate::components::form::editable(type_param);
    // "Ask again" counts up; any count above zero skips the cache.
    let asked_again = RwSignal::new(0u32);
    let compare = RwSignal::new(None::<CompareState>);
    Effect::new(move |_| {
        name_param.track();
        type_param.track();
        compare.set(None);
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = name_input.get_untracked();
        let mut rtype = type_input.get_untracked();
        // An IP address asks for its reverse name: PTR is the question that makes sense.
        if let Ok(target) = normalise(&name, &BrowserIdna)
            && target.reverse_of.is_some()
            && rtype != "PTR"
        {
            rtype = "PTR".into();
            type_input.set(rtype.clone());
        }
        asked_again.set(0);
        router.go(Page::Lookup, &[("name", name.trim()), ("type", &rtype)]);
    };

    let result = LocalResource::new(move || {
        let name = name_param.get();
        let rtype = type_param.get();
        let endpoints = resolvers.list();
        let fresh = asked_again.get() > 0;
        async move {
            if name.trim().is_empty() {
                None
            } else {
                Some(run(endpoints, name, rtype, fresh).await)
            }
        }
    });

    let start_compare = move |_| {
        let Ok((target, rtype)) =
            question(&name_param.get_untracked(), &type_param.get_untracked())
        else {
            return;
        };
        let endpoints = comparison_endpoints(&resolvers.list_untracked());
        compare.set(Some(CompareState {
            name: target.name.to_string(),
            rtype,
            rows: endpoints.iter().map(|u| (u.clone(), None)).collect(),
        }));
        let client = resolvers.client();
        for (i, endpoint) in endpoints.into_iter().enumerate() {
            let client = client.clone();
            let name: Name = target.name.clone();
            spawn_local(async move {
                let result = client.inner().ask_endpoint(&endpoint, &name, rtype).await;
                compare.update(|state| {
                    if let Some(state) = state
                        && state.rtype == rtype
                        && let Some(row) = state.rows.get_mut(i)
                        && row.0 == endpoint
                    {
                        row.1 = Some(result);
                    }
                });
            });
        }
    };

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
                        placeholder="example.com, a URL, an email address or an IP"
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
            <ResolverPicker/>
            <Suspense fallback=move || {
                view! {
                    <p class="progress" role="status">
                        "Asking " {move || resolvers.label()} "…"
                    </p>
                }
            }>
                {move || result.get().flatten().map(|v| {
                    let can_compare = !matches!(v, LookupView::BadInput(_));
                    view! {
                        <LookupResult view=v/>
                        {can_compare.then(|| view! {
                            <div class="actions">
                                <button class="button button--secondary" type="button"
                                    on:click=move |_| asked_again.update(|n| *n += 1)>
                                    "Ask again"
                                </button>
                                <button class="button button--secondary" type="button"
                                    on:click=start_compare>
                                    "Compare resolvers"
                                </button>
                            </div>
                        })}
                    }
                })}
            </Suspense>
            {move || compare.get().map(|state| view! { <CompareResult state=state/> })}
        </section>
    }
}

/// The name asked about, in both forms, with what was changed in what was typed.
#[component]
fn AskedAbout(target: Target, rtype: RecordType) -> impl IntoView {
    let notes = target.notes.clone();
    // Only when it says more than the result's title: another form, or a change.
    let worth_saying = target.unicode.is_some() || !notes.is_empty();
    worth_saying.then(|| {
        view! {
            <p class="asked">
                "Asked for " <strong>{rtype.to_string()}</strong> " at "
                <code class="asked__name">{target.name.to_fqdn()}</code>
                {target.unicode.clone().map(|u| view! {
                    " (" <span class="asked__unicode" lang="">{u}</span> ")"
                })}
            </p>
            {(!notes.is_empty()).then(|| view! {
                <ul class="notes" aria-label="What mxray changed in what you typed">
                    {notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                </ul>
            })}
        }
    })
}

fn attempts_view(attempts: &[mxray_core::dns::Attempt]) -> impl IntoView + use<> {
    let items: Vec<_> = attempts
        .iter()
        .map(|a| format!("{}: {}", a.resolver, a.problem))
        .collect();
    (!items.is_empty()).then(|| {
        view! {
            <div class="attempts">
                <p>"Resolvers that failed first:"</p>
                <ul>{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
            </div>
        }
    })
}

#[component]
fn LookupResult(view: LookupView) -> impl IntoView {
    match view {
        LookupView::BadInput(message) => {
            view! { <p class="alert alert--error" role="alert">{message}</p> }.into_any()
        }
        LookupView::Failed {
            target,
            rtype,
            failure,
        } => {
            let first = failure
                .attempts
                .first()
                .map(|a| a.resolver.clone())
                .unwrap_or_default();
            let others = failure.attempts.get(1..).unwrap_or_default().to_vec();
            view! {
                <AskedAbout target=target rtype=rtype/>
                <div class="alert alert--error" role="alert">
                    <p class="alert__title">"No answer from " {first}</p>
                    <p>{failure.error.to_string()}</p>
                </div>
                {(!others.is_empty()).then(|| view! {
                    <div class="attempts">
                        <p>"The other resolvers failed too:"</p>
                        <ul>{others.into_iter().map(|a| view! {
                            <li>{format!("{}: {}", a.resolver, a.problem)}</li>
                        }).collect_view()}</ul>
                    </div>
                })}
            }
            .into_any()
        }
        LookupView::Answered {
            target,
            rtype,
            outcome,
            answer,
        } => {
            let summary = outcome.summary(&target.name.to_string(), rtype);
            let (records, chain) = (outcome.records().to_vec(), outcome.chain().to_vec());
            let failed = !outcome.is_answer();
            let negative_ttl = matches!(outcome, Outcome::NoData { .. } | Outcome::NxDomain { .. })
                .then(|| {
                    answer.message.authority.iter().find_map(|r| match &r.data {
                        RData::Soa { minimum, .. } => Some(r.ttl.min(*minimum)),
                        _ => None,
                    })
                })
                .flatten();
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
            let timing = if answer.cached {
                " from this page's cache (TTLs counted down)".to_owned()
            } else {
                format!(" in {} ms", answer.elapsed_ms)
            };
            view! {
                <AskedAbout target=target rtype=rtype/>
                <section class="result" aria-labelledby="result-title">
                    {title}
                    <p class="result__meta">
                        "Answered by " <span class="result__resolver">{answer.source.clone()}</span>
                        {timing} " · RCODE "
                        {answer.message.rcode.to_string()} " · "
                        {if validated {
                            "DNSSEC: validated by the resolver (AD)"
                        } else {
                            "DNSSEC: not validated by the resolver"
                        }}
                    </p>
                    {attempts_view(&answer.attempts)}
                    {negative_ttl.map(|ttl| view! {
                        <p class="result__note">
                            "Resolvers may keep this negative answer for up to "
                            {duration_words(ttl)}
                            " (the zone's SOA). If you just added the record, \"Compare resolvers\" shows who still has the old answer."
                        </p>
                    })}
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

/// Every resolver's answer side by side, grouped into distinct answers.
#[component]
fn CompareResult(state: CompareState) -> impl IntoView {
    let total = state.rows.len();
    let done = state.rows.iter().filter(|(_, r)| r.is_some()).count();
    if done < total {
        return view! {
            <section class="compare" aria-labelledby="compare-title">
                <h2 id="compare-title">"Comparing resolvers"</h2>
                <p class="progress" role="status">{format!("{done} of {total} resolvers answered so far…")}</p>
            </section>
        }
        .into_any();
    }
    let rtype = state.rtype;
    let name = state.name;
    let comparison = Comparison::new(
        state
            .rows
            .into_iter()
            .filter_map(|(url, r)| r.map(|r| (resolver_label(&url), r)))
            .collect(),
        rtype,
    );
    let summary = comparison.summary();
    let agree = comparison.agree();
    let rows = comparison
        .rows
        .into_iter()
        .map(|row| {
            let group = row
                .group
                .map(|g| char::from(b'A' + (g % 26) as u8).to_string())
                .unwrap_or_else(|| "none".to_owned());
            let (answer, time, dnssec) = match &row.result {
                Ok(a) => {
                    let outcome = Outcome::from_message(&a.message, rtype);
                    let lines: Vec<String> = match &outcome {
                        Outcome::Records { records, .. } => records.iter().map(record_line).collect(),
                        other => vec![other.summary(&name, rtype)],
                    };
                    (
                        lines,
                        format!("{} ms", a.elapsed_ms),
                        if a.message.flags.authentic_data { "validated" } else { "not validated" },
                    )
                }
                Err(e) => (vec![e.to_string()], "–".to_owned(), "–"),
            };
            view! {
                <tr>
                    <th scope="row">{row.resolver}</th>
                    <td class="compare__group">{group}</td>
                    <td>
                        <ul class="compare__lines">
                            {answer.into_iter().map(|l| view! { <li><code>{l}</code></li> }).collect_view()}
                        </ul>
                    </td>
                    <td>{time}</td>
                    <td>{dnssec}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="compare" aria-labelledby="compare-title">
            <h2 id="compare-title">"Comparing resolvers"</h2>
            <p class=if agree { "alert alert--ok" } else { "alert alert--warn" } role="status">{summary}</p>
            <div class="table-scroll">
                <table class="compare__table">
                    <thead>
                        <tr>
                            <th scope="col">"Resolver"</th>
                            <th scope="col">"Answer"</th>
                            <th scope="col">"Records"</th>
                            <th scope="col">"Time"</th>
                            <th scope="col">"DNSSEC"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
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
