//! Just enough DER (X.690) to read a public key: a SubjectPublicKeyInfo (RFC 5280 §4.1) holding
//! an RSA key (RFC 8017 A.1.1) or an Ed25519 key (RFC 8410), or a bare RSAPublicKey. Every
//! length is checked against what is there, so a key cut short or run together with other
//! text is named as damaged, with the byte where it went wrong.

/// What the key bytes are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyData {
    /// An RSA key: modulus size in bits, the public exponent (when it fits in 64 bits), and
    /// whether it came wrapped in a SubjectPublicKeyInfo (DKIM's usual form).
    Rsa {
        bits: u32,
        exponent: Option<u64>,
        modulus_odd: bool,
        wrapped: bool,
    },
    /// An Ed25519 key inside a SubjectPublicKeyInfo (RFC 8463 wants the bare 32 bytes).
    Ed25519Wrapped([u8; 32]),
    /// A SubjectPublicKeyInfo for another algorithm, by its dotted OID.
    OtherAlgorithm(String),
}

/// Why the bytes are not a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Damage {
    /// Byte offset into the decoded key.
    pub at: usize,
    pub what: String,
}

const RSA_OID: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const ED25519_OID: &[u8] = &[0x2b, 0x65, 0x70];

/// Reads `bytes` as a SubjectPublicKeyInfo or a bare RSAPublicKey.
pub fn read_key(bytes: &[u8]) -> Result<KeyData, Damage> {
    let mut outer = Reader::new(bytes, 0);
    let body = outer.expect(0x30, "the key")?;
    outer.finish("the key")?;
    let mut inner = body;
    // SPKI starts with the AlgorithmIdentifier SEQUENCE; a bare RSAPublicKey with an INTEGER.
    if inner.peek() == Some(0x02) {
        return rsa_public_key(body, false);
    }
    let mut algorithm = inner.expect(0x30, "the algorithm identifier")?;
    let oid = algorithm.expect(0x06, "the algorithm's OID")?;
    let bits = inner.expect(0x03, "the key's BIT STRING")?;
    inner.finish("the public key info")?;
    let (unused, key) = bits
        .bytes
        .split_first()
        .ok_or_else(|| damage(bits.start, "The key's BIT STRING is empty."))?;
    if *unused != 0 {
        return Err(damage(
            bits.start,
            format!("The key's BIT STRING says {unused} bits are unused; a key uses whole bytes."),
        ));
    }
    match oid.bytes {
        RSA_OID => rsa_public_key(Reader::new(key, bits.start + 1), true),
        ED25519_OID => {
            let raw: [u8; 32] = key.try_into().map_err(|_| {
                damage(
                    bits.start + 1,
                    format!("An Ed25519 key is 32 bytes; this one is {}.", key.len()),
                )
            })?;
            Ok(KeyData::Ed25519Wrapped(raw))
        }
        other => Ok(KeyData::OtherAlgorithm(dotted(other))),
    }
}

fn rsa_public_key(mut seq: Reader<'_>, wrapped: bool) -> Result<KeyData, Damage> {
    if wrapped {
        let body = seq.expect(0x30, "the RSA key")?;
        seq.finish("the RSA key")?;
        seq = body;
    }
    let modulus = seq.expect(0x02, "the RSA modulus")?;
    let exponent = seq.expect(0x02, "the RSA exponent")?;
    seq.finish("the RSA key")?;
    let n = strip_zeros(modulus.bytes);
    if n.is_empty() {
        return Err(damage(modulus.start, "The RSA modulus is zero."));
    }
    let bits = (n.len() as u32 - 1) * 8 + (8 - n[0].leading_zeros());
    let e = strip_zeros(exponent.bytes);
    let exponent = (e.len() <= 8).then(|| e.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)));
    Ok(KeyData::Rsa {
        bits,
        exponent,
        modulus_odd: n[n.len() - 1] & 1 == 1,
        wrapped,
    })
}

fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let skip = bytes.iter().take_while(|&&b| b == 0).count();
    &bytes[skip..]
}

fn damage(at: usize, what: impl Into<String>) -> Damage {
    Damage {
        at,
        what: what.into(),
    }
}

/// An OID in dotted form (X.690 §8.19).
fn dotted(bytes: &[u8]) -> String {
    let mut parts = Vec::new();
    let mut value: u64 = 0;
    for (i, &b) in bytes.iter().enumerate() {
        value = value.saturating_mul(128) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if parts.is_empty() && i < bytes.len() {
                let first = value.min(80) / 40;
                parts.push(first);
                parts.push(value - first * 40);
            } else {
                parts.push(value);
            }
            value = 0;
        }
    }
    parts
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// A cursor over DER bytes that knows its offset in the whole key.
#[derive(Clone, Copy)]
struct Reader<'a> {
    bytes: &'a [u8],
    start: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8], start: usize) -> Self {
        Self { bytes, start }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.first().copied()
    }

    /// Reads one element with tag `tag`; returns its contents.
    fn expect(&mut self, tag: u8, what: &str) -> Result<Reader<'a>, Damage> {
        let Some(&found) = self.bytes.first() else {
            return Err(damage(
                self.start,
                format!("The key ends where {what} should start: it was cut short."),
            ));
        };
        if found != tag {
            return Err(damage(
                self.start,
                format!(
                    "Expected {what} (DER tag 0x{tag:02x}) at byte {}, found 0x{found:02x}.",
                    self.start
                ),
            ));
        }
        let (len, header) = self.length(what)?;
        let available = self.bytes.len() - header;
        if len > available {
            return Err(damage(
                self.start,
                format!(
                    "{} says it is {len} bytes long but only {available} follow: the key was cut \
                     short (characters lost when it was copied?).",
                    capitalise(what)
                ),
            ));
        }
        let contents = Reader::new(&self.bytes[header..header + len], self.start + header);
        self.bytes = &self.bytes[header + len..];
        self.start += header + len;
        Ok(contents)
    }

    fn length(&self, what: &str) -> Result<(usize, usize), Damage> {
        let first = *self
            .bytes
            .get(1)
            .ok_or_else(|| damage(self.start, format!("The key ends inside {what}.")))?;
        if first < 0x80 {
            return Ok((usize::from(first), 2));
        }
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || self.bytes.len() < 2 + count {
            return Err(damage(
                self.start + 1,
                format!("The length of {what} is not readable."),
            ));
        }
        let len = self.bytes[2..2 + count]
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        Ok((len, 2 + count))
    }

    /// Fails if bytes are left after the last element.
    fn finish(&self, what: &str) -> Result<(), Damage> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(damage(
                self.start,
                format!(
                    "{} extra bytes follow {what}: other text ran into the key, or two keys were \
                     pasted together.",
                    self.bytes.len()
                ),
            ))
        }
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::base64_decode;

    const RSA1024: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB";

    #[test]
    fn rsa_keys_give_their_size_and_exponent() {
        let bytes = base64_decode(RSA1024).unwrap();
        assert_eq!(
            read_key(&bytes),
            Ok(KeyData::Rsa {
                bits: 1024,
                exponent: Some(65537),
                modulus_odd: true,
                wrapped: true
            })
        );
    }

    #[test]
    fn damage_is_found_at_its_byte() {
        let bytes = base64_decode(RSA1024).unwrap();
        let cut = read_key(&bytes[..bytes.len() - 10]).unwrap_err();
        assert!(cut.what.contains("cut short"), "{cut:?}");
        let mut longer = bytes.clone();
        longer.extend_from_slice(b"xx");
        assert!(
            read_key(&longer)
                .unwrap_err()
                .what
                .contains("2 extra bytes")
        );
        for end in 0..bytes.len() {
            assert!(read_key(&bytes[..end]).is_err());
        }
        assert_eq!(
            dotted(&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]),
            "1.2.840.10045.2.1"
        );
    }
}
