//! Reading a pasted `DKIM-Signature` header (RFC 6376 §3.5) for where its key lives: `d=` (the
//! signing domain) and `s=` (the selector). Users paste one header, several, or a message's
//! whole header block; every signature in it is found, folded lines unfolded.

use crate::tags::TagList;

/// One signature's pointers to its key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureRef {
    /// `d=`, the signing domain.
    pub domain: String,
    /// `s=`, the selector.
    pub selector: String,
    /// `a=`, the algorithm, when given.
    pub algorithm: Option<String>,
}

impl SignatureRef {
    /// Where the key is published: `<s>._domainkey.<d>`.
    pub fn key_name(&self) -> String {
        format!("{}._domainkey.{}", self.selector, self.domain)
    }
}

/// Every `DKIM-Signature` in `text` that names a domain and a selector. Text that is not a header
/// block at all, but a bare tag list (`v=1; a=…; d=…; s=…`), is read as one signature.
pub fn signatures(text: &str) -> Vec<SignatureRef> {
    let mut found = Vec::new();
    let mut current: Option<String> = None;
    let mut any_header = false;
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(value) = current.as_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some(value) = current.take() {
            found.extend(read(&value));
        }
        if let Some((name, value)) = line.split_once(':')
            && !name.contains(' ')
            && !name.is_empty()
        {
            any_header = true;
            if name.eq_ignore_ascii_case("DKIM-Signature") {
                current = Some(value.trim().to_owned());
            }
        }
    }
    if let Some(value) = current.take() {
        found.extend(read(&value));
    }
    if !any_header {
        found.extend(read(&text.split_whitespace().collect::<Vec<_>>().join(" ")));
    }
    found
}

fn read(value: &str) -> Option<SignatureRef> {
    let tags = TagList::parse(value);
    let get = |name: &str| {
        tags.get(name)
            .map(|t| t.value.split_whitespace().collect::<String>())
            .filter(|v| !v.is_empty())
    };
    Some(SignatureRef {
        domain: get("d")?.trim_end_matches('.').to_ascii_lowercase(),
        selector: get("s")?,
        algorithm: get("a"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_headers_in_a_header_block_are_all_found() {
        let block = "Received: from x\r\nDKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n \
                     d=Example.COM; s=sel\r\n\t1;\r\n bh=abc=;\r\n b=def\r\ndkim-signature: v=1; \
                     d=vendor.example; s=k1; b=x\r\nSubject: hi\r\n";
        let found = signatures(block);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].key_name(), "sel1._domainkey.example.com");
        assert_eq!(found[0].algorithm.as_deref(), Some("rsa-sha256"));
        assert_eq!(found[1].key_name(), "k1._domainkey.vendor.example");
        let bare = signatures("v=1; a=ed25519-sha256; d=example.org; s=brisbane; b=x");
        assert_eq!(bare[0].key_name(), "brisbane._domainkey.example.org");
        assert!(signatures("Subject: no signature here").is_empty());
        // A key record (s= is its service list) is not a signature; a signature whose b= holds
        // "p=" still is one.
        assert!(signatures("v=DKIM1; h=sha1:sha256; s=email; p=MIGf").is_empty());
        assert_eq!(signatures("v=1; d=a.test; s=k; b=Zp==").len(), 1);
        assert!(signatures("").is_empty());
    }
}
