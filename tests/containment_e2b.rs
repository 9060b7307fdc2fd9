//! The engine-independent part of the containment suite (tests/support/containment.rs)
//! and the interpreter's error handling, on the e2b backend over the local
//! spec-faithful E2B server (tests/e2b_server): a time limit stops an endless loop
//! (exit 124), an output flood is cut at the output limit, a traceback and the exit
//! code come back. The isolation cases (host files, writes, network, fork and memory
//! bombs, background processes) judge the engine, which on E2B is E2B's microVM, not
//! this test server's processes: they are not instantiated here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod support;

use std::sync::OnceLock;

const BACKEND: &str = "e2b";

/// One server for the binary; the CLI started by the suite finds it through the
/// E2B variables of this process.
fn server() -> &'static support::e2b_server::E2bServer {
    static SERVER: OnceLock<support::e2b_server::E2bServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        let server = support::e2b_server::E2bServer::start();
        for (name, value) in server.env() {
            std::env::set_var(name, value);
        }
        server
    })
}

#[test]
fn endless_loop_is_stopped() {
    server();
    support::containment::endless_loop_is_stopped(BACKEND);
}

#[test]
fn output_flood_is_stopped() {
    server();
    support::containment::output_flood_is_stopped(BACKEND);
}

#[test]
fn interpreter_error_has_a_traceback_and_exit_code() {
    let server = server();
    support::containment::interpreter_error_has_a_traceback_and_exit_code(BACKEND);
    assert!(
        server.requests().iter().any(|r| r == "POST /sandboxes"),
        "the runs went to the E2B server"
    );
}
