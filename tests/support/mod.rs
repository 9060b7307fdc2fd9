//! Shared helpers of every test binary (each declares `#[path = "../support/mod.rs"]
//! mod support;`): the real binary in a clean environment, mock model servers, sandbox
//! worlds, the edit-engine and LLM test data. Each binary uses only a part of it.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// Every variable that could leak a developer's keys or settings into a test.
pub const SCRUBBED_VARS: &[&str] = &[
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "GEMINI_API_KEY",
    "GOOGLE_GENERATIVE_AI_API_KEY",
    "GOOGLE_API_KEY",
    "XAI_API_KEY",
    "MISTRAL_API_KEY",
    "GROQ_API_KEY",
    "FIREWORKS_API_KEY",
    "TOGETHER_API_KEY",
    "DEEPSEEK_API_KEY",
    "OPENROUTER_API_KEY",
    "MORPH_API_KEY",
    "OPENAI_BASE_URL",
    "ANTHROPIC_BASE_URL",
    "OLLAMA_HOST",
    "CODINGIT_MODEL",
    "CODINGIT_TEMPLATE",
    "CODINGIT_CONFIG",
    "CODINGIT_BACKEND",
    "NO_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "XDG_CONFIG_HOME",
    "E2B_API_KEY",
    "E2B_DOMAIN",
    "E2B_API_URL",
    "E2B_SANDBOX_URL",
    "E2B_ACCESS_TOKEN",
];

pub mod apply;
pub mod browser;
pub mod canary;
pub mod containment;
pub mod docker;
pub mod e2b;
/// The spec-faithful E2B test server (it stays beside the test folders: a bench uses it too).
#[path = "../e2b_server/mod.rs"]
pub mod e2b_server;
pub mod http;
pub mod live;
pub mod llm;
pub mod mock_llm;
pub mod project;
pub mod repo;
mod solo;

// (Only the binaries whose modules share sandboxes use it.)
#[allow(unused_imports)]
pub use solo::solo;

/// A temporary home for one test: config, cache and state folders of its own.
pub struct TestEnv {
    pub dir: tempfile::TempDir,
}

impl TestEnv {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn config_dir(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file into the config folder.
    pub fn write_config(&self, name: &str, text: &str) {
        std::fs::create_dir_all(self.config_dir()).expect("config dir");
        std::fs::write(self.config_dir().join(name), text).expect("write config");
    }

    /// The real binary with a scrubbed environment pointing at this test's folders.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("codingit").expect("binary");
        for var in SCRUBBED_VARS {
            cmd.env_remove(var);
        }
        cmd.env("CODINGIT_CONFIG_DIR", self.config_dir())
            .env("CODINGIT_CACHE_DIR", self.dir.path().join("cache"))
            .env("CODINGIT_STATE_DIR", self.dir.path().join("state"))
            .env("HOME", self.dir.path())
            // Nothing listens here, so Ollama is reliably "down" unless a test says otherwise.
            .env("OLLAMA_HOST", "127.0.0.1:9")
            .current_dir(self.dir.path());
        cmd
    }
}

/// Whether a test that needs a real service or data must fail (CI=true or CI=1) rather
/// than skip.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

pub fn stdout_json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Whether a local sandbox runs here, through the binary (CI must have one: there a
/// failure is returned as true, so the test goes on and fails on its own terms).
pub fn local_sandbox_runs(env: &TestEnv) -> bool {
    let output = env
        .cmd()
        .env("CODINGIT_CACHE_DIR", containment::cache_dir())
        .args(["run", "-", "--backend", "local", "--no-log"])
        .write_stdin("print(1)")
        .output()
        .expect("run");
    if !output.status.success() && !in_ci() {
        eprintln!(
            "skipped: no local sandbox: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        return false;
    }
    true
}

/// The command line of every process on this machine (`ps -eo args`): sandboxed
/// processes of every backend here are processes of this machine (local ones, the E2B
/// test server's, and the local engine's containers).
pub fn process_lines() -> Vec<String> {
    let ps = std::process::Command::new("ps")
        .args(["-eo", "args"])
        .output()
        .expect("run ps");
    String::from_utf8_lossy(&ps.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// A sandbox of the interpreter template, as a run of `project` asks for one.
pub fn interpreter_spec(
    project: &str,
    lifetime: std::time::Duration,
) -> codingit::sandbox::SandboxSpec {
    let catalog = codingit::catalog::TemplateCatalog::builtin().expect("built-in templates");
    codingit::sandbox::SandboxSpec {
        template: catalog
            .get("code-interpreter-v1")
            .expect("the interpreter template")
            .clone(),
        project: Some(project.into()),
        lifetime,
        network: false,
        limits: codingit::sandbox::Limits::default(),
        env: Default::default(),
    }
}
