//! `codingit sandbox …` and `codingit files …` through the real binary, one suite
//! instantiated per backend (`command_tests!`: local.rs, docker.rs, e2b.rs). Each case
//! takes a live sandbox of the interpreter template made through the library
//! (`World::live_sandbox`, as a detached run leaves one) and drives it with
//! `--backend NAME`: `sandbox ls`, `exec` (streamed output, the remote exit code,
//! 124 at `--timeout`, 128+n, `--cwd`, `--json`), `extend`, `logs`, `kill`
//! (sandbox_cmds.rs); `files` write, cat, ls, rm, upload and download round trips,
//! hostile paths (exit 2) and local download targets (files_cmds.rs); and what
//! sandboxed code can plant for them: links to a host canary file and folder, a
//! `.git/hooks` folder to download into a repository (planted.rs), each checked on
//! the host. What only one backend has stays beside it (local_backend.rs,
//! docker_backend.rs, e2b_backend.rs; the local swap race in tests/attack/files.rs).
//! Docker needs an engine (CI=true or CODINGIT_TEST_DOCKER=1 make a missing one
//! fail); e2b runs over the binary's E2B test server (`support::e2b`).

use crate::support::containment::World;
use std::cell::Cell;
use std::process::Output;
use std::time::Duration;

mod files_cmds;
mod planted;
mod sandbox_cmds;

use files_cmds::{
    download_refuses_existing_targets_and_local_links, files_round_trip,
    hostile_paths_are_usage_errors, upload_never_follows_local_links,
};
use planted::{download_never_plants_git_hooks, links_planted_in_the_sandbox_never_reach_the_host};
use sandbox_cmds::{exec_streams_output_and_passes_exit_codes, ls_extend_logs_and_kill};

/// A world with a live sandbox; the sandbox is killed when this goes (also when the
/// test fails), unless the test killed it.
pub struct Live {
    pub w: World,
    pub id: String,
    killed: Cell<bool>,
}

impl Live {
    /// `None` (with a note) when the backend or its template is unavailable here
    /// outside CI (`World::ready`).
    pub fn new(backend: &str) -> Option<Self> {
        let w = World::new(backend);
        let id = w.live_sandbox()?;
        Some(Self {
            w,
            id,
            killed: Cell::new(false),
        })
    }

    pub fn backend(&self) -> &str {
        &self.w.backend
    }

    /// `codingit sandbox --backend NAME ARGS…` in the world's folder.
    pub fn sandbox(&self, args: &[&str]) -> assert_cmd::Command {
        let mut cmd = self.w.cmd();
        cmd.args(["sandbox", "--backend", self.backend()])
            .args(args)
            .timeout(Duration::from_secs(120));
        cmd
    }

    /// `codingit files ID --backend NAME ARGS…` in the world's folder.
    pub fn files(&self, args: &[&str]) -> assert_cmd::Command {
        let mut cmd = self.w.cmd();
        cmd.args(["files", &self.id, "--backend", self.backend()])
            .args(args)
            .timeout(Duration::from_secs(120));
        cmd
    }

    /// `codingit files ID download ARGS…` run in local folder `cwd`.
    pub fn download_in(&self, cwd: &std::path::Path, args: &[&str]) -> std::process::Output {
        self.files(&["download"])
            .args(args)
            .current_dir(cwd)
            .output()
            .unwrap()
    }

    /// `codingit sandbox exec ID OPTIONS… -- COMMAND…`.
    pub fn exec(&self, options: &[&str], command: &[&str]) -> Output {
        self.sandbox(&["exec", &self.id])
            .args(options)
            .arg("--")
            .args(command)
            .output()
            .unwrap()
    }

    /// What sandboxed code does: `sh -c SCRIPT` in the sandbox's home, which must
    /// succeed.
    pub fn sh(&self, script: &str) {
        let out = self.exec(&[], &["sh", "-c", script]);
        assert!(out.status.success(), "{script}: {}", text(&out.stderr));
    }

    /// `sandbox kill ID`, which must succeed.
    pub fn kill(&self) -> Output {
        let out = self.sandbox(&["kill", &self.id]).output().unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        self.killed.set(true);
        out
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        if !self.killed.get() {
            let _ = self.sandbox(&["kill", &self.id]).output();
        }
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The one JSON document a command printed on stdout.
pub fn json(out: &Output) -> serde_json::Value {
    crate::support::stdout_json(out)
}

/// The suite as `#[test]` functions for one backend, each in the backend's
/// `support::solo` group: `command_tests!("local", "commands_local");`.
macro_rules! command_tests {
    ($backend:literal, $group:literal) => {
        command_tests!(@ $backend, $group,
            ls_extend_logs_and_kill,
            exec_streams_output_and_passes_exit_codes,
            files_round_trip,
            hostile_paths_are_usage_errors,
            download_refuses_existing_targets_and_local_links,
            upload_never_follows_local_links,
            links_planted_in_the_sandbox_never_reach_the_host,
            download_never_plants_git_hooks,
        );
    };
    (@ $backend:literal, $group:literal, $($case:ident),* $(,)?) => {$(
        #[test]
        fn $case() {
            let _solo = crate::support::solo($group);
            super::$case($backend);
        }
    )*};
}

// After the macro, so that the backends' modules see it.
mod docker;
mod e2b;
mod local;
