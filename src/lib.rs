//! mxray in the browser: the Leptos app and its DNS-over-HTTPS transport.
//!
//! Nothing here decides what a record means; that is `mxray-core`. This crate routes, renders
//! core's values as text (never as HTML), and moves bytes to and from the chosen resolver.

pub mod app;
pub mod components;
pub mod doh;
pub mod pages;
pub mod resolver;
pub mod route;

/// Installs the panic hook and mounts the app on `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
