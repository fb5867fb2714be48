//! Tag lists (DKIM keys, DMARC records, DKIM-Signature headers) from an alphabet of their
//! pieces, and as raw text: no panic; every tag's spans hold its name and value; errors point
//! inside the text; the DMARC linter, the DKIM key linter and the signature reader take any
//! input, and every finding's span lies inside the text it points into.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mxray_core::dkim::{key, signature};
use mxray_core::dmarc::record;
use mxray_core::finding::{Finding, segments};
use mxray_core::tags::TagList;

const TOKENS: [&str; 48] = [
    "v", "=", ";", " ", "DKIM1", "DMARC1", "p", "sp", "np", "rua", "ruf", "mailto:", "a@b.test",
    ",", "!10m", "!", "k", "rsa", "ed25519", "h", "sha256", ":", "t", "y", "s", "pct", "50", "psd",
    "\r\n ", "\t", "\"", "“", "”", "none", "reject", "quarantine", "fo", "1", "d", "x", "é", "TXT",
    "IN", "_dmarc", "DKIM-Signature", "\n", "MIGf", "AAAA",
];

fn spans_fit(text: &str, findings: &[Finding]) {
    for f in findings {
        if let Some(span) = &f.span {
            assert!(span.start <= span.end && span.end <= text.len(), "{f:?} in {text:?}");
        }
    }
    let _ = segments(text, findings);
}

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    let built: String = data.iter().map(|b| TOKENS[usize::from(*b) % TOKENS.len()]).collect();
    for text in [raw.as_ref(), built.as_str()] {
        let list = TagList::parse(text);
        for tag in &list.tags {
            assert_eq!(&text[tag.name_span.clone()], tag.name);
            assert_eq!(&text[tag.value_span.clone()], tag.value);
        }
        for e in &list.errors {
            let span = e.span();
            assert!(span.start <= span.end && span.end <= text.len() + 1);
        }
        let d = record::lint_pasted(text);
        spans_fit(&d.text, &d.findings);
        let k = key::lint_pasted(text);
        spans_fit(&k.text, &k.findings);
        let _ = signature::signatures(text);
    }
});
