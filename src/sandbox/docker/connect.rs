//! Reaching the engine: local defaults (`DOCKER_HOST` honoured), version negotiation,
//! and one clear error with how to fix it when nothing answers.

use crate::sandbox::SandboxError;
use bollard::Docker;
use std::time::Duration;

/// How long we wait for the engine to answer the first request.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

const HINT: &str = "start the Docker Engine (`sudo systemctl start docker`, Docker Desktop, or \
`dockerd &`), point DOCKER_HOST at a running engine, make sure you may use its socket \
(e.g. the `docker` group), or choose `--backend local`";

fn unavailable(message: String) -> SandboxError {
    SandboxError::Unavailable {
        message,
        hint: HINT.to_string(),
    }
}

/// Where the client will connect, for messages.
pub fn engine_address() -> String {
    std::env::var("DOCKER_HOST")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "unix:///var/run/docker.sock".to_string())
}

/// Connects and negotiates the API version, or explains why it cannot.
pub async fn connect() -> Result<Docker, SandboxError> {
    let address = engine_address();
    let docker = Docker::connect_with_local_defaults()
        .map_err(|e| unavailable(format!("cannot use the Docker Engine at {address}: {e}")))?;
    let negotiated = tokio::time::timeout(CONNECT_TIMEOUT, docker.negotiate_version())
        .await
        .map_err(|_| {
            unavailable(format!(
                "the Docker Engine at {address} did not answer within {} s",
                CONNECT_TIMEOUT.as_secs()
            ))
        })?
        .map_err(|e| unavailable(format!("no Docker Engine answers at {address}: {e}")))?;
    // A long build or a followed log must not hit the client's default 120 s limit.
    Ok(negotiated.with_timeout(Duration::from_secs(3600)))
}

/// Whether `e` is the engine's "no such object" answer.
pub fn is_not_found(e: &bollard::errors::Error) -> bool {
    matches!(
        e,
        bollard::errors::Error::DockerResponseServerError {
            status_code: 404,
            ..
        }
    )
}

/// Whether `e` is the engine's "conflict / already in progress" answer.
pub fn is_conflict(e: &bollard::errors::Error) -> bool {
    matches!(
        e,
        bollard::errors::Error::DockerResponseServerError {
            status_code: 409,
            ..
        }
    )
}

/// Wraps an engine error with what we were doing.
pub fn engine_error(doing: &str, e: bollard::errors::Error) -> SandboxError {
    SandboxError::Backend(format!("Docker Engine: {doing}: {e}"))
}
