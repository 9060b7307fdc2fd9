//! An interpreter cell: run it, read its result, bring its artifacts back.

use super::job::{artifacts_root, Job};
use super::report::Report;
use super::{sandbox_err, ARTIFACTS, DEFAULT_LIFETIME, RESULT};
use crate::cli::args::RunArgs;
use crate::cli::exit::{CliError, CliResult, Exit};
use crate::cli::output::SCHEMA_VERSION;
use codingit::sandbox::{artifacts, phase, Backend, OutputChunk};
use serde_json::{json, Value};
use std::sync::Mutex;
use std::time::Duration;

pub(super) async fn interpret(
    backend: &dyn Backend,
    id: &str,
    job: &Job,
    args: &RunArgs,
    timeout: Option<Duration>,
    report: &Report<'_>,
) -> CliResult {
    let (files, request) = codingit::check::cell(
        &job.files,
        &job.main_file,
        timeout.unwrap_or(DEFAULT_LIFETIME),
    );
    let sink = |c: OutputChunk| report.chunk(c);
    let (outcome, result) = backend
        .run_cell(id, &files, &request, RESULT, &sink)
        .await
        .map_err(sandbox_err)?;
    let result: Value = result
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Value::Null);
    phase("code ran, result read");
    let dest = artifacts_root(args, job)?;
    let collected = artifacts::collect(backend, id, ARTIFACTS, &dest)
        .await
        .map_err(sandbox_err)?;
    for why in &collected.skipped {
        report.out.warn(format!("artifact not copied: {why}"));
    }
    let saved: Vec<String> = collected
        .saved
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    crate::cli::logs::run_artifacts(&saved);
    let code = if outcome.timed_out {
        Exit::RunTimeout as i64
    } else {
        outcome.exit_code
    };
    let value = result["value"].clone();
    if report.events {
        for path in &saved {
            report.event("exec.result", json!({ "artifact": path }));
        }
        report.event(
            "exec.result",
            json!({ "value": value, "error": result["error"], "artifacts": saved }),
        );
        report.event(
            "exec.exit",
            json!({ "exit_code": code, "timed_out": outcome.timed_out, "truncated": outcome.truncated, "oom_killed": outcome.oom_killed }),
        );
    } else if report.out.json {
        let take = |m: &Mutex<Vec<u8>>| {
            m.lock()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default()
        };
        report.out.json_value(&json!({
            "schema_version": SCHEMA_VERSION,
            "sandbox_id": id,
            "template": job.template.id,
            "stdout": take(&report.stdout),
            "stderr": take(&report.stderr),
            "value": value,
            "error": result["error"],
            "artifacts": saved,
            "exit_code": code,
            "timed_out": outcome.timed_out,
            "truncated": outcome.truncated,
            "oom_killed": outcome.oom_killed,
            "pooled": backend.claimed_from_pool(id),
            "confinement": report.confinement_json(),
            "log_id": crate::cli::logs::log_id(),
        }));
    } else {
        if let Some(v) = value.as_str() {
            report.out.line(v);
        }
        for path in &saved {
            report.out.info(format!("chart saved: {path}"));
        }
        if outcome.timed_out {
            report.out.warn("the program was stopped at its time limit");
        }
        if outcome.truncated {
            report.out.warn("output went past the limit and was cut");
        }
        if outcome.oom_killed {
            report.out.warn(&report.oom_message);
        }
    }
    if code == 0 {
        Ok(())
    } else {
        let exit = u8::try_from(code.clamp(1, 255)).unwrap_or(1);
        Err(CliError::reported(Exit::Failure).with_code(exit))
    }
}
