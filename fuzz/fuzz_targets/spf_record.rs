//! SPF records built from the SPF alphabet (each input byte picks a token, so the fuzzer
//! reaches deep into the grammar): no panic; a parsed record prints canonically and parses back
//! to itself; check_host() over the record (and a second record it may include) always ends;
//! the paste linter and the underlining segments take any text.
#![no_main]

use core::future::Future;
use core::pin::pin;
use core::task::{Context, Poll, Waker};

use libfuzzer_sys::fuzz_target;
use mxray_core::dns::resolver::ZoneResolver;
use mxray_core::dns::{Name, RData, Record, RecordType};
use mxray_core::finding::segments;
use mxray_core::spf::lint::lint_pasted;
use mxray_core::spf::{Record as Spf, check_host};

const TOKENS: [&str; 64] = [
    "v=spf1", " ", " ", "a", "mx", "ptr", "ip4:", "ip6:", "include:", "exists:", "all", "redirect=",
    "exp=", ":", "/", "//", "%{", "}", "d", "i", "r", "l", "s", "o", "h", "p", "v", "c", "t",
    "1", "2", "0", "3", ".", "example.com", "x.test", "-", "+", "~", "?", "%%", "%_", "%-",
    "192.0.2.1", "::1", "2001:db8::", "24", "128", "32", "=", "_", "ra", "A", "MX", "\t", "\"",
    "%", "256", "..", "fuzz.test", "b.fuzz.test", "e", "{", "Z",
];

fn text(data: &[u8]) -> String {
    data.iter().map(|b| TOKENS[usize::from(*b) % TOKENS.len()]).collect()
}

fn now<F: Future>(future: F) -> Option<F::Output> {
    match pin!(future).as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(out) => Some(out),
        Poll::Pending => None,
    }
}

fuzz_target!(|data: &[u8]| {
    let (first, second) = data.split_at(data.len() / 2);
    let (first, second) = (text(first), text(second));
    // The paste linter on the same text, and on the raw bytes as text.
    for input in [first.as_str(), &String::from_utf8_lossy(data)] {
        let linted = lint_pasted(input);
        let parts = segments(&linted.text, &linted.findings);
        assert_eq!(parts.iter().map(|p| p.text.as_str()).collect::<String>(), linted.text);
    }
    if let Ok(record) = Spf::parse(&first) {
        let printed = record.to_string();
        let again = Spf::parse(&printed).expect("the canonical form parses");
        assert_eq!(again.to_string(), printed, "canonical printing is stable");
        assert_eq!(again.terms.len(), record.terms.len());
        for term in &record.terms {
            assert!(term.span.end <= first.len());
        }
    }
    let txt = |owner: &str, text: &str| Record {
        name: Name::parse(owner).unwrap(),
        rtype: RecordType::TXT,
        class: 1,
        ttl: 60,
        data: RData::Txt(text.as_bytes().chunks(255).map(<[u8]>::to_vec).collect()),
    };
    let zone = ZoneResolver::new(
        vec![txt("fuzz.test", &first), txt("b.fuzz.test", &second)],
        "fuzz",
    );
    let ip = "192.0.2.1".parse().unwrap();
    now(check_host(&zone, ip, "fuzz.test", "user@fuzz.test", "helo.fuzz.test"))
        .expect("in-memory evaluation finishes at once");
});
