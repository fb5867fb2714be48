//! The `tag=value` list DKIM (RFC 6376 §3.2) and DMARC (RFC 7489 §6.4, RFC 9989 §4.8) records
//! share, parsed with the span of every tag, name and value.
//!
//! ```text
//! tag-list  =  tag-spec *( ";" tag-spec ) [ ";" ]
//! tag-spec  =  [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
//! tag-name  =  ALPHA *ALNUMPUNC            ; ALNUMPUNC = ALPHA / DIGIT / "_"
//! tag-value =  [ tval *( 1*(WSP / FWS) tval ) ]
//! tval      =  1*VALCHAR                   ; VALCHAR = %x21-3A / %x3C-7E
//! ```
//!
//! The parser keeps going after an error, so every problem of a pasted record is found at once:
//! each error has its span, and the well-formed tags around it are kept. A repeated tag name
//! makes the whole list invalid in DKIM (§3.2) and is reported at the repeat.

use core::ops::Range;

use nom::bytes::complete::{take_while, take_while1};
use nom::character::complete::char as ch;
use nom::combinator::recognize;
use nom::sequence::pair;
use nom::{IResult, Parser};

/// One `name=value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    /// The name as written (names are case-sensitive: `v` is not `V`).
    pub name: String,
    /// The value with surrounding whitespace removed.
    pub value: String,
    /// Bytes of the name.
    pub name_span: Range<usize>,
    /// Bytes of the value (empty range right after `=` when the value is empty).
    pub value_span: Range<usize>,
    /// Bytes of the whole `name=value`, without surrounding whitespace.
    pub span: Range<usize>,
}

/// What is wrong at one place of a tag list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TagError {
    /// Not `name=value`; the message says what was expected.
    Syntax { span: Range<usize>, message: String },
    /// A name used a second time; `first` is the earlier one.
    Duplicate {
        name: String,
        span: Range<usize>,
        first: Range<usize>,
    },
    /// Nothing between two `;`.
    Empty { span: Range<usize> },
}

impl TagError {
    /// Where the error is.
    pub fn span(&self) -> Range<usize> {
        match self {
            Self::Syntax { span, .. } | Self::Duplicate { span, .. } | Self::Empty { span } => {
                span.clone()
            }
        }
    }

    /// The problem in plain words.
    pub fn message(&self) -> String {
        match self {
            Self::Syntax { message, .. } => message.clone(),
            Self::Duplicate { name, first, .. } => format!(
                "The tag {name}= appears twice (first at byte {}); a list with a repeated tag is \
                 invalid as a whole.",
                first.start
            ),
            Self::Empty { span } => {
                format!("Two ';' with nothing between them at byte {}.", span.start)
            }
        }
    }
}

/// A parsed tag list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TagList {
    pub tags: Vec<Tag>,
    pub errors: Vec<TagError>,
}

impl TagList {
    /// Parses `text`; never fails, errors are collected.
    pub fn parse(text: &str) -> Self {
        let mut list = Self::default();
        let mut start = 0;
        let pieces: Vec<&str> = text.split(';').collect();
        let last = pieces.len() - 1;
        for (i, piece) in pieces.iter().enumerate() {
            let span = start..start + piece.len();
            start = span.end + 1;
            if piece.trim_matches(is_fws).is_empty() {
                // A trailing ';' (and an empty text) is allowed; an empty spec elsewhere is not.
                if i != last && !(i == 0 && last == 0) {
                    list.errors.push(TagError::Empty {
                        span: span.start.saturating_sub(usize::from(i > 0))..span.end + 1,
                    });
                }
                continue;
            }
            match tag_spec(piece, span.start) {
                Ok((tag, value_error)) => {
                    list.errors.extend(value_error);
                    if let Some(first) = list.tags.iter().find(|t| t.name == tag.name) {
                        list.errors.push(TagError::Duplicate {
                            name: tag.name.clone(),
                            span: tag.span.clone(),
                            first: first.span.clone(),
                        });
                    } else {
                        list.tags.push(tag);
                    }
                }
                Err(error) => list.errors.push(error),
            }
        }
        list
    }

    /// The tag named `name`.
    pub fn get(&self, name: &str) -> Option<&Tag> {
        self.tags.iter().find(|t| t.name == name)
    }
}

/// Folding white space as pasted: spaces, tabs and line breaks.
fn is_fws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn name(input: &str) -> IResult<&str, &str> {
    recognize(pair(
        take_while1(|c: char| c.is_ascii_alphabetic()),
        take_while(|c: char| c.is_ascii_alphanumeric() || c == '_'),
    ))
    .parse(input)
}

/// One `[FWS] name [FWS] = [FWS] value [FWS]`, `offset` bytes into the list. A value with a
/// character it may not hold is kept, with the error beside it, so the tag is not lost.
fn tag_spec(piece: &str, offset: usize) -> Result<(Tag, Option<TagError>), TagError> {
    let lead = piece.len() - piece.trim_start_matches(is_fws).len();
    let rest = &piece[lead..];
    let at = |s: &str| offset + piece.len() - s.len();
    let Ok((after_name, tag_name)) = name(rest) else {
        let bad = rest.chars().next().map_or(1, char::len_utf8);
        return Err(TagError::Syntax {
            span: at(rest)..at(rest) + bad,
            message: format!(
                "Expected a tag name (a letter, then letters, digits or _) at byte {}, found \
                 \"{}\".",
                at(rest),
                rest.trim_end_matches(is_fws)
            ),
        });
    };
    let eq = after_name.trim_start_matches(is_fws);
    let Ok((value_part, _)) = ch::<&str, nom::error::Error<&str>>('=').parse(eq) else {
        let end = offset + piece.trim_end_matches(is_fws).len();
        return Err(TagError::Syntax {
            span: at(rest)..end.max(at(rest) + 1),
            message: format!(
                "\"{}\" has no '=' after the tag name {tag_name}; tags are name=value.",
                &rest[..end - at(rest)]
            ),
        });
    };
    let value = value_part.trim_matches(is_fws);
    let value_start =
        at(value_part) + (value_part.len() - value_part.trim_start_matches(is_fws).len());
    let value_span = value_start..value_start + value.len();
    let value_error = value
        .char_indices()
        .find(|&(_, c)| !(('\x21'..='\x7e').contains(&c) || is_fws(c)))
        .map(|(i, c)| TagError::Syntax {
            span: value_start + i..value_start + i + c.len_utf8(),
            message: format!(
                "{} in the value of {tag_name}= at byte {} is not allowed; values are printable \
                 ASCII.",
                describe(c),
                value_start + i
            ),
        });
    Ok((
        Tag {
            name: tag_name.to_owned(),
            value: value.to_owned(),
            name_span: at(rest)..at(after_name),
            span: at(rest)..value_span.end.max(at(value_part)),
            value_span,
        },
        value_error,
    ))
}

/// `text` with the bytes at `span` replaced: a fix that changes one tag or value.
pub fn replace(text: &str, span: &Range<usize>, with: &str) -> String {
    format!("{}{with}{}", &text[..span.start], &text[span.end..])
}

/// `text` without the tag at `span` and the `;` after it: a fix that removes one tag.
pub fn without(text: &str, span: &Range<usize>) -> String {
    let rest = text[span.end..].trim_start_matches([' ', '\t']);
    let rest = rest.strip_prefix(';').unwrap_or(rest).trim_start();
    let before = text[..span.start].trim_end();
    if rest.is_empty() {
        before.trim_end_matches([';', ' ']).to_owned()
    } else if before.is_empty() {
        rest.to_owned()
    } else {
        format!("{before} {rest}")
    }
}

/// A character named for a message: printable ones quoted, others by code point.
pub fn describe(c: char) -> String {
    match c {
        '\u{201c}' | '\u{201d}' => format!("The typographic quote {c}"),
        '\u{2026}' => "The ellipsis … (text shortened on screen)".to_owned(),
        '\u{a0}' => "A no-break space (U+00A0)".to_owned(),
        '\u{200b}' | '\u{feff}' => format!("An invisible U+{:04X}", u32::from(c)),
        c if c.is_control() => format!("The control character U+{:04X}", u32::from(c)),
        c => format!("\"{c}\" (U+{:04X})", u32::from(c)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &TagList) -> Vec<(&str, &str)> {
        list.tags
            .iter()
            .map(|t| (t.name.as_str(), t.value.as_str()))
            .collect()
    }

    #[test]
    fn tags_values_and_spans() {
        let text = "v=DKIM1; k=rsa;\r\n\t p=MIGf MA0 ;";
        let list = TagList::parse(text);
        assert_eq!(list.errors, []);
        assert_eq!(
            names(&list),
            [("v", "DKIM1"), ("k", "rsa"), ("p", "MIGf MA0")]
        );
        for tag in &list.tags {
            assert_eq!(&text[tag.name_span.clone()], tag.name);
            assert_eq!(&text[tag.value_span.clone()], tag.value);
            assert_eq!(
                &text[tag.span.clone()],
                format!("{}={}", tag.name, tag.value)
            );
        }
        let empty = TagList::parse("v=DKIM1; p=");
        assert_eq!(empty.get("p").map(|t| t.value_span.clone()), Some(11..11));
        assert_eq!(TagList::parse(""), TagList::default());
    }

    #[test]
    fn errors_are_found_at_their_place_and_the_rest_is_kept() {
        let list = TagList::parse("v=DKIM1; k=rsa;; p=ab; 9x=1; p=cd; t");
        assert_eq!(names(&list), [("v", "DKIM1"), ("k", "rsa"), ("p", "ab")]);
        let spans: Vec<_> = list.errors.iter().map(TagError::span).collect();
        assert_eq!(spans, [14..16, 23..24, 29..33, 35..36]);
        assert!(matches!(&list.errors[2], TagError::Duplicate { first, .. } if *first == (17..21)));
        assert!(list.errors[3].message().contains("no '='"));
        let list = TagList::parse("v=DMARC1; rua=mailto:a@example.com\u{201d}");
        assert_eq!(list.errors[0].span(), 34..37);
        assert_eq!(list.tags.len(), 2, "the tag is kept beside its error");
        assert!(list.errors[0].message().contains("typographic"));
    }

    #[test]
    fn fixes_replace_or_remove_one_tag() {
        let text = "v=DMARC1; pct=50; p=none;";
        let list = TagList::parse(text);
        let pct = list.get("pct").unwrap();
        assert_eq!(without(text, &pct.span), "v=DMARC1; p=none;");
        let p = list.get("p").unwrap();
        assert_eq!(without(text, &p.span), "v=DMARC1; pct=50");
        assert_eq!(
            without(text, &list.get("v").unwrap().span),
            "pct=50; p=none;"
        );
        assert_eq!(
            replace(text, &p.value_span, "reject"),
            "v=DMARC1; pct=50; p=reject;"
        );
    }

    #[test]
    fn any_text_parses_without_panicking() {
        for text in [
            "=",
            ";",
            ";;",
            "a",
            "a=",
            "=b",
            "é=1",
            "a=é",
            " ; ",
            "a =b",
            "a\u{a0}=b",
        ] {
            let list = TagList::parse(text);
            for e in &list.errors {
                let span = e.span();
                assert!(
                    span.start <= span.end && span.end <= text.len() + 1,
                    "{text:?}"
                );
            }
        }
    }
}
