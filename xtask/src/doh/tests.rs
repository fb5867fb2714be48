//! The fixture server's own tests: raw HTTP over loopback, answers decoded with hickory and
//! with mxray's codec.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use hickory_proto::op::{Message, Query, ResponseCode};
use hickory_proto::rr::{Name, RData, RecordType};

use super::*;

const ZONE: &str = r#"
$ORIGIN fixture.test.
$TTL 120
@        IN SOA ns hostmaster ( 1 3600 600 86400 30 )
@        IN TXT "v=spf1 ip4:192.0.2.0/24" " -all"
mail     IN A 192.0.2.25
"#;

fn start(config: Config) -> Server {
    let mut zones = ZoneStore::default();
    zones.add_zone_text(ZONE).unwrap();
    Server::start("127.0.0.1:0".parse().unwrap(), zones, config).unwrap()
}

fn query_wire(name: &str, rtype: RecordType) -> Vec<u8> {
    let mut msg = Message::query();
    msg.add_query(Query::query(Name::from_ascii(name).unwrap(), rtype));
    msg.metadata.recursion_desired = true;
    msg.to_vec().unwrap()
}

struct HttpResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl HttpResponse {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn send(addr: SocketAddr, raw: &[u8]) -> std::io::Result<HttpResponse> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.write_all(raw)?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or(std::io::ErrorKind::InvalidData)?;
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h)?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (n, v) = h.split_once(':').unwrap();
        headers.push((n.to_owned(), v.trim().to_owned()));
    }
    let len: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map_or(0, |(_, v)| v.parse().unwrap());
    let mut body = vec![0; len];
    reader.read_exact(&mut body)?;
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}

fn get(addr: SocketAddr, wire: &[u8]) -> std::io::Result<HttpResponse> {
    get_at(addr, "/dns-query", wire)
}

fn get_at(addr: SocketAddr, path: &str, wire: &[u8]) -> std::io::Result<HttpResponse> {
    let b64 = data_encoding::BASE64URL_NOPAD.encode(wire);
    let raw = format!(
        "GET {path}?dns={b64} HTTP/1.1\r\nHost: x\r\nAccept: application/dns-message\r\n\r\n"
    );
    send(addr, raw.as_bytes())
}

#[test]
fn get_answers_txt_with_cors_and_each_string_kept() {
    let server = start(Config::default());
    let res = get(server.addr(), &query_wire("fixture.test.", RecordType::TXT)).unwrap();
    assert_eq!(res.status, 200);
    assert_eq!(res.header("access-control-allow-origin"), Some("*"));
    assert_eq!(res.header("content-type"), Some("application/dns-message"));
    assert_eq!(res.header("cache-control"), Some("max-age=120"));
    let msg = Message::from_vec(&res.body).unwrap();
    let RData::TXT(txt) = &msg.answers[0].data else {
        panic!("not TXT");
    };
    assert_eq!(txt.txt_data.len(), 2);
    assert_eq!(&*txt.txt_data[1], b" -all");
}

#[test]
fn post_is_answered_too_and_preflight_allows_it() {
    let server = start(Config::default());
    let wire = query_wire("mail.fixture.test.", RecordType::A);
    let mut raw = format!(
        "POST /dns-query HTTP/1.1\r\nHost: x\r\nContent-Type: application/dns-message\r\nContent-Length: {}\r\n\r\n",
        wire.len()
    )
    .into_bytes();
    raw.extend_from_slice(&wire);
    let res = send(server.addr(), &raw).unwrap();
    assert_eq!(res.status, 200);
    let msg = Message::from_vec(&res.body).unwrap();
    assert_eq!(msg.answers.len(), 1);

    let pre = send(
        server.addr(),
        b"OPTIONS /dns-query HTTP/1.1\r\nHost: x\r\nAccess-Control-Request-Method: POST\r\n\r\n",
    )
    .unwrap();
    assert_eq!(pre.status, 204);
    assert!(
        pre.header("access-control-allow-methods")
            .unwrap()
            .contains("POST")
    );
    assert!(
        pre.header("access-control-allow-headers")
            .unwrap()
            .contains("content-type")
    );
}

#[test]
fn mxray_codec_decodes_what_hickory_serves() {
    use mxray_core::dns::{
        Message as MxMessage, Name as MxName, Query as MxQuery, RData as MxRData,
    };
    let server = start(Config::default());
    let query = MxQuery::new(
        MxName::parse("fixture.test").unwrap(),
        mxray_core::dns::RecordType::TXT,
    );
    let res = get(server.addr(), &query.to_wire()).unwrap();
    let msg = MxMessage::from_wire(&res.body).unwrap();
    assert_eq!(msg.answers.len(), 1);
    assert_eq!(
        msg.answers[0].data,
        MxRData::Txt(vec![b"v=spf1 ip4:192.0.2.0/24".to_vec(), b" -all".to_vec()])
    );
    assert_eq!(msg.answers[0].ttl, 120);
    assert!(msg.edns.is_some(), "EDNS answered with EDNS");
}

#[test]
fn nxdomain_carries_the_soa_for_negative_caching() {
    let server = start(Config::default());
    let res = get(
        server.addr(),
        &query_wire("nope.fixture.test.", RecordType::TXT),
    )
    .unwrap();
    let msg = Message::from_vec(&res.body).unwrap();
    assert_eq!(msg.metadata.response_code, ResponseCode::NXDomain);
    assert_eq!(msg.authorities[0].record_type(), RecordType::SOA);
    assert_eq!(res.header("cache-control"), Some("max-age=120"));
}

#[test]
fn bad_requests_get_http_errors_not_hangs() {
    let server = start(Config::default());
    let res = send(
        server.addr(),
        b"GET /dns-query?dns=!!! HTTP/1.1\r\nHost: x\r\n\r\n",
    )
    .unwrap();
    assert_eq!(res.status, 400);
    let res = send(server.addr(), b"GET /other HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    assert_eq!(res.status, 404);
    let res = send(server.addr(), b"PUT /dns-query HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    assert_eq!(res.status, 405);
}

fn with_fault(rule: &str) -> Server {
    start(Config {
        faults: vec![rule.parse().unwrap()],
        ..Config::default()
    })
}

#[test]
fn rcode_faults_answer_servfail_and_refused() {
    for (rule, rcode) in [
        ("servfail", ResponseCode::ServFail),
        ("refused", ResponseCode::Refused),
    ] {
        let server = with_fault(rule);
        let res = get(server.addr(), &query_wire("fixture.test.", RecordType::TXT)).unwrap();
        assert_eq!(res.status, 200);
        let msg = Message::from_vec(&res.body).unwrap();
        assert_eq!(msg.metadata.response_code, rcode, "{rule}");
        assert!(msg.answers.is_empty());
    }
}

#[test]
fn http_faults_answer_with_their_status_and_bodies() {
    let wire = query_wire("fixture.test.", RecordType::TXT);
    let res = get(with_fault("http429").addr(), &wire).unwrap();
    assert_eq!(res.status, 429);
    assert_eq!(res.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        get(with_fault("http500").addr(), &wire).unwrap().status,
        500
    );

    let html = get(with_fault("html").addr(), &wire).unwrap();
    assert_eq!(html.status, 200);
    assert!(
        html.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(html.body.starts_with(b"<!doctype html>"));

    let ct = get(with_fault("content-type").addr(), &wire).unwrap();
    assert_eq!(ct.header("content-type"), Some("text/plain"));
    assert!(Message::from_vec(&ct.body).is_ok(), "body is still DNS");

    let cut = get(with_fault("truncated").addr(), &wire).unwrap();
    assert_eq!(cut.header("content-type"), Some("application/dns-message"));
    assert!(Message::from_vec(&cut.body).is_err(), "body is cut");
    assert!(matches!(
        mxray_core::dns::Message::from_wire(&cut.body)
            .unwrap_err()
            .kind,
        mxray_core::dns::WireErrorKind::Truncated
    ));

    let nocors = get(with_fault("no-cors").addr(), &wire).unwrap();
    assert_eq!(nocors.status, 200);
    assert_eq!(nocors.header("access-control-allow-origin"), None);
}

#[test]
fn timeout_fault_never_answers() {
    let server = with_fault("timeout");
    let b64 = data_encoding::BASE64URL_NOPAD.encode(&query_wire("fixture.test.", RecordType::A));
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(400)))
        .unwrap();
    write!(
        stream,
        "GET /dns-query?dns={b64} HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    .unwrap();
    let mut buf = [0u8; 16];
    let err = stream.read(&mut buf).unwrap_err();
    assert!(matches!(
        err.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    ));
}

#[test]
fn per_name_faults_hit_that_name_and_below_only() {
    let server = with_fault("servfail=mail.fixture.test");
    let rcode = |name: &str| {
        let res = get(server.addr(), &query_wire(name, RecordType::A)).unwrap();
        Message::from_vec(&res.body).unwrap().metadata.response_code
    };
    assert_eq!(rcode("MAIL.fixture.test."), ResponseCode::ServFail);
    assert_eq!(rcode("x.mail.fixture.test."), ResponseCode::ServFail);
    assert_eq!(rcode("fixture.test."), ResponseCode::NoError);
}

#[test]
fn fault_paths_make_one_server_a_broken_resolver_too() {
    let server = start(Config::default());
    let wire = query_wire("fixture.test.", RecordType::TXT);
    let broken = server.fault_url(Fault::ServFail);
    let path = broken.split_once(&server.addr().to_string()).unwrap().1;
    let res = get_at(server.addr(), path, &wire).unwrap();
    let msg = Message::from_vec(&res.body).unwrap();
    assert_eq!(msg.metadata.response_code, ResponseCode::ServFail);
    let res = get_at(server.addr(), "/fault/http500/dns-query", &wire).unwrap();
    assert_eq!(res.status, 500);
    assert_eq!(
        get_at(server.addr(), "/fault/nope/dns-query", &wire)
            .unwrap()
            .status,
        404
    );
    let res = get(server.addr(), &wire).unwrap();
    let msg = Message::from_vec(&res.body).unwrap();
    assert_eq!(
        msg.metadata.response_code,
        ResponseCode::NoError,
        "the plain path is unaffected"
    );
}

#[test]
fn unknown_faults_are_rejected_with_the_list() {
    let err = "slow".parse::<FaultRule>().unwrap_err();
    assert!(err.contains("servfail") && err.contains("no-cors"), "{err}");
}

#[test]
fn queries_are_answered_concurrently_and_logged_as_json_lines() {
    let dir = std::env::temp_dir().join(format!("doh-log-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("queries.jsonl");
    let _ = std::fs::remove_file(&log);
    let server = start(Config {
        delay: Duration::from_millis(300),
        faults: Vec::new(),
        log: Some(log.clone()),
        http2: false,
    });
    let addr = server.addr();
    let threads: Vec<_> = ["fixture.test.", "mail.fixture.test.", "nope.fixture.test."]
        .into_iter()
        .map(|name| std::thread::spawn(move || get(addr, &query_wire(name, RecordType::A))))
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap().unwrap().status, 200);
    }
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    for line in &lines {
        assert_eq!(line["type"], "A");
        assert_eq!(line["method"], "GET");
        let (s, e) = (
            line["start_ms"].as_f64().unwrap(),
            line["end_ms"].as_f64().unwrap(),
        );
        assert!(e - s >= 300.0, "each answer is delayed");
    }
    let nx = lines
        .iter()
        .find(|l| l["name"] == "nope.fixture.test.")
        .unwrap();
    assert_eq!(nx["rcode"], "NXDOMAIN");
    // All three were in flight together: every start precedes every end.
    let latest_start = lines
        .iter()
        .map(|l| l["start_ms"].as_f64().unwrap())
        .fold(0.0, f64::max);
    let earliest_end = lines
        .iter()
        .map(|l| l["end_ms"].as_f64().unwrap())
        .fold(f64::MAX, f64::min);
    assert!(latest_start < earliest_end, "queries overlapped");
}

/// Sends `names` as DoH GETs over one HTTP/2 connection at once; their statuses and answers.
fn h2_ask(addr: SocketAddr, names: &[&str]) -> Vec<(u16, Message)> {
    use rustls::pki_types::pem::PemObject;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut roots = rustls::RootCertStore::empty();
        for cert in rustls::pki_types::CertificateDer::pem_slice_iter(include_bytes!(
            "../../../tests/tls/fixture.crt"
        )) {
            roots.add(cert.unwrap()).unwrap();
        }
        let mut config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
        config.alpn_protocols = vec![b"h2".to_vec()];
        let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        let tls = tokio_rustls::TlsConnector::from(std::sync::Arc::new(config))
            .connect("127.0.0.1".try_into().unwrap(), tcp)
            .await
            .unwrap();
        assert_eq!(tls.get_ref().1.alpn_protocol(), Some(&b"h2"[..]));
        let (client, connection) = ::h2::client::handshake(tls).await.unwrap();
        tokio::spawn(connection);
        let mut pending = Vec::new();
        for name in names {
            let dns = data_encoding::BASE64URL_NOPAD.encode(&query_wire(name, RecordType::TXT));
            let request = http::Request::get(format!("https://{addr}/dns-query?dns={dns}"))
                .header("accept", "application/dns-message")
                .body(())
                .unwrap();
            let mut client = client.clone().ready().await.unwrap();
            let (response, _) = client.send_request(request, true).unwrap();
            pending.push(response);
        }
        let mut out = Vec::new();
        for response in pending {
            let response = response.await.unwrap();
            let status = response.status().as_u16();
            let mut body = response.into_body();
            let mut bytes = Vec::new();
            while let Some(chunk) = body.data().await {
                let chunk = chunk.unwrap();
                let _ = body.flow_control().release_capacity(chunk.len());
                bytes.extend_from_slice(&chunk);
            }
            out.push((status, Message::from_vec(&bytes).unwrap()));
        }
        out
    })
}

#[test]
fn http2_answers_many_questions_on_one_connection_at_once() {
    let log = std::env::temp_dir().join(format!("mxray-h2-{}.jsonl", std::process::id()));
    let _ = std::fs::remove_file(&log);
    let server = start(Config {
        delay: Duration::from_millis(200),
        log: Some(log.clone()),
        http2: true,
        ..Config::default()
    });
    assert!(server.url().starts_with("https://127.0.0.1:"));
    let names = ["fixture.test."; 20];
    let answers = h2_ask(server.addr(), &names);
    assert_eq!(answers.len(), 20);
    for (status, msg) in &answers {
        assert_eq!(*status, 200);
        assert_eq!(msg.metadata.response_code, ResponseCode::NoError);
        assert_eq!(msg.answers.len(), 1);
    }
    let lines = std::fs::read_to_string(&log).unwrap();
    let spans: Vec<(f64, f64)> = lines
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["start_ms"].as_f64().unwrap(),
                v["end_ms"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(spans.len(), 20, "every question logged once");
    // On one connection, all twenty held back together: each started before any ended.
    let first_end = spans.iter().map(|s| s.1).fold(f64::MAX, f64::min);
    assert!(spans.iter().all(|s| s.0 < first_end), "{spans:?}");
    let _ = std::fs::remove_file(&log);
}
