//! `cargo xtask test`: every check and test, in order, stopping at the first failure.
//!
//! Stages: rustfmt; clippy `-D warnings` native and wasm32; native tests of every crate;
//! wasm-bindgen tests in headless Chromium; a release build with trunk (wasm-opt applied);
//! end-to-end tests that drive the built release page in headless Chromium (Playwright) against
//! the fixture DoH server, served from a plain static server at the root and in a sub-folder.
//! It ends with the brotli size of the built page and one line `N passed, M failed` counting
//! every test that ran.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{Result, doh, root, static_server, step, tools};

/// Passed and failed tests over every stage.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub passed: u64,
    pub failed: u64,
}

impl Tally {
    /// Reads the counts from one line of cargo test, wasm-bindgen-test-runner or node's test
    /// runner output (spec and TAP reporters).
    pub fn read_line(&mut self, line: &str) {
        let line = line.trim();
        // cargo: "test result: ok. 12 passed; 0 failed; 0 ignored; ..."
        if let Some(rest) = line.strip_prefix("test result: ") {
            for part in rest.split(';') {
                let words: Vec<_> = part.split_whitespace().collect();
                let (n, what) = match words.as_slice() {
                    [.., n, what] => (n.parse::<u64>().ok(), *what),
                    _ => continue,
                };
                match (n, what) {
                    (Some(n), "passed") => self.passed += n,
                    (Some(n), "failed") => self.failed += n,
                    _ => {}
                }
            }
            return;
        }
        // node --test: "ℹ pass 5" / "ℹ fail 0" (spec) or "# pass 5" / "# fail 0" (TAP)
        let rest = line
            .strip_prefix('ℹ')
            .or_else(|| line.strip_prefix('#'))
            .map(str::trim);
        if let Some(rest) = rest {
            if let Some(n) = rest
                .strip_prefix("pass ")
                .and_then(|n| n.trim().parse::<u64>().ok())
            {
                self.passed += n;
            } else if let Some(n) = rest
                .strip_prefix("fail ")
                .and_then(|n| n.trim().parse::<u64>().ok())
            {
                self.failed += n;
            }
        }
    }
}

struct Pipeline {
    tally: Tally,
    started: Instant,
    stage: usize,
}

const STAGES: usize = 8;

impl Pipeline {
    fn stage(&mut self, name: &str, about: &str) -> Instant {
        self.stage += 1;
        step(&format!("[{}/{STAGES}] {name} ({about})", self.stage));
        Instant::now()
    }

    fn done(at: Instant) {
        eprintln!("    done in {:.1} s", at.elapsed().as_secs_f64());
    }

    /// Runs a command, echoing its stdout while counting test results.
    fn counted(&mut self, cmd: &mut Command) -> Result<()> {
        let shown = crate::describe(cmd);
        let mut child = cmd
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("could not start {shown}: {e}"))?;
        let before = self.tally;
        if let Some(out) = child.stdout.take() {
            for line in BufReader::new(out).lines().map_while(std::io::Result::ok) {
                println!("{line}");
                self.tally.read_line(&line);
            }
        }
        let status = child.wait().map_err(|e| e.to_string())?;
        let failed_here = self.tally.failed - before.failed;
        if !status.success() || failed_here > 0 {
            return Err(format!(
                "{shown} failed ({status}, {failed_here} failed tests)"
            ));
        }
        Ok(())
    }
}

fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root()).env("PATH", tools::path_env());
    cmd
}

/// Runs every stage; on the first failure says which stage failed and why.
pub fn run_all() -> Result<()> {
    let mut p = Pipeline {
        tally: Tally::default(),
        started: Instant::now(),
        stage: 0,
    };
    step("Checking the toolchain (installs only what is missing)");
    let setup = tools::ensure_build_tools().and_then(|()| tools::ensure_chromium());
    let result = setup.and_then(|()| stages(&mut p));
    let total = p.started.elapsed();
    match &result {
        Ok(()) => eprintln!("all stages passed in {:.0} s", total.as_secs_f64()),
        Err(e) => eprintln!("\x1b[1;31mFAILED at stage {}/{STAGES}:\x1b[0m {e}", p.stage),
    }
    println!("{} passed, {} failed", p.tally.passed, p.tally.failed);
    result
}

/// Only the end-to-end stage, against the existing `dist/` (for working on the tests).
pub fn run_e2e_only() -> Result<()> {
    tools::ensure_node_modules()?;
    tools::ensure_chromium()?;
    if !root().join("dist/index.html").exists() {
        return Err(
            "no dist/index.html: run `cargo xtask test` (or trunk build --release) first".into(),
        );
    }
    let mut p = Pipeline {
        tally: Tally::default(),
        started: Instant::now(),
        stage: 6,
    };
    let result = end_to_end(&mut p);
    println!("{} passed, {} failed", p.tally.passed, p.tally.failed);
    result
}

fn stages(p: &mut Pipeline) -> Result<()> {
    let at = p.stage("rustfmt", "seconds");
    crate::run(cargo().args(["fmt", "--all", "--", "--check"]))
        .map_err(|e| format!("{e}: run `cargo fmt --all`"))?;
    Pipeline::done(at);

    let at = p.stage("clippy, native", "about 1 minute on a fresh checkout");
    crate::run(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ]))?;
    Pipeline::done(at);

    let at = p.stage("clippy, wasm32", "about 1 minute on a fresh checkout");
    crate::run(cargo().args([
        "clippy",
        "-p",
        "mxray-core",
        "-p",
        "mxray-app",
        "--all-targets",
        "--locked",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))?;
    Pipeline::done(at);

    let at = p.stage("native tests", "about 2 minutes on a fresh checkout");
    p.counted(cargo().args(["test", "--workspace", "--exclude", "mxray-app", "--locked"]))?;
    Pipeline::done(at);

    let at = p.stage(
        "wasm tests in headless Chromium",
        "about 2 minutes on a fresh checkout",
    );
    p.counted(
        cargo()
            .args([
                "test",
                "-p",
                "mxray-app",
                "--target",
                "wasm32-unknown-unknown",
                "--locked",
                "--test",
                "web",
            ])
            .env("CHROMEDRIVER", tools::CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "60"),
    )?;
    Pipeline::done(at);

    let at = p.stage(
        "release build with trunk",
        "about 2 minutes on a fresh checkout",
    );
    release_build()?;
    Pipeline::done(at);

    let at = p.stage("end-to-end tests in headless Chromium", "under a minute");
    end_to_end(p)?;
    Pipeline::done(at);

    let at = p.stage("bundle size", "seconds");
    print_sizes(&root().join("dist"))?;
    Pipeline::done(at);
    Ok(())
}

/// `trunk build --release` into dist/ (wasm-opt applied), with the default resolver list.
pub fn release_build() -> Result<()> {
    crate::run(
        Command::new("trunk")
            .args(["build", "index.html", "--release", "--locked"])
            .current_dir(root())
            .env("PATH", tools::path_env())
            .env("TRUNK_SKIP_VERSION_CHECK", "true")
            .env_remove("MXRAY_DEFAULT_RESOLVER"),
    )
}

/// The fault rules the end-to-end tests rely on: `<mode>.faults.test` shows each fault.
/// More fail one area each of the Check page's `partial.check.test`, the PTR of
/// `rdnsfail.check.test`'s MX, and `bogus.signed.test`'s DMARC with a DNSSEC error.
pub fn e2e_faults() -> Vec<doh::FaultRule> {
    let rule = |fault, name: &str| doh::FaultRule {
        fault,
        name: Some(hickory_proto::rr::Name::from_ascii(name).expect("valid name")),
    };
    doh::Fault::all()
        .map(|fault| rule(fault, &format!("{}.faults.test.", fault.name())))
        .chain([
            rule(doh::Fault::ServFail, "_dmarc.partial.check.test."),
            rule(doh::Fault::Refused, "_smtp._tls.partial.check.test."),
            rule(doh::Fault::ServFail, "30.100.51.198.in-addr.arpa."),
            rule(doh::Fault::Bogus, "_dmarc.bogus.signed.test."),
        ])
        .collect()
}

fn end_to_end(p: &mut Pipeline) -> Result<()> {
    let root = root();
    let artifacts = root.join("target/e2e");
    std::fs::create_dir_all(&artifacts).map_err(|e| e.to_string())?;
    let log = artifacts.join("doh-queries.jsonl");
    let _ = std::fs::remove_file(&log);
    let fixture = crate::start_fixture(
        &root.join("tests/zones"),
        "127.0.0.1:0".parse().expect("address"),
        doh::Config {
            delay: Duration::ZERO,
            faults: e2e_faults(),
            log: Some(log.clone()),
            http2: false,
        },
    )?;
    // A second resolver that still has yesterday's records: comparing resolvers must show
    // the difference, as during propagation.
    let stale = crate::start_fixture(
        &root.join("tests/zones/stale"),
        "127.0.0.1:0".parse().expect("address"),
        doh::Config::default(),
    )?;
    // The same zones over HTTP/2 and TLS, as public resolvers serve DoH.
    let log_h2 = artifacts.join("doh-queries-h2.jsonl");
    let _ = std::fs::remove_file(&log_h2);
    let h2 = crate::start_fixture(
        &root.join("tests/zones"),
        "127.0.0.1:0".parse().expect("address"),
        doh::Config {
            // Long enough that questions asked together are seen together in the log.
            delay: Duration::from_millis(25),
            log: Some(log_h2.clone()),
            http2: true,
            ..doh::Config::default()
        },
    )?;
    let dist = root.join("dist");
    let at_root = static_server::start(dist.clone(), "/").map_err(|e| e.to_string())?;
    // A copy whose Content-Security-Policy also allows any https: site, as a deployment may
    // choose: there the Check page fetches MTA-STS policies.
    let open_csp = artifacts.join("dist-open-csp");
    copy_with_open_csp(&dist, &open_csp)?;
    let in_folder = static_server::start(dist, "/some/sub/folder/").map_err(|e| e.to_string())?;
    let open_csp = static_server::start(open_csp, "/").map_err(|e| e.to_string())?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("tests/e2e"))
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    // `MXRAY_E2E_ONLY=check cargo xtask e2e` runs only the files whose name contains `check`.
    if let Ok(only) = std::env::var("MXRAY_E2E_ONLY") {
        files.retain(|f| f.to_string_lossy().contains(&only));
    }
    if files.is_empty() {
        return Err("no tests/e2e/*.test.mjs files".into());
    }
    let mut cmd = Command::new("node");
    cmd.arg("--test")
        .arg("--test-reporter=spec")
        .arg("--test-concurrency=1")
        .args(&files)
        .current_dir(&root)
        .env("PATH", tools::path_env())
        .env("MXRAY_APP_URL", format!("http://{at_root}/"))
        .env(
            "MXRAY_SUB_URL",
            format!("http://{in_folder}/some/sub/folder/"),
        )
        .env("MXRAY_OPEN_CSP_URL", format!("http://{open_csp}/"))
        .env("MXRAY_DOH_URL", fixture.url())
        .env("MXRAY_DOH_STALE_URL", stale.url())
        .env("MXRAY_DOH_LOG", &log)
        .env("MXRAY_DOH_H2_URL", h2.url())
        .env("MXRAY_DOH_H2_LOG", &log_h2)
        .env("MXRAY_ARTIFACTS", &artifacts)
        .env("CHROMIUM", tools::CHROMIUM);
    p.counted(&mut cmd)
}

/// Copies `from` to `to`, adding `https:` to `connect-src` in every HTML file.
fn copy_with_open_csp(from: &Path, to: &Path) -> Result<()> {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_with_open_csp(&path, &target)?;
        } else if path.extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
            let opened = html.replace("connect-src 'self'", "connect-src 'self' https:");
            if opened == html {
                return Err(format!(
                    "{}: no connect-src 'self' to widen",
                    path.display()
                ));
            }
            std::fs::write(&target, opened).map_err(|e| e.to_string())?;
        } else {
            std::fs::copy(&path, &target).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// Brotli (quality 11) size of each html, js, wasm and css file at the top of `dist`.
pub fn print_sizes(dist: &Path) -> Result<()> {
    let mut rows = Vec::new();
    for entry in std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !["html", "js", "wasm", "css"].contains(&ext) || !path.is_file() {
            continue;
        }
        let raw = std::fs::read(&path).map_err(|e| e.to_string())?;
        let compressed = brotli_len(&raw);
        rows.push((
            path.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
            raw.len(),
            compressed,
        ));
    }
    rows.sort();
    let (raw_total, br_total) = rows
        .iter()
        .fold((0, 0), |(r, b), row| (r + row.1, b + row.2));
    for (name, raw, br) in &rows {
        println!("  {name:<40} {raw:>9} B raw {br:>8} B brotli");
    }
    println!("bundle size (html+js+wasm+css): {raw_total} B raw, {br_total} B brotli");
    Ok(())
}

fn brotli_len(data: &[u8]) -> usize {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let mut out = Vec::new();
    let mut input = data;
    match brotli::BrotliCompress(&mut input, &mut out, &params) {
        Ok(n) => n,
        Err(_) => data.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tally_reads_cargo_wasm_and_node_summaries() {
        let mut t = Tally::default();
        t.read_line("test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s");
        t.read_line("test result: FAILED. 3 passed; 2 failed; 0 ignored");
        t.read_line("ℹ pass 7");
        t.read_line("ℹ fail 1");
        t.read_line("# pass 2");
        t.read_line("ℹ tests 8");
        t.read_line("running 12 tests");
        assert_eq!(
            t,
            Tally {
                passed: 24,
                failed: 3
            }
        );
    }

    #[test]
    fn every_fault_mode_has_an_e2e_name() {
        let rules = e2e_faults();
        let names: Vec<String> = rules
            .iter()
            .map(|r| r.name.as_ref().unwrap().to_ascii())
            .collect();
        for fault in doh::Fault::all() {
            let want = format!("{}.faults.test.", fault.name());
            assert!(
                rules
                    .iter()
                    .zip(&names)
                    .any(|(r, n)| r.fault == fault && *n == want),
                "{want}"
            );
        }
        // And the Check page's two per-area faults.
        assert!(names.contains(&"_dmarc.partial.check.test.".to_owned()));
        assert!(names.contains(&"_smtp._tls.partial.check.test.".to_owned()));
    }

    #[test]
    fn brotli_compresses_repetitive_text() {
        let text = "v=spf1 include:_spf.example.com -all\n".repeat(100);
        assert!(brotli_len(text.as_bytes()) < text.len() / 10);
    }
}
