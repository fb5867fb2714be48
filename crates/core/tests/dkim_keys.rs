//! The DKIM key records of two public test suites, read by mxray with their key sizes asserted.
//! Expected sizes were read independently with OpenSSL (`openssl rsa -pubin -text`), not with
//! mxray.
#![cfg(not(target_arch = "wasm32"))]

use mxray_core::dkim::key::{Key, KeyType, lint_key};

fn conformance(path: &str) -> String {
    let full =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/conformance/").to_owned() + path;
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full} is missing: {e}"))
}

fn codes(record: &mxray_core::dkim::key::KeyRecord) -> Vec<&'static str> {
    record.findings.iter().map(|f| f.code).collect()
}

#[test]
fn mail_auth_key_records_read_with_their_sizes() {
    // (file, owner name, expected key)
    let expected: [(&str, &str, Key); 7] = [
        (
            "001.txt",
            "brisbane._domainkey.football.example.com",
            Key::Ed25519,
        ),
        ("001.txt", "test._domainkey.football.example.com", rsa1024()),
        ("002.txt", "newengland._domainkey.example.com", rsa1024()),
        ("003.txt", "ietf1._domainkey.ietf.org", rsa1024()),
        (
            "004.txt",
            "s1024-2013-q3._domainkey.facebookmail.com",
            rsa1024(),
        ),
        ("005.txt", "sysmsg-1._domainkey.topicbox.com", rsa1024()),
        ("006.txt", "dk2016._domainkey.github.com", rsa1024()),
    ];
    let mut read = Vec::new();
    for (file, owner, key) in expected {
        let text = conformance(&format!("mail-auth/dkim/{file}"));
        let line = text
            .lines()
            .take_while(|l| !l.trim().is_empty())
            .find(|l| l.starts_with(owner))
            .unwrap_or_else(|| panic!("{file}: no key for {owner}"));
        let record = lint_key(line[owner.len()..].trim());
        assert_eq!(record.key, key, "{owner}");
        assert!(
            record
                .findings
                .iter()
                .all(|f| f.severity != mxray_core::finding::Severity::Error),
            "{owner}: {:?}",
            codes(&record)
        );
        if matches!(key, Key::Rsa { .. }) {
            assert!(
                codes(&record).contains(&"dkim.rsa-weak"),
                "{owner}: 1024 bits is weak"
            );
        }
        read.push((owner, record));
    }
    // Every key record of the suite is in the table above (none left unchecked).
    let in_suite: usize = (1..=6)
        .map(|n| {
            conformance(&format!("mail-auth/dkim/00{n}.txt"))
                .lines()
                .take_while(|l| !l.trim().is_empty())
                .count()
        })
        .sum();
    assert_eq!(in_suite, read.len());
    let record = |owner: &str| &read.iter().find(|(o, _)| *o == owner).unwrap().1;
    // 002 is the one bare RSAPublicKey; 004 limits itself to sha256 and strict subdomains.
    let bare = record("newengland._domainkey.example.com");
    assert!(codes(bare).contains(&"dkim.rsa-bare-key"));
    let fb = record("s1024-2013-q3._domainkey.facebookmail.com");
    assert_eq!(fb.hashes.as_deref(), Some(&["sha256".to_owned()][..]));
    assert!(codes(fb).contains(&"dkim.strict-subdomains"));
}

fn rsa1024() -> Key {
    Key::Rsa {
        bits: 1024,
        exponent: Some(65537),
    }
}

#[test]
fn dkimpy_key_records_good_and_bad() {
    for file in ["ed25519test.dns", "eximtest.dns"] {
        let r = lint_key(conformance(&format!("dkimpy/{file}")).trim());
        assert_eq!(
            (r.key_type.clone(), r.key.clone()),
            (KeyType::Ed25519, Key::Ed25519),
            "{file}"
        );
    }
    for file in ["test.txt", "test2.txt"] {
        let r = lint_key(conformance(&format!("dkimpy/{file}")).trim());
        assert_eq!(r.key, rsa1024(), "{file}");
        assert!(codes(&r).contains(&"dkim.unknown-tag"), "{file}: g= noted");
    }
    // The last characters of the key changed: the report must say it is damaged.
    let bad = lint_key(conformance("dkimpy/test_bad.txt").trim());
    assert!(matches!(bad.key, Key::Damaged(_)), "{:?}", bad.key);
    assert!(!bad.key.is_usable());
    assert!(
        codes(&bad).contains(&"dkim.key-damaged"),
        "{:?}",
        codes(&bad)
    );
    let badk = lint_key(conformance("dkimpy/badk.txt").trim());
    assert!(codes(&badk).contains(&"dkim.unknown-key-type"));
    let badversion = lint_key(conformance("dkimpy/badversion.txt").trim());
    assert!(codes(&badversion).contains(&"dkim.version"));
    let tlsrpt = lint_key(conformance("dkimpy/test_tlsrpt.txt").trim());
    assert!(codes(&tlsrpt).contains(&"dkim.service"));
}
