//! Components more than one page uses.

pub mod findings;
pub mod form;
