//! Which DNS-over-HTTPS resolver the app asks, and remembering the choice.
//!
//! Order: a `resolver=` URL parameter (remembered from then on), the remembered choice in
//! localStorage, the build's default (`MXRAY_DEFAULT_RESOLVER`, set by `cargo xtask serve
//! --demo`), and Cloudflare.

use leptos::prelude::*;
use mxray_core::dns::doh::{KNOWN_RESOLVERS, check_resolver_url, resolver_label};

const STORAGE_KEY: &str = "mxray.resolver";

/// The build's default resolver.
pub fn build_default() -> &'static str {
    option_env!("MXRAY_DEFAULT_RESOLVER").unwrap_or(KNOWN_RESOLVERS[0].url)
}

/// The resolver in use, provided as context.
#[derive(Clone, Copy)]
pub struct ResolverChoice {
    url: RwSignal<String>,
}

impl ResolverChoice {
    /// Picks the resolver at start-up; `from_url` is the `resolver=` parameter, if any.
    pub fn install(from_url: Option<String>) -> ResolverChoice {
        let storage = window().local_storage().ok().flatten();
        let linked = from_url.and_then(|u| check_resolver_url(&u).ok());
        if let (Some(url), Some(storage)) = (&linked, &storage) {
            let _ = storage.set_item(STORAGE_KEY, url);
        }
        let remembered = storage
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|u| check_resolver_url(&u).ok());
        let url = linked
            .or(remembered)
            .unwrap_or_else(|| build_default().to_owned());
        ResolverChoice {
            url: RwSignal::new(url),
        }
    }

    /// The endpoint URL (reactive).
    pub fn url(&self) -> String {
        self.url.get()
    }

    /// A short name for the endpoint (reactive).
    pub fn label(&self) -> String {
        self.url.with(|u| resolver_label(u))
    }
}

/// The resolver choice from context.
pub fn use_resolver() -> ResolverChoice {
    expect_context::<ResolverChoice>()
}
