//! Presentation format (RFC 1035 §5.1): how records print in a zone file and on the page.
//!
//! Character-strings are printed quoted, with `"` and `\` escaped and bytes outside printable
//! ASCII as `\DDD`, so any bytes round-trip and nothing a record holds can pass for markup or
//! for another string. Unknown types print in the RFC 3597 `\# len hex` form.

use core::fmt;

use super::RData;

/// Escapes one character-string's bytes for display, without the surrounding quotes.
pub fn escape_string(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        match b {
            b'"' | b'\\' => {
                out.push('\\');
                out.push(char::from(b));
            }
            0x20..=0x7e => out.push(char::from(b)),
            _ => out.push_str(&format!("\\{b:03}")),
        }
    }
    out
}

impl fmt::Display for RData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::A(ip) => write!(f, "{ip}"),
            Self::Aaaa(ip) => write!(f, "{ip}"),
            Self::Cname(name) | Self::Ns(name) | Self::Ptr(name) => {
                write!(f, "{}", name.to_fqdn())
            }
            Self::Mx {
                preference,
                exchange,
            } => write!(f, "{preference} {}", exchange.to_fqdn()),
            Self::Txt(strings) => {
                for (i, s) in strings.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    write!(f, "\"{}\"", escape_string(s))?;
                }
                Ok(())
            }
            Self::Soa {
                mname,
                rname,
                serial,
                refresh,
                retry,
                expire,
                minimum,
            } => write!(
                f,
                "{} {} {serial} {refresh} {retry} {expire} {minimum}",
                mname.to_fqdn(),
                rname.to_fqdn()
            ),
            Self::Srv {
                priority,
                weight,
                port,
                target,
            } => write!(f, "{priority} {weight} {port} {}", target.to_fqdn()),
            Self::Caa { flags, tag, value } => write!(
                f,
                "{flags} {} \"{}\"",
                escape_string(tag),
                escape_string(value)
            ),
            Self::Tlsa {
                usage,
                selector,
                matching,
                data,
            } => {
                write!(f, "{usage} {selector} {matching} ")?;
                for b in data {
                    write!(f, "{b:02X}")?;
                }
                Ok(())
            }
            Self::Nsec { next, types } => {
                f.write_str(&next.to_fqdn())?;
                for t in types {
                    write!(f, " {t}")?;
                }
                Ok(())
            }
            Self::Unknown(bytes) => {
                write!(f, "\\# {}", bytes.len())?;
                if !bytes.is_empty() {
                    f.write_str(" ")?;
                    for b in bytes {
                        write!(f, "{b:02x}")?;
                    }
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::Name;

    #[test]
    fn txt_prints_each_string_quoted_and_escaped() {
        let txt = RData::Txt(vec![b"v=spf1 \"a\"".to_vec(), vec![b'x', 0, 0xff, b'\\']]);
        assert_eq!(txt.to_string(), r#""v=spf1 \"a\"" "x\000\255\\""#);
    }

    #[test]
    fn markup_stays_text() {
        assert_eq!(escape_string(b"<script>"), "<script>");
        assert_eq!(escape_string("é".as_bytes()), r"\195\169");
    }

    #[test]
    fn other_types_print_in_zone_file_form() {
        let mx = RData::Mx {
            preference: 10,
            exchange: Name::parse("mx.example.com").unwrap(),
        };
        assert_eq!(mx.to_string(), "10 mx.example.com.");
        assert_eq!(
            RData::A("192.0.2.1".parse().unwrap()).to_string(),
            "192.0.2.1"
        );
        assert_eq!(RData::Unknown(vec![0xab, 1]).to_string(), r"\# 2 ab01");
        assert_eq!(RData::Unknown(vec![]).to_string(), r"\# 0");
        let srv = RData::Srv {
            priority: 0,
            weight: 1,
            port: 993,
            target: Name::parse("imap.example.com").unwrap(),
        };
        assert_eq!(srv.to_string(), "0 1 993 imap.example.com.");
        let caa = RData::Caa {
            flags: 0,
            tag: b"issue".to_vec(),
            value: b"letsencrypt.org".to_vec(),
        };
        assert_eq!(caa.to_string(), r#"0 issue "letsencrypt.org""#);
        let tlsa = RData::Tlsa {
            usage: 3,
            selector: 1,
            matching: 1,
            data: vec![0xab, 0x01],
        };
        assert_eq!(tlsa.to_string(), "3 1 1 AB01");
    }
}

/// A number of seconds in words, to the two largest units: `1 hour`, `5 minutes 30 seconds`,
/// `2 days 3 hours`.
pub fn duration_words(seconds: u32) -> String {
    const UNITS: [(u32, &str); 4] = [
        (86_400, "day"),
        (3600, "hour"),
        (60, "minute"),
        (1, "second"),
    ];
    let mut parts = Vec::new();
    let mut rest = seconds;
    for (size, unit) in UNITS {
        let n = rest / size;
        if n > 0 && parts.len() < 2 {
            parts.push(format!("{n} {unit}{}", if n == 1 { "" } else { "s" }));
            rest -= n * size;
        } else if !parts.is_empty() {
            // Only adjacent units: "1 day 5 seconds" reads worse than "1 day".
            break;
        }
    }
    if parts.is_empty() {
        "0 seconds".to_owned()
    } else {
        parts.join(" ")
    }
}

#[cfg(test)]
mod duration_tests {
    use super::duration_words;

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration_words(0), "0 seconds");
        assert_eq!(duration_words(1), "1 second");
        assert_eq!(duration_words(300), "5 minutes");
        assert_eq!(duration_words(330), "5 minutes 30 seconds");
        assert_eq!(duration_words(3600), "1 hour");
        assert_eq!(duration_words(86_400 + 7200 + 5), "1 day 2 hours");
        assert_eq!(duration_words(86_405), "1 day");
        assert_eq!(duration_words(u32::MAX), "49710 days 6 hours");
    }
}
