//! `cargo xtask bench`: how fast a full check is, measured, not guessed.
//!
//! The perf zone (`tests/bench/perf.zone`: `example.test` with an SPF tree of depth 3 and 8
//! includes, DMARC, DKIM selector `sel1`, two MX hosts with A and PTR records) is served by the
//! fixture DoH server with every answer held back 50 ms. The full check runs with the CLI and in
//! headless Chromium (a release build, made first); for each run this prints the questions
//! sent, the most in flight at once (from the server's log), the wall time, and its ratio to
//! the dependency bound: the longest chain of questions that each need the one before, times
//! 50 ms. A check that asked its questions one by one would take questions × 50 ms.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::{Result, doh, root, static_server, step, tools};

/// Answers are held back this long.
const DELAY_MS: u64 = 50;

/// The longest chain of questions in the perf zone's check that each need the answer before:
/// MX → an MX host's A/AAAA → its PTR → the PTR name's A/AAAA (reverse DNS, forward-confirmed);
/// SPF is as deep (the record → its includes → theirs → theirs). DKIM, DMARC's walk, MTA-STS,
/// TLS-RPT, BIMI and client setup are one round each, in flight beside them.
const DEPTH: u64 = 4;

const RUNS: usize = 5;

struct Run {
    sent: usize,
    max_in_flight: usize,
    wall_ms: f64,
    /// In the browser: the same number of questions in the same dependent waves with plain
    /// fetch() and nothing else, in the same context just before.
    plain_fetch_ms: Option<f64>,
}

/// Reads the server's log lines written since `from` (DoH questions only).
fn log_since(log: &Path, from: usize) -> Vec<serde_json::Value> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .skip(from)
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["method"] != "OPTIONS")
        .collect()
}

fn log_len(log: &Path) -> usize {
    std::fs::read_to_string(log).map_or(0, |t| t.lines().count())
}

/// The most questions whose [start, end) intervals overlap.
fn max_overlap(entries: &[serde_json::Value]) -> usize {
    let mut events: Vec<(f64, i32)> = Vec::new();
    for e in entries {
        if let (Some(s), Some(t)) = (e["start_ms"].as_f64(), e["end_ms"].as_f64()) {
            events.push((s, 1));
            events.push((t, -1));
        }
    }
    // Ends before starts at the same instant.
    events.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (mut now, mut most) = (0i32, 0i32);
    for (_, d) in events {
        now += d;
        most = most.max(now);
    }
    most.max(0) as usize
}

fn print_runs(what: &str, runs: &[Run]) {
    let bound = (DEPTH * DELAY_MS) as f64;
    println!("{what}");
    println!(
        "  run  questions  max in flight  wall ms  ratio to depth bound ({DEPTH} x {DELAY_MS} ms = {bound} ms)"
    );
    for (i, r) in runs.iter().enumerate() {
        let floor = r
            .plain_fetch_ms
            .map(|f| format!("  plain fetch() {f:.0} ms"))
            .unwrap_or_default();
        println!(
            "  {:>3}  {:>9}  {:>13}  {:>7.0}  {:>5.2}{floor}",
            i + 1,
            r.sent,
            r.max_in_flight,
            r.wall_ms,
            r.wall_ms / bound
        );
    }
    let median_of = |values: &mut Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    let median = median_of(&mut runs.iter().map(|r| r.wall_ms).collect());
    let sent = runs.first().map_or(0, |r| r.sent);
    println!(
        "  median {median:.0} ms = {:.2} x the depth bound; one by one it would take {} x {DELAY_MS} ms = {} ms",
        median / bound,
        sent,
        sent as u64 * DELAY_MS
    );
    let mut floors: Vec<f64> = runs.iter().filter_map(|r| r.plain_fetch_ms).collect();
    if !floors.is_empty() {
        let floor = median_of(&mut floors);
        println!(
            "  plain fetch() of the same questions in the same {DEPTH} waves: median {floor:.0} ms = \
             {:.2} x the depth bound (what this browser on this machine can do at all); the page \
             takes {:.2} x that",
            floor / bound,
            median / floor
        );
    }
}

pub fn bench() -> Result<()> {
    let root = root();
    step("building the CLI (release)");
    crate::run(
        Command::new(env!("CARGO"))
            .args(["build", "--release", "--locked", "-p", "mxray-cli"])
            .current_dir(&root),
    )?;
    let artifacts = root.join("target/bench");
    std::fs::create_dir_all(&artifacts).map_err(|e| e.to_string())?;
    let log = artifacts.join("doh-queries.jsonl");
    let _ = std::fs::remove_file(&log);
    let fixture = crate::start_fixture(
        &root.join("tests/bench"),
        "127.0.0.1:0".parse().expect("address"),
        doh::Config {
            delay: Duration::from_millis(DELAY_MS),
            faults: Vec::new(),
            log: Some(log.clone()),
            http2: false,
        },
    )?;

    step("mxray check in the terminal");
    let mut cli_runs = Vec::new();
    for _ in 0..RUNS {
        let from = log_len(&log);
        let started = Instant::now();
        let out = Command::new(root.join("target/release/mxray"))
            .args([
                "check",
                "example.test",
                "--selector",
                "sel1",
                "--resolver",
                &fixture.url(),
                "--json",
            ])
            .output()
            .map_err(|e| format!("cannot run mxray: {e}"))?;
        let wall_ms = started.elapsed().as_secs_f64() * 1000.0;
        if out.status.code() != Some(0) {
            return Err(format!(
                "mxray check exited {:?}: {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let entries = log_since(&log, from);
        cli_runs.push(Run {
            sent: entries.len(),
            max_in_flight: max_overlap(&entries),
            wall_ms,
            plain_fetch_ms: None,
        });
    }
    print_runs("CLI (process start to exit)", &cli_runs);

    step("building the app (release, as served)");
    tools::ensure_build_tools()?;
    crate::test::release_build()?;
    let dist = root.join("dist");
    tools::ensure_node_modules()?;
    tools::ensure_chromium()?;
    let app = static_server::start(dist, "/").map_err(|e| e.to_string())?;
    let app = format!("http://{app}/");

    // As public resolvers serve it: HTTP/2, every question on one connection.
    let log_h2 = artifacts.join("doh-queries-h2.jsonl");
    let _ = std::fs::remove_file(&log_h2);
    let fixture_h2 = crate::start_fixture(
        &root.join("tests/bench"),
        "127.0.0.1:0".parse().expect("address"),
        doh::Config {
            delay: Duration::from_millis(DELAY_MS),
            faults: Vec::new(),
            log: Some(log_h2.clone()),
            http2: true,
        },
    )?;
    step("the Check page in headless Chromium, resolver over HTTP/2");
    let runs = browser_runs(&root, &app, &fixture_h2.url(), &log_h2)?;
    print_runs(
        "Browser, HTTP/2 (the page's check, from first question to report)",
        &runs,
    );

    // A resolver that speaks only HTTP/1.1: Chromium opens six connections to it and the page
    // keeps its own queue, the longest chains first.
    step("the Check page in headless Chromium, resolver over HTTP/1.1");
    let runs = browser_runs(&root, &app, &fixture.url(), &log)?;
    print_runs(
        "Browser, HTTP/1.1 (six connections; the page queues the rest, longest chains first)",
        &runs,
    );
    let questions = runs.first().map_or(0, |r| r.sent);
    println!(
        "  note: over HTTP/1.1 no order beats {questions} questions / 6 connections = {} rounds \
         of {DELAY_MS} ms.",
        questions.div_ceil(6)
    );
    Ok(())
}

/// Runs the browser half against the resolver at `doh` and reads each run's questions and most
/// in flight from that resolver's log.
fn browser_runs(root: &Path, app: &str, doh: &str, log: &Path) -> Result<Vec<Run>> {
    let out = Command::new("node")
        .arg(root.join("tests/bench/check.bench.mjs"))
        .current_dir(root)
        .env("PATH", tools::path_env())
        .env("CHROMIUM", tools::CHROMIUM)
        .env("MXRAY_APP_URL", app)
        .env("MXRAY_DOH_URL", doh)
        .env("MXRAY_BENCH_RUNS", RUNS.to_string())
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "the browser benchmark failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    // One JSON line per run: the page's own count and time, and when it started and ended
    // (epoch ms) to cut the server's log.
    let mut runs = Vec::new();
    let all = log_since(log, 0);
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let (from, to) = (
            v["from_epoch_ms"].as_f64().unwrap_or(0.0),
            v["to_epoch_ms"].as_f64().unwrap_or(f64::MAX),
        );
        let entries: Vec<serde_json::Value> = all
            .iter()
            .filter(|e| e["start_ms"].as_f64().is_some_and(|s| s >= from && s <= to))
            .cloned()
            .collect();
        runs.push(Run {
            sent: entries.len(),
            max_in_flight: max_overlap(&entries),
            wall_ms: v["elapsed_ms"].as_f64().unwrap_or(0.0),
            plain_fetch_ms: v["plain_fetch_ms"].as_f64(),
        });
    }
    if runs.is_empty() {
        return Err("the browser benchmark printed no runs".into());
    }
    Ok(runs)
}
