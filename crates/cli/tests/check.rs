//! `mxray check` end to end over zone files: the perf zone (every area, one report), and a
//! domain with errors in several areas (exit status 1).

mod common;
use common::{json, mxray, stdout, zone_file};

const PERF: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/bench/perf.zone");

#[test]
fn a_good_domain_gets_a_row_per_area_and_exit_0() {
    let out = mxray(&[
        "check",
        "example.test",
        "--selector",
        "sel1",
        "--ip",
        "192.0.2.25",
        "--zone",
        PERF,
    ]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    for row in [
        "MX                 Passes",
        "SPF                Passes          9 of 10 DNS lookups; 192.0.2.25: pass",
        "DKIM               Passes          1 key: sel1 (RSA, 2048 bits)",
        "DMARC              Passes          p=reject from example.test",
        "MTA-STS            Not configured",
    ] {
        assert!(text.contains(row), "{row:?} in\n{text}");
    }
    assert!(text.contains("questions,"), "the run's counts are printed");
}

#[test]
fn json_has_every_area_with_findings_and_the_counts() {
    let out = mxray(&["check", "example.test", "--zone", PERF, "--json"]);
    let v = json(&out);
    assert_eq!(v["domain"], "example.test");
    assert_eq!(v["errors"], false);
    for area in [
        "mx", "spf", "dkim", "dmarc", "rdns", "mta-sts", "tls-rpt", "bimi", "client", "dnssec",
    ] {
        assert!(v["areas"][area]["status"].is_string(), "{area}");
        assert!(v["areas"][area]["findings"].is_array(), "{area}");
    }
    assert_eq!(
        v["areas"]["mx"]["data"]["hosts"][0]["host"]["name"],
        "mx1.example.test"
    );
    assert_eq!(v["areas"]["mx"]["findings"][0]["code"], "mx.no-ipv6");
    let stats = &v["stats"];
    assert!(stats["sent"].as_u64().unwrap() <= stats["questions"].as_u64().unwrap());
}

#[test]
fn errors_in_areas_make_exit_1_and_bad_input_exit_2() {
    let zone = zone_file(
        "$ORIGIN broken.test.\n$TTL 300\n@ SOA ns h 1 2 3 4 300\n@ MX 10 mx.broken.test.broken.test.\n\
         mx A 192.0.2.7\n@ TXT \"v=spf1 mx -all\"\n_mta-sts TXT \"v=STSv1; id=1\"\n",
    );
    let z = zone.to_str().unwrap();
    let out = mxray(&["check", "broken.test", "--zone", z, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["areas"]["mx"]["status"], "error");
    assert_eq!(
        v["areas"]["mx"]["findings"][0]["code"],
        "mx.target-origin-appended"
    );
    assert_eq!(
        v["areas"]["mta-sts"]["findings"][0]["code"],
        "mta-sts.policy-host-missing"
    );
    let bad_ip = mxray(&["check", "broken.test", "--ip", "300.1.1.1", "--zone", z]);
    assert_eq!(bad_ip.status.code(), Some(2));
}
