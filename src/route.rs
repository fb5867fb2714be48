//! A small router over the History API, aware of where the app is deployed.
//!
//! The app may live in any folder of any static host, so every path is relative to the
//! deployment base, which is the folder `boot.js` was loaded from. Pages are
//! `<base><page>?<query>`; the query string holds the page's state (the checked domain, the
//! options), so every result is a link. The release build also writes `<page>/index.html` copies
//! (see `xtask/trunk-post-build.sh`) so a deep link works on a host with no rewrite rules; a
//! trailing slash, as static hosts add for folders, is accepted.
//!
//! Internal links are plain `<a href>` elements: a click without modifier keys is handled here
//! (pushState), everything else (new tab, copy link) works as on any page.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The event `navigate` sends after changing the URL with the History API.
const NAVIGATED: &str = "mxray-navigated";

/// A page of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Page {
    Home,
    Check,
    Spf,
    Dkim,
    Dmarc,
    Build,
    Lookup,
    /// Every finding code, explained (linked from every finding; not in the navigation).
    Catalog,
    NotFound,
}

impl Page {
    /// The pages in the navigation, in order. `xtask/trunk-post-build.sh` writes a folder for
    /// each of these slugs.
    pub const NAV: [Page; 6] = [
        Page::Check,
        Page::Spf,
        Page::Dkim,
        Page::Dmarc,
        Page::Build,
        Page::Lookup,
    ];

    /// The path segment of the page (empty for the home page).
    pub fn slug(self) -> &'static str {
        match self {
            Page::Home | Page::NotFound => "",
            Page::Check => "check",
            Page::Spf => "spf",
            Page::Dkim => "dkim",
            Page::Dmarc => "dmarc",
            Page::Build => "build",
            Page::Lookup => "lookup",
            Page::Catalog => "catalog",
        }
    }

    /// The label in the navigation.
    pub fn label(self) -> &'static str {
        match self {
            Page::Home => "Home",
            Page::Check => "Check",
            Page::Spf => "SPF",
            Page::Dkim => "DKIM",
            Page::Dmarc => "DMARC",
            Page::Build => "Build",
            Page::Lookup => "Lookup",
            Page::Catalog => "Findings catalog",
            Page::NotFound => "Not found",
        }
    }

    fn from_slug(slug: &str) -> Page {
        match slug {
            "" | "index.html" => Page::Home,
            "catalog" => Page::Catalog,
            _ => Page::NAV
                .into_iter()
                .find(|p| p.slug() == slug)
                .unwrap_or(Page::NotFound),
        }
    }
}

/// Where the app is: the page and its query string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    pub page: Page,
    /// The query string without the leading `?`.
    pub search: String,
}

impl Route {
    /// Reads a route from a path and query string, relative to `base` (which ends with `/`).
    pub fn parse(base: &str, pathname: &str, search: &str) -> Route {
        let page = match pathname.strip_prefix(base) {
            Some(rest) => Page::from_slug(rest.trim_end_matches('/')),
            None if pathname == base.trim_end_matches('/') => Page::Home,
            None => Page::NotFound,
        };
        Route {
            page,
            search: search.trim_start_matches('?').to_owned(),
        }
    }

    /// A query parameter, percent-decoded by the browser.
    pub fn param(&self, key: &str) -> Option<String> {
        web_sys::UrlSearchParams::new_with_str(&self.search)
            .ok()?
            .get(key)
    }

    /// Every value of a repeated query parameter, in order.
    pub fn params(&self, key: &str) -> Vec<String> {
        web_sys::UrlSearchParams::new_with_str(&self.search)
            .map(|p| {
                p.get_all(key)
                    .iter()
                    .filter_map(|v| v.as_string())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The router's state, provided as context by the app.
#[derive(Clone, Copy)]
pub struct Router {
    base: StoredValue<String>,
    route: RwSignal<Route>,
}

impl Router {
    /// Reads the base and the current location and starts listening for navigation.
    pub fn install() -> Router {
        let base = deployment_base();
        let route = RwSignal::new(current_route(&base));
        let router = Router {
            base: StoredValue::new(base),
            route,
        };
        let listeners = [
            window_event_listener(leptos::ev::popstate, move |_| router.sync()),
            window_event_listener_untyped(NAVIGATED, move |_| router.sync()),
            window_event_listener(leptos::ev::click, move |ev| router.intercept(&ev)),
        ];
        // Unmounted with its owner (several times in tests): no listener outlives the signals.
        on_cleanup(move || {
            for listener in listeners {
                listener.remove();
            }
        });
        router
    }

    /// The current route (reactive).
    pub fn route(&self) -> Route {
        self.route.get()
    }

    /// One query parameter of the current route, empty when absent; changes only when that
    /// parameter does.
    pub fn param(&self, key: &'static str) -> Memo<String> {
        let router = *self;
        Memo::new(move |_| router.route().param(key).unwrap_or_default())
    }

    /// The current page (reactive).
    pub fn page(&self) -> Page {
        self.route.with(|r| r.page)
    }

    /// The deployment base, such as `/` or `/tools/mxray/`.
    pub fn base(&self) -> String {
        self.base.get_value()
    }

    /// The href of a page with query parameters (encoded by the browser).
    pub fn href(&self, page: Page, params: &[(&str, &str)]) -> String {
        let mut href = format!("{}{}", self.base(), page.slug());
        if let Ok(search) = web_sys::UrlSearchParams::new() {
            for (k, v) in params {
                search.append(k, v);
            }
            let text: String = search.to_string().into();
            if !text.is_empty() {
                href.push('?');
                href.push_str(&text);
            }
        }
        href
    }

    /// Goes to a page with these query parameters (pushState): what a form's submit does.
    pub fn go(&self, page: Page, params: &[(&str, &str)]) {
        self.navigate(&self.href(page, params), false);
    }

    /// Sets one query parameter of the current URL in place (replaceState), keeping every other:
    /// what a field that is kept in the URL as it is typed needs.
    pub fn replace_param(&self, key: &str, value: &str) {
        let route = self.route.get_untracked();
        let Ok(search) = web_sys::UrlSearchParams::new_with_str(&route.search) else {
            return;
        };
        search.set(key, value);
        let text: String = search.to_string().into();
        let mut href = format!("{}{}", self.base(), route.page.slug());
        if !text.is_empty() {
            href.push('?');
            href.push_str(&text);
        }
        self.navigate(&href, true);
    }

    /// Goes to `href` (same origin) with pushState, or replaceState when `replace` is set.
    pub fn navigate(&self, href: &str, replace: bool) {
        let Some(history) = window().history().ok() else {
            return;
        };
        let result = if replace {
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href))
        } else {
            history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href))
        };
        // Every router on the page (there is one in the app, several in tests) follows.
        if result.is_ok()
            && let Ok(event) = web_sys::Event::new(NAVIGATED)
        {
            let _ = window().dispatch_event(&event);
        }
    }

    fn sync(&self) {
        let base = self.base();
        let next = current_route(&base);
        if self.route.with_untracked(|r| *r != next) {
            self.route.set(next);
        }
    }

    /// Handles a plain left click on an internal link.
    fn intercept(&self, ev: &web_sys::MouseEvent) {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.meta_key()
            || ev.ctrl_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        let Some(anchor) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href]").ok().flatten())
            .and_then(|el| el.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        else {
            return;
        };
        // Links with a fragment (the skip link) and links for elsewhere are the browser's.
        if !anchor.target().is_empty()
            || anchor.has_attribute("download")
            || !anchor.hash().is_empty()
        {
            return;
        }
        let location = window().location();
        let same_origin = location.origin().ok() == Some(anchor.origin());
        if !same_origin || !anchor.pathname().starts_with(&self.base()) {
            return;
        }
        ev.prevent_default();
        let href = format!("{}{}", anchor.pathname(), anchor.search());
        self.navigate(&href, false);
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// The folder boot.js was loaded from, or `/` when the app was mounted without it (tests).
fn deployment_base() -> String {
    let src = document()
        .get_element_by_id("mxray-boot")
        .and_then(|el| el.dyn_into::<web_sys::HtmlScriptElement>().ok())
        .map(|script| script.src());
    let path = src
        .and_then(|src| web_sys::Url::new(&src).ok())
        .map(|url| url.pathname());
    match path {
        Some(path) => match path.rfind('/') {
            Some(i) => path[..=i].to_owned(),
            None => "/".to_owned(),
        },
        None => "/".to_owned(),
    }
}

fn current_route(base: &str) -> Route {
    let location = window().location();
    Route::parse(
        base,
        &location.pathname().unwrap_or_default(),
        &location.search().unwrap_or_default(),
    )
}

/// The router from context.
pub fn use_router() -> Router {
    expect_context::<Router>()
}
