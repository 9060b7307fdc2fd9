//! Network access for sandboxes that ask for it (`--network`).
//!
//! A sandbox with network joins the engine's `bridge` network. An engine started
//! without one (`dockerd --bridge=none`, our CI) does not refuse that: the container
//! starts with loopback only, and code that needs the network fails in confusing
//! ways. So the bridge is checked before the container is made, and the container's
//! address after it started; either failing is an error that says how to fix it. We
//! never fall back to host networking, which would give no isolation at all.

use super::connect::{engine_error, is_not_found};
use crate::sandbox::SandboxError;
use bollard::query_parameters::InspectContainerOptions;
use bollard::Docker;

/// The network a sandbox with `--network` joins.
pub const NETWORK: &str = "bridge";

fn unusable(why: &str) -> SandboxError {
    SandboxError::NetworkUnusable {
        why: why.to_string(),
    }
}

/// Refuses when the engine has no bridge network, or forwarding is off (then the
/// bridge reaches nothing past the engine's host).
pub async fn check_usable(docker: &Docker) -> Result<(), SandboxError> {
    match docker.inspect_network(NETWORK, None).await {
        Ok(_) => {}
        Err(e) if is_not_found(&e) => {
            return Err(unusable(
                "this engine has none (no `bridge` network: dockerd --bridge=none?)",
            ))
        }
        Err(e) => return Err(engine_error("checking the engine's network", e)),
    }
    let info = docker
        .info()
        .await
        .map_err(|e| engine_error("checking the engine's network", e))?;
    if info.ipv4_forwarding == Some(false) {
        return Err(unusable("IPv4 forwarding is off on this engine"));
    }
    Ok(())
}

/// Refuses a started container that got no address on the bridge (loopback only).
pub async fn check_attached(docker: &Docker, container: &str) -> Result<(), SandboxError> {
    let inspect = docker
        .inspect_container(container, None::<InspectContainerOptions>)
        .await
        .map_err(|e| engine_error("checking the sandbox's network", e))?;
    let address = inspect
        .network_settings
        .and_then(|n| n.networks)
        .and_then(|mut n| n.remove(NETWORK))
        .and_then(|n| n.ip_address)
        .unwrap_or_default();
    if address.is_empty() {
        return Err(unusable("the sandbox got no address on it (loopback only)"));
    }
    Ok(())
}
