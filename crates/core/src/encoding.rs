//! Encodings the transports and records need.
//!
//! Base64 (RFC 4648 §4) carries DKIM public keys; [`base64_decode`] says where and why decoding
//! stopped, because a damaged paste is the common case. RFC 8484 §4.1 sends the DNS query in a GET as `?dns=` followed by base64url (RFC 4648 §5)
//! **without padding**. A hand-written encoder costs a few hundred bytes of wasm; a crate would
//! cost more and do nothing extra here.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Encodes `bytes` as base64url without `=` padding (RFC 4648 §5, as RFC 8484 §4.1 requires).
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let index = (n >> (18 - 6 * i)) & 0x3f;
            out.push(char::from(ALPHABET[index as usize]));
        }
    }
    out
}

/// Decodes base64url with or without padding. Returns `None` on any character outside the
/// alphabet or an impossible length.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    if text.contains(['+', '/']) {
        return None;
    }
    base64_decode(&text.replace('-', "+").replace('_', "/")).ok()
}

/// Why base64 text did not decode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base64Error {
    /// A character outside the alphabet, at this byte offset.
    Character { at: usize, found: char },
    /// `=` padding before the end, or more than two.
    Padding { at: usize },
    /// The characters do not make whole bytes: `len` characters of data, not a multiple of 4
    /// once padded (characters were lost or added).
    Length { len: usize },
}

/// Decodes standard base64 (RFC 4648 §4: `+`, `/`, `=` padding, which may be left off).
/// Whitespace must be removed first; every other stray character is an error at its offset.
pub fn base64_decode(text: &str) -> Result<Vec<u8>, Base64Error> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    let mut data = 0usize;
    let mut padding_at = None;
    for (at, c) in text.char_indices() {
        if c == '=' {
            padding_at.get_or_insert(at);
            continue;
        }
        if let Some(pad) = padding_at {
            return Err(Base64Error::Padding { at: pad });
        }
        let v = match c {
            'A'..='Z' => c as u32 - 'A' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 26,
            '0'..='9' => c as u32 - '0' as u32 + 52,
            '+' => 62,
            '/' => 63,
            _ => return Err(Base64Error::Character { at, found: c }),
        };
        data += 1;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    let pads = padding_at.map_or(0, |p| text.len() - p);
    if data % 4 == 1 || pads > 2 || (pads > 0 && !(data + pads).is_multiple_of(4)) {
        return Err(Base64Error::Length { len: data });
    }
    Ok(out)
}

/// Encodes bytes as standard base64 with padding (RFC 4648 §4).
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = base64url_encode(bytes).replace('-', "+").replace('_', "/");
    while !out.len().is_multiple_of(4) {
        out.push('=');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors_encode_without_padding() {
        let cases: [(&[u8], &str); 7] = [
            (b"", ""),
            (b"f", "Zg"),
            (b"fo", "Zm8"),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg"),
            (b"fooba", "Zm9vYmE"),
            (b"foobar", "Zm9vYmFy"),
        ];
        for (raw, encoded) in cases {
            assert_eq!(base64url_encode(raw), encoded);
            assert_eq!(base64url_decode(encoded).as_deref(), Some(raw));
        }
    }

    #[test]
    fn url_safe_alphabet_is_used() {
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64url_decode("-_8"), Some(vec![0xfb, 0xff]));
    }

    #[test]
    fn every_byte_sequence_round_trips() {
        let data: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        for len in 0..40 {
            let slice = &data[len * 7..len * 7 + len];
            assert_eq!(
                base64url_decode(&base64url_encode(slice)).as_deref(),
                Some(slice)
            );
        }
    }

    #[test]
    fn invalid_input_is_rejected_not_panicking() {
        assert_eq!(base64url_decode("a"), None);
        assert_eq!(base64url_decode("ab+c"), None);
        assert_eq!(base64url_decode("ab/c"), None);
        assert_eq!(base64url_decode("é"), None);
    }

    #[test]
    fn standard_base64_decodes_and_says_where_it_stops() {
        assert_eq!(base64_decode("Zm9vYmFy"), Ok(b"foobar".to_vec()));
        assert_eq!(base64_decode("Zm9vYg=="), Ok(b"foob".to_vec()));
        assert_eq!(base64_decode("Zm9vYg"), Ok(b"foob".to_vec()));
        assert_eq!(base64_decode("+/8="), Ok(vec![0xfb, 0xff]));
        assert_eq!(
            base64_decode("Zm9v…"),
            Err(Base64Error::Character {
                at: 4, found: '…'
            })
        );
        assert_eq!(base64_decode("Zm=9v"), Err(Base64Error::Padding { at: 2 }));
        assert_eq!(base64_decode("Zm9vY"), Err(Base64Error::Length { len: 5 }));
        assert_eq!(
            base64_decode("Zm9vYg="),
            Err(Base64Error::Length { len: 6 })
        );
        for len in 0..30 {
            let data: Vec<u8> = (0..len as u8).map(|b| b.wrapping_mul(37)).collect();
            assert_eq!(base64_decode(&base64_encode(&data)), Ok(data));
        }
    }
}
