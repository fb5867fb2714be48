//! Findings as every page shows them: record text underlined at each finding's span (as text,
//! never HTML), the list worst first with code, RFC, message and fix, and a Copy button per fix.

use leptos::prelude::*;
use mxray_core::finding::{Finding, Severity, rfc_url, segments};

use crate::route::{Page, use_router};

fn severity_class(severity: Option<Severity>) -> &'static str {
    match severity {
        Some(Severity::Error) => "mark mark--error",
        Some(Severity::Warning) => "mark mark--warning",
        Some(Severity::Info) => "mark mark--info",
        None => "",
    }
}

/// Record text with each finding's span underlined (as text, never HTML).
#[component]
#[expect(
    clippy::needless_pass_by_value,
    reason = "component properties are owned"
)]
pub(crate) fn MarkedRecord(text: String, findings: Vec<Finding>) -> impl IntoView {
    let parts = segments(&text, &findings);
    view! {
        <code class="spf-record">
            {parts
                .into_iter()
                .map(|part| match part.severity {
                    None => view! { <span>{part.text}</span> }.into_any(),
                    Some(severity) => view! {
                        <mark class=severity_class(Some(severity)) title=part.codes.join(", ")>
                            {part.text}
                        </mark>
                    }
                    .into_any(),
                })
                .collect_view()}
        </code>
    }
}

/// The findings, or a line saying there are none.
#[component]
pub(crate) fn FindingsOrOk(
    findings: Vec<Finding>,
    #[prop(optional)] ok_class: Option<&'static str>,
) -> impl IntoView {
    if findings.is_empty() {
        view! { <p class=ok_class>"No problems found."</p> }.into_any()
    } else {
        view! { <FindingList findings=findings/> }.into_any()
    }
}

/// Findings, worst first, each with its code, RFC, message and fix.
#[component]
pub(crate) fn FindingList(findings: Vec<Finding>) -> impl IntoView {
    let router = use_router();
    let mut findings = findings;
    findings.sort_by_key(|f| core::cmp::Reverse(f.severity));
    (!findings.is_empty()).then(|| {
        view! {
            <ul class="findings">
                {findings
                    .into_iter()
                    .map(|f| {
                        let class = format!("finding finding--{}", f.severity.as_str());
                        view! {
                            <li class=class data-code=f.code>
                                <p class="finding__head">
                                    <span class="finding__severity">{f.severity.as_str()}</span>
                                    " "
                                    <a class="finding__code" href=format!("{}#{}", router.href(Page::Catalog, &[]), f.code)
                                        title="What this finding means"><code>{f.code}</code></a>
                                    " · "
                                    {match rfc_url(f.rfc) {
                                        Some(url) => view! { <a class="finding__rfc" href=url rel="noreferrer" target="_blank">{f.rfc}</a> }.into_any(),
                                        None => view! { <span class="finding__rfc">{f.rfc}</span> }.into_any(),
                                    }}
                                </p>
                                <p class="finding__message">{f.message.clone()}</p>
                                {f.fix.clone().map(|fix| view! { <Fix fix=fix/> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}

/// A fix, with a button that copies it for the DNS provider's form.
#[component]
pub(crate) fn Fix(fix: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let text = fix.clone();
    let copy = move |_| {
        let clipboard = window().navigator().clipboard();
        let _ = clipboard.write_text(&text);
        copied.set(true);
    };
    view! {
        <p class="finding__fix">
            "Fix: " <code>{fix}</code> " "
            <button class="button button--small button--secondary" type="button" on:click=copy>
                {move || if copied.get() { "Copied" } else { "Copy" }}
            </button>
        </p>
    }
}

/// The report as a JSON download: the same JSON the CLI prints with `--json`.
#[component]
#[expect(
    clippy::needless_pass_by_value,
    reason = "component properties are owned"
)]
pub(crate) fn ExportLink(file_name: String, json: String) -> impl IntoView {
    let href = format!(
        "data:application/json;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(&json))
    );
    view! {
        <p class="actions">
            <a class="button button--secondary" download=file_name href=href>
                "Download the report (JSON)"
            </a>
        </p>
    }
}
