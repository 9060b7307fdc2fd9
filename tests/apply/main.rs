//! The edit engine (`codingit::apply`) through its library: the shared Continue and
//! `*** Begin Patch` test data, this project's fixture folders, properties, the
//! real-edit corpus (`cargo test --test apply real_edit_corpus`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

#[path = "../support/mod.rs"]
mod support;

mod engine;
mod properties;
