//! `cargo xtask`: mxray's developer tasks.
//!
//! - `serve [--release] [--demo]`: install what is missing, build and serve the app on
//!   http://127.0.0.1:8080; `--demo` also runs the fixture DoH server on the demo zones.
//! - `test`: every check and test, in order, stopping at the first failure.
//! - `bench`: time a full check of the perf zone with the CLI and in headless Chromium.
//! - `setup`: only install the toolchain.
//! - `doh-fixture`: the fixture DNS-over-HTTPS server on its own.

mod bench;
mod doh;
mod fuzz;
mod serve;
mod static_server;
mod test;
mod tools;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

use clap::{Parser, Subcommand};

pub type Result<T> = std::result::Result<T, String>;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "mxray's developer tasks")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Install everything, build the app and serve it on http://127.0.0.1:8080
    Serve {
        /// Serve the optimized build (wasm-opt applied)
        #[arg(long)]
        release: bool,
        /// Also run the fixture DoH server on the demo zones in tests/zones and point the app
        /// at it, so the whole product works with no internet
        #[arg(long)]
        demo: bool,
        /// Port to serve on
        #[arg(long, default_value_t = 8080)]
        port: u16,
    },
    /// Run every check and test: fmt, clippy (native, wasm32), native tests, wasm tests in
    /// headless Chromium, a release build, end-to-end tests; then print sizes and a summary
    Test,
    /// Run only the end-to-end tests, against the dist/ of the last release build
    E2e,
    /// Fuzz one of core's parsers with libFuzzer (targets in fuzz/fuzz_targets)
    Fuzz {
        /// The target, e.g. wire_message or name_text
        target: String,
        /// How long to run
        #[arg(long, default_value_t = 60)]
        seconds: u64,
    },
    /// Measure a full check of the perf zone (50 ms per answer) with the CLI and in headless
    /// Chromium: questions, most in flight, wall time, and its ratio to the dependency bound
    Bench,
    /// Install the toolchain only (wasm32 target, trunk, wasm-bindgen-cli, wasm-opt, Chromium)
    Setup,
    /// Run the fixture DNS-over-HTTPS server (RFC 8484) on master-file zones
    DohFixture {
        /// Directory of *.zone master files
        #[arg(long, default_value = "tests/zones")]
        zones: PathBuf,
        /// Address to listen on
        #[arg(long, default_value = "127.0.0.1:8053")]
        addr: SocketAddr,
        /// Delay every answer by this many milliseconds
        #[arg(long, default_value_t = 0)]
        delay_ms: u64,
        /// Append one JSON line per query to this file
        #[arg(long)]
        log: Option<PathBuf>,
        /// Simulate a fault: MODE for every query or MODE=NAME for a name and the names under
        /// it. Modes: servfail, refused, timeout, http429, http500, html, content-type,
        /// truncated, no-cors. Repeatable.
        #[arg(long = "fault", value_name = "MODE[=NAME]")]
        faults: Vec<doh::FaultRule>,
        /// Speak HTTP/2 over TLS (certificate tests/tls/fixture.crt) instead of HTTP/1.1
        #[arg(long)]
        http2: bool,
    },
}

/// The repository root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the repository")
        .to_path_buf()
}

/// Prints what is about to happen.
pub fn step(what: &str) {
    eprintln!("\x1b[1m==> {what}\x1b[0m");
}

/// A command as a person would type it: program and arguments, without the environment.
pub fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs a command to completion, inheriting output; an error says which command failed.
pub fn run(cmd: &mut Command) -> Result<()> {
    let shown = describe(cmd);
    let status = cmd
        .status()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// Starts the fixture DoH server in this process.
pub fn start_fixture(zones: &Path, addr: SocketAddr, config: doh::Config) -> Result<doh::Server> {
    let store = doh::ZoneStore::load_dir(zones)?;
    eprintln!(
        "fixture DoH: {} names from {}",
        store.len(),
        zones.display()
    );
    doh::Server::start(addr, store, config).map_err(|e| format!("cannot listen on {addr}: {e}"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Serve {
            release,
            demo,
            port,
        } => serve::serve(release, demo, port),
        Task::Test => test::run_all(),
        Task::E2e => test::run_e2e_only(),
        Task::Fuzz { target, seconds } => fuzz::fuzz(&target, seconds),
        Task::Bench => bench::bench(),
        Task::Setup => tools::ensure_build_tools().and_then(|()| tools::ensure_chromium()),
        Task::DohFixture {
            zones,
            addr,
            delay_ms,
            log,
            faults,
            http2,
        } => start_fixture(
            &zones,
            addr,
            doh::Config {
                delay: Duration::from_millis(delay_ms),
                faults,
                log,
                http2,
            },
        )
        .map(|server| {
            eprintln!("fixture DoH server at {} (Ctrl-C stops it)", server.url());
            loop {
                std::thread::park();
            }
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\x1b[1;31merror:\x1b[0m {message}");
            ExitCode::FAILURE
        }
    }
}
