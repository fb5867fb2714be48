//! What pasting does to a record, undone: a whole zone-file line instead of the value, the
//! value's quotes (straight or typographic), and a long value in several quoted strings.
//! SPF, DKIM and DMARC each report these with their own codes; the undoing is shared.

/// A pasted value with its wrapping taken off.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Unwrapped {
    /// The record value.
    pub text: String,
    /// Byte offsets in `text` where quoted strings were joined.
    pub junctions: Vec<usize>,
    /// What was taken off, in order.
    pub notes: Vec<Wrapping>,
}

/// One kind of wrapping found around a pasted value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wrapping {
    /// `name [ttl] [class] TXT "…"`: a whole zone-file line.
    ZoneLine,
    /// Wrapped in “typographic quotes”.
    SmartQuotes,
    /// Wrapped in one pair of straight quotes.
    Quoted,
    /// Several quoted strings (this many), joined with nothing in between.
    SplitStrings(usize),
}

/// The codes one record kind reports wrappings with, and its version tag (for the messages).
#[derive(Clone, Copy, Debug)]
pub struct WrappingCodes {
    pub zone_line: &'static str,
    pub smart_quotes: &'static str,
    pub split_strings: &'static str,
    pub quoted: &'static str,
    /// What the record must start with, like `v=spf1`.
    pub version: &'static str,
}

/// Each wrapping taken off, as a finding with the record kind's code.
pub fn findings(notes: &[Wrapping], codes: &WrappingCodes) -> Vec<crate::finding::Finding> {
    use crate::finding::Finding;
    notes
        .iter()
        .map(|note| match note {
            Wrapping::ZoneLine => Finding::new(
                codes.zone_line,
                "This is a whole zone-file line; the record value is the quoted text after TXT.",
            ),
            Wrapping::SmartQuotes => Finding::new(
                codes.smart_quotes,
                format!(
                    "The value is wrapped in typographic quotes (“ ”); published with them, it \
                     would not start with {}.",
                    codes.version
                ),
            ),
            Wrapping::SplitStrings(n) => Finding::new(
                codes.split_strings,
                format!(
                    "The value is {n} quoted strings; receivers join them with nothing in between."
                ),
            ),
            Wrapping::Quoted => Finding::new(
                codes.quoted,
                "The value was pasted with its quotes; most DNS providers' forms want it without.",
            ),
        })
        .collect()
}

/// Takes the value out of pasted text. `starts_value` says whether unquoted text is the start of
/// the record (like `v=spf1`), for finding the value in a zone-file line.
pub fn unwrap(input: &str, starts_value: impl Fn(&str) -> bool) -> Unwrapped {
    let mut out = Unwrapped {
        text: input
            .trim_matches(|c: char| c == '\n' || c == '\r')
            .to_owned(),
        ..Unwrapped::default()
    };
    if let Some(at) = zone_line_value(&out.text, &starts_value) {
        out.notes.push(Wrapping::ZoneLine);
        out.text = out.text[at..].to_owned();
    }
    let trimmed = out.text.trim_matches(|c: char| c.is_ascii_whitespace());
    let (open, close) = ('\u{201c}', '\u{201d}');
    if trimmed.starts_with(open) || trimmed.ends_with(close) {
        out.notes.push(Wrapping::SmartQuotes);
        out.text = trimmed
            .trim_start_matches(open)
            .trim_end_matches(close)
            .to_owned();
    } else if trimmed.starts_with('"')
        && let Some(strings) = quoted_strings(trimmed)
    {
        out.notes.push(if strings.len() > 1 {
            Wrapping::SplitStrings(strings.len())
        } else {
            Wrapping::Quoted
        });
        let mut joined = String::new();
        for (i, s) in strings.iter().enumerate() {
            if i > 0 {
                out.junctions.push(joined.len());
            }
            joined.push_str(s);
        }
        out.text = joined;
    }
    out
}

/// Where the value starts in `name [ttl] [class] TXT value` (or type `SPF`), when the text is
/// such a line.
pub fn zone_line_value(text: &str, starts_value: impl Fn(&str) -> bool) -> Option<usize> {
    let mut pos = 0;
    for word in text.split(' ') {
        let start = pos;
        pos += word.len() + 1;
        if word.eq_ignore_ascii_case("TXT") || word.eq_ignore_ascii_case("SPF") {
            let rest = text[pos.min(text.len())..].trim_start();
            let at = text.len() - rest.len();
            return (start > 0 && (rest.starts_with('"') || starts_value(rest))).then_some(at);
        }
        if word.starts_with('"') || starts_value(word) {
            return None;
        }
    }
    None
}

/// `"a" "b"` → `["a", "b"]`, with `\"` and `\\` unescaped; `None` if not only quoted strings.
pub fn quoted_strings(text: &str) -> Option<Vec<String>> {
    let mut strings = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.next() {
            None => return (!strings.is_empty()).then_some(strings),
            Some('"') => {}
            Some(_) => return None,
        }
        let mut s = String::new();
        loop {
            match chars.next()? {
                '"' => break,
                '\\' => s.push(chars.next()?),
                c => s.push(c),
            }
        }
        strings.push(s);
    }
}

/// The value as quoted strings of at most 255 bytes (RFC 1035 §3.3), cut after a space, `;` or
/// `,` where one is near, as a DNS provider's form or a zone file takes it.
pub fn split_for_dns(text: &str) -> String {
    let mut parts = Vec::new();
    let mut rest = text;
    while rest.len() > 255 {
        let mut end = 255;
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        let cut = rest[..end]
            .rfind([' ', ';', ','])
            .filter(|&i| i > 128)
            .map_or(end, |i| i + 1);
        parts.push(&rest[..cut]);
        rest = &rest[cut..];
    }
    parts.push(rest);
    parts
        .iter()
        .map(|p| format!("\"{}\"", p.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dkim(rest: &str) -> bool {
        rest.starts_with("v=DKIM1")
    }

    #[test]
    fn zone_lines_quotes_and_split_strings_come_off() {
        let u = unwrap(
            "sel._domainkey 300 IN TXT \"v=DKIM1; k=rsa; \" \"p=AB\\\"C\"\n",
            dkim,
        );
        assert_eq!(u.text, "v=DKIM1; k=rsa; p=AB\"C");
        assert_eq!(u.junctions, [16]);
        assert_eq!(u.notes, [Wrapping::ZoneLine, Wrapping::SplitStrings(2)]);
        let u = unwrap("\u{201c}v=DKIM1; p=AB\u{201d}", dkim);
        assert_eq!(
            (u.text.as_str(), u.notes),
            ("v=DKIM1; p=AB", vec![Wrapping::SmartQuotes])
        );
        let u = unwrap("v=DKIM1; p=\"AB\"", dkim);
        assert_eq!((u.text.as_str(), u.notes.len()), ("v=DKIM1; p=\"AB\"", 0));
        assert_eq!(unwrap("", dkim).text, "");
        assert_eq!(unwrap("\"unterminated", dkim).text, "\"unterminated");
    }

    #[test]
    fn long_values_split_into_dns_strings_that_join_back() {
        let value = format!("v=DKIM1; k=rsa; p={}", "A".repeat(600));
        let split = split_for_dns(&value);
        let strings = quoted_strings(&split).unwrap();
        assert!(strings.iter().all(|s| s.len() <= 255));
        assert_eq!(strings.concat(), value);
        assert_eq!(
            strings[0],
            "v=DKIM1; k=rsa; p=".to_owned() + &"A".repeat(237)
        );
        let words = format!("v=spf1 {}-all", "ip4:192.0.2.1 ".repeat(30));
        let strings = quoted_strings(&split_for_dns(&words)).unwrap();
        assert!(strings[0].ends_with(' '));
        assert_eq!(strings.concat(), words);
    }
}
