//! `mxray spf`, `mxray spf eval` and `mxray lint spf` end to end, over a zone file.

mod common;
use common::{json, mxray, zone_file};

const ZONE: &str = r#"
$ORIGIN example.test.
$TTL 300
@        TXT   "v=spf1 mx include:_spf.vendor.test -all"
@        MX    10 mail
mail     A     192.0.2.25
_spf.vendor.test. TXT "v=spf1 ip4:203.0.113.0/24 ~all"
broken.test.      TXT "v=spf1 include:missing.test -all"
"#;

#[test]
fn lint_reports_findings_in_the_shared_shape() {
    let out = mxray(&["lint", "spf", "v=spf1 ip4:192.0.2.0/24 +all", "--json"]);
    assert_eq!(out.status.code(), Some(1), "an error finding fails the run");
    let v = json(&out);
    let f = &v["findings"][0];
    assert_eq!(f["code"], "spf.all-pass");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["rfc"], "RFC 7208 §5.1");
    assert_eq!(f["span"]["start"], 24);
    assert_eq!(f["span"]["end"], 28);
    assert_eq!(f["fix"], "v=spf1 ip4:192.0.2.0/24 -all");
    assert!(f["message"].as_str().unwrap().contains("+all"));
    let out = mxray(&["lint", "spf", "v=spf1 mx -all"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("No problems found"));
}

#[test]
fn analysis_shows_the_tree_and_the_lookup_count() {
    let zone = zone_file(ZONE);
    let out = mxray(&[
        "spf",
        "example.test",
        "--zone",
        zone.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["valid"], true);
    assert_eq!(v["lookups"], 2);
    assert_eq!(v["lookup_limit"], 10);
    assert_eq!(v["ipv4_addresses"], 257);
    assert_eq!(v["tree"]["children"][0]["domain"], "_spf.vendor.test");
    assert_eq!(v["tree"]["networks"][0]["network"], "192.0.2.25/32");
    assert_eq!(
        v["tree"]["term_lookups"][1]["term"],
        "include:_spf.vendor.test"
    );
    assert_eq!(v["tree"]["term_lookups"][1]["lookups"], 1);
    let out = mxray(&[
        "spf",
        "broken.test",
        "--zone",
        zone.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["findings"][0]["code"], "spf.include-no-spf");
}

#[test]
fn eval_gives_the_mail_from_result_and_the_helo_result_beside_it() {
    let zone = zone_file(ZONE);
    let zone = zone.to_str().unwrap();
    let out = mxray(&[
        "spf",
        "eval",
        "--ip",
        "198.51.100.9",
        "--sender",
        "a@example.test",
        "--helo",
        "mail.example.test",
        "--zone",
        zone,
        "--json",
    ]);
    let v = json(&out);
    // Not in the vendor's network: the include does not match (its ~all is its own), -all does.
    assert_eq!(v["result"], "fail");
    assert!(v["explanation"].as_str().is_some());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(v["helo_result"]["result"], "none");
    assert!(v["trace"].as_array().unwrap().len() >= 3);
    for ip in ["192.0.2.25", "203.0.113.9"] {
        let out = mxray(&[
            "spf",
            "eval",
            "--ip",
            ip,
            "--sender",
            "a@example.test",
            "--zone",
            zone,
            "--json",
        ]);
        assert_eq!(
            json(&out)["result"],
            "pass",
            "{ip}: mx, then the vendor's include"
        );
        assert_eq!(out.status.code(), Some(0));
    }
}
