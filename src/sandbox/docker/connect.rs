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

/// The engine `DOCKER_HOST` names, if it names one.
fn named_host() -> Option<String> {
    std::env::var("DOCKER_HOST")
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Whether the user named an engine with `DOCKER_HOST` (then `auto` never falls back
/// to the local backend in its place).
pub fn host_is_named() -> bool {
    named_host().is_some()
}

/// Where the client connects: `DOCKER_HOST`, else the local socket.
pub fn engine_address() -> String {
    named_host().unwrap_or_else(|| "unix:///var/run/docker.sock".to_string())
}

/// A client for `address`: a unix socket or plain tcp. TLS (`DOCKER_TLS_VERIFY`) and
/// ssh:// are not built in; they are refused in words rather than ignored, since
/// ignoring them would run sandboxes on another engine than the one named.
fn client_for(address: &str) -> Result<Docker, SandboxError> {
    const TIMEOUT_S: u64 = 120;
    let refuse = |why: String| {
        SandboxError::Unavailable {
        message: format!("DOCKER_HOST={address}: {why}"),
        hint: "use unix:///path/to/docker.sock or tcp://HOST:PORT; for an engine behind                TLS or ssh, forward its socket (`ssh -NL 127.0.0.1:2375:/var/run/docker.sock                USER@HOST`) and set DOCKER_HOST=tcp://127.0.0.1:2375; or choose --backend local"
            .into(),
    }
    };
    let scheme = address.split_once("://").map_or("", |(scheme, _)| scheme);
    let client = match scheme {
        "unix" => Docker::connect_with_unix(address, TIMEOUT_S, bollard::API_DEFAULT_VERSION),
        "tcp" | "http" => {
            if std::env::var("DOCKER_TLS_VERIFY").is_ok_and(|v| !v.is_empty() && v != "0") {
                return Err(refuse(
                    "DOCKER_TLS_VERIFY is set, and this build does not speak TLS to an engine"
                        .into(),
                ));
            }
            Docker::connect_with_http(address, TIMEOUT_S, bollard::API_DEFAULT_VERSION)
        }
        "" => return Err(refuse("no scheme (unix:// or tcp://)".into())),
        other => return Err(refuse(format!("the {other}:// scheme is not supported"))),
    };
    client.map_err(|e| unavailable(format!("cannot use the Docker Engine at {address}: {e}")))
}

/// Connects and negotiates the API version, or explains why it cannot.
pub async fn connect() -> Result<Docker, SandboxError> {
    let address = engine_address();
    let docker = client_for(&address)?;
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
