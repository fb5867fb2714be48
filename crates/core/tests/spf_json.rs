//! The SPF report's JSON (what the CLI prints and the page exports) is valid JSON with every
//! field, escaping whatever the records hold.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::now;

use mxray_core::dns::resolver::ZoneResolver;
use mxray_core::spf::analysis::analyse;

#[test]
fn the_report_is_json_with_every_field() {
    let zone = ZoneResolver::from_zone_text(
        r#"
a.test.     TXT "v=spf1 ip4:192.0.2.0/24 include:b.test +all"
b.test.     TXT "v=spf1 exists:%{i}.\"q\\.test -all"
"#,
        "zone",
    )
    .unwrap();
    let report = now(analyse(&zone, "a.test"));
    let v: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(v["domain"], "a.test");
    assert_eq!(v["lookups"], 1 + 1);
    assert_eq!(v["lookup_limit"], 10);
    assert_eq!(v["ipv6_addresses"], "0");
    assert_eq!(v["tree"]["findings"][0]["code"], "spf.all-pass");
    assert_eq!(v["tree"]["findings"][0]["span"]["start"], 39);
    assert_eq!(v["tree"]["networks"][0]["network"], "192.0.2.0/24");
    let child = &v["tree"]["children"][0];
    assert_eq!(child["via"], "include");
    assert!(child["record"].as_str().unwrap().contains("\"q"));
}
