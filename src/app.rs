//! The app shell: header with navigation, the current page, and a footer naming the resolver.

use leptos::prelude::*;

use crate::pages;
use crate::resolver::{Resolvers, use_resolvers};
use crate::route::{Page, Router, use_router};

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let router = Router::install();
    provide_context(router);
    let resolvers = Resolvers::install(router.route().params("resolver"));
    provide_context(resolvers);

    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <Header/>
        <main id="main" class="site-main" tabindex="-1">
            {move || match router.page() {
                Page::Home => pages::home::HomePage().into_any(),
                Page::Lookup => pages::lookup::LookupPage().into_any(),
                Page::Check => pages::check::CheckPage().into_any(),
                Page::Catalog => pages::catalog::CatalogPage().into_any(),
                Page::Spf => pages::spf::SpfPage().into_any(),
                Page::Dkim => pages::dkim::DkimPage().into_any(),
                Page::Dmarc => pages::dmarc::DmarcPage().into_any(),
                Page::NotFound => pages::coming::NotFoundPage().into_any(),
                page => view! { <pages::coming::ComingPage page=page/> }.into_any(),
            }}
        </main>
        <Footer/>
    }
}

#[component]
fn Header() -> impl IntoView {
    let router = use_router();
    view! {
        <header class="site-header">
            <a class="site-header__brand" href=router.base()>
                <span aria-hidden="true" class="site-header__logo"></span>
                "mxray"
            </a>
            <nav class="site-nav" aria-label="Main">
                <ul class="site-nav__list">
                    {Page::NAV
                        .into_iter()
                        .map(|page| {
                            view! {
                                <li>
                                    <a
                                        class="site-nav__link"
                                        href=router.href(page, &[])
                                        aria-current=move || (router.page() == page).then_some("page")
                                    >
                                        {page.label()}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
        </header>
    }
}

#[component]
fn Footer() -> impl IntoView {
    let resolvers = use_resolvers();
    let router = use_router();
    view! {
        <footer class="site-footer">
            <p>
                "DNS answers from "
                <strong class="site-footer__resolver">{move || resolvers.order_label()}</strong>
                " over DNS-over-HTTPS (change this on the Lookup page). mxray runs entirely in your browser; nothing you type is sent anywhere else."
            </p>
            <p><a href=router.href(Page::Catalog, &[])>"Findings catalog"</a></p>
        </footer>
    }
}
