//! Encodings the transports need.
//!
//! RFC 8484 §4.1 sends the DNS query in a GET as `?dns=` followed by base64url (RFC 4648 §5)
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
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for c in text.bytes() {
        let v = ALPHABET.iter().position(|&a| a == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
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
}
