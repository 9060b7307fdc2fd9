//! Reaching sandboxes that already exist (`sandbox`, `files`, `templates build`): the
//! backend named or every usable one, expired sandboxes removed first, and the one
//! that holds an id.

use crate::cli::args::BackendChoice;
use crate::cli::exit::{CliError, CliResult, Exit};
use crate::cli::output::Output;
use codingit::config::Settings;
use codingit::sandbox::job::backend_choice;
use codingit::sandbox::select::{self, ConnectOptions};
use codingit::sandbox::{Backend, BackendKind, SandboxError};

/// The exit code and message of a sandbox error.
pub fn sandbox_error(e: SandboxError) -> CliError {
    let exit = match &e {
        SandboxError::Path { .. } | SandboxError::Limit(_) => Exit::Usage,
        _ => Exit::Sandbox,
    };
    CliError::new(exit, e.to_string())
}

/// Connects to the backend (flag, then settings, then auto), says which on stderr,
/// and removes expired sandboxes first.
pub async fn connect_existing(
    choice: Option<BackendChoice>,
    settings: &Settings,
    out: &Output,
) -> CliResult<Box<dyn Backend>> {
    // The same strict reading of `defaults.backend` as `run`'s plan.
    let choice =
        backend_choice(choice.map(BackendChoice::choice), settings).map_err(super::run_error)?;
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

/// The backends a command on existing sandboxes looks in: the one named with
/// `--backend`, else every usable one (Docker when an engine answers, local when the
/// kernel can confine). Expired sandboxes are removed first.
pub async fn connect_many(
    choice: Option<BackendChoice>,
    settings: &Settings,
    out: &Output,
) -> CliResult<Vec<Box<dyn Backend>>> {
    if let Some(choice) = choice.filter(|c| *c != BackendChoice::Auto) {
        return Ok(vec![connect_existing(Some(choice), settings, out).await?]);
    }
    let backends = select::connect_all(settings).await;
    if backends.is_empty() {
        return Err(CliError::new(
            Exit::Sandbox,
            "no sandbox backend is usable: no Docker engine answered and the local backend \
             cannot confine code here\n  how to fix: start Docker, or see docs/sandbox-local.md",
        ));
    }
    let names: Vec<&str> = backends.iter().map(|b| kind_name(b.as_ref())).collect();
    out.info(format!("sandbox backends: {}", names.join(", ")));
    for backend in &backends {
        match backend.reap_expired().await {
            Ok(0) => {}
            Ok(n) => tracing::info!("removed {n} expired sandbox(es)"),
            Err(e) => out.warn(format!("could not remove expired sandboxes: {e}")),
        }
    }
    Ok(backends)
}

pub fn kind_name(backend: &dyn Backend) -> &'static str {
    match backend.kind() {
        BackendKind::Docker => "docker",
        BackendKind::Local => "local",
        BackendKind::E2b => "e2b",
    }
}

/// The backend that holds sandbox `id`.
pub async fn find<'a>(backends: &'a [Box<dyn Backend>], id: &str) -> CliResult<&'a dyn Backend> {
    let mut error = None;
    for backend in backends {
        match backend.get(id).await {
            Ok(_) => return Ok(backend.as_ref()),
            Err(SandboxError::NotFound(_)) => {}
            Err(e) => error = Some(e),
        }
    }
    if let Some(e) = error {
        return Err(sandbox_error(e));
    }
    let mut missing = sandbox_error(SandboxError::NotFound(id.to_string()));
    // "No sandbox" would mislead when the engine that may hold it did not answer.
    if !backends.iter().any(|b| b.kind() == BackendKind::Docker) {
        missing.message.push_str(&format!(
            "; Docker sandboxes were not searched (the engine at {} did not answer, or \
             --backend left it out)\n  how to fix: start the engine (or point DOCKER_HOST \
             at it) and try again",
            codingit::sandbox::docker::engine_address()
        ));
    }
    Err(missing)
}
