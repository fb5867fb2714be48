//! The terminal's transport and executor, so core's async resolvers run here unchanged.
//!
//! [`ThreadFetch`] is core's `HttpGet`: each request runs on its own thread with a blocking
//! HTTP client (ureq with rustls) and wakes the future waiting for it, so every question core
//! sends at once really is in flight at once. [`block_on`] drives a future on the main thread,
//! parking it until a request finishes. No async runtime is needed.

use std::future::Future;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::Thread;
use std::time::{Duration, Instant};

use mxray_core::dns::TransportError;
use mxray_core::dns::doh::{Clock, HttpGet, HttpReply};
use mxray_core::dns::input::ToAscii;

/// The largest DNS message body read (a DNS message is at most 65,535 bytes).
const MAX_BODY: u64 = 65_535;

/// HTTP GETs on their own threads, and a monotonic clock.
#[derive(Clone)]
pub struct ThreadFetch {
    started: Instant,
}

impl ThreadFetch {
    pub fn new() -> Self {
        Self {
            started: Instant::now(),
        }
    }
}

impl Clock for ThreadFetch {
    fn now_ms(&self) -> f64 {
        self.started.elapsed().as_secs_f64() * 1000.0
    }
}

type Slot = Arc<Mutex<(Option<Result<HttpReply, TransportError>>, Option<Waker>)>>;

impl HttpGet for ThreadFetch {
    async fn get(&self, url: &str, timeout_ms: u32) -> Result<HttpReply, TransportError> {
        on_thread(url, timeout_ms, Some("application/dns-message")).await
    }

    async fn get_file(&self, url: &str, timeout_ms: u32) -> Result<HttpReply, TransportError> {
        on_thread(url, timeout_ms, None).await
    }
}

/// [`fetch`] on a thread of its own; the future is woken when it is done.
fn on_thread(url: &str, timeout_ms: u32, accept: Option<&'static str>) -> Pending {
    let slot: Slot = Arc::default();
    let url = url.to_owned();
    let filled = slot.clone();
    std::thread::spawn(move || {
        let result = fetch(&url, timeout_ms, accept);
        let mut guard = filled.lock().unwrap_or_else(|e| e.into_inner());
        guard.0 = Some(result);
        if let Some(waker) = guard.1.take() {
            waker.wake();
        }
    });
    Pending { slot }
}

struct Pending {
    slot: Slot,
}

impl Future for Pending {
    type Output = Result<HttpReply, TransportError>;

    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut guard = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        match guard.0.take() {
            Some(result) => Poll::Ready(result),
            None => {
                guard.1 = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

fn fetch(url: &str, timeout_ms: u32, accept: Option<&str>) -> Result<HttpReply, TransportError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_millis(u64::from(timeout_ms))))
        .http_status_as_error(false)
        // MTA-STS policies must not be fetched through redirects (RFC 8461 §3.3), and DoH
        // endpoints do not redirect.
        .max_redirects(0)
        .user_agent(concat!("mxray/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut request = agent.get(url);
    if let Some(accept) = accept {
        request = request.header("Accept", accept);
    }
    let response = request.call();
    let mut response = match response {
        Ok(response) => response,
        Err(ureq::Error::Timeout(_)) => {
            return Err(TransportError::Timeout {
                after_ms: timeout_ms,
            });
        }
        Err(_) => return Err(TransportError::Network),
    };
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = if status == 200 {
        match response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
        {
            Ok(body) => body,
            Err(ureq::Error::Timeout(_)) => {
                return Err(TransportError::Timeout {
                    after_ms: timeout_ms,
                });
            }
            Err(_) => return Err(TransportError::Network),
        }
    } else {
        Vec::new()
    };
    Ok(HttpReply {
        status,
        content_type,
        body,
    })
}

struct Unpark(Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs a future to completion on this thread.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::park();
    }
}

/// UTS 46 through the `idna` crate (size does not matter in a terminal).
pub struct Uts46;

impl ToAscii for Uts46 {
    fn to_ascii(&self, domain: &str) -> Result<String, String> {
        idna::domain_to_ascii(domain).map_err(|_| "it has a character UTS 46 does not allow".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_connection_is_a_network_error_and_silence_a_timeout() {
        // Bound and dropped: nothing listens there now, so the connection is refused.
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = closed.local_addr().unwrap();
        drop(closed);
        assert_eq!(
            fetch(
                &format!("http://{addr}/.well-known/mta-sts.txt"),
                2_000,
                None
            )
            .unwrap_err(),
            TransportError::Network
        );
        // Accepts and never answers.
        let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = silent.local_addr().unwrap();
        assert_eq!(
            fetch(&format!("http://{addr}/"), 300, None).unwrap_err(),
            TransportError::Timeout { after_ms: 300 }
        );
        drop(silent);
    }

    /// The request line and headers one GET sends, answered with a policy file.
    fn request_seen(accept: Option<&str>) -> String {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server = std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap() <= 2 {
                    break;
                }
                head.push_str(&line.to_ascii_lowercase());
            }
            let body = "version: STSv1\n";
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            head
        });
        let reply = fetch(
            &format!("http://{addr}/.well-known/mta-sts.txt"),
            2_000,
            accept,
        )
        .unwrap();
        assert_eq!(reply.body, b"version: STSv1\n");
        server.join().unwrap()
    }

    #[test]
    fn a_policy_file_is_asked_for_without_the_dns_accept_header() {
        assert!(!request_seen(None).contains("application/dns-message"));
        assert!(
            request_seen(Some("application/dns-message"))
                .contains("accept: application/dns-message")
        );
    }
}
