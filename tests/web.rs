//! Browser tests (wasm-bindgen-test in headless Chromium): the shell mounts, navigation is
//! accessible, routes resolve against the deployment base, and links carry their state.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use mxray_app::route::{Page, Route};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn mount_app() -> web_sys::HtmlElement {
    let doc = document();
    let host: web_sys::HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), mxray_app::app::App);
    handle.forget();
    host
}

#[wasm_bindgen_test]
fn shell_has_accessible_navigation_to_every_page() {
    let host = mount_app();
    let nav = host
        .query_selector("nav[aria-label='Main']")
        .unwrap()
        .expect("main nav");
    let links = nav.query_selector_all("a").unwrap();
    let labels: Vec<String> = (0..links.length())
        .map(|i| links.item(i).unwrap().text_content().unwrap())
        .collect();
    assert_eq!(labels, ["Check", "SPF", "DKIM", "DMARC", "Build", "Lookup"]);
    let hrefs: Vec<String> = (0..links.length())
        .map(|i| {
            links
                .item(i)
                .unwrap()
                .unchecked_into::<web_sys::Element>()
                .get_attribute("href")
                .unwrap()
        })
        .collect();
    assert_eq!(hrefs[5], "/lookup");
    assert!(host.query_selector("main#main").unwrap().is_some());
    let footer = host
        .query_selector("footer")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(
        footer.contains("Cloudflare"),
        "footer names the resolver: {footer}"
    );
    host.remove();
}

#[wasm_bindgen_test]
fn routes_resolve_against_the_deployment_base() {
    let base = "/tools/mxray/";
    let cases = [
        ("/tools/mxray/", Page::Home),
        ("/tools/mxray", Page::Home),
        ("/tools/mxray/index.html", Page::Home),
        ("/tools/mxray/lookup", Page::Lookup),
        ("/tools/mxray/lookup/", Page::Lookup),
        ("/tools/mxray/nope", Page::NotFound),
        ("/elsewhere/lookup", Page::NotFound),
    ];
    for (path, page) in cases {
        assert_eq!(Route::parse(base, path, "").page, page, "{path}");
    }
    let route = Route::parse("/", "/lookup", "?name=b%C3%BCcher.example&type=TXT");
    assert_eq!(route.param("name").as_deref(), Some("bücher.example"));
    assert_eq!(route.param("type").as_deref(), Some("TXT"));
    assert_eq!(route.param("missing"), None);
}

#[wasm_bindgen_test]
fn page_links_encode_their_state() {
    let owner = Owner::new();
    owner.with(|| {
        let router = mxray_app::route::Router::install();
        let href = router.href(Page::Lookup, &[("name", "a b&c"), ("type", "TXT")]);
        assert_eq!(href, "/lookup?name=a+b%26c&type=TXT");
        assert_eq!(router.href(Page::Spf, &[]), "/spf");
    });
}

/// Lets the reactive system and the browser run queued work.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn internal_links_navigate_in_place_and_the_form_puts_what_was_typed_in_the_url() {
    // A resolver that refuses at once, so submitting the form reaches no network.
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage
        .set_item("mxray.resolver", "http://127.0.0.1:9/dns-query")
        .unwrap();
    let host = mount_app();
    let lookup_link: web_sys::HtmlElement = host
        .query_selector("a[href='/lookup']")
        .unwrap()
        .unwrap()
        .unchecked_into();
    lookup_link.click();
    settle().await;
    let location = web_sys::window().unwrap().location();
    assert_eq!(location.pathname().unwrap(), "/lookup");
    let current = host
        .query_selector("a[aria-current='page']")
        .unwrap()
        .unwrap();
    assert_eq!(current.text_content().unwrap(), "Lookup");
    assert_eq!(
        host.query_selector("label[for='lookup-name']")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "Name"
    );
    let input: web_sys::HtmlInputElement = host
        .query_selector("#lookup-name")
        .unwrap()
        .expect("lookup form rendered after navigation")
        .unchecked_into();
    input.set_value(" Example.ORG ");
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    let submit: web_sys::HtmlElement = host
        .query_selector("form button[type='submit']")
        .unwrap()
        .unwrap()
        .unchecked_into();
    submit.click();
    settle().await;
    let params = web_sys::UrlSearchParams::new_with_str(&location.search().unwrap()).unwrap();
    assert_eq!(
        params.get("name").as_deref(),
        Some("Example.ORG"),
        "trimmed, as typed"
    );
    assert_eq!(params.get("type").as_deref(), Some("TXT"));
    assert_eq!(
        input.value(),
        "Example.ORG",
        "the input shows what is being looked up"
    );
    storage.remove_item("mxray.resolver").unwrap();
    host.remove();
}

#[wasm_bindgen_test]
fn the_browser_applies_uts46_for_international_names() {
    use mxray_app::doh::BrowserIdna;
    use mxray_core::dns::input::{ToAscii, normalise};

    let idna = BrowserIdna;
    assert_eq!(
        idna.to_ascii("Bücher.example").unwrap(),
        "xn--bcher-kva.example"
    );
    // UTS 46 non-transitional, as the URL standard applies it: ß stays ß.
    assert_eq!(idna.to_ascii("faß.de").unwrap(), "xn--fa-hia.de");
    // Full-width letters and the ideographic full stop are mapped.
    assert_eq!(idna.to_ascii("ＥＸＡＭＰＬＥ。com").unwrap(), "example.com");
    assert!(idna.to_ascii("exa mple.com").is_err());
    let target = normalise("  https://Bücher.example/shop ", &idna).unwrap();
    assert_eq!(target.name.to_string(), "xn--bcher-kva.example");
    assert_eq!(target.unicode.as_deref(), Some("bücher.example"));
    assert_eq!(target.notes.len(), 3, "{:?}", target.notes);
}
