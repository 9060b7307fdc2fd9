//! The sandbox backends (local, Docker, e2b over the local E2B test server) through
//! their library and the real binary: hardening, exec, files, lifecycle, the warm pool,
//! the web templates and their previews, hostile paths, and `--check` with its fix
//! rounds. Two suites run unchanged on every backend: `codingit run` (run/) and the
//! `sandbox …` and `files` commands (commands/); what only one backend has stays in
//! its own modules (local_backend, docker_*, e2b_*). Each module runs as one group (`support::solo`): never
//! beside another's tests. Docker needs an engine: CI=true (or CODINGIT_TEST_DOCKER=1)
//! makes a missing one fail; under CI=true nothing skips.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

#[path = "../support/mod.rs"]
mod support;

mod check_loop;
mod commands;
mod docker_backend;
mod docker_host;
mod docker_pool;
mod docker_templates;
mod e2b_backend;
mod e2b_failures;
mod e2b_protocol;
mod events;
mod exec_cancel;
mod install;
mod local_backend;
mod paths;
mod preview_detached;
mod run;
