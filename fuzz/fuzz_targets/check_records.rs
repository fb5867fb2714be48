//! The Check page's own readers: MTA-STS, TLS-RPT and BIMI records, MTA-STS policy files
//! checked against MX hosts, URL checks, MX patterns and generic-PTR-name detection, from an
//! alphabet of their pieces and as raw text; and the page's reading of its own
//! Content-Security-Policy. No panic, and every finding's span lies inside
//! the text it points into (on character boundaries, as the page cuts the text there).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mxray_core::check::rdns::generic_reason;
use mxray_core::check::records::{
    https_problem, lint_bimi_record, lint_policy, lint_sts_record, lint_tlsrpt_record, mx_matches,
};
use mxray_core::finding::{Finding, segments};

const TOKENS: [&str; 40] = [
    "v=", "STSv1", "TLSRPTv1", "BIMI1", ";", " ", "id=", "rua=", "mailto:", "https://", "http://",
    "a@b.test", ",", "l=", "a=", ".svg", ".pem", "\n", "\r\n", "version: ", "mode: ", "enforce",
    "testing", "none", "max_age: ", "86400", "99999999999", "mx: ", "*.", "mail.test", ":", "é",
    "-", "192", ".", "0", "dsl", "\"", "\t", "=",
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
        spans_fit(text, &lint_sts_record(text).findings);
        spans_fit(text, &lint_tlsrpt_record(text).findings);
        spans_fit(text, &lint_bimi_record(text).findings);
        let hosts = vec!["mail.test".to_owned(), text.to_owned()];
        spans_fit(text, &lint_policy(text, &hosts).findings);
        let _ = https_problem(text);
        let _ = mx_matches(text, "a.mail.test");
        let _ = mxray_core::csp::allows_connect([text], "https://p.test", text);
        let _ = mxray_core::csp::allows_connect([text], text, "https://mta-sts.mail.test/x");
        let _ = mx_matches("*.mail.test", text);
        let _ = generic_reason(text, "192.0.2.1".parse().expect("address"));
        let _ = generic_reason(text, "2001:db8::1".parse().expect("address"));
    }
});
