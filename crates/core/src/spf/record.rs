//! The SPF record grammar (RFC 7208 §4.6.1, §5, §6, §12), with the byte span of every term.
//!
//! ```text
//! record     = version terms *SP          version = "v=spf1"
//! terms      = *( 1*SP ( directive / modifier ) )
//! directive  = [ qualifier ] mechanism    qualifier = "+" / "-" / "?" / "~"
//! mechanism  = all / include / a / mx / ptr / ip4 / ip6 / exists
//! modifier   = redirect / explanation / unknown-modifier
//! unknown-modifier = name "=" macro-string
//! name       = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )
//! ```
//!
//! Terms are separated by spaces only (a tab or a line break inside a record is an error at its
//! place). ABNF strings are case-insensitive, so `V=SPF1` and `INCLUDE:` parse (a lint says
//! so); printing gives the canonical lower-case form.

use core::fmt;
use core::net::{Ipv4Addr, Ipv6Addr};
use core::ops::Range;

use nom::bytes::complete::take_while_m_n;
use nom::character::complete::char as ch;
use nom::combinator::{all_consuming, map_res, opt, recognize};
use nom::sequence::preceded;
use nom::{IResult, Parser};

use super::macros::{MacroString, Piece, parse_macro_string};

/// `+`, `-`, `~` or `?`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Qualifier {
    Pass,
    Fail,
    SoftFail,
    Neutral,
}

impl Qualifier {
    pub fn symbol(self) -> char {
        match self {
            Self::Pass => '+',
            Self::Fail => '-',
            Self::SoftFail => '~',
            Self::Neutral => '?',
        }
    }
}

/// Prefix lengths after `a` and `mx` (`/24`, `//64`, `/24//64`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DualCidr {
    pub v4: Option<u8>,
    pub v6: Option<u8>,
}

/// The mechanisms of §5.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mechanism {
    All,
    Include(MacroString),
    A(Option<MacroString>, DualCidr),
    Mx(Option<MacroString>, DualCidr),
    Ptr(Option<MacroString>),
    Ip4(Ipv4Addr, Option<u8>),
    Ip6(Ipv6Addr, Option<u8>),
    Exists(MacroString),
}

impl Mechanism {
    /// The lower-case name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Include(_) => "include",
            Self::A(..) => "a",
            Self::Mx(..) => "mx",
            Self::Ptr(_) => "ptr",
            Self::Ip4(..) => "ip4",
            Self::Ip6(..) => "ip6",
            Self::Exists(_) => "exists",
        }
    }

    /// Whether evaluating it asks DNS (it counts toward the limit of 10, §4.6.4).
    pub fn queries_dns(&self) -> bool {
        !matches!(self, Self::All | Self::Ip4(..) | Self::Ip6(..))
    }
}

/// A qualifier and a mechanism.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub qualifier: Qualifier,
    /// Whether the qualifier was written (`+a`) or implied (`a`).
    pub explicit: bool,
    pub mechanism: Mechanism,
}

/// The modifiers of §6 and any other `name=value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Modifier {
    Redirect(MacroString),
    Exp(MacroString),
    /// Legal and ignored by `check_host()` (RFC 6652's `ra`, `rp`, `rr` among them).
    Unknown {
        name: String,
        value: MacroString,
    },
}

/// A term and where it is in the record text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    pub span: Range<usize>,
    pub kind: TermKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TermKind {
    Directive(Directive),
    Modifier(Modifier),
}

/// A parsed SPF record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// The version as written (`v=spf1`, or another case).
    pub version: Range<usize>,
    pub terms: Vec<Term>,
}

/// Where a record stops following the grammar, and what was expected there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Bytes of the record text the error is about.
    pub span: Range<usize>,
    /// The finding code: `spf.syntax`, `spf.invalid-ip`, `spf.invalid-prefix`, …
    pub code: &'static str,
    pub message: String,
}

const SYNTAX: &str = "spf.syntax";
const MACRO: &str = "spf.macro-syntax";
const PREFIX: &str = "spf.invalid-prefix";
const INVALID_IP: &str = "spf.invalid-ip";

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (at byte {}{})",
            self.message,
            self.span.start,
            if self.span.len() > 1 {
                format!("–{}", self.span.end)
            } else {
                String::new()
            }
        )
    }
}

/// Whether a TXT record's text is an SPF record (§4.5): `v=spf1` then a space or the end.
pub fn is_spf(text: &[u8]) -> bool {
    text.len() >= 6
        && text[..6].eq_ignore_ascii_case(b"v=spf1")
        && (text.len() == 6 || text[6] == b' ')
}

/// The TXT records at a name, each one's strings joined with nothing between them (§3.3),
/// split into the SPF records §4.5 selects and the other texts.
pub fn select(records: &[crate::dns::Record]) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    records
        .iter()
        .filter_map(|r| match &r.data {
            crate::dns::RData::Txt(strings) => Some(strings.concat()),
            _ => None,
        })
        .partition(|text| is_spf(text))
}

impl Record {
    /// Parses a whole record.
    pub fn parse(text: &str) -> Result<Record, ParseError> {
        if !is_spf(text.as_bytes()) {
            let end = text.find(' ').unwrap_or(text.len()).max(1).min(text.len());
            return Err(ParseError {
                span: 0..end,
                code: "spf.version",
                message: "an SPF record starts with \"v=spf1\" followed by a space".into(),
            });
        }
        let mut terms = Vec::new();
        let mut redirect_seen = false;
        let mut exp_seen = false;
        let mut pos = 6;
        for token in text[6..].split(' ') {
            let start = pos;
            pos += token.len() + 1;
            if token.is_empty() {
                continue;
            }
            let span = start..start + token.len();
            let kind = parse_term(token).map_err(|(offset, code, message)| ParseError {
                span: (start + offset).min(span.end)..span.end,
                code,
                message,
            })?;
            let duplicate = match &kind {
                TermKind::Modifier(Modifier::Redirect(_)) => {
                    core::mem::replace(&mut redirect_seen, true)
                }
                TermKind::Modifier(Modifier::Exp(_)) => core::mem::replace(&mut exp_seen, true),
                _ => false,
            };
            if duplicate {
                return Err(ParseError {
                    span,
                    code: "spf.duplicate-modifier",
                    message: "redirect and exp may each appear only once (RFC 7208 §6)".into(),
                });
            }
            terms.push(Term { span, kind });
        }
        Ok(Record {
            version: 0..6,
            terms,
        })
    }

    /// The directives, in order.
    pub fn directives(&self) -> impl Iterator<Item = (&Term, &Directive)> {
        self.terms.iter().filter_map(|t| match &t.kind {
            TermKind::Directive(d) => Some((t, d)),
            TermKind::Modifier(_) => None,
        })
    }

    /// The `redirect=` domain-spec, if any.
    pub fn redirect(&self) -> Option<&MacroString> {
        self.terms.iter().find_map(|t| match &t.kind {
            TermKind::Modifier(Modifier::Redirect(m)) => Some(m),
            _ => None,
        })
    }

    /// The `exp=` domain-spec, if any.
    pub fn exp(&self) -> Option<&MacroString> {
        self.terms.iter().find_map(|t| match &t.kind {
            TermKind::Modifier(Modifier::Exp(m)) => Some(m),
            _ => None,
        })
    }
}

/// Where a term goes wrong: byte offset in the term, finding code, message.
type Bad = (usize, &'static str, String);
type TermResult = Result<TermKind, Bad>;

fn parse_term(token: &str) -> TermResult {
    // A modifier's name runs up to "=" with no ":" or "/" before it (§4.6.1).
    let name_end = token
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(token.len());
    if token[name_end..].starts_with('=') {
        return parse_modifier(&token[..name_end], &token[name_end + 1..], name_end + 1);
    }
    let (qualifier, explicit, body, at) = match token.as_bytes()[0] {
        b'+' => (Qualifier::Pass, true, &token[1..], 1),
        b'-' => (Qualifier::Fail, true, &token[1..], 1),
        b'~' => (Qualifier::SoftFail, true, &token[1..], 1),
        b'?' => (Qualifier::Neutral, true, &token[1..], 1),
        _ => (Qualifier::Pass, false, token, 0),
    };
    let name_len = body
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(body.len());
    let (name, rest) = body.split_at(name_len);
    let after = at + name_len;
    let mechanism = match name.to_ascii_lowercase().as_str() {
        "all" if rest.is_empty() => Mechanism::All,
        "all" => return Err((after, SYNTAX, "\"all\" takes no argument".into())),
        "include" => Mechanism::Include(required_domain(rest, after, "include")?),
        "exists" => Mechanism::Exists(required_domain(rest, after, "exists")?),
        "a" => {
            let (domain, cidr) = domain_and_cidr(rest, after)?;
            Mechanism::A(domain, cidr)
        }
        "mx" => {
            let (domain, cidr) = domain_and_cidr(rest, after)?;
            Mechanism::Mx(domain, cidr)
        }
        "ptr" => match rest.strip_prefix(':') {
            Some(spec) => Mechanism::Ptr(Some(domain_spec(spec, after + 1)?)),
            None if rest.is_empty() => Mechanism::Ptr(None),
            None => return Err((after, SYNTAX, "\"ptr\" takes only \":domain\"".into())),
        },
        "ip4" => {
            let arg = rest.strip_prefix(':').ok_or((
                after,
                SYNTAX,
                "\"ip4\" needs \":\" and an IPv4 network".to_owned(),
            ))?;
            let (addr, prefix) = ip4_network(arg).map_err(|(code, m)| (after + 1, code, m))?;
            Mechanism::Ip4(addr, prefix)
        }
        "ip6" => {
            let arg = rest.strip_prefix(':').ok_or((
                after,
                SYNTAX,
                "\"ip6\" needs \":\" and an IPv6 network".to_owned(),
            ))?;
            let (addr, prefix) = ip6_network(arg).map_err(|(code, m)| (after + 1, code, m))?;
            Mechanism::Ip6(addr, prefix)
        }
        "redirect" | "exp" => {
            return Err((
                at,
                "spf.modifier-as-mechanism",
                format!("{name} is a modifier: write {name}=domain, not {name}:domain"),
            ));
        }
        "" => return Err((at, SYNTAX, "expected a mechanism or a modifier".into())),
        other => {
            return Err((
                at,
                "spf.unknown-mechanism",
                format!(
                    "unknown mechanism \"{other}\" (mechanisms: all, include, a, mx, ptr, ip4, \
                     ip6, exists)"
                ),
            ));
        }
    };
    Ok(TermKind::Directive(Directive {
        qualifier,
        explicit,
        mechanism,
    }))
}

fn parse_modifier(name: &str, value: &str, value_at: usize) -> TermResult {
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err((0, SYNTAX, "a modifier name starts with a letter".into()));
    }
    let modifier = match name.to_ascii_lowercase().as_str() {
        "redirect" => Modifier::Redirect(domain_spec(value, value_at)?),
        "exp" => Modifier::Exp(domain_spec(value, value_at)?),
        _ => Modifier::Unknown {
            name: name.to_owned(),
            value: parse_macro_string(value).map_err(|at| {
                (
                    value_at + at,
                    MACRO,
                    "not a valid macro string (a \"%\" must start %{…}, %%, %_ or %-)".to_owned(),
                )
            })?,
        },
    };
    Ok(TermKind::Modifier(modifier))
}

fn required_domain(rest: &str, at: usize, name: &str) -> Result<MacroString, Bad> {
    let spec = rest.strip_prefix(':').ok_or((
        at,
        SYNTAX,
        format!("\"{name}\" needs \":\" and a domain"),
    ))?;
    domain_spec(spec, at + 1)
}

/// `[":" domain-spec] [dual-cidr-length]`, the cidr taken from the end.
fn domain_and_cidr(rest: &str, at: usize) -> Result<(Option<MacroString>, DualCidr), Bad> {
    let (body, cidr, cidr_at) = split_cidr(rest);
    let cidr = parse_dual_cidr(cidr).map_err(|m| (at + cidr_at, PREFIX, m))?;
    let domain = match body.strip_prefix(':') {
        Some(spec) => Some(domain_spec(spec, at + 1)?),
        None if body.is_empty() => None,
        None => return Err((at, SYNTAX, "expected \":domain\" or \"/prefix\"".into())),
    };
    Ok((domain, cidr))
}

/// Splits a trailing `/N`, `//N` or `/N//N` (digits only) off `text`.
fn split_cidr(text: &str) -> (&str, &str, usize) {
    let bytes = text.as_bytes();
    let mut cut = text.len();
    // Up to two "/digits" groups, the second possibly "//digits".
    for _ in 0..2 {
        let digits = bytes[..cut]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 || cut < digits + 1 || bytes[cut - digits - 1] != b'/' {
            break;
        }
        let mut start = cut - digits - 1;
        if start > 0 && bytes[start - 1] == b'/' {
            start -= 1;
        }
        cut = start;
    }
    (&text[..cut], &text[cut..], cut)
}

fn cidr_len(max: u8) -> impl Fn(&str) -> IResult<&str, u8> {
    move |input| {
        map_res(
            recognize(take_while_m_n(1, 3, |c: char| c.is_ascii_digit())),
            move |digits: &str| {
                let value: u8 = digits.parse().map_err(|_| ())?;
                // "0" or no leading zero, and in range.
                if (digits.len() > 1 && digits.starts_with('0')) || value > max {
                    return Err(());
                }
                Ok(value)
            },
        )
        .parse(input)
    }
}

fn parse_dual_cidr(text: &str) -> Result<DualCidr, String> {
    if text.is_empty() {
        return Ok(DualCidr::default());
    }
    let parsed: IResult<&str, (Option<u8>, Option<u8>)> = all_consuming((
        opt(preceded(ch('/'), cidr_len(32))),
        opt(preceded((ch('/'), ch('/')), cidr_len(128))),
    ))
    .parse(text);
    match parsed {
        Ok((_, (v4, v6))) => Ok(DualCidr { v4, v6 }),
        Err(_) => Err(format!(
            "\"{text}\" is not a prefix length (an IPv4 prefix is /0 to /32, an IPv6 prefix //0 \
             to //128)"
        )),
    }
}

fn ip4_network(text: &str) -> Result<(Ipv4Addr, Option<u8>), (&'static str, String)> {
    let (addr, prefix) = match text.split_once('/') {
        Some((addr, prefix)) => (addr, Some(prefix)),
        None => (text, None),
    };
    let octets: Vec<&str> = addr.split('.').collect();
    let valid_octet = |o: &&str| {
        !o.is_empty()
            && o.len() <= 3
            && o.bytes().all(|b| b.is_ascii_digit())
            && !(o.len() > 1 && o.starts_with('0'))
            && o.parse::<u16>().is_ok_and(|v| v <= 255)
    };
    if octets.len() != 4 || !octets.iter().all(valid_octet) {
        let bad = octets.iter().find(|o| !valid_octet(o));
        return Err((
            INVALID_IP,
            match bad {
                Some(o) if o.parse::<u32>().is_ok_and(|v| v > 255) => {
                    format!("\"{addr}\" is not an IPv4 address: {o} is over 255")
                }
                _ => format!("\"{addr}\" is not an IPv4 address (four numbers 0 to 255 with dots)"),
            },
        ));
    }
    let ip: Ipv4Addr = addr
        .parse()
        .map_err(|_| (INVALID_IP, format!("\"{addr}\" is not an IPv4 address")))?;
    let prefix = match prefix {
        None => None,
        Some(p) => Some(
            all_consuming(cidr_len(32))
                .parse(p)
                .map(|(_, v)| v)
                .map_err(|_| {
                    (
                        PREFIX,
                        format!("/{p} is not an IPv4 prefix length (0 to 32)"),
                    )
                })?,
        ),
    };
    Ok((ip, prefix))
}

fn ip6_network(text: &str) -> Result<(Ipv6Addr, Option<u8>), (&'static str, String)> {
    let (addr, prefix) = match text.split_once('/') {
        Some((addr, prefix)) => (addr, Some(prefix)),
        None => (text, None),
    };
    let ip: Ipv6Addr = addr
        .parse()
        .map_err(|_| (INVALID_IP, format!("\"{addr}\" is not an IPv6 address")))?;
    let prefix = match prefix {
        None => None,
        Some(p) => Some(
            all_consuming(cidr_len(128))
                .parse(p)
                .map(|(_, v)| v)
                .map_err(|_| {
                    (
                        PREFIX,
                        format!("/{p} is not an IPv6 prefix length (0 to 128)"),
                    )
                })?,
        ),
    };
    Ok((ip, prefix))
}

/// A domain-spec (§7.1): a macro string that ends in a macro or in "." and a top label, with
/// no `c`, `r` or `t` macro (those are for explanations only).
fn domain_spec(text: &str, at: usize) -> Result<MacroString, Bad> {
    if text.is_empty() {
        return Err((at, SYNTAX, "a domain is missing".into()));
    }
    let spec = parse_macro_string(text).map_err(|offset| {
        (
            at + offset,
            MACRO,
            "not a valid domain: a \"%\" must start %{…}, %%, %_ or %-, and only printable \
             ASCII is allowed"
                .to_owned(),
        )
    })?;
    if let Some(letter) = spec.letters().find(|l| matches!(l, 'c' | 'r' | 't')) {
        return Err((
            at,
            MACRO,
            format!("the %{{{letter}}} macro is allowed only in explanation text"),
        ));
    }
    let valid_end = match spec.0.last() {
        Some(Piece::Macro(_)) => true,
        Some(Piece::Literal(tail)) => {
            let tail = tail.strip_suffix('.').unwrap_or(tail);
            tail.rsplit_once('.')
                .is_some_and(|(_, top)| is_toplabel(top))
        }
        _ => false,
    };
    if !valid_end {
        return Err((
            at,
            "spf.invalid-domain",
            format!(
                "\"{text}\" does not end in a valid top-level label (a name such as example.com, \
                 not a single label or a number)"
            ),
        ));
    }
    Ok(spec)
}

/// `toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum )`
fn is_toplabel(label: &str) -> bool {
    let b = label.as_bytes();
    if b.is_empty() || !b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-') {
        return false;
    }
    if !b.contains(&b'-') {
        return b.iter().any(u8::is_ascii_alphabetic);
    }
    b[0].is_ascii_alphanumeric() && b[b.len() - 1].is_ascii_alphanumeric()
}

impl fmt::Display for DualCidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(v4) = self.v4 {
            write!(f, "/{v4}")?;
        }
        if let Some(v6) = self.v6 {
            write!(f, "//{v6}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())?;
        match self {
            Self::All => Ok(()),
            Self::Include(d) | Self::Exists(d) => write!(f, ":{d}"),
            Self::A(d, cidr) | Self::Mx(d, cidr) => {
                if let Some(d) = d {
                    write!(f, ":{d}")?;
                }
                write!(f, "{cidr}")
            }
            Self::Ptr(d) => match d {
                Some(d) => write!(f, ":{d}"),
                None => Ok(()),
            },
            Self::Ip4(ip, prefix) => {
                write!(f, ":{ip}")?;
                prefix.map_or(Ok(()), |p| write!(f, "/{p}"))
            }
            Self::Ip6(ip, prefix) => {
                write!(f, ":{ip}")?;
                prefix.map_or(Ok(()), |p| write!(f, "/{p}"))
            }
        }
    }
}

impl fmt::Display for TermKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Directive(d) => {
                if d.explicit {
                    write!(f, "{}", d.qualifier.symbol())?;
                }
                write!(f, "{}", d.mechanism)
            }
            Self::Modifier(Modifier::Redirect(d)) => write!(f, "redirect={d}"),
            Self::Modifier(Modifier::Exp(d)) => write!(f, "exp={d}"),
            Self::Modifier(Modifier::Unknown { name, value }) => write!(f, "{name}={value}"),
        }
    }
}

impl fmt::Display for Record {
    /// The canonical form: `v=spf1`, then each term once, separated by single spaces.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("v=spf1")?;
        for term in &self.terms {
            write!(f, " {}", term.kind)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Record {
        Record::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
    }

    fn err(text: &str) -> ParseError {
        Record::parse(text).expect_err(text)
    }

    #[test]
    fn every_mechanism_and_modifier_parses_with_spans() {
        let text = "v=spf1 +a -mx:mail.example.com/24//64 ~ptr ?ip4:192.0.2.0/24 \
                    ip6:2001:db8::/32 include:_spf.example.net exists:%{ir}.%{v}._spf.%{d} \
                    a/28 mx//100 redirect=_spf.example.com exp=explain.%{d} ra=postmaster -all";
        let record = parse(text);
        assert_eq!(record.terms.len(), 13);
        for term in &record.terms {
            assert_eq!(&text[term.span.clone()], term.kind.to_string());
        }
        assert_eq!(
            record.terms[1].kind,
            TermKind::Directive(Directive {
                qualifier: Qualifier::Fail,
                explicit: true,
                mechanism: Mechanism::Mx(
                    Some(parse_macro_string("mail.example.com").unwrap()),
                    DualCidr {
                        v4: Some(24),
                        v6: Some(64)
                    }
                ),
            })
        );
        assert!(record.redirect().is_some() && record.exp().is_some());
        assert_eq!(parse(&record.to_string()), record);
    }

    #[test]
    fn canonical_form_lowercases_names_and_keeps_what_was_written() {
        let record = parse("V=SPF1  INCLUDE:Example.COM   MX  ?ALL ");
        assert_eq!(record.to_string(), "v=spf1 include:Example.COM mx ?all");
    }

    #[test]
    fn errors_say_what_and_where() {
        let e = err("v=spf1 ip4:192.0.2.300 -all");
        assert_eq!(e.span, 11..22);
        assert!(e.message.contains("300 is over 255"), "{}", e.message);
        let e = err("v=spf1 ip4:192.0.2.0/33 -all");
        assert!(e.message.contains("/33"), "{}", e.message);
        let e = err("v=spf1 ip6:2001:db8::/129");
        assert!(e.message.contains("/129"), "{}", e.message);
        let e = err("v=spf1 a:example.com\tmx -all");
        assert_eq!(e.span.start, 20, "the tab itself: {e:?}");
        let e = err("v=spf1 redirect:example.com");
        assert!(e.message.contains("modifier"), "{}", e.message);
        let e = err("v=spf1 include:example.com -all foo");
        assert_eq!(e.span, 32..35);
        let e = err("v=spf1 all/24");
        assert!(e.message.contains("no argument"));
        let e = err("v=spf1 a:1.2.3.4");
        assert!(e.message.contains("top-level"), "{}", e.message);
        let e = err("v=spf1 redirect=a.example redirect=b.example");
        assert_eq!(e.span, 26..44);
        let e = err("v=spf1 exists:%{c}.example.com");
        assert!(e.message.contains("explanation"));
        assert!(err("v=spf10 -all").message.contains("v=spf1"));
        assert!(err("spf1 -all").span.start == 0);
    }

    #[test]
    fn unknown_modifiers_are_legal() {
        let r = parse("v=spf1 ra=postmaster rp=100 rr=e:f:s:n moo.cow-2_3=%{l} -all");
        assert_eq!(r.terms.len(), 5);
        assert!(matches!(
            &r.terms[0].kind,
            TermKind::Modifier(Modifier::Unknown { name, .. }) if name == "ra"
        ));
    }

    #[test]
    fn only_v_spf1_then_space_or_end_selects_a_record() {
        assert!(is_spf(b"v=spf1"));
        assert!(is_spf(b"v=spf1 -all"));
        assert!(is_spf(b"V=SpF1 -all"));
        assert!(!is_spf(b"v=spf10"));
        assert!(!is_spf(b"v=spf1\t-all"));
        assert!(!is_spf(b" v=spf1"));
    }

    #[test]
    fn cidr_suffixes_come_off_the_end() {
        assert_eq!(
            split_cidr(":example.com/24//64"),
            (":example.com", "/24//64", 12)
        );
        assert_eq!(split_cidr("//64"), ("", "//64", 0));
        assert_eq!(split_cidr(":a.example/x"), (":a.example/x", "", 12));
        assert_eq!(split_cidr(""), ("", "", 0));
    }
}
