//! How a run is shown: human text, one `--json` document, or `--events` lines.

use crate::cli::exit::{CliError, CliResult, Exit};
use crate::cli::output::{Output, SCHEMA_VERSION};
use codingit::events::Event;
use codingit::sandbox::job::{AppOutcome, CellError, CellOutcome, RunPlan, RunProgress};
use codingit::sandbox::{select, Confinement, OutputChunk};
use serde::Serialize;
use serde_json::Value;
use std::sync::Mutex;

pub(super) struct Report<'a> {
    out: &'a Output,
    events: bool,
    /// What to say when the program is killed for using too much memory.
    oom_message: String,
    /// What confines the sandbox, as the backend reports it (JSON null: not reported).
    confinement: Mutex<Value>,
    /// The program's output, kept for the `--json` document.
    stdout: Mutex<Vec<u8>>,
    stderr: Mutex<Vec<u8>>,
}

/// `run --json` of an interpreter cell (docs/json-formats.md).
#[derive(Serialize)]
struct CellDocument<'a> {
    schema_version: u32,
    sandbox_id: &'a str,
    template: &'a str,
    stdout: String,
    stderr: String,
    value: &'a Value,
    error: &'a Option<CellError>,
    artifacts: &'a [String],
    exit_code: i64,
    timed_out: bool,
    truncated: bool,
    oom_killed: bool,
    pooled: bool,
    confinement: Value,
    log_id: Option<i64>,
}

/// `run --json` of a web app, printed once it answers.
#[derive(Serialize)]
struct AppDocument<'a> {
    schema_version: u32,
    #[serde(flatten)]
    app: &'a AppOutcome,
    confinement: Value,
    log_id: Option<i64>,
}

impl<'a> Report<'a> {
    pub(super) fn new(out: &'a Output, events: bool, plan: &RunPlan) -> Self {
        Self {
            out,
            events,
            oom_message: select::oom_message(&plan.limits),
            confinement: Mutex::new(Value::Null),
            stdout: Mutex::new(Vec::new()),
            stderr: Mutex::new(Vec::new()),
        }
    }

    fn event(&self, event: Event) {
        if self.events {
            self.out.emit(&event);
        }
    }

    pub(super) fn progress(&self, progress: RunProgress<'_>) {
        match progress {
            RunProgress::Building(_) => {}
            RunProgress::Created { info, pooled } => {
                if pooled {
                    tracing::info!("sandbox {} from the warm pool", info.id);
                }
                self.event(Event::SandboxCreated {
                    sandbox_id: info.id.clone(),
                    backend: info.backend.clone(),
                    template: info.template.clone(),
                });
            }
            RunProgress::Confinement(c) => self.confinement(c),
            RunProgress::Install(chunk) => {
                let (OutputChunk::Stderr(b) | OutputChunk::Stdout(b)) = chunk;
                self.out.stderr_raw(&String::from_utf8_lossy(&b));
            }
            RunProgress::Output(chunk) => self.chunk(chunk),
            RunProgress::ArtifactSkipped(why) => {
                self.out.warn(format!("artifact not copied: {why}"))
            }
            RunProgress::PreviewReady(app) => self.app_ready(app),
            RunProgress::AppLog(text) => {
                if self.events {
                    self.event(Event::AppLog { text });
                } else {
                    self.out.stderr_raw(&text);
                }
            }
        }
    }

    /// Keeps the backend's account of the sandbox's confinement for `--json`, and
    /// shows it at `-v` and as a `sandbox.confinement` event.
    fn confinement(&self, c: &Confinement) {
        self.event(Event::SandboxConfinement(Box::new(c.clone())));
        if self.out.verbosity >= 1 {
            let caps = &c.capabilities;
            self.out.info(format!(
                "confinement ({}): uid {} gid {}, capabilities {caps}, bubblewrap {}, \
                 landlock {}, seccomp {}, pid namespace {}, network namespace {}, \
                 unix sockets {}, memory cgroup {}",
                c.backend,
                c.uid,
                c.gid,
                c.bubblewrap,
                c.landlock_abi
                    .map_or("off".to_string(), |abi| format!("ABI {abi}")),
                c.seccomp,
                c.pid_namespace,
                c.net_namespace,
                c.unix_sockets,
                c.memory_cgroup,
            ));
            for why in &c.refused {
                self.out.info(format!("  not enforced: {why}"));
            }
            for note in &c.notes {
                self.out.info(format!("  note: {note}"));
            }
        }
        if let Ok(mut slot) = self.confinement.lock() {
            *slot = serde_json::to_value(c).unwrap_or(Value::Null);
        }
    }

    fn confinement_json(&self) -> Value {
        self.confinement
            .lock()
            .map(|v| v.clone())
            .unwrap_or(Value::Null)
    }

    fn chunk(&self, chunk: OutputChunk) {
        let (bytes, is_out) = match chunk {
            OutputChunk::Stdout(b) => (b, true),
            OutputChunk::Stderr(b) => (b, false),
        };
        if self.events {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            self.event(if is_out {
                Event::ExecStdout { text }
            } else {
                Event::ExecStderr { text }
            });
        } else if self.out.json {
            let store = if is_out { &self.stdout } else { &self.stderr };
            if let Ok(mut s) = store.lock() {
                s.extend_from_slice(&bytes);
            }
        } else if is_out {
            self.out.raw(&bytes);
        } else {
            self.out.stderr_raw(&String::from_utf8_lossy(&bytes));
        }
    }

    fn app_ready(&self, app: &AppOutcome) {
        self.event(Event::PreviewReady {
            sandbox_id: app.sandbox_id.clone(),
            url: app.url.clone(),
        });
        if self.out.json {
            self.out.json_value(&AppDocument {
                schema_version: SCHEMA_VERSION,
                app,
                confinement: self.confinement_json(),
                log_id: crate::cli::journal::log_id(),
            });
        } else if !self.events {
            self.out.line(&app.url);
            if app.detached {
                self.out.line(&app.sandbox_id);
            }
        }
        if app.detached {
            self.out.info(format!(
                "sandbox {id} keeps running until it expires; stop it with `codingit sandbox kill {id}`",
                id = app.sandbox_id
            ));
        } else {
            self.out
                .info("serving; Ctrl-C stops and removes the sandbox");
        }
    }

    /// Shows a cell's end; the program's failure is the command's exit code.
    pub(super) fn cell(&self, cell: &CellOutcome) -> CliResult {
        let saved: Vec<String> = cell
            .artifacts
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        crate::cli::journal::run_artifacts(&saved);
        let code = if cell.timed_out {
            Exit::RunTimeout as i64
        } else {
            cell.exit_code
        };
        let result = &cell.result;
        if self.events {
            for path in &saved {
                self.event(Event::ExecArtifact { path: path.clone() });
            }
            self.event(Event::ExecResult {
                value: result.value.clone(),
                error: result.error.clone(),
                artifacts: saved.clone(),
            });
            self.event(Event::ExecExit {
                exit_code: code,
                timed_out: cell.timed_out,
                truncated: cell.truncated,
                oom_killed: cell.oom_killed,
            });
        } else if self.out.json {
            let take = |m: &Mutex<Vec<u8>>| {
                m.lock()
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default()
            };
            self.out.json_value(&CellDocument {
                schema_version: SCHEMA_VERSION,
                sandbox_id: &cell.sandbox_id,
                template: &cell.template,
                stdout: take(&self.stdout),
                stderr: take(&self.stderr),
                value: &result.value,
                error: &result.error,
                artifacts: &saved,
                exit_code: code,
                timed_out: cell.timed_out,
                truncated: cell.truncated,
                oom_killed: cell.oom_killed,
                pooled: cell.pooled,
                confinement: self.confinement_json(),
                log_id: crate::cli::journal::log_id(),
            });
        } else {
            if let Some(v) = result.value.as_str() {
                self.out.line(v);
            }
            for path in &saved {
                self.out.info(format!("chart saved: {path}"));
            }
            if cell.timed_out {
                self.out.warn("the program was stopped at its time limit");
            }
            if cell.truncated {
                self.out.warn("output went past the limit and was cut");
            }
            if cell.oom_killed {
                self.out.warn(&self.oom_message);
            }
        }
        if code == 0 {
            Ok(())
        } else {
            let exit = u8::try_from(code.clamp(1, 255)).unwrap_or(1);
            Err(CliError::reported(Exit::Failure).with_code(exit))
        }
    }
}
