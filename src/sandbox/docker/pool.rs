//! The warm pool across invocations: a short-lived `codingit run` claims a ready
//! container, and hands the removal of its sandbox and the pool's refill to a
//! detached helper process (`codingit __pool-refill JOB`), so it can exit at once.
//!
//! The helper runs in a session of its own with no stdio; it removes the finished
//! sandbox's container, tops the pool up (the same hardened containers, labels and
//! 10-minute expiry as the in-process pool), and reaps expired sandboxes. It
//! inherits the environment, so `DOCKER_HOST` and `CODINGIT_SANDBOX_NAMESPACE` hold.
#![allow(unsafe_code)]

use super::{connect, container, refill};
use crate::catalog::TemplateDef;
use crate::sandbox::{Limits, SandboxSpec};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

/// The hidden first argument that makes the binary the pool helper.
pub const HELPER_ROLE: &str = "__pool-refill";

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

/// Starts the helper detached (new session, no stdio) and does not wait for it.
pub fn spawn(job: &PoolJob) -> std::io::Result<()> {
    use std::os::unix::process::CommandExt;
    let text = serde_json::to_string(job).map_err(std::io::Error::other)?;
    let exe = std::env::current_exe()?;
    let mut command = std::process::Command::new(exe);
    command
        .arg(HELPER_ROLE)
        .arg(text)
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
    // The child is not waited for: it outlives us and init reaps it.
    command.spawn().map(drop)
}

/// Runs the helper when `args` asks for it; `None` otherwise.
pub fn run_if_helper(args: &[String]) -> Option<std::process::ExitCode> {
    if args.get(1).map(String::as_str) != Some(HELPER_ROLE) {
        return None;
    }
    let Some(job) = args
        .get(2)
        .and_then(|text| serde_json::from_str::<PoolJob>(text).ok())
    else {
        return Some(std::process::ExitCode::from(2));
    };
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return Some(std::process::ExitCode::FAILURE);
    };
    // Nothing here may run for long: a stuck engine must not leave helpers behind.
    let done = runtime.block_on(async {
        tokio::time::timeout(Duration::from_secs(300), work(job))
            .await
            .is_ok()
    });
    Some(if done {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    })
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
