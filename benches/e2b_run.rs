//! `codingit run` of a one-line cell on the e2b backend, over the local spec-faithful
//! E2B server (tests/e2b_server), beside the same run on the local backend, both
//! timed in this run. The difference is what the protocol adds on loopback (REST
//! create and kill, the Connect stream, `/files`, the extra realpath process): it
//! leaves out the network latency to a real E2B region and its sandbox start.
//! Run with `cargo bench --bench e2b_run` (the local backend must work here); under
//! `cargo test --all-targets` it is a two-round smoke run.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[path = "../tests/e2b_server/mod.rs"]
mod e2b_server;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Timed rounds under `cargo bench` (which passes `--bench`); two as a smoke test.
fn rounds() -> usize {
    if std::env::args().any(|a| a == "--bench") {
        15
    } else {
        2
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn run(backend: &str, env: &[(&'static str, String)], home: &std::path::Path) -> Duration {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_codingit"));
    cmd.args(["run", "-", "--backend", backend, "--no-log", "-q"])
        .env("CODINGIT_CONFIG_DIR", home.join("config"))
        .env("CODINGIT_STATE_DIR", home.join("state"))
        // The local environments the tests share, when there are some.
        .env("CODINGIT_CACHE_DIR", cache_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let started = Instant::now();
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"print(6 * 7)\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let took = started.elapsed();
    assert!(
        out.status.success() && out.stdout == b"42\n",
        "{backend}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    took
}

fn cache_dir() -> std::path::PathBuf {
    std::env::var_os("CODINGIT_TEST_CACHE_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/codingit-dev/local-envs")
        })
}

fn main() {
    let runs = rounds();
    let server = e2b_server::E2bServer::start();
    let home = tempfile::tempdir().unwrap();
    let mut local = Vec::new();
    let mut e2b = Vec::new();
    // One of each first, untimed: caches warm on both sides.
    run("local", &[], home.path());
    run("e2b", &server.env(), home.path());
    for _ in 0..runs {
        local.push(run("local", &[], home.path()));
        e2b.push(run("e2b", &server.env(), home.path()));
    }
    let (local, e2b) = (median(local), median(e2b));
    println!("run of a one-line cell, median of {runs}:");
    println!(
        "  local backend (baseline)          {:>8.1} ms",
        local.as_secs_f64() * 1000.0
    );
    println!(
        "  e2b backend over the test server  {:>8.1} ms",
        e2b.as_secs_f64() * 1000.0
    );
    println!(
        "  protocol overhead                 {:>8.1} ms",
        (e2b.as_secs_f64() - local.as_secs_f64()) * 1000.0
    );
}
