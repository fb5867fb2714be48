//! Any text into the name parser and the input normaliser: no panic, a parsed name survives
//! print -> parse, and Punycode decoding and reverse-name reading never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mxray_core::dns::Name;
use mxray_core::dns::input::{ToAscii, normalise, punycode_decode, reverse_address, to_unicode};

/// Stands in for UTS 46: whatever it returns, the normaliser must cope.
struct Lower;
impl ToAscii for Lower {
    fn to_ascii(&self, domain: &str) -> Result<String, String> {
        Ok(domain.to_lowercase())
    }
}

fuzz_target!(|text: &str| {
    if let Ok(name) = Name::parse(text) {
        let printed = name.to_string();
        let again = Name::parse(&printed).expect("a printed name parses");
        assert_eq!(again, name, "round trip through {printed:?}");
        let mut wire = Vec::new();
        name.write_wire(&mut wire);
        assert_eq!(wire.len(), name.wire_len());
        let _ = to_unicode(&name);
        if let Some(ip) = reverse_address(&name) {
            assert_eq!(mxray_core::dns::input::reverse_name(ip), name);
        }
    }
    if let Ok(target) = normalise(text, &Lower) {
        assert!(!target.name.is_root());
        let _ = target.display();
    }
    let _ = punycode_decode(text);
});
