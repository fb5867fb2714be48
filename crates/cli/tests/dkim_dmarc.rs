//! `mxray dkim`, `mxray dmarc` and `mxray lint dkim|dmarc` end to end, over a zone file.

mod common;
use common::{json, mxray, zone_file};

const ED: &str = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

fn zone() -> String {
    format!(
        r#"
$ORIGIN example.test.
$TTL 300
_dmarc          TXT "v=DMARC1; p=quarantine; rua=mailto:d@example.test,mailto:r@vendor.test"
sel._domainkey  TXT "v=DKIM1; k=ed25519; p={ED}"
google._domainkey TXT "v=DKIM1; k=ed25519; p={ED}"
sel2._domainkey.example.test.example.test. TXT "v=DKIM1; k=ed25519; p={ED}"
example.test._report._dmarc.vendor.test. TXT "v=DMARC1;"
"#
    )
}

#[test]
fn dkim_checks_selectors_and_names_a_misplaced_key() {
    let zone = zone_file(&zone());
    let z = zone.to_str().unwrap();
    let out = mxray(&[
        "dkim",
        "example.test",
        "--selector",
        "sel",
        "--zone",
        z,
        "--json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v = json(&out);
    assert_eq!(v["selectors"][0]["state"], "found");
    assert_eq!(v["selectors"][0]["records"][0]["key"], "Ed25519");
    let out = mxray(&[
        "dkim",
        "example.test",
        "--selector",
        "sel2",
        "--zone",
        z,
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let f = &v["selectors"][0]["findings"][0];
    assert_eq!(f["code"], "dkim.misplaced");
    assert_eq!(f["severity"], "error");
    assert!(
        f["fix"]
            .as_str()
            .unwrap()
            .starts_with("sel2._domainkey.example.test. TXT")
    );
    // No selector: the common ones are asked, and google is found.
    let out = mxray(&["dkim", "example.test", "--zone", z]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("common selectors asked"), "{text}");
    assert!(
        text.contains("google._domainkey.example.test  Ed25519"),
        "{text}"
    );
}

#[test]
fn dmarc_shows_the_policy_and_report_authorization() {
    let zone = zone_file(&zone());
    let z = zone.to_str().unwrap();
    let out = mxray(&["dmarc", "example.test", "--zone", z, "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v = json(&out);
    assert_eq!(v["applied"]["policy"], "quarantine");
    assert_eq!(v["applied"]["source"], "domain");
    assert_eq!(v["organizational_domain"], "example.test");
    assert_eq!(v["destinations"][1]["authorized"], true);
    // A subdomain inherits; a domain without any record gets the record to publish.
    let out = mxray(&["dmarc", "mail.example.test", "--zone", z, "--json"]);
    assert_eq!(json(&out)["applied"]["source"], "organizational-domain");
    // A domain is cleaned as the lookup command cleans it: a URL, case, a trailing dot.
    let out = mxray(&[
        "dmarc",
        "https://Mail.Example.Test./path",
        "--zone",
        z,
        "--json",
    ]);
    assert_eq!(json(&out)["domain"], "mail.example.test");
    let out = mxray(&["dmarc", "192.0.2.1", "--zone", z]);
    assert_eq!(out.status.code(), Some(2), "an IP address is not a domain");
    let out = mxray(&["dmarc", "nothing.test", "--zone", z, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["findings"][0]["code"], "dmarc.no-record");
}

#[test]
fn lint_dkim_and_dmarc_report_in_the_shared_shape() {
    let out = mxray(&["lint", "dmarc", "v=DMARC1; p=none", "--json"]);
    assert_eq!(out.status.code(), Some(0), "warnings only");
    let v = json(&out);
    assert_eq!(v["policy"], "none");
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["dmarc.monitoring", "dmarc.no-rua"]);
    assert_eq!(v["findings"][0]["span"]["start"], 10);
    // A damaged key fails, and says so.
    let out = mxray(&[
        "lint",
        "dkim",
        "v=DKIM1; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQ",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["usable"], false);
    assert!(v["key"].as_str().unwrap().starts_with("damaged"));
    // A pasted signature header looks its key up.
    let zone = zone_file(&zone());
    let out = mxray(&[
        "lint",
        "dkim",
        "DKIM-Signature: v=1; a=ed25519-sha256; d=example.test; s=sel; b=x",
        "--zone",
        zone.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("sel._domainkey.example.test  Ed25519"));
    let out = mxray(&["lint", "txt", "x"]);
    assert_eq!(out.status.code(), Some(2));
}
