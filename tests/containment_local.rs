//! The containment suite (tests/support/containment.rs) for the local backend.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod support;

support::containment::containment_tests!("local");
