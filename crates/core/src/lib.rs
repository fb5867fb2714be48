//! mxray's engine: everything that decides what a DNS record means.
//!
//! This crate is pure: no network, no browser, no clock of its own (transports and clocks are
//! traits the app and the CLI implement). The browser app (`mxray-app`), the terminal command
//! (`mxray`) and the tests all drive the same code. What lives here:
//!
//! - [`dns`]: the RFC 1035 wire codec, record types, zone files, input names, and the resolvers:
//!   DoH failover over a supplied transport, a cache that shares questions in flight, a zone in
//!   memory, drafts over either.
//! - [`join`]: running independent futures together without a runtime.
//! - [`encoding`]: the small encodings the transports need (base64url without padding).
//! - [`finding`]: the `Finding` type every lint reports, with its stable code.
//!
//! Later modules (SPF, DKIM, DMARC, MX, ...) follow the same rule: bytes and text in, values out.
#![forbid(unsafe_code)]

pub mod check;
pub mod csp;
pub mod dkim;
pub mod dmarc;
pub mod dns;
pub mod encoding;
pub mod finding;
pub mod join;
pub mod paste;
pub mod spf;
pub mod tags;
