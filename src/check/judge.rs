//! The judgement itself: the program's files go in, the program runs as `run` runs
//! it, then each test command; every step becomes a [`CheckResult`].

use super::probe::{probe, Answer};
use super::{missing_packages, CheckReport, CheckResult, CheckSpec, Subject, Tail, RESULT_FILE};
use crate::catalog::TemplateKind;
use crate::sandbox::{Backend, ExecRequest, OutputChunk, SandboxError};
use serde_json::Value;
use std::time::Instant;

/// Output kept per check for the model (the end is what matters: the error).
const TAIL_BYTES: usize = 6_000;

/// Lines of a server log that mean the app failed to build or crashed on a request,
/// whatever it answered (dev servers often answer 200 with an error overlay).
const LOG_ERROR_MARKERS: &[&str] = &[
    "Traceback (most recent call last)",
    "Failed to compile",
    "Module not found",
    "SyntaxError",
    "ReferenceError",
    "TypeError:",
    "Unhandled Runtime Error",
    "[request error]",
    "[vue warn]: Unhandled error",
    "Internal server error",
];

/// Judges `subject` in the live sandbox `id` (the caller creates and releases it).
/// A sandbox failure (not the program's) is an error, not a failed check.
pub async fn judge(
    backend: &dyn Backend,
    id: &str,
    subject: &Subject,
    spec: &CheckSpec,
) -> Result<CheckReport, SandboxError> {
    let started = Instant::now();
    let mut checks = Vec::new();
    let files = files_in_place(subject, spec);
    let interpreter = subject.template.kind == TemplateKind::Interpreter;
    if !(interpreter && spec.run_program) {
        backend.write_files(id, &files).await?;
    }
    let installed = install(backend, id, subject, &mut checks).await?;
    if installed {
        match (interpreter, spec.run_program) {
            (true, true) => checks.push(run_cell(backend, id, subject, spec, &files).await?),
            (false, true) => serve(backend, id, subject, spec, &mut checks).await?,
            (_, false) => {}
        }
        for command in &spec.tests {
            checks.push(run_test(backend, id, command, spec).await?);
        }
    }
    Ok(CheckReport {
        checks,
        duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    })
}

/// The program's files, then the user's test files over any of the same name.
fn files_in_place(subject: &Subject, spec: &CheckSpec) -> Vec<(String, Vec<u8>)> {
    let fixed = |path: &str| spec.test_files.iter().any(|(p, _)| p == path);
    let mut files: Vec<(String, Vec<u8>)> = subject
        .files
        .iter()
        .filter(|(path, _)| !fixed(path))
        .cloned()
        .collect();
    files.extend(spec.test_files.iter().cloned());
    files
}

/// Installs what the template lacks; a failed install is a failed check (the model
/// can drop or fix the dependency), a sandbox failure an error. False: stop here.
async fn install(
    backend: &dyn Backend,
    id: &str,
    subject: &Subject,
    checks: &mut Vec<CheckResult>,
) -> Result<bool, SandboxError> {
    let missing = missing_packages(&subject.template, &subject.dependencies);
    if missing.is_empty() {
        return Ok(true);
    }
    let tail = Tail::new(TAIL_BYTES);
    let sink = |c: OutputChunk| tail.push_chunk(c);
    let name = "install";
    let list = missing.join(", ");
    match backend
        .install(id, subject.template.package_manager, &missing, &sink)
        .await
    {
        Ok(outcome) if outcome.exit_code == 0 => Ok(true),
        Ok(outcome) => {
            checks.push(CheckResult::fail(
                name,
                Some(outcome.exit_code),
                format!("installing {list} failed"),
                tail.text(),
            ));
            Ok(false)
        }
        // No network, or a package name the install refuses: the model's to fix.
        Err(
            e @ (SandboxError::InstallNeedsNetwork { .. }
            | SandboxError::NetworkUnusable { .. }
            | SandboxError::Package { .. }
            | SandboxError::Limit(_)
            | SandboxError::Path { .. }),
        ) => {
            checks.push(CheckResult::fail(
                name,
                None,
                format!("installing {list} is not possible: {e}"),
                String::new(),
            ));
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

async fn run_cell(
    backend: &dyn Backend,
    id: &str,
    subject: &Subject,
    spec: &CheckSpec,
    files: &[(String, Vec<u8>)],
) -> Result<CheckResult, SandboxError> {
    let (files, request) = super::cell(files, &subject.main_file, spec.timeout);
    let tail = Tail::new(TAIL_BYTES);
    let sink = |c: OutputChunk| tail.push_chunk(c);
    let (outcome, result) = backend
        .run_cell(id, &files, &request, RESULT_FILE, &sink)
        .await?;
    let result: Value = result
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Value::Null);
    let error = &result["error"];
    let code = Some(outcome.exit_code);
    if outcome.timed_out {
        let summary = format!("stopped at its time limit ({}s)", spec.timeout.as_secs());
        return Ok(CheckResult::fail("run", code, summary, tail.text()));
    }
    if outcome.oom_killed {
        return Ok(CheckResult::fail(
            "run",
            code,
            "killed: out of memory",
            tail.text(),
        ));
    }
    if error.is_object() {
        let name = error["name"].as_str().unwrap_or("Error");
        let value = error["value"].as_str().unwrap_or_default();
        let traceback = error["traceback"].as_str().unwrap_or_default();
        let detail = format!("{traceback}\n--- output ---\n{}", tail.text());
        return Ok(CheckResult::fail(
            "run",
            code,
            format!("{name}: {value}"),
            detail,
        ));
    }
    if outcome.exit_code != 0 {
        let summary = format!("exited with code {}", outcome.exit_code);
        return Ok(CheckResult::fail("run", code, summary, tail.text()));
    }
    Ok(CheckResult::pass(
        "run",
        code,
        "ran to its end without an error",
    ))
}

/// Starts the app, asks it for the check path, and reads its log for errors.
async fn serve(
    backend: &dyn Backend,
    id: &str,
    subject: &Subject,
    spec: &CheckSpec,
    checks: &mut Vec<CheckResult>,
) -> Result<(), SandboxError> {
    let port = subject.template.port.ok_or_else(|| {
        SandboxError::Backend(format!("template `{}` has no port", subject.template.id))
    })?;
    let request = ExecRequest {
        argv: subject.template.start.clone(),
        ..ExecRequest::default()
    };
    backend.start_app(id, &request).await?;
    let preview = backend.expose(id, port).await?;
    let answer = probe(preview.local_port, &spec.check_path, spec.start_timeout).await;
    let log = Tail::new(TAIL_BYTES);
    let sink = |c: OutputChunk| log.push_chunk(c);
    backend.logs(id, false, &sink).await?;
    let log = log.text();
    let name = format!("http GET {}", spec.check_path);
    checks.push(match answer {
        Answer::Status { code, body: _ } if (200..300).contains(&code) => {
            CheckResult::pass(name, None, format!("answered {code}"))
        }
        Answer::Status { code, body: head } => CheckResult::fail(
            name,
            None,
            format!("answered {code}"),
            format!("{head}\n--- server log ---\n{log}"),
        ),
        Answer::Silent => CheckResult::fail(
            name,
            None,
            format!(
                "did not answer on port {port} within {}s",
                spec.start_timeout.as_secs()
            ),
            format!("--- server log ---\n{log}"),
        ),
    });
    let lower = log.to_lowercase();
    let found: Vec<&str> = LOG_ERROR_MARKERS
        .iter()
        .copied()
        .filter(|m| lower.contains(&m.to_lowercase()))
        .collect();
    checks.push(if found.is_empty() {
        CheckResult::pass("server log", None, "no error in the log")
    } else {
        CheckResult::fail(
            "server log",
            None,
            format!("the log shows an error ({})", found.join(", ")),
            log,
        )
    });
    drop(preview);
    Ok(())
}

async fn run_test(
    backend: &dyn Backend,
    id: &str,
    command: &str,
    spec: &CheckSpec,
) -> Result<CheckResult, SandboxError> {
    let request = ExecRequest {
        argv: vec!["sh".into(), "-c".into(), command.into()],
        timeout: Some(spec.timeout),
        ..ExecRequest::default()
    };
    let tail = Tail::new(TAIL_BYTES);
    let sink = |c: OutputChunk| tail.push_chunk(c);
    let outcome = backend.exec(id, &request, &sink).await?;
    let name = format!("test: {command}");
    let code = Some(outcome.exit_code);
    Ok(if outcome.timed_out {
        let summary = format!("stopped at its time limit ({}s)", spec.timeout.as_secs());
        CheckResult::fail(name, code, summary, tail.text())
    } else if outcome.exit_code == 0 {
        CheckResult::pass(name, code, "exit 0")
    } else {
        let last = tail
            .text()
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default()
            .chars()
            .take(200)
            .collect::<String>();
        let summary = format!("exit {}: {last}", outcome.exit_code);
        CheckResult::fail(name, code, summary, tail.text())
    })
}
