//! The browser entry point: a panic hook, then mount. Everything else is in the library.

fn main() {
    mxray_app::start();
}
