//! Which DNS-over-HTTPS resolvers the app asks, in which order, and remembering the choice.
//!
//! The list is asked in order: the next resolver is asked when one fails (core's
//! `DohResolver`). Where it comes from: `resolver=` URL parameters (repeatable, remembered from
//! then on), the remembered list in localStorage, the build's default (`MXRAY_DEFAULT_RESOLVER`,
//! set by `cargo xtask serve --demo`), and Cloudflare then Google.

use std::rc::Rc;

use leptos::prelude::*;
use mxray_core::dns::doh::{KNOWN_RESOLVERS, check_resolver_url, resolver_label};

use crate::doh::{Client, client};

const STORAGE_KEY: &str = "mxray.resolvers";
/// The single resolver remembered by earlier versions.
const OLD_STORAGE_KEY: &str = "mxray.resolver";

/// The build's default list.
pub fn build_default() -> Vec<String> {
    match option_env!("MXRAY_DEFAULT_RESOLVER") {
        Some(url) => vec![url.to_owned()],
        None => KNOWN_RESOLVERS.iter().map(|k| k.url.to_owned()).collect(),
    }
}

/// The resolver list in use, provided as context.
#[derive(Clone, Copy)]
pub struct Resolvers {
    list: RwSignal<Vec<String>>,
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Valid URLs only, each once.
fn clean(urls: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut list: Vec<String> = Vec::new();
    for url in urls {
        if let Ok(url) = check_resolver_url(&url)
            && !list.contains(&url)
        {
            list.push(url);
        }
    }
    list
}

impl Resolvers {
    /// Picks the list at start-up; `from_url` holds the `resolver=` parameters.
    pub fn install(from_url: Vec<String>) -> Resolvers {
        let linked = clean(from_url);
        let resolvers = Resolvers {
            list: RwSignal::new(Vec::new()),
        };
        if !linked.is_empty() {
            resolvers.set(linked);
            return resolvers;
        }
        let remembered = storage()
            .and_then(|s| {
                s.get_item(STORAGE_KEY)
                    .ok()
                    .flatten()
                    .or_else(|| s.get_item(OLD_STORAGE_KEY).ok().flatten())
            })
            .map(|text| clean(text.lines().map(str::to_owned)))
            .unwrap_or_default();
        let list = if remembered.is_empty() {
            build_default()
        } else {
            remembered
        };
        resolvers.list.set(list);
        resolvers
    }

    /// The URLs, in the order they are asked (reactive).
    pub fn list(&self) -> Vec<String> {
        self.list.get()
    }

    /// The URLs, without subscribing.
    pub fn list_untracked(&self) -> Vec<String> {
        self.list.get_untracked()
    }

    /// Replaces and remembers the list (an empty list is refused).
    pub fn set(&self, list: Vec<String>) {
        let list = clean(list);
        if list.is_empty() {
            return;
        }
        if let Some(storage) = storage() {
            let _ = storage.set_item(STORAGE_KEY, &list.join("\n"));
        }
        self.list.set(list);
    }

    /// Forgets the remembered list and goes back to the default.
    pub fn reset(&self) {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(STORAGE_KEY);
            let _ = storage.remove_item(OLD_STORAGE_KEY);
        }
        self.list.set(build_default());
    }

    /// The first resolver's short name (reactive).
    pub fn label(&self) -> String {
        self.list
            .with(|l| l.first().map(|u| resolver_label(u)).unwrap_or_default())
    }

    /// "Cloudflare, then Google" (reactive).
    pub fn order_label(&self) -> String {
        self.list.with(|l| {
            l.iter()
                .map(|u| resolver_label(u))
                .collect::<Vec<_>>()
                .join(", then ")
        })
    }

    /// The client for the current list (reactive: a resource that uses it asks again when the
    /// list changes).
    pub fn client_tracked(&self) -> Rc<Client> {
        self.list.with(|l| client(l))
    }

    /// The client for the current list, with its cache (not tracked: for event handlers).
    pub fn client(&self) -> Rc<Client> {
        self.list.with_untracked(|l| client(l))
    }
}

/// The resolver list from context.
pub fn use_resolvers() -> Resolvers {
    expect_context::<Resolvers>()
}

/// Shows and edits the resolver list: order, remove, add (a known resolver or any DoH URL),
/// back to the default. Every change is remembered.
#[component]
pub fn ResolverPicker() -> impl IntoView {
    let resolvers = use_resolvers();
    let adding = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let move_up = move |i: usize| {
        let mut list = resolvers.list_untracked();
        if i > 0 && i < list.len() {
            list.swap(i - 1, i);
            resolvers.set(list);
        }
    };
    let remove = move |i: usize| {
        let mut list = resolvers.list_untracked();
        if list.len() > 1 && i < list.len() {
            list.remove(i);
            resolvers.set(list);
        }
    };
    let on_add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = adding.get_untracked();
        let text = KNOWN_RESOLVERS
            .iter()
            .find(|k| k.name.eq_ignore_ascii_case(text.trim()))
            .map_or(text, |k| k.url.to_owned());
        match check_resolver_url(&text) {
            Ok(url) => {
                let mut list = resolvers.list_untracked();
                if list.contains(&url) {
                    problem.set(Some(format!(
                        "{} is already in the list.",
                        resolver_label(&url)
                    )));
                    return;
                }
                list.push(url);
                resolvers.set(list);
                adding.set(String::new());
                problem.set(None);
            }
            Err(e) => problem.set(Some(e)),
        }
    };
    view! {
        <details class="resolvers">
            <summary>"Resolvers: " {move || resolvers.order_label()}</summary>
            <p class="resolvers__help">
                "Asked in this order: when one fails (no answer, an HTTP error, SERVFAIL or REFUSED), the next is asked. \
                 Your choice is remembered in this browser."
            </p>
            <ol class="resolvers__list">
                {move || {
                    let list = resolvers.list();
                    let count = list.len();
                    list.into_iter()
                        .enumerate()
                        .map(|(i, url)| {
                            let label = resolver_label(&url);
                            view! {
                                <li class="resolvers__item">
                                    <span class="resolvers__name">{label.clone()}</span>
                                    <code class="resolvers__url">{url}</code>
                                    <button class="button button--small" type="button"
                                        aria-label=format!("Ask {label} earlier")
                                        disabled=i == 0
                                        on:click=move |_| move_up(i)>
                                        "Move up"
                                    </button>
                                    <button class="button button--small" type="button"
                                        aria-label=format!("Remove {label}")
                                        disabled=count == 1
                                        on:click=move |_| remove(i)>
                                        "Remove"
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
            <form class="resolvers__add" on:submit=on_add>
                <div class="field field--grow">
                    <label for="resolver-add">"Add a resolver (a DNS-over-HTTPS URL, or Cloudflare or Google)"</label>
                    <input id="resolver-add" type="url" list="known-resolvers" autocomplete="off"
                        spellcheck="false" placeholder="https://dns.example/dns-query"
                        prop:value=move || adding.get()
                        on:input=move |ev| adding.set(event_target_value(&ev))
                    />
                    <datalist id="known-resolvers">
                        {KNOWN_RESOLVERS.iter().map(|k| view! { <option value=k.url>{k.name}</option> }).collect_view()}
                    </datalist>
                </div>
                <button class="button button--secondary" type="submit">"Add"</button>
                <button class="button button--secondary" type="button" on:click=move |_| {
                    resolvers.reset();
                    problem.set(None);
                }>"Use the default"</button>
            </form>
            {move || problem.get().map(|p| view! { <p class="alert alert--error" role="alert">{p}</p> })}
            <p class="resolvers__help">
                "A resolver must answer web pages (send Access-Control-Allow-Origin). \
                 If this copy of mxray is hosted with a stricter Content-Security-Policy, only the resolvers it allows can be reached."
            </p>
        </details>
    }
}
