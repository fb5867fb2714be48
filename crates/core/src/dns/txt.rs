//! One TXT lookup as record checkers need it: each record's strings joined (RFC 7208 §3.3,
//! RFC 6376 §3.6.2.2, RFC 7489 §6.1 all join with nothing in between), the CNAMEs followed on
//! the way, and "not there" kept apart from "could not ask".

use super::{Name, Outcome, RData, RecordType, Resolver};

/// What a TXT question came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TxtLookup {
    /// TXT records, each as its joined text, and the CNAME targets followed to reach them.
    Found {
        texts: Vec<String>,
        chain: Vec<String>,
    },
    /// No TXT record: the name has none (`nxdomain` false) or does not exist.
    Missing { nxdomain: bool, chain: Vec<String> },
    /// No answer: the resolver failed, or the name is not a valid DNS name; the words say which.
    Failed(String),
}

impl TxtLookup {
    /// The texts found (none unless [`TxtLookup::Found`]).
    pub fn texts(&self) -> &[String] {
        match self {
            Self::Found { texts, .. } => texts,
            _ => &[],
        }
    }

    /// Where a CNAME chain ended, when one was followed.
    pub fn target(&self) -> Option<&str> {
        match self {
            Self::Found { chain, .. } | Self::Missing { chain, .. } => {
                chain.last().map(String::as_str)
            }
            Self::Failed(_) => None,
        }
    }
}

/// Asks for `name`'s TXT records.
pub async fn lookup_txt<R: Resolver>(resolver: &R, name: &str) -> TxtLookup {
    let Ok(parsed) = Name::parse(name) else {
        return TxtLookup::Failed(format!("{name} is not a valid DNS name"));
    };
    let message = match resolver.query(&parsed, RecordType::TXT).await {
        Ok(message) => message,
        Err(e) => return TxtLookup::Failed(e.to_string()),
    };
    let outcome = Outcome::from_message(&message, RecordType::TXT);
    let chain: Vec<String> = outcome
        .chain()
        .iter()
        .filter_map(|r| match &r.data {
            RData::Cname(target) => Some(target.to_string()),
            _ => None,
        })
        .collect();
    match outcome {
        Outcome::Records { records, .. } => TxtLookup::Found {
            texts: records
                .iter()
                .filter_map(|r| match &r.data {
                    RData::Txt(strings) => {
                        Some(String::from_utf8_lossy(&strings.concat()).into_owned())
                    }
                    _ => None,
                })
                .collect(),
            chain,
        },
        Outcome::NoData { .. } => TxtLookup::Missing {
            nxdomain: false,
            chain,
        },
        Outcome::NxDomain { .. } => TxtLookup::Missing {
            nxdomain: true,
            chain,
        },
        other => TxtLookup::Failed(other.summary(name, RecordType::TXT)),
    }
}
