//! The warm pool across invocations, and the owner watch: a short-lived `codingit
//! run` claims a ready container, and hands the removal of its sandbox and the
//! pool's refill to a detached helper process (`codingit __pool-refill JOB`), so it
//! can exit at once.
//!
//! The helper runs in a session of its own with no stdio; it removes the finished
//! sandbox's container, tops the pool up (the same hardened containers, labels and
//! 10-minute expiry as the in-process pool), and reaps expired sandboxes. It
//! inherits the environment, so `DOCKER_HOST` and `CODINGIT_SANDBOX_NAMESPACE` hold.
//!
//! **Owner watch** (`codingit __pool-refill watch`): started when `run` creates a
//! sandbox, the same helper reads messages from a pipe whose write end only the
//! owner holds. The kernel closes it when the owner dies, however it dies (kill -9
//! included), so the helper sees the end of the pipe at once: without a `Release`
//! (the job above) or `Keep` (the sandbox outlives its owner: it ends at its own
//! expiry) before that, the owner died and the sandbox's container is removed.
#![allow(unsafe_code)]

use super::warm::refill;
use super::{connect, container};
use crate::catalog::TemplateDef;
use crate::sandbox::helpers::HelperOutcome;
use crate::sandbox::{Limits, SandboxSpec};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

/// The hidden first argument that makes the binary the pool helper.
pub const HELPER_ROLE: &str = "__pool-refill";
/// Its second argument for the owner watch (else a [`PoolJob`] in JSON).
const WATCH: &str = "watch";

/// A message from a sandbox's owner to its watch, one JSON line each.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum WatchMessage {
    /// The container the owner made: removed if the owner dies.
    Own(String),
    /// The owner is done with it: do this job once the pipe ends.
    Release(Box<PoolJob>),
    /// The sandbox outlives its owner (detached, or killed already): leave it.
    Keep,
}

/// The owner's end of a watch: dropping it without a message means "I died".
pub struct Watch {
    pipe: std::process::ChildStdin,
    child: std::process::Child,
}

impl Watch {
    /// Starts a watch helper (new session, stdin a pipe from us, no other stdio).
    pub fn start() -> std::io::Result<Self> {
        let mut command = helper_command()?;
        command.arg(WATCH).stdin(std::process::Stdio::piped());
        let mut child = command.spawn()?;
        let pipe = child
            .stdin
            .take()
            .ok_or_else(|| std::io::Error::other("no pipe to the watch"))?;
        Ok(Self { pipe, child })
    }

    /// Sends a message (a few bytes on a pipe: never blocks for long).
    pub fn send(&mut self, message: &WatchMessage) -> std::io::Result<()> {
        use std::io::Write;
        let mut line = serde_json::to_vec(message).map_err(std::io::Error::other)?;
        line.push(b'\n');
        self.pipe.write_all(&line)
    }

    /// Sends the last message and closes the pipe; the helper then acts and exits
    /// on its own (it is reaped here if it already has, else by init later).
    pub fn finish(mut self, message: &WatchMessage) -> std::io::Result<()> {
        let sent = self.send(message);
        drop(self.pipe);
        let _ = self.child.try_wait();
        sent
    }
}

/// What the helper does, passed as JSON in its second argument.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PoolJob {
    /// A container to remove first (the sandbox that just finished).
    pub remove: Option<String>,
    /// The pool to top up (none: only the removal).
    pub refill: Option<PoolFill>,
}

/// The spec a pool is kept for, and its size.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PoolFill {
    pub tag: String,
    pub template: TemplateDef,
    pub limits: Limits,
    pub network: bool,
    pub env: BTreeMap<String, String>,
    pub size: usize,
}

impl PoolFill {
    pub fn new(spec: &SandboxSpec, tag: &str, size: usize) -> Self {
        Self {
            tag: tag.to_string(),
            template: spec.template.clone(),
            limits: spec.limits.clone(),
            network: spec.network,
            env: spec.env.clone(),
            size,
        }
    }

    fn spec(&self) -> SandboxSpec {
        SandboxSpec {
            template: self.template.clone(),
            project: None,
            lifetime: super::POOL_LIFETIME,
            network: self.network,
            limits: self.limits.clone(),
            env: self.env.clone(),
        }
    }
}

/// The helper's command: this binary, in a session of its own, no stdio.
pub(super) fn helper_command() -> std::io::Result<std::process::Command> {
    use std::os::unix::process::CommandExt;
    let exe = std::env::current_exe()?;
    let mut command = std::process::Command::new(exe);
    command
        .arg(HELPER_ROLE)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    // SAFETY: setsid is async-signal-safe and touches no memory.
    unsafe {
        command.pre_exec(|| {
            if libc::setsid() < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    Ok(command)
}

/// Starts the helper detached (new session, no stdio) and does not wait for it.
pub fn spawn(job: &PoolJob) -> std::io::Result<()> {
    let text = serde_json::to_string(job).map_err(std::io::Error::other)?;
    let mut command = helper_command()?;
    command.arg(text);
    // The child is not waited for: it outlives us and init reaps it.
    command.spawn().map(drop)
}

/// What the watch does once the owner's pipe ends: the released job, nothing
/// (kept), or, when the owner died first, the removal of its container.
fn watched() -> Option<PoolJob> {
    use std::io::BufRead;
    let mut owned = None;
    let mut outcome = None;
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        match serde_json::from_str::<WatchMessage>(&line) {
            Ok(WatchMessage::Own(container)) => owned = Some(container),
            Ok(WatchMessage::Release(job)) => outcome = Some(Some(*job)),
            Ok(WatchMessage::Keep) => outcome = Some(None),
            Err(_) => {}
        }
    }
    match outcome {
        Some(job) => job,
        None => owned.map(|container| PoolJob {
            remove: Some(container),
            refill: None,
        }),
    }
}

/// Runs the helper when `args` asks for it; `None` otherwise.
pub fn run_if_helper(args: &[String]) -> Option<HelperOutcome> {
    if args.get(1).map(String::as_str) != Some(HELPER_ROLE) {
        return None;
    }
    if args.get(2).map(String::as_str) == Some(super::detached::RELAY) {
        return Some(relay(args.get(3), args.get(4)));
    }
    let job = match args.get(2).map(String::as_str) {
        Some(WATCH) => match watched() {
            Some(job) => job,
            None => return Some(HelperOutcome::Done),
        },
        text => match text.and_then(|t| serde_json::from_str::<PoolJob>(t).ok()) {
            Some(job) => job,
            None => return Some(HelperOutcome::code(2)),
        },
    };
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return Some(HelperOutcome::code(1));
    };
    // Nothing here may run for long: a stuck engine must not leave helpers behind.
    let done = runtime.block_on(async {
        tokio::time::timeout(Duration::from_secs(300), work(job))
            .await
            .is_ok()
    });
    Some(HelperOutcome::code(if done { 0 } else { 1 }))
}

async fn work(job: PoolJob) {
    let Ok(docker) = connect::connect().await else {
        return;
    };
    if let Some(target) = &job.remove {
        container::remove_container(&docker, target).await;
    }
    if let Some(fill) = &job.refill {
        if fill.size > 0 {
            refill(docker.clone(), fill.spec(), fill.tag.clone(), fill.size).await;
        }
    }
    // Unclaimed pool containers past their time, and other expired sandboxes.
    let _ = container::reap(&docker).await;
}

/// `__pool-refill relay CONTAINER PORT`: a detached preview (detached.rs).
fn relay(container: Option<&String>, port: Option<&String>) -> HelperOutcome {
    let (Some(container), Some(port)) = (container, port.and_then(|p| p.parse::<u16>().ok()))
    else {
        return HelperOutcome::code(2);
    };
    let Ok(runtime) = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    else {
        return HelperOutcome::code(1);
    };
    match runtime.block_on(super::detached::serve(container, port)) {
        Ok(()) => HelperOutcome::Done,
        Err(_) => HelperOutcome::code(1),
    }
}
