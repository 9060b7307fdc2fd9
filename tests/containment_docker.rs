//! The containment suite (tests/support/containment.rs) for the Docker backend, through
//! `codingit run - --backend docker` (needs a Docker Engine; CI=true or
//! CODINGIT_TEST_DOCKER=1 make a missing one fail).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod support;

support::containment::containment_tests!("docker");
