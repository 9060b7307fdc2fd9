//! `codingit sandbox`: list live sandboxes, show logs, extend, kill.

use super::args::{BackendChoice, SandboxAction, SandboxArgs};
use super::exit::{CliError, CliResult, Exit};
use super::output::{table, Output, SCHEMA_VERSION};
use codingit::config::{parse_duration, Settings};
use codingit::sandbox::select::{self, BackendChoice as LibChoice, ConnectOptions};
use codingit::sandbox::{unix_now, Backend, OutputChunk, SandboxError};
use console::style;
use std::time::Duration;

/// The exit code and message of a sandbox error.
pub fn sandbox_error(e: SandboxError) -> CliError {
    let exit = match &e {
        SandboxError::Path { .. } => Exit::Usage,
        _ => Exit::Sandbox,
    };
    CliError::new(exit, e.to_string())
}

/// Connects to the backend (flag, then settings, then auto), says which on stderr,
/// and removes expired sandboxes first.
pub async fn connect(
    choice: Option<BackendChoice>,
    settings: &Settings,
    out: &Output,
) -> CliResult<Box<dyn Backend>> {
    let choice = choice.map(|c| match c {
        BackendChoice::Auto => LibChoice::Auto,
        BackendChoice::Docker => LibChoice::Docker,
        BackendChoice::Local => LibChoice::Local,
    });
    let backend = select::connect(choice, settings, ConnectOptions::default())
        .await
        .map_err(sandbox_error)?;
    let name = format!("{:?}", backend.kind()).to_lowercase();
    out.info(format!("sandbox backend: {name}"));
    match backend.reap_expired().await {
        Ok(0) => {}
        Ok(n) => tracing::info!("removed {n} expired sandbox(es)"),
        Err(e) => out.warn(format!("could not remove expired sandboxes: {e}")),
    }
    Ok(backend)
}

pub fn run(args: SandboxArgs, settings: &Settings, out: &Output) -> CliResult {
    let runtime = super::runtime()?;
    runtime.block_on(async move {
        let backend = connect(None, settings, out).await?;
        match args.action {
            SandboxAction::Ls => ls(backend.as_ref(), out).await,
            SandboxAction::Logs { id, follow } => logs(backend.as_ref(), &id, follow, out).await,
            SandboxAction::Extend { id, duration } => {
                let by = parse_duration(&duration).map_err(|e| CliError::new(Exit::Usage, e))?;
                extend(backend.as_ref(), &id, by, out).await
            }
            SandboxAction::Kill { id, all } => kill(backend.as_ref(), id, all, out).await,
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

async fn ls(backend: &dyn Backend, out: &Output) -> CliResult {
    let mut list = backend.list().await.map_err(sandbox_error)?;
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
    let mut rows = vec![["SANDBOX", "TEMPLATE", "STATE", "REMAINING", "PROJECT"]
        .iter()
        .map(|h| style(*h).bold().to_string())
        .collect::<Vec<_>>()];
    for s in &list {
        rows.push(vec![
            s.id.clone(),
            s.template.clone(),
            s.state.clone(),
            remaining(s.expires_at),
            s.project.clone().unwrap_or_else(|| "-".into()),
        ]);
    }
    out.raw(table(&rows).as_bytes());
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

async fn kill(backend: &dyn Backend, id: Option<String>, all: bool, out: &Output) -> CliResult {
    let ids: Vec<String> = if all {
        let list = backend.list().await.map_err(sandbox_error)?;
        list.into_iter().map(|s| s.id).collect()
    } else {
        id.into_iter().collect()
    };
    let mut killed = Vec::new();
    let mut failed = None;
    for id in ids {
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
