//! Where answers come from: the [`Resolver`] trait, and two resolvers that need no network.
//!
//! The trait is async without a `Send` bound on purpose: browser futures (fetch) are not `Send`.
//! Every resolver answers with a decoded [`Message`] (or a [`TransportError`]), so the engine
//! reasons the same way about a DoH answer, a zone in memory, or drafts laid over either.
//!
//! - [`ZoneResolver`]: records in memory (from zone text), answered as a recursive resolver
//!   would (RFC 1034 §4.3.2): CNAMEs followed, wildcards expanded (RFC 4592), NXDOMAIN versus
//!   NODATA (empty non-terminals exist), the closest SOA in the authority section for the
//!   negative TTL (RFC 2308). Used by tests, offline mode, previews and `--zone`.
//! - [`Overlay`]: draft records over another resolver ("what if I publish this"): an RRset in
//!   the drafts replaces the same (name, type) below it; everything else passes through.

use super::zone::{ZoneError, parse_zone};
use super::{Flags, Message, Name, RData, Rcode, Record, RecordType, TransportError};

/// A source of DNS answers.
#[allow(
    async_fn_in_trait,
    reason = "no Send bound on purpose: browser futures are not Send"
)]
pub trait Resolver {
    /// A short name for the source, shown beside its answers.
    fn label(&self) -> String;

    /// Asks one question.
    async fn query(&self, name: &Name, rtype: RecordType) -> Result<Message, TransportError>;

    /// Asks one question and says who answered, how fast, and who failed first. Resolvers that
    /// know more than [`Resolver::query`] tells (failover, timing, caching) override this.
    async fn ask(&self, name: &Name, rtype: RecordType) -> Result<Answered, Unanswered> {
        match self.query(name, rtype).await {
            Ok(message) => Ok(Answered {
                message,
                source: self.label(),
                elapsed_ms: 0,
                cached: false,
                attempts: Vec::new(),
            }),
            Err(error) => Err(Unanswered {
                attempts: vec![Attempt {
                    resolver: self.label(),
                    problem: error.to_string(),
                }],
                error,
            }),
        }
    }
}

/// A borrowed resolver is a resolver: a one-check [`Cache`](super::cache::Cache) with
/// `Lifetime::Session` can sit over a longer-lived shared one.
impl<R: Resolver + ?Sized> Resolver for &R {
    fn label(&self) -> String {
        (**self).label()
    }

    async fn query(&self, name: &Name, rtype: RecordType) -> Result<Message, TransportError> {
        (**self).query(name, rtype).await
    }

    async fn ask(&self, name: &Name, rtype: RecordType) -> Result<Answered, Unanswered> {
        (**self).ask(name, rtype).await
    }
}

/// An answer with where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answered {
    pub message: Message,
    /// Who answered (a resolver's short name, a zone file, "draft").
    pub source: String,
    /// Whole milliseconds from asking to answer (0 from memory).
    pub elapsed_ms: u32,
    /// Served from this session's cache (the TTLs shown are aged).
    pub cached: bool,
    /// Resolvers asked before `source` that failed, in order.
    pub attempts: Vec<Attempt>,
}

/// One resolver that was asked and failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    pub resolver: String,
    /// What went wrong, in plain words.
    pub problem: String,
}

/// No resolver gave an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unanswered {
    /// The first resolver's failure (the one the user chose).
    pub error: TransportError,
    /// Every resolver asked, in order, with its failure.
    pub attempts: Vec<Attempt>,
}

/// CNAME chains longer than this are cut, as resolvers bound them.
const MAX_CHAIN: usize = 8;

/// Records in memory, answered like a recursive resolver.
#[derive(Clone, Debug, Default)]
pub struct ZoneResolver {
    records: Vec<Record>,
    label: String,
}

impl ZoneResolver {
    /// A resolver over these records.
    pub fn new(records: Vec<Record>, label: impl Into<String>) -> Self {
        Self {
            records,
            label: label.into(),
        }
    }

    /// Reads zone text (names absolute unless `$ORIGIN` says otherwise).
    pub fn from_zone_text(text: &str, label: impl Into<String>) -> Result<Self, ZoneError> {
        Ok(Self::new(parse_zone(text, Some(&Name::root()))?, label))
    }

    /// The records it holds.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    fn at<'a>(&'a self, name: &'a Name) -> impl Iterator<Item = &'a Record> + 'a {
        self.records.iter().filter(move |r| r.name == *name)
    }

    /// Whether `name` owns records or has names below it (an empty non-terminal).
    fn exists(&self, name: &Name) -> bool {
        self.records.iter().any(|r| is_at_or_below(&r.name, name))
    }

    /// Records at `name`, from a wildcard at the closest encloser when the name does not exist.
    fn records_at(&self, name: &Name) -> Option<Vec<Record>> {
        if self.exists(name) {
            return Some(self.at(name).cloned().collect());
        }
        let mut encloser = parent(name)?;
        loop {
            if self.exists(&encloser) || encloser.is_root() {
                let mut labels = vec![b"*".to_vec()];
                labels.extend(encloser.labels().iter().cloned());
                let wildcard = Name::from_labels(labels).ok()?;
                let expanded: Vec<Record> = self
                    .at(&wildcard)
                    .map(|r| Record {
                        name: name.clone(),
                        ..r.clone()
                    })
                    .collect();
                return (!expanded.is_empty()).then_some(expanded);
            }
            encloser = parent(&encloser)?;
        }
    }

    /// The SOA of the closest enclosing zone, for negative answers.
    fn soa_for(&self, name: &Name) -> Vec<Record> {
        let mut current = Some(name.clone());
        while let Some(name) = current {
            let soa: Vec<Record> = self
                .at(&name)
                .filter(|r| r.rtype == RecordType::SOA)
                .cloned()
                .collect();
            if !soa.is_empty() {
                return soa;
            }
            current = parent(&name);
        }
        Vec::new()
    }

    /// The answer to one question, as a response message.
    pub fn answer(&self, qname: &Name, rtype: RecordType) -> Message {
        let mut answers = Vec::new();
        let mut name = qname.clone();
        let (rcode, authority) = loop {
            let Some(records) = self.records_at(&name) else {
                break (Rcode::NXDOMAIN, self.soa_for(&name));
            };
            let matching: Vec<Record> = records
                .iter()
                .filter(|r| r.rtype == rtype)
                .cloned()
                .collect();
            if !matching.is_empty() {
                answers.extend(matching);
                break (Rcode::NOERROR, Vec::new());
            }
            let cname = records.iter().find(|r| matches!(r.data, RData::Cname(_)));
            match cname {
                Some(record) if answers.len() < MAX_CHAIN => {
                    let RData::Cname(target) = &record.data else {
                        unreachable!("matched a CNAME");
                    };
                    name = target.clone();
                    answers.push(record.clone());
                }
                Some(_) => break (Rcode::SERVFAIL, Vec::new()),
                None => break (Rcode::NOERROR, self.soa_for(&name)),
            }
        };
        Message {
            id: 0,
            flags: Flags {
                response: true,
                recursion_desired: true,
                recursion_available: true,
                ..Flags::default()
            },
            rcode,
            questions: vec![super::wire::Question {
                name: qname.clone(),
                rtype,
                class: 1,
            }],
            answers,
            authority,
            additional: Vec::new(),
            edns: None,
        }
    }
}

impl Resolver for ZoneResolver {
    fn label(&self) -> String {
        self.label.clone()
    }

    async fn query(&self, name: &Name, rtype: RecordType) -> Result<Message, TransportError> {
        Ok(self.answer(name, rtype))
    }
}

/// Draft records laid over another resolver.
#[derive(Clone, Debug)]
pub struct Overlay<R> {
    drafts: ZoneResolver,
    below: R,
}

impl<R: Resolver> Overlay<R> {
    /// `drafts` win for every (name, type) they hold.
    pub fn new(drafts: Vec<Record>, below: R) -> Self {
        Self {
            drafts: ZoneResolver::new(drafts, "draft"),
            below,
        }
    }
}

impl<R: Resolver> Resolver for Overlay<R> {
    fn label(&self) -> String {
        format!("drafts over {}", self.below.label())
    }

    async fn query(&self, name: &Name, rtype: RecordType) -> Result<Message, TransportError> {
        let drafted = self
            .drafts
            .at(name)
            .any(|r| r.rtype == rtype || r.rtype == RecordType::CNAME);
        if drafted {
            return Ok(self.drafts.answer(name, rtype));
        }
        self.below.query(name, rtype).await
    }
}

fn parent(name: &Name) -> Option<Name> {
    let labels = name.labels();
    (!labels.is_empty()).then(|| Name::from_labels(labels[1..].to_vec()).unwrap_or_default())
}

/// Whether `name` is `ancestor` or below it.
fn is_at_or_below(name: &Name, ancestor: &Name) -> bool {
    let (n, a) = (name.labels(), ancestor.labels());
    n.len() >= a.len()
        && n[n.len() - a.len()..]
            .iter()
            .zip(a)
            .all(|(x, y)| x.eq_ignore_ascii_case(y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::Outcome;
    use crate::join::now;

    const ZONE: &str = r#"
$ORIGIN example.com.
$TTL 300
@        SOA  ns hostmaster 1 3600 600 86400 60
@        TXT  "v=spf1 -all"
@        MX   10 mail
mail     A    192.0.2.25
www      CNAME @
loop1    CNAME loop2
loop2    CNAME loop1
*.wild   TXT  "wildcard"
a.b.deep A    192.0.2.1
"#;

    fn zone() -> ZoneResolver {
        ZoneResolver::from_zone_text(ZONE, "zone").unwrap()
    }

    fn n(text: &str) -> Name {
        Name::parse(text).unwrap()
    }

    fn outcome(r: &impl Resolver, name: &str, rtype: RecordType) -> Outcome {
        Outcome::from_message(&now(r.query(&n(name), rtype)).unwrap(), rtype)
    }

    #[test]
    fn zone_resolver_answers_follow_cnames_and_tell_nodata_from_nxdomain() {
        let z = zone();
        let Outcome::Records { records, chain } = outcome(&z, "www.example.com", RecordType::MX)
        else {
            panic!("records expected");
        };
        assert_eq!(chain.len(), 1);
        assert_eq!(records[0].data.to_string(), "10 mail.example.com.");
        assert!(matches!(
            outcome(&z, "mail.example.com", RecordType::TXT),
            Outcome::NoData { .. }
        ));
        assert!(matches!(
            outcome(&z, "b.deep.example.com", RecordType::A),
            Outcome::NoData { .. }
        ));
        assert!(matches!(
            outcome(&z, "nope.example.com", RecordType::A),
            Outcome::NxDomain { .. }
        ));
        assert!(matches!(
            outcome(&z, "loop1.example.com", RecordType::A),
            Outcome::ServFail { .. }
        ));
        let nx = now(z.query(&n("nope.example.com"), RecordType::A)).unwrap();
        assert_eq!(
            nx.authority[0].rtype,
            RecordType::SOA,
            "negative TTL source"
        );
    }

    #[test]
    fn wildcards_answer_for_names_that_do_not_exist() {
        let Outcome::Records { records, .. } =
            outcome(&zone(), "x.wild.example.com", RecordType::TXT)
        else {
            panic!("wildcard expected");
        };
        assert_eq!(records[0].name, n("x.wild.example.com"));
    }

    #[test]
    fn overlay_drafts_replace_only_what_they_hold() {
        let drafts = parse_zone(
            "example.com. 60 TXT \"v=spf1 include:_spf.vendor.example -all\"",
            None,
        )
        .unwrap();
        let overlay = Overlay::new(drafts, zone());
        assert_eq!(overlay.label(), "drafts over zone");
        let Outcome::Records { records, .. } = outcome(&overlay, "example.com", RecordType::TXT)
        else {
            panic!("draft expected");
        };
        assert_eq!(records.len(), 1);
        assert!(records[0].data.to_string().contains("vendor"));
        assert!(
            matches!(
                outcome(&overlay, "example.com", RecordType::MX),
                Outcome::Records { .. }
            ),
            "other types pass through"
        );
    }
}
