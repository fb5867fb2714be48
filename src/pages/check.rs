//! The Check page (`check?domain=…&selectors=…&ip=…&srv=…`): one report across every area of a
//! domain's mail DNS. A summary row per area first, then a section per area with its records,
//! findings and fixes. Areas appear as their lookups finish, each with its own progress; one
//! area failing never blanks the others. Core's `check` module decides everything; this page
//! only shows it.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use mxray_core::check::client::SrvState;
use mxray_core::check::records::lint_policy;
use mxray_core::check::{
    Area, AreaStatus, PolicyFetch, PolicyState, Progress, Report, Request, Summary as AreaSummary,
    mta_sts_policy_url, run,
};
use mxray_core::dkim::discover::State as KeyState;
use mxray_core::dns::doh::Clock;
use mxray_core::dns::input::normalise;
use mxray_core::finding::Finding;

use crate::components::findings::{ExportLink, FindingList, FindingsOrOk, MarkedRecord};
use crate::components::form::{DomainField, PasteField, editable};
use crate::doh::{BrowserFetch, BrowserFile, BrowserIdna};
use crate::resolver::use_resolvers;
use crate::route::{Page, use_router};

/// Why the page does not fetch the MTA-STS policy when its own Content-Security-Policy forbids it.
const POLICY_BLOCKED_BY_CSP: &str = "this copy of mxray talks to nothing but your DNS resolver \
    (its Content-Security-Policy says so), so it does not fetch files from other sites.";

/// Whether this page's Content-Security-Policy lets it fetch `url` (the `<meta>` policies; one
/// sent as an HTTP header cannot be read, and then the fetch fails as if CORS blocked it).
fn csp_allows(url: &str) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let origin = document
        .location()
        .and_then(|l| l.origin().ok())
        .unwrap_or_default();
    let policies: Vec<String> = document
        .query_selector_all(r#"meta[http-equiv="Content-Security-Policy" i]"#)
        .map(|list| {
            (0..list.length())
                .filter_map(|i| list.item(i))
                .filter_map(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
                .filter_map(|e| e.get_attribute("content"))
                .collect()
        })
        .unwrap_or_default();
    mxray_core::csp::allows_connect(policies.iter().map(String::as_str), &origin, url)
}

/// The run's counts, for the footer line (and the benchmark, which reads it).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct RunStats {
    asked: u32,
    sent: u32,
    max_in_flight: u32,
    elapsed_ms: f64,
}

fn split_list(text: &str) -> Vec<String> {
    text.split([',', ' ', '\n', '\t'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[component]
pub fn CheckPage() -> impl IntoView {
    let router = use_router();
    let resolvers = use_resolvers();
    let domain_param = router.param("domain");
    let selectors_param = router.param("selectors");
    let ip_param = router.param("ip");
    let srv_param = router.param("srv");
    let policy_param = router.param("policy");

    let domain_input = editable(domain_param);
    let selectors_input = editable(selectors_param);
    let ip_input = editable(ip_param);
    let srv_input = editable(srv_param);
    let policy_input = RwSignal::new(policy_param.get_untracked());

    let report: RwSignal<Option<Report>> = RwSignal::new(None);
    let progress: RwSignal<Progress> = RwSignal::new(Progress::default());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let stats: RwSignal<Option<RunStats>> = RwSignal::new(None);
    // Each area's summary row, worked out once per report for the table and the sections.
    let summaries: Summaries = Area::ALL
        .map(|area| Memo::new(move |_| report.with(|r| r.as_ref().map(|r| r.summary(area)))));
    // Each run has a number; a run that is no longer the latest stops updating the page.
    let generation = StoredValue::new(0u32);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        router.go(
            Page::Check,
            &[
                ("domain", domain_input.get_untracked().trim()),
                ("selectors", selectors_input.get_untracked().trim()),
                ("ip", ip_input.get_untracked().trim()),
                ("srv", srv_input.get_untracked().trim()),
            ],
        );
    };

    Effect::new(move |_| {
        let domain = domain_param.get();
        let selectors = split_list(&selectors_param.get());
        let ip_text = ip_param.get();
        let srv = split_list(&srv_param.get());
        let client = resolvers.client_tracked();
        let run_id = generation.get_value().wrapping_add(1);
        generation.set_value(run_id);
        report.set(None);
        stats.set(None);
        error.set(None);
        progress.set(Progress::default());
        if domain.trim().is_empty() {
            return;
        }
        let target = match normalise(&domain, &BrowserIdna) {
            Ok(t) if t.reverse_of.is_none() => t,
            Ok(_) => {
                error.set(Some(format!(
                    "{} is an IP address: enter a domain, and put the address in “Sending IP”.",
                    domain.trim()
                )));
                return;
            }
            Err(e) => {
                error.set(Some(e.to_string()));
                return;
            }
        };
        let ip = match ip_text.trim() {
            "" => None,
            text => match text.parse() {
                Ok(ip) => Some(ip),
                Err(_) => {
                    error.set(Some(format!("{text} is not an IPv4 or IPv6 address.")));
                    return;
                }
            },
        };
        let request = Request {
            domain: target.name.to_string(),
            selectors,
            ip,
            srv,
        };
        spawn_local(async move {
            let session = crate::doh::session(&client);
            let started = BrowserFetch.now_ms();
            let current = move || generation.get_value() == run_id;
            // The page is drawn at most once a frame, not once per question: a check asks
            // about seventy, and drawing inside each would hold back the next request.
            let frame = Rc::new(RefCell::new(Frame::default()));
            let notify = |r: &Report, p: &Progress| {
                if !current() {
                    return;
                }
                let mut f = frame.borrow_mut();
                let done = p.areas.iter().filter(|a| a.done).count();
                if done != f.done {
                    f.done = done;
                    f.report = Some(r.clone());
                }
                f.progress = Some(p.clone());
                if !f.scheduled {
                    f.scheduled = true;
                    let frame = frame.clone();
                    request_animation_frame(move || {
                        let (p, r) = {
                            let mut f = frame.borrow_mut();
                            f.scheduled = false;
                            if f.finished || !current() {
                                return;
                            }
                            (f.progress.take(), f.report.take())
                        };
                        if let Some(p) = p {
                            progress.set(p);
                        }
                        if let Some(r) = r {
                            report.set(Some(r));
                        }
                    });
                }
            };
            let policy_url = mta_sts_policy_url(&request.domain);
            let policy_host = policy_url
                .trim_start_matches("https://")
                .split('/')
                .next()
                .unwrap_or_default();
            let unreadable = format!(
                "the browser did not let this page read it: {policy_host} sends no \
                 Access-Control-Allow-Origin header (few policy hosts do), or it could not be \
                 reached."
            );
            let policy_fetch = if csp_allows(&policy_url) {
                PolicyFetch::FromPage {
                    unreadable: &unreadable,
                }
            } else {
                PolicyFetch::Skip(POLICY_BLOCKED_BY_CSP)
            };
            let finished = run(&session, &BrowserFile, policy_fetch, &request, &notify).await;
            frame.borrow_mut().finished = true;
            if current() {
                let s = session.stats();
                stats.set(Some(RunStats {
                    asked: s.asked,
                    sent: s.sent,
                    max_in_flight: s.max_in_flight,
                    elapsed_ms: BrowserFetch.now_ms() - started,
                }));
                report.set(Some(finished));
            }
        });
    });

    // Shown only while there is a domain and no input error: running until the counts are in.
    let running = move || stats.with(Option::is_none);

    view! {
        <section class="page check-page">
            <h1>"Check a domain"</h1>
            <p class="lede">"Everything that decides whether a domain's mail is delivered: MX, SPF, DKIM, DMARC, reverse DNS, MTA-STS, TLS-RPT, BIMI, mail client setup and DNSSEC, in one report with a fix for every problem."</p>
            <form class="query-form check-form" role="search" on:submit=on_submit>
                <DomainField id="check-domain" value=domain_input/>
                <div class="field">
                    <label for="check-selectors">"DKIM selectors " <span class="field__hint">"(optional)"</span></label>
                    <input id="check-selectors" name="selectors" type="text" autocomplete="off"
                        autocapitalize="off" spellcheck="false" placeholder="s1, google"
                        prop:value=move || selectors_input.get()
                        on:input=move |ev| selectors_input.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="check-ip">"Sending IP " <span class="field__hint">"(optional)"</span></label>
                    <input id="check-ip" name="ip" type="text" inputmode="decimal" autocomplete="off"
                        spellcheck="false" placeholder="192.0.2.25"
                        prop:value=move || ip_input.get()
                        on:input=move |ev| ip_input.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="check-srv">"More SRV names " <span class="field__hint">"(optional)"</span></label>
                    <input id="check-srv" name="srv" type="text" autocomplete="off"
                        autocapitalize="off" spellcheck="false" placeholder="_xmpp-client._tcp"
                        prop:value=move || srv_input.get()
                        on:input=move |ev| srv_input.set(event_target_value(&ev))/>
                </div>
                <button class="button" type="submit">"Check"</button>
            </form>
            {move || error.get().map(|e| view! { <p class="alert alert--error" role="alert">{e}</p> })}
            {move || {
                let domain = domain_param.get();
                (!domain.trim().is_empty() && error.with(Option::is_none)).then(|| view! {
                    <Summary summaries=summaries progress=progress/>
                    <p class="progress" role="status">
                        {move || if running() { "Checking…".to_owned() } else { String::new() }}
                    </p>
                })
            }}
            <Sections report=report summaries=summaries policy=policy_input/>
            {move || stats.get().map(|s| view! {
                <p class="check-stats" data-asked=s.asked data-sent=s.sent data-max-in-flight=s.max_in_flight
                    data-elapsed-ms=format!("{:.0}", s.elapsed_ms)>
                    {format!(
                        "{} DNS questions, {} sent (the rest answered by this check's cache), at most {} in flight at once, {:.0} ms.",
                        s.asked, s.sent, s.max_in_flight, s.elapsed_ms
                    )}
                </p>
            })}
            {move || {
                let finished = stats.with(Option::is_some);
                report.get().filter(|_| finished).map(|r| {
                    let domain = r.domain().to_owned();
                    let md = r.to_markdown();
                    view! {
                        <div class="check-export">
                            <ExportLink file_name=format!("mxray-check-{domain}.json") json=r.to_json()/>
                            <p class="actions">
                                <a class="button button--secondary" download=format!("mxray-check-{domain}.md")
                                    href=format!("data:text/markdown;charset=utf-8,{}", String::from(js_sys::encode_uri_component(&md)))>
                                    "Download the report (Markdown)"
                                </a>
                                " "
                                <button class="button button--secondary" type="button"
                                    on:click=move |_| { let _ = window().print(); }>
                                    "Print"
                                </button>
                            </p>
                        </div>
                    }
                })
            }}
        </section>
    }
}

/// What the next frame draws of a running check.
#[derive(Default)]
struct Frame {
    progress: Option<Progress>,
    report: Option<Report>,
    /// Areas finished when the report was last taken.
    done: usize,
    scheduled: bool,
    finished: bool,
}

/// Every area's summary row, in [`Area::ALL`]'s order (`None` before the report starts).
type Summaries = [Memo<Option<AreaSummary>>; Area::ALL.len()];

/// One row per area: its status, a line saying why, and its progress while it runs.
#[component]
fn Summary(summaries: Summaries, progress: RwSignal<Progress>) -> impl IntoView {
    view! {
        <table class="check-summary">
            <caption class="visually-hidden">"Summary by area"</caption>
            <thead><tr><th scope="col">"Area"</th><th scope="col">"Result"</th><th scope="col">"Why"</th></tr></thead>
            <tbody>
                {Area::ALL.into_iter().zip(summaries).map(|(area, summary)| {
                    let status = move || summary.with(|s| s.as_ref().map_or(AreaStatus::Pending, |s| s.status));
                    view! {
                        <tr class=move || format!("check-row check-row--{}", status().key()) data-area=area.key()>
                            <th scope="row"><a href=format!("#area-{}", area.key())>{area.title()}</a></th>
                            <td class="check-row__status">
                                <span class=move || format!("status status--{}", status().key())>{move || status().words()}</span>
                            </td>
                            <td class="check-row__line">
                                {move || {
                                    let p = progress.with(|p| p.of(area));
                                    match summary.get() {
                                        Some(s) if s.status != AreaStatus::Pending => s.line,
                                        _ if p.asked == 0 => "Waiting…".to_owned(),
                                        _ => format!("{} of {} answers in", p.answered, p.asked),
                                    }
                                }}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// A section per finished area.
/// A section per area, each drawn when its area finishes and drawn again only when its own
/// summary or findings change (a cross-area finding arriving later): not once per update of
/// the report, which would redraw every finished area and take the focus from a field in it.
#[component]
fn Sections(
    report: RwSignal<Option<Report>>,
    summaries: Summaries,
    policy: RwSignal<String>,
) -> impl IntoView {
    let router = use_router();
    Area::ALL
        .into_iter()
        .zip(summaries)
        .map(|(area, summary)| {
            let shape = Memo::new(move |_| {
                let summary = summary.get().filter(|s| s.status != AreaStatus::Pending)?;
                report.with(|r| {
                    let r = r.as_ref()?;
                    let findings: Vec<Finding> = r.findings(area).into_iter().cloned().collect();
                    // The pasted-policy field checks against the MX hosts.
                    let hosts = (area == Area::MtaSts)
                        .then(|| r.mx.as_ref().map(|m| m.host_names()))
                        .flatten()
                        .unwrap_or_default();
                    Some((summary, findings, hosts))
                })
            });
            move || {
                let (summary, findings, hosts) = shape.get()?;
                report.with_untracked(|r| {
                    let r = r.as_ref()?;
                    Some(area_section(
                        r,
                        area,
                        summary.status,
                        findings,
                        hosts,
                        router,
                        policy,
                    ))
                })
            }
        })
        .collect_view()
}

fn area_section(
    report: &Report,
    area: Area,
    status: AreaStatus,
    findings: Vec<Finding>,
    hosts: Vec<String>,
    router: crate::route::Router,
    policy: RwSignal<String>,
) -> impl IntoView + use<> {
    let body = area_body(report, area, report.domain(), router);
    // A field to paste the policy, when there is a record and the page could not read it.
    let has_record = report
        .mta_sts
        .as_ref()
        .is_some_and(|m| m.record.is_some() && !matches!(m.policy, Some(PolicyState::Read(_))));
    let extra = (area == Area::MtaSts && has_record)
        .then(|| view! { <PastedPolicy policy=policy hosts=hosts/> });
    view! {
        <section class=format!("check-area check-area--{}", status.key()) id=format!("area-{}", area.key())
            aria-labelledby=format!("area-{}-title", area.key())>
            <h2 id=format!("area-{}-title", area.key())>
                {area.title()} " " <span class=format!("status status--{}", status.key())>{status.words()}</span>
            </h2>
            {body}
            <FindingsOrOk findings=findings ok_class="check-area__ok"/>
            {extra}
        </section>
    }
}

/// The MTA-STS policy pasted by the user, checked against the MX hosts.
#[component]
fn PastedPolicy(policy: RwSignal<String>, hosts: Vec<String>) -> impl IntoView {
    let checked = Memo::new(move |_| {
        let text = policy.get();
        (!text.trim().is_empty()).then(|| lint_policy(&text, &hosts))
    });
    view! {
        <PasteField id="check-policy" param="policy" rows=5 value=policy
            label="Paste the MTA-STS policy to check it against the MX hosts"
            placeholder="version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800"/>
        {move || checked.get().map(|p| if p.findings.is_empty() {
            view! { <p class="alert alert--ok" role="status">"The pasted policy is valid and covers every MX host."</p> }.into_any()
        } else {
            view! { <div aria-live="polite"><FindingList findings=p.findings.clone()/></div> }.into_any()
        })}
    }
}

fn addresses(host: &mxray_core::check::host::Host) -> Vec<String> {
    host.addresses().iter().map(ToString::to_string).collect()
}

/// The items joined with commas, or `empty` when there are none.
fn joined_or(items: &[String], empty: &str) -> String {
    if items.is_empty() {
        empty.to_owned()
    } else {
        items.join(", ")
    }
}

fn records_list(items: Vec<String>) -> impl IntoView {
    (!items.is_empty()).then(|| {
        view! {
            <ul class="check-records">
                {items.into_iter().map(|i| view! { <li><code>{i}</code></li> }).collect_view()}
            </ul>
        }
    })
}

fn area_body(report: &Report, area: Area, domain: &str, router: crate::route::Router) -> AnyView {
    let more = |page: Page, label: &'static str, params: Vec<(&'static str, String)>| {
        let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        view! { <p><a href=router.href(page, &pairs)>{label}</a></p> }
    };
    match area {
        Area::Mx => {
            let hosts: Vec<String> = report
                .mx
                .iter()
                .flat_map(|m| m.hosts())
                .map(|h| {
                    format!(
                        "{} {}  →  {}",
                        h.preference,
                        h.host.name,
                        joined_or(&addresses(&h.host), "no address")
                    )
                })
                .collect();
            records_list(hosts).into_any()
        }
        Area::Spf => {
            let spf = report.spf.as_ref();
            let text = spf.and_then(|s| s.analysis.nodes.first()).and_then(|n| {
                n.text
                    .clone()
                    .map(|t| view! { <MarkedRecord text=t findings=n.findings.clone()/> })
            });
            let sender = spf.and_then(|s| s.sender.as_ref()).map(|(ip, e)| {
                view! { <p>{format!("Mail from {ip}: SPF {} ({})", e.result.name(), e.reason)}</p> }
            });
            let lookups = spf.map(|s| {
                view! { <p>{format!("{} of 10 DNS lookups, {} void lookups.", s.analysis.lookups, s.analysis.voids)}</p> }
            });
            view! {
                {text}
                {lookups}
                {sender}
                {more(Page::Spf, "The include tree and a sender test on the SPF page", vec![("domain", domain.to_owned())])}
            }
            .into_any()
        }
        Area::Dkim => {
            let keys: Vec<String> = report
                .dkim
                .iter()
                .flat_map(|d| &d.selectors)
                .filter(|s| s.is_interesting())
                .map(|s| match &s.state {
                    KeyState::Found(records) => format!(
                        "{}._domainkey.{domain}: {}",
                        s.selector,
                        records.first().map(|r| r.key.words()).unwrap_or_default()
                    ),
                    KeyState::Failed(why) => format!("{}: lookup failed ({why})", s.selector),
                    _ => format!("{}._domainkey.{domain}: no key", s.selector),
                })
                .collect();
            let probed = report.dkim.as_ref().map_or(0, |d| d.common_probed);
            let selectors = report.request.selectors.join(" ");
            view! {
                {records_list(keys)}
                <p class="check-note">{format!("{probed} common provider selectors were probed; give yours above if it is not found.")}</p>
                {more(Page::Dkim, "Keys in detail on the DKIM page", vec![("domain", domain.to_owned()), ("selectors", selectors)])}
            }
            .into_any()
        }
        Area::Dmarc => {
            let record = report.dmarc.as_ref().and_then(|d| d.applied.as_ref()).map(|a| {
                view! {
                    <p>{format!("_dmarc.{}:", a.domain)}</p>
                    <MarkedRecord text=a.record.text.clone() findings=a.record.findings.clone()/>
                }
            });
            view! {
                {record}
                {more(Page::Dmarc, "The tree walk and report destinations on the DMARC page", vec![("domain", domain.to_owned())])}
            }
            .into_any()
        }
        Area::ReverseDns => {
            let rows: Vec<String> = report
                .rdns
                .iter()
                .flat_map(|r| &r.entries)
                .map(|e| {
                    let who = match &e.role {
                        mxray_core::check::rdns::Role::Mx(h) => h.clone(),
                        mxray_core::check::rdns::Role::Sender => "sending IP".to_owned(),
                    };
                    let names: Vec<String> = e
                        .names
                        .iter()
                        .map(|n| {
                            format!(
                                "{} ({})",
                                n.name,
                                if n.confirmed { "confirmed" } else { "not confirmed" }
                            )
                        })
                        .collect();
                    format!("{} ({who})  →  {}", e.ip, joined_or(&names, "no PTR"))
                })
                .collect();
            records_list(rows).into_any()
        }
        Area::MtaSts => {
            let Some(m) = &report.mta_sts else {
                return ().into_any();
            };
            let record = m.record.as_ref().map(|r| {
                view! {
                    <p>{format!("{}:", m.published.name)}</p>
                    <MarkedRecord text=r.text.clone() findings=r.findings.clone()/>
                }
            });
            let policy = match &m.policy {
                Some(PolicyState::Read(p)) => Some(view! {
                    <p>"Policy file, read from " <a href=m.policy_url.clone() rel="noreferrer" target="_blank">{m.policy_url.clone()}</a> ":"</p>
                    <pre class="check-policy">{p.text.clone()}</pre>
                }.into_any()),
                Some(_) => Some(view! {
                    <p>"Policy file: " <a href=m.policy_url.clone() rel="noreferrer" target="_blank">{m.policy_url.clone()}</a></p>
                }.into_any()),
                None => None,
            };
            view! { {record} {policy} }.into_any()
        }
        Area::TlsRpt | Area::Bimi => {
            report
                .txt_area(area)
                .and_then(|a| {
                    a.record.as_ref().map(|r| {
                        view! {
                            <p>{format!("{}:", a.published.name)}</p>
                            <MarkedRecord text=r.text.clone() findings=r.findings.clone()/>
                        }
                    })
                })
                .into_any()
        }
        Area::ClientConfig => {
            let Some(c) = &report.client else {
                return ().into_any();
            };
            let mut rows = Vec::new();
            for (label, h) in [("autoconfig", &c.autoconfig), ("autodiscover", &c.autodiscover)] {
                rows.push(format!(
                    "{label}.{domain}: {}",
                    joined_or(&addresses(h), "not published")
                ));
            }
            for s in &c.srv {
                let what = match &s.state {
                    SrvState::Targets(t) => t
                        .iter()
                        .map(|t| format!("{} {} {} {}", t.priority, t.weight, t.port, t.target))
                        .collect::<Vec<_>>()
                        .join("; "),
                    SrvState::NotOffered => "not offered (\".\")".to_owned(),
                    SrvState::Missing => "not published".to_owned(),
                    SrvState::Failed(why) => format!("failed: {why}"),
                };
                rows.push(format!("{}: {what}", s.name));
            }
            records_list(rows).into_any()
        }
        Area::Dnssec => view! {
            <p class="check-note">"The page does not validate DNSSEC itself: this is what the resolver reports with its AD (authenticated data) bit."</p>
        }
        .into_any(),
    }
}
