//! DKIM (RFC 6376): key records read and checked, selectors discovered, and pasted
//! `DKIM-Signature` headers read for their domain and selector.

pub mod der;
pub mod discover;
pub mod key;
pub mod signature;
