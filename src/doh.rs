//! The browser's side of DNS-over-HTTPS (RFC 8484): it only moves bytes and reads the clock.
//!
//! [`BrowserFetch`] is core's `HttpGet`: a GET with `?dns=` and only
//! `Accept: application/dns-message`, so no CORS preflight is sent, given up with an
//! `AbortController` after the time limit, never answered from the browser's HTTP cache. Failover, caching, sharing identical questions,
//! decoding and the wording of every failure are `mxray-core`'s ([`Client`]).
//!
//! [`BrowserIdna`] is core's `ToAscii`: UTS 46 as the browser's own URL parser applies it, which
//! costs nothing in bundle size (the `idna` crate's tables would add about 38 KB brotli).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use mxray_core::dns::TransportError;
use mxray_core::dns::cache::{Cache, Lifetime};
use mxray_core::dns::doh::{Clock, DohResolver, HttpGet, HttpReply};
use mxray_core::dns::input::ToAscii;
use mxray_core::dns::priority::{self, Gate, Priority};
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_futures::JsFuture;

/// The app's resolver: the configured list with failover, behind a TTL cache.
pub type Client = Cache<DohResolver<BrowserFetch>, BrowserFetch>;

thread_local! {
    static CLIENT: RefCell<Option<(Vec<String>, Rc<Client>)>> = const { RefCell::new(None) };
}

/// The client for a resolver list; the same one (and its cache) while the list is unchanged.
pub fn client(endpoints: &[String]) -> Rc<Client> {
    CLIENT.with(|slot| {
        let mut slot = slot.borrow_mut();
        if let Some((list, client)) = slot.as_ref()
            && list == endpoints
        {
            return client.clone();
        }
        let client = Rc::new(Cache::new(
            DohResolver::new(BrowserFetch, endpoints.to_vec()),
            BrowserFetch,
            Lifetime::Ttl,
        ));
        *slot = Some((endpoints.to_vec(), client.clone()));
        client
    })
}

/// One check's view of the shared client: every answer kept until the check ends, so no
/// (name, type) is asked twice in it even when the answer may not be cached for longer (a
/// negative answer without an SOA, a TTL of 0); answers still come from and go to the shared
/// client's TTL cache.
pub fn session(client: &Client) -> Cache<&Client, BrowserFetch> {
    Cache::new(client, BrowserFetch, Lifetime::Session)
}

/// `fetch` and `performance.now()`.
#[derive(Clone, Copy, Debug, Default)]
pub struct BrowserFetch;

impl Clock for BrowserFetch {
    fn now_ms(&self) -> f64 {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now())
    }
}

/// Browsers open at most six HTTP/1.1 connections to one host.
const HTTP1_CONNECTIONS: usize = 6;

/// An origin's queue, and whether its protocol has been read from a response yet.
struct Origin {
    gate: Gate,
    protocol_known: bool,
}

thread_local! {
    static ORIGINS: RefCell<HashMap<String, Origin>> = RefCell::new(HashMap::new());
}

/// `scheme://host:port` of a URL.
fn origin_of(url: &str) -> &str {
    let host_start = url.find("://").map_or(0, |i| i + 3);
    let end = url[host_start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| host_start + i);
    &url[..end]
}

/// The queue for `url`'s origin. Over HTTP/1.1 the page keeps the queue itself (see core's
/// `dns::priority::Gate`): six requests out at once, the critical path first. Plain `http:`
/// is always HTTP/1.1 in a browser; for `https:` the limit is set from the first response's
/// protocol (HTTP/2 and HTTP/3 get none: nothing queues there).
fn gate_for(url: &str) -> Gate {
    ORIGINS.with(|origins| {
        let mut origins = origins.borrow_mut();
        origins
            .entry(origin_of(url).to_owned())
            .or_insert_with(|| {
                let gate = Gate::new();
                let plain = url.starts_with("http:");
                if plain {
                    gate.set_limit(Some(HTTP1_CONNECTIONS));
                }
                Origin {
                    gate,
                    protocol_known: plain,
                }
            })
            .gate
            .clone()
    })
}

/// Reads the protocol of `url`'s answer from Resource Timing, once per origin. An origin that
/// hides it (no `Timing-Allow-Origin`) keeps no limit.
fn learn_protocol(url: &str) {
    let origin = origin_of(url).to_owned();
    let known = ORIGINS.with(|o| o.borrow().get(&origin).is_none_or(|o| o.protocol_known));
    if known {
        return;
    }
    let protocol = web_sys::window()
        .and_then(|w| w.performance())
        .and_then(|p| {
            let entries = p.get_entries_by_name(url);
            entries
                .get(entries.length().checked_sub(1)?)
                .dyn_into::<web_sys::PerformanceResourceTiming>()
                .ok()
        })
        .map(|t| t.next_hop_protocol())
        .unwrap_or_default();
    ORIGINS.with(|origins| {
        if let Some(o) = origins.borrow_mut().get_mut(&origin) {
            o.protocol_known = true;
            if protocol.eq_ignore_ascii_case("http/1.1")
                || protocol.eq_ignore_ascii_case("http/1.0")
            {
                o.gate.set_limit(Some(HTTP1_CONNECTIONS));
            }
        }
    });
}

impl HttpGet for BrowserFetch {
    async fn get(&self, url: &str, timeout_ms: u32) -> Result<HttpReply, TransportError> {
        get(url, timeout_ms, Some("application/dns-message")).await
    }
}

/// core's `HttpGet` for files on other sites (the MTA-STS policy): no cookies, no redirects
/// (RFC 8461 §3.3: senders do not follow them), and readable only if the site allows it (CORS).
#[derive(Clone, Copy, Debug, Default)]
pub struct BrowserFile;

impl Clock for BrowserFile {
    fn now_ms(&self) -> f64 {
        BrowserFetch.now_ms()
    }
}

impl HttpGet for BrowserFile {
    async fn get(&self, url: &str, timeout_ms: u32) -> Result<HttpReply, TransportError> {
        get(url, timeout_ms, None).await
    }
}

/// A GET with the page's fetch: `accept` set for DoH (a DNS answer) and left out for a file.
async fn get(
    url: &str,
    timeout_ms: u32,
    accept: Option<&str>,
) -> Result<HttpReply, TransportError> {
    // Read while the caller's priority is in force (this runs inside its first poll).
    let priority = priority::current();
    // Time waiting in the page's queue is not time the resolver took: the limit starts
    // once the request goes.
    let _turn = gate_for(url).enter(priority).await;
    let window = web_sys::window().ok_or(TransportError::Network)?;
    let headers = web_sys::Headers::new().map_err(|_| TransportError::Network)?;
    if let Some(accept) = accept {
        headers
            .set("Accept", accept)
            .map_err(|_| TransportError::Network)?;
    }
    let controller = web_sys::AbortController::new().map_err(|_| TransportError::Network)?;
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    init.set_mode(web_sys::RequestMode::Cors);
    init.set_credentials(web_sys::RequestCredentials::Omit);
    init.set_redirect(web_sys::RequestRedirect::Error);
    // Past the browser's HTTP cache: the page's own cache (core's, TTL-aware, per visit)
    // shares answers within a visit, and a reload after fixing a record asks afresh
    // instead of showing an answer the browser kept from before the fix.
    init.set_cache(web_sys::RequestCache::NoStore);
    init.set_headers(&headers);
    init.set_signal(Some(&controller.signal()));
    // Questions off the check's long chains go to the back of the browser's queue (see
    // core's dns::priority); browsers without fetch priority ignore the member.
    if priority == Priority::Low {
        let _ = js_sys::Reflect::set(&init, &"priority".into(), &"low".into());
    }
    let request =
        web_sys::Request::new_with_str_and_init(url, &init).map_err(|_| TransportError::Network)?;

    let timed_out = Rc::new(std::cell::Cell::new(false));
    // Owned here and dropped when the request ends, so an unused timer leaks nothing.
    let on_timeout = {
        let timed_out = timed_out.clone();
        let controller = controller.clone();
        Closure::<dyn FnMut()>::new(move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let timer = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            on_timeout.as_ref().unchecked_ref(),
            i32::try_from(timeout_ms).unwrap_or(i32::MAX),
        )
        .ok();
    // If this future is dropped (the user asked something else), the request is aborted.
    let _abort_on_drop = AbortOnDrop(controller);

    let result = fetch_reply(&window, &request).await;
    if result.is_ok() {
        learn_protocol(url);
    }
    if let Some(timer) = timer {
        window.clear_timeout_with_handle(timer);
    }
    drop(on_timeout);
    match result {
        Err(_) if timed_out.get() => Err(TransportError::Timeout {
            after_ms: timeout_ms,
        }),
        other => other,
    }
}

struct AbortOnDrop(web_sys::AbortController);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        // Harmless once the request is done.
        self.0.abort();
    }
}

async fn fetch_reply(
    window: &web_sys::Window,
    request: &web_sys::Request,
) -> Result<HttpReply, TransportError> {
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(request))
        .await
        .and_then(JsValue::dyn_into)
        .map_err(|_| TransportError::Network)?;
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .unwrap_or_default();
    if status != 200 {
        // The body of an error page is not needed.
        return Ok(HttpReply {
            status,
            content_type,
            body: Vec::new(),
        });
    }
    let buffer = JsFuture::from(
        response
            .array_buffer()
            .map_err(|_| TransportError::Network)?,
    )
    .await
    .map_err(|_| TransportError::Network)?;
    Ok(HttpReply {
        status,
        content_type,
        body: js_sys::Uint8Array::new(&buffer).to_vec(),
    })
}

/// UTS 46 ToASCII through the WHATWG URL parser (`new URL("http://…/").hostname`).
#[derive(Clone, Copy, Debug, Default)]
pub struct BrowserIdna;

impl ToAscii for BrowserIdna {
    fn to_ascii(&self, domain: &str) -> Result<String, String> {
        let url = web_sys::Url::new(&format!("http://{domain}/"))
            .map_err(|_| "it has a character that international names do not allow".to_owned())?;
        let host = url.hostname();
        // The URL parser reads all-numeric names as IPv4 addresses; that is not a domain.
        if host.parse::<std::net::Ipv4Addr>().is_ok() {
            return Err("it reads as an IP address, not a domain name".to_owned());
        }
        // Browsers differ in what they let through (some percent-encode); only a host name
        // of letters, digits, hyphens, underscores and dots is an answer.
        let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'*');
        if host.is_empty() || !host.bytes().all(allowed) {
            return Err("it has a character that domain names do not allow".to_owned());
        }
        Ok(host)
    }
}
