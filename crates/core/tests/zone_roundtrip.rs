//! Presentation round trips (`parse(display(x)) == x`) for every record type, and the project's
//! fixture zones read the same by mxray's zone reader and by hickory-proto's.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use mxray_core::dns::zone::{parse_zone, record_line};
use mxray_core::dns::{Name, RData, Record, RecordType};

mod common;
use common::{Rng, data, name};

#[test]
fn every_type_survives_print_then_parse() {
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    for round in 0..5000 {
        let (rtype, data) = data(&mut rng);
        let record = Record {
            name: name(&mut rng),
            rtype,
            class: 1,
            ttl: rng.next() as u32,
            data,
        };
        let line = record_line(&record);
        let parsed =
            parse_zone(&line, None).unwrap_or_else(|e| panic!("round {round}: {line:?}: {e}"));
        assert_eq!(parsed, [record], "round {round}: {line}");
    }
}

#[test]
fn fixture_zones_read_the_same_as_hickory_reads_them() {
    use hickory_proto::rr::{Name as HName, RData as HData};
    use hickory_proto::serialize::txt::Parser;

    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/zones");
    let mut files = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "zone") {
            continue;
        }
        files += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        let ours = parse_zone(&text, Some(&Name::root()))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        // hickory does not know the obsolete SPF type (99): it reads those lines as TXT, and our
        // type 99 records are compared as TXT (their data is TXT's), after counting them.
        let (hickory_text, spf_lines) = spf_lines_as_txt(&text);
        let ours_99 = ours.iter().filter(|r| r.rtype == RecordType::SPF).count();
        assert_eq!(ours_99, spf_lines, "{}: SPF records", path.display());
        let (_, sets) = Parser::new(hickory_text.as_str(), None, Some(HName::root()))
            .parse()
            .unwrap();
        // (owner, type, ttl) -> TXT strings or the number of records
        let mut theirs: BTreeMap<(String, u16, u32), Vec<Vec<u8>>> = BTreeMap::new();
        for set in sets.values() {
            for r in set.records_without_rrsigs() {
                let key = (
                    r.name.to_ascii().to_ascii_lowercase(),
                    u16::from(r.record_type()),
                    r.ttl,
                );
                let entry = theirs.entry(key).or_default();
                match &r.data {
                    HData::TXT(txt) => entry.extend(txt.txt_data.iter().map(|s| s.to_vec())),
                    _ => entry.push(Vec::new()),
                }
            }
        }
        let mut mine: BTreeMap<(String, u16, u32), Vec<Vec<u8>>> = BTreeMap::new();
        for r in &ours {
            let rtype = if r.rtype == RecordType::SPF {
                RecordType::TXT
            } else {
                r.rtype
            };
            let key = (r.name.to_fqdn().to_ascii_lowercase(), rtype.0, r.ttl);
            let entry = mine.entry(key).or_default();
            match &r.data {
                RData::Txt(strings) => entry.extend(strings.iter().cloned()),
                _ => entry.push(Vec::new()),
            }
        }
        // An RRset is a set (RFC 2181 §5): hickory drops repeats, so compare without them.
        for v in theirs.values_mut().chain(mine.values_mut()) {
            v.sort();
            v.dedup();
        }
        assert_eq!(mine, theirs, "{}", path.display());
    }
    assert!(files >= 4);
}

/// The zone text with every record line of type `SPF` given type `TXT`, and how many there were.
fn spf_lines_as_txt(text: &str) -> (String, usize) {
    let mut count = 0;
    let mut out = String::new();
    for line in text.lines() {
        let code_end = line.find(['"', ';']).unwrap_or(line.len());
        let (code, rest) = line.split_at(code_end);
        let tokens: Vec<&str> = code.split_whitespace().collect();
        match tokens
            .iter()
            .skip(1)
            .position(|t| t.eq_ignore_ascii_case("SPF"))
        {
            Some(i) if !line.starts_with(char::is_whitespace) => {
                count += 1;
                let mut tokens = tokens.clone();
                tokens[i + 1] = "TXT";
                out.push_str(&tokens.join(" "));
                out.push(' ');
                out.push_str(rest);
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    (out, count)
}
