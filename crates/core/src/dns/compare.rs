//! Comparing what several resolvers answer to one question ("has my change propagated?").
//!
//! Answers are the same when they have the same outcome and the same records, in any order and
//! whatever their TTLs (TTLs count down differently in every cache). Resolvers that gave no
//! answer (no response, SERVFAIL, REFUSED) are listed apart. The longest TTL among the differing answers says how long the old
//! answer may still be served.

use super::resolver::Answered;
use super::zone::record_line;
use super::{Outcome, RecordType, TransportError};

/// One resolver's part in a comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Compared {
    pub resolver: String,
    pub result: Result<Answered, TransportError>,
    /// Which distinct answer this is (0, 1, …, in order of first appearance); `None` when the
    /// resolver gave no answer (no response, SERVFAIL, REFUSED).
    pub group: Option<usize>,
}

/// Every resolver's answer, grouped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    pub rows: Vec<Compared>,
    /// How many distinct answers came back.
    pub distinct: usize,
}

impl Comparison {
    /// Groups the answers to a question of type `rtype`.
    pub fn new(
        results: Vec<(String, Result<Answered, TransportError>)>,
        rtype: RecordType,
    ) -> Self {
        let mut keys: Vec<Vec<String>> = Vec::new();
        let rows = results
            .into_iter()
            .map(|(resolver, result)| {
                let group = result
                    .as_ref()
                    .ok()
                    .and_then(|answer| answer_key(answer, rtype))
                    .map(|key| match keys.iter().position(|k| *k == key) {
                        Some(at) => at,
                        None => {
                            keys.push(key);
                            keys.len() - 1
                        }
                    });
                Compared {
                    resolver,
                    result,
                    group,
                }
            })
            .collect();
        Self {
            rows,
            distinct: keys.len(),
        }
    }

    /// Whether every resolver that answered gave the same answer.
    pub fn agree(&self) -> bool {
        self.distinct <= 1
    }

    /// The longest TTL in any answer: how long a stale answer may still be served.
    pub fn longest_ttl(&self) -> Option<u32> {
        self.rows
            .iter()
            .filter_map(|row| row.result.as_ref().ok())
            .flat_map(|a| a.message.answers.iter().chain(&a.message.authority))
            .map(|r| r.ttl)
            .max()
    }

    /// One sentence for people.
    pub fn summary(&self) -> String {
        let answered = self.rows.iter().filter(|r| r.group.is_some()).count();
        let silent = self.rows.len() - answered;
        let silent_note = match silent {
            0 => String::new(),
            1 => " One resolver gave no answer.".to_owned(),
            n => format!(" {n} resolvers gave no answer."),
        };
        match (answered, self.distinct) {
            (0, _) => "No resolver answered.".to_owned(),
            (1, _) => format!("Only one resolver answered.{silent_note}"),
            (n, 1) => format!("All {n} resolvers that answered agree.{silent_note}"),
            (n, d) => {
                let wait = self
                    .longest_ttl()
                    .map(|ttl| {
                        format!(
                            " Each resolver keeps what it has until the TTL runs out (up to {}).",
                            super::present::duration_words(ttl)
                        )
                    })
                    .unwrap_or_default();
                format!(
                    "The {n} resolvers that answered disagree: {d} different answers. This is \
                     usual just after a change, while old answers are still cached.{wait}\
                     {silent_note}"
                )
            }
        }
    }
}

/// What makes two answers the same: the outcome and the sorted record data (no TTLs). `None`
/// for a resolver that failed (SERVFAIL, REFUSED, another RCODE): that is not an answer.
fn answer_key(answer: &Answered, rtype: RecordType) -> Option<Vec<String>> {
    let outcome = Outcome::from_message(&answer.message, rtype);
    let mut key: Vec<String> = answer
        .message
        .answers
        .iter()
        .map(|r| {
            let mut line = record_line(&super::Record {
                ttl: 0,
                ..r.clone()
            });
            line.make_ascii_lowercase();
            line
        })
        .collect();
    key.sort_unstable();
    if !outcome.is_answer() {
        return None;
    }
    let kind = match outcome {
        Outcome::Records { .. } => "records",
        Outcome::NoData { .. } => "no data",
        _ => "no such name",
    };
    key.insert(0, kind.to_owned());
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::zone::parse_zone;
    use crate::dns::{Flags, Message, Rcode};

    fn answer(zone: &str, rcode: Rcode) -> Result<Answered, TransportError> {
        Ok(Answered {
            message: Message {
                id: 0,
                flags: Flags::default(),
                rcode,
                questions: Vec::new(),
                answers: parse_zone(zone, None).unwrap(),
                authority: Vec::new(),
                additional: Vec::new(),
                edns: None,
            },
            source: String::new(),
            elapsed_ms: 1,
            cached: false,
            attempts: Vec::new(),
        })
    }

    #[test]
    fn order_and_ttls_do_not_make_answers_differ() {
        let a = answer(
            "x.example. 300 A 192.0.2.1\nx.example. 300 A 192.0.2.2",
            Rcode::NOERROR,
        );
        let b = answer(
            "X.example. 17 A 192.0.2.2\nx.example. 17 A 192.0.2.1",
            Rcode::NOERROR,
        );
        let c = Err(TransportError::Timeout { after_ms: 5000 });
        let cmp = Comparison::new(
            vec![("one".into(), a), ("two".into(), b), ("three".into(), c)],
            RecordType::A,
        );
        assert!(cmp.agree());
        assert_eq!(cmp.rows[1].group, Some(0));
        assert_eq!(cmp.rows[2].group, None);
        assert_eq!(
            cmp.summary(),
            "All 2 resolvers that answered agree. One resolver gave no answer."
        );
    }

    #[test]
    fn a_changed_record_shows_as_disagreement_with_the_wait() {
        let old = answer("x.example. 3600 TXT \"v=spf1 -all\"", Rcode::NOERROR);
        let new = answer("x.example. 300 TXT \"v=spf1 mx -all\"", Rcode::NOERROR);
        let none = answer("", Rcode::NXDOMAIN);
        let cmp = Comparison::new(
            vec![
                ("one".into(), old.clone()),
                ("two".into(), new),
                ("three".into(), none),
                ("four".into(), old),
            ],
            RecordType::TXT,
        );
        assert!(!cmp.agree());
        assert_eq!(cmp.distinct, 3);
        assert_eq!(
            cmp.rows.iter().map(|r| r.group).collect::<Vec<_>>(),
            [Some(0), Some(1), Some(2), Some(0)]
        );
        let summary = cmp.summary();
        assert!(summary.contains("3 different answers"), "{summary}");
        assert!(summary.contains("up to 1 hour"), "{summary}");
    }

    #[test]
    fn a_resolver_failure_is_not_a_different_answer() {
        let ok = answer("x.example. 300 A 192.0.2.1", Rcode::NOERROR);
        let cmp = Comparison::new(
            vec![
                ("one".into(), ok.clone()),
                ("two".into(), answer("", Rcode::SERVFAIL)),
                ("three".into(), ok),
            ],
            RecordType::A,
        );
        assert!(cmp.agree());
        assert_eq!(cmp.rows[1].group, None);
        assert_eq!(
            cmp.summary(),
            "All 2 resolvers that answered agree. One resolver gave no answer."
        );
    }

    #[test]
    fn nobody_answering_is_said_plainly() {
        let cmp = Comparison::new(
            vec![("one".into(), Err(TransportError::Network))],
            RecordType::A,
        );
        assert_eq!(cmp.summary(), "No resolver answered.");
    }
}
