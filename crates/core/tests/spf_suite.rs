//! The openspf.org RFC 7208 test suite (pyspf's `rfc7208-tests.yml`, release 2014.04): every
//! scenario's zone served from memory, every case run through `check_host()`, and a report of
//! passed and failed per scenario. Where a case lists several results, any of them counts.
//!
//! The zone data follows the suite's driver conventions: a name's `SPF` entries are also served
//! as TXT when it has no TXT entries of its own; `TIMEOUT` makes a lookup time out unless
//! records of the asked type came before it; a name that is absent does not exist.
//! Explanations are compared ignoring ASCII case (the suite writes IPv6 nibbles upper-case,
//! RFC 7208 §7.4 lower-case); `DEFAULT` means the implementation's default explanation.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::now;

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;

use mxray_core::dns::wire::Question;
use mxray_core::dns::{
    Flags, Message, Name, RData, Rcode, Record, RecordType, Resolver, TransportError,
};
use mxray_core::spf::check_mail_from;
use mxray_core::spf::eval::DEFAULT_EXPLANATION;
use serde::Deserialize;
use serde_yaml::Value;

const SUITE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/conformance/pyspf-rfc7208-tests.yml"
);

#[derive(Clone, Debug)]
enum Entry {
    Record(RecordType, RData),
    Timeout,
}

struct SuiteZone {
    names: HashMap<String, Vec<Entry>>,
}

fn text_strings(v: &Value) -> Vec<Vec<u8>> {
    match v {
        Value::String(s) => vec![latin1(s)],
        Value::Sequence(items) => items
            .iter()
            .map(|i| latin1(i.as_str().unwrap_or_default()))
            .collect(),
        _ => vec![],
    }
}

/// YAML's `\xNN` escapes give code points; the suite means bytes.
fn latin1(s: &str) -> Vec<u8> {
    s.chars()
        .flat_map(|c| match u8::try_from(u32::from(c)) {
            Ok(b) => vec![b],
            Err(_) => c.to_string().into_bytes(),
        })
        .collect()
}

fn name(s: &str) -> Name {
    let s = s.trim_end_matches('.');
    if s.is_empty() {
        return Name::root();
    }
    Name::from_labels(s.split('.').map(|l| l.as_bytes().to_vec()).collect())
        .unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

/// A name as the suite writes it: labels joined by dots, no escaping, lower-case.
fn plain(name: &Name) -> String {
    let labels: Vec<String> = name
        .labels()
        .iter()
        .map(|l| String::from_utf8_lossy(l).to_ascii_lowercase())
        .collect();
    labels.join(".")
}

impl SuiteZone {
    fn new(zonedata: &Value) -> Self {
        let mut names: HashMap<String, Vec<Entry>> = HashMap::new();
        for (owner, entries) in zonedata.as_mapping().into_iter().flatten() {
            let owner = owner
                .as_str()
                .unwrap()
                .trim_end_matches('.')
                .to_ascii_lowercase();
            let mut list = Vec::new();
            let mut spf_as_txt = Vec::new();
            let mut has_txt = false;
            for entry in entries.as_sequence().into_iter().flatten() {
                if entry.as_str() == Some("TIMEOUT") {
                    list.push(Entry::Timeout);
                    continue;
                }
                for (kind, value) in entry.as_mapping().into_iter().flatten() {
                    let kind = kind.as_str().unwrap();
                    if value.as_str() == Some("TIMEOUT") {
                        list.push(Entry::Timeout);
                        continue;
                    }
                    let data = match kind {
                        "SPF" | "TXT" => {
                            if value.as_str() == Some("NONE") {
                                has_txt |= kind == "TXT";
                                continue;
                            }
                            let strings = text_strings(value);
                            if kind == "SPF" {
                                spf_as_txt.push(RData::Txt(strings.clone()));
                            } else {
                                has_txt = true;
                            }
                            RData::Txt(strings)
                        }
                        "A" => RData::A(value.as_str().unwrap().parse().unwrap()),
                        "AAAA" => RData::Aaaa(value.as_str().unwrap().parse().unwrap()),
                        "PTR" => RData::Ptr(name(value.as_str().unwrap())),
                        "CNAME" => RData::Cname(name(value.as_str().unwrap())),
                        "MX" => {
                            let pair = value.as_sequence().unwrap();
                            RData::Mx {
                                preference: pair[0].as_u64().unwrap() as u16,
                                exchange: name(pair[1].as_str().unwrap()),
                            }
                        }
                        other => panic!("unknown zone entry type {other}"),
                    };
                    let rtype = match kind {
                        "SPF" => RecordType::SPF,
                        other => RecordType::from_text(other).unwrap(),
                    };
                    list.push(Entry::Record(rtype, data));
                }
            }
            if !has_txt {
                list.extend(
                    spf_as_txt
                        .into_iter()
                        .map(|d| Entry::Record(RecordType::TXT, d)),
                );
            }
            names.insert(owner, list);
        }
        Self { names }
    }

    fn records(
        &self,
        owner: &str,
        rtype: RecordType,
    ) -> Result<Option<Vec<RData>>, TransportError> {
        let Some(entries) = self.names.get(owner) else {
            return Ok(None);
        };
        let mut found = Vec::new();
        for entry in entries {
            match entry {
                Entry::Timeout if found.is_empty() => {
                    return Err(TransportError::Timeout { after_ms: 5000 });
                }
                Entry::Timeout => break,
                Entry::Record(t, d) if *t == rtype => found.push(d.clone()),
                Entry::Record(..) => {}
            }
        }
        Ok(Some(found))
    }
}

impl Resolver for SuiteZone {
    fn label(&self) -> String {
        "suite".into()
    }

    async fn query(&self, qname: &Name, rtype: RecordType) -> Result<Message, TransportError> {
        let mut answers = Vec::new();
        let mut owner = plain(qname);
        let mut rcode = Rcode::NOERROR;
        for _ in 0..8 {
            match self.records(&owner, rtype)? {
                None => {
                    rcode = Rcode::NXDOMAIN;
                    break;
                }
                Some(found) if !found.is_empty() => {
                    answers.extend(found.into_iter().map(|data| Record {
                        name: name(&owner),
                        rtype,
                        class: 1,
                        ttl: 300,
                        data,
                    }));
                    break;
                }
                Some(_) => {
                    let cname = self.records(&owner, RecordType::CNAME)?.unwrap_or_default();
                    let Some(RData::Cname(target)) = cname.first() else {
                        break;
                    };
                    answers.push(Record {
                        name: name(&owner),
                        rtype: RecordType::CNAME,
                        class: 1,
                        ttl: 300,
                        data: RData::Cname(target.clone()),
                    });
                    owner = plain(target);
                }
            }
        }
        Ok(Message {
            id: 0,
            flags: Flags::default(),
            rcode,
            questions: vec![Question {
                name: qname.clone(),
                rtype,
                class: 1,
            }],
            answers,
            authority: Vec::new(),
            additional: Vec::new(),
            edns: None,
        })
    }
}

#[test]
fn openspf_rfc7208_suite() {
    let text = std::fs::read_to_string(SUITE).unwrap_or_else(|e| {
        panic!("{SUITE}: {e} (the conformance data must be beside the checkout)")
    });
    let mut report: BTreeMap<String, (u32, Vec<String>)> = BTreeMap::new();
    let mut total = 0;
    for document in serde_yaml::Deserializer::from_str(&text) {
        let scenario = Value::deserialize(document).unwrap();
        let title = scenario["description"].as_str().unwrap().to_owned();
        let zone = SuiteZone::new(&scenario["zonedata"]);
        let entry = report.entry(title.clone()).or_default();
        for (case, data) in scenario["tests"].as_mapping().unwrap() {
            total += 1;
            let case = case.as_str().unwrap();
            let ip: IpAddr = data["host"].as_str().unwrap().parse().unwrap();
            let mail_from = data["mailfrom"].as_str().unwrap_or_default();
            let helo = data["helo"].as_str().unwrap_or_default();
            let accepted: Vec<&str> = match &data["result"] {
                Value::String(s) => vec![s.as_str()],
                Value::Sequence(items) => items.iter().filter_map(Value::as_str).collect(),
                other => panic!("{case}: result {other:?}"),
            };
            let evaluation = now(check_mail_from(&zone, ip, mail_from, helo));
            let mut problems = Vec::new();
            if !accepted.contains(&evaluation.result.name()) {
                problems.push(format!(
                    "result {} (expected {})",
                    evaluation.result.name(),
                    accepted.join(" or ")
                ));
            }
            if let Some(expected) = data["explanation"].as_str() {
                let got = evaluation.explanation.clone().unwrap_or_default();
                let ok = if expected == "DEFAULT" {
                    got == DEFAULT_EXPLANATION
                } else {
                    got.eq_ignore_ascii_case(expected)
                };
                if !ok {
                    problems.push(format!("explanation {got:?} (expected {expected:?})"));
                }
            }
            if problems.is_empty() {
                entry.0 += 1;
            } else {
                let trace: Vec<String> = evaluation
                    .trace
                    .iter()
                    .map(|s| format!("{}{}", "  ".repeat(usize::from(s.depth) + 2), s.text))
                    .collect();
                entry.1.push(format!(
                    "{case} ({}): {}; {}\n{}",
                    data["spec"].as_str().unwrap_or(""),
                    problems.join(", "),
                    evaluation.reason,
                    trace.join("\n")
                ));
            }
        }
    }
    let mut passed = 0;
    let mut failures = Vec::new();
    for (title, (ok, failed)) in &report {
        println!("{title}: {ok} passed, {} failed", failed.len());
        passed += ok;
        failures.extend(failed.iter().map(|f| format!("[{title}] {f}")));
    }
    println!("openspf RFC 7208 suite: {passed} of {total} passed");
    assert_eq!(total, 203, "the suite has 203 cases");
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
