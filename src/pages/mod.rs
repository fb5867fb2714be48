//! One module per page. Pages are thin: they read the route, ask core, and render its values.

pub mod catalog;
pub mod check;
pub mod coming;
pub mod dkim;
pub mod dmarc;
pub mod home;
pub mod lookup;
pub mod spf;
