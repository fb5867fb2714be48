//! What people type into a "domain" box, turned into the name to ask about.
//!
//! Users paste `https://www.example.com/path`, `user@example.com`, `<mailto:a@b>`, names with
//! spaces around them or a trailing dot, Unicode names, and IP addresses. [`normalise`] takes
//! the name out of each, says what it did in a visible note, and gives the name in both forms:
//! the A-labels that go on the wire and the Unicode form people recognise.
//!
//! Unicode to A-labels is UTS 46 processing, whose mapping tables are large; core does not
//! carry them. The caller supplies a [`ToAscii`]: the browser's own URL parser in the app (UTS
//! 46 as the WHATWG URL standard applies it, at no cost in bundle size) and the `idna` crate in
//! the CLI. The way back, A-labels to Unicode for display, is RFC 3492 Punycode decoding, which
//! is small and lives here ([`punycode_decode`]).

use core::fmt;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::{Name, RecordType};

/// UTS 46 ToASCII of a whole domain name (for names with non-ASCII characters).
pub trait ToAscii {
    /// The A-label form, or why the name cannot be converted.
    fn to_ascii(&self, domain: &str) -> Result<String, String>;
}

/// The name to ask about, and how it was found in what was typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The name in A-labels, as queried.
    pub name: Name,
    /// The name with A-labels decoded, when it has any (`bücher.example`).
    pub unicode: Option<String>,
    /// What was changed, in plain words, in order.
    pub notes: Vec<String>,
    /// The address typed, when the name is its reverse (PTR) name.
    pub reverse_of: Option<IpAddr>,
}

impl Target {
    /// The record type to ask for when the user did not choose one: PTR for an address.
    pub fn default_type(&self, otherwise: RecordType) -> RecordType {
        if self.reverse_of.is_some() {
            RecordType::PTR
        } else {
            otherwise
        }
    }

    /// The name for people: `xn--bcher-kva.example (bücher.example)`.
    pub fn display(&self) -> String {
        match &self.unicode {
            Some(unicode) => format!("{} ({unicode})", self.name),
            None => self.name.to_string(),
        }
    }
}

/// Why no name could be taken from the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputError {
    Empty,
    /// A character that cannot be in a name, at a character offset of the cleaned input.
    BadCharacter {
        character: char,
        at: usize,
        name: String,
    },
    /// The Unicode name could not be converted.
    Idna {
        name: String,
        reason: String,
    },
    /// The name breaks a DNS rule (an empty label, a label over 63 bytes, over 255 in all).
    Invalid {
        name: String,
        reason: String,
    },
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => {
                f.write_str("Enter a domain name, an email address, a URL or an IP address.")
            }
            Self::BadCharacter {
                character,
                at,
                name,
            } => {
                let shown = match character {
                    ' ' => "a space".to_owned(),
                    c if c.is_control() || c.is_whitespace() || is_zero_width(*c) => {
                        format!("an invisible character (U+{:04X})", u32::from(*c))
                    }
                    c => format!("{c:?}"),
                };
                write!(
                    f,
                    "{name:?} has {shown} at character {}; a domain name has only letters, \
                     digits, hyphens and dots.",
                    at + 1
                )
            }
            Self::Idna { name, reason } => {
                write!(
                    f,
                    "{name:?} is not a valid international domain name: {reason}."
                )
            }
            Self::Invalid { name, reason } => write!(f, "{name:?} is not a valid name: {reason}."),
        }
    }
}

/// Characters that are never part of a name someone types: URL and mail syntax, spaces,
/// controls. (`_` is allowed: `_dmarc`, `_domainkey`, `_mta-sts`; `*` for wildcards.)
fn forbidden(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '/' | '\\'
                | ':'
                | '?'
                | '#'
                | '@'
                | '<'
                | '>'
                | '['
                | ']'
                | '%'
                | '"'
                | '\''
                | ','
                | ';'
                | '|'
                | '^'
                | '`'
                | '{'
                | '}'
                | '('
                | ')'
                | '='
        )
        || is_zero_width(c)
}

/// Invisible characters that ride along in pastes from web pages and documents.
fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}')
}

/// Dots people type in other scripts; UTS 46 maps them to `.`.
fn is_dot(c: char) -> bool {
    matches!(c, '.' | '\u{3002}' | '\u{ff0e}' | '\u{ff61}')
}

/// Takes the name out of what was typed. See the module documentation.
pub fn normalise(input: &str, idna: &impl ToAscii) -> Result<Target, InputError> {
    let mut notes = Vec::new();
    let invisible = |c: char| c.is_whitespace() || matches!(c, '\u{200b}' | '\u{feff}');
    let trimmed = input.trim_matches(invisible);
    if trimmed.len() != input.len() && !trimmed.is_empty() {
        notes.push("Removed the spaces around what was typed.".to_owned());
    }
    let mut text = trimmed;
    // Pasted from mail: `<user@example.com>`, `"user@example.com"`.
    for (open, close) in [('<', '>'), ('"', '"'), ('\'', '\'')] {
        if let Some(inner) = text.strip_prefix(open).and_then(|t| t.strip_suffix(close)) {
            text = inner.trim_matches(invisible);
        }
    }
    if text.is_empty() {
        return Err(InputError::Empty);
    }

    let mut host = text;
    let lower = text.to_ascii_lowercase();
    if let Some(at) = lower.find("://") {
        let after = &text[at + 3..];
        let authority = after.split(['/', '?', '#']).next().unwrap_or("");
        let authority = authority.rsplit('@').next().unwrap_or(authority);
        host = strip_port(authority);
        notes.push(format!("Used the host name from the URL: {host}."));
    } else if let Some(address) = lower.strip_prefix("mailto:").map(|_| &text[7..]) {
        host = address.rsplit('@').next().unwrap_or(address);
        let host = host.split('?').next().unwrap_or(host);
        notes.push(format!("Used the domain of the address {address}: {host}."));
        return finish(host, notes, idna);
    } else if let Some((local, domain)) = text.rsplit_once('@') {
        host = domain;
        notes.push(format!(
            "Used the domain of the email address {local}@{domain}: {domain}."
        ));
    } else if !text.contains(':') && text.contains('/') {
        // `example.com/page` without a scheme.
        host = text.split('/').next().unwrap_or(text);
        notes.push(format!("Used the host name before the path: {host}."));
    }
    finish(host, notes, idna)
}

/// `host:port` and `[v6]:port` to the host.
fn strip_port(authority: &str) -> &str {
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next().unwrap_or(v6);
    }
    match authority.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => authority,
    }
}

fn finish(host: &str, mut notes: Vec<String>, idna: &impl ToAscii) -> Result<Target, InputError> {
    if host.is_empty() {
        return Err(InputError::Empty);
    }
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if let Ok(ip) = bare.parse::<IpAddr>() {
        let name = reverse_name(ip);
        notes.push(format!(
            "{ip} is an IP address: asking for its reverse name {name} (PTR)."
        ));
        return Ok(Target {
            name,
            unicode: None,
            notes,
            reverse_of: Some(ip),
        });
    }

    let mut host = host.to_owned();
    if host.ends_with(is_dot) && host.chars().count() > 1 {
        host.pop();
        notes.push(
            "Removed the trailing dot: it marks a fully qualified name, and mxray always asks \
             for the name as fully qualified."
                .to_owned(),
        );
    }
    if let Some((at, character)) = host.chars().enumerate().find(|&(_, c)| forbidden(c)) {
        return Err(InputError::BadCharacter {
            character,
            at,
            name: host,
        });
    }
    let ascii = if host.is_ascii() {
        host.clone()
    } else {
        let converted = idna.to_ascii(&host).map_err(|reason| InputError::Idna {
            name: host.clone(),
            reason,
        })?;
        let converted = converted.trim_end_matches('.').to_owned();
        notes.push(format!(
            "{host} is an international name: asking for its A-label form {converted}."
        ));
        converted
    };
    let name = Name::parse(&ascii).map_err(|e| InputError::Invalid {
        name: ascii.clone(),
        reason: e.to_string(),
    })?;
    if name.is_root() {
        return Err(InputError::Empty);
    }
    Ok(Target {
        unicode: to_unicode(&name),
        name,
        notes,
        reverse_of: None,
    })
}

/// The reverse (PTR) name of an address: `4.3.2.1.in-addr.arpa`, or the nibbles of an IPv6
/// address under `ip6.arpa` (RFC 3596 §2.5).
pub fn reverse_name(ip: IpAddr) -> Name {
    let mut labels: Vec<Vec<u8>> = match ip {
        IpAddr::V4(v4) => v4
            .octets()
            .iter()
            .rev()
            .map(|o| o.to_string().into_bytes())
            .collect(),
        IpAddr::V6(v6) => v6
            .octets()
            .iter()
            .rev()
            .flat_map(|o| [o & 0x0f, o >> 4])
            .map(|n| vec![b"0123456789abcdef"[usize::from(n)]])
            .collect(),
    };
    let suffix: &[&[u8]] = match ip {
        IpAddr::V4(_) => &[b"in-addr", b"arpa"],
        IpAddr::V6(_) => &[b"ip6", b"arpa"],
    };
    labels.extend(suffix.iter().map(|l| l.to_vec()));
    Name::from_labels(labels).unwrap_or_default()
}

/// The address a reverse name stands for, if it is a complete one.
pub fn reverse_address(name: &Name) -> Option<IpAddr> {
    let labels = name.labels();
    let lower: Vec<String> = labels
        .iter()
        .map(|l| String::from_utf8_lossy(l).to_ascii_lowercase())
        .collect();
    match lower.as_slice() {
        [d, c, b, a, in_addr, arpa] if in_addr == "in-addr" && arpa == "arpa" => {
            let octet = |s: &str| {
                (s.len() <= 3 && !(s.len() > 1 && s.starts_with('0')))
                    .then(|| s.parse::<u8>().ok())
                    .flatten()
            };
            Some(IpAddr::V4(Ipv4Addr::new(
                octet(a)?,
                octet(b)?,
                octet(c)?,
                octet(d)?,
            )))
        }
        [nibbles @ .., ip6, arpa] if nibbles.len() == 32 && ip6 == "ip6" && arpa == "arpa" => {
            let mut bits = 0u128;
            for nibble in nibbles.iter().rev() {
                let [digit] = nibble.as_bytes() else {
                    return None;
                };
                bits = bits << 4 | u128::from(char::from(*digit).to_digit(16)?);
            }
            Some(IpAddr::V6(Ipv6Addr::from(bits)))
        }
        _ => None,
    }
}

/// The Unicode form of a name with A-labels (`xn--…`), `None` when it has none or one does not
/// decode.
pub fn to_unicode(name: &Name) -> Option<String> {
    let mut any = false;
    let mut labels = Vec::with_capacity(name.labels().len());
    for label in name.labels() {
        let text = core::str::from_utf8(label).ok()?;
        match text
            .get(..4)
            .filter(|p| p.eq_ignore_ascii_case("xn--"))
            .map(|_| &text[4..])
        {
            Some(encoded) => {
                labels.push(punycode_decode(&encoded.to_ascii_lowercase())?);
                any = true;
            }
            None => labels.push(text.to_owned()),
        }
    }
    any.then(|| labels.join("."))
}

/// RFC 3492 §6.2: a Punycode string (without `xn--`) to Unicode. `None` for anything that is
/// not valid Punycode, including overflow.
pub fn punycode_decode(input: &str) -> Option<String> {
    const BASE: u32 = 36;
    const T_MIN: u32 = 1;
    const T_MAX: u32 = 26;
    const SKEW: u32 = 38;
    const DAMP: u32 = 700;
    const INITIAL_BIAS: u32 = 72;
    const INITIAL_N: u32 = 128;

    fn adapt(mut delta: u32, points: u32, first: bool) -> u32 {
        delta /= if first { DAMP } else { 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - T_MIN) * T_MAX) / 2 {
            delta /= BASE - T_MIN;
            k += BASE;
        }
        k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
    }

    if !input.is_ascii() {
        return None;
    }
    let (basic, encoded) = match input.rfind('-') {
        Some(at) => (&input[..at], &input[at + 1..]),
        None => ("", input),
    };
    let mut output: Vec<char> = basic.chars().collect();
    let (mut n, mut i, mut bias) = (INITIAL_N, 0u32, INITIAL_BIAS);
    let mut digits = encoded.bytes().peekable();
    while digits.peek().is_some() {
        let old_i = i;
        let mut w = 1u32;
        let mut k = BASE;
        loop {
            let digit = match digits.next()? {
                c @ b'a'..=b'z' => u32::from(c - b'a'),
                c @ b'A'..=b'Z' => u32::from(c - b'A'),
                c @ b'0'..=b'9' => u32::from(c - b'0') + 26,
                _ => return None,
            };
            i = i.checked_add(digit.checked_mul(w)?)?;
            let t = if k <= bias {
                T_MIN
            } else if k >= bias + T_MAX {
                T_MAX
            } else {
                k - bias
            };
            if digit < t {
                break;
            }
            w = w.checked_mul(BASE - t)?;
            k += BASE;
        }
        let points = u32::try_from(output.len()).ok()? + 1;
        bias = adapt(i - old_i, points, old_i == 0);
        n = n.checked_add(i / points)?;
        i %= points;
        output.insert(usize::try_from(i).ok()?, char::from_u32(n)?);
        i += 1;
    }
    Some(output.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lower-cases ASCII and converts the few Unicode names the tests use, as UTS 46 would.
    struct Table;
    impl ToAscii for Table {
        fn to_ascii(&self, domain: &str) -> Result<String, String> {
            match domain.to_lowercase().as_str() {
                "bücher.example" => Ok("xn--bcher-kva.example".into()),
                "bücher。example" => Ok("xn--bcher-kva.example".into()),
                "münchen.de" => Ok("xn--mnchen-3ya.de".into()),
                other => Err(format!("{other} has a disallowed character")),
            }
        }
    }

    /// A caller that converts nothing.
    struct AsciiOnly;
    impl ToAscii for AsciiOnly {
        fn to_ascii(&self, _domain: &str) -> Result<String, String> {
            Err("Unicode names are not supported here; enter the xn-- form".into())
        }
    }

    fn ok(input: &str) -> Target {
        normalise(input, &Table).unwrap_or_else(|e| panic!("{input:?}: {e}"))
    }

    #[test]
    fn plain_names_pass_unchanged_and_without_notes() {
        let t = ok("example.com");
        assert_eq!(t.name.to_string(), "example.com");
        assert!(t.notes.is_empty());
        assert_eq!(t.unicode, None);
        assert_eq!(
            ok("_dmarc.Example.COM").name.to_string(),
            "_dmarc.Example.COM"
        );
    }

    #[test]
    fn urls_addresses_spaces_and_trailing_dots_are_cleaned_with_a_note() {
        for (input, name, note) in [
            ("https://www.example.com/path?q=1", "www.example.com", "URL"),
            ("HTTP://user:pw@example.com:8443/", "example.com", "URL"),
            ("http://[2001:db8::1]:80/", "1.0.0.0", "IP address"),
            ("user@example.com", "example.com", "email address"),
            ("<postmaster@example.org>", "example.org", "email address"),
            (
                "mailto:dmarc@example.net?subject=x",
                "example.net",
                "address",
            ),
            ("  example.com \t", "example.com", "spaces"),
            ("\u{feff}example.com", "example.com", "spaces"),
            ("example.com.", "example.com", "trailing dot"),
            ("example.com/contact", "example.com", "path"),
        ] {
            let t = ok(input);
            assert!(
                t.name.to_string().starts_with(name),
                "{input:?} gave {}",
                t.name
            );
            assert!(
                t.notes.iter().any(|n| n.contains(note)),
                "{input:?}: {:?}",
                t.notes
            );
        }
    }

    #[test]
    fn ip_addresses_ask_for_their_ptr_name() {
        let t = ok("192.0.2.25");
        assert_eq!(t.name.to_string(), "25.2.0.192.in-addr.arpa");
        assert_eq!(t.default_type(RecordType::A), RecordType::PTR);
        let t = ok("2001:db8::1");
        assert_eq!(
            t.name.to_string(),
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"
        );
        assert_eq!(reverse_address(&t.name), t.reverse_of);
        assert_eq!(
            reverse_address(&Name::parse("25.2.0.192.IN-ADDR.ARPA").unwrap()),
            Some("192.0.2.25".parse().unwrap())
        );
        assert_eq!(
            reverse_address(&Name::parse("2.0.192.in-addr.arpa").unwrap()),
            None
        );
        assert_eq!(
            reverse_address(&Name::parse("256.2.0.192.in-addr.arpa").unwrap()),
            None
        );
        assert_eq!(
            reverse_address(&Name::parse("01.2.0.192.in-addr.arpa").unwrap()),
            None
        );
    }

    #[test]
    fn unicode_names_go_to_a_labels_and_are_shown_both_ways() {
        let t = ok("Bücher.example");
        assert_eq!(t.name.to_string(), "xn--bcher-kva.example");
        assert_eq!(t.unicode.as_deref(), Some("bücher.example"));
        assert!(t.notes[0].contains("xn--bcher-kva.example"));
        assert_eq!(t.display(), "xn--bcher-kva.example (bücher.example)");
        // An A-label typed directly is shown decoded too, with nothing to note.
        let t = ok("xn--mnchen-3ya.de");
        assert_eq!(t.unicode.as_deref(), Some("münchen.de"));
        assert!(t.notes.is_empty());
        // The ideographic full stop ends a name like a dot.
        assert_eq!(
            ok("bücher。example。").name.to_string(),
            "xn--bcher-kva.example"
        );
    }

    #[test]
    fn bad_input_says_what_and_where() {
        assert_eq!(normalise("   ", &Table), Err(InputError::Empty));
        assert_eq!(normalise("https:///x", &Table), Err(InputError::Empty));
        let e = normalise("exa mple.com", &Table).unwrap_err();
        assert!(e.to_string().contains("a space at character 4"), "{e}");
        let e = normalise("example.com\u{200b}x", &Table).unwrap_err();
        assert!(e.to_string().contains("U+200B"), "{e}");
        let e = normalise("ex..com", &Table).unwrap_err();
        assert!(matches!(e, InputError::Invalid { .. }), "{e}");
        let e = normalise("a\u{2603}.example", &Table).unwrap_err();
        assert!(e.to_string().contains("not a valid international"), "{e}");
        let e = normalise(&format!("{}.com", "a".repeat(64)), &Table).unwrap_err();
        assert!(e.to_string().contains("63"), "{e}");
        let e = normalise("ünïcode.example", &AsciiOnly).unwrap_err();
        assert!(e.to_string().contains("xn--"), "{e}");
    }

    #[test]
    fn punycode_decodes_the_rfc_3492_samples() {
        for (encoded, decoded) in [
            ("bcher-kva", "bücher"),
            ("mnchen-3ya", "münchen"),
            ("ihqwcrb4cv8a8dqg056pqjye", "他们为什么不说中文"),
            ("ihqwctvzc91f659drss3x8bo0yb", "他們爲什麽不說中文"),
            ("egbpdaj6bu4bxfgehfvwxn", "ليهمابتكلموشعربي؟"),
            ("3B-ww4c5e180e575a65lsy2b", "3年B組金八先生"),
            ("-> $1.00 <--", "-> $1.00 <-"),
            ("d9juau41awczczp", "そのスピードで"),
        ] {
            assert_eq!(
                punycode_decode(encoded).as_deref(),
                Some(decoded),
                "{encoded}"
            );
        }
        for bad in ["99999999999", "a-é", "zzzzzzzzzzzzzzzz", "-"] {
            let _ = punycode_decode(bad);
        }
        assert_eq!(punycode_decode("99999999999"), None, "overflow");
    }
}
