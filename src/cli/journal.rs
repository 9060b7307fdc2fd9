//! The recording hooks the commands call: one line at each site, here turned into a
//! run-log record. A log that cannot be written costs one warning on stderr per
//! process, never the command.

use crate::cli::args::{Command, GlobalArgs};
use crate::cli::output::Output;
use codingit::catalog::ResolvedModel;
use codingit::config::Settings;
use codingit::llm::{ChatRequest, LlmError, Part, Role, StructuredOutput};
use codingit::runlog::{
    self, CallRecord, ChangeRecord, Common, Outcome, Redactor, RunLog, RunLogError, RunRecord,
};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// What every hook needs, fixed once per process by [`init`].
struct Context {
    command: &'static str,
    redactor: Redactor,
}

static CONTEXT: OnceLock<Option<Context>> = OnceLock::new();
static WARNED: AtomicBool = AtomicBool::new(false);
static STATE: Mutex<State> = Mutex::new(State {
    log: None,
    last_call: None,
    last_id: None,
    run: None,
    artifacts: Vec::new(),
});

/// What this process has recorded so far.
struct State {
    log: Option<RunLog>,
    /// The latest model call, which a turn's file changes attach to.
    last_call: Option<i64>,
    /// The latest record written, which the command's `--json` names as `log_id`.
    last_id: Option<i64>,
    /// The run started by [`begin_run`], which [`record_run`] completes.
    run: Option<i64>,
    /// The files the current run brought back, for its record.
    artifacts: Vec<String>,
}

/// The id of the latest record this process wrote (`log_id` in every command's
/// `--json`); `None` when logging is off, failed, or nothing was recorded.
pub fn log_id() -> Option<i64> {
    STATE.lock().ok()?.last_id
}

/// `value` as JSON with a `log_id` field added (see [`log_id`]).
pub fn with_log_id(value: &impl serde::Serialize) -> Value {
    let mut value = serde_json::to_value(value).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert("log_id".into(), log_id().into());
    }
    value
}

/// Turns logging on for this process unless `--no-log` or `logs.enabled = false`.
pub fn init(global: &GlobalArgs, command: &Command, settings: &Settings) {
    let enabled = !global.no_log && settings.file.logs.enabled.unwrap_or(true);
    let context = enabled.then(|| Context {
        command: command_name(command),
        redactor: redactor(settings),
    });
    let _ = CONTEXT.set(context);
}

/// Every configured key's value (from its variables and config.toml), so none can
/// be written even when it does not look like a key.
pub fn redactor(settings: &Settings) -> Redactor {
    let mut secrets = Vec::new();
    for provider in settings.models.providers.values() {
        for var in &provider.key_env {
            if let Some(value) = codingit::config::non_empty_env(var) {
                secrets.push(value);
            }
        }
        if let Some((key, _)) = settings.api_key(provider) {
            secrets.push(key);
        }
    }
    Redactor::new(secrets)
}

/// Runs `write` against the open log; `None` when logging is off or failed (warned).
fn with_log(
    out: &Output,
    write: impl FnOnce(&mut RunLog, &Context, &mut State) -> Result<i64, RunLogError>,
) -> Option<i64> {
    let context = CONTEXT.get()?.as_ref()?;
    let mut guard = STATE.lock().ok()?;
    let state = &mut *guard;
    // The log is taken out while `write` runs so `write` can use the rest of the state.
    let log = match state.log.take() {
        Some(log) => Ok(log),
        None => runlog::default_path().and_then(|path| RunLog::open(&path)),
    };
    let result = log.and_then(|mut log| {
        let result = write(&mut log, context, state);
        state.log = Some(log);
        result
    });
    match result {
        Ok(id) => {
            state.last_id = Some(id);
            Some(id)
        }
        Err(e) => {
            if !WARNED.swap(true, Ordering::Relaxed) {
                out.warn(format!(
                    "{e}; this command is not logged (`--no-log` or `logs.enabled = false` silences this)"
                ));
            }
            None
        }
    }
}

/// Counts what a structured call reports while it streams.
#[derive(Debug, Default)]
pub struct CallStats {
    pub first_token: Option<Duration>,
    pub retries: u32,
}

impl CallStats {
    pub fn first_token(&mut self, started: Instant) {
        self.first_token.get_or_insert_with(|| started.elapsed());
    }
}

/// After a model call (generate.rs).
pub fn record_call(
    out: &Output,
    resolved: &ResolvedModel,
    request: &ChatRequest,
    result: &Result<StructuredOutput, LlmError>,
    stats: &CallStats,
    started: Instant,
) -> Option<i64> {
    let system: Vec<&str> = request
        .messages
        .iter()
        .filter(|m| m.role == Role::System)
        .flat_map(|m| m.parts.iter())
        .filter_map(|p| match p {
            Part::Text(t) => Some(t.as_str()),
            Part::Image { .. } => None,
        })
        .collect();
    let messages: Vec<Value> = request
        .messages
        .iter()
        .filter(|m| m.role != Role::System)
        .map(|m| {
            let text: Vec<String> = m
                .parts
                .iter()
                .map(|p| match p {
                    Part::Text(t) => t.clone(),
                    // Images are not kept: only that there was one.
                    Part::Image { media_type, data } => {
                        format!("[image {media_type}, {} bytes]", data.len())
                    }
                })
                .collect();
            json!({ "role": m.role, "content": text.join("\n") })
        })
        .collect();
    let mut record = CallRecord {
        provider: resolved.provider.id.clone(),
        model: resolved.model.id.clone(),
        system: (!system.is_empty()).then(|| system.join("\n")),
        messages: Value::Array(messages),
        first_token_ms: stats.first_token.map(|d| d.as_millis() as u64),
        retries: stats.retries,
        ..CallRecord::default()
    };
    record.common.duration_ms = Some(started.elapsed().as_millis() as u64);
    match result {
        Ok(answer) => {
            record.answer = Some(answer.text.clone());
            record.structured = Some(answer.value.clone());
            record.input_tokens = Some(answer.usage.input_tokens);
            record.output_tokens = Some(answer.usage.output_tokens);
            record.cached_tokens = answer.usage.cached_tokens;
            record.cost_usd = crate::cli::generate::cost(resolved, &answer.usage);
            record.repair_rounds = answer.repair_rounds;
            record.common.outcome = Some(Outcome::Ok);
        }
        Err(e) => {
            record.answer = Some(e.to_string());
            record.common.outcome = Some(Outcome::Failed);
            record.common.error_kind = Some(e.kind().to_string());
        }
    }
    with_log(out, |log, context, state| {
        record.common.command = context.command.to_string();
        record.common.project = cwd();
        let id = log.record_call(&record, &context.redactor)?;
        state.last_call = Some(id);
        Ok(id)
    })
}

/// After a turn changed files (chat's `show`, edit): `(path, status, diff)` per file.
/// Attached to this process's latest model call, else a `turn` record of its own.
pub fn record_changes<'a>(
    out: &Output,
    folder: &str,
    dry_run: bool,
    changes: impl Iterator<Item = (&'a str, &'a str, &'a str)>,
) -> Option<i64> {
    if dry_run {
        return None;
    }
    let changes: Vec<ChangeRecord> = changes
        .map(|(path, status, diff)| ChangeRecord {
            path: path.to_string(),
            status: status.to_string(),
            diff: diff.to_string(),
        })
        .collect();
    let project = absolute(folder);
    with_log(out, |log, context, state| {
        let common = Common {
            command: context.command.to_string(),
            project: Some(project),
            outcome: Some(Outcome::Ok),
            ..Common::default()
        };
        log.record_changes(&common, state.last_call, &changes, &context.redactor)
    })
}

/// After `edit` wrote (or would write) `file`.
pub fn record_edit(out: &Output, file: &std::path::Path, written: bool, diff: &str) -> Option<i64> {
    if !written || diff.is_empty() {
        return None;
    }
    let folder = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| ".".to_string(), |p| p.display().to_string());
    let path = file.display().to_string();
    record_changes(
        out,
        &folder,
        false,
        std::iter::once((path.as_str(), "modified", diff)),
    )
}

/// What a run was, for [`record_run`].
pub struct RunFacts<'a> {
    pub info: &'a codingit::sandbox::SandboxInfo,
    pub project: Option<&'a std::path::Path>,
}

/// When a run's sandbox exists (sandbox_view): records the run as `running`, so its
/// `--json` can name it (a served app prints before it ends); [`record_run`]
/// completes it.
pub fn begin_run(out: &Output, facts: &RunFacts) -> Option<i64> {
    let record = RunRecord {
        common: Common {
            project: facts.project.map(|p| absolute(&p.display().to_string())),
            outcome: Some(Outcome::Running),
            ..Common::default()
        },
        backend: Some(facts.info.backend.clone()),
        template: Some(facts.info.template.clone()),
        sandbox_id: Some(facts.info.id.clone()),
        ..RunRecord::default()
    };
    with_log(out, |log, context, state| {
        let mut record = record;
        record.common.command = context.command.to_string();
        let id = log.record_run(&record, &context.redactor)?;
        state.run = Some(id);
        state.artifacts.clear();
        Ok(id)
    })
}

/// The files the current run brought back (sandbox_view), for its record.
pub fn run_artifacts(saved: &[String]) {
    if let Ok(mut state) = STATE.lock() {
        state.artifacts = saved.to_vec();
    }
}

/// After a sandbox run (sandbox_view). The exit code is the one codingit exits with;
/// a program's own failure has no error kind, codingit's has its `Exit` name.
pub fn record_run(
    out: &Output,
    facts: RunFacts,
    result: &crate::cli::exit::CliResult,
    started: Instant,
) -> Option<i64> {
    let exit_code = result.as_ref().map_or_else(|e| e.exit_code(), |()| 0);
    let failed = result
        .as_ref()
        .err()
        .filter(|e| e.code.is_none())
        .map(|e| format!("{:?}", e.exit).to_lowercase());
    let record = RunRecord {
        common: Common {
            project: facts.project.map(|p| absolute(&p.display().to_string())),
            outcome: Some(if exit_code == 0 {
                Outcome::Ok
            } else {
                Outcome::Failed
            }),
            error_kind: failed,
            duration_ms: Some(started.elapsed().as_millis() as u64),
            ..Common::default()
        },
        backend: Some(facts.info.backend.clone()),
        template: Some(facts.info.template.clone()),
        sandbox_id: Some(facts.info.id.clone()),
        exit_code: Some(i64::from(exit_code)),
        ..RunRecord::default()
    };
    with_log(out, |log, context, state| {
        let mut record = record;
        record.common.command = context.command.to_string();
        record.artifacts = std::mem::take(&mut state.artifacts);
        if let (Some(call), Some(project)) = (state.last_call.take(), &record.common.project) {
            log.set_project(call, project)?;
        }
        match state.run.take() {
            Some(id) => log.finish_run(id, &record, &context.redactor),
            None => log.record_run(&record, &context.redactor),
        }
    })
}

fn cwd() -> Option<String> {
    std::env::current_dir()
        .ok()
        .map(|d| d.display().to_string())
}

/// The folder as `logs --project` finds it again (resolved like the filter).
fn absolute(folder: &str) -> String {
    std::fs::canonicalize(folder)
        .or_else(|_| std::path::absolute(folder))
        .map_or_else(|_| folder.to_string(), |p| p.display().to_string())
}

/// After a judgement of `--check`/`--test` (check/judge.rs): one run record per
/// round's sandbox, with every check's verdict; exit code 0 when all passed, else
/// the documented "checks failed" code.
pub fn record_check(
    out: &Output,
    facts: RunFacts,
    report: &codingit::check::CheckReport,
    started: Instant,
) -> Option<i64> {
    let passed = report.passed();
    let record = RunRecord {
        common: Common {
            project: facts.project.map(|p| absolute(&p.display().to_string())),
            outcome: Some(if passed { Outcome::Ok } else { Outcome::Failed }),
            duration_ms: Some(started.elapsed().as_millis() as u64),
            ..Common::default()
        },
        backend: Some(facts.info.backend.clone()),
        template: Some(facts.info.template.clone()),
        sandbox_id: Some(facts.info.id.clone()),
        exit_code: Some(if passed {
            0
        } else {
            i64::from(crate::cli::exit::Exit::ChecksFailed as u8)
        }),
        checks: serde_json::to_value(&report.checks).ok(),
        ..RunRecord::default()
    };
    with_log(out, |log, context, _state| {
        let mut record = record;
        record.common.command = context.command.to_string();
        log.record_run(&record, &context.redactor)
    })
}

/// The name a command's records carry.
pub fn command_name(command: &Command) -> &'static str {
    match command {
        Command::New(_) => "new",
        Command::Chat(_) => "chat",
        Command::Edit(_) => "edit",
        Command::Run(_) => "run",
        Command::Files(_) => "files",
        Command::Sandbox(_) => "sandbox",
        Command::Models(_) => "models",
        Command::Templates(_) => "templates",
        Command::Completions(_) => "completions",
        Command::Logs(_) => "logs",
        Command::Doctor => "doctor",
    }
}
