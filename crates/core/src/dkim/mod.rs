//! DKIM (RFC 6376): key records read and checked, selectors discovered, and pasted
//! `DKIM-Signature` headers read for their domain and selector.

pub mod der;
pub mod discover;
pub mod key;
pub mod signature;

use key::KeyRecord;
use signature::SignatureRef;

/// What pasted DKIM text is: one or more `DKIM-Signature` headers (whose keys are to be looked
/// up), or a key record (checked as it is).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pasted {
    Signatures(Vec<SignatureRef>),
    Key(KeyRecord),
}

/// Reads pasted text as signatures when it names a signing domain and selector (`d=` and `s=`;
/// a key record has no `d=`), else as a key record.
pub fn read_pasted(text: &str) -> Pasted {
    let found = signature::signatures(text);
    if found.is_empty() {
        Pasted::Key(key::lint_pasted(text))
    } else {
        Pasted::Signatures(found)
    }
}
