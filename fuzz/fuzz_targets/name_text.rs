//! Any text into the name parser: no panic, and a parsed name survives print -> parse.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mxray_core::dns::Name;

fuzz_target!(|text: &str| {
    if let Ok(name) = Name::parse(text) {
        let printed = name.to_string();
        let again = Name::parse(&printed).expect("a printed name parses");
        assert_eq!(again, name, "round trip through {printed:?}");
        let mut wire = Vec::new();
        name.write_wire(&mut wire);
        assert_eq!(wire.len(), name.wire_len());
    }
});
