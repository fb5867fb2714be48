//! The DKIM key decoder on any bytes: as DER directly, and as the base64 p= of a key record
//! with each key type. No panic; a key is either understood (RSA with a size, Ed25519) or named
//! damaged, never both; spans stay inside the record.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mxray_core::dkim::der::read_key;
use mxray_core::dkim::key::{Key, lint_key};
use mxray_core::encoding::{base64_decode, base64_encode};

fuzz_target!(|data: &[u8]| {
    let _ = read_key(data);
    let encoded = base64_encode(data);
    assert_eq!(base64_decode(&encoded).as_deref(), Ok(data));
    for k in ["", "k=rsa; ", "k=ed25519; "] {
        let text = format!("v=DKIM1; {k}p={encoded}");
        let record = lint_key(&text);
        for f in &record.findings {
            if let Some(span) = &f.span {
                assert!(span.end <= text.len());
            }
        }
        match &record.key {
            Key::Rsa { bits, .. } => assert!(*bits > 0),
            Key::Damaged(why) => assert!(!why.is_empty()),
            Key::Ed25519 => assert_eq!(data.len(), 32),
            Key::Missing | Key::Revoked => assert!(data.is_empty()),
        }
    }
    // Damage in the text: the same key with one byte of text cut.
    if encoded.len() > 4 {
        let cut = format!("v=DKIM1; p={}", &encoded[..encoded.len() - 1]);
        let _ = lint_key(&cut);
    }
});
