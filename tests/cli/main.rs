//! The real binary against mock model servers and real git repositories: the
//! command-line surface and configuration, `new`, `chat` (projects and repositories),
//! `edit`, completions, the documentation's promises, the run log (library and
//! commands), and a clone of this repository standing alone.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

#[path = "../support/mod.rs"]
mod support;

mod chat;
mod clone_alone;
mod completions;
mod docs;
mod edit;
mod foundation;
mod new;
mod repo;
mod repo_git;
mod runlog;
mod runlog_cli;
mod runlog_json;
