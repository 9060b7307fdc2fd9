//! Previews that outlive `codingit`: for `run --detach` and `sandbox preview ID` the
//! tunnel of `tunnel.rs` runs in a detached helper process (`codingit __pool-refill
//! relay CONTAINER PORT`, its own session), which reports the port it listens on and
//! then serves until the sandbox's container is gone. So the URL a detached run
//! prints keeps working after the command has exited, for as long as the sandbox.

use super::connect;
use crate::sandbox::{Preview, SandboxError};
use std::io::BufRead;
use std::time::Duration;

/// The helper's second argument for a detached relay.
pub const RELAY: &str = "relay";
/// How often the relay checks that its sandbox still exists.
const WATCH_EVERY: Duration = Duration::from_secs(2);

fn io(e: impl std::fmt::Display) -> SandboxError {
    SandboxError::Io(format!("cannot start the preview relay: {e}"))
}

/// Starts a relay helper for `container`'s `port` and returns its preview (dropping
/// it leaves the relay running: it ends with the sandbox).
pub async fn expose(container: &str, port: u16) -> Result<Preview, SandboxError> {
    let mut command = super::pool::helper_command().map_err(io)?;
    command
        .args([RELAY, container, &port.to_string()])
        .stdout(std::process::Stdio::piped());
    let mut child = command.spawn().map_err(io)?;
    let stdout = child.stdout.take().ok_or_else(|| io("no pipe"))?;
    // One line, "ready PORT", once the helper listens; it has nothing else to say.
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .map(|_| line)
    });
    let line = tokio::time::timeout(Duration::from_secs(20), line)
        .await
        .map_err(|_| io("it did not report within 20 s"))?
        .map_err(io)?
        .map_err(io)?;
    let _ = child.try_wait();
    let local_port: u16 = line
        .trim()
        .strip_prefix("ready ")
        .and_then(|p| p.parse().ok())
        .ok_or_else(|| io(format!("it said {:?}", line.trim())))?;
    Ok(Preview {
        url: format!("http://127.0.0.1:{local_port}/"),
        local_port,
        guard: Box::new(()),
    })
}

/// The relay helper's body: listen, report, relay until the container is gone.
pub async fn serve(container: &str, port: u16) -> Result<(), SandboxError> {
    let docker = connect::connect().await?;
    let preview = super::tunnel::expose(docker.clone(), container.to_string(), port).await?;
    {
        use std::io::Write;
        let mut out = std::io::stdout();
        let _ = writeln!(out, "ready {}", preview.local_port).and_then(|()| out.flush());
    }
    loop {
        tokio::time::sleep(WATCH_EVERY).await;
        let options: Option<bollard::query_parameters::InspectContainerOptions> = None;
        match docker.inspect_container(container, options).await {
            Ok(info) if info.state.as_ref().and_then(|s| s.running).unwrap_or(false) => {}
            _ => break,
        }
    }
    drop(preview);
    Ok(())
}
