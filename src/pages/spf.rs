//! The SPF page: a domain's policy (`spf?domain=…`) with its include tree, lookups of 10 and
//! findings underlined in each record, a sender test (`&ip=…&sender=…&helo=…`), or a pasted
//! record checked as it is typed (`spf?record=…`, no DNS). Everything it shows is decided by
//! core's `spf` module; this page renders it as text.

use leptos::prelude::*;
use mxray_core::dns::input::normalise;
use mxray_core::finding::Severity;
use mxray_core::join::join;
use mxray_core::spf::analysis::{self, Analysis, LOOKUP_LIMIT, Node, Status, VOID_LIMIT, Via};
use mxray_core::spf::lint::lint_pasted;
use mxray_core::spf::{Evaluation, check_helo, check_mail_from};

use crate::components::findings::{ExportLink, FindingList, FindingsOrOk, MarkedRecord};
use crate::components::form::{DomainField, PasteField, editable};
use crate::doh::{BrowserIdna, session};
use crate::resolver::use_resolvers;
use crate::route::{Page, use_router};

fn node_view(nodes: &[Node], i: usize) -> AnyView {
    let node = &nodes[i];
    let via = match node.via {
        Via::Root => "",
        Via::Include => "include:",
        Via::Redirect => "redirect=",
    };
    let children: Vec<AnyView> = node.children.iter().map(|&c| node_view(nodes, c)).collect();
    let lookups = format!(
        "{} lookup{} here · {} in this branch",
        node.own_lookups,
        if node.own_lookups == 1 { "" } else { "s" },
        node.branch_lookups
    );
    let bad = !matches!(node.status, Status::Valid);
    view! {
        <li class="spf-node" data-domain=node.domain.clone()>
            <p class="spf-node__head">
                <code>{via}{node.domain.clone()}</code>
                " "
                <span class=if bad { "badge badge--bad" } else { "badge" }>{node.status.words()}</span>
                " "
                <span class="spf-node__cost">{lookups}</span>
            </p>
            {node.text.clone().map(|text| view! {
                <MarkedRecord text=text findings=node.findings.clone()/>
            })}
            {(!node.term_costs.is_empty()).then(|| view! {
                <p class="spf-node__terms">
                    "Lookups: "
                    {node
                        .term_costs
                        .iter()
                        .map(|t| format!("{} {}", t.term, t.lookups))
                        .collect::<Vec<_>>()
                        .join(" · ")}
                </p>
            })}
            <FindingList findings=node.findings.clone()/>
            {(!children.is_empty()).then(|| view! { <ul class="spf-tree">{children}</ul> })}
        </li>
    }
    .into_any()
}

#[component]
fn Summary(analysis: Analysis) -> impl IntoView {
    let lookups_class = if analysis.lookups > LOOKUP_LIMIT {
        "summary__bad"
    } else {
        ""
    };
    let voids_class = if analysis.voids > VOID_LIMIT {
        "summary__bad"
    } else {
        ""
    };
    let networks = analysis
        .nodes
        .iter()
        .map(|n| n.networks.len())
        .sum::<usize>();
    let worst = analysis
        .findings
        .iter()
        .chain(analysis.nodes.iter().flat_map(|n| &n.findings))
        .map(|f| f.severity)
        .max();
    let headline = match (analysis.valid, worst) {
        (false, _) => format!(
            "{}: the SPF policy is broken (receivers get permerror or no policy)",
            analysis.domain
        ),
        (true, Some(Severity::Error)) => format!(
            "{}: the SPF policy works, but has errors to fix",
            analysis.domain
        ),
        (true, Some(Severity::Warning)) => {
            format!(
                "{}: the SPF policy is valid, with warnings",
                analysis.domain
            )
        }
        (true, _) => format!("{}: the SPF policy is valid", analysis.domain),
    };
    view! {
        <section class="summary" aria-labelledby="spf-summary">
            <h2 id="spf-summary" class="summary__title">{headline}</h2>
            <dl class="summary__facts">
                <div>
                    <dt>"DNS lookups"</dt>
                    <dd class=lookups_class>
                        <span class="summary__lookups">{analysis.lookups}</span>
                        {format!(" of {LOOKUP_LIMIT}")}
                        <meter min="0" max="10" high="9" optimum="0" value=analysis.lookups.min(10)
                            aria-label="DNS lookups used of 10"></meter>
                    </dd>
                </div>
                <div>
                    <dt>"Void lookups"</dt>
                    <dd class=voids_class>
                        {format!("{} of {VOID_LIMIT}", analysis.voids)}
                    </dd>
                </div>
                <div>
                    <dt>"Authorized"</dt>
                    <dd>{format!(
                        "{} IPv4 addresses{} in {networks} networks",
                        analysis.ipv4_addresses,
                        if analysis.ipv6_addresses > 0 { " and IPv6 ranges" } else { "" }
                    )}</dd>
                </div>
            </dl>
            <p class="summary__rule">
                "Counted as RFC 7208 §4.6.4 counts: each include, a, mx, ptr, exists and redirect costs one lookup, in every included record too; all, ip4 and ip6 cost none. Receivers stop at 10 and the whole policy fails (permerror)."
            </p>
            <FindingList findings=analysis.findings.clone()/>
            <ExportLink file_name=format!("spf-{}.json", analysis.domain) json=analysis.to_json()/>
        </section>
    }
}

#[component]
fn SenderResult(evaluation: Evaluation, label: String) -> impl IntoView {
    view! {
        <div class="sender-result">
            <p class="sender-result__title">
                {label} ": " <strong class="sender-result__value">{evaluation.result.name()}</strong>
            </p>
            <p>{evaluation.reason.clone()}</p>
            {evaluation.explanation.clone().map(|x| view! { <p>"Explanation: " {x}</p> })}
            <p class="result__meta">{format!(
                "{} of {LOOKUP_LIMIT} lookups, {} void",
                evaluation.dns_terms, evaluation.void_lookups
            )}</p>
            <ol class="trace" aria-label="Every step of the evaluation">
                {evaluation
                    .trace
                    .iter()
                    .map(|s| {
                        // A class, not a style attribute: the CSP allows no inline styles.
                        let class = format!("trace__step trace__step--{}", s.depth.min(5));
                        view! { <li class=class><code>{s.text.clone()}</code></li> }
                    })
                    .collect_view()}
            </ol>
        </div>
    }
}

#[component]
pub fn SpfPage() -> impl IntoView {
    let router = use_router();
    let resolvers = use_resolvers();
    let domain_param = router.param("domain");
    let record_param = router.param("record");
    let ip_param = router.param("ip");
    let sender_param = router.param("sender");
    let helo_param = router.param("helo");

    let domain_input = editable(domain_param);
    let record_input = RwSignal::new(record_param.get_untracked());
    let ip_input = RwSignal::new(ip_param.get_untracked());
    let sender_input = RwSignal::new(sender_param.get_untracked());
    let helo_input = RwSignal::new(helo_param.get_untracked());

    let on_domain = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        router.go(
            Page::Spf,
            &[("domain", domain_input.get_untracked().trim())],
        );
    };
    let on_sender = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        router.go(
            Page::Spf,
            &[
                ("domain", domain_param.get_untracked().as_str()),
                ("ip", ip_input.get_untracked().trim()),
                ("sender", sender_input.get_untracked().trim()),
                ("helo", helo_input.get_untracked().trim()),
            ],
        );
    };

    // The records found so far and the names being fetched: the tree grows while levels arrive.
    let progress = RwSignal::new(None::<(Vec<Node>, Vec<String>)>);
    let analysis = LocalResource::new(move || {
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
            let name = target.name.to_string();
            let result = analysis::analyse_with_progress(&session(&client), &name, |p| {
                progress.set(Some((p.nodes.to_vec(), p.fetching.to_vec())));
            })
            .await;
            Some(Ok(result))
        }
    });
    let evaluation = LocalResource::new(move || {
        let domain = domain_param.get();
        let ip = ip_param.get();
        let sender = sender_param.get();
        let helo = helo_param.get();
        let client = resolvers.client_tracked();
        async move {
            if ip.trim().is_empty() || domain.trim().is_empty() {
                return None;
            }
            let ip: std::net::IpAddr = match ip.trim().parse() {
                Ok(ip) => ip,
                Err(_) => return Some(Err(format!("{ip:?} is not an IP address."))),
            };
            let domain = normalise(&domain, &BrowserIdna)
                .map(|t| t.name.to_string())
                .unwrap_or(domain);
            // With neither MAIL FROM nor HELO, the domain on the page is the one tested.
            let sender = if sender.is_empty() && helo.is_empty() {
                format!("postmaster@{domain}")
            } else {
                sender
            };
            // Independent identities: both evaluations run at once, over one check's answers.
            let session = session(&client);
            let (mail_from, helo_eval) =
                join(check_mail_from(&session, ip, &sender, &helo), async {
                    if helo.is_empty() {
                        None
                    } else {
                        Some(check_helo(&session, ip, &helo).await)
                    }
                })
                .await;
            // The identity as checked (RFC 7208 §2.4: a bounce is postmaster@HELO).
            let sender = match sender.rsplit_once('@') {
                Some(_) => sender,
                None if sender.is_empty() => format!("postmaster@{helo}"),
                None => format!("postmaster@{sender}"),
            };
            Some(Ok((sender, mail_from, helo, helo_eval)))
        }
    });

    let pasted = Memo::new(move |_| {
        let text = record_input.get();
        (!text.trim().is_empty()).then(|| lint_pasted(&text))
    });

    view! {
        <section class="page">
            <h1>"SPF"</h1>
            <p class="lede">"Check a domain's SPF policy: every problem underlined, the include tree with what each branch costs of the 10 lookups, and a sender test. Or paste a record to check it without DNS."</p>
            <form class="query-form" role="search" on:submit=on_domain>
                <DomainField id="spf-domain" value=domain_input/>
                <button class="button" type="submit">"Check SPF"</button>
            </form>
            <PasteField id="spf-record" param="record" rows=3 value=record_input
                label="Or paste an SPF record (checked as you type, no DNS)"
                placeholder="v=spf1 include:_spf.example.com -all"/>
            {move || pasted.get().map(|linted| {
                let ok = linted.findings.iter().all(|f| f.severity != Severity::Error) && linted.record.is_some();
                view! {
                    <section class="pasted" aria-labelledby="pasted-title" aria-live="polite">
                        <h2 id="pasted-title">{if ok { "The pasted record is valid" } else { "The pasted record has errors" }}</h2>
                        <MarkedRecord text=linted.text.clone() findings=linted.findings.clone()/>
                        {linted.record.as_ref().map(|r| view! {
                            <p class="result__meta">"Canonical form: " <code>{r.to_string()}</code></p>
                        })}
                        <FindingsOrOk findings=linted.findings.clone()/>
                    </section>
                }
            })}
            <Suspense fallback=move || view! {
                <p class="progress" role="status">{move || match progress.get() {
                    Some((found, fetching)) if !fetching.is_empty() => format!(
                        "Fetching SPF records: {} ({} found so far)…",
                        fetching.join(", "),
                        found.len()
                    ),
                    Some((found, _)) => format!("Analysing {} records…", found.len()),
                    None => "Asking the resolver…".to_owned(),
                }}</p>
                {move || progress.get().and_then(|(found, _)| {
                    (!found.is_empty()).then(|| view! {
                        <ul class="spf-tree spf-tree--root spf-tree--partial" aria-busy="true">
                            {node_view(&found, 0)}
                        </ul>
                    })
                })}
            }>
                {move || analysis.get().flatten().map(|result| match result {
                    Err(message) => view! { <p class="alert alert--error" role="alert">{message}</p> }.into_any(),
                    Ok(a) => {
                        let tree = (!a.nodes.is_empty()).then(|| node_view(&a.nodes, 0));
                        view! {
                            <Summary analysis=a.clone()/>
                            <section aria-labelledby="spf-tree-title">
                                <h2 id="spf-tree-title">"The policy and everything it includes"</h2>
                                <ul class="spf-tree spf-tree--root">{tree}</ul>
                            </section>
                        }
                        .into_any()
                    }
                })}
            </Suspense>
            {move || (!domain_param.get().trim().is_empty()).then(|| view! {
                <section class="sender" aria-labelledby="sender-title">
                    <h2 id="sender-title">"Test a sender"</h2>
                    <p class="result__meta">"Runs check_host() as a receiving server would, with every step shown."</p>
                    <form class="query-form" on:submit=on_sender>
                        <div class="field">
                            <label for="spf-ip">"Sending IP"</label>
                            <input id="spf-ip" type="text" inputmode="decimal" autocomplete="off" spellcheck="false"
                                placeholder="192.0.2.25" required
                                prop:value=move || ip_input.get()
                                on:input=move |ev| ip_input.set(event_target_value(&ev))/>
                        </div>
                        <div class="field field--grow">
                            <label for="spf-sender">"MAIL FROM"</label>
                            <input id="spf-sender" type="text" autocomplete="off" spellcheck="false"
                                placeholder="bounce@example.com"
                                prop:value=move || sender_input.get()
                                on:input=move |ev| sender_input.set(event_target_value(&ev))/>
                        </div>
                        <div class="field">
                            <label for="spf-helo">"HELO name"</label>
                            <input id="spf-helo" type="text" autocomplete="off" spellcheck="false"
                                placeholder="mail.example.com"
                                prop:value=move || helo_input.get()
                                on:input=move |ev| helo_input.set(event_target_value(&ev))/>
                        </div>
                        <button class="button" type="submit">"Test"</button>
                    </form>
                    <Suspense fallback=|| view! { <p class="progress" role="status">"Evaluating…"</p> }>
                        {move || evaluation.get().flatten().map(|r| match r {
                            Err(message) => view! { <p class="alert alert--error" role="alert">{message}</p> }.into_any(),
                            Ok((sender, mail_from, helo, helo_eval)) => view! {
                                <SenderResult evaluation=mail_from label=format!("MAIL FROM {sender}")/>
                                {helo_eval.map(|h| view! { <SenderResult evaluation=h label=format!("HELO {helo}")/> })}
                            }
                            .into_any(),
                        })}
                    </Suspense>
                </section>
            })}
        </section>
    }
}
