//! DMARC (RFC 7489, and RFC 9989 where it differs): policy records read and checked tag by tag,
//! and the policy of a domain found by the RFC 9989 DNS Tree Walk, with its organizational
//! domain and the authorization of external report destinations.

pub mod discover;
pub mod record;
