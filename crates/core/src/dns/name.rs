//! Domain names as sequences of labels (RFC 1035 §3.1, §2.3.4).
//!
//! Labels are kept as bytes: DNS does not promise UTF-8. Presentation output escapes `.`, `\`,
//! and non-printable bytes as `\DDD` (RFC 1035 §5.1). Comparison is ASCII case-insensitive
//! (RFC 4343). Internationalised input (UTS 46) is handled by a later layer, before names reach
//! this type.

use core::fmt;

/// A fully qualified domain name.
#[derive(Clone, Debug, Default, Eq)]
pub struct Name {
    labels: Vec<Vec<u8>>,
}

/// Why text could not be turned into a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameError {
    /// A label between two dots is empty, such as in `a..b`.
    EmptyLabel { offset: usize },
    /// A label is longer than 63 bytes (RFC 1035 §2.3.4).
    LabelTooLong { offset: usize, len: usize },
    /// The whole name is longer than 255 bytes on the wire (RFC 1035 §2.3.4).
    NameTooLong { len: usize },
    /// A `\DDD` escape above 255 (RFC 1035 §5.1).
    BadEscape { offset: usize },
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyLabel { offset } => write!(f, "empty label at character {offset}"),
            Self::LabelTooLong { offset, len } => write!(
                f,
                "label at character {offset} is {len} bytes long; the limit is 63"
            ),
            Self::NameTooLong { len } => {
                write!(f, "name is {len} bytes long on the wire; the limit is 255")
            }
            Self::BadEscape { offset } => {
                write!(f, "escape at character {offset} is above \\255")
            }
        }
    }
}

impl Name {
    /// The root name `.`.
    pub fn root() -> Self {
        Self { labels: Vec::new() }
    }

    /// Builds a name from labels, checking the RFC 1035 length limits.
    pub fn from_labels(labels: Vec<Vec<u8>>) -> Result<Self, NameError> {
        let mut offset = 0;
        for label in &labels {
            if label.is_empty() {
                return Err(NameError::EmptyLabel { offset });
            }
            if label.len() > 63 {
                return Err(NameError::LabelTooLong {
                    offset,
                    len: label.len(),
                });
            }
            offset += label.len() + 1;
        }
        let name = Self { labels };
        let len = name.wire_len();
        if len > 255 {
            return Err(NameError::NameTooLong { len });
        }
        Ok(name)
    }

    /// Parses a dotted name such as `example.com` or `example.com.` (the trailing dot is
    /// optional; the name is always taken as absolute). `\.` and `\DDD` escapes are honoured.
    pub fn parse(text: &str) -> Result<Self, NameError> {
        // The final dot is the root label unless it is escaped (`a\.` is one label "a.").
        let escapes_before_last = text
            .strip_suffix('.')
            .map(|t| t.bytes().rev().take_while(|&b| b == b'\\').count());
        let text = match escapes_before_last {
            Some(n) if n % 2 == 0 => &text[..text.len() - 1],
            _ => text,
        };
        if text.is_empty() {
            return Ok(Self::root());
        }
        let bytes = text.as_bytes();
        let mut labels = Vec::new();
        let mut label = Vec::new();
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\\'
                    if i + 3 < bytes.len()
                        && bytes[i + 1..i + 4].iter().all(u8::is_ascii_digit) =>
                {
                    let value = u16::from(bytes[i + 1] - b'0') * 100
                        + u16::from(bytes[i + 2] - b'0') * 10
                        + u16::from(bytes[i + 3] - b'0');
                    let byte =
                        u8::try_from(value).map_err(|_| NameError::BadEscape { offset: i })?;
                    label.push(byte);
                    i += 4;
                }
                b'\\' if i + 1 < bytes.len() => {
                    label.push(bytes[i + 1]);
                    i += 2;
                }
                b'.' => {
                    if label.is_empty() {
                        return Err(NameError::EmptyLabel { offset: start });
                    }
                    labels.push(core::mem::take(&mut label));
                    i += 1;
                    start = i;
                }
                b => {
                    label.push(b);
                    i += 1;
                }
            }
        }
        if label.is_empty() {
            return Err(NameError::EmptyLabel { offset: start });
        }
        labels.push(label);
        Self::from_labels(labels)
    }

    /// The labels, leftmost first.
    pub fn labels(&self) -> &[Vec<u8>] {
        &self.labels
    }

    /// Whether this is the root name.
    pub fn is_root(&self) -> bool {
        self.labels.is_empty()
    }

    /// Length in uncompressed wire form, including the root label.
    pub fn wire_len(&self) -> usize {
        self.labels.iter().map(|l| l.len() + 1).sum::<usize>() + 1
    }

    /// Appends the uncompressed wire form.
    pub fn write_wire(&self, out: &mut Vec<u8>) {
        for label in &self.labels {
            out.push(label.len() as u8);
            out.extend_from_slice(label);
        }
        out.push(0);
    }

    /// The presentation form with a trailing dot, escaping as RFC 1035 §5.1 does.
    pub fn to_fqdn(&self) -> String {
        let mut out = self.to_string();
        if !self.is_root() {
            out.push('.');
        }
        out
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Self) -> bool {
        self.labels.len() == other.labels.len()
            && self
                .labels
                .iter()
                .zip(&other.labels)
                .all(|(a, b)| a.eq_ignore_ascii_case(b))
    }
}

impl core::hash::Hash for Name {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        for label in &self.labels {
            label.len().hash(state);
            for b in label {
                b.to_ascii_lowercase().hash(state);
            }
        }
    }
}

/// Presentation form without the trailing dot (`example.com`); the root prints as `.`.
impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.labels.is_empty() {
            return f.write_str(".");
        }
        for (i, label) in self.labels.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            for &b in label {
                match b {
                    b'.' | b'\\' | b'"' | b'(' | b')' | b';' | b'@' | b'$' => {
                        write!(f, "\\{}", char::from(b))?;
                    }
                    0x21..=0x7e => write!(f, "{}", char::from(b))?,
                    _ => write!(f, "\\{b:03}")?,
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_with_or_without_trailing_dot_and_compare_case_insensitively() {
        let a = Name::parse("Example.COM.").unwrap();
        let b = Name::parse("example.com").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.labels().len(), 2);
        assert_eq!(b.to_fqdn(), "example.com.");
        assert!(Name::parse(".").unwrap().is_root());
        assert_eq!(Name::root().to_fqdn(), ".");
    }

    #[test]
    fn escapes_round_trip_through_presentation() {
        let name = Name::parse(r"a\.b.c\032d.example").unwrap();
        assert_eq!(name.labels()[0], b"a.b");
        assert_eq!(name.labels()[1], b"c d");
        assert_eq!(name.to_string(), r"a\.b.c\032d.example");
        assert_eq!(Name::parse(&name.to_string()).unwrap(), name);
    }

    #[test]
    fn an_escaped_final_dot_belongs_to_the_label() {
        let name = Name::parse(r"a\.").unwrap();
        assert_eq!(name.labels(), [b"a.".to_vec()]);
        assert_eq!(Name::parse(&name.to_string()).unwrap(), name);
        let two = Name::parse(r"a\\.").unwrap();
        assert_eq!(
            two.labels(),
            [b"a\\".to_vec()],
            "an escaped backslash, then the root dot"
        );
    }

    #[test]
    fn length_limits_are_enforced_with_positions() {
        assert_eq!(
            Name::parse("a..b"),
            Err(NameError::EmptyLabel { offset: 2 })
        );
        let long = "x".repeat(64);
        assert_eq!(
            Name::parse(&format!("ok.{long}")),
            Err(NameError::LabelTooLong { offset: 3, len: 64 })
        );
        let many = ["abcdefghi"; 26].join(".");
        assert!(matches!(
            Name::parse(&many),
            Err(NameError::NameTooLong { len: 261 })
        ));
        // a lone backslash at the end is not a panic
        assert!(Name::parse("abc\\").is_ok());
        assert_eq!(
            Name::parse(r"a\256b"),
            Err(NameError::BadEscape { offset: 1 })
        );
    }
}
