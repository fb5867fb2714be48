//! Presentation round trips (`parse(display(x)) == x`) for every record type, and the project's
//! fixture zones read the same by mxray's zone reader and by hickory-proto's.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use mxray_core::dns::zone::{parse_zone, record_line};
use mxray_core::dns::{Name, RData, Record};

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
        let (_, sets) = Parser::new(text.as_str(), None, Some(HName::root()))
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
            let key = (r.name.to_fqdn().to_ascii_lowercase(), r.rtype.0, r.ttl);
            let entry = mine.entry(key).or_default();
            match &r.data {
                RData::Txt(strings) => entry.extend(strings.iter().cloned()),
                _ => entry.push(Vec::new()),
            }
        }
        for v in theirs.values_mut().chain(mine.values_mut()) {
            v.sort();
        }
        assert_eq!(mine, theirs, "{}", path.display());
    }
    assert!(files >= 4);
}
