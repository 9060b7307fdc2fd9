//! Benchmark: a one-line Python snippet through the Docker backend (create, write
//! the file, exec, kill) against a raw `docker run --rm --network none IMAGE
//! python3 -c …` of the same image, interleaved in the same run.
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
    let (mut ours, mut raw) = (Vec::new(), Vec::new());
    for i in 0..runs + 1 {
        let t = Instant::now();
        let info = backend.create(&spec).await?;
        backend
            .write_files(
                &info.id,
                &[("script.py".into(), SNIPPET.as_bytes().to_vec())],
            )
            .await?;
        let req = ExecRequest {
            argv: vec!["python3".into(), "script.py".into()],
            timeout: Some(Duration::from_secs(30)),
            ..Default::default()
        };
        let out = backend.exec(&info.id, &req, &|_| {}).await?;
        backend.kill(&info.id).await?;
        let ours_s = t.elapsed().as_secs_f64();
        anyhow::ensure!(out.exit_code == 0, "backend run failed");

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
            ours.push(ours_s);
            raw.push(raw_s);
        }
        eprintln!("run {i}: backend {ours_s:.3}s  docker run {raw_s:.3}s");
    }
    let (a, b) = (median(ours), median(raw));
    println!("backend median:    {a:.3}s");
    println!("docker run median: {b:.3}s");
    println!("ratio:             {:.2}x (target <= 1.20x)", a / b);
    Ok(())
}
