//! What a lookup came to, as values the UI words and the engine reasons with.
//!
//! A DNS answer is [`Outcome`]: records, no data, the name does not exist, or the resolver
//! failed or refused. Getting no DNS answer at all is [`TransportError`]: the network or CORS,
//! an HTTP status, a wrong content type, a body that is not a DNS message, or a timeout. Each
//! says in plain words what happened and what to try.

use core::fmt;

use super::{ExtendedError, Message, RData, Rcode, Record, RecordType, WireError, WireErrorKind};

/// The DNS-level result of one question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Records of the asked type (after any CNAMEs, which are in `chain`).
    Records {
        records: Vec<Record>,
        chain: Vec<Record>,
    },
    /// The name exists but has no records of this type (NOERROR, empty answer).
    NoData { chain: Vec<Record> },
    /// The name does not exist: NXDOMAIN, or NOERROR with an RFC 9824 compact denial (an NSEC
    /// for the name listing NXNAME), which Cloudflare and others send instead.
    NxDomain {
        chain: Vec<Record>,
        compact_denial: bool,
    },
    /// The resolver could not get an answer (SERVFAIL), with its Extended DNS Errors.
    ServFail { errors: Vec<ExtendedError> },
    /// The resolver refused to answer (REFUSED).
    Refused,
    /// Any other response code.
    OtherRcode(Rcode),
}

impl Outcome {
    /// Classifies a response to a question of type `qtype`.
    pub fn from_message(msg: &Message, qtype: RecordType) -> Self {
        let (records, chain): (Vec<_>, Vec<_>) =
            msg.answers.iter().cloned().partition(|r| r.rtype == qtype);
        let chain: Vec<_> = chain
            .into_iter()
            .filter(|r| r.rtype == RecordType::CNAME)
            .collect();
        match msg.rcode {
            Rcode::NOERROR if !records.is_empty() => Self::Records { records, chain },
            Rcode::NOERROR if compact_denial(msg, &chain) => Self::NxDomain {
                chain,
                compact_denial: true,
            },
            Rcode::NOERROR => Self::NoData { chain },
            Rcode::NXDOMAIN => Self::NxDomain {
                chain,
                compact_denial: false,
            },
            Rcode::SERVFAIL => Self::ServFail {
                errors: msg
                    .edns
                    .as_ref()
                    .map(super::Edns::extended_errors)
                    .unwrap_or_default(),
            },
            Rcode::REFUSED => Self::Refused,
            other => Self::OtherRcode(other),
        }
    }

    /// Whether the resolver gave an answer about the name (records, no data, or no such name),
    /// as opposed to failing (SERVFAIL, REFUSED, another RCODE).
    pub fn is_answer(&self) -> bool {
        matches!(
            self,
            Self::Records { .. } | Self::NoData { .. } | Self::NxDomain { .. }
        )
    }

    /// The records of the asked type (none unless [`Outcome::Records`]).
    pub fn records(&self) -> &[Record] {
        match self {
            Self::Records { records, .. } => records,
            _ => &[],
        }
    }

    /// The (preference, exchange) of every MX record among [`records`](Self::records), null MX
    /// (`.`) included.
    pub fn mx(&self) -> impl Iterator<Item = (u16, &super::Name)> {
        self.records().iter().filter_map(|r| match &r.data {
            RData::Mx {
                preference,
                exchange,
            } => Some((*preference, exchange)),
            _ => None,
        })
    }

    /// The CNAMEs followed on the way (none for a failure).
    pub fn chain(&self) -> &[Record] {
        match self {
            Self::Records { chain, .. } | Self::NoData { chain } | Self::NxDomain { chain, .. } => {
                chain
            }
            _ => &[],
        }
    }

    /// One sentence for people.
    pub fn summary(&self, name: &str, qtype: RecordType) -> String {
        match self {
            Self::Records { records, .. } => {
                let n = records.len();
                format!(
                    "{n} {qtype} record{} at {name}",
                    if n == 1 { "" } else { "s" }
                )
            }
            Self::NoData { .. } => format!("{name} exists but has no {qtype} record."),
            Self::NxDomain { .. } => format!("{name} does not exist (NXDOMAIN)."),
            Self::ServFail { errors } if !errors.is_empty() => {
                let reasons: Vec<String> = errors.iter().map(ToString::to_string).collect();
                format!(
                    "The resolver could not get an answer for {name} (SERVFAIL). It says: {}.",
                    reasons.join("; ")
                )
            }
            Self::ServFail { .. } => format!(
                "The resolver could not get an answer for {name} (SERVFAIL): the domain's name \
                 servers failed or its DNSSEC is broken. Try again, or ask another resolver."
            ),
            Self::Refused => format!("The resolver refused to answer for {name} (REFUSED)."),
            Self::OtherRcode(rcode) => format!("The resolver answered {rcode} for {name}."),
        }
    }
}

/// RFC 9824 §3: a NOERROR answer whose authority section holds an NSEC for the (last) name
/// asked that lists the NXNAME pseudo-type means the name does not exist.
fn compact_denial(msg: &Message, chain: &[Record]) -> bool {
    let asked = match (chain.last(), msg.questions.first()) {
        (
            Some(Record {
                data: RData::Cname(target),
                ..
            }),
            _,
        ) => target,
        (None, Some(q)) => &q.name,
        _ => return false,
    };
    msg.authority.iter().any(|r| {
        r.name == *asked
            && matches!(&r.data, RData::Nsec { types, .. } if types.contains(&RecordType::NXNAME))
    })
}

/// Why no DNS answer arrived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportError {
    /// The request never got a readable response: offline, the resolver unreachable, or the
    /// resolver does not allow pages to read its answers (no CORS header).
    Network,
    /// No answer within the time limit.
    Timeout { after_ms: u32 },
    /// An HTTP status other than 200.
    Http { status: u16 },
    /// A 200 whose content type is not `application/dns-message`.
    ContentType { got: String },
    /// A body that is not a DNS message.
    Malformed(WireError),
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Network => f.write_str(
                "Could not reach the resolver, or it does not allow web pages to read its answers \
                 (no CORS header). Check your connection or choose another resolver.",
            ),
            Self::Timeout { after_ms } => write!(
                f,
                // Integer arithmetic: float formatting costs kilobytes of wasm.
                "The resolver did not answer within {}.{} seconds.",
                after_ms / 1000,
                after_ms % 1000 / 100
            ),
            Self::Http { status: 429 } => f.write_str(
                "The resolver is rate-limiting these queries (HTTP 429 Too Many Requests). Wait a \
                 moment or choose another resolver.",
            ),
            Self::Http { status } if *status >= 500 => write!(
                f,
                "The resolver had an internal error (HTTP {status}). Try again or choose another \
                 resolver."
            ),
            Self::Http { status } => {
                write!(f, "The resolver answered HTTP {status}, not a DNS answer.")
            }
            Self::ContentType { got } if got.starts_with("text/html") => f.write_str(
                "The resolver's address answered with a web page, not a DNS answer: it is not a \
                 DNS-over-HTTPS endpoint, or a network login page is in the way.",
            ),
            Self::ContentType { got } => write!(
                f,
                "The resolver answered with content type {got:?} instead of \
                 application/dns-message."
            ),
            Self::Malformed(err) => match err.kind {
                WireErrorKind::Truncated => write!(
                    f,
                    "The resolver's answer was cut short ({err}); it cannot be trusted."
                ),
                WireErrorKind::Malformed(_) => {
                    write!(
                        f,
                        "The resolver's answer is not a valid DNS message ({err})."
                    )
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::{Flags, Name, RData};

    fn message(rcode: Rcode, answers: Vec<Record>) -> Message {
        Message {
            id: 0,
            flags: Flags::default(),
            rcode,
            questions: vec![],
            answers,
            authority: vec![],
            additional: vec![],
            edns: None,
        }
    }

    fn record(rtype: RecordType, data: RData) -> Record {
        Record {
            name: Name::parse("example.com").unwrap(),
            rtype,
            class: 1,
            ttl: 60,
            data,
        }
    }

    #[test]
    fn answers_split_into_records_and_cname_chain() {
        let cname = record(
            RecordType::CNAME,
            RData::Cname(Name::parse("t.example.net").unwrap()),
        );
        let txt = record(RecordType::TXT, RData::Txt(vec![b"x".to_vec()]));
        let outcome = Outcome::from_message(
            &message(Rcode::NOERROR, vec![cname.clone(), txt.clone()]),
            RecordType::TXT,
        );
        assert_eq!(
            outcome,
            Outcome::Records {
                records: vec![txt],
                chain: vec![cname]
            }
        );
    }

    #[test]
    fn negative_and_failed_answers_are_told_apart() {
        let t = RecordType::TXT;
        assert!(matches!(
            Outcome::from_message(&message(Rcode::NOERROR, vec![]), t),
            Outcome::NoData { .. }
        ));
        assert!(matches!(
            Outcome::from_message(&message(Rcode::NXDOMAIN, vec![]), t),
            Outcome::NxDomain {
                compact_denial: false,
                ..
            }
        ));
        assert_eq!(
            Outcome::from_message(&message(Rcode::SERVFAIL, vec![]), t),
            Outcome::ServFail { errors: vec![] }
        );
        assert_eq!(
            Outcome::from_message(&message(Rcode::REFUSED, vec![]), t),
            Outcome::Refused
        );
        assert!(
            Outcome::NxDomain {
                chain: vec![],
                compact_denial: true
            }
            .summary("x.test", t)
            .contains("does not exist")
        );
    }

    #[test]
    fn compact_denial_counts_as_a_name_that_does_not_exist() {
        let mut msg = message(Rcode::NOERROR, vec![]);
        msg.questions.push(crate::dns::wire::Question {
            name: Name::parse("example.com").unwrap(),
            rtype: RecordType::TXT,
            class: 1,
        });
        let nsec = |types| Record {
            rtype: RecordType::NSEC,
            data: RData::Nsec {
                next: Name::parse("\\000.example.com").unwrap(),
                types,
            },
            ..record(RecordType::NSEC, RData::Unknown(vec![]))
        };
        msg.authority = vec![nsec(vec![RecordType(46), RecordType::NSEC])];
        assert!(matches!(
            Outcome::from_message(&msg, RecordType::TXT),
            Outcome::NoData { .. }
        ));
        msg.authority = vec![nsec(vec![
            RecordType(46),
            RecordType::NSEC,
            RecordType::NXNAME,
        ])];
        assert_eq!(
            Outcome::from_message(&msg, RecordType::TXT),
            Outcome::NxDomain {
                chain: vec![],
                compact_denial: true
            }
        );
    }

    #[test]
    fn servfail_says_what_the_resolver_reported() {
        let errors = vec![ExtendedError {
            code: 7,
            text: String::new(),
        }];
        let text = Outcome::ServFail { errors }.summary("example.com", RecordType::TXT);
        assert!(text.contains("Signature expired (EDE 7)"), "{text}");
    }

    #[test]
    fn transport_errors_say_what_happened_in_plain_words() {
        assert!(
            TransportError::Http { status: 429 }
                .to_string()
                .contains("rate-limiting")
        );
        assert!(
            TransportError::Http { status: 500 }
                .to_string()
                .contains("internal error")
        );
        assert!(
            TransportError::ContentType {
                got: "text/html; charset=utf-8".into()
            }
            .to_string()
            .contains("web page")
        );
        assert!(
            TransportError::ContentType {
                got: "text/plain".into()
            }
            .to_string()
            .contains("\"text/plain\"")
        );
        assert!(
            TransportError::Timeout { after_ms: 1250 }
                .to_string()
                .contains("1.2 seconds")
        );
        assert!(
            TransportError::Timeout { after_ms: 5000 }
                .to_string()
                .contains("5.0 seconds")
        );
        assert!(TransportError::Network.to_string().contains("CORS"));
        let cut = TransportError::Malformed(WireError {
            kind: WireErrorKind::Truncated,
            offset: 20,
        });
        assert!(cut.to_string().contains("cut short"));
    }
}
