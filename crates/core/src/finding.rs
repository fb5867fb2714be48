//! Findings: what every lint reports.
//!
//! A finding is data, never an `Err`: a stable `code` (for example `spf.lookup-limit`), a
//! severity, a message naming the exact problem, the RFC section it rests on, a byte span into
//! the record text where there is one, and a fix (ideally a copy-ready record). Codes are listed in
//! [`CATALOG`] and never reused once published.

use core::ops::Range;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing; nothing is wrong.
    Info,
    /// Works today but is risky or weaker than it should be.
    Warning,
    /// Mail will be rejected, marked as spam, or the record is ignored.
    Error,
}

impl Severity {
    /// The lowercase name used in JSON and in the catalog: `info`, `warning`, `error`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

/// One diagnostic about one record or one lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Stable code from [`CATALOG`], like `spf.lookup-limit`.
    pub code: &'static str,
    /// How bad it is.
    pub severity: Severity,
    /// The exact problem, in plain words.
    pub message: String,
    /// The RFC section the finding rests on, like `RFC 7208 §4.6.4`.
    pub rfc: &'static str,
    /// Byte range into the record text the finding points at, when it points into one.
    pub span: Option<Range<usize>>,
    /// What to do about it; ideally a record that can be copied as it is.
    pub fix: Option<String>,
}

/// An entry of the findings catalog: what a code means and an example.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CatalogEntry {
    /// The stable code.
    pub code: &'static str,
    /// Its severity.
    pub severity: Severity,
    /// The RFC section it rests on.
    pub rfc: &'static str,
    /// What the finding means and why it matters.
    pub explanation: &'static str,
    /// A record or situation that produces it.
    pub example: &'static str,
}

/// Every code mxray can report. Append only: a code, once here, is never reused for
/// anything else.
pub const CATALOG: &[CatalogEntry] = &[
    CatalogEntry {
        code: "dns.malformed-response",
        severity: Severity::Error,
        rfc: "RFC 1035 §4.1",
        explanation: "The resolver's answer could not be decoded as a DNS message, so nothing \
                      in it can be trusted. The finding says at which byte decoding stopped.",
        example: "A DoH endpoint that answers 200 with an HTML error page.",
    },
    CatalogEntry {
        code: "dns.truncated-response",
        severity: Severity::Error,
        rfc: "RFC 1035 §4.1",
        explanation: "The answer ended before the message it announced was complete.",
        example: "A proxy that cut the response body short.",
    },
];

/// Looks a code up in the catalog.
pub fn catalog_entry(code: &str) -> Option<&'static CatalogEntry> {
    CATALOG.iter().find(|e| e.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_codes_are_unique_and_well_formed() {
        let mut seen = std::collections::BTreeSet::new();
        for entry in CATALOG {
            assert!(seen.insert(entry.code), "duplicate code {}", entry.code);
            let (area, rest) = entry.code.split_once('.').expect("codes are area.name");
            assert!(!area.is_empty() && !rest.is_empty());
            assert!(
                entry
                    .code
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-.".contains(&b)),
                "code {} uses only lowercase, digits, '-' and '.'",
                entry.code
            );
            assert!(
                entry.rfc.starts_with("RFC "),
                "{} names its RFC",
                entry.code
            );
        }
    }

    #[test]
    fn catalog_lookup_finds_known_codes_only() {
        assert_eq!(
            catalog_entry("dns.malformed-response").map(|e| e.severity),
            Some(Severity::Error)
        );
        assert!(catalog_entry("no.such-code").is_none());
    }
}
