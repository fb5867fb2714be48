//! SPF (RFC 7208): the record grammar with byte spans ([`record`]), macros ([`macros`]) and
//! `check_host()` with a trace of every step ([`eval`]).
//!
//! A record is parsed once into [`record::Record`]; every term keeps the byte range it came
//! from, so findings can underline the exact text. `Display` prints the canonical form and
//! `parse(display(x)) == x`.

pub mod analysis;
pub mod eval;
pub mod lint;
pub mod macros;
pub mod net;
pub mod record;

pub use eval::{Evaluation, SpfResult, Step, check_helo, check_host, check_mail_from};
pub use record::{Directive, DualCidr, Mechanism, Modifier, ParseError, Qualifier, Record, Term};
