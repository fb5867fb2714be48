//! A plain static file server for the end-to-end tests: what any static host does and no more.
//!
//! It serves a directory under a path prefix (so the tests prove `dist/` works from a
//! sub-folder), answers a directory request with its `index.html`, redirects a directory path
//! without its trailing slash, and answers 404 for anything else: no single-page-app fallback,
//! because real static hosts have none.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// Serves `dir` at `prefix` (which starts and ends with `/`) on a free loopback port.
pub fn start(dir: PathBuf, prefix: &'static str) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let dir = Arc::new(dir);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = Arc::clone(&dir);
            std::thread::spawn(move || {
                let _ = handle(stream, &dir, prefix);
            });
        }
    });
    Ok(addr)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

fn handle(stream: TcpStream, dir: &Path, prefix: &str) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim_end().is_empty() {
            break;
        }
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/");
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    let mut stream = stream;
    let not_found = |stream: &mut TcpStream| {
        respond(stream, "404 Not Found", "text/plain", b"not found\n", None)
    };
    let Some(rel) = path
        .strip_prefix(prefix)
        .or_else(|| (path == prefix.trim_end_matches('/')).then_some(""))
    else {
        return not_found(&mut stream);
    };
    let mut file = dir.to_path_buf();
    for part in Path::new(rel).components() {
        match part {
            Component::Normal(p) => file.push(p),
            _ => return not_found(&mut stream),
        }
    }
    if file.is_dir() {
        if !path.ends_with('/') {
            let location = match query {
                Some(q) => format!("{path}/?{q}"),
                None => format!("{path}/"),
            };
            return respond(
                &mut stream,
                "301 Moved Permanently",
                "text/plain",
                b"",
                Some(&location),
            );
        }
        file.push("index.html");
    }
    match std::fs::read(&file) {
        Ok(body) => respond(&mut stream, "200 OK", content_type(&file), &body, None),
        Err(_) => not_found(&mut stream),
    }
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
    location: Option<&str>,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    if let Some(location) = location {
        head.push_str(&format!("Location: {location}\r\n"));
    }
    head.push_str("\r\n");
    // One write (see the DoH fixture's write_response: Nagle and delayed ACKs).
    let mut response = head.into_bytes();
    response.extend_from_slice(body);
    stream.write_all(&response)?;
    stream.flush()
}
