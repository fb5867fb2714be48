//! Core's Punycode decoder and input normaliser against the `idna` crate (UTS 46), on generated
//! international names.
#![cfg(not(target_arch = "wasm32"))]

use mxray_core::dns::input::{ToAscii, normalise, punycode_decode, to_unicode};

mod common;
use common::Rng;

struct Uts46;
impl ToAscii for Uts46 {
    fn to_ascii(&self, domain: &str) -> Result<String, String> {
        idna::domain_to_ascii(domain).map_err(|e| e.to_string())
    }
}

/// Letters from several scripts, digits and hyphens.
fn label(rng: &mut Rng) -> String {
    const POOLS: [(u32, u32); 6] = [
        (0x61, 0x7a),     // a-z
        (0xe0, 0xff),     // Latin-1 letters
        (0x3b1, 0x3c9),   // Greek
        (0x430, 0x44f),   // Cyrillic
        (0x4e00, 0x4fff), // CJK
        (0x30a1, 0x30f6), // Katakana
    ];
    let len = 1 + rng.below(12);
    (0..len)
        .map(|_| {
            let (lo, hi) = POOLS[rng.below(POOLS.len() as u64) as usize];
            char::from_u32(lo + rng.below(u64::from(hi - lo + 1)) as u32).unwrap_or('a')
        })
        .collect()
}

#[test]
fn decoding_matches_uts46_to_unicode() {
    let mut rng = Rng(0x1d4a_0000_0000_0001);
    let mut checked = 0;
    for _ in 0..3000 {
        let domain = format!("{}.{}", label(&mut rng), label(&mut rng));
        let Ok(ascii) = idna::domain_to_ascii(&domain) else {
            continue;
        };
        let (unicode, result) = idna::domain_to_unicode(&ascii);
        assert!(result.is_ok());
        let target = normalise(&domain, &Uts46).unwrap_or_else(|e| panic!("{domain}: {e}"));
        assert_eq!(target.name.to_string(), ascii, "{domain}");
        let ours = to_unicode(&target.name).unwrap_or_else(|| target.name.to_string());
        assert_eq!(ours, unicode, "{domain}");
        for l in ascii.split('.') {
            if let Some(encoded) = l.strip_prefix("xn--") {
                assert!(punycode_decode(encoded).is_some(), "{l}");
            }
        }
        checked += 1;
    }
    assert!(checked > 2500, "only {checked} names checked");
}
