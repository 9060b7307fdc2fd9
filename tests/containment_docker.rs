//! The containment suite for the Docker backend, through `codingit run - --backend docker`
//! (needs a Docker Engine; CI=true or CODINGIT_TEST_DOCKER=1 make a missing one fail).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod support;

use support::containment as suite;

const BACKEND: &str = "docker";

#[test]
fn host_file_outside_is_unreadable() {
    suite::host_file_outside_is_unreadable(BACKEND);
}

#[test]
fn writes_outside_home_are_refused() {
    suite::writes_outside_home_are_refused(BACKEND);
}

#[test]
fn network_is_refused_when_off() {
    suite::network_is_refused_when_off(BACKEND);
}

#[test]
fn fork_bomb_is_stopped() {
    suite::fork_bomb_is_stopped(BACKEND);
}

#[test]
fn memory_bomb_is_stopped() {
    suite::memory_bomb_is_stopped(BACKEND);
}

#[test]
fn endless_loop_is_stopped() {
    suite::endless_loop_is_stopped(BACKEND);
}

#[test]
fn output_flood_is_stopped() {
    suite::output_flood_is_stopped(BACKEND);
}

#[test]
fn background_processes_do_not_survive() {
    suite::background_processes_do_not_survive(BACKEND);
}
