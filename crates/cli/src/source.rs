//! Where a run's DNS answers come from: DoH resolvers asked in order (`--resolver`, repeatable;
//! Cloudflare then Google by default) or one master file that is the whole DNS (`--zone`). Both
//! sit behind one cache for the run, so no (name, type) is asked twice.

use std::fmt;
use std::path::Path;

use mxray_core::dns::cache::{Cache, Lifetime};
use mxray_core::dns::doh::{DohResolver, check_resolver_url};
use mxray_core::dns::resolver::ZoneResolver;
use mxray_core::dns::{Answered, Message, Name, RecordType, Resolver, TransportError, Unanswered};

use mxray_core::dns::input::normalise;

use crate::net::{ThreadFetch, Uts46};

/// A domain as typed (a URL, an address, Unicode, a trailing dot…) as the name to check, in
/// A-labels: the same cleaning the lookup command and the pages apply.
pub fn domain(text: &str) -> Result<String, Failure> {
    let target = normalise(text, &Uts46).map_err(|e| Failure::Input(e.to_string()))?;
    if let Some(ip) = target.reverse_of {
        return Err(Failure::Input(format!(
            "{ip} is an IP address; name a domain"
        )));
    }
    Ok(target.name.to_string())
}

/// The resolver a command runs over.
pub enum Backend {
    Doh(Cache<DohResolver<ThreadFetch>, ThreadFetch>),
    Zone(Cache<ZoneResolver, ThreadFetch>),
}

impl Backend {
    /// The run's question counts.
    pub fn stats(&self) -> mxray_core::dns::cache::Stats {
        match self {
            Self::Doh(c) => c.stats(),
            Self::Zone(c) => c.stats(),
        }
    }
}

/// Either source is a resolver, so commands take the backend as one.
impl Resolver for Backend {
    fn label(&self) -> String {
        match self {
            Self::Doh(r) => r.label(),
            Self::Zone(r) => r.label(),
        }
    }

    async fn query(&self, name: &Name, rtype: RecordType) -> Result<Message, TransportError> {
        match self {
            Self::Doh(r) => r.query(name, rtype).await,
            Self::Zone(r) => r.query(name, rtype).await,
        }
    }

    async fn ask(&self, name: &Name, rtype: RecordType) -> Result<Answered, Unanswered> {
        match self {
            Self::Doh(r) => r.ask(name, rtype).await,
            Self::Zone(r) => r.ask(name, rtype).await,
        }
    }
}

/// Why a command could not run (exit status 2).
#[derive(Debug)]
pub enum Failure {
    Input(String),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Input(message) => f.write_str(message),
        }
    }
}

/// Builds the backend from `--resolver` URLs or a `--zone` file.
pub fn backend(resolvers: &[String], zone: Option<&Path>) -> Result<Backend, Failure> {
    let fetch = ThreadFetch::new();
    if let Some(path) = zone {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
        let label = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let zone = ZoneResolver::from_zone_text(&text, label)
            .map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
        return Ok(Backend::Zone(Cache::new(zone, fetch, Lifetime::Session)));
    }
    let endpoints = resolvers
        .iter()
        .map(|url| check_resolver_url(url).map_err(Failure::Input))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Backend::Doh(Cache::new(
        DohResolver::new(fetch.clone(), endpoints),
        fetch,
        Lifetime::Session,
    )))
}
