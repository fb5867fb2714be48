//! Helpers shared by the CLI's end-to-end tests.
#![allow(
    dead_code,
    reason = "each test crate compiles this module and uses a different part"
)]

use std::io::Write;
use std::process::{Command, Output};

/// Runs the real `mxray` binary.
pub fn mxray(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mxray"))
        .args(args)
        .output()
        .expect("mxray runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Its standard output as JSON.
pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// A master file with `text`, deleted when dropped.
pub fn zone_file(text: &str) -> tempfile::TempPath {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(text.as_bytes()).unwrap();
    file.into_temp_path()
}
