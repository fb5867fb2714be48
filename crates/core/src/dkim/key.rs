//! DKIM key records (RFC 6376 §3.6.1, RFC 8463 for Ed25519, RFC 8301 for hashes): the tags read,
//! the `p=` key decoded and understood, and every problem a pasted or published key can have,
//! each at its span with a copy-ready fix where one exists.

use core::ops::Range;

use super::der::{self, KeyData};
use crate::encoding::{Base64Error, base64_decode, base64_encode};
use crate::finding::Finding;
use crate::paste::{self, Wrapping, WrappingCodes, split_for_dns};
use crate::tags::{TagError, TagList, describe, replace, without};

/// The algorithm `k=` names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyType {
    Rsa,
    Ed25519,
    Unknown(String),
}

/// What the `p=` tag holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Key {
    /// No `p=` tag: not a usable key record.
    Missing,
    /// `p=` empty: the key was revoked (RFC 6376 §3.6.1).
    Revoked,
    Rsa {
        bits: u32,
        exponent: Option<u64>,
    },
    Ed25519,
    /// The data is not a usable key; the words say why.
    Damaged(String),
}

impl Key {
    /// The key in a few words, for a summary: never "fine" when it is not.
    pub fn words(&self) -> String {
        match self {
            Self::Missing => "no key (p= is missing)".to_owned(),
            Self::Revoked => "revoked (p= is empty)".to_owned(),
            Self::Rsa { bits, .. } => format!("RSA, {bits} bits"),
            Self::Ed25519 => "Ed25519".to_owned(),
            Self::Damaged(why) => format!("damaged: {why}"),
        }
    }

    /// Whether a verifier could use it.
    pub fn is_usable(&self) -> bool {
        matches!(self, Self::Rsa { .. } | Self::Ed25519)
    }
}

/// A key record, read and linted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyRecord {
    /// The record text every span points into.
    pub text: String,
    pub tags: TagList,
    pub key_type: KeyType,
    pub key: Key,
    /// `h=`: acceptable hash algorithms (all when absent).
    pub hashes: Option<Vec<String>>,
    /// `s=`: service types (all when absent).
    pub services: Option<Vec<String>>,
    /// `t=` flags.
    pub flags: Vec<String>,
    pub findings: Vec<Finding>,
}

/// Whether TXT text at a selector looks like a DKIM key record (starts with `v=DKIM1`, or has a
/// `p=` tag): used to tell a key from other TXT records at the same name.
pub fn looks_like_key(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with("v=DKIM1") || TagList::parse(t).get("p").is_some()
}

/// Reads and lints pasted text: a record value, quoted strings, or a whole zone-file line.
pub fn lint_pasted(input: &str) -> KeyRecord {
    let unwrapped = paste::unwrap(input, |rest| {
        rest.starts_with("v=DKIM1") || rest.starts_with("k=") || rest.starts_with("p=")
    });
    let mut notes = paste::findings(
        &unwrapped.notes,
        &WrappingCodes {
            zone_line: "dkim.zone-line",
            smart_quotes: "dkim.smart-quotes",
            split_strings: "dkim.split-strings",
            quoted: "dkim.quoted",
            version: "v=DKIM1",
        },
    );
    let text = unwrapped.text.trim_matches([' ', '\t', '\r', '\n']);
    let mut record = lint_key(text);
    if text.len() > 255
        && !unwrapped
            .notes
            .iter()
            .any(|n| matches!(n, Wrapping::SplitStrings(_)))
    {
        let clean = canonical(&record);
        notes.push(
            Finding::new(
                "dkim.string-too-long",
                format!(
                    "The record is {} bytes; one DNS string holds 255, so it must be published as \
                     {} strings (most DNS providers' forms split it for you; a zone file needs \
                     them written out).",
                    text.len(),
                    text.len().div_ceil(255)
                ),
            )
            .fix(split_for_dns(&clean)),
        );
    }
    notes.append(&mut record.findings);
    record.findings = notes;
    record
}

/// Reads and lints record text as published (strings already joined).
pub fn lint_key(text: &str) -> KeyRecord {
    let tags = TagList::parse(text);
    // A bad character inside p= is reported by the key decoder, with what it means.
    let p_span = tags.get("p").map(|p| p.value_span.clone());
    let mut findings: Vec<Finding> = tags
        .errors
        .iter()
        .filter(|e| {
            !matches!(e, TagError::Syntax { span, .. }
                if p_span.as_ref().is_some_and(|p| p.start <= span.start && span.end <= p.end))
        })
        .map(tag_error)
        .collect();
    let value = |name: &str| tags.get(name).map(|t| t.value.as_str());

    if let Some(v) = tags.get("v") {
        if v.value != "DKIM1" {
            findings.push(
                Finding::new(
                    "dkim.version",
                    format!(
                        "v={} is not v=DKIM1; verifiers ignore a key record with another version.",
                        v.value
                    ),
                )
                .at(v.span.clone()),
            );
        }
        if tags.tags.first().is_some_and(|t| t.name != "v") {
            findings.push(
                Finding::new(
                    "dkim.version-not-first",
                    "v=DKIM1 must be the first tag when it is present.",
                )
                .at(v.span.clone()),
            );
        }
    }

    let key_type = match value("k") {
        None | Some("rsa") => KeyType::Rsa,
        Some("ed25519") => KeyType::Ed25519,
        Some(other) => KeyType::Unknown(other.to_owned()),
    };
    if let (KeyType::Unknown(k), Some(tag)) = (&key_type, tags.get("k")) {
        findings.push(
            Finding::new(
                "dkim.unknown-key-type",
                format!(
                    "k={k} is not a key type verifiers know; DKIM keys are k=rsa (the default) or \
                     k=ed25519."
                ),
            )
            .at(tag.span.clone()),
        );
    }

    let hashes = value("h").map(colon_list);
    if let (Some(list), Some(tag)) = (&hashes, tags.get("h")) {
        let known: Vec<&String> = list
            .iter()
            .filter(|h| *h == "sha256" || *h == "sha1")
            .collect();
        if list.iter().all(|h| h == "sha1") {
            findings.push(
                Finding::new(
                    "dkim.sha1-only",
                    "h=sha1 allows only SHA-1 signatures, which verifiers no longer accept \
                     (RFC 8301); allow sha256.",
                )
                .at(tag.span.clone())
                .fix(replace(text, &tag.value_span, "sha256")),
            );
        } else if known.len() < list.len() {
            let unknown: Vec<&str> = list
                .iter()
                .filter(|h| *h != "sha256" && *h != "sha1")
                .map(String::as_str)
                .collect();
            let finding = Finding::new(
                "dkim.unknown-hash",
                format!(
                    "h= names {} which verifiers do not know; only sha256 (and the retired sha1) \
                     exist.",
                    unknown.join(", ")
                ),
            )
            .at(tag.value_span.clone());
            findings.push(if known.is_empty() {
                finding.severity(crate::finding::Severity::Error)
            } else {
                finding
            });
        }
    }

    let services = value("s").map(colon_list);
    if let (Some(list), Some(tag)) = (&services, tags.get("s"))
        && !list.iter().any(|s| s == "*" || s == "email")
    {
        findings.push(
            Finding::new(
                "dkim.service",
                format!(
                    "s={} limits this key to other services; email verifiers will not use it.",
                    tag.value
                ),
            )
            .at(tag.span.clone())
            .fix(without(text, &tag.span)),
        );
    }

    let flags = value("t").map(colon_list).unwrap_or_default();
    if let Some(tag) = tags.get("t") {
        if flags.iter().any(|f| f == "y") {
            findings.push(
                Finding::new(
                    "dkim.testing",
                    "t=y marks the domain as testing DKIM: verifiers may treat failed signatures \
                     like unsigned mail. Remove it once signing works.",
                )
                .at(tag.span.clone())
                .fix(without(text, &tag.span)),
            );
        }
        if flags.iter().any(|f| f == "s") {
            findings.push(
                Finding::new(
                    "dkim.strict-subdomains",
                    "t=s: signatures with this key must use exactly this domain in i=, not a \
                     subdomain.",
                )
                .at(tag.span.clone()),
            );
        }
    }

    for tag in &tags.tags {
        if !["v", "g", "h", "k", "n", "p", "s", "t"].contains(&tag.name.as_str()) {
            findings.push(
                Finding::new(
                    "dkim.unknown-tag",
                    format!(
                        "{}= is not a key record tag; verifiers ignore it.",
                        tag.name
                    ),
                )
                .at(tag.span.clone()),
            );
        } else if tag.name == "g" {
            findings.push(
                Finding::new(
                    "dkim.unknown-tag",
                    "g= was DomainKeys' granularity tag; RFC 6376 removed it and verifiers ignore \
                     it.",
                )
                .at(tag.span.clone()),
            );
        }
    }

    let key = match tags.get("p") {
        None => {
            findings.push(Finding::new(
                "dkim.no-key",
                "The record has no p= tag, so it holds no key; verifiers treat it as no record.",
            ));
            Key::Missing
        }
        Some(p) if p.value.is_empty() => {
            findings.push(
                Finding::new(
                    "dkim.revoked",
                    "p= is empty: the key is revoked, and every signature made with this selector \
                     fails.",
                )
                .at(p.span.clone()),
            );
            Key::Revoked
        }
        Some(p) => read_p(
            text,
            &p.value,
            p.value_span.clone(),
            &key_type,
            &mut findings,
        ),
    };

    KeyRecord {
        text: text.to_owned(),
        tags,
        key_type,
        key,
        hashes,
        services,
        flags,
        findings,
    }
}

/// Decodes and checks `p=`.
fn read_p(
    text: &str,
    value: &str,
    span: Range<usize>,
    key_type: &KeyType,
    findings: &mut Vec<Finding>,
) -> Key {
    // Whitespace is legal inside p= (folding), but in a DNS record it means a paste kept its line
    // breaks; the positions of the other characters map spans back into the text.
    let mut positions = Vec::with_capacity(value.len());
    let mut packed = String::with_capacity(value.len());
    for (i, c) in value.char_indices() {
        if !matches!(c, ' ' | '\t' | '\r' | '\n') {
            positions.push(span.start + i);
            packed.push(c);
        }
    }
    if packed.len() < value.len() {
        findings.push(
            Finding::new(
                "dkim.key-whitespace",
                "The key has spaces or line breaks inside it. That is legal, but it usually means \
                 a line-broken copy; some DNS forms and verifiers get it wrong.",
            )
            .at(span.clone())
            .fix(replace(text, &span, &packed)),
        );
    }
    let bytes = match base64_decode(&packed) {
        Ok(bytes) => bytes,
        Err(error) => {
            let (at, why) = match error {
                Base64Error::Character { at, found } => {
                    let pos = positions.get(at).copied().unwrap_or(span.end);
                    let hint = match found {
                        '-' | '_' => " DKIM keys use standard base64 (+ and /), not base64url.",
                        '\\' => " A zone-file escape was copied with the key.",
                        '"' => " Strings were joined with their quotes still in.",
                        '\u{2026}' => " The key was shortened on screen before it was copied.",
                        _ => "",
                    };
                    (
                        pos..pos + found.len_utf8(),
                        format!(
                            "{} at byte {pos} is not a base64 character.{hint}",
                            describe(found)
                        ),
                    )
                }
                Base64Error::Padding { at } => {
                    let pos = positions.get(at).copied().unwrap_or(span.end);
                    (
                        pos..pos + 1,
                        format!(
                            "'=' at byte {pos} is padding in the middle of the key: two keys or \
                             two pieces were joined."
                        ),
                    )
                }
                Base64Error::Length { len } => (
                    span.clone(),
                    format!(
                        "The key has {len} base64 characters, which do not make whole bytes: \
                         characters were lost or added when it was copied."
                    ),
                ),
            };
            findings.push(Finding::new("dkim.key-base64", why.clone()).at(at));
            return Key::Damaged(why);
        }
    };
    let damaged = |findings: &mut Vec<Finding>, why: String| {
        findings.push(Finding::new("dkim.key-damaged", why.clone()).at(span.clone()));
        Key::Damaged(why)
    };
    match key_type {
        KeyType::Unknown(_) => Key::Damaged("the key type is unknown".to_owned()),
        KeyType::Ed25519 => match (bytes.len(), der::read_key(&bytes)) {
            (32, _) => Key::Ed25519,
            (_, Ok(KeyData::Ed25519Wrapped(raw))) => {
                let bare = base64_encode(&raw);
                findings.push(
                    Finding::new(
                        "dkim.ed25519-spki",
                        "The Ed25519 key is wrapped in a SubjectPublicKeyInfo; RFC 8463 publishes \
                         the bare 32 bytes, and verifiers reject the wrapped form.",
                    )
                    .at(span.clone())
                    .fix(replace(text, &span, &bare)),
                );
                Key::Damaged("an Ed25519 key in the wrong (wrapped) form".to_owned())
            }
            (_, Ok(KeyData::Rsa { bits, .. })) => {
                findings.push(
                    Finding::new(
                        "dkim.key-type-mismatch",
                        format!("k=ed25519, but p= holds an RSA key ({bits} bits)."),
                    )
                    .at(span.clone()),
                );
                Key::Damaged(format!("k=ed25519 but the key is RSA ({bits} bits)"))
            }
            (n, _) => damaged(
                findings,
                format!("An Ed25519 key is 32 bytes; this one decodes to {n}."),
            ),
        },
        KeyType::Rsa => match der::read_key(&bytes) {
            Ok(KeyData::Rsa {
                bits,
                exponent,
                modulus_odd,
                wrapped,
            }) => {
                if !modulus_odd {
                    return damaged(
                        findings,
                        "The RSA modulus is even, which no real key's is: the key was changed, \
                         most likely damaged in copying."
                            .to_owned(),
                    );
                }
                match exponent {
                    Some(e) if e >= 3 && e % 2 == 1 => {}
                    _ => {
                        return damaged(
                            findings,
                            "The RSA exponent is not a usable one (it must be odd and at least 3; \
                             it is almost always 65537)."
                                .to_owned(),
                        );
                    }
                }
                if bits < 1024 {
                    findings.push(
                        Finding::new(
                            "dkim.rsa-too-small",
                            format!(
                                "The RSA key is {bits} bits; verifiers reject keys under 1024 \
                                 bits. Publish a 2048-bit key."
                            ),
                        )
                        .at(span.clone()),
                    );
                } else if bits < 2048 {
                    findings.push(
                        Finding::new(
                            "dkim.rsa-weak",
                            format!(
                                "The RSA key is {bits} bits; 2048 bits is the recommended size \
                                 (RFC 8301)."
                            ),
                        )
                        .at(span.clone()),
                    );
                }
                if !wrapped {
                    findings.push(
                        Finding::new(
                            "dkim.rsa-bare-key",
                            "The key is a bare RSAPublicKey, not the usual SubjectPublicKeyInfo \
                             (which starts MIGf or MIIB); most verifiers accept both.",
                        )
                        .at(span.clone()),
                    );
                }
                Key::Rsa { bits, exponent }
            }
            Ok(KeyData::Ed25519Wrapped(_)) => {
                findings.push(
                    Finding::new(
                        "dkim.key-type-mismatch",
                        "p= holds an Ed25519 key but k= is rsa (or missing, which means rsa).",
                    )
                    .at(span.clone()),
                );
                Key::Damaged("an Ed25519 key published as RSA".to_owned())
            }
            Ok(KeyData::OtherAlgorithm(oid)) => damaged(
                findings,
                format!(
                    "The key is for another algorithm (OID {oid}); DKIM keys are RSA or Ed25519."
                ),
            ),
            Err(_) if bytes.len() == 32 => {
                findings.push(
                    Finding::new(
                        "dkim.key-type-mismatch",
                        "p= is 32 bytes, an Ed25519 key, but k= is rsa (or missing); add \
                         k=ed25519.",
                    )
                    .at(span.clone())
                    .fix(add_k_ed25519(text)),
                );
                Key::Damaged("an Ed25519 key without k=ed25519".to_owned())
            }
            Err(damage) => damaged(
                findings,
                format!("The key data is damaged: {}", damage.what),
            ),
        },
    }
}

fn tag_error(error: &TagError) -> Finding {
    let code = match error {
        TagError::Syntax { .. } => "dkim.syntax",
        TagError::Duplicate { .. } => "dkim.duplicate-tag",
        TagError::Empty { .. } => "dkim.empty-tag",
    };
    Finding::new(code, error.message()).at(error.span())
}

fn colon_list(value: &str) -> Vec<String> {
    value
        .split(':')
        .map(|s| s.trim_matches([' ', '\t', '\r', '\n']).to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

fn add_k_ed25519(text: &str) -> String {
    match text.strip_prefix("v=DKIM1;") {
        Some(rest) => format!("v=DKIM1; k=ed25519;{rest}"),
        None => format!("k=ed25519; {text}"),
    }
}

/// The record with whitespace taken out of `p=` (what to publish).
pub fn canonical(record: &KeyRecord) -> String {
    match record.tags.get("p") {
        Some(p) => replace(
            &record.text,
            &p.value_span,
            &p.value.replace([' ', '\t', '\r', '\n'], ""),
        ),
        None => record.text.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSA1024: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB";
    const ED: &str = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    fn codes(r: &KeyRecord) -> Vec<&'static str> {
        crate::finding::test_support::codes(&r.findings)
    }

    fn finding<'a>(r: &'a KeyRecord, code: &str) -> &'a Finding {
        crate::finding::test_support::finding(&r.findings, code)
    }

    #[test]
    fn a_good_key_has_no_errors() {
        let r = lint_key(&format!("v=DKIM1; k=rsa; p={RSA1024}"));
        assert_eq!(
            r.key,
            Key::Rsa {
                bits: 1024,
                exponent: Some(65537)
            }
        );
        assert_eq!(codes(&r), ["dkim.rsa-weak"]);
        let r = lint_key(&format!("v=DKIM1; k=ed25519; p={ED}"));
        assert_eq!((r.key.clone(), codes(&r).len()), (Key::Ed25519, 0));
    }

    #[test]
    fn a_damaged_paste_is_never_shown_as_fine() {
        // Cut short.
        let r = lint_key(&format!("v=DKIM1; p={}", &RSA1024[..120]));
        assert!(!r.key.is_usable());
        assert!(codes(&r).contains(&"dkim.key-damaged"));
        // A character lost in the middle: the bytes no longer make a key.
        let lost = format!("v=DKIM1; p={}{}", &RSA1024[..50], &RSA1024[51..]);
        let r = lint_key(&lost);
        assert!(!r.key.is_usable(), "{:?}", codes(&r));
        assert!(codes(&r).contains(&"dkim.key-damaged"), "{:?}", codes(&r));
        // Two lost: no whole bytes.
        let lost = format!("v=DKIM1; p={}{}", &RSA1024[..50], &RSA1024[53..]);
        assert!(codes(&lint_key(&lost)).contains(&"dkim.key-base64"));
        // A quote and an ellipsis at their bytes.
        let text = format!("v=DKIM1; p={}\"{}", &RSA1024[..40], &RSA1024[40..]);
        let f = finding(&lint_key(&text), "dkim.key-base64").clone();
        assert_eq!(f.span, Some(51..52));
        assert!(f.message.contains("quotes"));
        let text = format!("v=DKIM1; p={}…", &RSA1024[..40]);
        assert!(
            finding(&lint_key(&text), "dkim.key-base64")
                .message
                .contains("shortened")
        );
        // base64url characters.
        let text = format!("v=DKIM1; p={}", RSA1024.replace('/', "_"));
        assert!(
            finding(&lint_key(&text), "dkim.key-base64")
                .message
                .contains("base64url")
        );
    }

    #[test]
    fn whitespace_in_the_key_is_legal_but_flagged_with_the_joined_record() {
        let text = format!("v=DKIM1; p={}\n {}", &RSA1024[..100], &RSA1024[100..]);
        let r = lint_key(&text);
        assert!(r.key.is_usable());
        let f = finding(&r, "dkim.key-whitespace");
        assert_eq!(
            f.fix.as_deref(),
            Some(format!("v=DKIM1; p={RSA1024}").as_str())
        );
    }

    #[test]
    fn tags_are_checked() {
        let r = lint_key(&format!(
            "k=rsa; v=DKIM1; h=sha1; t=y:s; s=tlsrpt; x=1; p={RSA1024}"
        ));
        for code in [
            "dkim.version-not-first",
            "dkim.sha1-only",
            "dkim.testing",
            "dkim.strict-subdomains",
            "dkim.service",
            "dkim.unknown-tag",
        ] {
            assert!(codes(&r).contains(&code), "{code}");
        }
        assert_eq!(
            finding(&r, "dkim.testing").fix.as_deref(),
            Some(format!("k=rsa; v=DKIM1; h=sha1; s=tlsrpt; x=1; p={RSA1024}").as_str())
        );
        assert!(codes(&lint_key("v=DKIM1; k=rsa")).contains(&"dkim.no-key"));
        assert_eq!(lint_key("v=DKIM1; p=").key, Key::Revoked);
        assert!(codes(&lint_key("v=DKIM1; p=a; p=b")).contains(&"dkim.duplicate-tag"));
        let unknown = lint_key(&format!("v=DKIM1; h=sha512; p={RSA1024}"));
        assert_eq!(
            finding(&unknown, "dkim.unknown-hash").severity,
            crate::finding::Severity::Error
        );
    }

    #[test]
    fn key_types_are_matched_to_their_data() {
        // Ed25519 without k=: the fix adds it.
        let r = lint_key(&format!("v=DKIM1; p={ED}"));
        assert_eq!(
            finding(&r, "dkim.key-type-mismatch").fix.as_deref(),
            Some(format!("v=DKIM1; k=ed25519; p={ED}").as_str())
        );
        // Ed25519 wrapped in SPKI: the fix is the bare key.
        let raw = base64_decode(ED).unwrap();
        let mut spki = vec![
            0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
        ];
        spki.extend_from_slice(&raw);
        let r = lint_key(&format!("v=DKIM1; k=ed25519; p={}", base64_encode(&spki)));
        assert_eq!(
            finding(&r, "dkim.ed25519-spki").fix.as_deref(),
            Some(format!("v=DKIM1; k=ed25519; p={ED}").as_str())
        );
        // RSA data with k=ed25519.
        let r = lint_key(&format!("v=DKIM1; k=ed25519; p={RSA1024}"));
        assert!(codes(&r).contains(&"dkim.key-type-mismatch"));
    }

    #[test]
    fn pasted_wrapping_comes_off_and_long_records_are_split() {
        let long = format!("v=DKIM1; k=rsa; p={}", RSA1024.repeat(3));
        let r = lint_pasted(&format!("sel._domainkey IN TXT \"{long}\""));
        assert_eq!(r.text, long);
        assert_eq!(
            codes(&r)[..3],
            ["dkim.zone-line", "dkim.quoted", "dkim.string-too-long"]
        );
        let fix = finding(&r, "dkim.string-too-long").fix.clone().unwrap();
        let strings = crate::paste::quoted_strings(&fix).unwrap();
        assert!(strings.iter().all(|s| s.len() <= 255));
        assert_eq!(strings.concat(), long);
        let r = lint_pasted(&format!(
            "\"v=DKIM1; p={}\" \"{}\"",
            &RSA1024[..100],
            &RSA1024[100..]
        ));
        assert!(r.key.is_usable());
        assert_eq!(codes(&r)[0], "dkim.split-strings");
        assert!(codes(&lint_pasted(&format!("“v=DKIM1; p={ED}”"))).contains(&"dkim.smart-quotes"));
    }

    #[test]
    fn any_text_is_read_without_panicking() {
        for text in [
            "",
            "p",
            "p=",
            "p==",
            "p=A",
            "p=AA==AA",
            "v=DKIM1; p=MA==",
            "p=MAA=",
            "k=ed25519; p=",
            "p=é",
        ] {
            let r = lint_pasted(text);
            for f in &r.findings {
                if let Some(s) = &f.span {
                    assert!(s.end <= r.text.len(), "{text:?}: {f:?}");
                }
            }
        }
    }
}
