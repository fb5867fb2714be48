//! `mxray lookup` end to end: the real binary against a zone file, and against a small DoH
//! server on loopback (answers from core's zone resolver, `/fault/servfail/` and `/slow/`
//! paths) to see failover, JSON and parallel questions.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mxray_core::dns::resolver::ZoneResolver;
use mxray_core::dns::{Message, Rcode};
use mxray_core::encoding::base64url_decode;

mod common;
use common::{mxray, stdout, zone_file};

const ZONE: &str = r#"
$ORIGIN example.test.
$TTL 300
@        SOA   ns hostmaster 1 3600 600 86400 60
@        TXT   "v=spf1 mx " "-all"
@        MX    10 mail
mail     A     192.0.2.25
mail     AAAA  2001:db8::25
www      CNAME @
xn--bcher-kva TXT "unicode"
25.2.0.192.in-addr.arpa. PTR mail.example.test.
"#;

/// A DoH server on loopback: `/dns-query` answers from the zone, `/fault/servfail/dns-query`
/// answers SERVFAIL, `/slow/dns-query` answers after 300 ms. It logs (path, start, end).
struct Server {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<(String, Instant, Instant)>>>,
}

fn serve() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let log = Arc::new(Mutex::new(Vec::new()));
    let zone = Arc::new(ZoneResolver::from_zone_text(ZONE, "zone").unwrap());
    let shared = log.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let zone = zone.clone();
            let log = shared.clone();
            std::thread::spawn(move || {
                let start = Instant::now();
                let mut line = String::new();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                reader.read_line(&mut line).unwrap();
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap() <= 2 {
                        break;
                    }
                }
                let target = line.split(' ').nth(1).unwrap_or("");
                let (path, query) = target.split_once('?').unwrap_or((target, ""));
                let wire = base64url_decode(query.strip_prefix("dns=").unwrap_or("")).unwrap();
                let question = Message::from_wire(&wire).unwrap().questions[0].clone();
                let mut answer = zone.answer(&question.name, question.rtype);
                if path.starts_with("/fault/servfail/") {
                    answer.rcode = Rcode::SERVFAIL;
                    answer.answers.clear();
                }
                if path.starts_with("/slow/") {
                    std::thread::sleep(Duration::from_millis(300));
                }
                let body = answer.to_wire();
                log.lock()
                    .unwrap()
                    .push((path.to_owned(), start, Instant::now()));
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/dns-message\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            });
        }
    });
    Server { addr, log }
}

#[test]
fn a_zone_file_answers_every_type_asked() {
    let zone = zone_file(ZONE);
    let out = mxray(&[
        "lookup",
        "example.test",
        "TXT",
        "MX",
        "--zone",
        zone.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.contains(r#"example.test. 300 IN TXT "v=spf1 mx " "-all""#),
        "{text}"
    );
    assert!(
        text.contains("2 strings: 10 + 4 bytes = 14 bytes"),
        "{text}"
    );
    assert!(
        text.contains("example.test. 300 IN MX 10 mail.example.test."),
        "{text}"
    );
}

#[test]
fn typed_input_is_normalised_with_notes() {
    let zone = zone_file(ZONE);
    let zone = zone.to_str().unwrap();
    let text = stdout(&mxray(&[
        "lookup",
        "https://WWW.example.test/login",
        "MX",
        "--zone",
        zone,
    ]));
    assert!(
        text.contains("note: Used the host name from the URL"),
        "{text}"
    );
    assert!(
        text.contains("www.example.test. 300 IN CNAME example.test."),
        "{text}"
    );
    let text = stdout(&mxray(&["lookup", "192.0.2.25", "--zone", zone]));
    assert!(text.contains("PTR mail.example.test."), "{text}");
    let text = stdout(&mxray(&["lookup", "Bücher.example.test.", "--zone", zone]));
    assert!(
        text.contains("xn--bcher-kva.example.test (bücher.example.test)"),
        "{text}"
    );
    assert!(text.contains("trailing dot"), "{text}");
    assert!(text.contains("\"unicode\""), "{text}");
}

#[test]
fn bad_input_exits_2_with_the_reason() {
    let zone = zone_file(ZONE);
    let out = mxray(&["lookup", "exa mple.test", "--zone", zone.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a space at character 4"));
    let out = mxray(&[
        "lookup",
        "example.test",
        "BOGUS",
        "--zone",
        zone.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = mxray(&["lookup", "example.test", "--zone", "/nonexistent.zone"]);
    assert_eq!(out.status.code(), Some(2));
    let out = mxray(&[
        "lookup",
        "example.test",
        "--resolver",
        "http://doh.example/dns-query",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("https"));
}

#[test]
fn zone_errors_point_at_line_and_column() {
    let file = zone_file("example.test. 300 IN MX ten mail.example.test.\n");
    let out = mxray(&["lookup", "example.test", "--zone", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 1, column"), "{err}");
}

#[test]
fn json_has_records_strings_and_who_answered() {
    let server = serve();
    let url = format!("http://{}/dns-query", server.addr);
    let out = mxray(&[
        "lookup",
        "example.test",
        "TXT",
        "--resolver",
        &url,
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let answer = &value["answers"][0];
    assert_eq!(answer["status"], "records");
    assert_eq!(answer["resolver"], server.addr.to_string());
    assert_eq!(answer["records"][0]["strings"][1]["bytes"], 4);
    assert_eq!(value["name"], "example.test");
}

#[test]
fn a_failing_resolver_fails_over_and_says_so() {
    let server = serve();
    let broken = format!("http://{}/fault/servfail/dns-query", server.addr);
    let good = format!("http://{}/dns-query", server.addr);
    let out = mxray(&[
        "lookup",
        "example.test",
        "MX",
        "--resolver",
        &broken,
        "--resolver",
        &good,
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("failed first: "), "{text}");
    assert!(text.contains("answered SERVFAIL"), "{text}");
    assert!(text.contains("MX 10 mail.example.test."), "{text}");
    // Only the broken one: no answer is a failure (exit 1).
    let out = mxray(&[
        "lookup",
        "example.test",
        "MX",
        "--resolver",
        &broken,
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["answers"][0]["status"], "server-failure");
}

#[test]
fn several_types_are_asked_at_the_same_time() {
    let server = serve();
    let slow = format!("http://{}/slow/dns-query", server.addr);
    let out = mxray(&[
        "lookup",
        "mail.example.test",
        "A",
        "AAAA",
        "TXT",
        "MX",
        "--resolver",
        &slow,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let log = server.log.lock().unwrap();
    assert_eq!(log.len(), 4);
    let first_end = log.iter().map(|(_, _, end)| *end).min().unwrap();
    let overlapping = log
        .iter()
        .filter(|(_, start, _)| *start < first_end)
        .count();
    assert_eq!(
        overlapping, 4,
        "all four in flight before the first answered"
    );
}
