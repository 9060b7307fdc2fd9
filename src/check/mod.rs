//! Judging generated code: run it in a sandbox and decide whether it works.
//!
//! `new --check`, `chat --check` and `run --check` all judge through [`judge`]: the
//! program runs as `run` would run it (an interpreter cell to its end, a web app until
//! it answers), then each test command runs in the same sandbox. What failed goes
//! back to the model as [`feedback::feedback`]; [`budget::Budget`] keeps the fix
//! rounds within the user's cost, token and time limits.

pub mod budget;
pub mod feedback;
pub mod fix_loop;
mod judge;
pub mod probe;

pub use judge::judge;

use crate::catalog::{PackageSpec, TemplateDef};
use serde::Serialize;
use std::time::Duration;

/// The interpreter runner's files inside the sandbox home.
pub const RUNNER_FILE: &str = ".codingit/runner.py";
pub const RESULT_FILE: &str = ".codingit/result.json";
pub const ARTIFACTS_DIR: &str = ".codingit/artifacts";

/// An interpreter cell as every caller runs it: the program's files plus the runner
/// and the artifacts folder, and the runner's command for `main_file` (its result
/// lands in [`RESULT_FILE`]).
pub fn cell(
    files: &[(String, Vec<u8>)],
    main_file: &str,
    timeout: Duration,
) -> (Vec<(String, Vec<u8>)>, crate::sandbox::ExecRequest) {
    let mut files = files.to_vec();
    files.push((
        RUNNER_FILE.to_string(),
        crate::sandbox::RUNNER_PY.as_bytes().to_vec(),
    ));
    files.push((format!("{ARTIFACTS_DIR}/.keep"), Vec::new()));
    let request = crate::sandbox::ExecRequest {
        argv: [
            "python3",
            RUNNER_FILE,
            main_file,
            RESULT_FILE,
            ARTIFACTS_DIR,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        timeout: Some(timeout),
        ..crate::sandbox::ExecRequest::default()
    };
    (files, request)
}

/// What is judged: a program's files and how it runs.
#[derive(Debug, Clone)]
pub struct Subject {
    pub template: TemplateDef,
    pub files: Vec<(String, Vec<u8>)>,
    pub main_file: String,
    pub dependencies: Vec<String>,
}

/// How it is judged.
#[derive(Debug, Clone)]
pub struct CheckSpec {
    /// Judge the program itself: the cell ends without an error, or the app answers.
    pub run_program: bool,
    /// Shell commands run in the sandbox after the files are in place; exit 0 passes.
    pub tests: Vec<String>,
    /// The user's test files (path in the home, bytes): written after the program's
    /// files, so a model's file of the same name never replaces them.
    pub test_files: Vec<(String, Vec<u8>)>,
    /// The path a web app must answer with a 2xx.
    pub check_path: String,
    /// Wall-clock limit of the cell and of each test command.
    pub timeout: Duration,
    /// How long a web app may take to answer.
    pub start_timeout: Duration,
}

impl CheckSpec {
    /// What the model is told up front about the user's acceptance tests (`None`
    /// without any): the commands that must pass, and the test files it must not write.
    pub fn acceptance_text(&self) -> Option<String> {
        if self.test_files.is_empty() && self.tests.is_empty() {
            return None;
        }
        let mut text = String::from("\n\nYour code will be checked in its sandbox.");
        for command in &self.tests {
            text.push_str(&format!("\nThis command must exit 0: `{command}`"));
        }
        for (path, bytes) in &self.test_files {
            text.push_str(&format!(
                "\nThis test file is given and will be placed at `{path}` (do not write it):\n```\n{}\n```",
                String::from_utf8_lossy(bytes)
            ));
        }
        Some(text)
    }
}

/// One check's verdict.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct CheckResult {
    /// `run`, `install`, `http GET /`, `server log`, or `test: CMD`.
    pub name: String,
    pub passed: bool,
    pub exit_code: Option<i64>,
    /// One line: the error's name and value, the status, or the exit.
    pub summary: String,
    /// What the model needs to fix it: traceback, output tail, server log tail
    /// (bounded; not part of the JSON outcome).
    #[serde(skip)]
    pub detail: String,
}

impl CheckResult {
    pub fn pass(
        name: impl Into<String>,
        exit_code: Option<i64>,
        summary: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            passed: true,
            exit_code,
            summary: summary.into(),
            detail: String::new(),
        }
    }

    pub fn fail(
        name: impl Into<String>,
        exit_code: Option<i64>,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            passed: false,
            exit_code,
            summary: summary.into(),
            detail: detail.into(),
        }
    }
}

/// Every check of one judgement.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct CheckReport {
    pub checks: Vec<CheckResult>,
    pub duration_ms: u64,
}

impl CheckReport {
    /// Passed: at least one check ran and none failed.
    pub fn passed(&self) -> bool {
        !self.checks.is_empty() && self.checks.iter().all(|c| c.passed)
    }
}

/// The dependencies the template does not already have (by name: `numpy>=1.26` is
/// there when the template has numpy; a spec that does not parse goes to the
/// install, which refuses it with the reason).
pub fn missing_packages(template: &TemplateDef, dependencies: &[String]) -> Vec<String> {
    dependencies
        .iter()
        .filter(|d| {
            PackageSpec::parse(template.package_manager, d)
                .map_or(true, |spec| !template.has_package(spec.name()))
        })
        .cloned()
        .collect()
}

/// Keeps the last `cap` bytes of a stream (a test's output, a server log).
#[derive(Debug, Default)]
pub struct Tail {
    bytes: std::sync::Mutex<Vec<u8>>,
    cap: usize,
}

impl Tail {
    pub fn new(cap: usize) -> Self {
        Self {
            bytes: std::sync::Mutex::new(Vec::new()),
            cap,
        }
    }

    pub fn push(&self, data: &[u8]) {
        if let Ok(mut bytes) = self.bytes.lock() {
            bytes.extend_from_slice(data);
            let len = bytes.len();
            if len > self.cap * 2 {
                bytes.drain(..len - self.cap);
            }
        }
    }

    /// Keeps a chunk of either stream (a sink for the backend's output).
    pub fn push_chunk(&self, chunk: crate::sandbox::OutputChunk) {
        let (crate::sandbox::OutputChunk::Stdout(b) | crate::sandbox::OutputChunk::Stderr(b)) =
            chunk;
        self.push(&b);
    }

    /// The kept text, its last `cap` bytes, lossily decoded.
    pub fn text(&self) -> String {
        let bytes = self.bytes.lock().map(|b| b.clone()).unwrap_or_default();
        let start = bytes.len().saturating_sub(self.cap);
        String::from_utf8_lossy(&bytes[start..]).into_owned()
    }
}
