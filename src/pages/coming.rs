//! Pages whose engines arrive in later work, and the not-found page.

use leptos::prelude::*;

use crate::route::{Page, use_router};

fn plan(page: Page) -> &'static str {
    match page {
        Page::Build => {
            "Record builders: merge a vendor's include into your SPF, a DMARC wizard, and a zone-snippet linter."
        }
        _ => "",
    }
}

/// A page that is planned but not built yet.
#[component]
pub fn ComingPage(page: Page) -> impl IntoView {
    let router = use_router();
    view! {
        <section class="page">
            <h1>{page.label()}</h1>
            <p class="lede">{plan(page)}</p>
            <p class="notice" role="note">
                "This page is coming. Meanwhile, "
                <a href=router.href(Page::Lookup, &[])>"look up the records directly"</a>
                "."
            </p>
        </section>
    }
}

/// A path the app does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let router = use_router();
    view! {
        <section class="page">
            <h1>"Page not found"</h1>
            <p>"There is no such page in mxray. " <a href=router.base()>"Go to the start page"</a> "."</p>
        </section>
    }
}
