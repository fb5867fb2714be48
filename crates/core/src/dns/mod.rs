//! DNS: names, record types and the RFC 1035 wire codec.
//!
//! The codec is bytes in, values out; the transports (DoH in the browser, the CLI's HTTP client,
//! the in-memory zone) only move bytes. See [`wire`] for the message format.

pub mod cache;
pub mod compare;
pub mod doh;
pub mod input;
pub mod name;
pub mod outcome;
pub mod present;
pub mod priority;
pub mod resolver;
pub mod txt;
pub mod wire;
pub mod zone;

pub use name::{Name, NameError};
pub use outcome::{Outcome, TransportError};
pub use resolver::{Answered, Attempt, Resolver, Unanswered};
pub use wire::{
    Edns, ExtendedError, Flags, Message, Query, RData, Rcode, Record, WireError, WireErrorKind,
};

/// A resource record TYPE (RFC 1035 §3.2.2 and later registrations). Unknown values are kept
/// as numbers and printed as `TYPE<n>` (RFC 3597 §5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordType(pub u16);

impl RecordType {
    pub const A: Self = Self(1);
    pub const NS: Self = Self(2);
    pub const CNAME: Self = Self(5);
    pub const SOA: Self = Self(6);
    pub const PTR: Self = Self(12);
    pub const MX: Self = Self(15);
    pub const TXT: Self = Self(16);
    pub const AAAA: Self = Self(28);
    pub const SRV: Self = Self(33);
    pub const OPT: Self = Self(41);
    pub const NSEC: Self = Self(47);
    pub const TLSA: Self = Self(52);
    pub const SPF: Self = Self(99);
    /// RFC 9824 §2: the pseudo-type a compact denial lists to say the name does not exist.
    pub const NXNAME: Self = Self(128);
    pub const CAA: Self = Self(257);

    const NAMES: &'static [(Self, &'static str)] = &[
        (Self::A, "A"),
        (Self::NS, "NS"),
        (Self::CNAME, "CNAME"),
        (Self::SOA, "SOA"),
        (Self::PTR, "PTR"),
        (Self::MX, "MX"),
        (Self::TXT, "TXT"),
        (Self::AAAA, "AAAA"),
        (Self::SRV, "SRV"),
        (Self::OPT, "OPT"),
        (Self::NSEC, "NSEC"),
        (Self::TLSA, "TLSA"),
        (Self::SPF, "SPF"),
        (Self::NXNAME, "NXNAME"),
        (Self(46), "RRSIG"),
        (Self(48), "DNSKEY"),
        (Self(43), "DS"),
        (Self(50), "NSEC3"),
        (Self(51), "NSEC3PARAM"),
        (Self(64), "SVCB"),
        (Self(65), "HTTPS"),
        (Self::CAA, "CAA"),
    ];

    /// The mnemonic, or `None` for a type this crate has no name for.
    pub fn mnemonic(self) -> Option<&'static str> {
        Self::NAMES
            .iter()
            .find(|(t, _)| *t == self)
            .map(|(_, n)| *n)
    }

    /// Parses a mnemonic (any case) or the RFC 3597 `TYPE<n>` form.
    pub fn from_text(text: &str) -> Option<Self> {
        let upper = text.trim().to_ascii_uppercase();
        if let Some(found) = Self::NAMES.iter().find(|(_, n)| *n == upper) {
            return Some(found.0);
        }
        upper.strip_prefix("TYPE")?.parse().ok().map(Self)
    }
}

impl core::fmt::Display for RecordType {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.mnemonic() {
            Some(name) => f.write_str(name),
            None => write!(f, "TYPE{}", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RecordType;

    #[test]
    fn record_types_parse_by_mnemonic_and_rfc3597_number() {
        assert_eq!(RecordType::from_text("txt"), Some(RecordType::TXT));
        assert_eq!(RecordType::from_text(" AAAA "), Some(RecordType::AAAA));
        assert_eq!(RecordType::from_text("TYPE65"), Some(RecordType(65)));
        assert_eq!(RecordType::from_text("TYPE999"), Some(RecordType(999)));
        assert_eq!(RecordType::from_text("NOPE"), None);
        assert_eq!(RecordType(999).to_string(), "TYPE999");
        assert_eq!(RecordType(65).to_string(), "HTTPS");
        assert_eq!(RecordType::MX.to_string(), "MX");
    }
}
