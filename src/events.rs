//! The `--events` protocol: one JSON object per line, `type` naming the event
//! (docs/json-formats.md). Every line any command prints is one of these variants, and
//! a reader parses it back into the same type.

use crate::check::CheckResult;
use crate::fragment::Fragment;
use crate::llm::Usage;
use crate::sandbox::Confinement;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One `--events` line (the printer adds `schema_version`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Event {
    /// The next piece of a streamed whole-fragment answer.
    #[serde(rename = "fragment.delta")]
    FragmentDelta { text: String },
    /// The next piece of a streamed lazy-edit answer (`chat --lazy`, repository mode).
    #[serde(rename = "edit.delta")]
    EditDelta { text: String },
    /// The answer was invalid and goes back to the model.
    #[serde(rename = "fragment.repair")]
    FragmentRepair { round: u32, errors: Vec<String> },
    #[serde(rename = "edit.repair")]
    EditRepair { round: u32, errors: Vec<String> },
    /// A provider call is retried after `wait_ms`.
    #[serde(rename = "llm.retry")]
    LlmRetry {
        attempt: u32,
        wait_ms: u64,
        reason: String,
    },
    #[serde(rename = "fragment.completed")]
    FragmentCompleted {
        fragment: Box<Fragment>,
        usage: Usage,
        repair_rounds: u32,
    },
    #[serde(rename = "project.written")]
    ProjectWritten { folder: String, files: Vec<String> },
    /// A repository turn's context: files sent in full, files listed, tokens, budget.
    #[serde(rename = "chat.context")]
    ChatContext {
        files: Vec<String>,
        listed: usize,
        tokens: u64,
        budget: u64,
    },
    #[serde(rename = "chat.applied")]
    ChatApplied {
        dry_run: bool,
        changes: Vec<ChangeEvent>,
    },
    #[serde(rename = "check.started")]
    CheckStarted { round: u32 },
    #[serde(rename = "check.result")]
    CheckResult {
        round: u32,
        passed: bool,
        checks: Vec<CheckResult>,
    },
    /// Failed checks go back to the model for this round.
    #[serde(rename = "fix.round")]
    FixRound { round: u32 },
    #[serde(rename = "sandbox.created")]
    SandboxCreated {
        sandbox_id: String,
        backend: String,
        template: String,
    },
    #[serde(rename = "sandbox.confinement")]
    SandboxConfinement(Box<Confinement>),
    #[serde(rename = "exec.stdout")]
    ExecStdout { text: String },
    #[serde(rename = "exec.stderr")]
    ExecStderr { text: String },
    /// One chart brought back from the sandbox, as soon as it is saved.
    #[serde(rename = "exec.artifact")]
    ExecArtifact { path: String },
    /// The cell's result: its last value, its error, every artifact saved.
    #[serde(rename = "exec.result")]
    ExecResult {
        value: Value,
        error: Option<crate::sandbox::job::CellError>,
        artifacts: Vec<String>,
    },
    #[serde(rename = "exec.exit")]
    ExecExit {
        exit_code: i64,
        timed_out: bool,
        truncated: bool,
        oom_killed: bool,
    },
    #[serde(rename = "preview.ready")]
    PreviewReady { sandbox_id: String, url: String },
    /// A web app's log while attached.
    #[serde(rename = "app.log")]
    AppLog { text: String },
    /// codingit failed (a program's own failure is its `exec.exit`).
    #[serde(rename = "error")]
    Error { kind: String, message: String },
}

/// Every event `type`, in the order docs/json-formats.md documents them.
pub const KINDS: [&str; 22] = [
    "fragment.delta",
    "edit.delta",
    "fragment.repair",
    "edit.repair",
    "llm.retry",
    "fragment.completed",
    "project.written",
    "chat.context",
    "chat.applied",
    "check.started",
    "check.result",
    "fix.round",
    "sandbox.created",
    "sandbox.confinement",
    "exec.stdout",
    "exec.stderr",
    "exec.artifact",
    "exec.result",
    "exec.exit",
    "preview.ready",
    "app.log",
    "error",
];

/// One file a chat turn changed (or would change, on a dry run).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeEvent {
    pub path: String,
    /// `added`, `modified`, `deleted` or `renamed`.
    pub status: String,
    /// A rename: the old path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    pub diff: String,
}

impl Event {
    /// The `type` of this event, as printed.
    pub fn kind(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.get("type").and_then(Value::as_str).map(str::to_string))
            .unwrap_or_default()
    }

    /// One line of the protocol: the event with `schema_version` first.
    pub fn to_line(&self, schema_version: u32) -> serde_json::Result<String> {
        let mut line = serde_json::Map::new();
        line.insert("schema_version".into(), schema_version.into());
        if let Value::Object(fields) = serde_json::to_value(self)? {
            line.extend(fields);
        }
        serde_json::to_string(&Value::Object(line))
    }

    /// Parses one line back (its `schema_version` is ignored).
    pub fn from_line(line: &str) -> serde_json::Result<Self> {
        let mut value: Value = serde_json::from_str(line)?;
        if let Some(map) = value.as_object_mut() {
            map.remove("schema_version");
        }
        serde_json::from_value(value)
    }
}

#[cfg(test)]
#[path = "events_tests.rs"]
mod tests;
