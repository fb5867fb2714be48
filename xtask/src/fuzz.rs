//! `cargo xtask fuzz TARGET [--seconds N]`: run a cargo-fuzz (libFuzzer) target on core's
//! parsers. cargo-fuzz needs nightly-only compiler flags; `RUSTC_BOOTSTRAP=1` lets the installed
//! stable toolchain accept them, as no other toolchain can be fetched here.

use std::process::Command;

use crate::{Result, root, run, step};

pub const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// The targets in `fuzz/fuzz_targets`.
pub fn targets() -> Result<Vec<String>> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("fuzz/fuzz_targets"))
        .map_err(|e| format!("fuzz/fuzz_targets: {e}"))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.path()
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        })
        .collect();
    names.sort();
    Ok(names)
}

fn ensure_cargo_fuzz() -> Result<()> {
    let want = format!("cargo-fuzz {CARGO_FUZZ_VERSION}");
    if crate::tools::version_of("cargo-fuzz").as_deref() == Some(want.as_str()) {
        return Ok(());
    }
    step(&format!(
        "Installing cargo-fuzz {CARGO_FUZZ_VERSION} (about 2 minutes, once)"
    ));
    run(Command::new("cargo").args([
        "install",
        "cargo-fuzz",
        "--version",
        CARGO_FUZZ_VERSION,
        "--locked",
    ]))
}

pub fn fuzz(target: &str, seconds: u64) -> Result<()> {
    let known = targets()?;
    if !known.iter().any(|t| t == target) {
        return Err(format!(
            "no fuzz target {target:?}; targets: {}",
            known.join(", ")
        ));
    }
    ensure_cargo_fuzz()?;
    let corpus = root().join("fuzz/corpus").join(target);
    std::fs::create_dir_all(&corpus).map_err(|e| e.to_string())?;
    step(&format!("Fuzzing {target} for {seconds} s"));
    run(Command::new("cargo")
        .args(["fuzz", "run", target])
        .arg(&corpus)
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        .current_dir(root())
        .env("RUSTC_BOOTSTRAP", "1"))
}
