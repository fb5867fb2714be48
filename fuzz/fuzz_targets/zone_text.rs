//! Any text into the zone-file reader: no panic, and every record it reads survives
//! print -> parse unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mxray_core::dns::Name;
use mxray_core::dns::zone::{parse_zone, record_line};

fuzz_target!(|text: &str| {
    let origin = Name::parse("example.com").expect("origin");
    if let Ok(records) = parse_zone(text, Some(&origin)) {
        for record in records {
            let line = record_line(&record);
            let again = parse_zone(&line, None).expect("a printed record parses");
            assert_eq!(again, [record], "round trip through {line:?}");
        }
    }
});
