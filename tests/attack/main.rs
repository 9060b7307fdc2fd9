//! Attacks and containment, each checked on the host (canaries, the engine, the
//! processes left): the containment suite per backend, and attacks through `run`,
//! `files`, model output and hostile projects, crashes, a repository swapped under a
//! read, and the bounds of the local and Docker backends. Each module runs as one group
//! (`support::solo`): never beside another's tests. Under CI=true nothing skips.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

#[path = "../support/mod.rs"]
mod support;

mod containment;
mod crash;
mod docker_bounds;
mod files;
mod local_confinement;
mod project;
mod repo;
mod run;
