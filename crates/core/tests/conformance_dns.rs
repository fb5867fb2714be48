//! mxray's wire decoder against recorded real-world DNS traffic with independent expectations:
//! `../shared/conformance/hickory-recordings` (266 query/response pairs with Wireshark's
//! dissection of each) and `../shared/conformance/native-dns-packet-fixtures` (12 responses with
//! native-dns-packet's decoding). The data is read from `shared/`; a missing file fails the test.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use mxray_core::dns::{Message, RData, RecordType};

fn conformance(path: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance");
    let full = dir.join(path);
    assert!(
        full.exists(),
        "{} is missing: the conformance data must sit beside the checkout in shared/",
        full.display()
    );
    full
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

/// One record header as Wireshark dissects it.
#[derive(Debug, Default, PartialEq)]
struct Dissected {
    name: String,
    rtype: u16,
    ttl: Option<u32>,
    fields: Vec<(String, String)>,
}

impl Dissected {
    fn field(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Sections of a dissection: questions, answers, authority, additional.
fn dissect(lines: &[serde_json::Value]) -> ([Vec<Dissected>; 4], Vec<(String, String)>) {
    let mut sections: [Vec<Dissected>; 4] = Default::default();
    let mut header = Vec::new();
    let mut current: Option<usize> = None;
    for line in lines.iter().filter_map(|l| l.as_str()) {
        match line {
            "    Queries" => current = Some(0),
            "    Answers" => current = Some(1),
            "    Authoritative nameservers" => current = Some(2),
            "    Additional records" => current = Some(3),
            _ => {}
        }
        let indent = line.len() - line.trim_start().len();
        let text = line.trim();
        let Some((key, value)) = text.split_once(": ") else {
            continue;
        };
        match (current, indent) {
            (None, _) | (_, 0..=4) => header.push((key.to_owned(), value.to_owned())),
            (Some(s), 8) => {
                let name = if key == "<Root>" { "." } else { key };
                sections[s].push(Dissected {
                    name: name.to_ascii_lowercase(),
                    ..Dissected::default()
                });
            }
            (Some(s), 12) => {
                let Some(record) = sections[s].last_mut() else {
                    continue;
                };
                match key {
                    "Type" => {
                        let n = value
                            .rsplit_once('(')
                            .or_else(|| value.split_once('('))
                            .and_then(|(_, n)| n.split(')').next())
                            .and_then(|n| n.parse().ok());
                        // "Type: NSEC3 (50) " and "Type: A (1) (Host Address)"
                        let n = n.or_else(|| {
                            value.split(['(', ')']).find_map(|p| p.trim().parse().ok())
                        });
                        record.rtype = n.unwrap_or(0);
                    }
                    "Time to live" => {
                        record.ttl = value.split_whitespace().next().and_then(|t| t.parse().ok());
                    }
                    _ => record.fields.push((key.to_owned(), value.to_owned())),
                }
            }
            _ => {}
        }
    }
    (sections, header)
}

fn header_value<'a>(header: &'a [(String, String)], key: &str) -> Option<&'a str> {
    header
        .iter()
        .find(|(k, _)| k == key || k.ends_with(&format!("= {key}")))
        .map(|(_, v)| v.as_str())
}

#[test]
fn hickory_recordings_decode_as_wireshark_dissects_them() {
    let dir = conformance("hickory-recordings");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let (mut transactions, mut records, mut rdata_checks) = (0, 0, 0);
    for file in &files {
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        for t in json["transactions"].as_array().unwrap() {
            let query = Message::from_wire(&hex(t["query_hex"].as_str().unwrap()))
                .unwrap_or_else(|e| panic!("{}: query: {e}", file.display()));
            assert_eq!(query.questions.len(), 1);
            let wire = hex(t["response_hex"].as_str().unwrap());
            let msg = Message::from_wire(&wire)
                .unwrap_or_else(|e| panic!("{}: response: {e}", file.display()));
            let (sections, header) = dissect(t["response_dissected"].as_array().unwrap());
            let id = header_value(&header, "Transaction ID").unwrap();
            assert_eq!(format!("0x{:04x}", msg.id), id);
            let reply = header_value(&header, "Reply code").unwrap();
            assert!(
                reply.ends_with(&format!("({})", msg.rcode.0 & 0x0f)),
                "{reply}"
            );
            let ad = header
                .iter()
                .find(|(k, _)| k.ends_with("= Answer authenticated"))
                .map(|(k, _)| k.contains("..1."))
                .unwrap();
            assert_eq!(msg.flags.authentic_data, ad, "AD bit");
            let ours = [&msg.answers, &msg.authority, &msg.additional];
            assert_eq!(sections[0].len(), msg.questions.len());
            assert_eq!(
                sections[0][0].name,
                msg.questions[0].name.to_string().to_ascii_lowercase()
            );
            for (section, ours) in sections[1..].iter().zip(ours) {
                let theirs: Vec<_> = section.iter().filter(|d| d.rtype != 41).collect();
                assert_eq!(theirs.len(), ours.len(), "{}: section size", file.display());
                for (d, r) in theirs.iter().zip(ours) {
                    records += 1;
                    assert_eq!(r.name.to_string().to_ascii_lowercase(), d.name);
                    assert_eq!(r.rtype.0, d.rtype, "{} type", d.name);
                    assert_eq!(Some(r.ttl), d.ttl, "{} TTL", d.name);
                    match &r.data {
                        RData::A(ip) => {
                            assert_eq!(d.field("Address"), Some(ip.to_string().as_str()));
                            rdata_checks += 1;
                        }
                        RData::Aaaa(ip) => {
                            assert_eq!(d.field("AAAA Address"), Some(ip.to_string().as_str()));
                            rdata_checks += 1;
                        }
                        RData::Soa {
                            mname,
                            rname,
                            serial,
                            minimum,
                            ..
                        } => {
                            assert_eq!(
                                d.field("Primary name server"),
                                Some(mname.to_string().as_str())
                            );
                            assert_eq!(
                                d.field("Responsible authority's mailbox"),
                                Some(rname.to_string().as_str())
                            );
                            assert_eq!(d.field("Serial Number"), Some(serial.to_string().as_str()));
                            let min = d.field("Minimum TTL").unwrap();
                            assert!(min.starts_with(&format!("{minimum} ")));
                            rdata_checks += 1;
                        }
                        RData::Unknown(bytes) => {
                            let len = d.field("Data length").map(|l| l.parse::<usize>().unwrap());
                            assert_eq!(len, Some(bytes.len()), "{} RDATA length", d.name);
                            rdata_checks += 1;
                        }
                        _ => {}
                    }
                }
            }
            if let Some(edns) = &msg.edns {
                let payload = sections[3]
                    .iter()
                    .find(|d| d.rtype == 41)
                    .and_then(|d| d.field("UDP payload size"))
                    .expect("OPT dissected");
                assert_eq!(payload, edns.payload.to_string());
            }
            transactions += 1;
        }
    }
    assert_eq!(transactions, 266, "every recorded transaction was checked");
    assert_eq!(records, 774, "records compared with their dissection");
    assert_eq!(rdata_checks, records, "every record's data was checked too");
}

/// An answer as native-dns-packet's `.js` expectations write it.
fn js_answers(text: &str) -> Vec<Vec<(String, String)>> {
    let answer = text.split("answer:").nth(1).unwrap_or("");
    let answer = answer.split("authority:").next().unwrap_or("");
    answer
        .split("{ name:")
        .skip(1)
        .map(|obj| {
            let obj = format!("name:{obj}");
            let mut fields = Vec::new();
            let mut rest = obj.as_str();
            while let Some((key, after)) = rest.split_once(':') {
                let key = key.trim().trim_start_matches(',').trim().to_owned();
                let after = after.trim_start();
                let (value, next) = if let Some(q) = after.strip_prefix('\'') {
                    let end = q.find('\'').unwrap();
                    (q[..end].to_owned(), &q[end + 1..])
                } else if let Some(list) = after.strip_prefix("['") {
                    let end = list.find("']").unwrap();
                    (list[..end].to_owned(), &list[end + 2..])
                } else if let Some(buf) = after.strip_prefix("new Buffer([") {
                    let end = buf.find("])").unwrap();
                    (buf[..end].replace(['\n', ' '], ""), &buf[end + 2..])
                } else {
                    let end = after.find([',', '}']).unwrap_or(after.len());
                    (after[..end].trim().to_owned(), &after[end..])
                };
                fields.push((key, value));
                rest = next.trim_start_matches([',', ' ', '\n', '}', ']']);
            }
            fields
        })
        .collect()
}

#[test]
fn native_dns_packet_fixtures_decode_to_their_expected_records() {
    let dir = conformance("native-dns-packet-fixtures");
    let mut checked = 0;
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 12);
    for bin in names {
        let msg = Message::from_wire(&std::fs::read(&bin).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", bin.display()));
        let js = std::fs::read_to_string(bin.with_extension("js")).unwrap();
        let expected = js_answers(&js);
        assert_eq!(expected.len(), msg.answers.len(), "{}", bin.display());
        for (fields, record) in expected.iter().zip(&msg.answers) {
            let get = |k: &str| {
                fields
                    .iter()
                    .find(|(key, _)| key == k)
                    .map(|(_, v)| v.as_str())
                    .unwrap_or_else(|| panic!("{}: no {k} in {fields:?}", bin.display()))
            };
            assert!(record.name.to_string().eq_ignore_ascii_case(get("name")));
            assert_eq!(record.rtype.0.to_string(), get("type"));
            assert_eq!(record.ttl.to_string(), get("ttl"));
            match &record.data {
                RData::A(ip) => assert_eq!(ip.to_string(), get("address")),
                RData::Aaaa(ip) => assert_eq!(ip.to_string(), get("address")),
                RData::Ptr(n) | RData::Ns(n) | RData::Cname(n) => {
                    assert_eq!(n.to_string(), get("data"));
                }
                RData::Txt(strings) => {
                    assert_eq!(strings.len(), 1);
                    assert_eq!(String::from_utf8_lossy(&strings[0]), get("data"));
                }
                RData::Mx {
                    preference,
                    exchange,
                } => {
                    assert_eq!(preference.to_string(), get("priority"));
                    assert_eq!(exchange.to_string(), get("exchange"));
                }
                RData::Srv {
                    priority,
                    weight,
                    port,
                    target,
                } => {
                    assert_eq!(priority.to_string(), get("priority"));
                    assert_eq!(weight.to_string(), get("weight"));
                    assert_eq!(port.to_string(), get("port"));
                    assert_eq!(target.to_string(), get("target"));
                }
                RData::Tlsa {
                    usage,
                    selector,
                    matching,
                    data,
                } => {
                    assert_eq!(usage.to_string(), get("usage"));
                    assert_eq!(selector.to_string(), get("selector"));
                    assert_eq!(matching.to_string(), get("matchingtype"));
                    let buf: Vec<String> = data.iter().map(|b| format!("0x{b:02x}")).collect();
                    assert_eq!(buf.join(","), get("buff"));
                }
                other => panic!("{}: unexpected {other:?}", bin.display()),
            }
            checked += 1;
        }
        assert!(msg.rcode.0 == 0 && msg.answers.iter().all(|r| r.rtype != RecordType::OPT));
    }
    assert!(checked >= 30, "{checked} records checked");
}
