//! End to end against a real llama.cpp server (started by `scripts/dev-env`): the LLM
//! client alone, and the real binary configured for it. Needs CODINGIT_TEST_LLAMA_URL
//! (and CODINGIT_TEST_LLAMA_MODEL); under CI=true a missing server fails these tests.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

#[path = "../support/mod.rs"]
mod support;

/// One request at a time, for every test of this binary: the server has one slot, and
/// its prompt cache makes a request's output depend on the one before it.
static SERVER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

mod llama;
mod llm_real;
