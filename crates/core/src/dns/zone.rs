//! Master-file (zone-file) text, RFC 1035 §5: what users paste from vendor documentation.
//!
//! ```text
//! <blank>[<comment>]
//! $ORIGIN <domain-name> [<comment>]
//! $TTL <ttl> [<comment>]                        (RFC 2308 §4)
//! <domain-name><rr> [<comment>]
//! <blank><rr> [<comment>]
//! <rr> = [<TTL>] [<class>] <type> <RDATA>  or  [<class>] [<TTL>] <type> <RDATA>
//! ```
//!
//! Handled: `@`, names relative to the origin and absolute ones, a blank owner repeating the
//! previous one, quoted and unquoted character-strings, `\X` and `\DDD` escapes, parentheses
//! across lines, `;` comments, TTLs with BIND units (`1h30m`), and the RFC 3597 generic form
//! (`TYPE65 \# 3 abcdef`) for any type. Every error names its line and column (1-based).
//!
//! A character-string over 255 bytes is kept as it is rather than refused, so a lint can say
//! what is wrong with a pasted record instead of the parser stopping at it. `$INCLUDE` is not
//! supported (pasted text has nothing to include) and is reported as an error.

use core::fmt;

use super::{Name, RData, Record, RecordType};

/// Where and why zone text could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ZoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ZoneError {}

/// TTL used when a record has none and no `$TTL` came before it.
pub const DEFAULT_TTL: u32 = 3600;

#[derive(Clone, Debug)]
struct Token {
    text: String,
    quoted: bool,
    line: usize,
    column: usize,
}

/// Splits text into logical lines of tokens: parentheses join physical lines, comments are
/// dropped, quoted strings are one token. The flag says whether the line began with blank space
/// (the owner is the previous one).
fn logical_lines(text: &str) -> Result<Vec<(bool, Vec<Token>)>, ZoneError> {
    let mut lines = Vec::new();
    let mut tokens: Vec<Token> = Vec::new();
    let mut starts_blank = false;
    let mut depth = 0usize;
    let mut open_paren = (0, 0);
    let chars: Vec<char> = text.chars().collect();
    let (mut line, mut column) = (1usize, 1usize);
    let mut at_line_start = true;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if at_line_start && depth == 0 {
            if tokens.is_empty() {
                starts_blank = c == ' ' || c == '\t';
            }
            at_line_start = false;
        }
        match c {
            '\n' => {
                if depth == 0 && !tokens.is_empty() {
                    lines.push((starts_blank, core::mem::take(&mut tokens)));
                }
                line += 1;
                column = 1;
                at_line_start = true;
                i += 1;
                continue;
            }
            ' ' | '\t' | '\r' => {}
            ';' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '(' => {
                depth += 1;
                open_paren = (line, column);
            }
            ')' => {
                if depth == 0 {
                    return Err(ZoneError {
                        line,
                        column,
                        message: "')' without a matching '('".into(),
                    });
                }
                depth -= 1;
            }
            '"' => {
                let (start_line, start_column) = (line, column);
                let mut text = String::new();
                i += 1;
                column += 1;
                loop {
                    let Some(&c) = chars.get(i) else {
                        return Err(ZoneError {
                            line: start_line,
                            column: start_column,
                            message: "quoted string is not closed".into(),
                        });
                    };
                    if c == '"' {
                        break;
                    }
                    if c == '\\' && i + 1 < chars.len() {
                        text.push(c);
                        i += 1;
                        column += 1;
                    }
                    text.push(chars[i]);
                    if chars[i] == '\n' {
                        line += 1;
                        column = 0;
                    }
                    i += 1;
                    column += 1;
                }
                tokens.push(Token {
                    text,
                    quoted: true,
                    line: start_line,
                    column: start_column,
                });
            }
            _ => {
                let (start_line, start_column) = (line, column);
                let mut text = String::new();
                while let Some(&c) = chars.get(i) {
                    if matches!(c, ' ' | '\t' | '\r' | '\n' | ';' | '(' | ')' | '"') {
                        break;
                    }
                    if c == '\\' && i + 1 < chars.len() && chars[i + 1] != '\n' {
                        text.push(c);
                        i += 1;
                        column += 1;
                    }
                    text.push(chars[i]);
                    i += 1;
                    column += 1;
                }
                tokens.push(Token {
                    text,
                    quoted: false,
                    line: start_line,
                    column: start_column,
                });
                continue;
            }
        }
        i += 1;
        column += 1;
    }
    if depth > 0 {
        return Err(ZoneError {
            line: open_paren.0,
            column: open_paren.1,
            message: "'(' is not closed".into(),
        });
    }
    if !tokens.is_empty() {
        lines.push((starts_blank, tokens));
    }
    Ok(lines)
}

fn error(token: &Token, message: impl Into<String>) -> ZoneError {
    ZoneError {
        line: token.line,
        column: token.column,
        message: message.into(),
    }
}

/// Decodes `\X` and `\DDD` in a character-string.
fn unescape(token: &Token) -> Result<Vec<u8>, ZoneError> {
    let bytes = token.text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && i + 1 < bytes.len() {
            if i + 3 < bytes.len() && bytes[i + 1..i + 4].iter().all(u8::is_ascii_digit) {
                let value = bytes[i + 1..i + 4]
                    .iter()
                    .fold(0u16, |v, d| v * 10 + u16::from(d - b'0'));
                let byte = u8::try_from(value)
                    .map_err(|_| error(token, format!("escape \\{value} is above \\255")))?;
                out.push(byte);
                i += 4;
            } else {
                out.push(bytes[i + 1]);
                i += 2;
            }
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Ok(out)
}

/// A TTL: seconds, or BIND units such as `1h30m` or `2d`.
fn parse_ttl(text: &str) -> Option<u32> {
    if let Ok(n) = text.parse::<u32>() {
        return Some(n);
    }
    let mut total: u64 = 0;
    let mut number: Option<u64> = None;
    for c in text.chars() {
        if let Some(d) = c.to_digit(10) {
            number = Some(number.unwrap_or(0).checked_mul(10)? + u64::from(d));
            continue;
        }
        let unit = match c.to_ascii_lowercase() {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 604_800,
            _ => return None,
        };
        total = total.checked_add(number.take()?.checked_mul(unit)?)?;
    }
    if number.is_some() {
        return None;
    }
    u32::try_from(total).ok()
}

struct Reader {
    origin: Option<Name>,
    default_ttl: Option<u32>,
    last_owner: Option<Name>,
    last_ttl: Option<u32>,
}

impl Reader {
    fn name(&self, token: &Token) -> Result<Name, ZoneError> {
        if token.text == "@" {
            return self
                .origin
                .clone()
                .ok_or_else(|| error(token, "'@' needs an origin: add $ORIGIN first"));
        }
        let absolute = token.text.ends_with('.') && !token.text.ends_with("\\.");
        let name = Name::parse(&token.text).map_err(|e| error(token, format!("bad name: {e}")))?;
        if absolute || self.origin.is_none() {
            return Ok(name);
        }
        let origin = self.origin.as_ref().map(Name::labels).unwrap_or_default();
        let labels = name.labels().iter().chain(origin).cloned().collect();
        Name::from_labels(labels).map_err(|e| error(token, format!("bad name: {e}")))
    }

    fn record(&mut self, starts_blank: bool, tokens: &[Token]) -> Result<Record, ZoneError> {
        let mut rest = tokens;
        let owner = if starts_blank {
            self.last_owner
                .clone()
                .ok_or_else(|| error(&tokens[0], "record without an owner name"))?
        } else {
            let owner = self.name(&tokens[0])?;
            rest = &tokens[1..];
            owner
        };
        let mut ttl = None;
        let rtype = loop {
            let token = rest
                .first()
                .ok_or_else(|| error(tokens.last().unwrap_or(&tokens[0]), "missing record type"))?;
            rest = &rest[1..];
            let upper = token.text.to_ascii_uppercase();
            if matches!(upper.as_str(), "IN" | "CH" | "HS" | "CS") {
                if upper != "IN" {
                    return Err(error(
                        token,
                        format!("class {upper} is not supported; use IN"),
                    ));
                }
                continue;
            }
            if ttl.is_none()
                && let Some(value) = parse_ttl(&token.text)
                && token.text.starts_with(|c: char| c.is_ascii_digit())
            {
                ttl = Some(value);
                continue;
            }
            break RecordType::from_text(&token.text)
                .ok_or_else(|| error(token, format!("{:?} is not a record type", token.text)))?;
        };
        let data = self.rdata(rtype, rest, tokens)?;
        let ttl = ttl
            .or(self.default_ttl)
            .or(self.last_ttl)
            .unwrap_or(DEFAULT_TTL);
        self.last_owner = Some(owner.clone());
        self.last_ttl = Some(ttl);
        Ok(Record {
            name: owner,
            rtype,
            class: 1,
            ttl,
            data,
        })
    }

    fn rdata(&self, rtype: RecordType, rest: &[Token], all: &[Token]) -> Result<RData, ZoneError> {
        let last = all.last().unwrap_or(&all[0]);
        let at = |i: usize, what: &str| -> Result<&Token, ZoneError> {
            rest.get(i)
                .ok_or_else(|| error(last, format!("{rtype} record is missing its {what}")))
        };
        let number = |i: usize, what: &str, max: u64| -> Result<u64, ZoneError> {
            let token = at(i, what)?;
            token
                .text
                .parse::<u64>()
                .ok()
                .filter(|n| *n <= max)
                .ok_or_else(|| error(token, format!("{what} must be a number from 0 to {max}")))
        };
        let expect_len = |n: usize| -> Result<(), ZoneError> {
            match rest.get(n) {
                Some(extra) => Err(error(
                    extra,
                    format!("unexpected {:?} after the {rtype} data", extra.text),
                )),
                None => Ok(()),
            }
        };
        if rest.first().is_some_and(|t| t.text == "\\#" && !t.quoted) {
            return generic(rest, last);
        }
        let data = match rtype {
            RecordType::A => {
                let t = at(0, "address")?;
                expect_len(1)?;
                RData::A(
                    t.text
                        .parse()
                        .map_err(|_| error(t, format!("{:?} is not an IPv4 address", t.text)))?,
                )
            }
            RecordType::AAAA => {
                let t = at(0, "address")?;
                expect_len(1)?;
                RData::Aaaa(
                    t.text
                        .parse()
                        .map_err(|_| error(t, format!("{:?} is not an IPv6 address", t.text)))?,
                )
            }
            RecordType::CNAME | RecordType::NS | RecordType::PTR => {
                let name = self.name(at(0, "target name")?)?;
                expect_len(1)?;
                match rtype {
                    RecordType::CNAME => RData::Cname(name),
                    RecordType::NS => RData::Ns(name),
                    _ => RData::Ptr(name),
                }
            }
            RecordType::MX => {
                let preference = number(0, "preference", 65535)? as u16;
                let exchange = self.name(at(1, "mail server name")?)?;
                expect_len(2)?;
                RData::Mx {
                    preference,
                    exchange,
                }
            }
            RecordType::TXT | RecordType::SPF => {
                at(0, "text")?;
                RData::Txt(rest.iter().map(unescape).collect::<Result<_, _>>()?)
            }
            RecordType::SOA => {
                let mname = self.name(at(0, "primary name server")?)?;
                let rname = self.name(at(1, "mailbox")?)?;
                let mut values = [0u32; 5];
                let what = ["serial", "refresh", "retry", "expire", "minimum"];
                for (k, value) in values.iter_mut().enumerate() {
                    let t = at(2 + k, what[k])?;
                    *value = if k == 0 {
                        t.text.parse().ok()
                    } else {
                        parse_ttl(&t.text)
                    }
                    .ok_or_else(|| error(t, format!("bad SOA {}", what[k])))?;
                }
                expect_len(7)?;
                let [serial, refresh, retry, expire, minimum] = values;
                RData::Soa {
                    mname,
                    rname,
                    serial,
                    refresh,
                    retry,
                    expire,
                    minimum,
                }
            }
            RecordType::SRV => {
                let priority = number(0, "priority", 65535)? as u16;
                let weight = number(1, "weight", 65535)? as u16;
                let port = number(2, "port", 65535)? as u16;
                let target = self.name(at(3, "target")?)?;
                expect_len(4)?;
                RData::Srv {
                    priority,
                    weight,
                    port,
                    target,
                }
            }
            RecordType::CAA => {
                let flags = number(0, "flags", 255)? as u8;
                let tag_token = at(1, "tag")?;
                let tag = tag_token.text.as_bytes().to_vec();
                if tag.is_empty() || !tag.iter().all(u8::is_ascii_alphanumeric) {
                    return Err(error(
                        tag_token,
                        "a CAA tag is letters and digits, such as issue",
                    ));
                }
                let value = unescape(at(2, "value")?)?;
                expect_len(3)?;
                RData::Caa { flags, tag, value }
            }
            RecordType::TLSA => {
                let usage = number(0, "usage", 255)? as u8;
                let selector = number(1, "selector", 255)? as u8;
                let matching = number(2, "matching type", 255)? as u8;
                at(3, "certificate data")?;
                RData::Tlsa {
                    usage,
                    selector,
                    matching,
                    data: hex_tokens(&rest[3..])?,
                }
            }
            RecordType::NSEC => {
                let next = self.name(at(0, "next name")?)?;
                let types = rest[1..]
                    .iter()
                    .map(|t| {
                        RecordType::from_text(&t.text)
                            .ok_or_else(|| error(t, format!("{:?} is not a record type", t.text)))
                    })
                    .collect::<Result<_, _>>()?;
                RData::Nsec { next, types }
            }
            other => {
                let first = rest.first().unwrap_or(last);
                return Err(error(
                    first,
                    format!("{other} data must be written in the generic form: \\# <length> <hex>"),
                ));
            }
        };
        Ok(data)
    }
}

/// RFC 3597 §5: `\# <length> <hex>…`.
fn generic(rest: &[Token], last: &Token) -> Result<RData, ZoneError> {
    let len_token = rest
        .get(1)
        .ok_or_else(|| error(last, "\\# needs the data length"))?;
    let len: usize = len_token
        .text
        .parse()
        .map_err(|_| error(len_token, "\\# length must be a number"))?;
    let data = hex_tokens(&rest[2..])?;
    if data.len() != len {
        return Err(error(
            len_token,
            format!("\\# says {len} bytes but the hex holds {}", data.len()),
        ));
    }
    Ok(RData::Unknown(data))
}

fn hex_tokens(tokens: &[Token]) -> Result<Vec<u8>, ZoneError> {
    let mut out = Vec::new();
    for token in tokens {
        let text = token.text.as_bytes();
        if text.len() % 2 != 0 {
            return Err(error(token, "hex data has an odd number of digits"));
        }
        for pair in text.chunks(2) {
            let digits = core::str::from_utf8(pair).ok();
            let byte = digits.and_then(|d| u8::from_str_radix(d, 16).ok());
            out.push(byte.ok_or_else(|| error(token, format!("{:?} is not hex", token.text)))?);
        }
    }
    Ok(out)
}

/// Reads zone text into records, in order. `origin` is the starting `$ORIGIN` (none: relative
/// names are taken as absolute, as people paste `mail.example.com` without the final dot).
pub fn parse_zone(text: &str, origin: Option<&Name>) -> Result<Vec<Record>, ZoneError> {
    let mut reader = Reader {
        origin: origin.cloned(),
        default_ttl: None,
        last_owner: None,
        last_ttl: None,
    };
    let mut records = Vec::new();
    for (starts_blank, tokens) in logical_lines(text)? {
        let first = &tokens[0];
        match first.text.to_ascii_uppercase().as_str() {
            "$ORIGIN" if !starts_blank && !first.quoted => {
                let t = tokens
                    .get(1)
                    .ok_or_else(|| error(first, "$ORIGIN needs a name"))?;
                let name = Name::parse(&t.text).map_err(|e| error(t, format!("bad name: {e}")))?;
                reader.origin = Some(match &reader.origin {
                    Some(_) if !t.text.ends_with('.') => reader.name(t)?,
                    _ => name,
                });
            }
            "$TTL" if !starts_blank && !first.quoted => {
                let t = tokens
                    .get(1)
                    .ok_or_else(|| error(first, "$TTL needs a value"))?;
                reader.default_ttl = Some(
                    parse_ttl(&t.text)
                        .ok_or_else(|| error(t, format!("{:?} is not a TTL", t.text)))?,
                );
            }
            "$INCLUDE" if !starts_blank => {
                return Err(error(
                    first,
                    "$INCLUDE is not supported: paste the included records instead",
                ));
            }
            _ => records.push(reader.record(starts_blank, &tokens)?),
        }
    }
    Ok(records)
}

/// One record as a zone-file line: `owner. TTL IN TYPE data`.
pub fn record_line(record: &Record) -> String {
    format!(
        "{} {} IN {} {}",
        record.name.to_fqdn(),
        record.ttl,
        record.rtype,
        record.data
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(text: &str) -> Name {
        Name::parse(text).unwrap()
    }

    #[test]
    fn vendor_snippets_with_origin_relative_names_and_blank_owners_parse() {
        let text = r#"
$ORIGIN example.com.
$TTL 1h
@        IN  MX  10 mx1          ; primary
         IN  MX  20 mx2.example.net.
selector1._domainkey 300 IN TXT ( "v=DKIM1; k=rsa; "
                                  "p=MIIB" )
_dmarc   TXT "v=DMARC1\; p=none"
www      IN 60 CNAME @
"#;
        let records = parse_zone(text, None).unwrap();
        assert_eq!(records.len(), 5);
        assert_eq!(records[0].name, n("example.com"));
        assert_eq!(records[0].ttl, 3600);
        assert_eq!(
            records[0].data,
            RData::Mx {
                preference: 10,
                exchange: n("mx1.example.com")
            }
        );
        assert_eq!(records[1].name, n("example.com"), "blank owner repeats");
        assert_eq!(
            records[2].data,
            RData::Txt(vec![b"v=DKIM1; k=rsa; ".to_vec(), b"p=MIIB".to_vec()])
        );
        assert_eq!(records[2].ttl, 300);
        assert_eq!(
            records[3].data,
            RData::Txt(vec![b"v=DMARC1; p=none".to_vec()])
        );
        assert_eq!(records[4].rtype, RecordType::CNAME);
        assert_eq!(records[4].ttl, 60);
        assert_eq!(records[4].data, RData::Cname(n("example.com")));
    }

    #[test]
    fn escapes_in_strings_are_decoded() {
        let records = parse_zone(r#"x. TXT "a\"b\\c\059\255" unquoted\032word"#, None).unwrap();
        assert_eq!(
            records[0].data,
            RData::Txt(vec![b"a\"b\\c;\xff".to_vec(), b"unquoted word".to_vec()])
        );
    }

    #[test]
    fn errors_point_at_line_and_column() {
        let err = parse_zone("a. 300 IN A 1.2.3.4\nb. IN A 300.1.1.1\n", None).unwrap_err();
        assert_eq!((err.line, err.column), (2, 9));
        assert!(err.message.contains("IPv4"), "{err}");
        let err = parse_zone("a. TXT \"open\n", None).unwrap_err();
        assert_eq!((err.line, err.column), (1, 8));
        let err = parse_zone("a. MX ( 10\n", None).unwrap_err();
        assert_eq!(err.message, "'(' is not closed");
        let err = parse_zone("a. IN BOGUS x", None).unwrap_err();
        assert_eq!((err.line, err.column), (1, 7));
        let err = parse_zone("@ A 1.2.3.4", None).unwrap_err();
        assert!(err.message.contains("$ORIGIN"));
        let err = parse_zone("a. A 1.2.3.4 extra", None).unwrap_err();
        assert_eq!(err.column, 14);
        let err = parse_zone("a. MX 70000 b.", None).unwrap_err();
        assert!(err.message.contains("0 to 65535"));
    }

    #[test]
    fn generic_form_works_for_any_type() {
        let r = parse_zone(r"a. TYPE999 \# 3 abcdef", None).unwrap();
        assert_eq!(r[0].rtype, RecordType(999));
        assert_eq!(r[0].data, RData::Unknown(vec![0xab, 0xcd, 0xef]));
        assert!(parse_zone(r"a. TYPE999 \# 4 abcdef", None).is_err());
        assert!(parse_zone("a. TYPE999 abc", None).is_err());
    }

    #[test]
    fn ttl_units_follow_bind() {
        assert_eq!(parse_ttl("1h30m"), Some(5400));
        assert_eq!(parse_ttl("2D"), Some(172_800));
        assert_eq!(parse_ttl("1w"), Some(604_800));
        assert_eq!(parse_ttl("5x"), None);
        assert_eq!(parse_ttl("h"), None);
        assert_eq!(parse_ttl("10h5"), None);
        // found by the zone_text fuzz target: overflow must be "not a TTL", not a panic
        assert_eq!(parse_ttl("9999999999999999H"), None);
        assert_eq!(parse_ttl("99999999999999999999999s"), None);
    }

    #[test]
    fn hostile_text_never_panics() {
        for text in [
            "",
            "(",
            ")",
            "\"",
            "\\",
            "$ORIGIN",
            "$TTL x",
            "a. (",
            "  A 1.2.3.4",
            "é. TXT é",
            "a. TXT \\",
            "a. CAA 0 issue",
            "a. TLSA 1 1 1 abc",
            "a. NSEC b. NOPE",
            "a.\tIN\t",
        ] {
            let _ = parse_zone(text, None);
            let _ = parse_zone(text, Some(&n("example.com")));
        }
    }
}
