//! The LLM layer against mock servers (no real provider): the three wire protocols
//! replaying recorded streams (`tests/fixtures/sse`), real provider answer shapes
//! (`tests/fixtures/llm`: reasoning, refusals, errors inside a stream, truncation),
//! `models check`, and the wire units that need no network.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

#[path = "../support/mod.rs"]
mod support;

mod models_check;
mod protocol_specifics;
mod protocols;
mod reasoning;
mod refusals;
mod stream_errors;
mod truncation;
mod wire_units;
