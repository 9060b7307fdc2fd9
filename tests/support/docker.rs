//! Shared helpers of the sandbox tests: a real Docker backend (or a skip),
//! template images built once and cached by their hash tag, sandboxes cleaned up.
#![allow(unused_imports)]

use codingit::catalog::{TemplateCatalog, TemplateDef};
use codingit::sandbox::docker::{DockerBackend, ImageOptions};
use codingit::sandbox::{
    Backend, BuildProgress, ExecOutcome, ExecRequest, Limits, OutputChunk, SandboxSpec,
};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Whether docker tests must run (and fail when no engine answers).
pub fn docker_required() -> bool {
    let on = |name: &str| {
        std::env::var(name)
            .map(|v| v == "1" || v.eq_ignore_ascii_case("true"))
            .unwrap_or(false)
    };
    on("CODINGIT_TEST_DOCKER") || super::in_ci()
}

pub fn image_options() -> ImageOptions {
    ImageOptions {
        base_image: std::env::var("CODINGIT_TEST_BASE_IMAGE")
            .ok()
            .filter(|v| !v.is_empty()),
        ca_cert: std::env::var("CODINGIT_TEST_CA_CERT")
            .ok()
            .filter(|v| !v.is_empty())
            .map(PathBuf::from),
        user_templates: None,
    }
}

/// A connected backend, or `None` (with a note) when docker tests are optional and
/// no engine answers.
pub async fn backend() -> Option<DockerBackend> {
    match DockerBackend::connect(image_options()).await {
        Ok(b) => Some(b),
        Err(e) if docker_required() => panic!("docker tests required but: {e}"),
        Err(e) => {
            eprintln!("note: skipping docker test (set CODINGIT_TEST_DOCKER=1 to require it): {e}");
            None
        }
    }
}

pub fn template(id: &str) -> TemplateDef {
    TemplateCatalog::builtin().unwrap().get(id).unwrap().clone()
}

/// Builds the template image if missing (the tag is a content hash: built once).
pub async fn prepare(backend: &DockerBackend, id: &str) -> TemplateDef {
    let t = template(id);
    let started = Instant::now();
    let log = |p: BuildProgress| {
        if let BuildProgress::Step(s) = p {
            eprintln!("[build {id}] {s}");
        }
    };
    backend.prepare(&t, &log).await.unwrap();
    eprintln!(
        "[build {id}] ready in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    t
}

pub fn spec(template: TemplateDef, lifetime: Duration) -> SandboxSpec {
    SandboxSpec {
        template,
        project: Some("codingit-tests".into()),
        lifetime,
        network: false,
        limits: Limits::default(),
        env: BTreeMap::new(),
    }
}

/// Kills the sandbox when dropped (also when the test panics).
pub struct Cleanup(pub String);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = std::process::Command::new("docker")
            .args(["rm", "-f", "-v", &format!("codingit-{}", self.0)])
            .output();
    }
}

/// This test process's sandbox namespace, set for the backends it makes.
pub fn namespace() -> String {
    let ns = format!("codingit-test-{}", std::process::id());
    std::env::set_var("CODINGIT_SANDBOX_NAMESPACE", &ns);
    ns
}

pub fn argv(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

/// Runs `cmd` in the sandbox `id`: its outcome, stdout and stderr.
pub async fn run(b: &dyn Backend, id: &str, cmd: &[&str]) -> (ExecOutcome, String, String) {
    let out = Mutex::new((Vec::new(), Vec::new()));
    let sink = |c: OutputChunk| {
        let mut o = out.lock().unwrap();
        match c {
            OutputChunk::Stdout(b) => o.0.extend(b),
            OutputChunk::Stderr(b) => o.1.extend(b),
        }
    };
    let req = ExecRequest {
        argv: argv(cmd),
        timeout: Some(Duration::from_secs(120)),
        ..Default::default()
    };
    let outcome = b.exec(id, &req, &sink).await.unwrap();
    let (o, e) = out.into_inner().unwrap();
    (
        outcome,
        String::from_utf8_lossy(&o).into(),
        String::from_utf8_lossy(&e).into(),
    )
}
