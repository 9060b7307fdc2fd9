//! Context selection on a real repository: listing, reading, scoring and the map,
//! as `chat` does before it asks a model. Target: under 200 ms. The baseline, timed
//! in the same run, is `git ls-files` on the same tree (listing alone, no reading).
//! Run with `cargo bench --bench select`; point `CODINGIT_BENCH_REPO` at a large
//! checkout (the note of the issue used rust-lang/cargo, 3,072 files); default: this
//! repository.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use codingit::repo::select::{select, SelectRequest};
use codingit::safefs::Root;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const RUNS: usize = 15;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let dir = std::env::var_os("CODINGIT_BENCH_REPO")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let root = Root::open(&dir.canonicalize().unwrap()).unwrap();
    let request = SelectRequest {
        instruction: "make the dependency resolver report which features conflict, and add a test",
        budget_tokens: 60_000,
        explicit: &[],
    };
    let mut selecting = Vec::new();
    let mut baseline = Vec::new();
    let mut last = None;
    for _ in 0..RUNS {
        let started = Instant::now();
        let listed = std::process::Command::new("git")
            .arg("-C")
            .arg(&dir)
            .args(["ls-files", "-z"])
            .output()
            .unwrap();
        baseline.push(started.elapsed());
        assert!(listed.status.success() || listed.stdout.is_empty());
        let started = Instant::now();
        let selection = select(&dir, &root, &request).unwrap();
        selecting.push(started.elapsed());
        last = Some(selection);
    }
    let selection = last.unwrap();
    println!(
        "context selection on {} ({} files listed)",
        dir.display(),
        selection.listed
    );
    println!(
        "  select: median {:.1} ms (target < 200 ms); {} files in full, {} tokens of {}",
        median(selecting).as_secs_f64() * 1e3,
        selection.files.len(),
        selection.tokens,
        request.budget_tokens
    );
    println!(
        "  baseline `git ls-files`: median {:.1} ms",
        median(baseline).as_secs_f64() * 1e3
    );
}
