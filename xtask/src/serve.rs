//! `cargo xtask serve`: install what is missing, then `trunk serve` on http://127.0.0.1:8080.
//!
//! `--demo` runs the fixture DoH server on the zones in `tests/zones` (realistic example
//! domains, good and broken) at http://127.0.0.1:8053/dns-query and builds the app with that as
//! its default resolver, so the whole product works with no internet.

use std::process::Command;
use std::time::Duration;

use crate::{Result, doh, root, run, step, tools};

pub const DEMO_DOH_ADDR: &str = "127.0.0.1:8053";

pub fn serve(release: bool, demo: bool, port: u16) -> Result<()> {
    step("Checking the toolchain (installs only what is missing)");
    tools::ensure_build_tools()?;
    let mut trunk = Command::new("trunk");
    trunk
        .args(["serve", "index.html", "--address", "127.0.0.1", "--port"])
        .arg(port.to_string())
        .current_dir(root())
        .env("PATH", tools::path_env())
        .env("TRUNK_SKIP_VERSION_CHECK", "true");
    if release {
        trunk.arg("--release");
    }
    if demo {
        let server = crate::start_fixture(
            &root().join("tests/zones"),
            DEMO_DOH_ADDR.parse().expect("address"),
            doh::Config {
                delay: Duration::from_millis(40),
                faults: crate::test::e2e_faults(),
                log: None,
                http2: false,
            },
        )?;
        eprintln!("demo DoH resolver: {}", server.url());
        eprintln!("demo domains: example.com (good), example.net (broken), example.org (hosted)");
        trunk.env("MXRAY_DEFAULT_RESOLVER", server.url());
    } else {
        trunk.env_remove("MXRAY_DEFAULT_RESOLVER");
    }
    step(&format!(
        "Building and serving on http://127.0.0.1:{port}/ ({} build; the first takes a few minutes, \
         later ones seconds)",
        if release { "release" } else { "debug" }
    ));
    run(&mut trunk)
}
