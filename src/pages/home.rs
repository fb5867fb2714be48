//! The landing page: what mxray does and where to start.

use leptos::prelude::*;

use crate::route::{Page, use_router};

#[component]
pub fn HomePage() -> impl IntoView {
    let router = use_router();
    view! {
        <section class="page">
            <h1>"Get your domain's email DNS right"</h1>
            <p class="lede">
                "mxray checks the records that decide whether your mail is delivered or marked as spam \
                 (SPF, DKIM, DMARC, MX, reverse DNS, MTA-STS, TLS-RPT, BIMI) and tells you exactly \
                 what is wrong, why, and the record to publish instead. It runs entirely in your \
                 browser and asks DNS over HTTPS."
            </p>
            <ul class="cards">
                <li class="card">
                    <a href=router.href(Page::Lookup, &[])>"Look up any record"</a>
                    <p>"See exactly what a resolver answers: TXT strings one by one with their lengths, TTLs, DNSSEC."</p>
                </li>
                <li class="card">
                    <a href=router.href(Page::Check, &[])>"Check a domain"</a>
                    <p>"One report across SPF, DKIM, DMARC, MX and the rest, with fixes you can copy."</p>
                </li>
                <li class="card">
                    <a href=router.href(Page::Build, &[])>"Build records"</a>
                    <p>"Merge a vendor's include into your SPF, write a DMARC policy, clean up a pasted DKIM key."</p>
                </li>
            </ul>
        </section>
    }
}
