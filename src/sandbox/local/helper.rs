//! The two hidden roles of the codingit binary in the local backend:
//! `__sandbox-exec POLICY` confines itself and executes the sandboxed command;
//! `__sandbox-keeper STATE_DIR ID` waits for a sandbox's expiry and then removes it,
//! so the lifetime holds even if the codingit that created it is killed.

use super::confine::{self, ConfineError, Policy};
use super::spawn::{HELPER_ARG, KEEPER_ARG};
use super::state::Store;
use crate::sandbox::helpers::HelperOutcome;
use crate::sandbox::unix_now;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::time::Duration;

/// Runs a helper role when `args` names one; None for a normal command line.
pub fn run_if_helper(args: &[String], warn: &dyn Fn(&str)) -> Option<HelperOutcome> {
    match args.get(1).map(String::as_str) {
        Some(HELPER_ARG) => Some(sandbox_exec(args.get(2).map(String::as_str), warn)),
        Some(KEEPER_ARG) => Some(keeper(args.get(2), args.get(3))),
        Some(super::relay::RELAY_ARG) => Some(match super::relay::run(args.get(2), args.get(3)) {
            Ok(()) => HelperOutcome::Done,
            Err(message) => HelperOutcome::Failed {
                message: format!("codingit preview relay: {message}"),
                code: 1,
            },
        }),
        _ => None,
    }
}

fn sandbox_exec(policy: Option<&str>, warn: &dyn Fn(&str)) -> HelperOutcome {
    let failed = |message: String| HelperOutcome::Failed { message, code: 125 };
    let Some(policy) = policy else {
        return failed("codingit sandbox helper: no policy given".into());
    };
    let policy: Policy = match serde_json::from_str(policy) {
        Ok(p) => p,
        Err(e) => return failed(format!("codingit sandbox helper: bad policy: {e}")),
    };
    match confine::apply(&policy) {
        Ok(Some(warning)) => warn(&format!(
            "UNSAFE: the sandbox is not fully confined: {warning}"
        )),
        Ok(None) => {}
        Err(e) => {
            return failed(format!(
                "refusing to run unconfined: {e}\n  how to fix: {}",
                ConfineError::hint()
            ))
        }
    }
    let Some((program, args)) = policy.argv.split_first() else {
        return failed("codingit sandbox helper: empty command".into());
    };
    let error = std::process::Command::new(program)
        .args(args)
        .env_clear()
        .envs(&policy.env)
        .current_dir(&policy.cwd)
        .exec();
    HelperOutcome::Failed {
        message: format!("cannot run `{program}` in the sandbox: {error}"),
        code: if error.kind() == std::io::ErrorKind::NotFound {
            127
        } else {
            126
        },
    }
}

fn keeper(state_dir: Option<&String>, id: Option<&String>) -> HelperOutcome {
    let (Some(state_dir), Some(id)) = (state_dir, id) else {
        return HelperOutcome::Failed {
            message: "codingit keeper: usage: __sandbox-keeper STATE_DIR ID".into(),
            code: 2,
        };
    };
    let store = Store::new(&PathBuf::from(state_dir));
    loop {
        let Ok(state) = store.load(id) else {
            // Killed by someone else: nothing left to keep.
            return HelperOutcome::Done;
        };
        let now = unix_now();
        // A sandbox that only ran commands goes with the codingit that ran them.
        let orphaned = !state.app && state.owner.is_some_and(|o| !o.alive());
        if now >= state.expires_at || orphaned {
            store.destroy(&state, false);
            return HelperOutcome::Done;
        }
        // Re-read often enough to notice `sandbox extend` and `kill`.
        let wait = (state.expires_at - now).min(1);
        std::thread::sleep(Duration::from_secs(wait.max(1)));
    }
}
