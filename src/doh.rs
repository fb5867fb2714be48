//! The browser's DNS-over-HTTPS transport (RFC 8484): it only moves bytes.
//!
//! A GET with `?dns=` and only `Accept: application/dns-message`, so no CORS preflight is sent;
//! the query has ID 0 so the browser's HTTP cache can share answers. Encoding, decoding and
//! the wording of every failure are `mxray-core`'s.

use mxray_core::dns::doh::get_url;
use mxray_core::dns::{Message, Name, Query, RecordType, TransportError};
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_futures::JsFuture;

/// How long one query may take before it counts as a timeout.
pub const TIMEOUT_MS: u32 = 5000;

/// A decoded answer with where and how fast it came.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub message: Message,
    pub resolver: String,
    /// Whole milliseconds (an integer: float formatting costs kilobytes of wasm).
    pub elapsed_ms: u32,
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Sends one query to `endpoint` and decodes the answer.
pub async fn query(
    endpoint: &str,
    name: &Name,
    rtype: RecordType,
) -> Result<Answer, TransportError> {
    let window = web_sys::window().ok_or(TransportError::Network)?;
    let url = get_url(endpoint, &Query::new(name.clone(), rtype).to_wire());
    let headers = web_sys::Headers::new().map_err(|_| TransportError::Network)?;
    headers
        .set("Accept", "application/dns-message")
        .map_err(|_| TransportError::Network)?;
    let controller = web_sys::AbortController::new().map_err(|_| TransportError::Network)?;
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    init.set_mode(web_sys::RequestMode::Cors);
    init.set_headers(&headers);
    init.set_signal(Some(&controller.signal()));
    let request = web_sys::Request::new_with_str_and_init(&url, &init)
        .map_err(|_| TransportError::Network)?;

    let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
    // Owned here and dropped when the query ends, so an unused timer leaks nothing.
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
            TIMEOUT_MS as i32,
        )
        .ok();

    let started = now_ms();
    let result = fetch_bytes(&window, &request).await;
    if let Some(timer) = timer {
        window.clear_timeout_with_handle(timer);
    }
    drop(on_timeout);
    let elapsed_ms = (now_ms() - started).max(0.0).round() as u32;
    let body = match result {
        Ok(body) => body,
        Err(_) if timed_out.get() => {
            return Err(TransportError::Timeout {
                after_ms: TIMEOUT_MS,
            });
        }
        Err(err) => return Err(err),
    };
    let message = Message::from_wire(&body).map_err(TransportError::Malformed)?;
    Ok(Answer {
        message,
        resolver: endpoint.to_owned(),
        elapsed_ms,
    })
}

async fn fetch_bytes(
    window: &web_sys::Window,
    request: &web_sys::Request,
) -> Result<Vec<u8>, TransportError> {
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(request))
        .await
        .and_then(JsValue::dyn_into)
        .map_err(|_| TransportError::Network)?;
    if response.status() != 200 {
        return Err(TransportError::Http {
            status: response.status(),
        });
    }
    let content_type = response
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .unwrap_or_default();
    if !content_type
        .to_ascii_lowercase()
        .starts_with("application/dns-message")
    {
        return Err(TransportError::ContentType { got: content_type });
    }
    let buffer = JsFuture::from(
        response
            .array_buffer()
            .map_err(|_| TransportError::Network)?,
    )
    .await
    .map_err(|_| TransportError::Network)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
