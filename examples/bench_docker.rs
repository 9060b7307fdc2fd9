//! Benchmark: a one-line Python snippet through the Docker backend (create, write
//! the file, exec, remove) against a raw `docker run --rm --network none IMAGE
//! python3 -c …` of the same image, interleaved in the same run.
//!
//! Two backend paths are timed each round, with the same hardening:
//! - cold: create and start a container, write, exec, remove;
//! - pooled: claim a pre-started container from the warm pool (rename + expiry),
//!   write, exec, remove; the pool's background refill starts inside the timed part,
//!   but is waited for before the raw run is timed (so it cannot slow the raw run).
//!
//! Usage: bench_docker [RUNS]   (scripts/bench-run-docker sets things up)
#![allow(clippy::print_stdout, clippy::print_stderr)]

use codingit::catalog::TemplateCatalog;
use codingit::sandbox::docker::{DockerBackend, ImageOptions};
use codingit::sandbox::{Backend, ExecRequest, Limits, SandboxSpec};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const SNIPPET: &str = "print(sum(range(10)))";

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// One run through the backend; (total, [create, write, exec, remove]) in seconds.
async fn one(backend: &DockerBackend, spec: &SandboxSpec) -> anyhow::Result<(f64, [f64; 4])> {
    let t = Instant::now();
    let info = backend.create(spec).await?;
    let t_create = t.elapsed().as_secs_f64();
    backend
        .write_files(
            &info.id,
            &[("script.py".into(), SNIPPET.as_bytes().to_vec())],
        )
        .await?;
    let t_write = t.elapsed().as_secs_f64();
    let req = ExecRequest {
        argv: vec!["python3".into(), "script.py".into()],
        timeout: Some(Duration::from_secs(30)),
        ..Default::default()
    };
    let out = backend.exec(&info.id, &req, &|_| {}).await?;
    let t_exec = t.elapsed().as_secs_f64();
    backend.kill(&info.id).await?;
    let total = t.elapsed().as_secs_f64();
    anyhow::ensure!(out.exit_code == 0, "backend run failed");
    Ok((
        total,
        [
            t_create,
            t_write - t_create,
            t_exec - t_write,
            total - t_exec,
        ],
    ))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10);
    let options = ImageOptions {
        base_image: std::env::var("CODINGIT_TEST_BASE_IMAGE").ok(),
        ca_cert: std::env::var("CODINGIT_TEST_CA_CERT").ok().map(Into::into),
        user_templates: None,
    };
    let backend = DockerBackend::connect(options).await?;
    let template = TemplateCatalog::builtin()?
        .get("code-interpreter-v1")?
        .clone();
    backend.prepare(&template, &|_| {}).await?;
    let image = backend.image_tag(&template)?;
    let spec = SandboxSpec {
        template,
        project: None,
        lifetime: Duration::from_secs(120),
        network: false,
        limits: Limits::default(),
        env: BTreeMap::new(),
    };
    let (mut cold, mut pooled, mut raw) = (Vec::new(), Vec::new(), Vec::new());
    let (mut cold_phases, mut pooled_phases) = (Vec::new(), Vec::new());
    for i in 0..runs + 1 {
        backend.set_pool(0);
        let (cold_s, cold_p) = one(&backend, &spec).await?;

        backend.set_pool(1);
        backend.fill_pool(&spec).await?;
        let (pooled_s, pooled_p) = one(&backend, &spec).await?;
        backend.pool_idle().await;

        let t = Instant::now();
        let status = std::process::Command::new("docker")
            .args([
                "run",
                "--rm",
                "--network",
                "none",
                &image,
                "python3",
                "-c",
                SNIPPET,
            ])
            .stdout(std::process::Stdio::null())
            .status()?;
        let raw_s = t.elapsed().as_secs_f64();
        anyhow::ensure!(status.success(), "docker run failed");
        if i > 0 {
            // The first round warms caches and is not counted.
            cold.push(cold_s);
            pooled.push(pooled_s);
            raw.push(raw_s);
            cold_phases.push(cold_p);
            pooled_phases.push(pooled_p);
        }
        eprintln!("run {i}: cold {cold_s:.3}s  pooled {pooled_s:.3}s  docker run {raw_s:.3}s");
    }
    let drained = backend.drain_pool(&spec).await?;
    eprintln!("(removed {drained} unclaimed pool container(s))");
    for (label, phases) in [("cold", &cold_phases), ("pooled", &pooled_phases)] {
        let names = ["create/claim", "write", "exec", "remove"];
        let parts: Vec<String> = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let m = median(phases.iter().map(|p: &[f64; 4]| p[i]).collect());
                format!("{n} {m:.3}s")
            })
            .collect();
        eprintln!("{label:>6} phases (medians): {}", parts.join(", "));
    }
    let (c, p, r) = (median(cold), median(pooled), median(raw));
    println!("backend median (warm pool): {p:.3}s");
    println!("backend median (cold):      {c:.3}s");
    println!("docker run median:          {r:.3}s");
    println!(
        "ratio (warm pool):          {:.2}x (target <= 1.20x)",
        p / r
    );
    println!("ratio (cold):               {:.2}x", c / r);
    Ok(())
}
