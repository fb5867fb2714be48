//! The fixture DNS-over-HTTPS server every browser test talks to.
//!
//! It answers RFC 8484 GET (`?dns=` base64url, no padding) and POST (`application/dns-message`)
//! on loopback, authoritatively from master-file zones ([`zone`]), with the CORS headers public
//! resolvers send. Each connection has its own thread, so queries are answered concurrently;
//! `delay` holds every answer back, and faults ([`Fault`]) simulate what goes wrong with real
//! resolvers, globally, for one name and the names under it, or for every query sent to
//! `/fault/MODE/dns-query` (so one server also plays a broken resolver beside a good one). Every
//! query is logged as one JSON
//! line: `{"start_ms", "end_ms", "name", "type", "rcode", "fault", "method"}` with times in
//! milliseconds since the Unix epoch; a CORS preflight as `{"start_ms", "end_ms", "method":
//! "OPTIONS"}`.
//!
//! Plain HTTP/1.1 for the tests, or HTTP/2 over TLS ([`h2`]) as public resolvers speak it, for
//! measuring speed: a browser queues requests over HTTP/1.1 (six connections per host) but not
//! over HTTP/2.

mod h2;
pub mod zone;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hickory_proto::op::{Edns, Message, MessageType, OpCode, ResponseCode};
use hickory_proto::rr::{Name, RecordType};

pub use zone::ZoneStore;

/// What can go wrong with a resolver, as `--fault` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Answer with RCODE SERVFAIL.
    ServFail,
    /// Answer with RCODE REFUSED.
    Refused,
    /// Never answer; the connection stays open until the client gives up.
    Timeout,
    /// HTTP 429 Too Many Requests.
    Http429,
    /// HTTP 500 Internal Server Error.
    Http500,
    /// HTTP 200 with an HTML page (a captive portal or an error page).
    Html,
    /// HTTP 200 with a valid DNS body but `Content-Type: text/plain`.
    ContentType,
    /// HTTP 200 with the DNS message cut in half.
    Truncated,
    /// A valid answer without `Access-Control-Allow-Origin`, so a browser cannot read it.
    NoCors,
    /// SERVFAIL with the extended error "DNSSEC Bogus" (RFC 8914 code 6), as a validating
    /// resolver answers when signatures do not validate.
    Bogus,
}

impl Fault {
    const ALL: [(Self, &'static str); 10] = [
        (Self::ServFail, "servfail"),
        (Self::Refused, "refused"),
        (Self::Timeout, "timeout"),
        (Self::Http429, "http429"),
        (Self::Http500, "http500"),
        (Self::Html, "html"),
        (Self::ContentType, "content-type"),
        (Self::Truncated, "truncated"),
        (Self::NoCors, "no-cors"),
        (Self::Bogus, "bogus"),
    ];

    /// Every fault mode.
    pub fn all() -> impl Iterator<Item = Self> {
        Self::ALL.iter().map(|(f, _)| *f)
    }

    /// The name used on the command line and in the log.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(f, _)| *f == self)
            .map_or("", |(_, n)| n)
    }

    fn from_name(text: &str) -> Option<Self> {
        Self::ALL.iter().find(|(_, n)| *n == text).map(|(f, _)| *f)
    }
}

/// A fault, for every query or for one name and the names under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultRule {
    pub fault: Fault,
    pub name: Option<Name>,
}

impl std::str::FromStr for FaultRule {
    type Err = String;

    /// `MODE` (every query) or `MODE=NAME` (that name and every name under it).
    fn from_str(text: &str) -> Result<Self, String> {
        let (mode, name) = match text.split_once('=') {
            Some((mode, name)) => (mode, Some(name)),
            None => (text, None),
        };
        let fault = Fault::from_name(mode).ok_or_else(|| {
            let names: Vec<_> = Fault::ALL.iter().map(|(_, n)| *n).collect();
            format!("unknown fault {mode:?}; one of: {}", names.join(", "))
        })?;
        let name = name
            .map(|n| Name::from_ascii(n).map(|n| n.to_lowercase()))
            .transpose()
            .map_err(|e| format!("bad name in fault {text:?}: {e}"))?;
        Ok(Self { fault, name })
    }
}

/// How the server behaves.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub delay: Duration,
    pub faults: Vec<FaultRule>,
    pub log: Option<PathBuf>,
    /// Speak HTTP/2 over TLS ([`h2`]) instead of plain HTTP/1.1.
    pub http2: bool,
}

struct Shared {
    zones: ZoneStore,
    config: Config,
    log: Option<Mutex<std::fs::File>>,
}

/// A running server.
pub struct Server {
    addr: SocketAddr,
    scheme: &'static str,
}

impl Server {
    /// Binds `addr` (port 0 picks a free one) and serves in background threads for the rest of
    /// the process.
    pub fn start(addr: SocketAddr, zones: ZoneStore, config: Config) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        let log = match &config.log {
            Some(path) => Some(Mutex::new(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)?,
            )),
            None => None,
        };
        let http2 = config.http2;
        let shared = Arc::new(Shared { zones, config, log });
        if http2 {
            h2::serve(listener, shared)?;
            return Ok(Self {
                addr,
                scheme: "https",
            });
        }
        std::thread::Builder::new()
            .name("doh-accept".into())
            .spawn(move || {
                for stream in listener.incoming().flatten() {
                    let shared = Arc::clone(&shared);
                    let _ = std::thread::Builder::new()
                        .name("doh-conn".into())
                        .spawn(move || serve_connection(stream, &shared));
                }
            })?;
        Ok(Self {
            addr,
            scheme: "http",
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The DoH endpoint URL.
    pub fn url(&self) -> String {
        format!("{}://{}/dns-query", self.scheme, self.addr)
    }

    /// The endpoint that answers every query with `fault`.
    pub fn fault_url(&self, fault: Fault) -> String {
        format!(
            "{}://{}/fault/{}/dns-query",
            self.scheme,
            self.addr,
            fault.name()
        )
    }
}

const CORS: (&str, &str) = ("access-control-allow-origin", "*");

/// An HTTP request, whichever protocol carried it.
struct Request {
    method: String,
    target: String,
    body: Vec<u8>,
}

/// An HTTP response, whichever protocol carries it.
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn new(status: u16, headers: &[(&'static str, &str)], body: &[u8]) -> Self {
        Self {
            status,
            headers: headers.iter().map(|&(n, v)| (n, v.to_owned())).collect(),
            body: body.to_vec(),
        }
    }
}

/// How long a `timeout` fault holds a request unanswered: longer than any client waits.
const HOLD: Duration = Duration::from_secs(120);

/// Reads one HTTP/1.1 request; `None` when the peer closed the connection or sent garbage.
fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut content_length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            content_length = value.trim().parse().ok()?;
        }
    }
    if content_length > 65_535 {
        return None;
    }
    let mut body = vec![0; content_length];
    reader.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        target,
        body,
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        429 => "Too Many Requests",
        _ => "Internal Server Error",
    }
}

fn write_response(stream: &mut TcpStream, reply: &Reply) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Length: {}\r\n",
        reply.status,
        reason(reply.status),
        reply.body.len()
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    // One write: a head and a body written apart wait for the peer's delayed ACK (Nagle),
    // which adds tens of milliseconds to every answer that no real resolver has.
    let mut response = head.into_bytes();
    response.extend_from_slice(&reply.body);
    stream.write_all(&response)?;
    stream.flush()
}

fn serve_connection(stream: TcpStream, shared: &Shared) {
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut stream = stream;
    let _ = stream.set_nodelay(true);
    while let Some(request) = read_request(&mut reader) {
        let Some(reply) = answer(&request, shared) else {
            // A `timeout` fault: hold the connection without answering until the client
            // gives up.
            std::thread::sleep(HOLD);
            return;
        };
        if write_response(&mut stream, &reply).is_err() {
            return;
        }
    }
}

fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// Answers one request, after the configured delay; `None` for a request the `timeout` fault
/// leaves unanswered. Blocks (the delay is a sleep).
fn answer(request: &Request, shared: &Shared) -> Option<Reply> {
    let start = now_ms();
    let (path, query) = request
        .target
        .split_once('?')
        .unwrap_or((request.target.as_str(), ""));
    if request.method == "OPTIONS" {
        // CORS preflight, for POST with Content-Type: application/dns-message. Logged, so tests
        // can show the app's GETs never need one.
        write_line(
            shared,
            &serde_json::json!({ "start_ms": start, "end_ms": now_ms(), "method": "OPTIONS" }),
        );
        let headers = [
            CORS,
            ("access-control-allow-methods", "GET, POST, OPTIONS"),
            ("access-control-allow-headers", "content-type, accept"),
            ("access-control-max-age", "86400"),
        ];
        return Some(Reply::new(204, &headers, b""));
    }
    // `/dns-query`, or `/fault/MODE/dns-query`: one server is then several resolvers, a broken
    // one and a good one, for failover tests.
    let path_fault = match path
        .strip_prefix("/fault/")
        .and_then(|p| p.strip_suffix("/dns-query"))
    {
        Some(mode) => match Fault::from_name(mode) {
            Some(fault) => Some(fault),
            None => return Some(Reply::new(404, &[CORS], b"no such fault\n")),
        },
        None if path == "/dns-query" => None,
        None => return Some(Reply::new(404, &[CORS], b"not found\n")),
    };
    let wire = match request.method.as_str() {
        "GET" => query
            .split('&')
            .find_map(|kv| kv.strip_prefix("dns="))
            .and_then(|b64| data_encoding::BASE64URL_NOPAD.decode(b64.as_bytes()).ok()),
        "POST" => Some(request.body.clone()),
        _ => return Some(Reply::new(405, &[CORS], b"GET or POST\n")),
    };
    let Some(query_msg) = wire.and_then(|w| Message::from_vec(&w).ok()) else {
        return Some(Reply::new(
            400,
            &[CORS],
            b"missing or undecodable dns parameter\n",
        ));
    };
    let Some(question) = query_msg.queries.first() else {
        return Some(Reply::new(400, &[CORS], b"no question\n"));
    };
    let qname = question.name().clone();
    let qtype = question.query_type();
    let fault = path_fault.or_else(|| fault_for(&shared.config.faults, &qname));

    if !shared.config.delay.is_zero() {
        std::thread::sleep(shared.config.delay);
    }

    let response = build_response(&query_msg, &qname, qtype, shared, fault);
    let wire = response.to_vec().unwrap_or_default();
    let rcode = response.metadata.response_code;
    let dns_type = ("content-type", "application/dns-message");
    let cache_control = format!("max-age={}", min_ttl(&response));
    let cache = ("cache-control", cache_control.as_str());
    // The log line is complete before the client can see the answer, so whoever reads the log
    // after an answer arrives finds its line.
    let logged = |rcode: &str| log(shared, start, &qname, qtype, rcode, fault, &request.method);
    if fault == Some(Fault::Timeout) {
        logged("none");
        return None;
    }
    let reply = match fault {
        Some(Fault::Http429) => Reply::new(429, &[CORS, ("retry-after", "1")], b"rate limited\n"),
        Some(Fault::Http500) => Reply::new(500, &[CORS], b"internal error\n"),
        Some(Fault::Html) => Reply::new(
            200,
            &[CORS, ("content-type", "text/html; charset=utf-8")],
            b"<!doctype html><html><body><h1>Sign in to the network</h1></body></html>\n",
        ),
        Some(Fault::ContentType) => Reply::new(200, &[CORS, ("content-type", "text/plain")], &wire),
        Some(Fault::Truncated) => Reply::new(200, &[CORS, dns_type], &wire[..wire.len() / 2]),
        Some(Fault::NoCors) => Reply::new(200, &[dns_type, cache], &wire),
        Some(Fault::ServFail | Fault::Refused | Fault::Bogus | Fault::Timeout) | None => {
            Reply::new(200, &[CORS, dns_type, cache], &wire)
        }
    };
    logged(&rcode_name(rcode));
    Some(reply)
}

/// The RFC 1035/6895 mnemonic of a response code, as the log records it.
fn rcode_name(rcode: ResponseCode) -> String {
    match u16::from(rcode) {
        0 => "NOERROR".into(),
        1 => "FORMERR".into(),
        2 => "SERVFAIL".into(),
        3 => "NXDOMAIN".into(),
        4 => "NOTIMP".into(),
        5 => "REFUSED".into(),
        n => format!("RCODE{n}"),
    }
}

fn fault_for(rules: &[FaultRule], qname: &Name) -> Option<Fault> {
    // A rule for a name wins over a global one; the first matching rule of each kind is used.
    let lower = qname.to_lowercase();
    rules
        .iter()
        .find(|r| r.name.as_ref().is_some_and(|n| n.zone_of(&lower)))
        .or_else(|| rules.iter().find(|r| r.name.is_none()))
        .map(|r| r.fault)
}

fn build_response(
    query: &Message,
    qname: &Name,
    qtype: RecordType,
    shared: &Shared,
    fault: Option<Fault>,
) -> Message {
    let mut response = Message::new(query.metadata.id, MessageType::Response, OpCode::Query);
    response.metadata.recursion_desired = query.metadata.recursion_desired;
    response.metadata.recursion_available = true;
    response.add_queries(query.queries.iter().cloned());
    if query.edns.is_some() {
        let mut edns = Edns::new();
        edns.set_max_payload(1232);
        response.set_edns(edns);
    }
    match fault {
        Some(Fault::ServFail) => response.metadata.response_code = ResponseCode::ServFail,
        Some(Fault::Refused) => response.metadata.response_code = ResponseCode::Refused,
        Some(Fault::Bogus) => {
            response.metadata.response_code = ResponseCode::ServFail;
            // RFC 8914: option 15, INFO-CODE 6 (DNSSEC Bogus) and EXTRA-TEXT.
            let mut data = 6u16.to_be_bytes().to_vec();
            data.extend_from_slice(b"signature expired");
            let mut edns = response.edns.take().unwrap_or_else(|| {
                let mut e = Edns::new();
                e.set_max_payload(1232);
                e
            });
            edns.options_mut()
                .insert(hickory_proto::rr::rdata::opt::EdnsOption::Unknown(15, data));
            response.set_edns(edns);
        }
        _ => {
            let answer = shared.zones.answer(qname, qtype);
            response.metadata.authentic_data = shared.zones.authentic(qname);
            response.metadata.response_code = answer.rcode;
            response.add_answers(answer.answers);
            response.add_authorities(answer.authority);
        }
    }
    response
}

/// The smallest TTL in the answer (or the negative TTL), for `Cache-Control` as RFC 8484 §5.1 asks.
fn min_ttl(response: &Message) -> u32 {
    response
        .answers
        .iter()
        .chain(&response.authorities)
        .map(|r| r.ttl)
        .min()
        .unwrap_or(0)
}

fn log(
    shared: &Shared,
    start: f64,
    name: &Name,
    rtype: RecordType,
    rcode: &str,
    fault: Option<Fault>,
    method: &str,
) {
    let line = serde_json::json!({
        "start_ms": start,
        "end_ms": now_ms(),
        "name": name.to_ascii(),
        "type": rtype.to_string(),
        "rcode": rcode,
        "fault": fault.map(Fault::name),
        "method": method,
    });
    write_line(shared, &line);
}

fn write_line(shared: &Shared, line: &serde_json::Value) {
    let Some(file) = &shared.log else {
        return;
    };
    // One write of the whole line, so a concurrent reader never sees half of it.
    let line = format!("{line}\n");
    if let Ok(mut file) = file.lock() {
        let _ = file.write_all(line.as_bytes());
    }
}

#[cfg(test)]
mod tests;
