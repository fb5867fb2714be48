//! The findings catalog (`catalog`, `catalog#spf.lookup-limit`): every code mxray can report,
//! with its severity, the RFC section it rests on, what it means and an example. Every finding
//! on every page links here.

use leptos::prelude::*;
use mxray_core::finding::{CATALOG, rfc_url};

#[component]
pub fn CatalogPage() -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let groups: Vec<&'static str> = {
        let mut g: Vec<&str> = CATALOG
            .iter()
            .map(|e| e.code.split('.').next().unwrap_or_default())
            .collect();
        g.dedup();
        g
    };
    view! {
        <section class="page catalog">
            <h1>"Findings catalog"</h1>
            <p class="lede">{format!("Every one of the {} findings mxray reports, by its stable code: what it means, the standard it rests on, and an example. Codes never change meaning.", CATALOG.len())}</p>
            <div class="field">
                <label for="catalog-filter">"Filter by code or word"</label>
                <input id="catalog-filter" type="search" autocomplete="off" spellcheck="false"
                    placeholder="lookup-limit"
                    prop:value=move || filter.get()
                    on:input=move |ev| filter.set(event_target_value(&ev))/>
            </div>
            {groups.into_iter().map(|group| view! {
                <section class="catalog__group" aria-labelledby=format!("catalog-{group}")>
                    <h2 id=format!("catalog-{group}")>{group.to_uppercase()}</h2>
                    <dl class="catalog__list">
                        {CATALOG.iter().filter(|e| e.code.split('.').next() == Some(group)).map(|e| {
                            let shown = move || {
                                let f = filter.get().to_ascii_lowercase();
                                f.is_empty()
                                    || e.code.contains(f.trim())
                                    || e.explanation.to_ascii_lowercase().contains(f.trim())
                            };
                            view! {
                                <div class="catalog__entry" id=e.code hidden=move || !shown()>
                                    <dt>
                                        <code class="finding__code">{e.code}</code>
                                        " "
                                        <span class=format!("finding__severity catalog__severity--{}", e.severity.as_str())>{e.severity.as_str()}</span>
                                        " · "
                                        {match rfc_url(e.rfc) {
                                            Some(url) => view! { <a href=url rel="noreferrer" target="_blank">{e.rfc}</a> }.into_any(),
                                            None => view! { <span>{e.rfc}</span> }.into_any(),
                                        }}
                                    </dt>
                                    <dd>
                                        <p>{e.explanation}</p>
                                        <p class="catalog__example">"Example: " <code>{e.example}</code></p>
                                    </dd>
                                </div>
                            }
                        }).collect_view()}
                    </dl>
                </section>
            }).collect_view()}
        </section>
    }
}
