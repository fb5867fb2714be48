//! The toolchain, installed on demand and pinned: the wasm32 target, trunk, wasm-bindgen-cli
//! (exactly the version in Cargo.lock), binaryen's wasm-opt and playwright-core from npm, and
//! Chromium with ChromeDriver from Debian's packages. Each step checks first and installs only
//! what is missing or wrong, so a second run costs seconds. See `../shared/toolchain.md` for why
//! each pin is what it is.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Result, root, run, step};

/// trunk 0.21.14 is the newest that builds with the installed rustc (0.22 needs 1.96.1).
pub const TRUNK_VERSION: &str = "0.21.14";
/// Debian's binaryen (108) produces wasm that fails in the browser; npm's 132 works.
pub const BINARYEN_VERSION: &str = "132.0.0";

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// `PATH` with the project's npm tools and cargo's bin directory first, so trunk finds the
/// pinned wasm-opt and wasm-bindgen and never tries to download one.
pub fn path_env() -> String {
    let mut dirs = vec![root().join("node_modules/.bin"), cargo_bin_dir()];
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            if !dirs.contains(&dir) {
                dirs.push(dir);
            }
        }
    }
    std::env::join_paths(dirs)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn cargo_bin_dir() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from("/root/.cargo"))
        .join("bin")
}

/// The first line `tool --version` prints, with our PATH; `None` when it is not installed.
pub fn version_of(tool: &str) -> Option<String> {
    let out = Command::new(tool)
        .arg("--version")
        .env("PATH", path_env())
        .output()
        .ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned()
    })
}

/// The `wasm-bindgen` version Cargo.lock resolved: the CLI must be exactly this.
pub fn locked_wasm_bindgen() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_owned());
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".into())
}

pub fn ensure_wasm_target() -> Result<()> {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| {
            format!("rustup not found ({e}); install the wasm32-unknown-unknown target")
        })?;
    if String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    step("Adding the wasm32-unknown-unknown target (seconds)");
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

pub fn ensure_trunk() -> Result<()> {
    let want = format!("trunk {TRUNK_VERSION}");
    if version_of("trunk").as_deref() == Some(want.as_str()) {
        return Ok(());
    }
    step(&format!(
        "Installing trunk {TRUNK_VERSION} with cargo (about 13 minutes on 2 cores; once per machine)"
    ));
    run(Command::new("cargo").args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]))
}

pub fn ensure_wasm_bindgen() -> Result<()> {
    let version = locked_wasm_bindgen()?;
    let want = format!("wasm-bindgen {version}");
    if version_of("wasm-bindgen").as_deref() == Some(want.as_str())
        && version_of("wasm-bindgen-test-runner").is_some()
    {
        return Ok(());
    }
    step(&format!(
        "Installing wasm-bindgen-cli {version} (the version in Cargo.lock; about 4 minutes, once)"
    ));
    // Without --locked: the registry lacks one of its locked dependencies.
    run(Command::new("cargo").args([
        "install",
        "wasm-bindgen-cli",
        "--version",
        &version,
        "--force",
    ]))
}

/// `npm ci` when node_modules does not match package-lock.json (binaryen and playwright-core).
pub fn ensure_node_modules() -> Result<()> {
    let root = root();
    let lock = std::fs::read(root.join("package-lock.json"))
        .map_err(|e| format!("cannot read package-lock.json: {e}"))?;
    let stamp_path = root.join("node_modules/.mxray-lock-stamp");
    let stamp = format!("{:016x}", fnv1a(&lock));
    let wasm_opt = root.join("node_modules/.bin/wasm-opt");
    if wasm_opt.exists() && std::fs::read_to_string(&stamp_path).ok().as_deref() == Some(&stamp) {
        return Ok(());
    }
    if version_of("npm").is_none() {
        return Err("npm is not installed: install Node.js 20 and npm (Debian: nodejs npm)".into());
    }
    step(&format!(
        "Installing binaryen {BINARYEN_VERSION} (wasm-opt) and playwright-core from npm (seconds)"
    ));
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&root))?;
    std::fs::write(&stamp_path, stamp).map_err(|e| format!("cannot write npm stamp: {e}"))?;
    Ok(())
}

/// Chromium and ChromeDriver from Debian's packages (as root), or says what to install.
pub fn ensure_chromium() -> Result<()> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if !is_root {
        return Err(format!(
            "{CHROMIUM} and {CHROMEDRIVER} are needed for the browser tests; \
             install them as root: apt-get update && apt-get install -y chromium chromium-driver"
        ));
    }
    step("Installing Chromium and ChromeDriver from Debian's packages (about 30 seconds)");
    run(Command::new("apt-get")
        .arg("update")
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    run(Command::new("apt-get")
        .args([
            "install",
            "-y",
            "--no-install-recommends",
            "chromium",
            "chromium-driver",
        ])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// Everything `serve` needs.
pub fn ensure_build_tools() -> Result<()> {
    ensure_wasm_target()?;
    ensure_node_modules()?;
    ensure_wasm_bindgen()?;
    ensure_trunk()
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cargo.toml's `=` pin, Cargo.lock and Trunk.toml's `[tools]` must agree, or trunk would try
    /// to download another wasm-bindgen.
    #[test]
    fn wasm_bindgen_pins_agree_everywhere() {
        let locked = locked_wasm_bindgen().unwrap();
        let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
        assert!(
            manifest.contains(&format!("wasm-bindgen = \"={locked}\"")),
            "Cargo.toml pins wasm-bindgen to ={locked}"
        );
        let trunk = std::fs::read_to_string(root().join("Trunk.toml")).unwrap();
        assert!(
            trunk.contains(&format!("wasm_bindgen = \"{locked}\"")),
            "Trunk.toml pins wasm_bindgen = {locked}"
        );
    }

    #[test]
    fn binaryen_pin_agrees_between_package_json_and_trunk_toml() {
        let package = std::fs::read_to_string(root().join("package.json")).unwrap();
        assert!(package.contains(&format!("\"binaryen\": \"{BINARYEN_VERSION}\"")));
        let major = BINARYEN_VERSION.split('.').next().unwrap();
        let trunk = std::fs::read_to_string(root().join("Trunk.toml")).unwrap();
        assert!(trunk.contains(&format!("wasm_opt = \"version_{major}\"")));
    }
}
