//! `codingit sandbox`: list live sandboxes, show logs, run a command, extend, kill.

use super::args::{SandboxAction, SandboxArgs};
use super::exit::{CliError, CliResult, Exit};
use super::interrupt::Interrupt;
use super::output::{table, Output, SCHEMA_VERSION};
use super::sandbox_view::{connect_many, find, kind_name, sandbox_error};
use codingit::config::{parse_duration, Settings};
use codingit::sandbox::{cancel, unix_now, Backend, ExecRequest, OutputChunk, SandboxError};
use console::style;
use std::sync::Mutex;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// How much longer than the backend's own wait for a killed command `sandbox exec`
/// waits before it gives up on confirming the kill.
const STOP_MARGIN: Duration = Duration::from_secs(10);

pub fn run(args: SandboxArgs, settings: &Settings, out: &Output) -> CliResult {
    let runtime = super::runtime()?;
    runtime.block_on(async move {
        let backends = connect_many(args.backend, settings, out).await?;
        match args.action {
            SandboxAction::Ls => ls(&backends, out).await,
            SandboxAction::Logs { id, follow } => {
                logs(find(&backends, &id).await?, &id, follow, out).await
            }
            SandboxAction::Extend { id, duration } => {
                let by = parse_duration(&duration).map_err(|e| CliError::new(Exit::Usage, e))?;
                extend(find(&backends, &id).await?, &id, by, out).await
            }
            SandboxAction::Kill { id, all } => kill(&backends, id, all, out).await,
            SandboxAction::Exec {
                id,
                timeout,
                cwd,
                command,
            } => {
                let timeout = timeout
                    .map(|t| parse_duration(&t).map_err(|e| CliError::new(Exit::Usage, e)))
                    .transpose()?;
                let request = ExecRequest {
                    argv: command,
                    cwd,
                    timeout,
                    ..ExecRequest::default()
                };
                exec(find(&backends, &id).await?, &id, request, out).await
            }
            SandboxAction::Preview { id } => {
                preview(find(&backends, &id).await?, &id, settings, out).await
            }
        }
    })
}

fn remaining(expires_at: u64) -> String {
    let left = expires_at.saturating_sub(unix_now());
    if left == 0 {
        "expired".into()
    } else {
        humantime::format_duration(Duration::from_secs(left)).to_string()
    }
}

async fn ls(backends: &[Box<dyn Backend>], out: &Output) -> CliResult {
    let mut list = Vec::new();
    for backend in backends {
        match backend.list().await {
            Ok(found) => list.extend(found),
            // One backend failing must not hide the others' sandboxes.
            Err(e) if backends.len() > 1 => out.warn(format!(
                "cannot list the {} sandboxes: {e}",
                kind_name(backend.as_ref())
            )),
            Err(e) => return Err(sandbox_error(e)),
        }
    }
    list.sort_by_key(|s| s.created_at);
    if out.json {
        let rows: Vec<_> = list
            .iter()
            .map(|s| {
                serde_json::json!({
                    "schema_version": SCHEMA_VERSION,
                    "id": s.id, "backend": s.backend, "template": s.template,
                    "project": s.project, "state": s.state, "created_at": s.created_at,
                    "expires_at": s.expires_at,
                    "remaining_secs": s.expires_at.saturating_sub(unix_now()),
                })
            })
            .collect();
        out.json_value(&rows);
        return Ok(());
    }
    if list.is_empty() {
        out.info("no live sandboxes");
        return Ok(());
    }
    let mut rows = vec![[
        "SANDBOX",
        "BACKEND",
        "TEMPLATE",
        "STATE",
        "REMAINING",
        "PROJECT",
    ]
    .iter()
    .map(|h| style(*h).bold().to_string())
    .collect::<Vec<_>>()];
    for s in &list {
        rows.push(vec![
            s.id.clone(),
            s.backend.clone(),
            s.template.clone(),
            s.state.clone(),
            remaining(s.expires_at),
            s.project.clone().unwrap_or_else(|| "-".into()),
        ]);
    }
    out.styled(&table(&rows));
    Ok(())
}

async fn logs(backend: &dyn Backend, id: &str, follow: bool, out: &Output) -> CliResult {
    let sink = |chunk: OutputChunk| match chunk {
        OutputChunk::Stdout(b) => out.raw(&b),
        OutputChunk::Stderr(b) => out.stderr_raw(&String::from_utf8_lossy(&b)),
    };
    backend.logs(id, follow, &sink).await.map_err(sandbox_error)
}

async fn extend(backend: &dyn Backend, id: &str, by: Duration, out: &Output) -> CliResult {
    let info = backend.extend(id, by).await.map_err(sandbox_error)?;
    if out.json {
        out.json_value(&serde_json::json!({
            "schema_version": SCHEMA_VERSION, "id": info.id, "expires_at": info.expires_at,
            "remaining_secs": info.expires_at.saturating_sub(unix_now()),
        }));
    } else {
        out.line(format!(
            "{} now ends in {}",
            info.id,
            remaining(info.expires_at)
        ));
    }
    Ok(())
}

/// A preview of the sandbox's app that outlives this command (Docker: a relay
/// helper ended with the sandbox; local: the app's own port).
async fn preview(backend: &dyn Backend, id: &str, settings: &Settings, out: &Output) -> CliResult {
    let info = backend.get(id).await.map_err(sandbox_error)?;
    let port = settings
        .templates
        .get(&info.template)
        .ok()
        .and_then(|t| t.port)
        .ok_or_else(|| {
            CliError::new(
                Exit::Usage,
                format!(
                    "sandbox {id} runs `{}`, which serves no web app",
                    info.template
                ),
            )
        })?;
    backend.outlive_process(true);
    let preview = backend.expose(id, port).await.map_err(sandbox_error)?;
    if out.json {
        out.json_value(&serde_json::json!({
            "schema_version": SCHEMA_VERSION, "id": id, "url": preview.url,
            "expires_at": info.expires_at,
        }));
    } else {
        out.line(&preview.url);
        out.info(format!(
            "open until the sandbox ends (in {})",
            remaining(info.expires_at)
        ));
    }
    Ok(())
}

async fn kill(
    backends: &[Box<dyn Backend>],
    id: Option<String>,
    all: bool,
    out: &Output,
) -> CliResult {
    let mut killed = Vec::new();
    let mut failed = None;
    if all {
        // Every sandbox of every backend, warm-pool ones included; one backend
        // failing does not spare the others'.
        for backend in backends {
            match backend.kill_all().await {
                Ok(ids) => killed.extend(ids),
                Err(e) => failed = Some(sandbox_error(e)),
            }
        }
    } else if let Some(id) = id {
        let backend = find(backends, &id).await?;
        match backend.kill(&id).await {
            Ok(()) => killed.push(id),
            Err(e) => failed = Some(sandbox_error(e)),
        }
    }
    if out.json {
        out.json_value(&serde_json::json!({"schema_version": SCHEMA_VERSION, "killed": killed}));
    } else {
        for id in &killed {
            out.line(format!("killed {id}"));
        }
        if killed.is_empty() && failed.is_none() {
            out.info("no live sandboxes");
        }
    }
    failed.map_or(Ok(()), Err)
}

/// `sandbox exec`: the command's output streams as it comes (with `--json`, it is
/// gathered into the one JSON document); its exit code becomes ours. Ctrl-C or
/// SIGTERM stops the command in the sandbox (the sandbox stays) and exits 130.
async fn exec(backend: &dyn Backend, id: &str, request: ExecRequest, out: &Output) -> CliResult {
    let gathered = Mutex::new((Vec::new(), Vec::new()));
    let sink = |chunk: OutputChunk| match (out.json, chunk) {
        (false, OutputChunk::Stdout(b)) => out.raw(&b),
        (false, OutputChunk::Stderr(b)) => out.stderr_raw(&String::from_utf8_lossy(&b)),
        (true, chunk) => {
            if let Ok(mut g) = gathered.lock() {
                match chunk {
                    OutputChunk::Stdout(b) => g.0.extend(b),
                    OutputChunk::Stderr(b) => g.1.extend(b),
                }
            }
        }
    };
    let cancel = CancellationToken::new();
    let request = ExecRequest {
        cancel: Some(cancel.clone()),
        ..request
    };
    let mut interrupt = Interrupt::listen()?;
    let mut running = backend.exec(id, &request, &sink);
    let outcome = tokio::select! {
        outcome = &mut running => outcome,
        () = interrupt.next() => {
            cancel.cancel();
            // The backend bounds its own wait for the kill; this bounds a kill call
            // that hangs (an engine or envd that stopped answering).
            let patience = cancel::KILL_WAIT + STOP_MARGIN;
            match tokio::time::timeout(patience, &mut running).await {
                Ok(outcome) => outcome,
                Err(_) => Err(SandboxError::Backend(format!(
                    "the command was not confirmed stopped within {}s; it may still run \
                     (`codingit sandbox kill {id}` ends the whole sandbox)",
                    patience.as_secs()
                ))),
            }
        }
    };
    drop(running);
    let outcome = outcome.map_err(sandbox_error)?;
    let code = if outcome.cancelled {
        Exit::Cancelled as i64
    } else if outcome.timed_out {
        Exit::RunTimeout as i64
    } else {
        outcome.exit_code
    };
    if out.json {
        let (stdout, stderr) = gathered.into_inner().unwrap_or_default();
        out.json_value(&serde_json::json!({
            "schema_version": SCHEMA_VERSION, "id": id,
            "stdout": String::from_utf8_lossy(&stdout), "stderr": String::from_utf8_lossy(&stderr),
            "exit_code": code, "timed_out": outcome.timed_out, "truncated": outcome.truncated,
            "oom_killed": outcome.oom_killed, "cancelled": outcome.cancelled,
        }));
    } else if outcome.cancelled {
        out.info(format!(
            "stopped; the command is killed, sandbox {id} stays"
        ));
    } else if outcome.timed_out {
        out.warn("the command was stopped at its time limit");
    }
    if code == 0 {
        return Ok(());
    }
    let exit = u8::try_from(code.clamp(1, 255)).unwrap_or(1);
    Err(CliError::reported(Exit::Failure).with_code(exit))
}
