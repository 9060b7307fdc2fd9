//! Stopping a command before it ends (`sandbox exec` on Ctrl-C): the one rule every
//! backend's `exec` follows when its request's [`ExecRequest::cancel`] fires. The
//! backend kills the command it started, and only it (never the sandbox, nor other
//! processes in it), waits a bounded time for its end, and reports it `cancelled`.
//! How to kill is each backend's (Docker: a second exec, local: the process group,
//! E2B: envd's `SendSignal`); when and how long to wait is here alone.
//!
//! [`ExecRequest::cancel`]: super::ExecRequest::cancel

use super::{ExecOutcome, SandboxError};
use std::future::Future;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// How long the end of a killed command is awaited before the exec gives up on it.
pub const KILL_WAIT: Duration = Duration::from_secs(10);

/// Runs `work` (a backend's exec of one command) until it ends or `cancel` fires.
/// On cancel, `kill` ends the command and `work` is driven on, up to [`KILL_WAIT`],
/// so its outcome (the command's end by the kill) is the one returned, marked
/// `cancelled`. A kill that fails while the command runs on, or a command still
/// running after the wait, is an error: the caller must not say it stopped what it
/// did not.
pub async fn until_cancelled<W, K>(
    cancel: Option<&CancellationToken>,
    work: W,
    kill: impl FnOnce() -> K,
) -> Result<ExecOutcome, SandboxError>
where
    W: Future<Output = Result<ExecOutcome, SandboxError>>,
    K: Future<Output = Result<(), SandboxError>>,
{
    let Some(cancel) = cancel else {
        return work.await;
    };
    tokio::pin!(work);
    tokio::select! {
        // An exec that ends as the cancel comes is reported as it ended.
        biased;
        outcome = &mut work => return outcome,
        () = cancel.cancelled() => {}
    }
    let killed = kill().await;
    // A kill refused because the command has just ended is no failure: its end
    // comes at once.
    let wait = if killed.is_ok() {
        KILL_WAIT
    } else {
        Duration::from_secs(1)
    };
    match (tokio::time::timeout(wait, &mut work).await, killed) {
        (Ok(outcome), _) => outcome.map(|o| ExecOutcome {
            cancelled: true,
            ..o
        }),
        (Err(_), Err(e)) => Err(SandboxError::Backend(format!(
            "the command could not be stopped and may still run: {e}"
        ))),
        (Err(_), Ok(())) => Err(SandboxError::Backend(format!(
            "the command was killed but had not ended {}s later; it may still run",
            KILL_WAIT.as_secs()
        ))),
    }
}

/// A name for one cancellable command, unique on this machine for this process's
/// life: what the backend marks the command with to find it again when killing it.
pub fn command_mark() -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("codingit-exec-{}-{nanos}-{n}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[tokio::test]
    async fn a_cancel_kills_then_waits_for_the_end() {
        let token = CancellationToken::new();
        let killed = AtomicBool::new(false);
        let work = async {
            while !killed.load(Ordering::SeqCst) {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            Ok(ExecOutcome {
                exit_code: 137,
                ..ExecOutcome::default()
            })
        };
        token.cancel();
        let outcome = until_cancelled(Some(&token), work, || async {
            killed.store(true, Ordering::SeqCst);
            Ok(())
        })
        .await
        .unwrap();
        assert!(outcome.cancelled);
        assert_eq!(outcome.exit_code, 137);
    }

    #[tokio::test]
    async fn a_failed_kill_is_an_error() {
        let token = CancellationToken::new();
        token.cancel();
        let work = std::future::pending();
        let result = until_cancelled(Some(&token), work, || async {
            Err(SandboxError::Backend("refused".into()))
        })
        .await;
        assert!(result.unwrap_err().to_string().contains("may still run"));
    }
}
