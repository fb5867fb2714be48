//! The fixture's DNS data: every `*.zone` master file in a directory, merged into one namespace,
//! answered the way a recursive resolver would answer a stub (RFC 1034 §4.3.2): CNAME chains are
//! followed, wildcards expanded (RFC 4592), and negative answers carry the SOA of the closest
//! enclosing zone so the client learns the negative TTL (RFC 2308).
//!
//! Parsing is hickory-proto's, not mxray's, on purpose: mxray's codec is tested against it.
//! For the same reason this answering logic parallels `mxray_core::dns::resolver::ZoneResolver`
//! instead of calling it: the fixture must not share code with what it tests.

use std::collections::BTreeMap;
use std::path::Path;

use hickory_proto::op::ResponseCode;
use hickory_proto::rr::rdata::NULL;
use hickory_proto::rr::{LowerName, Name, RData, Record, RecordType};
use hickory_proto::serialize::txt::Parser;

/// All records of all zones, by owner name.
#[derive(Debug, Default)]
pub struct ZoneStore {
    names: BTreeMap<LowerName, Vec<Record>>,
    /// Every zone's apex, and whether its file says `; fixture: authentic-data`: answers about
    /// names in it carry the AD bit, as a validating resolver sets it for a signed zone.
    apexes: Vec<(LowerName, bool)>,
}

/// The answer to one question.
#[derive(Debug)]
pub struct Answer {
    pub rcode: ResponseCode,
    pub answers: Vec<Record>,
    pub authority: Vec<Record>,
}

impl ZoneStore {
    /// Loads every `*.zone` file in `dir` (sorted by name). Files without `$ORIGIN` are read with
    /// the root as origin, so their names must be absolute.
    pub fn load_dir(dir: &Path) -> Result<Self, String> {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| format!("cannot read zone directory {}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "zone"))
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(format!("no *.zone files in {}", dir.display()));
        }
        let mut store = Self::default();
        for file in files {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            store
                .add_zone_text(&text)
                .map_err(|e| format!("{}: {e}", file.display()))?;
        }
        Ok(store)
    }

    /// Adds the records of one master file.
    ///
    /// hickory's reader knows neither the obsolete `SPF` type (99, RFC 7208 §3.1) nor the generic
    /// `TYPE99 \# …` form, so lines of type `SPF` are read here: each such line must name its
    /// owner (no blank-owner continuation); it is read as `TXT` under the same `$ORIGIN`/`$TTL`
    /// and stored as type 99 with the TXT wire data, which is what type 99 carries.
    pub fn add_zone_text(&mut self, text: &str) -> Result<(), String> {
        let (plain, spf) = split_spf_lines(text);
        let signed = text
            .lines()
            .any(|l| l.trim() == "; fixture: authentic-data");
        for (key, set) in parse(&plain)? {
            if set.record_type() == RecordType::SOA {
                self.apexes.push((key.name.clone(), signed));
            }
            let entry = self.names.entry(key.name.clone()).or_default();
            entry.extend(set.records_without_rrsigs().cloned());
        }
        for (key, set) in parse(&spf)? {
            let entry = self.names.entry(key.name.clone()).or_default();
            for record in set.records_without_rrsigs() {
                let RData::TXT(txt) = &record.data else {
                    continue;
                };
                let mut wire = Vec::new();
                for string in txt.txt_data.iter() {
                    wire.push(string.len() as u8);
                    wire.extend_from_slice(string);
                }
                let data = RData::Unknown {
                    code: RecordType::Unknown(99),
                    rdata: NULL::with(wire),
                };
                entry.push(Record::from_rdata(record.name.clone(), record.ttl, data));
            }
        }
        Ok(())
    }

    /// Whether answers about `name` carry the AD bit: the closest zone holding it is marked as
    /// signed (an unsigned zone below a signed one is answered without it, as a delegation
    /// without DS is).
    pub fn authentic(&self, name: &Name) -> bool {
        let lower = LowerName::from(name);
        self.apexes
            .iter()
            .filter(|(apex, _)| apex.zone_of(&lower))
            .max_by_key(|(apex, _)| apex.num_labels())
            .is_some_and(|(_, signed)| *signed)
    }

    /// How many owner names the store holds.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Whether `name` owns records or has names below it (an empty non-terminal).
    fn exists(&self, name: &LowerName) -> bool {
        if self.names.contains_key(name) {
            return true;
        }
        self.names.keys().any(|k| name.zone_of(k) && k != name)
    }

    /// Records at `name`, expanding a wildcard when the name itself does not exist.
    fn records_at(&self, name: &Name) -> Option<Vec<Record>> {
        let lower = LowerName::from(name);
        if let Some(records) = self.names.get(&lower) {
            return Some(records.clone());
        }
        if self.exists(&lower) {
            return Some(Vec::new());
        }
        // RFC 4592: find the closest encloser, then look for `*` directly under it.
        let mut encloser = name.base_name();
        loop {
            if self.exists(&LowerName::from(&encloser)) || encloser.is_root() {
                let wildcard = Name::from_ascii("*").ok()?.append_domain(&encloser).ok()?;
                let records = self.names.get(&LowerName::from(&wildcard))?;
                let expanded = records
                    .iter()
                    .map(|r| {
                        let mut r = r.clone();
                        r.name = name.clone();
                        r
                    })
                    .collect();
                return Some(expanded);
            }
            encloser = encloser.base_name();
        }
    }

    /// The SOA of the closest zone enclosing `name`, for negative answers.
    fn soa_for(&self, name: &Name) -> Vec<Record> {
        let mut current = name.clone();
        loop {
            if let Some(records) = self.names.get(&LowerName::from(&current)) {
                let soa: Vec<_> = records
                    .iter()
                    .filter(|r| r.record_type() == RecordType::SOA)
                    .cloned()
                    .collect();
                if !soa.is_empty() {
                    return soa;
                }
            }
            if current.is_root() {
                return Vec::new();
            }
            current = current.base_name();
        }
    }

    /// Answers one question as a recursive resolver would.
    pub fn answer(&self, qname: &Name, qtype: RecordType) -> Answer {
        let mut answers = Vec::new();
        let mut name = qname.clone();
        // Follow at most 8 CNAMEs, as resolvers bound chains.
        for _ in 0..=8 {
            let Some(records) = self.records_at(&name) else {
                // RFC 6604 §3: after a CNAME chain the RCODE describes its last name.
                return Answer {
                    rcode: ResponseCode::NXDomain,
                    answers,
                    authority: self.soa_for(&name),
                };
            };
            let matching: Vec<_> = records
                .iter()
                .filter(|r| r.record_type() == qtype || qtype == RecordType::ANY)
                .cloned()
                .collect();
            if !matching.is_empty() {
                answers.extend(matching);
                return Answer {
                    rcode: ResponseCode::NoError,
                    answers,
                    authority: Vec::new(),
                };
            }
            let cname = records.iter().find_map(|r| match &r.data {
                RData::CNAME(target) => Some((r.clone(), target.0.clone())),
                _ => None,
            });
            match cname {
                Some((record, target)) => {
                    answers.push(record);
                    name = target;
                }
                None => {
                    return Answer {
                        rcode: ResponseCode::NoError,
                        answers,
                        authority: self.soa_for(&name),
                    };
                }
            }
        }
        Answer {
            rcode: ResponseCode::ServFail,
            answers: Vec::new(),
            authority: Vec::new(),
        }
    }
}

/// Reads one master file with hickory.
fn parse(
    text: &str,
) -> Result<
    std::collections::BTreeMap<hickory_proto::rr::RrKey, hickory_proto::rr::RecordSet>,
    String,
> {
    let (_origin, sets) = Parser::new(text, None, Some(Name::root()))
        .parse()
        .map_err(|e| e.to_string())?;
    Ok(sets)
}

/// Splits a master file into its ordinary lines and its `SPF` lines (rewritten as `TXT`), each
/// half keeping every `$` directive in place so names and TTLs read the same.
fn split_spf_lines(text: &str) -> (String, String) {
    let (mut plain, mut spf) = (String::new(), String::new());
    for line in text.lines() {
        let code_end = line.find(['"', ';']).unwrap_or(line.len());
        let (code, rest) = line.split_at(code_end);
        let mut tokens: Vec<&str> = code.split_whitespace().collect();
        let spf_at = tokens
            .iter()
            .skip(1)
            .position(|t| t.eq_ignore_ascii_case("SPF"));
        if line.trim_start().starts_with('$') {
            for half in [&mut plain, &mut spf] {
                half.push_str(line);
                half.push('\n');
            }
        } else if let (Some(i), false) = (spf_at, line.starts_with(char::is_whitespace)) {
            tokens[i + 1] = "TXT";
            spf.push_str(&tokens.join(" "));
            spf.push(' ');
            spf.push_str(rest);
            spf.push('\n');
        } else {
            plain.push_str(line);
            plain.push('\n');
        }
    }
    (plain, spf)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZONE: &str = r#"
$ORIGIN example.test.
$TTL 300
@       IN SOA ns1 hostmaster ( 1 3600 600 86400 60 )
@       IN TXT "v=spf1 " "include:_spf.example.test -all"
@       IN MX 10 mx1
mx1     IN A 192.0.2.25
www     IN CNAME example.test.
alias   IN CNAME missing
*.wild  IN TXT "wildcard"
a.b.c   IN A 192.0.2.1
"#;

    fn store() -> ZoneStore {
        let mut s = ZoneStore::default();
        s.add_zone_text(ZONE).unwrap();
        s
    }

    fn n(text: &str) -> Name {
        Name::from_ascii(text).unwrap()
    }

    #[test]
    fn multi_string_txt_keeps_each_string() {
        let a = store().answer(&n("example.test."), RecordType::TXT);
        assert_eq!(a.rcode, ResponseCode::NoError);
        let RData::TXT(txt) = &a.answers[0].data else {
            panic!("not TXT")
        };
        let strings: Vec<_> = txt.txt_data.iter().map(|s| s.to_vec()).collect();
        assert_eq!(
            strings,
            [
                b"v=spf1 ".to_vec(),
                b"include:_spf.example.test -all".to_vec()
            ]
        );
    }

    #[test]
    fn spf_type_lines_are_served_as_type_99_with_txt_wire_data() {
        let mut store = ZoneStore::default();
        store
            .add_zone_text(
                "$ORIGIN t.test.\n$TTL 60\n@ SOA ns h 1 2 3 4 5\n\
                 a TXT \"v=spf1 -all\"\na SPF \"v=spf1 \" \"mx -all\" ; note\n",
            )
            .unwrap();
        let a = store.answer(&n("a.t.test."), RecordType::Unknown(99));
        assert_eq!(a.rcode, ResponseCode::NoError);
        assert_eq!(a.answers.len(), 1);
        let RData::Unknown { code, rdata } = &a.answers[0].data else {
            panic!("not type 99: {:?}", a.answers[0])
        };
        assert_eq!(*code, RecordType::Unknown(99));
        assert_eq!(&rdata.anything[..], b"\x07v=spf1 \x07mx -all");
        assert_eq!(a.answers[0].ttl, 60);
        let txt = store.answer(&n("a.t.test."), RecordType::TXT);
        assert_eq!(txt.answers.len(), 1);
    }

    #[test]
    fn cname_chains_are_followed_and_kept_in_the_answer() {
        let a = store().answer(&n("www.example.test."), RecordType::MX);
        assert_eq!(a.answers.len(), 2);
        assert_eq!(a.answers[0].record_type(), RecordType::CNAME);
        assert_eq!(a.answers[1].record_type(), RecordType::MX);
    }

    #[test]
    fn dangling_cname_gives_nxdomain_with_the_chain() {
        let a = store().answer(&n("alias.example.test."), RecordType::A);
        assert_eq!(a.rcode, ResponseCode::NXDomain);
        assert_eq!(a.answers.len(), 1);
        assert_eq!(a.authority[0].record_type(), RecordType::SOA);
    }

    #[test]
    fn negative_answers_distinguish_nodata_nxdomain_and_empty_non_terminals() {
        let s = store();
        let nodata = s.answer(&n("mx1.example.test."), RecordType::TXT);
        assert_eq!(nodata.rcode, ResponseCode::NoError);
        assert!(nodata.answers.is_empty());
        assert_eq!(nodata.authority.len(), 1);
        let ent = s.answer(&n("b.c.example.test."), RecordType::A);
        assert_eq!(ent.rcode, ResponseCode::NoError);
        let nx = s.answer(&n("nope.example.test."), RecordType::A);
        assert_eq!(nx.rcode, ResponseCode::NXDomain);
        let outside = s.answer(&n("other.invalid."), RecordType::A);
        assert_eq!(outside.rcode, ResponseCode::NXDomain);
        assert!(outside.authority.is_empty());
    }

    #[test]
    fn wildcards_expand_to_the_query_name() {
        let a = store().answer(&n("anything.wild.example.test."), RecordType::TXT);
        assert_eq!(a.rcode, ResponseCode::NoError);
        assert_eq!(a.answers[0].name, n("anything.wild.example.test."));
    }

    #[test]
    fn names_match_case_insensitively() {
        let a = store().answer(&n("MX1.Example.TEST."), RecordType::A);
        assert_eq!(a.answers.len(), 1);
    }
}

#[cfg(test)]
mod fixture_zone_tests {
    use super::*;

    /// The zones the demo and the end-to-end tests serve all load, and answer as documented.
    #[test]
    fn project_fixture_zones_load_and_answer() {
        let store = ZoneStore::load_dir(&crate::root().join("tests/zones")).unwrap();
        let name = |n: &str| Name::from_ascii(n).unwrap();
        let spf = store.answer(&name("example.com."), RecordType::TXT);
        assert_eq!(spf.answers.len(), 2, "SPF and a verification record");
        let key = store.answer(&name("selector1._domainkey.example.org."), RecordType::TXT);
        assert_eq!(
            key.answers[0].record_type(),
            RecordType::CNAME,
            "delegated key"
        );
        assert_eq!(key.answers[1].record_type(), RecordType::TXT);
        let doubled = store.answer(
            &name("s2._domainkey.example.net.example.net."),
            RecordType::TXT,
        );
        assert_eq!(
            doubled.answers.len(),
            1,
            "the domain-appended-twice mistake"
        );
        let RData::TXT(binary) = &store
            .answer(&name("binary.faults.test."), RecordType::TXT)
            .answers[0]
            .data
        else {
            panic!("not TXT");
        };
        assert_eq!(&*binary.txt_data[0], b"caf\xc3\xa9 \x00 end");
    }
}
