//! The fixture over HTTP/2 and TLS, as public resolvers serve DoH.
//!
//! Browsers speak HTTP/2 only over TLS. Over HTTP/1.1 Chromium opens at most six connections to
//! one host and queues every other request, so a page's parallelism cannot be measured there;
//! over HTTP/2 every question shares one connection, as with Cloudflare and Google. The
//! certificate is `tests/tls/fixture.crt` (self-signed for 127.0.0.1 and localhost, made with
//! openssl for these tests only); a browser talking to it is told to accept it.
//!
//! Each request is answered by the same [`answer`](super::answer) as over HTTP/1.1, on a
//! blocking thread (the delay is a sleep), so the log, delays and faults are the same.

use std::sync::Arc;

use bytes::Bytes;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::{HOLD, Request, Shared, answer};

const CERT: &[u8] = include_bytes!("../../../tests/tls/fixture.crt");
const KEY: &[u8] = include_bytes!("../../../tests/tls/fixture.key");

fn invalid(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string())
}

fn tls_config() -> std::io::Result<rustls::ServerConfig> {
    let certs = CertificateDer::pem_slice_iter(CERT)
        .collect::<Result<Vec<_>, _>>()
        .map_err(invalid)?;
    let key = PrivateKeyDer::from_pem_slice(KEY).map_err(invalid)?;
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(invalid)?
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .map_err(invalid)?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(config)
}

/// Serves `listener` over TLS with HTTP/2 in a background thread for the rest of the process.
pub(super) fn serve(listener: std::net::TcpListener, shared: Arc<Shared>) -> std::io::Result<()> {
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls_config()?));
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    std::thread::Builder::new()
        .name("doh-h2".into())
        .spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                    return;
                };
                loop {
                    let Ok((tcp, _)) = listener.accept().await else {
                        continue;
                    };
                    let _ = tcp.set_nodelay(true);
                    let (acceptor, shared) = (acceptor.clone(), Arc::clone(&shared));
                    tokio::spawn(async move {
                        let Ok(tls) = acceptor.accept(tcp).await else {
                            return;
                        };
                        let Ok(mut connection) = h2::server::handshake(tls).await else {
                            return;
                        };
                        // Polling accept() also drives the connection's I/O for every stream.
                        while let Some(Ok((request, respond))) = connection.accept().await {
                            tokio::spawn(stream(request, respond, Arc::clone(&shared)));
                        }
                    });
                }
            });
        })?;
    Ok(())
}

async fn stream(
    request: http::Request<h2::RecvStream>,
    mut respond: h2::server::SendResponse<Bytes>,
    shared: Arc<Shared>,
) {
    let (parts, mut body) = request.into_parts();
    let mut bytes = Vec::new();
    while let Some(Ok(chunk)) = body.data().await {
        let _ = body.flow_control().release_capacity(chunk.len());
        bytes.extend_from_slice(&chunk);
        if bytes.len() > 65_535 {
            return;
        }
    }
    let request = Request {
        method: parts.method.as_str().to_owned(),
        target: parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned(),
        body: bytes,
    };
    let reply = tokio::task::spawn_blocking(move || answer(&request, &shared))
        .await
        .ok()
        .flatten();
    let Some(reply) = reply else {
        // A `timeout` fault: the stream stays open and unanswered.
        tokio::time::sleep(HOLD).await;
        return;
    };
    let mut response = http::Response::builder().status(reply.status);
    for (name, value) in &reply.headers {
        response = response.header(*name, value);
    }
    let Ok(response) = response.header("content-length", reply.body.len()).body(()) else {
        return;
    };
    let end = reply.body.is_empty();
    let Ok(mut send) = respond.send_response(response, end) else {
        return;
    };
    if !end {
        let _ = send.send_data(Bytes::from(reply.body), true);
    }
}
