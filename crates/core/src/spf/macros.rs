//! SPF macro strings (RFC 7208 §7): parsing with nom, printing, and expansion.
//!
//! ```text
//! macro-string  = *( macro-expand / macro-literal )
//! macro-expand  = ( "%{" macro-letter transformers *delimiter "}" ) / "%%" / "%_" / "%-"
//! macro-literal = %x21-24 / %x26-7E
//! macro-letter  = "s" / "l" / "o" / "d" / "i" / "p" / "h" / "c" / "r" / "t" / "v"
//! transformers  = *DIGIT [ "r" ]
//! delimiter     = "." / "-" / "+" / "," / "/" / "_" / "="
//! ```

use core::fmt;

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while, take_while1};
use nom::character::complete::{char as ch, digit0, one_of};
use nom::combinator::{map, opt, value};
use nom::multi::many0;
use nom::{IResult, Parser};

/// One piece of a macro string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Literal text (`macro-literal`).
    Literal(String),
    /// `%%`: a percent sign.
    Percent,
    /// `%_`: a space.
    Space,
    /// `%-`: a URL-encoded space (`%20`).
    UrlSpace,
    /// `%{…}`.
    Macro(Macro),
}

/// `%{letter digits r delimiters}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Macro {
    /// The letter, lower-case.
    pub letter: char,
    /// An upper-case letter asks for URL escaping (§7.3).
    pub url_escape: bool,
    /// Keep only the rightmost N parts.
    pub keep: Option<u32>,
    /// Reverse the parts.
    pub reverse: bool,
    /// Characters to split on (default `.`), as written.
    pub delimiters: String,
}

/// A macro string.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MacroString(pub Vec<Piece>);

impl MacroString {
    /// Whether it holds any `%{…}` macro (its meaning depends on the message being checked).
    pub fn has_macros(&self) -> bool {
        self.0.iter().any(|p| matches!(p, Piece::Macro(_)))
    }

    /// The letters used, for checks such as "c, r and t only in exp".
    pub fn letters(&self) -> impl Iterator<Item = char> + '_ {
        self.0.iter().filter_map(|p| match p {
            Piece::Macro(m) => Some(m.letter),
            _ => None,
        })
    }

    /// The text when there are no macros.
    pub fn literal(&self) -> Option<String> {
        let mut out = String::new();
        for piece in &self.0 {
            match piece {
                Piece::Literal(s) => out.push_str(s),
                Piece::Percent => out.push('%'),
                Piece::Space => out.push(' '),
                Piece::UrlSpace => out.push_str("%20"),
                Piece::Macro(_) => return None,
            }
        }
        Some(out)
    }
}

fn is_literal(c: char) -> bool {
    matches!(c, '\x21'..='\x24' | '\x26'..='\x7e')
}

fn macro_expand(input: &str) -> IResult<&str, Piece> {
    alt((
        value(Piece::Percent, tag("%%")),
        value(Piece::Space, tag("%_")),
        value(Piece::UrlSpace, tag("%-")),
        map(
            (
                tag("%{"),
                one_of("slodiphcrtvSLODIPHCRTV"),
                digit0,
                opt(one_of("rR")),
                take_while(|c| matches!(c, '.' | '-' | '+' | ',' | '/' | '_' | '=')),
                ch('}'),
            ),
            |(_, letter, digits, reverse, delimiters, _): (_, char, &str, _, &str, _)| {
                Piece::Macro(Macro {
                    letter: letter.to_ascii_lowercase(),
                    url_escape: letter.is_ascii_uppercase(),
                    // Digits past u32 saturate; §7.3 caps them at 128 anyway.
                    keep: (!digits.is_empty()).then(|| digits.parse().unwrap_or(u32::MAX)),
                    reverse: reverse.is_some(),
                    delimiters: delimiters.to_owned(),
                })
            },
        ),
    ))
    .parse(input)
}

fn macro_literal(input: &str) -> IResult<&str, Piece> {
    map(take_while1(is_literal), |s: &str| {
        Piece::Literal(s.to_owned())
    })
    .parse(input)
}

/// Parses a whole macro string; on failure, the byte offset where it stops being one.
pub fn parse_macro_string(text: &str) -> Result<MacroString, usize> {
    let (rest, pieces) = many0(alt((macro_expand, macro_literal)))
        .parse(text)
        .map_err(|_| 0usize)?;
    if rest.is_empty() {
        Ok(MacroString(pieces))
    } else {
        Err(text.len() - rest.len())
    }
}

impl fmt::Display for MacroString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for piece in &self.0 {
            match piece {
                Piece::Literal(s) => f.write_str(s)?,
                Piece::Percent => f.write_str("%%")?,
                Piece::Space => f.write_str("%_")?,
                Piece::UrlSpace => f.write_str("%-")?,
                Piece::Macro(m) => {
                    let letter = if m.url_escape {
                        m.letter.to_ascii_uppercase()
                    } else {
                        m.letter
                    };
                    write!(f, "%{{{letter}")?;
                    if let Some(keep) = m.keep {
                        write!(f, "{keep}")?;
                    }
                    if m.reverse {
                        f.write_str("r")?;
                    }
                    write!(f, "{}}}", m.delimiters)?;
                }
            }
        }
        Ok(())
    }
}

/// The values the macro letters stand for (§7.2).
#[derive(Clone, Debug, Default)]
pub struct MacroValues {
    /// `s`: the sender (`local@domain`).
    pub sender: String,
    /// `l`: the local part.
    pub local: String,
    /// `o`: the sender's domain.
    pub sender_domain: String,
    /// `d`: the domain being checked now.
    pub domain: String,
    /// `i`: the IP in its macro form (dotted quad, or dot-separated nibbles for IPv6).
    pub ip_dotted: String,
    /// `c`: the IP in its readable form.
    pub ip_readable: String,
    /// `v`: `in-addr` or `ip6`.
    pub ip_version: &'static str,
    /// `h`: the HELO/EHLO domain.
    pub helo: String,
    /// `p`: the validated domain of the IP (`unknown` when none), filled in on first use.
    pub validated: Option<String>,
    /// `r`: the checking host.
    pub receiver: String,
    /// `t`: seconds since the Unix epoch.
    pub timestamp: u64,
}

/// Why a macro could not be expanded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpandError {
    /// `c`, `r` or `t` outside an explanation (§7.2).
    ExplanationOnly(char),
    /// `p` was used but its value was not supplied.
    NeedsPtr,
}

/// Expands a macro string. `in_exp` allows `c`, `r` and `t`.
pub fn expand(
    macro_string: &MacroString,
    values: &MacroValues,
    in_exp: bool,
) -> Result<String, ExpandError> {
    let mut out = String::new();
    for piece in &macro_string.0 {
        match piece {
            Piece::Literal(s) => out.push_str(s),
            Piece::Percent => out.push('%'),
            Piece::Space => out.push(' '),
            Piece::UrlSpace => out.push_str("%20"),
            Piece::Macro(m) => {
                let raw: String = match m.letter {
                    's' => values.sender.clone(),
                    'l' => values.local.clone(),
                    'o' => values.sender_domain.clone(),
                    'd' => values.domain.clone(),
                    'i' => values.ip_dotted.clone(),
                    'v' => values.ip_version.to_owned(),
                    'h' => values.helo.clone(),
                    'p' => values.validated.clone().ok_or(ExpandError::NeedsPtr)?,
                    'c' if in_exp => values.ip_readable.clone(),
                    'r' if in_exp => values.receiver.clone(),
                    't' if in_exp => values.timestamp.to_string(),
                    other => return Err(ExpandError::ExplanationOnly(other)),
                };
                let transformed = transform(&raw, m);
                if m.url_escape {
                    url_escape(&transformed, &mut out);
                } else {
                    out.push_str(&transformed);
                }
            }
        }
    }
    Ok(out)
}

/// Splits on the delimiters, reverses, keeps the rightmost parts, joins with dots (§7.3).
fn transform(value: &str, m: &Macro) -> String {
    if m.keep.is_none() && !m.reverse && m.delimiters.is_empty() {
        return value.to_owned();
    }
    let delimiters = if m.delimiters.is_empty() {
        "."
    } else {
        m.delimiters.as_str()
    };
    let mut parts: Vec<&str> = value.split(|c| delimiters.contains(c)).collect();
    if m.reverse {
        parts.reverse();
    }
    if let Some(keep) = m.keep
        && keep > 0
    {
        let keep = usize::try_from(keep).unwrap_or(usize::MAX);
        if parts.len() > keep {
            parts.drain(..parts.len() - keep);
        }
    }
    parts.join(".")
}

/// URL escaping (§7.3): everything but the unreserved characters of RFC 3986.
fn url_escape(text: &str, out: &mut String) {
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> MacroValues {
        // RFC 7208 §7.4's example values.
        MacroValues {
            sender: "strong-bad@email.example.com".into(),
            local: "strong-bad".into(),
            sender_domain: "email.example.com".into(),
            domain: "email.example.com".into(),
            ip_dotted: "192.0.2.3".into(),
            ip_readable: "192.0.2.3".into(),
            ip_version: "in-addr",
            helo: "mx.example.org".into(),
            validated: Some("mx.example.org".into()),
            receiver: "unknown".into(),
            timestamp: 0,
        }
    }

    fn x(text: &str) -> String {
        expand(&parse_macro_string(text).unwrap(), &values(), false).unwrap()
    }

    #[test]
    fn rfc_7208_section_7_4_examples() {
        assert_eq!(x("%{s}"), "strong-bad@email.example.com");
        assert_eq!(x("%{o}"), "email.example.com");
        assert_eq!(x("%{d}"), "email.example.com");
        assert_eq!(x("%{d4}"), "email.example.com");
        assert_eq!(x("%{d3}"), "email.example.com");
        assert_eq!(x("%{d2}"), "example.com");
        assert_eq!(x("%{d1}"), "com");
        assert_eq!(x("%{dr}"), "com.example.email");
        assert_eq!(x("%{d2r}"), "example.email");
        assert_eq!(x("%{l}"), "strong-bad");
        assert_eq!(x("%{l-}"), "strong.bad");
        assert_eq!(x("%{lr}"), "strong-bad");
        assert_eq!(x("%{lr-}"), "bad.strong");
        assert_eq!(x("%{l1r-}"), "strong");
        assert_eq!(
            x("%{ir}.%{v}._spf.%{d2}"),
            "3.2.0.192.in-addr._spf.example.com"
        );
        assert_eq!(x("%{lr-}.lp._spf.%{d2}"), "bad.strong.lp._spf.example.com");
        assert_eq!(
            x("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}"),
            "bad.strong.lp.3.2.0.192.in-addr._spf.example.com"
        );
        assert_eq!(
            x("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}"),
            "3.2.0.192.in-addr.strong.lp._spf.example.com"
        );
        assert_eq!(
            x("%{d2}.trusted-domains.example.net"),
            "example.com.trusted-domains.example.net"
        );
        assert_eq!(x("%{S}"), "strong-bad%40email.example.com");
        assert_eq!(x("%%%_%-"), "% %20");
    }

    #[test]
    fn bad_macro_strings_say_where() {
        assert_eq!(parse_macro_string("a%{x}"), Err(1));
        assert_eq!(parse_macro_string("abc%"), Err(3));
        assert_eq!(parse_macro_string("%{d"), Err(0));
        assert_eq!(parse_macro_string("a b"), Err(1));
    }

    #[test]
    fn explanation_only_letters_are_refused_elsewhere() {
        let m = parse_macro_string("%{c}").unwrap();
        assert_eq!(
            expand(&m, &values(), false),
            Err(ExpandError::ExplanationOnly('c'))
        );
        assert_eq!(expand(&m, &values(), true).unwrap(), "192.0.2.3");
    }

    #[test]
    fn printing_is_canonical_and_parses_back() {
        for text in ["%{d2r+-}x.%{L}%%%_%-", "", "v=%{ir}.%{v}"] {
            let m = parse_macro_string(text).unwrap();
            assert_eq!(parse_macro_string(&m.to_string()).unwrap(), m);
        }
    }
}
